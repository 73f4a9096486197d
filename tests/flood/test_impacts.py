"""Flood impacts: damage curves, hazard classes, roads cut, isolation, building depths."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from affine import Affine
from pyproj import CRS

from jumeau.errors import JumeauError
from jumeau.flood import impacts
from jumeau.flood.damage import DamageCurves
from jumeau.flood.params import HazardRules, Thresholds
from jumeau.io.tables import read_damage_curves
from jumeau.territory import Territory
from jumeau.territory.schema import conform
from jumeau.territory.terrain import Terrain

JRC = DamageCurves.jrc_europe()


def test_damage_of_a_house_under_80_cm():
    """A 100 m² house under 0.8 m of water: 0.34 × 776 × 100 € (JRC Europe, France)."""
    damage = JRC.damage_eur(["residential"], [0.8], [100.0])
    assert damage[0] == pytest.approx(0.34 * 776 * 100)


def test_curves_by_use_and_beyond_the_table():
    """Commercial / industrial curves; public uses the commercial one; 8 m keeps factor 1."""
    assert JRC.factor("commercial", [1.0])[0] == pytest.approx(0.30)
    assert JRC.factor("industrial", [1.5])[0] == pytest.approx(0.40)
    d = JRC.damage_eur(["public", "industrial", "residential"], [2.0, 2.0, 8.0], [10, 10, 10])
    np.testing.assert_allclose(d, [0.55 * 1076 * 10, 0.52 * 873 * 10, 1.0 * 776 * 10])
    assert JRC.damage_eur(["residential"], [0.0], [100.0])[0] == 0.0


def test_user_damage_table(tmp_path):
    """A CSV replaces the curves; its max_eur_m2 row replaces the maximum damages."""
    (tmp_path / "amc.csv").write_text("depth_m,residential\n0,0\n1,0.5\n2,1\n"
                                      "max_eur_m2,1000\n")
    curves = read_damage_curves(tmp_path / "amc.csv")
    assert curves.damage_eur(["residential"], [0.5], [10.0])[0] == pytest.approx(0.25 * 10000)
    assert curves.damage_eur(["industrial"], [2.0], [1.0])[0] == pytest.approx(1000.0)
    (tmp_path / "bad.csv").write_text("depth_m,residential\n0,0\n1,1.5\n")
    with pytest.raises(JumeauError) as err:
        read_damage_curves(tmp_path / "bad.csv")
    assert "damage factors outside [0, 1]" in err.value.render("en")


def test_hazard_classes_follow_the_grid():
    """PPRI grid: depth and velocity classes → faible…très fort; dry cells 0."""
    depth = np.array([0.02, 0.3, 0.3, 0.3, 0.8, 1.5, 1.5, 2.5])
    speed = np.array([0.0, 0.1, 0.3, 0.6, 0.1, 0.1, 0.7, 0.0])
    np.testing.assert_array_equal(
        impacts.hazard_classes(depth, speed, HazardRules(), 0.05), [0, 1, 2, 3, 2, 3, 4, 4])
    custom = HazardRules(depth_edges_m=[1.0], velocity_edges_ms=[0.5], matrix=[[1, 2], [3, 4]])
    np.testing.assert_array_equal(
        impacts.hazard_classes(np.array([0.5, 1.2]), np.array([0.6, 0.0]), custom, 0.05), [2, 3])


def test_hazard_rating():
    """HR = d (v + 0.5) + DF with DF 0 / 0.5 / 1, and its four classes."""
    hr = impacts.hazard_rating(np.array([0.2, 0.5, 1.0, 0.0]), np.array([0.5, 1.0, 2.0, 1.0]))
    np.testing.assert_allclose(hr[:3], [0.2, 1.25, 3.5])
    assert np.isnan(hr[3])
    np.testing.assert_array_equal(impacts.hazard_rating_class(hr), [1, 3, 4, 0])


def tiny_grid(nx=40, ny=20) -> Terrain:
    return Terrain(np.zeros((ny, nx), np.float32), Affine(5, 0, 0, 0, -5, ny * 5),
                   CRS.from_epsg(2154))


def roads_frame(lines, bridge=None):
    n = len(lines)
    return conform(gpd.GeoDataFrame({
        "road_class": ["residential"] * n, "speed_kmh": [30.0] * n, "oneway": [0] * n,
        "bridge": bridge or [False] * n, "name": [f"r{i}" for i in range(n)]},
        geometry=[shapely.LineString(c) for c in lines], crs=2154), "roads")


def test_road_is_cut_above_30_cm_not_below():
    """A road under 0.31 m is cut for cars, under 0.29 m it is not; bridges stay open."""
    grid = tiny_grid()
    depth = np.zeros(grid.shape)
    depth[:, 10:20] = 0.31        # x from 50 to 100 m
    depth[:, 20:30] = 0.29        # x from 100 to 150 m
    roads = roads_frame([[(55, 50), (95, 50)], [(105, 50), (145, 50)], [(55, 30), (95, 30)]],
                        bridge=[False, False, True])
    t = Territory("t", roads=roads, terrain=grid)
    r = impacts.road_impacts(t, depth, grid, Thresholds())
    assert r["cut_car"].tolist() == [True, False, False]
    assert r["cut_emergency"].tolist() == [False, False, False]
    np.testing.assert_allclose(r["max_depth_m"], [0.31, 0.29, 0.0])


def test_building_depth_from_cells_around_and_floor_height():
    """A blocked building reads the water in the cells around it; a raised floor helps."""
    grid = tiny_grid()
    b = conform(gpd.GeoDataFrame({"use": ["residential", "residential"],
                                  "floor_z_m": [np.nan, 0.5], "population": [3.0, 2.0]},
                                 geometry=[shapely.box(50, 40, 60, 50), shapely.box(150, 40, 160,
                                                                                     50)],
                                 crs=2154), "buildings")
    t = Territory("t", buildings=b, terrain=grid)
    depth = np.full(grid.shape, 0.8)
    out = impacts.building_impacts(t, depth, grid, Thresholds(), JRC)
    np.testing.assert_allclose(out["depth_m"], [0.8, 0.8])
    np.testing.assert_allclose(out["depth_above_floor_m"], [0.8, 0.3])
    assert out["flooded"].all()
    np.testing.assert_allclose(out["damage_eur"], JRC.damage_eur(["residential"] * 2,
                                                                 [0.8, 0.3], [100, 100]))
    dry = impacts.building_impacts(t, np.full(grid.shape, 0.04), grid, Thresholds(), JRC)
    assert not dry["flooded"].any() and dry["damage_eur"].sum() == 0


def test_isolation_from_the_fire_station():
    """Cutting the only road between the fire station and a house isolates the house."""
    grid = tiny_grid()
    roads = roads_frame([[(5, 50), (100, 50)], [(100, 50), (195, 50)]])
    b = conform(gpd.GeoDataFrame({"facility": ["fire_station", "", ""],
                                  "population": [0.0, 4.0, 2.0]},
                                 geometry=[shapely.box(0, 55, 10, 65), shapely.box(190, 55, 198,
                                                                                   63),
                                           shapely.box(90, 55, 98, 63)], crs=2154), "buildings")
    t = Territory("t", buildings=b, roads=roads, terrain=grid)
    isolated = impacts.isolation(t, np.array([False, True]))
    assert isolated.tolist() == [False, True, False]
    assert impacts.isolation(t, np.array([False, False])).tolist() == [False, False, False]
    no_station = t.replace(buildings=b.assign(facility=""))
    assert impacts.isolation(no_station, np.array([False, True])) is None


def test_facilities_count_once():
    """Two flooded buildings of one school count as one facility hit."""
    frame = pd.DataFrame({"flooded": [True, True, True, False],
                          "facility": ["school", "school", "", "town_hall"],
                          "name": ["École", "École", "", "Mairie"],
                          "depth_above_floor_m": [0.2, 0.4, 1.0, 0.0]})
    hit = impacts.facilities_hit(frame)
    assert len(hit) == 1 and hit["depth_above_floor_m"].iloc[0] == 0.4
