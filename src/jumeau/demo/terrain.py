"""The demo commune's terrain: a river valley with a quay, a levee and hills.

The surface is built as a height above the river's bank level (which falls by
``RIVER_SLOPE`` along the river) from a few hand-shaped profiles across the valley, plus
seeded smooth noise so that it does not look machined. The levee and the quay are added
last, at levels set by the hydraulic design (:mod:`jumeau.demo.hydraulics`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy import ndimage
from scipy.spatial import cKDTree

from jumeau.demo import plan
from jumeau.demo.plan import FRAME, smoothstep


@dataclass(frozen=True)
class TerrainNoise:
    """Seeded smooth noise fields (unit standard deviation) on the DEM grid.

    Attributes
    ----------
    broad
        Undulations a few hundred metres across.
    fine
        Small bumps a few tens of metres across.
    """

    broad: np.ndarray
    fine: np.ndarray

    @classmethod
    def draw(cls, rng: np.random.Generator) -> TerrainNoise:
        """Draw both fields from ``rng``."""
        def field(sigma_cells: float) -> np.ndarray:
            raw = ndimage.gaussian_filter(rng.standard_normal(FRAME.shape), sigma_cells,
                                          mode="reflect")
            return (raw - raw.mean()) / raw.std()

        return cls(broad=field(28.0), fine=field(5.0))


def channel_profile(offset_m: np.ndarray) -> np.ndarray:
    """Height (m) of the channel bed below bank level across the river (trapezoid with a
    slightly deeper thalweg)."""
    d = np.abs(offset_m)
    bed = -plan.CHANNEL_DEPTH_M - 0.35 * (1.0 - (d / plan.CHANNEL_BED_HALF_WIDTH_M) ** 2)
    bank = -plan.CHANNEL_DEPTH_M * (plan.CHANNEL_HALF_WIDTH_M - d) / (
        plan.CHANNEL_HALF_WIDTH_M - plan.CHANNEL_BED_HALF_WIDTH_M)
    return np.where(d <= plan.CHANNEL_BED_HALF_WIDTH_M, bed, bank)


def _south_land(u: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Height above bank level of the south bank, ``a`` metres from the channel edge."""
    width = plan.south_floodplain_width(u)
    t = a / width
    floodplain = np.interp(t, [0.0, 0.04, 0.3, 0.6, 1.0], [0.05, 0.35, 0.25, 0.6, 1.9])
    beyond = np.maximum(a - width, 0.0)
    hill = 28.0 * smoothstep(beyond / 380.0) + 0.006 * beyond
    return floodplain + hill


def _north_general(u: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Height above bank level of the north valley floor and hills (outside the centre)."""
    foot = plan.north_hill_foot(u)
    floor = np.interp(a / foot, [0.0, 0.1, 0.5, 1.0], [0.05, 0.35, 0.3, 1.2])
    beyond = np.maximum(a - foot, 0.0)
    return floor + 45.0 * smoothstep(beyond / 550.0) + 0.01 * beyond


#: The centre's profile across the north bank: distance from the channel edge (m) →
#: height above bank level (m), with the quay top added to the first four values.
_TERRACE_A = np.array([0.0, 12.0, 20.0, 95.0, 150.0, 220.0, 330.0, 480.0])
_TERRACE_H = np.array([0.0, 0.0, -0.3, -0.3, 2.0, 4.0, 6.0, np.nan])


def _north_land(u: np.ndarray, a: np.ndarray, quay_top_m: float) -> np.ndarray:
    """Height above bank level of the north bank (valley floor, centre terrace, hills).

    The centre stands on a terrace that ends in a gentle escarpment on both sides; in
    front of it, along the river, the quay and the low streets behind it.
    """
    general = _north_general(u, a)
    lo, hi = plan.QUAY_U_M
    centre_u = np.zeros_like(_TERRACE_A)
    base = _north_general(centre_u, _TERRACE_A)
    terrace = _TERRACE_H + np.where(np.arange(len(_TERRACE_H)) < 4, quay_top_m, 0.0)
    terrace[-1] = base[-1]
    lift = np.interp(a, _TERRACE_A, terrace - base)
    w = 1.0 - smoothstep((np.maximum(lo - u, u - hi)) / 90.0)
    land = general + w * lift
    # Rock spurs just beyond both ends of the quay close the low streets behind it.
    spur = (np.exp(-((u - (lo - 10.0)) / 30.0) ** 2) + np.exp(-((u - (hi + 10.0)) / 30.0) ** 2))
    spur_h = 2.4 * spur * (1.0 - smoothstep((a - 230.0) / 60.0))
    return np.maximum(land, spur_h)


def _backswamp(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Depth (m, negative) of the old marsh the levee was built across, deepest in the
    district behind it."""
    area = plan.protected_area_uv()
    xmin, ymin, xmax, ymax = area.buffer(40.0).bounds
    near = (u > xmin) & (u < xmax) & (v > ymin) & (v < ymax)
    out = np.zeros(u.shape)
    inside = shapely.contains_xy(area, u[near], v[near])
    depth_in = shapely.distance(shapely.points(u[near], v[near]), area.exterior)
    depth_in = np.where(inside, depth_in, -depth_in)
    out[near] = -1.0 * smoothstep((depth_in + 30.0) / 70.0)
    return out


def _tributary_carving(u: np.ndarray, v: np.ndarray, offset_m: np.ndarray) -> np.ndarray:
    """Depth (m, negative) of the tributary's small valley and bed."""
    line = shapely.LineString(plan.TRIBUTARY_UV)
    near = (offset_m > plan.CHANNEL_HALF_WIDTH_M) & (u > -900) & (u < -300)
    out = np.zeros(u.shape)
    pts = shapely.points(u[near], v[near])
    dist = shapely.distance(pts, line)
    valley = -3.5 * np.exp(-(dist / 45.0) ** 2) * smoothstep((v[near] - 300.0) / 250.0)
    bed = -1.4 * np.clip(1.0 - (dist / 5.0) ** 2, 0.0, None)
    out[near] = valley + bed
    return out


def land_surface(noise: TerrainNoise, quay_top_m: float) -> np.ndarray:
    """The terrain (m NGF) without the levee, as a ``FRAME.shape`` float64 array.

    Parameters
    ----------
    noise
        Seeded noise fields.
    quay_top_m
        Height of the quay above bank level (m); the low streets behind it are 0.3 m
        lower.
    """
    u, v = FRAME.cell_uv
    offset, chainage = FRAME.cell_river
    a = np.abs(offset) - plan.CHANNEL_HALF_WIDTH_M
    land = np.where(offset > 0, _north_land(u, a, quay_top_m), _south_land(u, a))
    land = land + _tributary_carving(u, v, offset) + _backswamp(u, v)

    # Noise grows with height above the valley; the quay and the streets behind it
    # stay nearly flat.
    height = np.clip(land, 0.0, None)
    amp_broad = 0.10 + 0.07 * height
    amp_fine = 0.03 + 0.012 * height
    in_centre = (offset > 0) & (a < 120.0) & (u > plan.QUAY_U_M[0] - 30.0) & (
        u < plan.QUAY_U_M[1] + 30.0)
    amp_broad = np.where(in_centre, 0.04, amp_broad)
    amp_fine = np.where(in_centre, 0.01, amp_fine)
    quay = in_centre & (a < 14.0)
    rough = np.where(quay, 0.0, amp_broad * noise.broad + amp_fine * noise.fine)

    channel = channel_profile(offset)
    relative = np.where(a < 0.0, channel, land + rough)
    return FRAME.bank_level(chainage) + relative


def add_levee(z: np.ndarray, line_uv: np.ndarray, crest_m: np.ndarray) -> np.ndarray:
    """Raise an earth levee along ``line_uv`` with crest levels ``crest_m`` per vertex.

    The crest is flat over ``2 × LEVEE_CREST_HALF_WIDTH_M`` (wide enough that every cell
    the crest line crosses is at crest level), the sides slope at ``LEVEE_SIDE_SLOPE``.
    """
    line = shapely.LineString(line_uv)
    dense = shapely.segmentize(line, 1.0)
    coords = shapely.get_coordinates(dense)
    # Crest level along the dense line: interpolate the per-vertex levels by position.
    along_vertices = shapely.line_locate_point(line, shapely.points(line_uv))
    along_dense = shapely.line_locate_point(line, shapely.points(coords))
    crest_dense = np.interp(along_dense, along_vertices, crest_m)

    u, v = FRAME.cell_uv
    xmin, ymin, xmax, ymax = shapely.bounds(line)
    margin = 40.0
    near = (u > xmin - margin) & (u < xmax + margin) & (v > ymin - margin) & (v < ymax + margin)
    dist, idx = cKDTree(coords).query(np.column_stack([u[near], v[near]]))
    body = crest_dense[idx] - np.maximum(dist - plan.LEVEE_CREST_HALF_WIDTH_M, 0.0) / (
        plan.LEVEE_SIDE_SLOPE)
    out = z.copy()
    out[near] = np.maximum(z[near], body)
    return out
