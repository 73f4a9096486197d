"""Vector ↔ raster helpers on the terrain grid: rasterize layers, sample per building."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio import features
from scipy import ndimage

from jumeau.territory.terrain import Terrain


def rasterize(geometries: gpd.GeoSeries | np.ndarray, grid: Terrain, values: np.ndarray |
              float = 1, *, fill: float = 0, dtype: str = "float32",
              all_touched: bool = False) -> np.ndarray:
    """Burn geometries onto the terrain grid.

    Parameters
    ----------
    geometries
        Geometries in the grid's CRS.
    grid
        The terrain whose grid (shape and transform) is used.
    values
        One value per geometry, or one for all; later geometries overwrite earlier ones.
    fill
        Value of cells no geometry touches.
    all_touched
        Burn every cell a geometry touches, not only those whose centre it covers.

    Examples
    --------
    >>> import numpy as np, shapely
    >>> from affine import Affine
    >>> from pyproj import CRS
    >>> t = Terrain(np.zeros((4, 4)), Affine(1, 0, 0, 0, -1, 4), CRS.from_epsg(2154))
    >>> int(rasterize([shapely.box(0, 0, 2, 2)], t).sum())
    4
    """
    geoms = np.asarray(getattr(geometries, "values", geometries))
    if np.isscalar(values):
        values = np.full(len(geoms), values)
    values = np.asarray(values)
    ok = ~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)
    out = np.full(grid.shape, fill, dtype=dtype)
    if not ok.any():
        return out
    return features.rasterize(zip(geoms[ok], values[ok]), out_shape=grid.shape,
                              transform=grid.transform, fill=fill, dtype=dtype,
                              all_touched=all_touched, out=out)


def label_footprints(geometries: gpd.GeoSeries | np.ndarray, grid: Terrain) -> np.ndarray:
    """Grid of 1-based building indices (0 = no building), cell centre rule.

    Buildings smaller than a cell that cover no cell centre get the cell holding their
    representative point, so every building inside the grid has at least one cell.
    """
    geoms = np.asarray(getattr(geometries, "values", geometries))
    labels = rasterize(geoms, grid, np.arange(1, len(geoms) + 1), dtype="int32")
    present = np.zeros(len(geoms) + 1, dtype=bool)
    present[np.unique(labels)] = True
    missing = np.flatnonzero(~present[1:])
    if len(missing):
        pts = shapely.point_on_surface(geoms[missing])
        row, col = grid.rowcol(shapely.get_x(pts), shapely.get_y(pts))
        ok = grid.inside(row, col)
        labels[row[ok], col[ok]] = missing[ok] + 1
    return labels


def edge_cells(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells just outside each labelled footprint (4-neighbourhood).

    Returns (row, col, label) triples: one per (outside cell, adjacent building) pair.
    Used to read the water around a building modelled as a blocked obstacle.
    """
    rows, cols, labs = [], [], []
    ny, nx = labels.shape
    for dr, dc in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        src = labels[max(0, -dr):ny - max(0, dr), max(0, -dc):nx - max(0, dc)]
        dst = labels[max(0, dr):ny - max(0, -dr), max(0, dc):nx - max(0, -dc)]
        hit = (src > 0) & (dst != src) & (dst == 0)
        r, c = np.nonzero(hit)
        rows.append(r + max(0, dr))
        cols.append(c + max(0, dc))
        labs.append(src[hit])
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(labs)


def footprint_stats(raster: np.ndarray, geometries: gpd.GeoSeries | np.ndarray, grid: Terrain,
                    *, where: str = "inside", labels: np.ndarray | None = None) -> pd.DataFrame:
    """Min, max and mean of ``raster`` over each footprint, NaN where none.

    Parameters
    ----------
    raster
        Array on the terrain grid (NaN ignored).
    geometries
        Footprints in the grid's CRS, one row per result row (index kept by position).
    where
        ``"inside"``: cells whose centre lies in the footprint (at least one per
        footprint); ``"edge"``: cells just outside it (for blocked buildings).
    labels
        Precomputed :func:`label_footprints` of the same geometries, to save work.
    """
    geoms = np.asarray(getattr(geometries, "values", geometries))
    n = len(geoms)
    if labels is None:
        labels = label_footprints(geoms, grid)
    values = np.asarray(raster, dtype=float)
    if where == "inside":
        lab = labels.ravel()
        val = values.ravel()
    elif where == "edge":
        r, c, lab = edge_cells(labels)
        val = values[r, c]
    else:
        raise ValueError("where must be 'inside' or 'edge'")
    ok = (lab > 0) & np.isfinite(val)
    lab, val = lab[ok], val[ok]
    count = np.bincount(lab, minlength=n + 1)[1:]
    total = np.bincount(lab, weights=val, minlength=n + 1)[1:]
    vmin = np.full(n, np.nan)
    vmax = np.full(n, np.nan)
    idx = np.arange(1, n + 1)
    has = count > 0
    if has.any():
        vmin[has] = ndimage.minimum(val, lab, idx[has])
        vmax[has] = ndimage.maximum(val, lab, idx[has])
    mean = np.divide(total, count, out=np.full(n, np.nan), where=has)
    return pd.DataFrame({"min": vmin, "max": vmax, "mean": mean, "cells": count})
