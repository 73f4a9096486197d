"""What the territory-changing measures share: geometry checks and structure records.

Measures that remove or change features record the state *before* the change in the
``structures`` layer (one row per feature, with ``building_id``, ``use``, ``levels``,
``dwellings``, ``social_dwellings``, ``population`` and ``population_75p`` beside the
canonical columns), so the ``development`` kind can tell what a project adds and what it
takes away without the unchanged territory.
"""

from __future__ import annotations

import re
import unicodedata

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.scenario.refs import FeatureRef
from jumeau.territory.model import Territory
from jumeau.territory.schema import conform

Coords = list[tuple[float, float]]

#: Prefix of the ids of features added by measures (``new-<measure>-<n>``).
NEW_PREFIX = "new-"

#: Building attributes kept with each structure row of a building measure.
BUILDING_RECORD = ("building_id", "use", "levels", "dwellings", "social_dwellings",
                   "population", "population_75p")

CHECK_COORDS = Text("vérifiez les coordonnées : elles sont dans le système du territoire "
                    "(Lambert-93 par défaut, en mètres)", "check the coordinates: they are in "
                    "the territory's CRS (Lambert-93 by default, in metres)")


class MeasureModel(BaseModel):
    """Base of measure models: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def territory_area(territory: Territory) -> shapely.Geometry:
    """Where measures may act: the DEM's extent, else the extent of the layers."""
    if territory.terrain is not None:
        return shapely.box(*territory.terrain.bounds)
    return shapely.box(*territory.extent)


def _box_text(area: shapely.Geometry) -> str:
    return "[" + ", ".join(f"{v:.0f}" for v in area.bounds) + "]"


def polygon(value: Coords | FeatureRef, field: str) -> shapely.Geometry:
    """A valid polygon from a list of coordinates or a named feature of a file; an error
    naming ``field`` otherwise."""
    if isinstance(value, FeatureRef):
        geom = value.value
        if shapely.get_type_id(geom) not in (3, 6):
            raise JumeauError(Text("l'objet « {n} » n'est pas un polygone",
                                   "feature '{n}' is not a polygon").format(n=value.name),
                              field=field)
    elif len(value) < 3:
        raise JumeauError(Text("un polygone a besoin d'au moins 3 sommets",
                               "a polygon needs at least 3 vertices"), field=field,
                          fix=CHECK_COORDS)
    else:
        geom = shapely.Polygon(value)
    if not geom.is_valid or geom.area <= 0:
        raise JumeauError(Text("le polygone n'est pas valide (il se recoupe ou n'a pas de "
                               "surface)", "the polygon is not valid (it crosses itself or "
                               "has no area)"), field=field,
                          fix=Text("donnez ses sommets dans l'ordre du contour",
                                   "give its vertices in order along its outline"))
    return geom


def line_of(value: Coords | FeatureRef, field: str) -> shapely.Geometry:
    """A line from a list of coordinates or a named feature of a file."""
    geom = value.value if isinstance(value, FeatureRef) else shapely.LineString(value)
    if shapely.get_type_id(geom) not in (1, 5) or geom.length <= 0:
        raise JumeauError(Text("la ligne est vide ou n'est pas une ligne",
                               "the line is empty or not a line"), field=field,
                          fix=CHECK_COORDS)
    return geom


def require_within(territory: Territory, geometry: shapely.Geometry, field: str) -> None:
    """Refuse a geometry that is not entirely inside the territory."""
    area = territory_area(territory)
    if not shapely.covered_by(geometry, area.buffer(1e-6)):
        part = Text("en partie ", "partly ") if shapely.intersects(geometry, area) else Text(
            "", "")
        raise JumeauError(
            Text("{p}en dehors du territoire (emprise {b})", "{p}outside the territory "
                 "(extent {b})").format(p=part, b=_box_text(area)), field=field,
            fix=CHECK_COORDS)


def require_touches(territory: Territory, geometry: shapely.Geometry, field: str) -> None:
    """Refuse a geometry that lies entirely outside the territory."""
    area = territory_area(territory)
    if not shapely.intersects(geometry, area):
        raise JumeauError(
            Text("en dehors du territoire (emprise {b})", "outside the territory (extent {b})"
                 ).format(b=_box_text(area)), field=field, fix=CHECK_COORDS)


def slug(name: str, default: str) -> str:
    """A short ASCII id part from a measure's name (``"Les Prés"`` → ``"les-pres"``)."""
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:24].strip("-")
    return text or default


def unique_prefix(existing: pd.Series, stem: str) -> str:
    """``new-<stem>-`` unless some id already starts with it; then ``new-<stem>2-`` …"""
    ids = existing.astype(str)
    k = 1
    while True:
        prefix = f"{NEW_PREFIX}{stem}{'' if k == 1 else k}-"
        if not ids.str.startswith(prefix).any():
            return prefix
        k += 1


def building_records(buildings: gpd.GeoDataFrame, kind: str, name: str) -> gpd.GeoDataFrame:
    """Structure rows (one per building) keeping the buildings' footprints and figures."""
    frame = gpd.GeoDataFrame({"kind": kind, "name": name}, index=range(len(buildings)),
                             geometry=np.asarray(buildings.geometry.values),
                             crs=buildings.crs)
    for column in BUILDING_RECORD:
        frame[column] = buildings[column].to_numpy()
    return frame


def add_structures(territory: Territory, rows: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The territory's structures with ``rows`` appended (extra columns are kept)."""
    extra = [c for c in rows.columns if c not in ("geometry",) and c not in
             conform(rows.iloc[:0], "structures").columns]
    new = conform(rows, "structures")
    for column in extra:
        new[column] = rows[column].to_numpy()
    out = pd.concat([territory.structures, new], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs=territory.crs)
