"""The territory manifest: loading, reprojection, and a clear message for each bad input."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine

from jumeau.cli.main import main
from jumeau.io.manifest import load_territory


def write_buildings(path: Path, *, crs="EPSG:2154", n: int = 4, x0: float = 650_000,
                    invalid: bool = False) -> None:
    geoms = [shapely.box(x0 + 30 * i, 6_600_000, x0 + 30 * i + 12, 6_600_012) for i in range(n)]
    if invalid:  # a self-intersecting "bow tie"
        geoms[0] = shapely.Polygon([(x0, 6_600_000), (x0 + 10, 6_600_010), (x0 + 10, 6_600_000),
                                    (x0, 6_600_010)])
    gpd.GeoDataFrame({"HAUTEUR": [6.0] * n, "USAGE1": ["Résidentiel"] * n}, geometry=geoms,
                     crs=crs).to_file(path)


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A folder with a small valid buildings layer and a DEM under it."""
    write_buildings(tmp_path / "BATIMENT.shp")
    z = np.full((20, 40), 100.0, dtype="float32")
    with rasterio.open(tmp_path / "mnt.tif", "w", driver="GTiff", width=40, height=20, count=1,
                       dtype="float32", crs="EPSG:2154", nodata=-99999,
                       transform=Affine(5, 0, 649_950, 0, -5, 6_600_050)) as dst:
        dst.write(z, 1)
    return tmp_path


def manifest(folder: Path, text: str) -> Path:
    path = folder / "territory.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """name: Essai
layers:
  buildings: {path: BATIMENT.shp, schema: bdtopo}
  dem: {path: mnt.tif}
"""


def test_valid_manifest_and_folder_source(site, capsys):
    """A folder holding territory.yaml loads; --json gives the documented keys."""
    manifest(site, GOOD)
    code, out, _ = run(["territory", "info", str(site), "--json"], capsys)
    assert code == 0
    info = json.loads(out)
    assert info["crs"] == "EPSG:2154" and info["layers"]["buildings"] == 4
    assert info["dem"] == {**info["dem"], "resolution_m": 5.0, "derived": False}
    assert info["network"] is None and info["population"] > 0


def test_reprojection_to_another_projected_crs(site):
    """Layers are reprojected to the manifest's CRS (here CC46, EPSG:3946)."""
    manifest(site, GOOD.replace("name: Essai", "name: Essai\ncrs: EPSG:3946"))
    t = load_territory(site)
    assert t.crs.to_epsg() == 3946
    assert t.buildings.crs.to_epsg() == 3946 and t.terrain.crs.to_epsg() == 3946
    # Areas survive the change of projection (both conformal, scale factors ≈ 1).
    assert t.buildings.area.iloc[0] == pytest.approx(144.0, rel=2e-3)
    x0, y0, _, _ = t.buildings.total_bounds
    assert 1_600_000 < x0 < 1_800_000 and 5_100_000 < y0 < 5_300_000


def test_layer_in_geographic_crs_is_reprojected(site):
    """A layer in WGS84 degrees is reprojected to Lambert-93 on load."""
    write_buildings(site / "wgs.shp")
    gpd.read_file(site / "wgs.shp").to_crs(4326).to_file(site / "wgs84.shp")
    manifest(site, GOOD.replace("BATIMENT.shp", "wgs84.shp"))
    t = load_territory(site)
    np.testing.assert_allclose(t.buildings.total_bounds,
                               gpd.read_file(site / "BATIMENT.shp").total_bounds, atol=0.01)


CASES = {
    "typo in a key": (
        GOOD.replace("  buildings:", "  buidings:"),
        ["line 3", "unknown key 'buidings'", "did you mean 'buildings'?"]),
    "typo at top level": (
        GOOD.replace("name: Essai", "name: Essai\ncsr: EPSG:2154"),
        ["line 2", "unknown key 'csr'", "did you mean 'crs'?"]),
    "unknown schema": (
        GOOD.replace("schema: bdtopo", "schema: bdtopo3"),
        ["line 3", "field 'layers.buildings.schema'", "unknown value 'bdtopo3'",
         "did you mean 'bdtopo'?"]),
    "unknown layer": (
        GOOD + "  railways: {path: BATIMENT.shp}\n",
        ["line 5", "unknown key 'railways'", "allowed keys: boundary, buildings, roads"]),
    "missing file": (
        GOOD.replace("BATIMENT.shp", "BATIMENTS.shp"),
        ["BATIMENTS.shp", "file not found", "relative to the manifest"]),
    "geographic territory CRS": (
        GOOD.replace("name: Essai", "name: Essai\ncrs: EPSG:4326"),
        ["field 'crs'", "is not projected (degrees)", "EPSG:2154"]),
    "unknown CRS": (
        GOOD.replace("name: Essai", "name: Essai\ncrs: EPSG:99999"),
        ["unknown coordinate reference system 'EPSG:99999'"]),
    "schema without that layer": (
        GOOD.replace("schema: bdtopo", "schema: insee_grid"),
        ["schema 'insee_grid' does not provide layer 'buildings'", "bdtopo, osm"]),
    "generic column missing": (
        GOOD.replace("{path: BATIMENT.shp, schema: bdtopo}",
                     "{path: BATIMENT.shp, columns: {height_m: HAUT}}"),
        ["column 'HAUT' is not in the file (asked for height_m)", "did you mean 'HAUTEUR'?"]),
    "dem with two sources": (
        GOOD.replace("{path: mnt.tif}", "{path: mnt.tif, derive: true}"),
        ["line 4", "give exactly one of `path`, `points` or `derive: true`"]),
    "negative resolution": (
        GOOD.replace("{path: mnt.tif}", "{path: mnt.tif, resolution_m: -5}"),
        ["field 'layers.dem.resolution_m'", "greater than 0", "(value read: -5)"]),
    "bad YAML": (
        GOOD.replace("layers:", "layers: [\n"),
        ["invalid YAML", "line"]),
    "not a mapping": ("- a\n- b\n", ["must be a YAML mapping"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_manifest_messages(site, capsys, case):
    """Each manifest mistake: exit code 2, the file, the place and the fix, no traceback."""
    text, expected = CASES[case]
    path = manifest(site, text)
    code, out, err = run(["--lang", "en", "territory", "info", str(path)], capsys)
    assert code == 2
    assert "Traceback" not in err and out == ""
    assert "error: file " in err
    for piece in expected:
        assert piece in err, (piece, err)


def test_messages_are_french_by_default(site, capsys):
    """Without --lang the message is in French."""
    path = manifest(site, GOOD.replace("  buildings:", "  buidings:"))
    code, _, err = run(["territory", "info", str(path)], capsys)
    assert code == 2
    assert "clé inconnue « buidings »" in err and "vouliez-vous dire « buildings » ?" in err
    assert "ligne 3" in err


def test_corrupt_file(site, capsys):
    """A corrupt shapefile: named, called unreadable, exit 2."""
    (site / "bad.shp").write_bytes(b"this is not a shapefile at all" * 10)
    (site / "bad.dbf").write_bytes(b"\x00" * 50)
    (site / "bad.shx").write_bytes(b"\x00" * 100)
    path = manifest(site, GOOD.replace("BATIMENT.shp", "bad.shp"))
    code, _, err = run(["--lang", "en", "territory", "info", str(path)], capsys)
    assert code == 2 and "bad.shp" in err and "unreadable or corrupt file" in err


def test_corrupt_dem(site, capsys):
    """A corrupt GeoTIFF: named, called unreadable, exit 2."""
    (site / "broken.tif").write_bytes(b"II*\x00garbage")
    path = manifest(site, GOOD.replace("mnt.tif", "broken.tif"))
    code, _, err = run(["--lang", "en", "territory", "info", str(path)], capsys)
    assert code == 2 and "broken.tif" in err and "unreadable or corrupt DEM" in err


def test_layer_without_crs(site, capsys):
    """A shapefile without .prj: the message says so and how to fix it."""
    (site / "BATIMENT.prj").unlink()
    path = manifest(site, GOOD)
    code, _, err = run(["--lang", "en", "territory", "info", str(path)], capsys)
    assert code == 2
    assert "no coordinate reference system (no .prj?)" in err and "`crs: EPSG:2154`" in err
    # ... and the suggested fix works.
    manifest(site, GOOD.replace("schema: bdtopo}", "schema: bdtopo, crs: EPSG:2154}"))
    assert len(load_territory(site).buildings) == 4


def test_invalid_geometries_repaired_and_counted(site, capsys):
    """A self-intersecting footprint is repaired, counted in the notes, and kept."""
    write_buildings(site / "BATIMENT.shp", invalid=True)
    manifest(site, GOOD)
    t = load_territory(site)
    assert len(t.buildings) == 4 and t.buildings.is_valid.all()
    assert any("1 invalid geometries repaired" in n.render("en") for n in t.notes)


def test_empty_layer(site, capsys):
    """An empty layer is refused with the file and the fix."""
    gpd.GeoDataFrame({"HAUTEUR": []}, geometry=[], crs=2154).to_file(site / "empty.shp")
    path = manifest(site, GOOD.replace("BATIMENT.shp", "empty.shp"))
    code, _, err = run(["--lang", "en", "territory", "info", str(path)], capsys)
    assert code == 2 and "empty.shp" in err and "layer 'buildings' is empty" in err


def test_dem_nodata_holes(site, capsys):
    """DEM holes are filled and reported; with fill_holes: false they are an error."""
    with rasterio.open(site / "mnt.tif", "r+") as dst:
        z = dst.read(1)
        z[5:8, 10:14] = -99999
        dst.write(z, 1)
    manifest(site, GOOD)
    t = load_territory(site)
    assert t.terrain.filled_cells == 12
    assert np.allclose(t.terrain.elevation_m, 100.0)
    assert any("12 DEM nodata cells filled" in n.render("en") for n in t.notes)
    path = manifest(site, GOOD.replace("{path: mnt.tif}", "{path: mnt.tif, fill_holes: false}"))
    code, _, err = run(["--lang", "en", "territory", "info", str(path)], capsys)
    assert code == 2 and "mnt.tif" in err and "12 nodata cells" in err
    assert "fill_holes: true" in err


def test_layers_that_do_not_overlap(site, capsys):
    """Layers 100 km apart: the message names the layer, the file and both extents."""
    write_buildings(site / "far.shp", x0=750_000)
    path = manifest(site, GOOD.replace("  dem:", "  roads: {path: far.shp, columns: {}}\n  dem:")
                    .replace("far.shp, columns: {}", "far.shp, columns: {}"))
    gpd.GeoDataFrame(geometry=[shapely.LineString([(750_000, 6_600_000), (750_100, 6_600_000)])],
                     crs=2154).to_file(site / "far_roads.shp")
    path = manifest(site, GOOD.replace("  dem:", "  roads: {path: far_roads.shp}\n  dem:"))
    code, _, err = run(["--lang", "en", "territory", "info", str(path)], capsys)
    assert code == 2
    assert "far_roads.shp" in err and "does not overlap layer 'buildings'" in err


def test_dem_that_does_not_overlap(site, capsys):
    """A DEM far from the buildings is refused."""
    with rasterio.open(site / "far.tif", "w", driver="GTiff", width=4, height=4, count=1,
                       dtype="float32", crs="EPSG:2154",
                       transform=Affine(5, 0, 900_000, 0, -5, 6_900_000)) as dst:
        dst.write(np.ones((4, 4), "float32"), 1)
    path = manifest(site, GOOD.replace("mnt.tif", "far.tif"))
    code, _, err = run(["--lang", "en", "territory", "info", str(path)], capsys)
    assert code == 2 and "far.tif" in err and "holds no value over the territory" in err


def test_wrong_geometry_type(site, capsys):
    """Lines given as buildings are refused: the layer expects polygons."""
    gpd.GeoDataFrame(geometry=[shapely.LineString([(650_000, 6_600_000), (650_010, 6_600_000)])],
                     crs=2154).to_file(site / "lines.shp")
    path = manifest(site, GOOD.replace("{path: BATIMENT.shp, schema: bdtopo}",
                                       "{path: lines.shp}"))
    code, _, err = run(["--lang", "en", "territory", "info", str(path)], capsys)
    assert code == 2 and "unexpected geometries for layer 'buildings'" in err


def test_unknown_source(capsys):
    """A source that is neither demo, a manifest nor a folder."""
    code, _, err = run(["--lang", "en", "territory", "info", "nowhere/at/all"], capsys)
    assert code == 2 and "territory not found" in err and "`demo`" in err
