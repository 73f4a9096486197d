"""The embedded demo territory: reproducible, small, and realistic enough for scenarios."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
import shapely
from pyproj import Transformer
from rasterio import features

from jumeau.demo import hydraulics as hy
from jumeau.demo import plan
from jumeau.demo.report import hydraulic_check
from jumeau.demo.synth import synthesize
from jumeau.io import demo as demo_io
from jumeau.io.demo import BDTOPO_LAYERS, demo_path, write_demo
from jumeau.io.manifest import load_territory

DEMO = demo_path()
SEED = 42


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """The demo written again from the default seed."""
    out = tmp_path_factory.mktemp("demo") / "demo"
    write_demo(out, seed=SEED)
    return out


@pytest.fixture(scope="module")
def synthetic():
    """The demo commune synthesised in memory from the default seed."""
    return synthesize(SEED)


@pytest.fixture(scope="module")
def territory():
    """The committed demo, loaded through the manifest like any territory."""
    return load_territory(DEMO / "territory.yaml")


@pytest.fixture(scope="module")
def bdtopo() -> dict[str, gpd.GeoDataFrame]:
    """The committed BD TOPO layers, as stored."""
    return {name: pyogrio.read_dataframe(DEMO / "bdtopo/bdtopo.gpkg", layer=name)
            for name in BDTOPO_LAYERS}


@pytest.fixture(scope="module")
def tri() -> gpd.GeoDataFrame:
    """The committed TRI flood envelopes."""
    return pyogrio.read_dataframe(DEMO / demo_io.TRI_ENVELOPES)


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


#: Every vector layer of the demo: file (relative to the demo folder) and layer.
VECTOR_LAYERS = ([("bdtopo/bdtopo.gpkg", name) for name in BDTOPO_LAYERS]
                 + [(demo_io.TRI_ENVELOPES, None), (demo_io.TRI_DEPTHS, None),
                    ("insee/carreaux_200m.gpkg", "carreaux_200m"),
                    ("landmarks.geojson", None)])


def test_demo_path_holds_the_manifest():
    """demo_path() points at a folder with the territory manifest."""
    assert (DEMO / "territory.yaml").is_file()


@pytest.mark.slow
def test_regenerated_files_are_the_committed_ones(regenerated):
    """The same seed writes the same set of files as the committed demo."""
    assert _files(regenerated) == _files(DEMO)


@pytest.mark.slow
@pytest.mark.parametrize(("path", "layer"), VECTOR_LAYERS,
                         ids=[layer or path for path, layer in VECTOR_LAYERS])
def test_regenerated_vector_layers_are_identical(regenerated, path, layer):
    """Every vector layer regenerates with the same attributes and exact geometries."""
    old = pyogrio.read_dataframe(DEMO / path, layer=layer)
    new = pyogrio.read_dataframe(regenerated / path, layer=layer)
    pd.testing.assert_frame_equal(old.drop(columns="geometry"), new.drop(columns="geometry"))
    assert list(shapely.to_wkb(old.geometry.values)) == list(shapely.to_wkb(new.geometry.values))
    assert old.crs == new.crs


@pytest.mark.slow
def test_regenerated_dem_is_identical(regenerated):
    """The DEM regenerates with the same values, grid and CRS."""
    with rasterio.open(DEMO / "mnt/mnt_5m.tif") as a, \
            rasterio.open(regenerated / "mnt/mnt_5m.tif") as b:
        assert a.profile == b.profile
        np.testing.assert_array_equal(a.read(1), b.read(1))


@pytest.mark.slow
def test_regenerated_texts_are_identical(regenerated):
    """The manifest and the README regenerate word for word."""
    for name in ("territory.yaml", "README.md"):
        assert (regenerated / name).read_text() == (DEMO / name).read_text()


def test_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    """A failure while writing leaves neither a half-written demo nor a temp folder."""
    def boom(demo, root, seed):
        (root / "partial.txt").write_text("x")
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo_io, "_write_all", boom)
    with pytest.raises(RuntimeError):
        write_demo(tmp_path / "demo")
    assert list(tmp_path.iterdir()) == []


def test_total_size_is_at_most_5_mb():
    """The shipped demo stays small (≤ 5 MB)."""
    size = sum(p.stat().st_size for p in DEMO.rglob("*") if p.is_file())
    assert size <= 5 * 1024 * 1024


def test_dem_format():
    """The DEM is a tiled, compressed float32 GeoTIFF in Lambert-93 with no holes."""
    with rasterio.open(DEMO / "mnt/mnt_5m.tif") as src:
        z = src.read(1)
        assert src.crs.to_epsg() == 2154 and src.res == (5.0, 5.0)
        assert src.nodata == -99999 and src.dtypes[0] == "float32"
        assert src.profile["tiled"] and src.compression.name.lower() == "deflate"
    assert z.shape == (400, 480) and (z != -99999).all() and np.isfinite(z).all()


def test_every_layer_is_non_empty():
    """Every layer of every file holds features."""
    for path, layer in VECTOR_LAYERS:
        assert pyogrio.read_info(DEMO / path, layer=layer)["features"] > 0, (path, layer)


def test_population_of_a_small_town():
    """The INSEE-like grid counts 3,500 to 4,500 residents."""
    grid = pyogrio.read_dataframe(DEMO / "insee/carreaux_200m.gpkg")
    assert 3500 <= grid["ind"].sum() <= 4500
    assert grid.crs.to_epsg() == 3035


def test_grid_cells_are_aligned_and_named():
    """Grid cells are 200 m squares on the EPSG:3035 grid, named by their corner."""
    grid = pyogrio.read_dataframe(DEMO / "insee/carreaux_200m.gpkg")
    xmin, ymin, xmax, ymax = shapely.bounds(grid.geometry.values).T
    assert np.allclose(xmax - xmin, 200) and np.allclose(ymax - ymin, 200)
    assert np.allclose(xmin % 200, 0) and np.allclose(ymin % 200, 0)
    expected = [f"CRS3035RES200mN{int(y)}E{int(x)}" for x, y in zip(xmin, ymin)]
    assert list(grid["idcar_200m"]) == expected
    assert (grid["ind"] > 0).all()


@pytest.mark.slow
def test_grid_counts_the_residents_of_the_buildings(synthetic):
    """Each cell's population is the sum of the residents whose building lies in it."""
    demo = synthetic
    homes = demo.residents > 0
    pts = shapely.get_coordinates(shapely.point_on_surface(
        demo.bdtopo["batiment"].geometry.values[homes]))
    x, y = Transformer.from_crs(2154, 3035, always_xy=True).transform(pts[:, 0], pts[:, 1])
    ids = [f"CRS3035RES200mN{int(yy // 200 * 200)}E{int(xx // 200 * 200)}"
           for xx, yy in zip(x, y)]
    expected = pd.Series(demo.residents[homes]).groupby(ids).sum()
    grid = demo.population_grid.set_index("idcar_200m")["ind"]
    pd.testing.assert_series_equal(grid.sort_index(), expected.sort_index().astype(float),
                                   check_names=False)


def test_commune_area(bdtopo):
    """The commune covers 2 to 4 km²."""
    assert 2e6 <= bdtopo["commune"].area.sum() <= 4e6


def test_buildings_count_and_attributes(bdtopo):
    """About 2,000 buildings, with some heights and dwelling counts missing."""
    b = bdtopo["batiment"]
    assert 1500 <= len(b) <= 2500
    residential = b["usage_1"] == "Résidentiel"
    known = b.loc[residential, "nombre_de_logements"].notna().mean()
    assert 0.5 <= known <= 0.7
    heights = (b["hauteur"] > 0).mean()
    assert 0.8 <= heights <= 0.9
    assert (b["altitude_maximale_sol"] >= b["altitude_minimale_sol"]).all()


def test_facilities_are_present(territory):
    """Town hall, schools, nursing home, fire station, depot and unloading site exist."""
    counts = territory.facilities["facility"].value_counts()
    for kind in ("town_hall", "nursing_home", "fire_station", "waste_depot",
                 "waste_unloading"):
        assert counts.get(kind, 0) >= 1, kind
    assert counts.get("school", 0) >= 2


def test_drivable_network_is_connected(territory):
    """Every drivable road can be reached from every other (one strong component)."""
    net = territory.network
    assert net.n_nodes > 100
    assert net.n_components == 1
    assert len(np.unique(net.strong_components)) == 1


def test_one_way_streets_present(territory):
    """Some streets of the centre are one-way, in both digitising directions."""
    oneway = territory.roads["oneway"]
    assert (oneway == 1).sum() >= 3 and (oneway == -1).sum() >= 3


def test_roads_are_split_at_every_intersection(bdtopo):
    """Tronçons meet only at shared end vertices, as in BD TOPO."""
    g = bdtopo["troncon_de_route"].geometry.values
    left, right = shapely.STRtree(g).query(g, predicate="intersects")
    pairs = left < right
    ends = shapely.multipoints(shapely.get_coordinates(shapely.boundary(g)).reshape(-1, 2, 2))
    for i, j in zip(left[pairs], right[pairs]):
        meet = shapely.intersection(g[i], g[j])
        assert shapely.covers(shapely.intersection(ends[i], ends[j]), meet), (i, j)


def test_bridge_crosses_the_river(bdtopo):
    """The bridge tronçons are above ground and cross the river surface."""
    roads = bdtopo["troncon_de_route"]
    bridge = roads[roads["position_par_rapport_au_sol"] == "1"]
    assert len(bridge) >= 1
    river = bdtopo["surface_hydrographique"].geometry.union_all()
    assert shapely.crosses(bridge.geometry.union_all(), river)
    on_ground = roads[roads["position_par_rapport_au_sol"] == "0"].geometry.union_all()
    assert shapely.length(shapely.intersection(on_ground, river)) < 1.0


def test_flood_envelopes_are_nested(tri):
    """01For lies within 02Moy, which lies within 04Fai."""
    env = tri.set_index("scenario").geometry
    for small, big in (("01For", "02Moy"), ("02Moy", "04Fai")):
        outside = shapely.area(shapely.difference(env[small], env[big]))
        assert outside < 0.001 * shapely.area(env[small]), (small, big)


def test_valley_is_lower_than_the_suburbs(bdtopo, tri):
    """River bed < floodplain < hills where the suburbs are."""
    with rasterio.open(DEMO / "mnt/mnt_5m.tif") as src:
        z = src.read(1)
        transform = src.transform

    def level(geom) -> float:
        inside = features.geometry_mask([geom], z.shape, transform, invert=True)
        return float(np.median(z[inside]))

    river = bdtopo["surface_hydrographique"].geometry.union_all()
    medium = tri.set_index("scenario").geometry["02Moy"]
    floodplain = shapely.difference(medium, shapely.buffer(river, 20.0))
    houses = bdtopo["batiment"]
    extreme = tri.set_index("scenario").geometry["04Fai"]
    dry = ~shapely.intersects(houses.geometry.values, extreme)
    suburbs = houses.loc[dry & (houses["usage_1"] == "Résidentiel"), "altitude_minimale_sol"]
    assert level(river) + 2.0 < level(floodplain) < float(suburbs.median()) - 5.0


def test_fire_station_is_above_the_extreme_flood(territory, tri):
    """The fire station stands outside the 1000-year envelope."""
    station = territory.facilities.query("facility == 'fire_station'").geometry.union_all()
    assert not shapely.intersects(station, tri.set_index("scenario").geometry["04Fai"])


def test_nursing_home_is_in_a_flood_zone(territory, tri):
    """The nursing home lies in the medium or extreme envelope."""
    home = territory.facilities.query("facility == 'nursing_home'").geometry.union_all()
    env = tri.set_index("scenario").geometry
    assert shapely.intersects(home, env["02Moy"]) or shapely.intersects(home, env["04Fai"])


def test_levee_crest_is_above_the_100_year_level():
    """The levee crest stands 0.3–0.5 m above the 100-year level (normal depth)."""
    with rasterio.open(DEMO / "mnt/mnt_5m.tif") as src:
        z = src.read(1).astype(float)
    marks = pyogrio.read_dataframe(DEMO / "landmarks.geojson").set_index("name")
    q100 = float(marks.loc["river_inflow", "q100_discharge_m3s"].split(",")[1])
    sections = hy.cross_sections(z)
    level = hy.normal_levels(sections, q100)
    levee = shapely.get_coordinates(shapely.segmentize(marks.geometry["levee"], 2.0))
    col, row = ~plan.FRAME.transform @ (levee[:, 0], levee[:, 1])
    crest = z[row.astype(int), col.astype(int)]
    uv = plan.to_local(levee)
    _, chainage = plan.FRAME.river_coordinates(uv[:, 0], uv[:, 1])
    freeboard = crest - np.interp(chainage, sections.chainage_m, level)
    # Where the levee meets the hills the ground rises above the crest: judge the rest.
    embankment = freeboard < 1.0
    assert embankment.mean() > 0.8
    assert 0.3 <= freeboard[embankment].min() and freeboard[embankment].max() <= 0.5


def test_landmarks_are_named_and_placed():
    """The landmarks the scenario files use exist, on the DEM."""
    marks = pyogrio.read_dataframe(DEMO / "landmarks.geojson")
    assert set(marks["name"]) == {"river_inflow", "river_outflow", "quay", "levee",
                                  "levee_breach", "town_centre"}
    box = shapely.box(*plan.FRAME.bounds)
    assert shapely.contains(box, marks.geometry.values).all()
    breach = marks.set_index("name").geometry["levee_breach"]
    assert 40 <= breach.length <= 60


@pytest.mark.slow
def test_quay_wall_and_levee_do_their_job(synthetic):
    """At Q100 the low streets behind the quay flood 0.3–1.5 m deep unless a 1.2 m wall
    stands on the quay; the levee keeps its district dry, a breach floods it."""
    check = hydraulic_check(synthetic)
    assert 0.3 <= check.behind_quay_depth_m[1] <= 1.5
    assert check.behind_quay_depth_m[2] <= 1.5
    assert check.wall_protects
    assert check.district_dry
    assert check.breach_area_m2 > 50_000 and check.breach_depth_m[0] > 0.5
    assert 1.5 <= check.levee_height_m[1] <= 2.5
