"""Géorisques flood zones, INSEE grid (file and CSV), generic mapping, DEM readers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from affine import Affine
from pyproj import CRS

from jumeau.errors import JumeauError
from jumeau.io import dem, generic, georisques, insee

L93 = CRS.from_epsg(2154)


def test_tri_envelopes_and_depth_classes(tmp_path):
    """TRI scenario codes give labels and return periods; depth classes give hazards."""
    env = gpd.GeoDataFrame({"id_s_inond": ["S1", "S2", "S3"], "id_tri": ["FRX"] * 3,
                            "typ_inond": ["01"] * 3, "scenario": ["01For", "02Moy", "04Fai"]},
                           geometry=[shapely.box(0, 0, i, i) for i in (10, 20, 30)], crs=2154)
    env.to_file(tmp_path / "env.shp")
    z = georisques.read_flood_zones(tmp_path / "env.shp", {})
    assert z["scenario"].tolist() == ["fréquent", "moyen", "extrême"]
    assert z["return_period_yr"].tolist() == [30.0, 100.0, 1000.0]
    assert set(z["source"]) == {"TRI"}
    iso = gpd.GeoDataFrame({"id_tri": ["FRX"] * 4, "scenario": ["02Moy"] * 4,
                            "ht_min": [0, 0.5, 1, 2], "ht_max": [0.5, 1, 2, None]},
                           geometry=[shapely.box(0, 0, i, i) for i in (1, 2, 3, 4)], crs=2154)
    iso.to_file(tmp_path / "iso.shp")
    z = georisques.read_flood_zones(tmp_path / "iso.shp", {})
    assert z["hazard"].tolist() == ["faible", "moyen", "fort", "tres_fort"]
    assert z["name"].tolist() == ["0–0.5 m", "0.5–1 m", "1–2 m", "> 2 m"]


def test_ppri_hazard_levels_and_overrides(tmp_path):
    """A PPRI hazard field ("Très fort", "Moyen"…) is read; manifest options override."""
    g = gpd.GeoDataFrame({"codezone": ["R", "B"], "niveau_alea": ["Très fort", "Moyen"]},
                         geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs=2154)
    g.to_file(tmp_path / "ppri.shp")
    z = georisques.read_flood_zones(tmp_path / "ppri.shp", {"scenario": "crue de 1930",
                                                            "return_period_yr": 150})
    assert z["hazard"].tolist() == ["tres_fort", "moyen"]
    assert set(z["source"]) == {"PPRI"} and set(z["return_period_yr"]) == {150.0}


def test_insee_grid_shapefile(shared_data):
    """Olemps INSEE cells: 457 cells, 29,736.5 people, ages 65-79 and 80+ read."""
    g = insee.read_population_grid(shared_data / "olemps_bdtopo/bdtopo_v2/population.shp", {})
    assert len(g) == 457
    assert g["population"].sum() == pytest.approx(29736.5)
    assert g["population_80p"].notna().all()


def test_insee_grid_csv_rebuilds_cells(tmp_path):
    """The CSV distribution: cells rebuilt from CRS3035RES200mN…E… identifiers."""
    (tmp_path / "c.csv").write_text(
        "idcar_200m;ind;men\nCRS3035RES200mN2387600E3728800;46;13\n"
        "CRS3035RES200mN2387600E3729000;12,5;5\n".replace("12,5", "12.5"), encoding="utf-8")
    g = insee.read_population_grid(tmp_path / "c.csv", {})
    assert g.crs.to_epsg() == 3035
    assert g.geometry.iloc[0].bounds == (3728800, 2387600, 3729000, 2387800)
    assert g["population"].tolist() == [46.0, 12.5]


def test_generic_mapping_and_values(tmp_path):
    """Generic files: columns mapped, values translated, a wrong column named."""
    gpd.GeoDataFrame({"H": [7.0], "T": ["Maison"]}, geometry=[shapely.box(0, 0, 9, 9)],
                     crs=2154).to_file(tmp_path / "b.geojson")
    b = generic.read_generic(tmp_path / "b.geojson", "buildings",
                             {"columns": {"height_m": "H", "use": "T"},
                              "values": {"use": {"Maison": "residential"}}})
    assert b.iloc[0][["height_m", "use"]].tolist() == [7.0, "residential"]
    with pytest.raises(JumeauError) as err:
        generic.read_generic(tmp_path / "b.geojson", "buildings", {"columns": {"height_m": "HT"}})
    message = err.value.render("en")
    assert "column 'HT' is not in the file (asked for height_m)" in message
    assert "did you mean" in message


def write_tif(path, data, transform, crs, nodata=-99999.0):
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0],
                       count=1, dtype="float32", crs=crs, transform=transform,
                       nodata=nodata) as dst:
        dst.write(data.astype("float32"), 1)


def test_geotiff_dem_read_cropped_and_holes_filled(tmp_path):
    """A GeoTIFF is cropped to the territory (+ margin) and its nodata holes filled."""
    z = np.add.outer(np.arange(100.0), np.arange(100.0))  # a plane
    z[50, 50] = -99999
    write_tif(tmp_path / "d.tif", z, Affine(5, 0, 1000, 0, -5, 2000), L93)
    t = dem.read_dem_raster(tmp_path / "d.tif", L93)
    assert t.shape == (100, 100) and t.filled_cells == 1
    assert t.elevation_m[50, 50] == pytest.approx(100.0, abs=1e-4)
    cropped = dem.read_dem_raster(tmp_path / "d.tif", L93, bounds=(1250, 1500, 1260, 1510))
    assert cropped.shape == (42, 82)  # 10 m box + 200 m margin, within the raster
    with pytest.raises(JumeauError) as err:
        dem.read_dem_raster(tmp_path / "d.tif", L93, fill_holes=False)
    assert "1 nodata cells" in err.value.render("en")


def test_ascii_grid_and_reprojection(tmp_path):
    """An ESRI ASCII grid without .prj needs a CRS; a DEM in another CRS is reprojected."""
    (tmp_path / "d.asc").write_text(
        "ncols 4\nnrows 3\nxllcorner 1000\nyllcorner 2000\ncellsize 10\nNODATA_value -9999\n"
        "1 2 3 4\n5 6 7 8\n9 10 11 12\n")
    with pytest.raises(JumeauError) as err:
        dem.read_dem_raster(tmp_path / "d.asc", L93)
    assert "no coordinate reference system" in err.value.render("en")
    t = dem.read_dem_raster(tmp_path / "d.asc", L93, source_crs="EPSG:2154")
    assert t.shape == (3, 4) and t.elevation_m[0, 0] == 1 and t.resolution_m == 10
    # A 100 m DEM in Lambert-93 CC46 (EPSG:3946) warped into Lambert-93.
    z = np.full((20, 20), 250.0)
    write_tif(tmp_path / "cc46.tif", z, Affine(100, 0, 1_700_000, 0, -100, 5_200_000),
              CRS.from_epsg(3946))
    t = dem.read_dem_raster(tmp_path / "cc46.tif", L93)
    assert t.crs == L93 and t.resolution_m == pytest.approx(100)
    assert np.nanmax(np.abs(t.elevation_m - 250)) < 1e-3


def test_dem_from_points_is_exact_on_a_plane(tmp_path):
    """Points on a plane z = 0.01 x + 0.02 y are interpolated exactly inside their hull."""
    rng = np.random.default_rng(1)
    x = rng.uniform(0, 1000, 400) + 650_000
    y = rng.uniform(0, 1000, 400) + 6_600_000
    z = 0.01 * (x - 650_000) + 0.02 * (y - 6_600_000)
    gpd.GeoDataFrame({"alt": z}, geometry=gpd.points_from_xy(x, y), crs=2154).to_file(
        tmp_path / "p.geojson")
    t = dem.read_dem_points(tmp_path / "p.geojson", "alt", L93, resolution_m=20, bounds=None)
    rows, cols = np.mgrid[10:40, 10:40]
    cx, cy = t.xy(rows, cols)
    expected = 0.01 * (cx - 650_000) + 0.02 * (cy - 6_600_000)
    np.testing.assert_allclose(t.elevation_m[10:40, 10:40], expected, atol=1e-3)
    assert t.method == "points" and not t.derived


def test_lorient_points_dem(shared_data):
    """Lorient's 75 m elevation points are gridded at 75 m, each point's height kept."""
    path = shared_data / "lorient_noisemodelling/dem.geojson"
    t = dem.read_dem_points(path, "height", L93, resolution_m=None, bounds=None)
    points = gpd.read_file(path)
    assert t.resolution_m == pytest.approx(75.0)
    # Cell centres sit on the points: every point's height is kept exactly.
    sampled = t.sample(points.geometry.x.to_numpy(), points.geometry.y.to_numpy())
    np.testing.assert_allclose(sampled, points["height"], atol=1e-4)
    assert np.nanmin(t.elevation_m) == pytest.approx(points["height"].min(), abs=1e-4)
