"""The workshop notebooks run from top to bottom (code cells executed in order), and what
they claim to have written is there."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

#: Faster values for the cells tagged "parameters" (same code paths, shorter runs).
OVERRIDES = {"DUREE_H": 0.5}

#: A path a cell prints (``… → out/atelier/mur/map.html``).
PRINTED_FILE = re.compile(r"[\w./\\-]+\.(?:html|json|csv|gpkg|tif|png|yaml)\b")


def run_outputs(namespace: dict) -> list:
    """Every run result the notebook kept (objects with ``out_dir`` and ``files``), also
    inside dicts and lists."""
    found = []
    for value in namespace.values():
        items = value.values() if isinstance(value, dict) else value if isinstance(
            value, (list, tuple)) else [value]
        for item in items:
            if hasattr(item, "out_dir") and hasattr(item, "files"):
                found.append(item)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    """Every code cell runs; every file a cell prints exists; every run the notebook
    keeps wrote each of its files, and its indicators.json holds its indicators."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {"__name__": "__main__"}
    monkeypatch.chdir(tmp_path)
    ran, printed = 0, []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile("".join(cell["source"]), f"{path.name}[{ran}]", "exec"), namespace)
        printed += PRINTED_FILE.findall(out.getvalue())
        ran += 1
        if "parameters" in cell["metadata"].get("tags", []):
            namespace.update(OVERRIDES)
    assert ran >= 5
    missing = [p for p in printed if not (tmp_path / p).exists() and not Path(p).exists()]
    assert not missing, missing
    runs = run_outputs(namespace)
    assert runs or printed, "the notebook shows no result"
    for result in runs:
        if result.out_dir is None:
            continue
        out_dir = tmp_path / result.out_dir
        assert result.files and all((out_dir / f).is_file() for f in result.files)
        written = [f for f in result.files if f.endswith("indicators.json")]
        for name in written:
            data = json.loads((out_dir / name).read_text(encoding="utf-8"))
            assert data.get("indicators") or data.get("variants"), name
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


def _projet(ns: dict, tmp: Path) -> None:
    """Same programme on both sites; only the floodplain one puts its 547.5 new residents
    (250 × 2.19) in the flood zone; comparison map and report written."""
    delta = ns["resultat"].summary()["delta"]["coteau"]
    assert delta["residents_added"] == 0
    assert delta["new_residents_flood_zone"] == pytest.approx(-250 * 2.19)
    assert ns["amenagement"].indicators()["dwellings_added"] == 250
    folder = tmp / "out" / "atelier-projet" / "projet-plaine-ou-coteau" / "comparaison"
    assert (folder / "map.html").is_file() and (folder / "report.html").is_file()
    assert "srcdoc" in ns["resultat"].page("map.html")._repr_html_()


def _mes_donnees(ns: dict, tmp: Path) -> None:
    """The user's 13 buildings are read with their columns; the project's 24 dwellings
    stand in the PPRI 'fort' zone and are flagged."""
    assert len(ns["territoire"].buildings) == 13
    delta = ns["quartier"].summary()["delta"]["projet"]
    assert delta["residents_added"] == pytest.approx(24 * 2.19)
    assert delta["new_residents_flood_zone"] == pytest.approx(24 * 2.19)
    assert delta["buildings_forbidden_zone"] > 0
    assert (tmp / "out" / "atelier-mes-donnees" / "resultats" / "comparaison" / "map.html"
            ).is_file()


def _canicule(ns: dict, tmp: Path) -> None:
    """Trees and a park cool the hottest day; 4 agents reach more people than 2."""
    delta = ns["canicule"].summary()["delta"]["arbres-et-parc"]
    assert delta["day_max_c"] < 0
    reached = {n: v.results["heatwave"].plan_by_day["reached"].iloc[0]
               for n, v in ns["plan"].variants.items()}
    assert reached["quatre-agents"] > reached["deux-agents"]
    assert (tmp / "out" / "atelier-canicule" / "canicule" / "comparaison" / "map.html").is_file()


def _collecte(ns: dict, tmp: Path) -> None:
    """Optimised rounds drive less than today's sectors with the same trucks; one truck
    less leaves waste or overtime; the comparison is written."""
    waste = {n: r.results["waste"].indicators() for n, r in ns["collecte"].variants.items()}
    assert waste["optimisees"]["distance_km"] < waste["aujourd-hui"]["distance_km"]
    one = waste["un-camion-de-moins"]
    assert one["trucks_used"] == 1
    assert one["tonnes_missed"] > 0 or one["overtime_h"] > 0
    assert (tmp / "out" / "atelier" / "collecte" / "comparaison" / "map.html").is_file()


#: What each notebook must have shown (its namespace after the last cell, the folder).
CHECKS = {"atelier-crue": _crue, "atelier-projet": _projet,
          "atelier-mes-donnees": _mes_donnees, "atelier-canicule": _canicule,
          "atelier-collecte": _collecte}
