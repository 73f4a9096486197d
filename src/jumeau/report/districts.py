"""Districts for the report's table: the territory's own, else a 500 m grid.

The grid is laid on round Lambert-93 coordinates and its cells are named like a street
atlas — a letter per column from the west, a number per row from the north (``B3``) —
and the report's map image shows those names.

Examples
--------
>>> import shapely, geopandas as gpd
>>> from jumeau.territory import Territory
>>> t = Territory("x", buildings=gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 900, 400)],
...                                               crs=2154))
>>> list(district_grid(t)["district"])
['A1', 'B1']
"""

from __future__ import annotations

import string

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from jumeau.territory.model import Territory

CELL_M = 500.0


def _column_name(i: int) -> str:
    letters = string.ascii_uppercase
    return letters[i] if i < 26 else letters[i // 26 - 1] + letters[i % 26]


def district_grid(territory: Territory, cell_m: float = CELL_M) -> gpd.GeoDataFrame:
    """Square districts of ``cell_m`` covering the territory, named ``A1``, ``B1``…"""
    xmin, ymin, xmax, ymax = territory.extent
    if not np.all(np.isfinite([xmin, ymin, xmax, ymax])):
        return gpd.GeoDataFrame({"district": []}, geometry=[], crs=territory.crs)
    x0, y1 = np.floor(xmin / cell_m) * cell_m, np.ceil(ymax / cell_m) * cell_m
    nx = max(1, int(np.ceil((xmax - x0) / cell_m)))
    ny = max(1, int(np.ceil((y1 - ymin) / cell_m)))
    names, boxes = [], []
    for r in range(ny):
        for c in range(nx):
            names.append(f"{_column_name(c)}{r + 1}")
            boxes.append(shapely.box(x0 + c * cell_m, y1 - (r + 1) * cell_m,
                                     x0 + (c + 1) * cell_m, y1 - r * cell_m))
    return gpd.GeoDataFrame({"district": names}, geometry=boxes, crs=territory.crs)


def by_district(frame: gpd.GeoDataFrame, districts: gpd.GeoDataFrame,
                columns: tuple[str, ...], flag: str | None = None) -> pd.DataFrame:
    """Features counted (those whose ``flag`` is set) and ``columns`` summed per district,
    each feature in the district holding its representative point."""
    if flag is not None and flag in frame.columns:
        frame = frame[frame[flag].astype(bool).to_numpy()]
    cols = [c for c in columns if c in frame.columns]
    if not len(frame) or not len(districts):
        return pd.DataFrame(columns=["district", "count", *cols])
    points = shapely.point_on_surface(frame.geometry.values)
    tree = shapely.STRtree(districts.geometry.values)
    idx_pt, idx_d = tree.query(points, predicate="within")
    which = np.full(len(frame), -1)
    which[idx_pt] = idx_d
    data = pd.DataFrame({"district": np.where(which >= 0, districts["district"].to_numpy()[
        np.clip(which, 0, None)], "—"), "count": 1.0})
    for c in cols:
        data[c] = pd.to_numeric(frame[c], errors="coerce").to_numpy()
    return data.groupby("district", as_index=False).sum(numeric_only=True)
