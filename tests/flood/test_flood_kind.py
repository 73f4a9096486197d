"""The flood simulation kind on a small territory: runs, measures, and bad inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jumeau.cli.main import main
from jumeau.scenario.runner import run
from jumeau.scenario.spec import read_scenario

X0, Y0 = 650_000.0, 6_600_000.0
INFLOW = f"[[{X0 + 2}, {Y0 + 2}], [{X0 + 2}, {Y0 + 38}]]"


def flood_yaml(territory: Path, extra: str = "", measures: str = "[]",
               inflow: str = INFLOW, q: str = "[0, 150, 150]", t: str = "[0, 0.3, 1]",
               duration: float = 1.0) -> str:
    return f"""name: petite-crue
title: Petite crue
territory: {territory}
measures: {measures}
simulate:
  flood:
    duration_h: {duration}
    inflows:
      - line: {inflow}
        hydrograph: {{time_h: {t}, discharge_m3s: {q}}}
    outflow: {{east: null}}
{extra}"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_flood_run_conserves_mass_and_floods_the_low_houses(tmp_path, tiny_site):
    """150 m³/s in the channel: the first row of houses floods, mass error < 0.1 %."""
    spec = write(tmp_path, flood_yaml(tiny_site, extra="""    observation_points:
      - {name: quai, point: [650200, 6600050]}
"""))
    result = run(read_scenario(spec), write=False)
    ind = result.indicators()
    flood = result.results["flood"]
    assert abs(flood.solution.mass_balance.relative_error) < 1e-3
    assert abs(ind["mass_balance_error_pct"]) < 0.1
    assert ind["flooded_buildings"] >= 1
    b = flood.buildings
    # Houses of the first row (y 60–72 m) are the lowest: they flood first.
    assert b.loc[b["flooded"], "geometry"].bounds["miny"].min() < Y0 + 61
    assert flood.observations["name"].tolist() == ["quai"]
    assert flood.solution.observation_level_m.shape[0] == 1


def test_flood_reports_its_progress(tmp_path, tiny_site):
    """The runner hears the flood start, then the simulated time done, up to 100 %."""
    from jumeau.scenario.runner import load_territory as cached_territory
    from jumeau.scenario.runner import simulate

    scenario = read_scenario(write(tmp_path, flood_yaml(tiny_site, duration=0.5)))
    heard = []
    simulate(cached_territory(scenario.territory_source()), scenario,
             progress=lambda kind, done: heard.append((kind, done)))
    assert heard[0] == ("flood", None)
    fractions = [done for _, done in heard[1:]]
    assert len(fractions) >= 3                 # at each snapshot (10 min) and event
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert {kind for kind, _ in heard} == {"flood"}

def test_wall_measure_protects(tmp_path, tiny_site):
    """A 2 m wall along the bank keeps the houses dry that flood without it."""
    base = run(read_scenario(write(tmp_path, flood_yaml(tiny_site))), write=False)
    wall = f"""
  - type: wall
    line: [[{X0}, {Y0 + 47}], [{X0 + 600}, {Y0 + 47}]]
    crest_height_m: 2.0"""
    walled = run(read_scenario(write(tmp_path, flood_yaml(tiny_site, measures=wall))),
                 write=False)
    n_base = base.indicators()["flooded_buildings"]
    assert n_base > 0 and walled.indicators()["flooded_buildings"] == 0
    # The wall raised the ground along its line by exactly 2 m.
    z0 = base.territory.terrain.elevation_m
    z1 = walled.territory.terrain.elevation_m
    raised = np.isclose(z1 - z0, 2.0)
    assert raised.sum() >= 120 and np.isclose(z1[~raised], z0[~raised]).all()
    assert walled.results["flood"].structures["kind"].tolist() == ["wall"]


def test_wall_failure_lets_water_through(tmp_path, tiny_site):
    """The same wall failing at 0.2 h over 100 m floods houses again."""
    wall = f"""
  - type: wall
    line: [[{X0}, {Y0 + 47}], [{X0 + 600}, {Y0 + 47}]]
    crest_height_m: 2.0
    fails: {{time_h: 0.2, width_m: 100}}"""
    r = run(read_scenario(write(tmp_path, flood_yaml(tiny_site, measures=wall))), write=False)
    assert r.indicators()["flooded_buildings"] > 0


def test_raise_floor_and_remove_obstacle(tmp_path, tiny_site):
    """Raised floors cut the damage; a removed building is no longer there."""
    spec = flood_yaml(tiny_site)
    base = run(read_scenario(write(tmp_path, spec)), write=False).indicators()
    raise_all = f"""
  - type: raise_floor
    polygon: [[{X0}, {Y0}], [{X0 + 600}, {Y0}], [{X0 + 600}, {Y0 + 400}], [{X0}, {Y0 + 400}]]
    floor_height_m: 3.0
  - type: remove_obstacle
    polygon: [[{X0 + 290}, {Y0 + 40}], [{X0 + 350}, {Y0 + 40}], [{X0 + 350}, {Y0 + 90}],
              [{X0 + 290}, {Y0 + 90}]]"""
    r = run(read_scenario(write(tmp_path, flood_yaml(tiny_site, measures=raise_all))),
            write=False)
    assert base["damage_eur"] > 0 and r.indicators()["damage_eur"] == 0
    assert len(r.territory.buildings) == 13                    # the school is gone
    assert set(r.territory.structures["kind"]) == {"raised_floor", "removed"}


def test_rain_on_roofs_reaches_the_ground(tmp_path, tiny_site):
    """With buildings blocked, roof rain falls around them: rain volume = rate × area."""
    text = f"""name: orage
territory: {tiny_site}
simulate:
  flood:
    duration_h: 0.5
    rain: {{time_h: [0, 0.25], rate_mm_h: [40], infiltration_mm_h: 0}}
"""
    r = run(read_scenario(write(tmp_path, text)), write=False).results["flood"]
    area = 600 * 400
    assert r.solution.mass_balance.rain_m3 == pytest.approx(0.040 * 0.25 * area, rel=1e-9)
    assert abs(r.solution.mass_balance.relative_error) < 1e-9


def test_rain_by_zone(tmp_path, tiny_site):
    """Two rain zones with their own hyetographs: each zone receives its own volume."""
    text = f"""name: orage
territory: {tiny_site}
simulate:
  flood:
    duration_h: 0.5
    buildings: raised
    rain:
      - {{time_h: [0, 0.25], rate_mm_h: [40], infiltration_mm_h: 0,
         polygon: [[{X0}, {Y0}], [{X0 + 300}, {Y0}], [{X0 + 300}, {Y0 + 400}], [{X0}, {Y0 + 400}]]}}
      - {{time_h: [0, 0.5], rate_mm_h: [10], infiltration_mm_h: 0,
         polygon: [[{X0 + 300}, {Y0}], [{X0 + 600}, {Y0}], [{X0 + 600}, {Y0 + 400}], [{X0 + 300}, {Y0 + 400}]]}}
"""
    r = run(read_scenario(write(tmp_path, text)), write=False).results["flood"]
    half = 300 * 400
    expected = 0.040 * 0.25 * half + 0.010 * 0.5 * half
    assert r.solution.mass_balance.rain_m3 == pytest.approx(expected, rel=1e-9)



def test_drains_and_soil_that_match_the_rain_keep_the_town_dry(tmp_path, tiny_site):
    """A network draining 40 mm/h from sealed ground and roofs, a soil taking 40 mm/h:
    a 40 mm/h rain leaves no water on land, roof water included (it falls on the
    building's edge cells, whose drain capacity grows by the roof's share)."""
    text = f"""name: orage
territory: {tiny_site}
simulate:
  flood:
    duration_h: 0.5
    rain: {{time_h: [0, 0.25], rate_mm_h: [40], infiltration_mm_h: 40, drainage_mm_h: 40}}
"""
    r = run(read_scenario(write(tmp_path, text)), write=False).results["flood"]
    balance = r.solution.mass_balance
    land = ~r.water & ~r.blocked
    assert r.solution.max_depth_m[land].max() < 1e-9
    assert balance.drainage_m3 > 0 and balance.infiltration_m3 > 0
    rain_on_land = balance.rain_m3 - balance.final_storage_m3
    assert balance.drainage_m3 + balance.infiltration_m3 == pytest.approx(rain_on_land,
                                                                          rel=1e-9)


BAD = {
    "inflow point outside the grid": (
        lambda t: flood_yaml(t).replace(f"line: {INFLOW}", "point: [700000, 6600000]"),
        ["simulate.flood.inflows.0.point", "point (700000.0, 6600000.0) is outside the DEM grid",
         "check the coordinates"]),
    "negative time": (
        lambda t: flood_yaml(t, t="[-1, 0.3, 1]"),
        ["line 10", "simulate.flood.inflows.0.hydrograph.time_h", "times must be >= 0 h"]),
    "unsorted times": (
        lambda t: flood_yaml(t, t="[0, 1, 0.3]"),
        ["simulate.flood.inflows.0.hydrograph.time_h", "times must increase strictly"]),
    "negative discharge": (
        lambda t: flood_yaml(t, q="[0, -150, 150]"),
        ["discharges must be >= 0 m3/s"]),
    "negative duration": (
        lambda t: flood_yaml(t, duration=-2),
        ["line 7", "simulate.flood.duration_h", "greater than 0"]),
    "rain in the wrong unit": (
        lambda t: flood_yaml(t, extra="    rain: {time_h: [0, 1], rate_mm_h: [50000]}\n"),
        ["simulate.flood.rain", "between 0 and 500 mm/h (is it in mm/h?)"]),
    "wall outside the territory": (
        lambda t: flood_yaml(t, measures="\n  - {type: wall, line: [[100, 100], [200, 200]], "
                                         "crest_height_m: 1}"),
        ["line 5", "measures.0.line", "lies outside the territory"]),
    "observation point in a building": (
        lambda t: flood_yaml(t, extra="    observation_points:\n      - {name: école, point: "
                                      "[650320, 6600065]}\n"),
        ["line 13", "observation point 'école' is inside a building", "move it"]),
    "unknown surface in manning": (
        lambda t: flood_yaml(t, extra="    manning: {forrest: 0.1}\n"),
        ["simulate.flood.manning", "unknown surface 'forrest' (did you mean 'forest'?)"]),
    "nothing brings water": (
        lambda t: f"name: x\nterritory: {t}\nsimulate:\n  flood: {{duration_h: 1}}\n",
        ["nothing brings water"]),
    "typo in a flood key": (
        lambda t: flood_yaml(t).replace("outflow:", "outflw:"),
        ["unknown key 'outflw'", "did you mean 'outflow'?"]),
}


def test_outputs_of_a_flood_run(tmp_path, tiny_site):
    """`jumeau run` writes the grids, the tables and the layers, consistent with the
    indicators: the buildings layer flags exactly the flooded buildings counted."""
    import json

    import geopandas as gpd
    import pandas as pd
    import pyogrio

    out = tmp_path / "out"
    assert main(["-q", "run", str(write(tmp_path, flood_yaml(tiny_site))), "--out",
                 str(out)]) == 0
    for name in ("map.html", "max_depth_m.tif", "max_velocity_ms.tif", "arrival_time_min.tif",
                 "time_of_max_min.tif", "final_depth_m.tif", "hazard_class.tif",
                 "mass_balance.csv", "scenario.resolved.yaml"):
        assert (out / name).is_file(), name
    indicators = json.loads((out / "indicators.json").read_text())["indicators"]
    layers = set(pyogrio.list_layers(out / "layers.gpkg")[:, 0])
    assert {"buildings_flood", "roads_flood"} <= layers
    buildings = gpd.read_file(out / "layers.gpkg", layer="buildings_flood")
    assert int(buildings["flooded"].astype(bool).sum()) == indicators["flooded_buildings"] > 0
    balance = pd.read_csv(out / "mass_balance.csv")
    assert {"rain_m3", "infiltration_m3", "drainage_m3", "error_m3"} <= set(balance.columns)

@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_flood_inputs(tmp_path, tiny_site, capsys, case):
    """Each bad flood input: exit 2, a located message, no output folder."""
    make, expected = BAD[case]
    spec = write(tmp_path, make(tiny_site))
    out = tmp_path / "out"
    code = main(["--lang", "en", "run", str(spec), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err and f"file {spec}" in err
    for piece in expected:
        assert piece in err, (piece, err)
    assert not out.exists()


def test_no_dem(tmp_path, tiny_site, capsys):
    """A territory without a DEM: the flood kind says it needs one and how to add it."""
    manifest = tmp_path / "t.yaml"
    text = tiny_site.read_text().replace("  dem:         {path: mnt.tif}\n", "")
    manifest.write_text(text.replace("path: ", f"path: {tiny_site.parent}/"))
    spec = write(tmp_path, flood_yaml(manifest))
    assert main(["--lang", "en", "run", str(spec), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "simulation 'flood' needs a terrain model (DEM)" in err
    assert "add a `dem:` layer to the territory manifest" in err and "line 6" in err


def test_too_big_for_memory(tmp_path, tiny_site, capsys, monkeypatch):
    """A run needing more memory than available says so before starting."""
    from jumeau.flood import solver
    from jumeau.scenario.runner import clear_cache

    clear_cache()  # an earlier test may have cached this very run's result
    monkeypatch.setattr(solver, "available_memory_bytes", lambda: 100_000)
    spec = write(tmp_path, flood_yaml(tiny_site))
    assert main(["--lang", "en", "run", str(spec), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "the run needs" in err and "GB are available" in err and "larger cells" in err
