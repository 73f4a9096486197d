"""BD TOPO readers: v3 Shapefile (short names), v3 GeoPackage (long names), v2 ROUTE."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from jumeau.io import bdtopo


@pytest.fixture
def olemps(shared_data):
    return shared_data / "olemps_bdtopo"


def test_batiment_shapefile_utf8_without_cpg(olemps):
    """Olemps BATIMENT: 2,273 buildings, uses mapped, accents read as UTF-8 (no .cpg)."""
    b = bdtopo.read_buildings(olemps / "bdtopo_v3" / "BATIMENT.shp", {})
    assert len(b) == 2273
    counts = b["use"].value_counts()
    assert counts["residential"] == 1090 and counts["unknown"] == 920
    assert counts["annex"] == 138 and counts["commercial"] == 92
    assert b["height_m"].notna().sum() == 1989          # HAUTEUR 0 → unknown
    assert b["dwellings"].sum() == 1429
    z = b["ground_z_m"]
    assert z.isna().sum() == 19 and z.dropna().between(504, 639).all()


def test_route_v2_mapping(olemps):
    """BD TOPO v2 ROUTE: classes, one-way ('Direct' / 'Inverse'), names, bridges."""
    r = bdtopo.read_roads(olemps / "bdtopo_v2" / "ROUTE.shp", {})
    assert len(r) == 4980                                # one road under construction dropped
    assert (r["oneway"] == 1).sum() == 666 and (r["oneway"] == -1).sum() == 486
    assert (r["road_class"] == "path").sum() == 228 and (r["road_class"] == "steps").sum() == 59
    assert (r["road_class"] == "motorway").sum() == 18
    assert (r["name"] == "AV DE DECAZEVILLE").any()
    assert r["bridge"].sum() == 62 and r["tunnel"].sum() == 3


def test_geopackage_long_field_names(tmp_path):
    """BD TOPO v3 GeoPackage field names (usage_1, nombre_de_logements, …) are understood."""
    geom = [shapely.box(0, 0, 10, 10), shapely.box(20, 0, 30, 10)]
    gpd.GeoDataFrame({"cleabs": ["B1", "B2"], "usage_1": ["Résidentiel", "Industriel"],
                      "hauteur": [6.5, 0.0], "nombre_d_etages": [2, None],
                      "nombre_de_logements": [3, None], "altitude_minimale_sol": [101.0, 9999.0],
                      "etat_de_l_objet": ["En service", "En projet"]},
                     geometry=geom, crs=2154).to_file(tmp_path / "bd.gpkg", layer="batiment")
    roads = gpd.GeoDataFrame({"cleabs": ["R1"], "nature": ["Route à 1 chaussée"],
                              "importance": ["4"], "sens_de_circulation": ["Sens inverse"],
                              "vitesse_moyenne_vl": [50], "nom_1_gauche": ["Rue Haute"],
                              "largeur_de_chaussee": [6.0],
                              "position_par_rapport_au_sol": ["1"]},
                             geometry=[shapely.LineString([(0, 0), (5, 5)])], crs=2154)
    roads.to_file(tmp_path / "bd.gpkg", layer="troncon_de_route")
    b = bdtopo.read_buildings(tmp_path / "bd.gpkg", {"layer": "batiment"})
    assert len(b) == 1                                    # the planned building is left out
    assert b.iloc[0][["use", "height_m", "levels", "dwellings", "ground_z_m"]].tolist() == [
        "residential", 6.5, 2.0, 3.0, 101.0]
    r = bdtopo.read_roads(tmp_path / "bd.gpkg", {"layer": "troncon_de_route"})
    row = r.iloc[0]
    assert (row.road_class, row.oneway, row.speed_kmh, row["name"], row.width_m, row.bridge) == (
        "tertiary", -1, 50.0, "Rue Haute", 6.0, True)


def test_field_names_in_any_case(tmp_path):
    """Upper- or lower-case field names give the same result."""
    geom = [shapely.box(0, 0, 10, 10)]
    gpd.GeoDataFrame({"usage1": ["Annexe"], "hauteur": [2.5]}, geometry=geom, crs=2154).to_file(
        tmp_path / "BATIMENT.shp")
    b = bdtopo.read_buildings(tmp_path / "BATIMENT.shp", {})
    assert b.iloc[0]["use"] == "annex" and b.iloc[0]["height_m"] == 2.5


def test_vegetation_and_parks_and_facilities(olemps):
    """Vegetation natures map to land covers; activity zones give parks and facilities."""
    v = bdtopo.read_vegetation(olemps / "bdtopo_v3" / "ZONE_DE_VEGETATION.shp", {})
    assert len(v) == 665
    assert (v["cover"] == "hedge").sum() == 423 and (v["cover"] == "woodland").sum() == 198
    zai = olemps / "bdtopo_v3" / "ZONE_D_ACTIVITE_OU_D_INTERET.shp"
    parks = bdtopo.read_vegetation(zai, {})
    assert set(parks["cover"]) <= {"park", "sports"} and (parks["cover"] == "park").sum() == 1
    f = bdtopo.read_facilities(zai, {})
    assert sorted(f["facility"]) == sorted(
        ["sports_hall", "nursing_home", "water_treatment", "water_treatment", "hospital",
         "hospital", "town_hall", "sports_hall", "hospital", "school", "school", "school"])
    assert "Mairie d'Olemps" in set(f["name"])


def test_water_kinds(olemps):
    """Surface water natures map to kinds (the Aveyron is a natural flow: river)."""
    w = bdtopo.read_water(olemps / "bdtopo_v3" / "SURFACE_HYDROGRAPHIQUE.shp", {})
    assert len(w) == 28
    assert (w["kind"] == "river").sum() >= 1
    assert set(w["kind"]) <= {"river", "reservoir", "pond", "lake", "canal", "unknown"}


def test_commune_boundary(olemps):
    """COMMUNE → boundary with name, INSEE code and population."""
    c = bdtopo.read_boundary(olemps / "bdtopo_v3" / "COMMUNE.shp", {})
    assert c.iloc[0][["name", "insee_code", "population"]].tolist() == ["Olemps", "12174", 3439.0]
    assert np.isclose(c.area.iloc[0] / 1e4, 1279, rtol=0.05)
