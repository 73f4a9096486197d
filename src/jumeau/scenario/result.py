"""What a simulation returns: values of its declared outputs.

Each simulation kind returns its own frozen dataclass (``ExposureResult``,
``FloodResult``…) with a docstring line per field; all of them follow the small
:class:`Result` protocol below, which is all the runner and the output writers rely on.
Names, units, labels and directions come from the kind's declaration
(:mod:`jumeau.scenario.kinds`); :class:`Indicator` joins a value to its declaration for
display.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import geopandas as gpd
import numpy as np
import pandas as pd

from jumeau.i18n import Text
from jumeau.territory.terrain import Terrain


@dataclass(frozen=True)
class Indicator:
    """One headline number.

    Attributes
    ----------
    name
        Machine name with its unit (``flooded_buildings``, ``damage_eur``).
    value
        The value (NaN when it cannot be computed).
    unit
        Unit symbol for display (``"€"``, ``"m"``, ``"km"``, ``""`` for counts).
    label
        What it is, for people (French / English).
    better
        ``"lower"`` or ``"higher"`` is better, or None (from the declaration).
    """

    name: str
    value: float
    unit: str
    label: Text
    better: str | None = None


@dataclass(frozen=True)
class Raster:
    """A result grid; its unit and label are the kind's declaration's.

    Attributes
    ----------
    values
        2-D array (NaN = no value).
    grid
        The grid it lies on (transform and CRS).
    """

    values: np.ndarray
    grid: Terrain


@dataclass(frozen=True)
class Series:
    """Values along an x axis (time, days) for named curves.

    Attributes
    ----------
    x
        The x values (seconds, hours or days: the declaration's ``x_unit``).
    curves
        Curve name (an observation point, a truck) → y values, one per x.
    """

    x: np.ndarray
    curves: dict[str, np.ndarray]


@runtime_checkable
class Result(Protocol):
    """What every simulation result offers: values only (the kind declares the rest)."""

    kind: str
    notes: tuple[Text, ...]

    def indicators(self) -> dict[str, float]:
        """Declared indicator name → value (NaN when it cannot be computed)."""

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Result vector layers (written to ``layers.gpkg``)."""

    def rasters(self) -> dict[str, Raster]:
        """Result grids (written as GeoTIFF)."""

    def tables(self) -> dict[str, pd.DataFrame]:
        """Detail tables (written as CSV)."""

    def series(self) -> dict[str, Series]:
        """Values along time for named curves."""

    def context(self) -> dict[str, object]:
        """Values filling the declared labels' placeholders (the run's thresholds)."""


def json_number(value: float) -> float | int | None:
    """A number for JSON and tables: NaN as None, whole numbers as int, others to 7
    significant digits (47.93045661963467 km is 47.93046 km).

    Examples
    --------
    >>> json_number(47.93045661963467), json_number(12.0), json_number(float("nan"))
    (47.93046, 12, None)
    """
    v = float(value)
    if not np.isfinite(v):
        return None
    if v.is_integer() and abs(v) < 2**53:
        return int(v)
    v = float(f"{v:.7g}")
    return int(v) if v.is_integer() and abs(v) < 2**53 else v
