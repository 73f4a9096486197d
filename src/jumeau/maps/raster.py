"""Grids as map images: classes → palette PNG, warped to Web Mercator, as ``data:`` URIs.

Leaflet stretches an image linearly between two corners in Web Mercator
(EPSG:3857). A Lambert-93 grid is neither aligned with nor linear in that projection,
so each grid is first reprojected with :func:`rasterio.warp.reproject` onto a
Web-Mercator-aligned grid; its corners are then exact in latitude/longitude.

Class indices (not colours) are warped, with nearest-neighbour resampling, so that no
colour that is not in the legend appears at class borders; the PNG is paletted (one
byte a pixel, transparency in ``tRNS``), which keeps animation frames small.
"""

from __future__ import annotations

import base64
import warnings
from dataclasses import dataclass

import numpy as np
import rasterio
from affine import Affine
from rasterio.crs import CRS as RioCRS
from rasterio.enums import Resampling
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile
from rasterio.warp import calculate_default_transform, reproject, transform_bounds

from jumeau.territory.terrain import Terrain

WEB_MERCATOR = RioCRS.from_epsg(3857)
WGS84 = RioCRS.from_epsg(4326)

#: Longest side of a map image, in pixels; larger grids are downsampled when warped.
MAX_SIZE_PX = 2048


@dataclass(frozen=True)
class MercatorGrid:
    """A Web-Mercator-aligned target grid and its corners in latitude/longitude."""

    transform: Affine
    width: int
    height: int
    bounds_latlon: tuple[tuple[float, float], tuple[float, float]]
    """((south, west), (north, east)), as Leaflet expects."""


def mercator_grid(grid: Terrain, *, max_size_px: int = MAX_SIZE_PX) -> MercatorGrid:
    """The Web Mercator grid covering ``grid``, at about its resolution.

    Parameters
    ----------
    grid
        The source grid (shape, transform and CRS are used).
    max_size_px
        Upper bound of the longest side; the resolution is coarsened to fit.
    """
    ny, nx = grid.shape
    src_crs = RioCRS.from_wkt(grid.crs.to_wkt())
    left, bottom, right, top = grid.bounds
    transform, width, height = calculate_default_transform(
        src_crs, WEB_MERCATOR, nx, ny, left=left, bottom=bottom, right=right, top=top)
    if max(width, height) > max_size_px:
        factor = max(width, height) / max_size_px
        transform, width, height = calculate_default_transform(
            src_crs, WEB_MERCATOR, nx, ny, left=left, bottom=bottom, right=right, top=top,
            resolution=abs(transform.a) * factor)
    x0, y0 = transform @ (0, 0)
    x1, y1 = transform @ (width, height)
    west, south, east, north = transform_bounds(WEB_MERCATOR, WGS84, min(x0, x1), min(y0, y1),
                                                max(x0, x1), max(y0, y1))
    return MercatorGrid(transform, int(width), int(height),
                        ((round(south, 7), round(west, 7)), (round(north, 7), round(east, 7))))


def warp(values: np.ndarray, grid: Terrain, target: MercatorGrid, *,
         resampling: Resampling = Resampling.nearest, nodata: float = 0) -> np.ndarray:
    """Reproject a grid (2-D) or a stack of grids (3-D, frames first) onto ``target``.

    Cells outside the source, and source cells equal to ``nodata`` (NaN allowed), are
    ``nodata`` in the result.
    """
    src = np.ascontiguousarray(values)
    shape = (src.shape[0], target.height, target.width) if src.ndim == 3 else (
        target.height, target.width)
    out = np.full(shape, nodata, dtype=src.dtype)
    reproject(src, out, src_transform=grid.transform,
              src_crs=RioCRS.from_wkt(grid.crs.to_wkt()), src_nodata=nodata,
              dst_transform=target.transform, dst_crs=WEB_MERCATOR, dst_nodata=nodata,
              resampling=resampling)
    return out


def _rgba(color: str, alpha: int = 255) -> tuple[int, int, int, int]:
    c = color.lstrip("#")
    if len(c) in (3, 4):
        c = "".join(ch * 2 for ch in c)
    if len(c) not in (6, 8):
        raise ValueError(f"raster colours must be hex ('#rrggbb'), not {color!r}")
    a = int(c[6:8], 16) if len(c) == 8 else alpha
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), a


def palette_png(index: np.ndarray, palette: list[tuple[int, int, int, int]]) -> bytes:
    """A paletted PNG of a uint8 index image (row 0 at the top).

    Examples
    --------
    >>> png = palette_png(np.array([[0, 1]], dtype="uint8"), [(0, 0, 0, 0), (255, 0, 0, 255)])
    >>> png[:4]
    b'\\x89PNG'
    """
    if index.dtype != np.uint8 or index.ndim != 2:
        raise ValueError("palette_png needs a 2-D uint8 array")
    if len(palette) > 256:
        raise ValueError("a PNG palette holds at most 256 colours")
    colormap = {i: tuple(int(v) for v in rgba) for i, rgba in enumerate(palette)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)
        with rasterio.Env(GDAL_PAM_ENABLED="NO"), MemoryFile() as memory:
            with memory.open(driver="PNG", width=index.shape[1], height=index.shape[0], count=1,
                             dtype="uint8") as dataset:
                dataset.write(index, 1)
                dataset.write_colormap(1, colormap)
            return memory.read()


def data_uri(png: bytes) -> str:
    """A ``data:image/png;base64,…`` URI."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def class_palette(colors: list[str | None]) -> list[tuple[int, int, int, int]]:
    """Palette for class images: entry 0 transparent, entry k+1 the colour of class k."""
    return [(0, 0, 0, 0)] + [(0, 0, 0, 0) if c is None else _rgba(c) for c in colors]


def class_image(classes: np.ndarray, grid: Terrain, target: MercatorGrid,
                colors: list[str | None]) -> str:
    """Warp class indices (``-1`` = not drawn) and encode them as a PNG data URI."""
    if len(colors) > 255:
        raise ValueError("a raster style has at most 255 classes")
    index = (np.asarray(classes) + 1).astype(np.uint8)  # 0 = transparent
    return data_uri(palette_png(warp(index, grid, target), class_palette(colors)))


def class_frames(classes: np.ndarray, grid: Terrain, target: MercatorGrid,
                 colors: list[str | None]) -> list[str]:
    """Like :func:`class_image` for a stack of frames (first axis), warped in one go."""
    index = (np.asarray(classes) + 1).astype(np.uint8)
    palette = class_palette(colors)
    return [data_uri(palette_png(frame, palette)) for frame in warp(index, grid, target)]


def hillshade_image(terrain: Terrain, target: MercatorGrid, *, strength: float = 0.55) -> str:
    """The terrain's shaded relief as a translucent PNG data URI.

    Slopes facing away from the light darken and slopes facing it lighten what lies
    beneath (the twin's plain background, or map tiles); flat ground is transparent,
    so the relief reads on any background.
    """
    shade = terrain.hillshade().astype(np.float32)
    warped = warp(shade, terrain, target, resampling=Resampling.bilinear, nodata=np.nan)
    # Index 0: no data; 1…255: shade from 0 (dark) to 1 (lit).
    index = np.where(np.isfinite(warped), 1 + np.round(np.nan_to_num(warped) * 254), 0)
    flat = np.sin(np.radians(45.0))  # shade of level ground, light 45° high
    palette = [(0, 0, 0, 0)]
    for k in range(1, 256):
        s = (k - 1) / 254
        if s < flat:
            palette.append((20, 24, 40, round(255 * strength * (flat - s) / flat)))
        else:
            palette.append((255, 255, 255, round(255 * strength * 0.8 * (s - flat) / (1 - flat))))
    return data_uri(palette_png(index.astype(np.uint8), palette))
