"""Estimation rules for missing building attributes, and population from the INSEE grid."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from jumeau.territory.estimate import EstimationRules, cell_totals, estimate_buildings
from jumeau.territory.schema import conform

RULES = EstimationRules()


def buildings(rows) -> gpd.GeoDataFrame:
    """rows: (x, y, side_m, use, height_m, levels, dwellings)."""
    geoms = [shapely.box(x, y, x + s, y + s) for x, y, s, *_ in rows]
    frame = gpd.GeoDataFrame({
        "use": [r[3] for r in rows], "height_m": [r[4] for r in rows],
        "levels": [r[5] for r in rows], "dwellings": [r[6] for r in rows]},
        geometry=geoms, crs=2154)
    return conform(frame, "buildings")


def test_height_from_levels_and_levels_from_height():
    """3 storeys → 9 m; 7.4 m → 2 storeys; both flagged as estimated; data kept."""
    b = buildings([(0, 0, 10, "residential", np.nan, 3, 1),
                   (20, 0, 10, "residential", 7.4, np.nan, 1),
                   (40, 0, 10, "residential", 12.0, 4, 1)])
    out, notes = estimate_buildings(b, RULES)
    np.testing.assert_allclose(out["height_m"], [9.0, 7.4, 12.0])
    np.testing.assert_allclose(out["levels"], [3, 2, 4])
    assert out["height_estimated"].tolist() == [True, False, False]
    assert out["levels_estimated"].tolist() == [False, True, False]
    assert any("étages" in str(n) for n in notes)


def test_zero_height_is_missing_and_default_by_use():
    """BD TOPO's height 0 means unknown: the default for the use applies."""
    b = buildings([(0, 0, 10, "industrial", 0.0, np.nan, np.nan),
                   (20, 0, 10, "annex", np.nan, np.nan, np.nan)])
    out, _ = estimate_buildings(b, RULES)
    np.testing.assert_allclose(out["height_m"], [8.0, 3.0])
    np.testing.assert_allclose(out["levels"], [3.0, 1.0])


def test_dwellings_from_floor_area():
    """A small 2-storey house holds 1 dwelling; a 20×20 m 4-storey block 1600/80 = 20."""
    b = buildings([(0, 0, 10, "residential", 6.0, 2, np.nan),
                   (20, 0, 20, "residential", 12.0, 4, np.nan),
                   (50, 0, 20, "commercial", 12.0, 4, np.nan),
                   (80, 0, 4, "residential", 3.0, 1, np.nan)])
    out, _ = estimate_buildings(b, RULES)
    np.testing.assert_allclose(out["dwellings"], [1, 20, 0, 0])
    assert out["dwellings_estimated"].tolist() == [True, True, False, True]


def test_population_from_dwellings_and_household_size():
    """Without a grid, residents = dwellings × household size (configurable)."""
    b = buildings([(0, 0, 10, "residential", 6.0, 2, 3), (20, 0, 10, "commercial", 6, 2, 0)])
    out, _ = estimate_buildings(b, EstimationRules(household_size=2.5))
    np.testing.assert_allclose(out["population"], [7.5, 0.0])
    assert out["population_estimated"].tolist() == [True, False]


def test_grid_population_preserved_exactly_per_cell():
    """Each 200 m cell's population is shared among its buildings and its total kept."""
    cells = gpd.GeoDataFrame({
        "cell_id": ["a", "b", "c"], "population": [100.0, 35.0, 12.0],
        "population_65_79": [10.0, 0.0, 3.0], "population_80p": [5.0, 1.0, 0.0]},
        geometry=[shapely.box(0, 0, 200, 200), shapely.box(200, 0, 400, 200),
                  shapely.box(400, 0, 600, 200)], crs=2154)
    cells = conform(cells, "population")
    b = buildings([(10, 10, 10, "residential", 6, 2, np.nan),     # cell a, 200 m² floor
                   (50, 50, 20, "residential", 9, 3, np.nan),     # cell a, 1200 m²
                   (120, 50, 10, "annex", 3, 1, np.nan),          # cell a, annex: no one
                   (250, 50, 10, "unknown", 3, 1, np.nan),        # cell b: only unknown use
                   (450, 50, 5, "annex", 3, 1, np.nan)])          # cell c: only an annex
    out, notes = estimate_buildings(b, RULES, cells)
    pop = out["population"].to_numpy()
    assert pop[0] + pop[1] == pytest.approx(100.0, abs=1e-9)
    assert pop[1] / pop[0] == pytest.approx(1200 / 200)
    assert pop[2] == 0.0
    assert pop[3] == pytest.approx(35.0)
    assert pop[4] == 0.0                        # annexes never get residents
    p75 = out["population_75p"].to_numpy()
    assert p75[0] + p75[1] == pytest.approx(5 + 0.3 * 10)
    assert any("12" in str(n) for n in notes)   # the 12 people of cell c are reported lost


def test_partial_rules_fall_back_to_defaults():
    """Rules from a partial mapping keep defaults; an unknown key is refused."""
    r = EstimationRules.from_dict({"household_size": 2.4})
    assert r.household_size == 2.4 and r.metres_per_level == 3.0
    with pytest.raises(KeyError):
        EstimationRules.from_dict({"houshold_size": 2.4})


def test_olemps_grid_population_preserved_per_covered_cell(manifest):
    """Olemps: every INSEE cell holding buildings keeps its population within one person."""
    from jumeau.io.manifest import load_territory

    t = load_territory(manifest("olemps"))
    totals = cell_totals(t.buildings, t.population)
    covered = totals[totals["buildings"] > 0]
    with_people = covered[covered["buildings_population"] > 0]
    assert len(with_people) > 100
    diff = (with_people["grid_population"] - with_people["buildings_population"]).abs()
    assert diff.max() <= 1.0
    assert t.total_population == pytest.approx(with_people["grid_population"].sum(), abs=1.0)
    assert len(t.buildings) == 2273
