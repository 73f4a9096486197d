"""Parameters of a flood scenario (the ``simulate: flood:`` block), with their defaults.

Geometry is given in the territory's CRS, as coordinate lists (``[[x, y], …]``) or as a
named feature of a GeoJSON / GeoPackage file: ``{path: repères.geojson, name: quay}``
(paths relative to the scenario file; read once by :mod:`jumeau.io` when the scenario
loads). Times are in hours (``time_h``), depths and levels
in metres, discharges in m³/s, rain in mm/h.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import shapely
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from shapely.ops import substring

from jumeau.scenario.refs import FeatureRef, TableRef
from jumeau.territory.schema import LAND_COVERS


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


Coords = list[tuple[float, float]]


def _line(value) -> shapely.Geometry:
    return value.value if isinstance(value, FeatureRef) else shapely.LineString(value)


def _polygon(value) -> shapely.Geometry:
    return value.value if isinstance(value, FeatureRef) else shapely.Polygon(value)


class TimeSeries(_Model):
    """Values over time: ``time_h`` increasing from 0 (or later)."""

    time_h: list[float] = Field(min_length=2)

    @field_validator("time_h")
    @classmethod
    def _sorted(cls, value: list[float]) -> list[float]:
        if any(t < 0 for t in value):
            raise ValueError("times must be >= 0 h")
        if any(b <= a for a, b in zip(value, value[1:])):
            raise ValueError("times must increase strictly")
        return value

    @property
    def times_s(self) -> np.ndarray:
        return np.asarray(self.time_h, dtype=float) * 3600.0


class Hydrograph(TimeSeries):
    discharge_m3s: list[float]

    @model_validator(mode="after")
    def _check(self) -> Hydrograph:
        if len(self.discharge_m3s) != len(self.time_h):
            raise ValueError("give one discharge per time")
        if any(q < 0 for q in self.discharge_m3s):
            raise ValueError("discharges must be >= 0 m3/s")
        return self


class LevelSeries(TimeSeries):
    level_m: list[float]

    @model_validator(mode="after")
    def _check(self) -> LevelSeries:
        if len(self.level_m) != len(self.time_h):
            raise ValueError("give one level per time")
        return self


class Inflow(_Model):
    """River inflow: a hydrograph entering across a line (a boundary segment) or at a point."""

    name: str = ""
    line: Coords | FeatureRef | None = None
    point: tuple[float, float] | None = None
    hydrograph: Hydrograph
    channel_only: bool = Field(True, description="Spread the inflow over the cells of the "
                                                 "line that are water (the channel) when "
                                                 "there are some.")

    @model_validator(mode="after")
    def _one_place(self) -> Inflow:
        if (self.line is None) == (self.point is None):
            raise ValueError("give either `line` or `point`")
        return self

    def geometry(self) -> shapely.Geometry:
        return shapely.Point(self.point) if self.point is not None else _line(self.line)


class ImposedLevel(_Model):
    """A water level imposed over time along a line (river stage, sea level)."""

    name: str = ""
    line: Coords | FeatureRef
    level: LevelSeries

    def geometry(self) -> shapely.Geometry:
        return _line(self.line)


class Rain(_Model):
    """Rain: a piecewise-constant hyetograph (``rate_mm_h`` between consecutive times)."""

    time_h: list[float] = Field(min_length=2)
    rate_mm_h: list[float] = Field(min_length=1)
    polygon: Coords | FeatureRef | None = Field(None, description="Where it rains "
                                                                  "(default: everywhere).")
    infiltration_mm_h: float = Field(10.0, ge=0, le=500, description="Loss on unsealed "
                                                                     "ground.")
    drainage_mm_h: float = Field(0.0, ge=0, le=200, description=(
        "Capacity of the storm-water network, as a rain intensity it takes from sealed "
        "ground and roofs; 0 (default) means no network, the worst case."))

    @model_validator(mode="after")
    def _check(self) -> Rain:
        TimeSeries(time_h=self.time_h)
        if len(self.rate_mm_h) != len(self.time_h) - 1:
            raise ValueError("give one rate per interval: len(rate_mm_h) = len(time_h) - 1")
        if any(r < 0 or r > 500 for r in self.rate_mm_h):
            raise ValueError("rain rates must be between 0 and 500 mm/h (is it in mm/h?)")
        return self

    @property
    def times_s(self) -> np.ndarray:
        return np.asarray(self.time_h, dtype=float) * 3600.0

    def area(self) -> shapely.Geometry | None:
        if self.polygon is None:
            return None
        return _polygon(self.polygon)


class InitialWater(_Model):
    """Water present at the start: a level or a depth over a polygon, or a depth over the
    territory's water surfaces (a river at its base flow)."""

    polygon: Coords | FeatureRef | None = None
    on_water: bool = Field(False, description="Over the territory's water surfaces.")
    level_m: float | None = None
    depth_m: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _check(self) -> InitialWater:
        if (self.polygon is None) == (not self.on_water):
            raise ValueError("give either `polygon` or `on_water: true`")
        if (self.level_m is None) == (self.depth_m is None):
            raise ValueError("give either `level_m` or `depth_m`")
        return self

    def area(self) -> shapely.Geometry | None:
        if self.polygon is None:
            return None
        return _polygon(self.polygon)


class Breach(_Model):
    """A wall or levee breach: the ground along ``line`` drops to ``bottom_m`` at ``time_h``.

    ``width_m`` keeps only that length of the line around its middle; ``bottom_m`` defaults
    to the median ground level within 20 m of the line.
    """

    name: str = ""
    line: Coords | FeatureRef
    time_h: float = Field(ge=0)
    width_m: float | None = Field(None, gt=0)
    bottom_m: float | None = None

    def geometry(self) -> shapely.Geometry:
        line = _line(self.line)
        if self.width_m is None or self.width_m >= line.length:
            return line
        mid = line.length / 2
        return substring(line, mid - self.width_m / 2, mid + self.width_m / 2)


class ObservationPoint(_Model):
    name: str
    point: tuple[float, float]


#: Default Manning coefficients (s/m^(1/3)) by surface.
DEFAULT_MANNING = {"default": 0.05, "water": 0.035, "road": 0.02, "sealed": 0.02,
                   "forest": 0.10, "woodland": 0.10, "hedge": 0.08, "trees": 0.08,
                   "scrub": 0.07, "farmland": 0.04, "grass": 0.035, "park": 0.04,
                   "orchard": 0.06, "vineyard": 0.05, "wetland": 0.06, "garden": 0.05,
                   "cemetery": 0.04, "sports": 0.03, "building": 0.02}


class Thresholds(_Model):
    """Depth thresholds of the impacts (m)."""

    flooded_m: float = Field(0.05, ge=0, description="A building is flooded above this "
                                                     "depth over its ground floor.")
    car_m: float = Field(0.30, gt=0, description="Roads impassable for cars above this.")
    emergency_m: float = Field(0.50, gt=0, description="Roads impassable for emergency "
                                                       "vehicles above this.")
    arrival_m: float = Field(0.05, gt=0, description="Depth that counts as the water's "
                                                     "arrival.")


class HazardRules(_Model):
    """PPRI-style hazard classes from depth and velocity classes (thresholds as data).

    ``matrix[i][j]`` is the class for depth class ``i`` (edges ``depth_edges_m``) and
    velocity class ``j`` (edges ``velocity_edges_ms``); classes 1 faible … 4 très fort.
    The default is the usual PPRI grid: depth < 0.5 / 0.5–1 / 1–2 / > 2 m, velocity
    < 0.2 / 0.2–0.5 / > 0.5 m/s.
    """

    depth_edges_m: list[float] = [0.5, 1.0, 2.0]
    velocity_edges_ms: list[float] = [0.2, 0.5]
    matrix: list[list[int]] = [[1, 2, 3], [2, 2, 3], [3, 3, 4], [4, 4, 4]]

    @model_validator(mode="after")
    def _shape(self) -> HazardRules:
        if len(self.matrix) != len(self.depth_edges_m) + 1 or any(
                len(row) != len(self.velocity_edges_ms) + 1 for row in self.matrix):
            raise ValueError("matrix must have one row per depth class and one column per "
                             "velocity class")
        if any(not 1 <= c <= 4 for row in self.matrix for c in row):
            raise ValueError("classes are 1 (faible) to 4 (très fort)")
        return self


class FloodParams(_Model):
    """The ``simulate: flood:`` block of a scenario file."""

    duration_h: float = Field(gt=0, le=240, description="Simulated time.")
    inflows: list[Inflow] = []
    levels: list[ImposedLevel] = []
    rain: Rain | list[Rain] | None = Field(
        None, description="One hyetograph everywhere (or over its polygon), or a list of "
                          "zones, each with its polygon and hyetograph.")
    initial_water: list[InitialWater] = []
    breaches: list[Breach] = []
    outflow: dict[Literal["west", "east", "north", "south"], float | None] = Field(
        default_factory=dict, description="Edges letting water out, with their outward "
                                          "slope (null: the local bed slope).")
    buildings: Literal["auto", "blocked", "raised", "ignored"] = Field(
        "auto", description="Buildings as obstacles: blocked cells, cells raised by the "
                            "building height, or ignored; auto = blocked on grids of "
                            "10 m or finer, ignored on coarser ones (a building would block "
                            "a whole cell).")
    manning: dict[str, float] = Field(default_factory=dict)
    snapshot_interval_min: float = Field(15.0, gt=0)
    series_interval_min: float = Field(5.0, gt=0)
    local_time_steps: bool = Field(True, description="Cells a quarter as deep as the "
                                   "deepest take steps twice as long (faster storms; "
                                   "false: one step for every cell, as landlab).")
    observation_points: list[ObservationPoint] = []
    thresholds: Thresholds = Thresholds()
    hazard: HazardRules = HazardRules()
    damage_table: TableRef | None = Field(None, description="CSV of depth–damage curves "
                                                            "(default: JRC Europe).")

    @field_validator("manning")
    @classmethod
    def _manning(cls, value: dict[str, float]) -> dict[str, float]:
        allowed = set(DEFAULT_MANNING) | set(LAND_COVERS)
        for key, n in value.items():
            if key not in allowed:
                from difflib import get_close_matches

                close = get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                raise ValueError(f"unknown surface '{key}'{hint}; surfaces: "
                                 f"{', '.join(sorted(allowed))}")
            if not 0 < n < 1:
                raise ValueError(f"Manning's n for '{key}' must be between 0 and 1 s/m^(1/3)")
        return value

    @model_validator(mode="after")
    def _something_happens(self) -> FloodParams:
        if not (self.inflows or self.levels or self.rain or self.initial_water
                or self.breaches):
            raise ValueError("nothing brings water: give `inflows`, `levels`, `rain`, "
                             "`initial_water` or `breaches`")
        return self

    @property
    def rain_zones(self) -> list[Rain]:
        """The rain as a list of zones (empty when it does not rain)."""
        if self.rain is None:
            return []
        return self.rain if isinstance(self.rain, list) else [self.rain]

    def manning_table(self) -> dict[str, float]:
        return {**DEFAULT_MANNING, **self.manning}
