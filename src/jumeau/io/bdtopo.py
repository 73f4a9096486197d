"""IGN BD TOPO® readers (version 3, GeoPackage or Shapefile, and the older version 2).

BD TOPO v3 ships as Shapefiles with short upper-case field names (``USAGE1``,
``NB_LOGTS``, ``VIT_MOY_VL``) or as GeoPackage with long lower-case ones (``usage_1``,
``nombre_de_logements``, ``vitesse_moyenne_vl``); BD TOPO v2 (the ``ROUTE`` layer)
uses ``nature``, ``importance``, ``largeur``, ``sens``, ``nom_voie_g``. Every reader
below accepts all of these spellings in any case, so a user never renames a field.

The BD TOPO class of a file (BATIMENT, TRONCON_DE_ROUTE, …) is taken from the
``layer`` option (GeoPackage), else from the file name, else guessed from its fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.io.vector import column, find_column, number, read_vector, text
from jumeau.territory.schema import conform


def fold(value: str) -> str:
    """Lower-case, accents removed, spaces collapsed: how labels are compared."""
    value = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return re.sub(r"\s+", " ", value).strip().lower()


def _folded(series: pd.Series) -> np.ndarray:
    return np.array([fold(v) for v in text(series)], dtype=object)


# -- buildings ---------------------------------------------------------------------------

USE_BY_USAGE = {
    "residentiel": "residential",
    "commercial et services": "commercial",
    "industriel": "industrial",
    "agricole": "agricultural",
    "annexe": "annex",
    "religieux": "public",
    "sportif": "public",
    "indifferencie": "unknown",
}
USE_BY_NATURE = {
    "serre": "agricultural", "silo": "agricultural", "eglise": "public", "chapelle": "public",
    "tour, donjon": "public", "arene ou theatre antique": "public", "monument": "public",
}


def read_buildings(path: Path, options: dict) -> gpd.GeoDataFrame:
    """BD TOPO ``BATIMENT`` → canonical buildings."""
    raw = _read(path, options)
    usage = _folded(column(raw, "USAGE1", "usage_1"))
    use = np.array([USE_BY_USAGE.get(u, "unknown") for u in usage], dtype=object)
    nature = _folded(column(raw, "NATURE", "nature"))
    by_nature = np.array([USE_BY_NATURE.get(n, "") for n in nature], dtype=object)
    use = np.where((use == "unknown") & (by_nature != ""), by_nature, use)
    height = number(column(raw, "HAUTEUR", "hauteur"))
    ground = number(column(raw, "Z_MIN_SOL", "altitude_minimale_sol", "Z_MIN"))
    ground[(ground > 9000) | (ground < -500)] = np.nan  # 9999 = unknown in BD TOPO 2
    frame = gpd.GeoDataFrame({
        "building_id": text(column(raw, "ID", "cleabs", default="")),
        "use": use,
        "height_m": np.where(height > 0, height, np.nan),
        "levels": number(column(raw, "NB_ETAGES", "nombre_d_etages")),
        "dwellings": number(column(raw, "NB_LOGTS", "nombre_de_logements")),
        "ground_z_m": ground,
    }, geometry=raw.geometry.values, crs=raw.crs)
    # Planned buildings do not exist yet; buildings under construction stand already.
    state = _folded(column(raw, "ETAT", "etat_de_l_objet", default=""))
    return conform(frame[state != "en projet"], "buildings")


# -- roads -------------------------------------------------------------------------------

CLASS_BY_IMPORTANCE = {"1": "trunk", "2": "primary", "3": "secondary", "4": "tertiary",
                       "5": "residential", "6": "service"}
CLASS_BY_NATURE = {
    "type autoroutier": "motorway", "autoroute": "motorway", "quasi-autoroute": "motorway",
    "route empierree": "track", "chemin": "track", "sentier": "path", "escalier": "steps",
    "piste cyclable": "cycleway", "bac ou liaison maritime": "path", "bac auto": "path",
    "bac pieton": "path", "bac": "path",
}
ONEWAY_BY_SENS = {"double sens": 0, "double": 0, "sens direct": 1, "direct": 1,
                  "sens inverse": -1, "inverse": -1, "sans objet": 0, "nc": 0, "": 0}


def read_roads(path: Path, options: dict) -> gpd.GeoDataFrame:
    """BD TOPO ``TRONCON_DE_ROUTE`` (v3) or ``ROUTE`` (v2) → canonical roads."""
    raw = _read(path, options)
    nature = _folded(column(raw, "NATURE", "nature", default=""))
    importance = text(column(raw, "IMPORTANCE", "importance", default=""))
    road_class = np.array([
        CLASS_BY_NATURE.get(n) or CLASS_BY_IMPORTANCE.get(i.split(".")[0], "unknown")
        for n, i in zip(nature, importance)], dtype=object)
    access = _folded(column(raw, "ACCES_VL", "acces_vehicule_leger", default=""))
    road_class[access == "physiquement impossible"] = "path"
    sens = _folded(column(raw, "SENS", "sens_de_circulation", default=""))
    pos = number(column(raw, "POS_SOL", "position_par_rapport_au_sol", default=0))
    pos = np.where(np.isfinite(pos), pos, 0)
    name = text(column(raw, "NOM_1_G", "nom_1_gauche", "NOM_VOIE_G", "nom_rue_g", default=""))
    right = text(column(raw, "NOM_1_D", "nom_1_droite", "NOM_VOIE_D", "nom_rue_d", default=""))
    name = np.where(name == "", right, name)
    width = number(column(raw, "LARGEUR", "largeur_de_chaussee", "largeur"))
    speed = number(column(raw, "VIT_MOY_VL", "vitesse_moyenne_vl"))
    frame = gpd.GeoDataFrame({
        "road_id": text(column(raw, "ID", "cleabs", default="")),
        "name": name,
        "road_class": road_class,
        "speed_kmh": np.where(speed > 0, speed, np.nan),
        "oneway": np.array([ONEWAY_BY_SENS.get(s, 0) for s in sens], dtype=np.int8),
        "width_m": np.where(width > 0, width, np.nan),
        "bridge": pos > 0,
        "tunnel": pos < 0,
    }, geometry=raw.geometry.values, crs=raw.crs)
    # Planned roads and roads under construction carry no traffic.
    state = _folded(column(raw, "ETAT", "etat_de_l_objet", default=""))
    return conform(frame[~np.isin(state, ["en projet", "en construction"])], "roads")


# -- water ---------------------------------------------------------------------------------

WATER_BY_NATURE = {
    "ecoulement naturel": "river", "cours d'eau": "river", "ecoulement canalise": "canal",
    "canal": "canal", "retenue": "reservoir", "retenue-barrage": "reservoir",
    "retenue-digue": "reservoir", "reservoir": "reservoir", "reservoir-bassin": "reservoir",
    "bassin": "reservoir", "mare": "pond", "lac": "lake", "plan d'eau de gravière": "lake",
    "plan d'eau de graviere": "lake", "plan d'eau de mine": "lake", "lagune": "lake",
    "estuaire": "river", "fosse": "drain", "ecoulement phreatique": "drain",
    "ecoulement hyporheique": "drain", "conduit buse": "drain", "aqueduc": "drain",
}


def _width_class(value: str) -> float:
    """Mid value of a BD TOPO width class such as 'Entre 15 et 50 m'."""
    nums = [float(x.replace(",", ".")) for x in re.findall(r"\d+(?:[.,]\d+)?", value)]
    if not nums:
        return np.nan
    if len(nums) == 1:
        return nums[0]
    return (nums[0] + nums[1]) / 2


def read_water(path: Path, options: dict) -> gpd.GeoDataFrame:
    """BD TOPO ``SURFACE_HYDROGRAPHIQUE`` / ``TRONCON_HYDROGRAPHIQUE`` / ``PLAN_D_EAU`` /
    ``COURS_D_EAU`` → canonical water."""
    raw = _read(path, options)
    nature = _folded(column(raw, "NATURE", "nature", default=""))
    kind = np.array([WATER_BY_NATURE.get(n, "unknown") for n in nature], dtype=object)
    width_raw = column(raw, "LARGEUR", "largeur", default="")
    width = number(width_raw)
    width = np.where(np.isfinite(width), width,
                     [_width_class(v) for v in text(width_raw)])
    lines = raw.geom_type.isin(["LineString", "MultiLineString"]).to_numpy()
    kind = np.where(lines & (kind == "river") & np.isfinite(width) & (width < 15), "stream", kind)
    name = text(column(raw, "NOM_C_EAU", "cpx_toponyme_de_cours_d_eau", "NOM_P_EAU",
                       "cpx_toponyme_de_plan_d_eau", "toponyme", "NOM", default=""))
    frame = gpd.GeoDataFrame({
        "water_id": text(column(raw, "ID", "cleabs", default="")), "name": name, "kind": kind,
        "width_m": width}, geometry=raw.geometry.values, crs=raw.crs)
    return conform(frame, "water")


# -- vegetation and land cover ---------------------------------------------------------

COVER_BY_NATURE = {
    "foret fermee de feuillus": "forest", "foret fermee de coniferes": "forest",
    "foret fermee mixte": "forest", "foret ouverte": "woodland", "bois": "woodland",
    "peupleraie": "forest", "haie": "hedge", "verger": "orchard", "vigne": "vineyard",
    "lande ligneuse": "scrub", "zone arboree": "trees", "foret": "forest",
}
PARK_DETAILS = ("parc", "jardin", "square", "espace vert")


def read_vegetation(path: Path, options: dict) -> gpd.GeoDataFrame:
    """BD TOPO ``ZONE_DE_VEGETATION`` → land cover; from ``ZONE_D_ACTIVITE_OU_D_INTERET``
    the parks, gardens and sports grounds; ``CIMETIERE`` and ``TERRAIN_DE_SPORT`` too."""
    raw = _read(path, options)
    kind = bdtopo_class(path, options, raw)
    nature = _folded(column(raw, "NATURE", "nature", default=""))
    if kind == "ZONE_D_ACTIVITE_OU_D_INTERET":
        detail = _folded(column(raw, "NAT_DETAIL", "nature_detaillee", default=""))
        category = _folded(column(raw, "CATEGORIE", "categorie", default=""))
        park = np.array([any(p in d or p in n for p in PARK_DETAILS) or n in (
            "aire de detente", "parc de loisirs") for n, d in zip(nature, detail)])
        sports = (category == "sport") & np.isin(nature, ["terrain de sport", "stade",
                                                            "autre equipement sportif"])
        cover = np.where(park, "park", np.where(sports, "sports", ""))
        name = text(column(raw, "TOPONYME", "toponyme", default=""))
    elif kind == "CIMETIERE":
        cover = np.full(len(raw), "cemetery", dtype=object)
        name = text(column(raw, "TOPONYME", "toponyme", default=""))
    elif kind == "TERRAIN_DE_SPORT":
        cover = np.full(len(raw), "sports", dtype=object)
        name = text(column(raw, "TOPONYME", "toponyme", default=""))
    else:
        cover = np.array([COVER_BY_NATURE.get(n, "unknown") for n in nature], dtype=object)
        name = np.full(len(raw), "", dtype=object)
    frame = gpd.GeoDataFrame({
        "vegetation_id": text(column(raw, "ID", "cleabs", default="")), "name": name,
        "cover": cover}, geometry=raw.geometry.values, crs=raw.crs)
    return conform(frame[cover != ""], "vegetation")


# -- facilities ----------------------------------------------------------------------------

FACILITY_BY_NATURE = {
    "mairie": "town_hall", "mairie annexe": "town_hall", "hotel de ville": "town_hall",
    "caserne de pompiers": "fire_station", "gendarmerie": "police", "commissariat": "police",
    "poste de police": "police", "police": "police",
    "enseignement primaire": "school", "enseignement secondaire": "school",
    "enseignement superieur": "school", "college": "school", "lycee": "school",
    "ecole": "school", "maison de retraite": "nursing_home", "ehpad": "nursing_home",
    "hopital": "hospital", "etablissement hospitalier": "hospital", "clinique": "hospital",
    "creche": "childcare", "complexe sportif couvert": "sports_hall",
    "station d'epuration": "water_treatment", "station d epuration": "water_treatment",
}
FACILITY_BY_NAME = (
    (("depot de collecte", "centre technique municipal", "depot des bennes"), "waste_depot"),
    (("transfert des dechets", "centre de transfert", "incineration",
      "traitement des dechets", "centre de tri"), "waste_unloading"),
    (("ehpad", "maison de retraite", "residence senior"), "nursing_home"),
    (("pompiers", "sdis", "centre de secours"), "fire_station"),
)


def read_facilities(path: Path, options: dict) -> gpd.GeoDataFrame:
    """BD TOPO ``ZONE_D_ACTIVITE_OU_D_INTERET`` → canonical facilities (critical ones and
    the waste depot / unloading site; other activity zones are left out)."""
    raw = _read(path, options)
    nature = _folded(column(raw, "NATURE", "nature", default=""))
    names = text(column(raw, "TOPONYME", "toponyme", default=""))
    facility = np.array([FACILITY_BY_NATURE.get(n, "") for n in nature], dtype=object)
    for i, name in enumerate(names):
        folded = fold(name)
        for keys, value in FACILITY_BY_NAME:
            if any(k in folded for k in keys):
                facility[i] = value
                break
    frame = gpd.GeoDataFrame({"facility": facility, "name": names},
                             geometry=raw.geometry.values, crs=raw.crs)
    return conform(frame[facility != ""], "facilities")


# -- boundary ----------------------------------------------------------------------------


def read_boundary(path: Path, options: dict) -> gpd.GeoDataFrame:
    """BD TOPO ``COMMUNE`` → canonical boundary."""
    raw = _read(path, options)
    frame = gpd.GeoDataFrame({
        "name": text(column(raw, "NOM", "nom_officiel", "nom", default="")),
        "insee_code": text(column(raw, "INSEE_COM", "code_insee", default="")),
        "population": number(column(raw, "POPULATION", "population")),
    }, geometry=raw.geometry.values, crs=raw.crs)
    return conform(frame, "boundary")


# -- plumbing ----------------------------------------------------------------------------

CLASS_FIELDS = {
    "BATIMENT": ("usage_1", "usage1", "nb_logts", "nombre_de_logements"),
    "TRONCON_DE_ROUTE": ("sens_de_circulation", "vit_moy_vl", "importance", "sens"),
    "ZONE_D_ACTIVITE_OU_D_INTERET": ("categorie",),
    "COMMUNE": ("insee_com", "code_insee", "nom_officiel"),
}


def bdtopo_class(path: Path, options: dict, raw: pd.DataFrame | None = None) -> str:
    """The BD TOPO class of a source: from its layer name, file name, or fields."""
    for candidate in (options.get("layer"), path.stem):
        if candidate:
            name = re.sub(r"[^A-Z_]", "", str(candidate).upper())
            for known in ("TRONCON_DE_ROUTE", "ROUTE", "BATIMENT", "SURFACE_HYDROGRAPHIQUE",
                          "TRONCON_HYDROGRAPHIQUE", "PLAN_D_EAU", "COURS_D_EAU",
                          "ZONE_DE_VEGETATION", "ZONE_D_ACTIVITE_OU_D_INTERET", "COMMUNE",
                          "CIMETIERE", "TERRAIN_DE_SPORT"):
                if known in name:
                    return "TRONCON_DE_ROUTE" if known == "ROUTE" else known
    if raw is not None:
        for known, fields in CLASS_FIELDS.items():
            if find_column(raw, *fields):
                return known
    return ""


def _read(path: Path, options: dict) -> gpd.GeoDataFrame:
    return read_vector(path, layer=options.get("layer"), encoding=options.get("encoding"))


LAYERS: dict[str, Callable[[Path, dict], gpd.GeoDataFrame]] = {
    "buildings": read_buildings,
    "roads": read_roads,
    "water": read_water,
    "vegetation": read_vegetation,
    "facilities": read_facilities,
    "boundary": read_boundary,
}


def check_class(path: Path, options: dict, layer: str) -> None:
    """Refuse a BD TOPO file that obviously holds another class than ``layer`` needs."""
    expected = {
        "buildings": {"BATIMENT"},
        "roads": {"TRONCON_DE_ROUTE"},
        "water": {"SURFACE_HYDROGRAPHIQUE", "TRONCON_HYDROGRAPHIQUE", "PLAN_D_EAU",
                  "COURS_D_EAU"},
        "vegetation": {"ZONE_DE_VEGETATION", "ZONE_D_ACTIVITE_OU_D_INTERET", "CIMETIERE",
                       "TERRAIN_DE_SPORT"},
        "facilities": {"ZONE_D_ACTIVITE_OU_D_INTERET"},
        "boundary": {"COMMUNE"},
    }[layer]
    found = bdtopo_class(path, options)
    if found and found not in expected:
        raise JumeauError(
            Text("ce fichier BD TOPO contient la classe {f}, pas une classe utilisable pour "
                 "la couche « {l} » ({e})", "this BD TOPO file holds class {f}, not one usable "
                 "for layer '{l}' ({e})").format(f=found, l=layer, e=", ".join(sorted(expected))),
            path=path, field=layer,
            fix=Text("vérifiez le fichier indiqué pour cette couche dans le manifeste",
                     "check which file the manifest gives for this layer"))
