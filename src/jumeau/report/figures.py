"""Static map images for the reports, drawn with matplotlib (no browser needed).

Presentation only: the twin's layers in grey, one result grid or layer on top, the
measures, a district grid with its labels; returned as PNG bytes.
"""

from __future__ import annotations

import io

import geopandas as gpd
import matplotlib
import shapely

matplotlib.use("Agg")  # no screen: files only

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import colors as mcolors
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.path import Path

from jumeau.territory.model import Territory
from jumeau.territory.terrain import Terrain

#: Longest side of a grid drawn in a report (coarser grids are subsampled).
MAX_CELLS = 900


def _png(fig) -> bytes:
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _polygons(ax, geoms: np.ndarray, **style) -> None:
    """Every polygon of ``geoms`` as one compound path (holes by the non-zero rule).

    geopandas draws a patch per polygon, which costs about 0.1 ms each: half a second
    for a commune's buildings, in every image of every report.
    """
    parts = shapely.get_parts(geoms[~shapely.is_empty(geoms)])
    polygons = shapely.orient_polygons(parts[shapely.get_type_id(parts) == 3])
    if not len(polygons):
        return
    coords, ring = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    starts = np.flatnonzero(np.r_[True, ring[1:] != ring[:-1]])
    codes[starts] = Path.MOVETO
    codes[np.r_[starts[1:], len(coords)] - 1] = Path.CLOSEPOLY
    ax.add_collection(PathCollection([Path(coords, codes)], **style), autolim=True)


def _lines(ax, geoms: np.ndarray, **style) -> None:
    """Every line (and polygon outline) of ``geoms`` as one collection."""
    parts = shapely.get_parts(geoms[~shapely.is_empty(geoms)])
    kind = shapely.get_type_id(parts)
    lines = np.concatenate([parts[kind == 1], parts[kind == 2],
                            shapely.get_parts(shapely.boundary(parts[kind == 3]))])
    if not len(lines):
        return
    coords, line = shapely.get_coordinates(lines, return_index=True)
    cuts = np.flatnonzero(line[1:] != line[:-1]) + 1
    ax.add_collection(LineCollection(np.split(coords, cuts), **style), autolim=True)


def _background(ax, territory: Territory) -> None:
    water = territory.water.geometry.values
    if len(water):
        _polygons(ax, water, facecolor="#a6cee3", edgecolor="none", zorder=1)
        _lines(ax, water[shapely.get_dimensions(water) == 1], color="#a6cee3",
               linewidth=1.2, zorder=1)
    roads = territory.roads.geometry.values
    if len(roads):
        _lines(ax, roads, color="#b0b0b0", linewidth=0.6, zorder=2)
    b = territory.buildings.geometry.values
    if len(b):
        _polygons(ax, b, facecolor="#d9d9d9", edgecolor="#bdbdbd", linewidth=0.2, zorder=3)


def _grid(ax, values: np.ndarray, grid: Terrain, cmap, norm) -> object:
    step = max(1, int(np.ceil(max(values.shape) / MAX_CELLS)))
    shown = np.ma.masked_invalid(values[::step, ::step])
    xmin, ymin, xmax, ymax = grid.bounds
    return ax.imshow(shown, extent=(xmin, xmax, ymin, ymax), origin="upper", cmap=cmap,
                     norm=norm, interpolation="nearest", zorder=4, alpha=0.85)


def _districts(ax, districts: gpd.GeoDataFrame | None) -> None:
    if districts is None or not len(districts):
        return
    _lines(ax, districts.geometry.values, color="#555555", linewidth=0.5, linestyle=":",
           zorder=6)
    pts = districts.geometry.representative_point()
    for name, p in zip(districts["district"], pts):
        ax.annotate(str(name), (p.x, p.y), fontsize=6, color="#333333", ha="center",
                    va="center", zorder=7,
                    bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.6))


def map_png(territory: Territory, *, values: np.ndarray | None = None,
            grid: Terrain | None = None, layer: gpd.GeoDataFrame | None = None,
            label: str = "", diverging: bool = False, better: str | None = None,
            structures: gpd.GeoDataFrame | None = None,
            districts: gpd.GeoDataFrame | None = None) -> bytes:
    """A map image: the twin, a grid (``values`` on ``grid``) or a ``layer``, measures.

    ``diverging`` centres the colours on 0 (a difference: green where the declared
    better direction improves).
    """
    fig, ax = plt.subplots(figsize=(7.2, 5.4), dpi=110)
    try:
        _background(ax, territory)
        if values is not None and grid is not None and np.isfinite(values).any():
            finite = values[np.isfinite(values)]
            if diverging:
                top = float(np.quantile(np.abs(finite), 0.98)) or float(np.abs(finite).max()) \
                    or 1.0
                norm = mcolors.TwoSlopeNorm(vcenter=0.0, vmin=-top, vmax=top)
                cmap = "RdYlGn" if better == "higher" else (
                    "RdYlGn_r" if better == "lower" else "PuOr")
                values = np.where(np.abs(values) < 0.02 * top, np.nan, values)
            else:
                norm = mcolors.Normalize(vmin=float(finite.min()), vmax=float(finite.max()))
                cmap = "Blues" if better == "lower" else "viridis"
            image = _grid(ax, values, grid, cmap, norm)
            bar = fig.colorbar(image, ax=ax, shrink=0.8)
            bar.set_label(label, fontsize=8)
        elif layer is not None and len(layer):
            layer.plot(ax=ax, color="#d7301f", edgecolor="#67000d", linewidth=0.4, zorder=5)
        if structures is not None and len(structures):
            structures.plot(ax=ax, color="#000000", linewidth=2.2, alpha=0.8, zorder=8)
        _districts(ax, districts)
        ax.autoscale_view()
        xmin, ymin, xmax, ymax = territory.extent
        if np.all(np.isfinite([xmin, ymin, xmax, ymax])):
            ax.set_xlim(xmin, xmax)
            ax.set_ylim(ymin, ymax)
        ax.set_aspect("equal")
        ax.set_axis_off()
        return _png(fig)
    finally:
        plt.close(fig)


def series_png(x: np.ndarray, curves: dict[str, np.ndarray], *, x_label: str, y_label: str,
               others: dict[str, np.ndarray] | None = None, x_other: np.ndarray | None = None,
               names: tuple[str, str] = ("", "")) -> bytes:
    """A chart of named curves (dashed grey: the baseline's, when given)."""
    fig, ax = plt.subplots(figsize=(7.2, 3.0), dpi=110)
    try:
        palette = plt.get_cmap("tab10")
        for i, (name, y) in enumerate(curves.items()):
            ax.plot(x, y, color=palette(i % 10), label=f"{name} — {names[1]}" if others else name)
            if others and name in others:
                ax.plot(x_other if x_other is not None else x, others[name], color=palette(i % 10),
                        linestyle="--", alpha=0.6, label=f"{name} — {names[0]}")
        ax.set_xlabel(x_label, fontsize=8)
        ax.set_ylabel(y_label, fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=6, ncol=2)
        return _png(fig)
    finally:
        plt.close(fig)
