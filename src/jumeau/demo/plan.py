"""The master plan of the demo commune: where the river, the districts and the works are.

Everything here is fixed geometry (no randomness): the frame of the DEM, the river's
centreline, how wide the floodplain is along the valley, the quay, the levee and the
places of the facilities. Other modules (:mod:`jumeau.demo.terrain`,
:mod:`jumeau.demo.streets`, :mod:`jumeau.demo.buildings`, …) read it and add seeded
detail. Local coordinates ``(u, v)`` are metres east and north of the town centre
``(X0, Y0)`` in Lambert-93.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from affine import Affine
from scipy.interpolate import CubicSpline
from scipy.spatial import cKDTree

#: Name and (fictional) INSEE code of the demo commune.
COMMUNE_NAME = "Saint-Aubin-sur-Rive"
INSEE_CODE = "99001"
RIVER_NAME = "La Rive"
TRIBUTARY_NAME = "Ruisseau des Fontaines"
CRS = "EPSG:2154"

#: Town centre in Lambert-93 (m): the origin of the local ``(u, v)`` frame.
X0 = 651_000.0
Y0 = 6_601_000.0

#: DEM frame: 5 m cells, 480 columns × 400 rows, north-up.
CELL_M = 5.0
DEM_COLS = 480
DEM_ROWS = 400
DEM_WEST = X0 - 1200.0
DEM_NORTH = Y0 + 1000.0

#: River design: bank level at the upstream edge (m NGF), longitudinal slope (m/m),
#: channel top width and depth below the banks (m).
BANK_LEVEL_INFLOW_M = 158.0
RIVER_SLOPE = 0.0010
CHANNEL_HALF_WIDTH_M = 20.0
CHANNEL_BED_HALF_WIDTH_M = 14.0
CHANNEL_DEPTH_M = 3.0

#: The centre reach, where the north bank is a quay (u between these, m).
QUAY_U_M = (-270.0, 270.0)
#: The low district protected by the levee (u between these, m), on the south bank.
LEVEE_U_M = (440.0, 930.0)
#: Distance from the river centreline to the levee crest (m).
LEVEE_OFFSET_M = 85.0
#: Crest half-width that keeps every DEM cell the crest line crosses at crest level.
LEVEE_CREST_HALF_WIDTH_M = 3.6
#: Slope of the levee sides (horizontal per vertical).
LEVEE_SIDE_SLOPE = 2.5
#: Design freeboard of the levee crest above the 100-year level (m).
LEVEE_FREEBOARD_M = 0.40
#: Height of the flood wall that would protect the centre (m above the quay).
QUAY_WALL_HEIGHT_M = 1.2
#: Freeboard the design leaves between that wall and the 100-year level behind it (m).
QUAY_WALL_FREEBOARD_M = 0.40


def _spline(u: list[float], v: list[float]) -> CubicSpline:
    return CubicSpline(np.asarray(u), np.asarray(v), bc_type="natural")


#: River centreline v(u) (m): enters on the west edge, leaves on the east edge.
_RIVER = _spline([-1500, -1150, -850, -550, -250, 0, 250, 500, 800, 1100, 1500],
                 [215, 240, 222, 160, 112, 100, 88, 62, 28, 10, 20])

#: Width of the south floodplain from the channel edge to the foot of the hills (m).
_SOUTH_FLOODPLAIN = ([-1500, -1200, -1000, -760, 240, 400, 950, 1120, 1500],
                     [150, 150, 360, 480, 480, 340, 340, 170, 170])
#: Distance from the channel edge to the foot of the north hills (m).
_NORTH_FOOT = ([-1500, -1200, -950, -500, -350, 350, 500, 950, 1200, 1500],
               [110, 110, 250, 250, 330, 330, 170, 170, 110, 110])

#: Tributary centreline (u, v), from the north hills to the river.
TRIBUTARY_UV = np.array([[-560, 1050], [-590, 900], [-640, 760], [-660, 620], [-650, 480],
                         [-620, 360], [-600, 260], [-592, 196]], dtype=float)


def river_v(u: np.ndarray) -> np.ndarray:
    """North offset (m) of the river centreline at ``u``."""
    return _RIVER(np.asarray(u, dtype=float))


def south_floodplain_width(u: np.ndarray) -> np.ndarray:
    """Width (m) of the south floodplain, from the channel edge to the hill foot."""
    return np.interp(u, *_SOUTH_FLOODPLAIN)


def north_hill_foot(u: np.ndarray) -> np.ndarray:
    """Distance (m) from the channel edge to the foot of the north hills."""
    return np.interp(u, *_NORTH_FOOT)


def to_map(uv: np.ndarray) -> np.ndarray:
    """Local ``(u, v)`` → Lambert-93 ``(x, y)``."""
    uv = np.asarray(uv, dtype=float)
    return uv + np.array([X0, Y0])


def to_local(xy: np.ndarray) -> np.ndarray:
    """Lambert-93 ``(x, y)`` → local ``(u, v)``."""
    return np.asarray(xy, dtype=float) - np.array([X0, Y0])


def smoothstep(t: np.ndarray) -> np.ndarray:
    """0 below 0, 1 above 1, a smooth S in between."""
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


@dataclass(frozen=True)
class Frame:
    """The DEM grid and the river's geometry, with fast lookups of both.

    Attributes
    ----------
    transform
        Affine transform of the DEM (cell corners, Lambert-93).
    shape
        ``(rows, cols)`` of the DEM.
    """

    transform: Affine = Affine(CELL_M, 0.0, DEM_WEST, 0.0, -CELL_M, DEM_NORTH)
    shape: tuple[int, int] = (DEM_ROWS, DEM_COLS)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) of the DEM in Lambert-93."""
        rows, cols = self.shape
        return (DEM_WEST, DEM_NORTH - rows * CELL_M, DEM_WEST + cols * CELL_M, DEM_NORTH)

    @cached_property
    def cell_uv(self) -> tuple[np.ndarray, np.ndarray]:
        """Local coordinates of every cell centre, two ``shape`` arrays."""
        rows, cols = self.shape
        u = DEM_WEST - X0 + CELL_M * (np.arange(cols) + 0.5)
        v = DEM_NORTH - Y0 - CELL_M * (np.arange(rows) + 0.5)
        return np.meshgrid(u, v)

    @cached_property
    def _river_samples(self) -> tuple[np.ndarray, np.ndarray]:
        u = np.arange(-1500.0, 1500.0 + 1.0, 2.0)
        pts = np.column_stack([u, river_v(u)])
        step = np.hypot(*np.diff(pts, axis=0).T)
        chain = np.r_[0.0, np.cumsum(step)]
        # Chainage 0 where the river enters the DEM (its west edge).
        west = DEM_WEST - X0
        chain -= np.interp(west, u, chain)
        return pts, chain

    @cached_property
    def _river_tree(self) -> cKDTree:
        return cKDTree(self._river_samples[0])

    @cached_property
    def river_length_m(self) -> float:
        """Length of the river between the west and east edges of the DEM."""
        pts, chain = self._river_samples
        east = DEM_WEST - X0 + self.shape[1] * CELL_M
        return float(np.interp(east, pts[:, 0], chain))

    def river_line(self, u_min: float | None = None, u_max: float | None = None,
                   step_m: float = 5.0) -> shapely.LineString:
        """The river centreline in Lambert-93, between two ``u`` (the DEM by default)."""
        west, _, east, _ = self.bounds
        u0 = west - X0 if u_min is None else u_min
        u1 = east - X0 if u_max is None else u_max
        u = np.linspace(u0, u1, int(round((u1 - u0) / step_m)) + 1)
        return shapely.LineString(to_map(np.column_stack([u, river_v(u)])))

    def river_coordinates(self, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Signed distance to the river centreline (m, + north) and chainage (m).

        The chainage is the distance along the river from where it enters the DEM.
        """
        pts, chain = self._river_samples
        u = np.asarray(u, dtype=float)
        v = np.asarray(v, dtype=float)
        q = np.column_stack([u.ravel(), v.ravel()])
        _, idx = self._river_tree.query(q)
        best_d = np.full(len(q), np.inf)
        best_c = np.zeros(len(q))
        # Project on the segments before and after the nearest sample.
        for i0 in (np.maximum(idx - 1, 0), np.minimum(idx, len(pts) - 2)):
            a, b = pts[i0], pts[i0 + 1]
            ab = b - a
            t = np.clip(np.einsum("ij,ij->i", q - a, ab) / np.einsum("ij,ij->i", ab, ab), 0, 1)
            foot = a + t[:, None] * ab
            d = np.hypot(*(q - foot).T)
            better = d < best_d
            best_d = np.where(better, d, best_d)
            best_c = np.where(better, chain[i0] + t * (chain[i0 + 1] - chain[i0]), best_c)
        sign = np.where(q[:, 1] >= river_v(q[:, 0]), 1.0, -1.0)
        return (sign * best_d).reshape(u.shape), best_c.reshape(u.shape)

    @cached_property
    def cell_river(self) -> tuple[np.ndarray, np.ndarray]:
        """Signed distance to the river and chainage of every cell centre."""
        return self.river_coordinates(*self.cell_uv)

    def bank_level(self, chainage_m: np.ndarray) -> np.ndarray:
        """Level (m NGF) of the natural bank top at a chainage."""
        return BANK_LEVEL_INFLOW_M - RIVER_SLOPE * np.asarray(chainage_m, dtype=float)

    def point_at(self, chainage_m: float, offset_m: float = 0.0) -> np.ndarray:
        """Local ``(u, v)`` of a point at a chainage, ``offset_m`` to the left (north)."""
        pts, chain = self._river_samples
        i = int(np.clip(np.searchsorted(chain, chainage_m), 1, len(chain) - 1))
        t = pts[i] - pts[i - 1]
        t /= np.hypot(*t)
        normal = np.array([-t[1], t[0]])
        return pts[i] + offset_m * normal

    def offset_line(self, u_min: float, u_max: float, offset_m: float,
                    step_m: float = 5.0) -> np.ndarray:
        """Local coordinates of a line parallel to the river, ``offset_m`` north of it."""
        pts, chain = self._river_samples
        c0 = float(np.interp(u_min, pts[:, 0], chain))
        c1 = float(np.interp(u_max, pts[:, 0], chain))
        n = max(2, int(round((c1 - c0) / step_m)) + 1)
        return np.array([self.point_at(c, offset_m) for c in np.linspace(c0, c1, n)])

    def chainage_at_u(self, u: float) -> float:
        """Chainage of the river where it crosses ``u``."""
        pts, chain = self._river_samples
        return float(np.interp(u, pts[:, 0], chain))


FRAME = Frame()


def levee_line_uv() -> np.ndarray:
    """The levee crest line (local coordinates): a U from the hills, along the river,
    back to the hills, closing the low district of the south bank."""
    u0, u1 = LEVEE_U_M
    along = FRAME.offset_line(u0, u1, -LEVEE_OFFSET_M, step_m=10.0)
    hill_u0 = float(south_floodplain_width(u0)) + 80.0
    hill_u1 = float(south_floodplain_width(u1)) + 80.0
    start = along[0]
    end = along[-1]
    arm0 = np.column_stack([np.full(8, start[0]), np.linspace(start[1] - hill_u0, start[1], 8)])
    arm1 = np.column_stack([np.full(8, end[0]), np.linspace(end[1], end[1] - hill_u1, 8)])
    return np.vstack([arm0[:-1], along, arm1[1:]])


def protected_area_uv() -> shapely.Polygon:
    """The district behind the levee, closed along the hills (local coordinates)."""
    return shapely.Polygon(levee_line_uv())


def quay_line_uv() -> np.ndarray:
    """The quay edge along the centre reach (local coordinates), where a wall would go.

    It runs 4.5 m inside the bank, so that every DEM cell it touches is a quay cell, and
    its ends reach into the rock spurs that close the low streets on both sides.
    """
    return FRAME.offset_line(QUAY_U_M[0] - 25.0, QUAY_U_M[1] + 25.0,
                             CHANNEL_HALF_WIDTH_M + 4.5, step_m=10.0)


def quay_district_uv() -> shapely.Polygon:
    """The low streets behind the quay (local coordinates), up to the terrace."""
    front = FRAME.offset_line(QUAY_U_M[0], QUAY_U_M[1], CHANNEL_HALF_WIDTH_M + 9.0, step_m=10.0)
    back = FRAME.offset_line(QUAY_U_M[0], QUAY_U_M[1], 200.0, step_m=10.0)
    return shapely.Polygon(np.vstack([front, back[::-1]]))
