"""Hydraulic design of the demo river: normal depths on cross-sections of the DEM.

The checks are the engineer's first estimate: steady uniform flow (Manning) in each
cross-section of the valley, cut from the DEM every 25 m of river, with the channel and
the floodplain as separate subsections (divided-channel method). The water level of a
discharge is found section by section and smoothed along the river (a stand-in for the
backwater curve, which on a uniform reach stays close to normal depth). Flood extents are
the cells below that level and connected to the river.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy import ndimage

from jumeau.demo import plan
from jumeau.demo.plan import FRAME

#: Manning's n of the channel and of the floodplain (s/m^(1/3)).
MANNING_CHANNEL = 0.035
MANNING_FLOODPLAIN = 0.05


@dataclass(frozen=True)
class CrossSections:
    """Terrain profiles across the river.

    Attributes
    ----------
    chainage_m
        Chainage of each section (m from where the river enters the DEM), shape (n,).
    offset_m
        Distance from the river centreline along each section (m, + north), shape (m,).
    z_m
        Terrain level of each sample (m NGF), NaN outside the DEM, shape (n, m).
    u_m, v_m
        Local coordinates of each sample, shape (n, m).
    """

    chainage_m: np.ndarray
    offset_m: np.ndarray
    z_m: np.ndarray
    u_m: np.ndarray
    v_m: np.ndarray

    @property
    def step_m(self) -> float:
        return float(self.offset_m[1] - self.offset_m[0])

    def mask_inside(self, polygon: shapely.Polygon) -> np.ndarray:
        """Bool per sample: inside ``polygon`` (local coordinates)."""
        return shapely.contains_xy(polygon, self.u_m, self.v_m)


def cross_sections(z: np.ndarray, *, spacing_m: float = 25.0, half_length_m: float = 1100.0,
                   step_m: float = 2.5) -> CrossSections:
    """Cut sections of the DEM ``z`` perpendicular to the river every ``spacing_m``."""
    chain = np.arange(spacing_m, FRAME.river_length_m - spacing_m / 2, spacing_m)
    offset = np.arange(-half_length_m, half_length_m + step_m / 2, step_m)
    centre = np.array([FRAME.point_at(c) for c in chain])
    north = np.array([FRAME.point_at(c, 1.0) for c in chain]) - centre
    u = centre[:, :1] + north[:, :1] * offset
    v = centre[:, 1:] + north[:, 1:] * offset
    x, y = plan.to_map(np.column_stack([u.ravel(), v.ravel()])).T
    col, row = ~FRAME.transform @ (x, y)
    # Bilinear sampling at cell centres (-0.5: map_coordinates indexes centres).
    zs = ndimage.map_coordinates(z, [row - 0.5, col - 0.5], order=1, mode="constant",
                                 cval=np.nan)
    return CrossSections(chain, offset, zs.reshape(u.shape), u, v)


def _connected(wet: np.ndarray, centre: int) -> np.ndarray:
    """Per row, the run of wet samples that contains ``centre``."""
    m = wet.shape[1]
    idx = np.arange(m)
    dry = ~wet
    left = np.where(dry[:, :centre], idx[:centre], -1).max(axis=1)
    right = np.where(dry[:, centre + 1:], idx[centre + 1:], m).min(axis=1)
    return (idx > left[:, None]) & (idx < right[:, None]) & wet


def discharge(sections: CrossSections, level_m: np.ndarray,
              exclude: np.ndarray | None = None, *, channel_only: bool = False) -> np.ndarray:
    """Normal-flow discharge (m³/s) of each section at water level ``level_m``.

    Parameters
    ----------
    sections
        The cross-sections.
    level_m
        Water level of each section (m NGF), shape (n,).
    exclude
        Bool per sample that takes no part in the flow (behind a levee or a wall).
    channel_only
        Count only the channel (for the bankfull discharge).
    """
    z = sections.z_m
    depth = level_m[:, None] - z
    wet = np.isfinite(z) & (depth > 0)
    if exclude is not None:
        wet &= ~exclude
    centre = int(np.argmin(np.abs(sections.offset_m)))
    wet = _connected(wet, centre)
    in_channel = np.abs(sections.offset_m) <= plan.CHANNEL_HALF_WIDTH_M
    depth = np.where(wet, depth, 0.0)
    step = sections.step_m

    ch = depth[:, in_channel]
    area_c = ch.sum(axis=1) * step
    zc = np.where(wet[:, in_channel], z[:, in_channel], np.nan)
    dz = np.diff(zc, axis=1)
    perim_c = np.nansum(np.hypot(step, dz), axis=1) + step
    k_channel = area_c ** (5 / 3) / np.maximum(perim_c, 1e-9) ** (2 / 3) / MANNING_CHANNEL
    if channel_only:
        k = k_channel
    else:
        fp = depth[:, ~in_channel]
        k = k_channel + (fp ** (5 / 3)).sum(axis=1) * step / MANNING_FLOODPLAIN
    return k * np.sqrt(plan.RIVER_SLOPE)


def normal_levels(sections: CrossSections, discharge_m3s: float,
                  exclude: np.ndarray | None = None, *, smooth_sections: float = 4.0
                  ) -> np.ndarray:
    """Water level (m NGF) of each section for a steady discharge (bisection).

    The section-by-section levels are smoothed along the river over about
    ``smooth_sections`` sections, as a backwater curve would.
    """
    bed = np.nanmin(sections.z_m, axis=1)
    lo = bed.copy()
    hi = bed + 15.0
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        q = discharge(sections, mid, exclude)
        too_high = q > discharge_m3s
        hi = np.where(too_high, mid, hi)
        lo = np.where(too_high, lo, mid)
    level = 0.5 * (lo + hi)
    rel = level - FRAME.bank_level(sections.chainage_m)
    rel = ndimage.gaussian_filter1d(rel, smooth_sections, mode="nearest")
    return FRAME.bank_level(sections.chainage_m) + rel


def bankfull_discharge(sections: CrossSections) -> float:
    """Median over the sections of the channel's discharge with water at bank level."""
    q = discharge(sections, FRAME.bank_level(sections.chainage_m), channel_only=True)
    return float(np.median(q))


def level_field(sections: CrossSections, level_m: np.ndarray) -> np.ndarray:
    """Water level on every DEM cell, taken at the cell's chainage along the river."""
    _, chainage = FRAME.cell_river
    return np.interp(chainage, sections.chainage_m, level_m)


def river_cells() -> np.ndarray:
    """Bool grid of the cells of the river's bed (the seeds of every flood extent)."""
    offset, _ = FRAME.cell_river
    return np.abs(offset) < plan.CHANNEL_BED_HALF_WIDTH_M


def flood_extent(z: np.ndarray, level_m: np.ndarray) -> np.ndarray:
    """Bool grid of the cells below ``level_m`` and 4-connected to the river."""
    below = z < level_m
    labels, _ = ndimage.label(below)
    seeds = np.unique(labels[river_cells() & below])
    seeds = seeds[seeds > 0]
    return np.isin(labels, seeds)


@dataclass(frozen=True)
class Hydrograph:
    """An inflow hydrograph: piecewise-linear discharge in time.

    Attributes
    ----------
    time_s
        Times (s from the start).
    discharge_m3s
        Discharge at those times (m³/s).
    """

    time_s: tuple[float, ...]
    discharge_m3s: tuple[float, ...]

    @property
    def peak_m3s(self) -> float:
        return max(self.discharge_m3s)

    def as_dict(self) -> dict[str, list[float]]:
        return {"time_s": list(self.time_s), "discharge_m3s": list(self.discharge_m3s)}
