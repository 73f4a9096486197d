"""The terrain: a digital elevation model on a regular grid."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from affine import Affine
from pyproj import CRS


@dataclass(frozen=True)
class Terrain:
    """A DEM on a regular, north-up grid.

    Attributes
    ----------
    elevation_m
        2-D float array (row 0 is the northern edge), NaN where there is no data.
    transform
        Affine transform from (col, row) to map coordinates of the cell corner.
    crs
        The projected CRS of the grid (the territory's).
    derived
        True when the grid was derived by jumeau from the heights carried by vector layers
        (3-D vertices, building ground altitudes) because no DEM was given.
    source
        The file it came from (empty when derived).
    method
        ``"raster"`` (read from a DEM raster), ``"points"`` (interpolated from elevation
        points) or ``"derived"``.
    filled_cells
        Number of nodata cells that were filled by interpolation on load.
    """

    elevation_m: np.ndarray
    transform: Affine
    crs: CRS
    derived: bool = False
    source: str = ""
    method: str = "raster"
    filled_cells: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def shape(self) -> tuple[int, int]:
        return self.elevation_m.shape

    @property
    def resolution_m(self) -> float:
        """Cell size in metres (the grid is square)."""
        return float(abs(self.transform.a))

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the grid."""
        ny, nx = self.shape
        x0, y0 = _apply(self.transform, 0.0, 0.0)
        x1, y1 = _apply(self.transform, float(nx), float(ny))
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    def rowcol(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of the cells holding map points (may fall outside the grid)."""
        col, row = _apply(~self.transform, np.asarray(x, dtype=float),
                          np.asarray(y, dtype=float))
        return np.floor(row).astype(np.int64), np.floor(col).astype(np.int64)

    def xy(self, row: np.ndarray, col: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Map coordinates of cell centres."""
        x, y = _apply(self.transform, np.asarray(col, dtype=float) + 0.5,
                      np.asarray(row, dtype=float) + 0.5)
        return x, y

    def inside(self, row: np.ndarray, col: np.ndarray) -> np.ndarray:
        ny, nx = self.shape
        return (row >= 0) & (row < ny) & (col >= 0) & (col < nx)

    def sample(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Elevation at map points (nearest cell), NaN outside the grid."""
        row, col = self.rowcol(x, y)
        ok = self.inside(row, col)
        out = np.full(row.shape, np.nan)
        out[ok] = self.elevation_m[row[ok], col[ok]]
        return out

    def with_elevation(self, elevation_m: np.ndarray, **changes) -> Terrain:
        """A copy with another elevation array on the same grid."""
        if elevation_m.shape != self.shape:
            raise ValueError("elevation array must keep the grid's shape")
        return replace(self, elevation_m=elevation_m, **changes)

    def hillshade(self, azimuth_deg: float = 315.0, altitude_deg: float = 45.0,
                  z_factor: float = 1.0) -> np.ndarray:
        """Shaded relief in [0, 1] (NaN where the DEM has no data)."""
        z = self.elevation_m.astype(float) * z_factor
        dy, dx = np.gradient(z, self.resolution_m)
        # Rows grow southwards: flip dy so that the gradient points north.
        slope = np.pi / 2 - np.arctan(np.hypot(dx, dy))
        aspect = np.arctan2(-dx, dy)
        az = np.radians(360.0 - azimuth_deg + 90.0)
        alt = np.radians(altitude_deg)
        shade = np.sin(alt) * np.sin(slope) + np.cos(alt) * np.cos(slope) * np.cos(az - aspect)
        return np.clip(shade, 0.0, 1.0)


def _apply(t: Affine, x, y):
    """Apply an affine transform to coordinates (scalars or arrays)."""
    return t.a * x + t.b * y + t.c, t.d * x + t.e * y + t.f
