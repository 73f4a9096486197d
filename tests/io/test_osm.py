"""Tests of the OpenStreetMap reader (jumeau.io.osm)."""

from __future__ import annotations

import bz2
import gzip
import math
import os
import warnings
from collections import Counter
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from jumeau.errors import JumeauError
from jumeau.io import osm
from jumeau.io.osm import LAYERS, parse_length_m, parse_number, parse_speed_kmh, read_osm
from jumeau.territory.schema import ESTIMATE_FLAGS, SCHEMAS

# -- helpers ------------------------------------------------------------------------------


def write_osm(path: Path, nodes: dict[int, tuple[float, float]] | None = None,
              ways: list[tuple[int, list[int], dict]] = (),
              relations: list[tuple[int, list[tuple[str, int, str]], dict]] = (),
              node_tags: dict[int, dict] | None = None) -> Path:
    """Write a small OSM XML file: nodes {id: (lon, lat)}, ways, relations with tags."""

    def tags_xml(tags: dict) -> str:
        return "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())

    node_tags = node_tags or {}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<osm version="0.6">']
    for nid, (lon, lat) in (nodes or {}).items():
        lines.append(f'<node id="{nid}" lat="{lat}" lon="{lon}">{tags_xml(node_tags.get(nid, {}))}'
                     "</node>")
    for wid, refs, tags in ways:
        nds = "".join(f'<nd ref="{r}"/>' for r in refs)
        lines.append(f'<way id="{wid}">{nds}{tags_xml(tags)}</way>')
    for rid, members, tags in relations:
        mem = "".join(f'<member type="{t}" ref="{r}" role="{role}"/>' for t, r, role in members)
        lines.append(f'<relation id="{rid}">{mem}{tags_xml(tags)}</relation>')
    lines.append("</osm>")
    text = "\n".join(lines)
    if path.name.endswith(".gz"):
        path.write_bytes(gzip.compress(text.encode()))
    elif path.name.endswith(".bz2"):
        path.write_bytes(bz2.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def square(first_id: int, lon: float, lat: float, size: float = 0.001) -> dict:
    """Four nodes of a square with its south-west corner at (lon, lat)."""
    return {first_id: (lon, lat), first_id + 1: (lon + size, lat),
            first_id + 2: (lon + size, lat + size), first_id + 3: (lon, lat + size)}


def ring(first_id: int) -> list[int]:
    """The closed node list of the square starting at ``first_id``."""
    return [first_id, first_id + 1, first_id + 2, first_id + 3, first_id]


def gdal(path: Path, layer: str) -> gpd.GeoDataFrame:
    """A layer of GDAL's OSM driver, as a reference."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyogrio.read_dataframe(f"/vsigzip/{path}", layer=layer, on_invalid="ignore")


def ways_with_missing_nodes(path: Path) -> set[str]:
    """Ids ("w…") of ways that reference nodes absent from the file (a clipped extract)."""
    out = set()
    for obj in osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY
                                    ).with_locations():
        if obj.is_way() and not all(n.location.valid() for n in obj.nodes):
            out.add(f"w{obj.id}")
    return out


def messages(exc: pytest.ExceptionInfo) -> tuple[str, str]:
    """The French and English renderings of a JumeauError."""
    return exc.value.render("fr"), exc.value.render("en")


@pytest.fixture
def redon(shared_data: Path) -> Path:
    """The Redon centre extract (OSM XML, gzip)."""
    return shared_data / "redon_osm" / "redon.osm.gz"


# -- Redon: counts checked against GDAL's OSM driver ------------------------------------


def test_redon_buildings_match_gdal(redon):
    """Redon buildings are GDAL's, the 31 rings cut by the extract edge rebuilt; only the
    20 with fewer than three known nodes (no area) are skipped and counted."""
    ours = read_osm(redon, "buildings")
    ref = gdal(redon, "multipolygons")
    ref = ref[ref["building"].notna()]
    ref_ids = np.where(ref["osm_way_id"].notna(), "w" + ref["osm_way_id"].astype(str),
                       "r" + ref["osm_id"].astype(str))
    assert len(ref) == 1073
    assert len(ours) == 1053
    # GDAL drops missing nodes and builds what it can from the rest (3 null, 21 invalid,
    # 27 truncated footprints); libosmium refuses such rings: we rebuild them through
    # their known nodes (made valid) and skip, counted, those with no area left.
    assert ours.attrs["rebuilt"] == 31 and ours.attrs["skipped"] == ours.attrs["cut"] == 20
    dropped = set(ref_ids) - set(ours["building_id"])
    assert len(dropped) == 20 and dropped <= ways_with_missing_nodes(redon)
    # What GDAL gives for those 20 has no area: two-node rings (invalid, read as None)
    # or nothing. Every GDAL building with an area is ours.
    gone = ref.geometry.values[np.isin(ref_ids, sorted(dropped))]
    assert all(g is None or g.area == 0 for g in gone)
    assert (shapely.area(ref.geometry.values[~np.isin(ref_ids, sorted(dropped))]) > 0).all()
    assert set(ours["building_id"]) <= set(ref_ids)
    ref_geom = dict(zip(ref_ids, ref.geometry.values))
    theirs = np.array([ref_geom[i] for i in ours["building_id"]], dtype=object)
    same = shapely.equals(ours.geometry.values, theirs) | shapely.equals(
        ours.geometry.values, shapely.make_valid(theirs))
    assert same.all()
    assert shapely.is_valid(ours.geometry.values).all()


def test_redon_building_attributes(redon):
    """Redon buildings carry the use, facility and name read from their tags."""
    b = read_osm(redon, "buildings").set_index("building_id")
    assert dict(Counter(b["use"])) == {"unknown": 1030, "public": 17, "commercial": 4,
                                       "annex": 2}
    assert b.loc["w122532870", "facility"] == "town_hall"  # the mairie, amenity=townhall
    assert b.loc["w122532870", "name"] == "Redon"
    assert b.loc["r6782126", "facility"] == "school"  # a multipolygon building
    assert dict(Counter(b["facility"])) == {"": 1046, "other": 5, "town_hall": 1,
                                            "school": 1}
    assert b["levels"].notna().sum() == 2
    assert b["ground_z_m"].isna().all()


def test_redon_roads_match_gdal(redon):
    """Redon roads are GDAL's 350 highway lines, with the same vertices."""
    ours = read_osm(redon, "roads")
    ref = gdal(redon, "lines")
    ref = ref[ref["highway"].notna()].set_index("w" + ref["osm_id"][ref["highway"].notna()])
    assert len(ours) == len(ref) == 350
    assert set(ours["road_id"]) == set(ref.index)
    assert dict(Counter(ours["road_class"])) == {
        "path": 125, "residential": 88, "service": 66, "primary": 24, "steps": 24,
        "tertiary": 13, "secondary": 6, "track": 3, "cycleway": 1}
    # 10 ways have a single node inside the extract (skipped, GDAL drops them too);
    # 35 lost some nodes, one of them in the middle: it becomes two parts where GDAL
    # joins the parts with a straight segment across the gap.
    assert ours.attrs["skipped"] == 10 and ours.attrs["clipped"] == 35
    geoms = ours.set_index("road_id").geometry
    exact = shapely.equals_exact(geoms.values, ref.geometry[geoms.index].values, 0)
    assert (~exact).sum() == 1
    gap = geoms.index[~exact][0]
    assert geoms[gap].geom_type == "MultiLineString"
    assert np.array_equal(shapely.get_coordinates(geoms[gap]),
                          shapely.get_coordinates(ref.geometry[gap]))


def test_redon_road_attributes(redon):
    """Redon roads get speeds, one-way flags and bridges from their tags."""
    roads = read_osm(redon, "roads")
    assert roads["speed_kmh"].isna().sum() == 292
    assert roads["speed_kmh"].value_counts().to_dict() == {50.0: 38, 30.0: 19, 20.0: 1}
    assert dict(Counter(roads["oneway"])) == {0: 312, 1: 38}
    assert roads["bridge"].sum() == 12 and roads["tunnel"].sum() == 0
    assert roads["oneway"].dtype == np.int8


def test_redon_ways_share_exact_vertices(redon):
    """Redon roads meet at identical coordinates wherever their ways share an OSM node."""
    roads = read_osm(redon, "roads")
    coords, line = shapely.get_coordinates(roads.geometry.values, return_index=True)
    per_point = Counter(map(tuple, np.unique(np.c_[coords, line], axis=0)[:, :2]))
    shared_points = sum(1 for n in per_point.values() if n > 1)
    # The same count from node ids: nodes (with a location) used by two or more roads.
    keep = set(roads["road_id"])
    users: Counter = Counter()
    for obj in osmium.FileProcessor(str(redon), osmium.osm.NODE | osmium.osm.WAY
                                    ).with_locations():
        if obj.is_way() and f"w{obj.id}" in keep:
            users.update({n.ref for n in obj.nodes if n.location.valid()})
    assert shared_points == sum(1 for n in users.values() if n > 1)
    assert shared_points == 429


def test_redon_water_match_gdal(redon):
    """Redon water has GDAL's 15 waterway lines and the water areas inside the extract."""
    water = read_osm(redon, "water")
    lines = water[water.geom_type == "LineString"]
    assert dict(Counter(lines["kind"])) == {"canal": 9, "drain": 5, "river": 1}
    ref = gdal(redon, "lines")
    ref = ref[ref["waterway"].isin(["canal", "drain", "river"])]
    assert set(lines["water_id"]) == set("w" + ref["osm_id"])
    areas = water[water.geom_type == "MultiPolygon"]
    assert dict(Counter(areas["kind"])) == {"canal": 4, "reservoir": 2, "riverbank": 3,
                                            "river": 1}
    assert "La Vilaine" in set(water["name"])
    # Skipped: 2 drains with a single node in the extract and 1 water area with fewer
    # than three; 4 water areas clipped by the extract are closed through their nodes.
    assert water.attrs["skipped"] == 3 and water.attrs["rebuilt"] == 4


def test_redon_vegetation_facilities_boundary(redon):
    """Redon vegetation, facilities and boundary layers have the measured content."""
    veg = read_osm(redon, "vegetation")
    # The one leisure=sports_centre is a building: not land cover.
    assert dict(Counter(veg["cover"])) == {"trees": 320, "grass": 125, "park": 3,
                                           "garden": 3, "hedge": 1, "farmland": 1,
                                           "forest": 1}
    assert dict(Counter(veg.geom_type)) == {"Point": 317, "MultiPolygon": 133,
                                            "LineString": 4}
    assert veg.attrs["rebuilt"] == 3
    fac = read_osm(redon, "facilities")
    assert dict(Counter(fac["facility"])) == {"school": 7, "other": 3, "police": 1}
    assert fac.attrs["rebuilt"] == 2
    boundary = read_osm(redon, "boundary")
    assert boundary.empty and list(boundary.columns) == ["name", "insee_code", "population",
                                                          "geometry"]
    assert boundary.attrs["skipped"] == 2  # admin_level=8 relations cut by the extract


@pytest.mark.parametrize("layer", list(LAYERS))
def test_redon_layers_are_canonical(redon, layer):
    """Every layer has exactly the canonical columns, in EPSG:4326."""
    frame = read_osm(redon, layer)
    assert list(frame.columns) == [*SCHEMAS[layer], *ESTIMATE_FLAGS.get(layer, ()),
                                   "geometry"]
    assert frame.crs.to_epsg() == 4326
    assert isinstance(frame.attrs["skipped"], int)


def test_redon_parsed_once(redon, tmp_path, monkeypatch):
    """All layers of one file come from a single parse; a changed file is parsed again."""
    calls = []
    original = osm._read_file

    def counting(path):
        calls.append(path)
        return original(path)

    monkeypatch.setattr(osm, "_read_file", counting)
    copy = tmp_path / "redon.osm.gz"
    copy.write_bytes(redon.read_bytes())
    osm._parse.cache_clear()
    for layer in LAYERS:
        read_osm(copy, layer)
    assert len(calls) == 1
    stat = copy.stat()
    os.utime(copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    read_osm(copy, "roads")
    assert len(calls) == 2
    osm._parse.cache_clear()


def test_redon_result_is_a_copy(redon):
    """Changing a returned layer does not change what the next read returns."""
    first = read_osm(redon, "buildings")
    first.loc[0, "use"] = "changed"
    assert read_osm(redon, "buildings").loc[0, "use"] != "changed"


def test_redon_pbf_gives_same_layers(redon, tmp_path):
    """The Redon data written as PBF gives layers identical to the gzipped XML."""
    pbf = tmp_path / "redon.osm.pbf"
    with osmium.SimpleWriter(str(pbf)) as writer:
        for obj in osmium.FileProcessor(str(redon)):
            writer.add(obj)
    for layer in LAYERS:
        ref = read_osm(redon, layer)
        frame = read_osm(pbf, layer)
        assert_geodataframe_equal(frame, ref, check_less_precise=False)
        assert frame.attrs == ref.attrs


@pytest.mark.parametrize("suffix", [".osm.gz", ".osm.bz2"])
def test_compressed_xml(tmp_path, suffix):
    """Gzip and bzip2 XML give the same layer as plain XML."""
    nodes = {**square(1, 0.0, 0.0), 10: (0.1, 0.1), 11: (0.2, 0.1)}
    ways = [(1, ring(1), {"building": "house"}), (2, [10, 11], {"highway": "track"})]
    plain = write_osm(tmp_path / "a.osm", nodes, ways=ways)
    packed = write_osm(tmp_path / f"a{suffix}", nodes, ways=ways)
    for layer in ("buildings", "roads"):
        expected = read_osm(plain, layer)
        assert len(expected) == 1
        assert_geodataframe_equal(read_osm(packed, layer), expected)


# -- tag rules on small hand-written files ---------------------------------------------


def test_building_tags(tmp_path):
    """Building use, facility, height, levels and dwellings follow the documented rules."""
    nodes = {**square(1, 0.0, 0.0), **square(11, 0.01, 0.0), **square(21, 0.02, 0.0),
             **square(31, 0.03, 0.0), **square(41, 0.04, 0.0)}
    path = write_osm(tmp_path / "b.osm", nodes, ways=[
        (1, ring(1), {"building": "house", "height": "12 m", "building:levels": "3",
                      "building:flats": "4"}),
        (2, ring(11), {"building": "yes", "amenity": "townhall", "name": "Mairie",
                       "height": "40'"}),
        (3, ring(21), {"building": "garage", "height": "tall", "building:levels": "2;3"}),
        (4, ring(31), {"building": "no", "amenity": "school"}),
        (5, ring(41), {"building": "yes", "shop": "bakery", "height": "12,5"}),
    ])
    b = read_osm(path, "buildings").set_index("building_id")
    assert list(b.index) == ["w1", "w2", "w3", "w5"]
    assert b.loc["w1", ["use", "facility", "height_m", "levels", "dwellings"]].tolist() == [
        "residential", "", 12.0, 3.0, 4.0]
    assert b.loc["w2", ["use", "facility", "name"]].tolist() == ["public", "town_hall",
                                                                 "Mairie"]
    assert b.loc["w2", "height_m"] == pytest.approx(12.192)
    assert b.loc["w3", "use"] == "annex"
    assert np.isnan(b.loc["w3", "height_m"]) and np.isnan(b.loc["w3", "levels"])
    assert b.loc["w5", ["use", "height_m"]].tolist() == ["commercial", 12.5]
    # building=no with amenity=school is school grounds: a facility, not a building.
    fac = read_osm(path, "facilities")
    assert fac["facility"].tolist() == ["school"]


def test_multipolygon_building_with_hole(tmp_path):
    """A multipolygon relation becomes one building whose hole is kept."""
    nodes = {**square(1, 0.0, 0.0, 0.003), **square(11, 0.001, 0.001, 0.001)}
    path = write_osm(tmp_path / "mp.osm", nodes, ways=[
        (1, ring(1), {}), (2, ring(11), {})],
        relations=[(9, [("way", 1, "outer"), ("way", 2, "inner")],
                    {"type": "multipolygon", "building": "apartments", "name": "Cour"})])
    b = read_osm(path, "buildings")
    assert b["building_id"].tolist() == ["r9"]
    assert b.loc[0, ["use", "name"]].tolist() == ["residential", "Cour"]
    expected = shapely.box(0, 0, 0.003, 0.003).difference(shapely.box(0.001, 0.001,
                                                                      0.002, 0.002))
    geom = b.geometry.iloc[0]
    assert len(geom.geoms) == 1 and len(geom.geoms[0].interiors) == 1
    assert geom.equals(expected)


def test_broken_ring_is_rebuilt_and_counted(tmp_path):
    """A self-intersecting building ring (a bow tie) libosmium rejects is made valid (two
    triangles) and counted in attrs['rebuilt']."""
    nodes = {1: (0.0, 0.0), 2: (0.001, 0.0), 3: (0.0, 0.001), 4: (0.001, 0.001),
             **square(11, 0.01, 0.0)}
    path = write_osm(tmp_path / "bow.osm", nodes, ways=[
        (1, [1, 2, 3, 4, 1], {"building": "yes"}), (2, ring(11), {"building": "yes"})])
    b = read_osm(path, "buildings")
    assert sorted(b["building_id"]) == ["w1", "w2"]
    assert b.attrs["skipped"] == 0 and b.attrs["rebuilt"] == 1
    bowtie = b.geometry[b["building_id"] == "w1"].iloc[0]
    assert len(bowtie.geoms) == 2 and bowtie.area == pytest.approx(0.5e-6)


def test_road_tags(tmp_path):
    """Road class, speed, one-way, width, bridge and tunnel follow the documented rules."""
    nodes = {i: (0.001 * i, 0.0) for i in range(1, 20)}
    nodes[20] = (0.0, 0.001)
    path = write_osm(tmp_path / "r.osm", nodes, ways=[
        (1, [1, 2], {"highway": "residential", "maxspeed": "FR:zone30", "oneway": "-1",
                     "name": "Rue du Port"}),
        (2, [2, 3], {"highway": "primary_link", "maxspeed": "50 mph", "width": "7 m",
                     "bridge": "viaduct"}),
        (3, [3, 4, 20, 3], {"highway": "tertiary", "junction": "roundabout",
                            "maxspeed": "FR:urban"}),
        (4, [4, 5], {"highway": "motorway", "maxspeed": "130"}),
        (5, [5, 6], {"highway": "motorway", "oneway": "no"}),
        (6, [6, 7], {"highway": "footway", "tunnel": "building_passage"}),
        (7, [7, 8], {"highway": "service", "tunnel": "yes", "oneway": "yes"}),
        (8, [8, 9], {"highway": "proposed"}),
        (9, [9, 10, 11, 9], {"highway": "pedestrian", "area": "yes"}),
        (10, [11, 12], {"highway": "living_street", "maxspeed": "walk"}),
        (11, [12, 13], {"highway": "steps"}),
        (12, [13, 14], {"highway": "bus_guideway"}),
    ])
    r = read_osm(path, "roads").set_index("road_id")
    assert list(r.index) == ["w1", "w2", "w3", "w4", "w5", "w6", "w7", "w10", "w11", "w12"]
    assert r.loc["w1", ["road_class", "speed_kmh", "oneway", "name"]].tolist() == [
        "residential", 30.0, -1, "Rue du Port"]
    assert r.loc["w2", ["road_class", "width_m", "bridge"]].tolist() == ["primary", 7.0, True]
    assert r.loc["w2", "speed_kmh"] == pytest.approx(80.47, abs=0.01)
    assert r.loc["w3", ["oneway", "speed_kmh"]].tolist() == [1, 50.0]
    assert r.loc["w3"].geometry.geom_type == "LineString"  # a closed way stays a line
    assert r.loc["w4", "oneway"] == 1 and r.loc["w5", "oneway"] == 0
    assert r.loc["w6", ["road_class", "tunnel"]].tolist() == ["path", False]
    assert r.loc["w7", ["tunnel", "oneway", "bridge"]].tolist() == [True, 1, False]
    assert r.loc["w10", ["road_class", "speed_kmh"]].tolist() == ["residential", 6.0]
    assert r.loc["w11", "road_class"] == "steps" and np.isnan(r.loc["w11", "speed_kmh"])
    assert r.loc["w12", "road_class"] == "unknown"


def test_ways_are_not_split_and_share_nodes(tmp_path):
    """A way keeps all its nodes as vertices; a shared node gives identical coordinates."""
    nodes = {1: (-2.0851234, 47.6512345), 2: (-2.0850001, 47.6513333),
             3: (-2.0849876, 47.6514567), 4: (-2.0848765, 47.6511111)}
    path = write_osm(tmp_path / "s.osm", nodes, ways=[
        (1, [1, 2, 3], {"highway": "residential"}), (2, [4, 2], {"highway": "service"})])
    r = read_osm(path, "roads")
    a, b = (shapely.get_coordinates(g) for g in r.geometry)
    assert len(a) == 3
    assert tuple(a[1]) == tuple(b[1]) == (-2.0850001, 47.6513333)


def test_clipped_ways(tmp_path):
    """Missing nodes split a way into parts; a way with one known node is skipped."""
    nodes = {1: (0.0, 0.0), 2: (0.001, 0.0), 4: (0.003, 0.0), 5: (0.004, 0.0)}
    path = write_osm(tmp_path / "c.osm", nodes, ways=[
        (1, [1, 2, 3, 4, 5], {"highway": "residential"}),
        (2, [1, 2, 6], {"highway": "service"}),
        (3, [6, 7, 5], {"highway": "service"}),
    ])
    r = read_osm(path, "roads")
    assert r["road_id"].tolist() == ["w1", "w2"]
    assert r.geometry.iloc[0].geom_type == "MultiLineString"
    assert len(r.geometry.iloc[0].geoms) == 2
    assert r.geometry.iloc[1].equals(shapely.LineString([(0, 0), (0.001, 0)]))
    assert r.attrs == {"skipped": 1, "clipped": 2, "repaired": 0, "rebuilt": 0, "cut": 0}


def test_facility_tags(tmp_path):
    """Facility nodes and non-building polygons go to the facilities layer, mapped."""
    nodes = {**square(1, 0.0, 0.0), **square(11, 0.01, 0.0),
             100: (0.1, 0.1), 101: (0.2, 0.1), 102: (0.3, 0.1), 103: (0.4, 0.1),
             104: (0.5, 0.1), 105: (0.6, 0.1)}
    path = write_osm(tmp_path / "f.osm", nodes, ways=[
        (1, ring(1), {"amenity": "hospital", "name": "CH"}),
        (2, ring(11), {"building": "yes", "amenity": "fire_station"}),
    ], node_tags={
        100: {"amenity": "townhall", "name": "Mairie"},
        101: {"amenity": "kindergarten"},
        102: {"amenity": "recycling", "recycling_type": "centre"},
        103: {"amenity": "social_facility", "social_facility": "nursing_home"},
        104: {"amenity": "recycling", "recycling_type": "container"},
        105: {"amenity": "police", "building": "yes"},
    })
    fac = read_osm(path, "facilities")
    assert sorted(zip(fac["facility"], fac.geom_type)) == [
        ("childcare", "Point"), ("hospital", "MultiPolygon"), ("nursing_home", "Point"),
        ("town_hall", "Point"), ("waste_unloading", "Point")]
    assert "Mairie" in set(fac["name"])
    b = read_osm(path, "buildings")
    assert b["facility"].tolist() == ["fire_station"] and b["use"].tolist() == ["public"]


def test_water_and_vegetation_tags(tmp_path):
    """Water kinds and land covers follow the documented rules; buildings are not cover."""
    nodes = {**square(1, 0.0, 0.0), **square(11, 0.01, 0.0), **square(21, 0.02, 0.0),
             **square(31, 0.03, 0.0), **square(41, 0.04, 0.0),
             100: (0.1, 0.1), 101: (0.2, 0.1), 102: (0.3, 0.1)}
    path = write_osm(tmp_path / "wv.osm", nodes, ways=[
        (1, ring(1), {"natural": "water", "water": "pond"}),
        (2, ring(11), {"natural": "water"}),
        (3, ring(21), {"landuse": "meadow", "leisure": "pitch"}),
        (4, ring(31), {"barrier": "hedge"}),
        (5, [100, 101], {"waterway": "ditch", "width": "1.5"}),
        (6, [101, 102], {"waterway": "weir"}),
        (7, ring(41), {"building": "yes", "leisure": "sports_centre"}),
    ], node_tags={102: {"natural": "tree"}})
    water = read_osm(path, "water").set_index("water_id")
    assert water["kind"].to_dict() == {"w5": "drain", "w1": "pond", "w2": "lake"}
    assert water.loc["w5", "width_m"] == 1.5
    veg = read_osm(path, "vegetation").set_index("vegetation_id")
    assert veg["cover"].to_dict() == {"w3": "sports", "w4": "hedge", "n102": "trees"}
    assert veg.loc["w4"].geometry.geom_type == "LineString"  # a closed hedge stays a line
    assert veg.loc["n102"].geometry.geom_type == "Point"


def test_boundary_tags(tmp_path):
    """An admin_level=8 boundary relation gives the commune's name, INSEE code and population."""
    nodes = square(1, -2.1, 47.6, 0.01)
    path = write_osm(tmp_path / "bd.osm.gz", nodes, ways=[(1, [1, 2, 3], {}),
                                                          (2, [3, 4, 1], {})],
                     relations=[(7, [("way", 1, "outer"), ("way", 2, "outer")],
                                 {"type": "boundary", "boundary": "administrative",
                                  "admin_level": "8", "name": "Redon",
                                  "ref:INSEE": "35236", "population": "9000"})])
    bd = read_osm(path, "boundary")
    assert bd[["name", "insee_code", "population"]].values.tolist() == [
        ["Redon", "35236", 9000.0]]
    assert bd.geometry.iloc[0].equals(shapely.box(-2.1, 47.6, -2.09, 47.61))


def test_layer_absent_gives_empty_canonical_frame(tmp_path):
    """A file without buildings gives an empty buildings frame with canonical columns."""
    path = write_osm(tmp_path / "e.osm", {1: (0, 0), 2: (0.001, 0)},
                     ways=[(1, [1, 2], {"highway": "track"})])
    b = read_osm(path, "buildings")
    assert b.empty and b.attrs["skipped"] == 0
    assert list(b.columns) == [*SCHEMAS["buildings"], *ESTIMATE_FLAGS["buildings"],
                               "geometry"]


@pytest.mark.parametrize(("text", "metres"), [
    ("12", 12.0), ("12 m", 12.0), ("12.5m", 12.5), ("12,5", 12.5), ("40'", 12.192),
    ("40'6\"", 12.3444), ("30 ft", 9.144), (" 7 ", 7.0), ("tall", math.nan),
    ("10-12", math.nan), ("", math.nan), (None, math.nan), ("12 furlongs", math.nan)])
def test_parse_length_m(text, metres):
    """Length tags are read with their units, NaN when unreadable."""
    result = parse_length_m(text)
    assert (math.isnan(result) and math.isnan(metres)) or result == pytest.approx(metres)


@pytest.mark.parametrize(("text", "kmh"), [
    ("50", 50.0), ("50 km/h", 50.0), ("50 mph", 80.47), ("FR:urban", 50.0),
    ("FR:rural", 80.0), ("FR:zone30", 30.0), ("FR:zone:20", 20.0), ("FR:30", 30.0),
    ("walk", 6.0), ("FR:motorway", 130.0), ("none", math.nan), ("signals", math.nan),
    ("50;30", math.nan), (None, math.nan)])
def test_parse_speed_kmh(text, kmh):
    """maxspeed values, French implicit limits included, are read in km/h."""
    result = parse_speed_kmh(text)
    assert (math.isnan(result) and math.isnan(kmh)) or result == pytest.approx(kmh, abs=0.01)


def test_parse_number():
    """Levels and flats accept plain numbers only."""
    assert parse_number("3") == 3.0 and parse_number("2,5") == 2.5
    assert math.isnan(parse_number("3;4")) and math.isnan(parse_number("R+2"))


# -- errors -------------------------------------------------------------------------------


def test_missing_file(tmp_path):
    """A missing file is reported in French and English with its path."""
    with pytest.raises(JumeauError) as exc:
        read_osm(tmp_path / "absent.osm.pbf", "roads")
    fr, en = messages(exc)
    assert "fichier introuvable" in fr and "file not found" in en
    assert "absent.osm.pbf" in en


def test_text_file_renamed_osm(tmp_path):
    """A text file named .osm is reported as not readable OpenStreetMap data."""
    path = tmp_path / "notes.osm"
    path.write_text("Liste des rues à vérifier\n", encoding="utf-8")
    with pytest.raises(JumeauError) as exc:
        read_osm(path, "buildings")
    fr, en = messages(exc)
    assert "fichier OpenStreetMap illisible ou corrompu" in fr
    assert "unreadable or corrupt OpenStreetMap file" in en and "notes.osm" in en
    assert "téléchargez à nouveau" in fr


def test_truncated_gzip(redon, tmp_path):
    """A truncated .osm.gz is reported as corrupt."""
    path = tmp_path / "cut.osm.gz"
    path.write_bytes(redon.read_bytes()[:100_000])
    with pytest.raises(JumeauError) as exc:
        read_osm(path, "roads")
    fr, en = messages(exc)
    assert "corrompu" in fr and "corrupt" in en


def test_unsorted_file(tmp_path):
    """A file whose objects are out of order is refused with the command that sorts it."""
    path = write_osm(tmp_path / "josm.osm", {1: (0, 0), 2: (0.001, 0)}, ways=[
        (5, [1, 2], {"highway": "service"}), (3, [2, 1], {"highway": "service"})])
    with pytest.raises(JumeauError) as exc:
        read_osm(path, "roads")
    fr, en = messages(exc)
    assert "out of order" in en and "osmium sort" in fr and "osmium sort" in en


def test_corrupt_pbf(tmp_path):
    """Bytes that are not PBF in a .osm.pbf file are reported as corrupt."""
    path = tmp_path / "x.osm.pbf"
    path.write_bytes(b"\x00\x01not a pbf at all" * 10)
    with pytest.raises(JumeauError, match="corrupt"):
        read_osm(path, "roads")


def test_wrong_extension(tmp_path):
    """A file that is not named as OSM data is refused with the accepted extensions."""
    path = tmp_path / "roads.geojson"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(JumeauError) as exc:
        read_osm(path, "roads")
    fr, en = messages(exc)
    assert "pas un fichier OpenStreetMap" in fr and "not an OpenStreetMap file" in en
    assert ".osm.pbf" in en


def test_unknown_layer(tmp_path):
    """A misspelt layer name gets a 'did you mean' hint in both languages."""
    path = write_osm(tmp_path / "e.osm", {1: (0, 0)})
    with pytest.raises(JumeauError) as exc:
        read_osm(path, "bulidings")
    fr, en = messages(exc)
    assert "couche OpenStreetMap inconnue" in fr and "unknown OpenStreetMap layer" in en
    assert "vouliez-vous dire « buildings »" in fr and "did you mean 'buildings'" in en
    assert exc.value.field == "bulidings"


def test_column_mapping_option_refused(tmp_path):
    """A column mapping, which OSM data cannot honour, is refused naming the option."""
    path = write_osm(tmp_path / "e.osm", {1: (0, 0)})
    with pytest.raises(JumeauError) as exc:
        read_osm(path, "roads", {"path": "e.osm", "columns": {"name": "nom"}})
    fr, en = messages(exc)
    assert exc.value.field == "columns"
    assert "option sans effet" in fr and "option has no effect" in en


def test_manifest_options_accepted(tmp_path):
    """The options the manifest loader passes along with every source are accepted."""
    path = write_osm(tmp_path / "e.osm", {1: (0, 0), 2: (0.001, 0)},
                     ways=[(1, [1, 2], {"highway": "track"})])
    options = {"path": "e.osm", "schema_": "osm", "crs": "EPSG:4326", "layer": "lines"}
    assert len(LAYERS["roads"](path, options)) == 1
