"""Vector layers as compact GeoJSON for the page.

A browser draws what it is given: 10,000 buildings at full precision with every
column is a slow, heavy page. Geometries are simplified where it cannot be seen
(0.3 m, in the layer's metric CRS), reprojected to longitude/latitude and rounded to
7 decimals (about 1 cm); only two properties are kept, a style class ``s`` and the
already-formatted, escaped tooltip values ``v``.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from jumeau.maps.markup import script_safe

#: Geometries are simplified by this much (metres) before reprojection.
SIMPLIFY_M = 0.3
#: Decimals of longitude/latitude (1e-7 degree is about 1 cm).
DECIMALS = 7

WGS84 = CRS.from_epsg(4326)

# GEOS writes some rounded doubles in full (48.857336599999996): write them short again.
_TOO_PRECISE = re.compile(rf"-?\d+\.\d{{{DECIMALS + 1},}}")


def _short(match: re.Match) -> str:
    return repr(round(float(match.group(0)), DECIMALS))


def to_lonlat(geometries: np.ndarray, crs: CRS | None, *, simplify_m: float = SIMPLIFY_M,
              decimals: int = DECIMALS) -> np.ndarray:
    """Simplify (metric CRS only), reproject to EPSG:4326 and round coordinates.

    Examples
    --------
    >>> pts = to_lonlat(np.array([shapely.Point(652000, 6862000)]), CRS.from_epsg(2154))
    >>> shapely.get_coordinates(pts).round(4).tolist()
    [[2.3458, 48.8562]]
    """
    geoms = np.asarray(geometries, dtype=object)
    crs = CRS.from_user_input(crs) if crs is not None else WGS84
    if simplify_m > 0 and crs.is_projected:
        geoms = shapely.simplify(geoms, simplify_m, preserve_topology=True)
    if crs != WGS84:
        transformer = Transformer.from_crs(crs, WGS84, always_xy=True)

        def project(coords: np.ndarray) -> np.ndarray:
            lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
            return np.round(np.column_stack([lon, lat]), decimals)
    else:

        def project(coords: np.ndarray) -> np.ndarray:
            return np.round(coords, decimals)

    return shapely.transform(geoms, project)


def feature_collection(geometries: np.ndarray, properties: list[dict]) -> str:
    """A GeoJSON FeatureCollection as text that is safe inside ``<script>``.

    ``properties`` holds one small dict per geometry (values are JSON-serialisable).
    """
    if len(geometries) != len(properties):
        raise ValueError("one properties dict per geometry")
    geojson = [_TOO_PRECISE.sub(_short, g) for g in
               shapely.to_geojson(np.asarray(geometries, dtype=object)).tolist()]
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    features = ",".join(
        f'{{"type":"Feature","properties":{dumps(p)},"geometry":{g}}}'
        for g, p in zip(geojson, properties))
    return script_safe(f'{{"type":"FeatureCollection","features":[{features}]}}')


def bounds_latlon(geometries: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """((south, west), (north, east)) of lon/lat geometries, None when there are none."""
    if not len(geometries):
        return None
    west, south, east, north = shapely.total_bounds(np.asarray(geometries, dtype=object))
    if not np.isfinite([west, south, east, north]).all():
        return None
    return (float(south), float(west)), (float(north), float(east))


def usable(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Rows with a non-empty geometry."""
    geoms = frame.geometry.values
    return ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
