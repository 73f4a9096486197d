"""The workshop notebooks run from top to bottom (code cells executed in order)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

#: Faster values for the cells tagged "parameters" (same code paths, shorter runs).
OVERRIDES = {"DUREE_H": 0.5}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    """Every code cell runs without error; parameters are shortened for the test."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {"__name__": "__main__"}
    monkeypatch.chdir(tmp_path)
    ran = 0
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        exec(compile("".join(cell["source"]), f"{path.name}[{ran}]", "exec"), namespace)
        ran += 1
        if "parameters" in cell["metadata"].get("tags", []):
            namespace.update(OVERRIDES)
    assert ran >= 5
    check = CHECKS.get(path.stem)
    assert check is not None, f"{path.name}: say in CHECKS what the notebook must show"
    check(namespace, tmp_path)


def _crue(ns: dict, tmp: Path) -> None:
    """The wall protects buildings; the comparison map and report were written."""
    delta = ns["crue"].summary()["delta"]["avec-mur"]
    assert delta["flooded_buildings"] < 0 and delta["damage_eur"] < 0
    folder = tmp / "out" / "atelier" / "crue-centennale-mur" / "comparaison"
    assert (folder / "map.html").is_file() and (folder / "report.html").is_file()
    assert "srcdoc" in ns["crue"].page("map.html")._repr_html_()


#: What each notebook must have shown (its namespace after the last cell, the folder).
CHECKS = {"atelier-crue": _crue}
