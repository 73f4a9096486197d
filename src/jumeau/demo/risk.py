"""Géorisques-like flood maps (TRI, COVADIS "Directive Inondation" model)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from rasterio import features

from jumeau.demo import plan
from jumeau.demo.plan import FRAME
from jumeau.demo.valley import Valley

TRI_ID = "FRX_TRI_STAU"
#: Depth classes of the medium scenario (m): lower and upper bounds (None: no upper).
DEPTH_CLASSES = ((0.0, 0.5), (0.5, 1.0), (1.0, 2.0), (2.0, None))


def _polygons(mask: np.ndarray) -> shapely.MultiPolygon:
    shapes = features.shapes(mask.astype(np.uint8), mask=mask, transform=FRAME.transform,
                             connectivity=4)
    geoms = [shapely.geometry.shape(g) for g, _ in shapes]
    merged = shapely.union_all(geoms)
    merged = shapely.set_precision(shapely.simplify(merged, 1.0), 0.01)
    parts = shapely.get_parts(merged)
    parts = parts[shapely.get_type_id(parts) == 3]
    return shapely.MultiPolygon(list(parts))


def flood_envelopes(valley: Valley) -> gpd.GeoDataFrame:
    """``n_tri_stau_inondable_s_099``: one multipolygon per scenario."""
    rows = [(f"{TRI_ID}_{s.code}_01", s.code, _polygons(s.extent)) for s in valley.scenarios]
    return gpd.GeoDataFrame({
        "id_s_inond": [r[0] for r in rows],
        "id_tri": [TRI_ID] * len(rows),
        "typ_inond": ["01"] * len(rows),
        "scenario": [r[1] for r in rows],
        "cours_deau": [plan.RIVER_NAME] * len(rows),
    }, geometry=[r[2] for r in rows], crs=plan.CRS)


def medium_depths(valley: Valley) -> gpd.GeoDataFrame:
    """``n_tri_stau_iso_ht_02moy_s_099``: water-depth classes of the medium scenario."""
    medium = next(s for s in valley.scenarios if s.code == "02Moy")
    depth = valley.depth_medium_m
    rows = []
    for k, (lo, hi) in enumerate(DEPTH_CLASSES):
        mask = medium.extent & (depth >= lo) & ((depth < hi) if hi is not None else True)
        if mask.any():
            rows.append((f"{TRI_ID}_02Moy_H{k + 1:02d}", lo, np.nan if hi is None else hi,
                         _polygons(mask)))
    return gpd.GeoDataFrame({
        "id_s_inond": [r[0] for r in rows],
        "id_tri": [TRI_ID] * len(rows),
        "typ_inond": ["01"] * len(rows),
        "scenario": ["02Moy"] * len(rows),
        "ht_min": [r[1] for r in rows],
        "ht_max": [r[2] for r in rows],
    }, geometry=[r[3] for r in rows], crs=plan.CRS)
