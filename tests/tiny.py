"""A tiny territory written to disk in jumeau's input formats, for runner tests.

A 600 × 400 m site: a river along the south, a 5 m DEM sloping up to the north, twelve
houses, a school and a fire station, three streets, TRI-like flood zones (a frequent and
a medium envelope, and depth classes of the medium one) and an INSEE-like grid.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from affine import Affine

X0, Y0 = 650_000.0, 6_600_000.0


def write_tiny_site(folder: Path) -> Path:
    """Write the site's files and its ``territory.yaml``; return the manifest path."""
    folder.mkdir(parents=True, exist_ok=True)
    # Terrain: 120 × 80 cells of 5 m; a river channel at y < 40 m, ground rising 1 m per 100 m.
    ny, nx = 80, 120
    rows = np.mgrid[0:ny, 0:nx][0]
    y = Y0 + 400 - (rows + 0.5) * 5
    z = 100 + (y - Y0) / 100.0
    z[y - Y0 < 40] -= 2.0
    with rasterio.open(folder / "mnt.tif", "w", driver="GTiff", width=nx, height=ny, count=1,
                       dtype="float32", crs="EPSG:2154", nodata=-99999,
                       transform=Affine(5, 0, X0, 0, -5, Y0 + 400)) as dst:
        dst.write(z.astype("float32"), 1)
    houses = [shapely.box(X0 + 50 + 45 * i, Y0 + 60 + 70 * j, X0 + 62 + 45 * i, Y0 + 72 + 70 * j)
              for j in range(3) for i in range(4)]
    school = shapely.box(X0 + 300, Y0 + 50, X0 + 340, Y0 + 80)
    fire = shapely.box(X0 + 500, Y0 + 330, X0 + 520, Y0 + 350)
    geoms = houses + [school, fire]
    n = len(geoms)
    gpd.GeoDataFrame({
        "cleabs": [f"B{i:03d}" for i in range(n)],
        "usage_1": ["Résidentiel"] * 12 + ["Indifférencié", "Indifférencié"],
        "hauteur": [6.0] * 12 + [8.0, 7.0],
        "nombre_de_logements": [1] * 12 + [None, None],
    }, geometry=geoms, crs=2154).to_file(folder / "bdtopo.gpkg", layer="batiment")
    gpd.GeoDataFrame({
        "categorie": ["Science et enseignement", "Administratif ou militaire"],
        "nature": ["Enseignement primaire", "Caserne de pompiers"],
        "toponyme": ["École <b>des Saules</b>", "Centre de secours"],
    }, geometry=[school.buffer(5), fire.buffer(5)], crs=2154).to_file(
        folder / "bdtopo.gpkg", layer="zone_d_activite_ou_d_interet")
    streets = [shapely.LineString([(X0 + 20, Y0 + 45), (X0 + 580, Y0 + 45)]),
               shapely.LineString([(X0 + 290, Y0 + 45), (X0 + 290, Y0 + 380)]),
               shapely.LineString([(X0 + 290, Y0 + 380), (X0 + 510, Y0 + 380),
                                   (X0 + 510, Y0 + 350)])]
    gpd.GeoDataFrame({
        "cleabs": ["R1", "R2", "R3"], "nature": ["Route à 1 chaussée"] * 3,
        "importance": ["4", "5", "5"], "sens_de_circulation": ["Double sens"] * 3,
        "nom_1_gauche": ["Quai de la Rive", "Rue des Écoles", "Rue Haute"],
    }, geometry=streets, crs=2154).to_file(folder / "bdtopo.gpkg", layer="troncon_de_route")
    gpd.GeoDataFrame({"id_s_inond": ["F", "M"], "id_tri": ["FRX_TRI_T"] * 2,
                      "typ_inond": ["01"] * 2, "scenario": ["01For", "02Moy"]},
                     geometry=[shapely.box(X0, Y0, X0 + 600, Y0 + 70),
                               shapely.box(X0, Y0, X0 + 600, Y0 + 140)], crs=2154).to_file(
        folder / "tri_env.shp")
    gpd.GeoDataFrame({"id_tri": ["FRX_TRI_T"] * 2, "scenario": ["02Moy"] * 2,
                      "ht_min": [1.0, 0.0], "ht_max": [2.0, 0.5]},
                     geometry=[shapely.box(X0, Y0, X0 + 600, Y0 + 70),
                               shapely.box(X0, Y0 + 70, X0 + 600, Y0 + 140)], crs=2154).to_file(
        folder / "tri_ht.shp")
    cells = [shapely.box(X0 + 200 * i, Y0 + 200 * j, X0 + 200 * (i + 1), Y0 + 200 * (j + 1))
             for j in range(2) for i in range(3)]
    gpd.GeoDataFrame({"idcar_200m": [f"c{i}" for i in range(6)],
                      "ind": [20.0, 10.0, 0.0, 8.0, 0.0, 0.0],
                      "ind_65_79": [4.0, 1.0, 0.0, 1.0, 0.0, 0.0],
                      "ind_80p": [2.0, 1.0, 0.0, 0.0, 0.0, 0.0]},
                     geometry=cells, crs=2154).to_file(folder / "carreaux.gpkg")
    manifest = folder / "territory.yaml"
    manifest.write_text("""name: Petite-Rive
layers:
  buildings:   {path: bdtopo.gpkg, layer: batiment, schema: bdtopo}
  roads:       {path: bdtopo.gpkg, layer: troncon_de_route, schema: bdtopo}
  facilities:  {path: bdtopo.gpkg, layer: zone_d_activite_ou_d_interet, schema: bdtopo}
  flood_zones:
    - {path: tri_env.shp, schema: georisques}
    - {path: tri_ht.shp, schema: georisques}
  population:  {path: carreaux.gpkg, schema: insee_grid}
  dem:         {path: mnt.tif}
""", encoding="utf-8")
    return manifest
