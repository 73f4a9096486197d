"""``jumeau territory info`` on the four real data sets, through manifests only."""

from __future__ import annotations

import json

import pytest

from jumeau.cli.main import main


def info(path, capsys) -> dict:
    assert main(["territory", "info", str(path), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_olemps(manifest, capsys):
    """Olemps: 2,273 buildings, BD TOPO v2 roads, INSEE grid, derived 25 m terrain."""
    s = info(manifest("olemps"), capsys)
    assert s["crs"] == "EPSG:2154"
    assert s["layers"]["buildings"] == 2273 and s["layers"]["roads"] == 4980
    assert s["layers"]["population"] == 457 and s["layers"]["boundary"] == 1
    assert s["dem"]["derived"] is True and s["dem"]["resolution_m"] == 25.0
    assert s["network"]["nodes"] > 3000 and s["network"]["components"] >= 1
    # The grid population of the cells holding buildings (INSEE 2010): 3,115.5.
    assert s["population"] == pytest.approx(3115.5, abs=0.5)
    assert 250 < s["population_75p"] < 350


def test_lorient(manifest, capsys):
    """Lorient: generic mapping of NoiseModelling files and a DEM from 75 m points."""
    s = info(manifest("lorient"), capsys)
    assert s["layers"]["buildings"] == 1701 and s["layers"]["roads"] == 199
    assert s["layers"]["vegetation"] == 27
    assert s["dem"] == {**s["dem"], "resolution_m": 75.0, "derived": False, "method": "points"}
    assert s["dem"]["elevation_min_m"] == pytest.approx(-1.79, abs=0.01)
    assert s["network"]["edges"] > 0


def test_oisans(manifest, capsys):
    """Oisans: 9,423 BD TOPO buildings and the 50 m DEM, no roads (no network)."""
    s = info(manifest("oisans"), capsys)
    assert s["layers"]["buildings"] == 9423 and s["layers"]["roads"] == 0
    assert s["dem"]["resolution_m"] == pytest.approx(50.0, abs=0.05)
    assert s["dem"]["derived"] is False
    assert 480 <= s["dem"]["elevation_min_m"] and s["dem"]["elevation_max_m"] <= 3553
    assert s["network"] is None


def test_redon(manifest, capsys):
    """Redon: OpenStreetMap XML in WGS84, reprojected to Lambert-93."""
    s = info(manifest("redon"), capsys)
    assert s["layers"]["buildings"] == 1053 and s["layers"]["roads"] == 350
    # every feature dropped or repaired is counted, with its cause
    assert "redon.osm.gz : 31 contours que l'assembleur OSM refusait" in "\n".join(s["notes"])
    assert ("redon.osm.gz : 20 objets coupés par le bord de l'extrait ignorés (moins de trois "
            "de leurs nœuds dans le fichier : aucune surface)") in "\n".join(s["notes"])
    x0, y0, x1, y1 = s["extent"]
    assert 317_000 < x0 < x1 < 320_000 and 6_739_000 < y0 < y1 < 6_741_000
    assert s["dem"] is None and s["network"]["nodes"] > 0


def test_human_readable_summary(manifest, capsys):
    """Without --json: a French summary naming layers, DEM kind and network."""
    assert main(["territory", "info", str(manifest("olemps"))]) == 0
    out = capsys.readouterr().out
    assert "bâtiments" in out and "2\u202f273" in out   # French thin space for thousands
    assert "dérivé" in out and "composantes connexes" in out


def test_demo_info_json(capsys):
    """`jumeau territory info demo --json`: the documented keys, with the demo's figures."""
    assert main(["territory", "info", "demo", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)
    assert s["crs"] == "EPSG:2154"
    assert s["layers"]["buildings"] == 2041 and s["layers"]["flood_zones"] > 0
    assert 3500 < s["population"] < 4500
    assert s["dem"]["resolution_m"] == 5.0 and s["dem"]["derived"] is False
    assert s["network"]["components"] == 1 and s["network"]["nodes"] > 100


def test_version(capsys):
    """`jumeau --version` prints the package version."""
    from jumeau import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"jumeau {__version__}"
