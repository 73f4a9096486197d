"""What a simulation returns: typed indicators, result layers, rasters, tables, series.

Each simulation kind returns its own frozen dataclass (``ExposureResult``,
``FloodResult``…) with a docstring line per field; all of them follow the small
:class:`Result` protocol below, which is all the runner and the output writers rely on.
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
    """

    name: str
    value: float
    unit: str
    label: Text


@dataclass(frozen=True)
class Raster:
    """A result grid on the terrain's grid.

    Attributes
    ----------
    values
        2-D array (NaN = no value).
    grid
        The terrain whose grid it lies on.
    unit
        Unit of the values.
    label
        What it is, for people.
    """

    values: np.ndarray
    grid: Terrain
    unit: str
    label: Text


@runtime_checkable
class Result(Protocol):
    """What every simulation result offers to the runner and the output writers."""

    kind: str

    def indicators(self) -> list[Indicator]:
        """Headline numbers, in display order."""

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Result vector layers (written to ``layers.gpkg``)."""

    def rasters(self) -> dict[str, Raster]:
        """Result grids (written as GeoTIFF)."""

    def tables(self) -> dict[str, pd.DataFrame]:
        """Detail tables (written as CSV), e.g. per flood zone and hazard class."""


def indicator_dict(indicators: list[Indicator]) -> dict[str, float | None]:
    """``{name: value}`` with NaN as None (for JSON)."""
    out = {}
    for ind in indicators:
        v = float(ind.value)
        out[ind.name] = None if not np.isfinite(v) else (int(v) if v.is_integer() and abs(v) < 2**53
                                                         else v)
    return out
