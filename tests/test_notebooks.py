"""The workshop notebooks run from top to bottom (code cells executed in order)."""

from __future__ import annotations

import json
import os
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
    assert os.path.exists(tmp_path / "out" / "atelier" / "crue-centennale-mur" / "map.html")
