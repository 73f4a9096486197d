"""The canonical schema of a territory's layers.

Readers in :mod:`jumeau.io` map every source (BD TOPO, OpenStreetMap, Géorisques,
INSEE, a user's own files) to these columns; nothing downstream knows where data came
from. Units are in the column names. :func:`conform` adds missing columns with their
"unknown" value and fixes dtypes, so a reader only fills what its source knows.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from jumeau.i18n import Text

#: Building uses (``buildings.use``).
BUILDING_USES = ("residential", "commercial", "industrial", "public", "agricultural",
                 "annex", "unknown")

#: Critical or notable facilities a building may host (``buildings.facility``).
FACILITIES = ("town_hall", "school", "nursing_home", "hospital", "fire_station", "police",
              "childcare", "sports_hall", "waste_depot", "waste_unloading", "water_treatment",
              "bus_stop", "other")

#: Facilities an emergency plan cares about first.
CRITICAL_FACILITIES = ("town_hall", "school", "nursing_home", "hospital", "fire_station",
                       "police", "childcare")

#: Road classes (``roads.road_class``), from the most to the least important.
ROAD_CLASSES = ("motorway", "trunk", "primary", "secondary", "tertiary", "residential",
                "service", "track", "path", "cycleway", "steps", "unknown")

#: Classes that cars and trucks can drive on (the routable network).
DRIVABLE_CLASSES = ("motorway", "trunk", "primary", "secondary", "tertiary", "residential",
                    "service", "track", "unknown")

#: Water feature kinds (``water.kind``).
WATER_KINDS = ("river", "stream", "canal", "drain", "lake", "pond", "reservoir", "sea",
               "riverbank", "unknown")

#: Land-cover classes (``vegetation.cover``).
LAND_COVERS = ("forest", "woodland", "hedge", "trees", "park", "grass", "farmland",
               "orchard", "vineyard", "scrub", "wetland", "garden", "cemetery",
               "sports", "sealed", "bare", "unknown")

#: Hydraulic structures and changes drawn from measures (``structures.kind``).
STRUCTURE_KINDS = ("wall", "levee", "breach", "removed", "raised_floor",
                   # measures that change buildings, land cover and roads
                   "new_buildings", "removed_buildings", "changed_buildings", "desealed", "sealed",
                   "trees", "park", "cool_roofs", "road_closed", "new_road", "drop_off")

#: PPRI-style hazard classes (``flood_zones.hazard``).
HAZARD_CLASSES = ("faible", "moyen", "fort", "tres_fort", "unknown")

LABELS = {
    "facility": {
        "town_hall": Text("mairie", "town hall"),
        "school": Text("école", "school"),
        "nursing_home": Text("EHPAD / maison de retraite", "nursing home"),
        "hospital": Text("hôpital", "hospital"),
        "fire_station": Text("caserne de pompiers", "fire station"),
        "police": Text("gendarmerie / police", "police"),
        "childcare": Text("crèche", "childcare"),
        "sports_hall": Text("salle de sport", "sports hall"),
        "waste_depot": Text("dépôt de collecte", "waste depot"),
        "waste_unloading": Text("site de déchargement", "waste unloading site"),
        "water_treatment": Text("station d'épuration", "water treatment"),
        "bus_stop": Text("arrêt de bus", "bus stop"),
        "other": Text("équipement", "facility"),
    },
    "use": {
        "residential": Text("habitation", "residential"),
        "commercial": Text("commerce et services", "commercial"),
        "industrial": Text("industrie", "industrial"),
        "public": Text("équipement public", "public"),
        "agricultural": Text("agricole", "agricultural"),
        "annex": Text("annexe", "annex"),
        "unknown": Text("indifférencié", "unknown"),
    },
    "hazard": {
        "faible": Text("faible", "low"),
        "moyen": Text("moyen", "moderate"),
        "fort": Text("fort", "high"),
        "tres_fort": Text("très fort", "very high"),
        "unknown": Text("non qualifié", "unqualified"),
    },
}


@dataclass(frozen=True)
class Column:
    """One canonical column: its name (with unit), dtype, value when unknown, meaning."""

    name: str
    dtype: str
    missing: object
    doc: str


def _cols(*cols: Column) -> dict[str, Column]:
    return {c.name: c for c in cols}


SCHEMAS: dict[str, dict[str, Column]] = {
    "buildings": _cols(
        Column("building_id", "str", "", "identifier in the source"),
        Column("name", "str", "", "name, when the source has one"),
        Column("use", "str", "unknown", f"one of {BUILDING_USES}"),
        Column("facility", "str", "", f"one of {FACILITIES}, or empty"),
        Column("height_m", "float64", np.nan, "height from ground to gutter"),
        Column("levels", "float64", np.nan, "number of storeys above ground"),
        Column("dwellings", "float64", np.nan, "number of dwellings"),
        Column("ground_z_m", "float64", np.nan, "ground altitude at the building (m, NGF)"),
        Column("floor_z_m", "float64", np.nan, "ground-floor height above ground, if known"),
        Column("population", "float64", np.nan, "residents (may be fractional: expected value)"),
        Column("population_75p", "float64", np.nan, "residents aged 75 or over"),
        Column("roof_albedo", "float64", np.nan, "roof albedo (0-1) when known or set by a "
                                                 "measure; NaN: the land-cover table's"),
        Column("social_dwellings", "float64", np.nan, "social-housing dwellings, if known"),
    ),
    "roads": _cols(
        Column("road_id", "str", "", "identifier in the source"),
        Column("name", "str", "", "street name"),
        Column("road_class", "str", "unknown", f"one of {ROAD_CLASSES}"),
        Column("speed_kmh", "float64", np.nan, "usual speed of light vehicles"),
        Column("oneway", "int8", 0, "0 both ways, 1 digitised direction only, -1 reverse only"),
        Column("width_m", "float64", np.nan, "carriageway width"),
        Column("bridge", "bool", False, "on a bridge (above ground)"),
        Column("tunnel", "bool", False, "in a tunnel (below ground)"),
        Column("closed", "bool", False, "closed to traffic (by a measure)"),
    ),
    "water": _cols(
        Column("water_id", "str", "", "identifier in the source"),
        Column("name", "str", "", "name of the river or water body"),
        Column("kind", "str", "unknown", f"one of {WATER_KINDS}"),
        Column("width_m", "float64", np.nan, "width of a watercourse line, when known"),
    ),
    "vegetation": _cols(
        Column("vegetation_id", "str", "", "identifier in the source"),
        Column("name", "str", "", "name (e.g. of a park)"),
        Column("cover", "str", "unknown", f"one of {LAND_COVERS}"),
        Column("canopy_share", "float64", np.nan, "share of the area under tree canopy "
                                                  "(0-1); NaN: the cover's usual share"),
    ),
    "flood_zones": _cols(
        Column("zone_id", "str", "", "identifier in the source"),
        Column("source", "str", "", "TRI, PPRI, AZI, or the user's label"),
        Column("scenario", "str", "", "e.g. 'fréquent', 'moyen', 'extrême', 'Q100'"),
        Column("return_period_yr", "float64", np.nan, "return period of the scenario"),
        Column("hazard", "str", "unknown", f"one of {HAZARD_CLASSES}"),
        Column("depth_min_m", "float64", np.nan, "lower bound of the water-depth class"),
        Column("depth_max_m", "float64", np.nan, "upper bound of the water-depth class"),
        Column("name", "str", "", "label of the zone"),
    ),
    "population": _cols(
        Column("cell_id", "str", "", "INSEE cell identifier (e.g. CRS3035RES200mN…E…)"),
        Column("population", "float64", 0.0, "individuals (INSEE 'ind')"),
        Column("households", "float64", np.nan, "households (INSEE 'men')"),
        Column("population_65_79", "float64", np.nan, "individuals aged 65 to 79"),
        Column("population_80p", "float64", np.nan, "individuals aged 80 or over"),
    ),
    "boundary": _cols(
        Column("name", "str", "", "commune name"),
        Column("insee_code", "str", "", "INSEE code of the commune"),
        Column("population", "float64", np.nan, "official population"),
    ),
    "facilities": _cols(
        Column("facility", "str", "other", f"one of {FACILITIES}"),
        Column("name", "str", "", "name of the facility"),
    ),
    "structures": _cols(
        Column("kind", "str", "wall", f"one of {STRUCTURE_KINDS}"),
        Column("name", "str", "", "label"),
        Column("crest_height_m", "float64", np.nan, "height above the ground"),
        Column("crest_z_m", "float64", np.nan, "crest altitude"),
        Column("fails_at_s", "float64", np.nan, "when it gives way (s from the start)"),
        Column("fail_width_m", "float64", np.nan, "length of the breach when it fails"),
        Column("bottom_z_m", "float64", np.nan, "ground level of the breach"),
        # The state before a measure removed or changed a building (development kind).
        Column("building_id", "str", "", "building removed or changed, if any"),
        Column("use", "str", "", "its use before the measure"),
        Column("levels", "float64", np.nan, "its storeys before the measure"),
        Column("dwellings", "float64", np.nan, "its dwellings before the measure"),
        Column("social_dwellings", "float64", np.nan, "its social dwellings before"),
        Column("population", "float64", np.nan, "its residents before the measure"),
        Column("population_75p", "float64", np.nan, "its residents aged 75+ before"),
    ),
}

#: Layers a territory can hold (besides the terrain raster).
VECTOR_LAYERS = tuple(SCHEMAS)

#: Flag columns set by the estimation rules (True = estimated, not read from data).
ESTIMATE_FLAGS = {
    "buildings": ("height_estimated", "levels_estimated", "dwellings_estimated",
                  "population_estimated"),
    "roads": ("speed_estimated", "width_estimated"),
}


def empty(layer: str, crs: object) -> gpd.GeoDataFrame:
    """An empty layer with the canonical columns."""
    return conform(gpd.GeoDataFrame({"geometry": []}, geometry="geometry", crs=crs), layer)


def conform(frame: gpd.GeoDataFrame, layer: str) -> gpd.GeoDataFrame:
    """Return ``frame`` with exactly the canonical columns of ``layer`` (plus flags).

    Missing columns are added with their "unknown" value; extra source columns are
    dropped; dtypes are fixed. The index is reset to 0..n-1 so that per-feature results
    can be aligned by position.
    """
    schema = SCHEMAS[layer]
    out = {}
    n = len(frame)
    for name, col in schema.items():
        if name in frame.columns:
            values = frame[name]
            if col.dtype == "str":
                values = values.astype(object).where(values.notna(), col.missing).astype(str)
            elif col.dtype == "bool":
                values = values.fillna(False).astype(bool)
            elif col.dtype == "int8":
                values = pd.to_numeric(values, errors="coerce").fillna(col.missing).astype("int8")
            else:
                values = pd.to_numeric(values, errors="coerce").astype(col.dtype)
            out[name] = np.asarray(values)
        else:
            out[name] = np.full(n, col.missing, dtype=object if col.dtype == "str" else col.dtype)
    for flag in ESTIMATE_FLAGS.get(layer, ()):
        out[flag] = (np.asarray(frame[flag], dtype=bool) if flag in frame.columns
                     else np.zeros(n, dtype=bool))
    result = gpd.GeoDataFrame(out, geometry=np.asarray(frame.geometry.values), crs=frame.crs)
    result = result.rename_geometry("geometry") if result.geometry.name != "geometry" else result
    return result
