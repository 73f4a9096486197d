"""The heatwave kind end to end on tiny territories, and bad input."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine

from jumeau.errors import JumeauError
from jumeau.heat import KIND, HeatParams, simulate
from jumeau.io.manifest import load_territory
from jumeau.io.references import resolve
from jumeau.scenario.spec import read_scenario


@pytest.fixture(scope="module")
def tiny(tiny_site):
    return load_territory(tiny_site)


def _params(scenario_dir=None, **values) -> HeatParams:
    params = HeatParams.model_validate(values, context={"scenario_dir": scenario_dir})
    resolve(params)
    return params


def test_one_period_mode_gives_invest_grids(tiny):
    """`day` and `night` with t_ref_c give one grid each, between T_ref and T_ref + UHI."""
    r = simulate(tiny, _params(**KIND.example), seed=0)
    rasters = r.rasters()
    day, night = rasters["air_temperature_day_c"].values, rasters["air_temperature_night_c"].values
    assert np.nanmin(day) >= 30 and np.nanmax(day) <= 33
    assert np.nanmin(night) >= 20 and np.nanmax(night) <= 24
    # Houses are warmer than open ground at night (building intensity).
    b = r.buildings
    assert b["night_anomaly_c"].min() > np.nanmin(r.night_anomaly_c)


def test_episode_run_gives_every_declared_output(tiny):
    """An episode run fills every declared indicator, grid, layer, table and series."""
    r = simulate(tiny, _params(episode={"tmin_c": [20, 22, 23], "tmax_c": [33, 35, 36]},
                               departement="75"), seed=3)
    declared = {t: {o.name for o in KIND.outputs_of(t)} for t in
                ("indicator", "grid", "layer", "table", "series")}
    assert set(r.indicators()) == declared["indicator"]
    assert set(r.rasters()) == declared["grid"]
    assert set(r.layers()) == declared["layer"]
    assert set(r.tables()) == declared["table"]
    assert set(r.series()) == declared["series"]
    ep = r.tables()["episode_by_day"]
    assert ep["heatwave"].tolist() == [True, True, True]  # means 21.7 / 34.7 ≥ 21 / 31
    assert r.indicators()["plan_registered"] >= 1


def test_same_seed_same_plan(tiny):
    """The plan's table is the same for the same seed."""
    p = _params(episode={"reference": "paris-2003"})
    a, b = simulate(tiny, p, seed=5), simulate(tiny, p, seed=5)
    pd.testing.assert_frame_equal(a.plan_by_day, b.plan_by_day)


def test_mixing_distance_below_the_cell_size_is_refused(tiny):
    """A mixing distance under one cell names the field."""
    with pytest.raises(JumeauError) as err:
        simulate(tiny, _params(resolution_m=20, mixing_distance_m=15), seed=0)
    assert err.value.field == "simulate.heatwave.mixing_distance_m"


@pytest.mark.parametrize(("episode", "message"), [
    ({"tmin_c": [20, 30], "tmax_c": [30, 25]}, "Tmin above Tmax on day(s) 2"),
    ({"tmin_c": [], "tmax_c": []}, "no days"),
])
def test_bad_episodes_name_the_file_and_field(tmp_path, episode, message):
    """Tmin above Tmax, or no days: an error with the scenario file, its line and field."""
    import yaml

    path = tmp_path / "canicule.yaml"
    path.write_text(yaml.safe_dump({"name": "x", "territory": "demo",
                                    "simulate": {"heatwave": {"episode": episode}}}))
    with pytest.raises(JumeauError) as err:
        read_scenario(path)
    text = err.value.render("en")
    assert err.value.path == path and "episode" in (err.value.field or "")
    assert message in text


def test_a_raster_only_territory_runs_with_its_table(tmp_path):
    """A territory with only a land-cover raster runs the heat model with a user table."""
    data = np.ones((60, 60), dtype="int16")
    data[20:40, 20:40] = 2                            # a 4 ha park in a sealed town
    with rasterio.open(tmp_path / "lulc.tif", "w", driver="GTiff", width=60, height=60,
                       count=1, dtype="int16", crs="EPSG:2154", nodata=0,
                       transform=Affine(10, 0, 650000, 0, -10, 6600600)) as dst:
        dst.write(data, 1)
    (tmp_path / "territory.yaml").write_text("name: R\nlayers:\n  landcover: {path: lulc.tif}\n")
    (tmp_path / "table.csv").write_text("lucode,kc,shade,albedo,green_area,building_intensity\n"
                                        "1,0.1,0,0.1,0,0.6\n2,1.0,0.8,0.2,1,0\n")
    t = load_territory(tmp_path)
    r = simulate(t, _params(tmp_path, biophysical_table="table.csv",
                            day={"t_ref_c": 30, "uhi_max_c": 3}, plan=None), seed=0)
    day = r.rasters()["air_temperature_day_c"].values
    assert day[30, 30] < day[5, 5]                    # the park is cooler than the town
    with pytest.raises(JumeauError) as err:
        simulate(t, _params(day={"t_ref_c": 30, "uhi_max_c": 3}), seed=0)
    assert err.value.field == "simulate.heatwave.biophysical_table"


def test_a_uniform_et0_raster_gives_the_constant_result(tiny, tmp_path):
    """ETI = kc·ET0/max(ET0): a uniform ET0 raster changes nothing against `et0_mm`."""
    from jumeau.io.landcover import read_et0_raster

    with rasterio.open(tmp_path / "et0.tif", "w", driver="GTiff", width=10, height=10, count=1,
                       dtype="float32", crs="EPSG:2154",
                       transform=Affine(100, 0, 649500, 0, -100, 6600900)) as dst:
        dst.write(np.full((10, 10), 4.0, dtype="float32"), 1)
    assert read_et0_raster(tmp_path / "et0.tif").elevation_m.max() == 4.0
    day = {"t_ref_c": 30, "uhi_max_c": 3}
    a = simulate(tiny, _params(tmp_path, et0="et0.tif", day=day, plan=None), seed=0)
    b = simulate(tiny, _params(day=day, plan=None), seed=0)
    np.testing.assert_allclose(a.day_anomaly_c, b.day_anomaly_c, atol=1e-6)


def test_cool_roofs_where_the_park_term_prevails_say_so():
    """The demo's cool roofs on public buildings change no air temperature: every one of
    their roof cells lies where the park term sets the heat mitigation index (InVEST:
    HM = CC_park > CC). The run says so, with the count; the baseline, without roofs of
    their own albedo, does not."""
    from jumeau.io.demo import scenarios_path
    from jumeau.scenario.runner import apply_measures, load_territory
    from jumeau.scenario.runner import simulate as run_variant

    spec = read_scenario(scenarios_path() / "canicule-2003.yaml")
    base = load_territory("demo")
    notes, day = {}, {}
    for variant in ("aujourd-hui", "toits-frais-publics"):
        result = run_variant(apply_measures(base, spec, variant), spec, variant)["heatwave"]
        notes[variant] = [n.fr for n in result.notes if "toitures" in n.fr]
        day[variant] = result.rasters()["air_temperature_day_c"].values
    np.testing.assert_array_equal(day["aujourd-hui"], day["toits-frais-publics"])
    assert notes["aujourd-hui"] == []
    (note,) = notes["toits-frais-publics"]
    k, n = map(int, re.search(r"(\d+) mailles sur (\d+)", note).groups())
    assert k == n > 0


def test_cool_roofs_that_change_the_air_get_no_such_note(tiny):
    """On the tiny territory (no 2 ha of green space), cool roofs on every building
    change the day's air temperature, and the run has no note about the park term."""
    from jumeau.measures.landcover import CoolRoofs

    params = _params(**KIND.example)
    roofs = CoolRoofs(building_ids=tiny.buildings["building_id"].astype(str).tolist(),
                      roof_albedo=0.9).apply(tiny)
    before, after = simulate(tiny, params, seed=0), simulate(roofs, params, seed=0)
    day = "air_temperature_day_c"
    assert np.nanmax(before.rasters()[day].values - after.rasters()[day].values) > 0
    assert not [n for n in after.notes if "toitures" in n.fr]
