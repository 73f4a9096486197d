"""The valley of the demo commune: its terrain and the hydraulic design that shapes it.

Steps (all deterministic given the seed):

1. the land surface with seeded undulations (:mod:`jumeau.demo.terrain`);
2. the bankfull discharge of the channel, and the design discharges from it;
3. the quay: its top is set so that a 1.2 m wall on it would stand
   ``QUAY_WALL_FREEBOARD_M`` above the 100-year level computed with that wall;
4. the levee: its crest is set ``LEVEE_FREEBOARD_M`` above the 100-year level computed
   with the district behind it dry;
5. the flood envelopes of three scenarios (TRI style) and the depths of the medium one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from jumeau.demo import hydraulics as hy
from jumeau.demo import plan, terrain
from jumeau.demo.plan import FRAME

#: Design discharges as multiples of the bankfull discharge.
FREQUENT_RATIO = 1.25
MEDIUM_RATIO = 2.0
EXTREME_RATIO = 3.4

#: Q100 hydrograph shape: base flow (× bankfull), rise, peak, fall durations (s).
BASE_FLOW_RATIO = 0.4
RISE_S = 7200.0
PEAK_S = 3600.0
FALL_S = 10800.0


@dataclass(frozen=True)
class Scenario:
    """One flood scenario of the TRI maps.

    Attributes
    ----------
    code
        COVADIS scenario code ("01For", "02Moy", "04Fai").
    return_period_yr
        Return period the scenario stands for.
    discharge_m3s
        Peak discharge.
    level_m
        Water level on each cross-section (m NGF).
    extent
        Bool grid of the flooded cells.
    """

    code: str
    return_period_yr: float
    discharge_m3s: float
    level_m: np.ndarray
    extent: np.ndarray


@dataclass(frozen=True)
class Valley:
    """Terrain and hydraulic design of the demo river.

    Attributes
    ----------
    dem_m
        Final terrain (m NGF), float64, ``FRAME.shape``.
    ground_m
        The same without the levee (the ground the levee stands on).
    sections
        Cross-sections of the final terrain.
    bankfull_m3s
        Discharge that fills the channel to its banks.
    hydrograph
        Suggested 100-year inflow hydrograph.
    scenarios
        The frequent, medium (100-year) and extreme scenarios, in that order.
    depth_medium_m
        Water depth of the medium scenario (m, 0 where dry).
    quay_top_rel_m
        Height of the quay above bank level.
    levee_line_uv, levee_crest_m
        The levee crest line (local coordinates) and its crest level at each vertex.
    q100_level_m
        100-year level on each section, levee holding and no wall (the baseline).
    q100_wall_level_m
        100-year level with a 1.2 m wall on the quay.
    """

    dem_m: np.ndarray
    ground_m: np.ndarray
    sections: hy.CrossSections
    bankfull_m3s: float
    hydrograph: hy.Hydrograph
    scenarios: tuple[Scenario, ...]
    depth_medium_m: np.ndarray
    quay_top_rel_m: float
    levee_line_uv: np.ndarray
    levee_crest_m: np.ndarray
    q100_level_m: np.ndarray
    q100_wall_level_m: np.ndarray

    def level_at(self, level_m: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """A section-wise level interpolated at local points (by chainage)."""
        _, chainage = FRAME.river_coordinates(u, v)
        return np.interp(chainage, self.sections.chainage_m, level_m)


def _round(value: float, step: float) -> float:
    return float(np.round(value / step) * step)


def design_valley(rng: np.random.Generator) -> Valley:
    """Build the terrain and its hydraulic design from seeded noise."""
    noise = terrain.TerrainNoise.draw(rng)
    protected = plan.protected_area_uv()
    behind_quay = plan.quay_district_uv()

    # 1-2. Bankfull discharge and the design discharges.
    draft = terrain.land_surface(noise, quay_top_m=0.0)
    sections = hy.cross_sections(draft)
    bankfull = hy.bankfull_discharge(sections)
    q_medium = _round(MEDIUM_RATIO * bankfull, 10.0)

    # 3. The quay: a 1.2 m wall on it stands QUAY_WALL_FREEBOARD_M above Q100.
    dry = sections.mask_inside(protected) | sections.mask_inside(behind_quay)
    walled = hy.normal_levels(sections, q_medium, dry)
    quay = _quay_chainages(sections)
    rel = float(np.mean((walled - FRAME.bank_level(sections.chainage_m))[quay]))
    quay_top = _round(rel + plan.QUAY_WALL_FREEBOARD_M - plan.QUAY_WALL_HEIGHT_M, 0.05)
    ground = terrain.land_surface(noise, quay_top_m=quay_top)

    # 4. The levee: crest LEVEE_FREEBOARD_M above Q100 with the district behind it dry.
    sections = hy.cross_sections(ground)
    behind_levee = sections.mask_inside(protected)
    holding = hy.normal_levels(sections, q_medium, behind_levee)
    line = plan.levee_line_uv()
    _, chain = FRAME.river_coordinates(line[:, 0], line[:, 1])
    crest = np.round(np.interp(chain, sections.chainage_m, holding) + plan.LEVEE_FREEBOARD_M,
                     2)
    dem = np.round(terrain.add_levee(ground, line, crest), 2)
    ground = np.round(ground, 2)

    # 5. Scenarios on the final terrain.
    sections = hy.cross_sections(dem)
    q100 = hy.normal_levels(sections, q_medium)
    wall_dry = sections.mask_inside(behind_quay)
    q100_wall = hy.normal_levels(sections, q_medium, wall_dry)
    scenarios = []
    depth_medium = np.zeros(FRAME.shape)
    for code, period, ratio in (("01For", 20.0, FREQUENT_RATIO), ("02Moy", 100.0, MEDIUM_RATIO),
                                ("04Fai", 1000.0, EXTREME_RATIO)):
        q = _round(ratio * bankfull, 10.0)
        level = hy.normal_levels(sections, q)
        field = hy.level_field(sections, level)
        if code == "01For":
            extent = hy.flood_extent(dem, field)
        else:
            # TRI maps assume levees can fail: the district behind floods to river level.
            extent = hy.flood_extent(ground, field)
        if code == "02Moy":
            depth_medium = np.where(extent, field - ground, 0.0)
        scenarios.append(Scenario(code, period, q, level, extent))

    base = _round(BASE_FLOW_RATIO * bankfull, 10.0)
    hydrograph = hy.Hydrograph(
        time_s=(0.0, RISE_S, RISE_S + PEAK_S, RISE_S + PEAK_S + FALL_S),
        discharge_m3s=(base, q_medium, q_medium, base))
    return Valley(dem_m=dem, ground_m=ground, sections=sections, bankfull_m3s=bankfull,
                  hydrograph=hydrograph, scenarios=tuple(scenarios),
                  depth_medium_m=depth_medium, quay_top_rel_m=quay_top,
                  levee_line_uv=line, levee_crest_m=crest, q100_level_m=q100,
                  q100_wall_level_m=q100_wall)


def _quay_chainages(sections: hy.CrossSections) -> np.ndarray:
    """Bool per section: along the quay."""
    c0 = FRAME.chainage_at_u(plan.QUAY_U_M[0])
    c1 = FRAME.chainage_at_u(plan.QUAY_U_M[1])
    return (sections.chainage_m >= c0) & (sections.chainage_m <= c1)


def raise_wall(dem: np.ndarray, line_uv: np.ndarray, height_m: float) -> np.ndarray:
    """``dem`` with the cells under a line raised by ``height_m`` (a thin wall)."""
    from rasterio import features

    line = shapely.LineString(plan.to_map(line_uv))
    mask = features.rasterize([(line, 1)], out_shape=FRAME.shape, transform=FRAME.transform,
                              all_touched=True, dtype="uint8").astype(bool)
    return np.where(mask, dem + height_m, dem)
