"""Comparison of variants with the baseline, computed from the kinds' declarations.

Nothing here knows a kind: indicators are compared by their declared direction, grids
are differenced cell by cell (with "newly" / "no longer" masks above the declared
threshold), layers are joined on their declared key, series are paired for one chart.

Examples
--------
>>> verdict(-3.0, "lower"), verdict(-3.0, "higher"), verdict(0.0, "lower"), verdict(2.0, None)
('better', 'worse', 'same', None)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from jumeau.i18n import Text
from jumeau.scenario import kinds as kinds_module
from jumeau.scenario.result import Series, json_number
from jumeau.territory.terrain import Terrain


def verdict(change: float, better: str | None) -> str | None:
    """``"better"``, ``"worse"`` or ``"same"`` for a change, given the better direction
    (None when the indicator has no better direction or the change is unknown)."""
    if better is None or change is None or not np.isfinite(change):
        return None
    if change == 0:
        return "same"
    return "better" if (change < 0) == (better == "lower") else "worse"


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator of a variant against the baseline."""

    key: str
    kind: str
    name: str
    label: Text
    unit: str
    better: str | None
    headline: bool
    baseline: float
    value: float
    change: float
    change_pct: float
    verdict: str | None


@dataclass(frozen=True)
class GridDifference:
    """A grid of a variant minus the baseline's (same grid), with presence masks.

    ``change`` is 1 where the variant newly exceeds the threshold, -1 where it no
    longer does, 0 elsewhere (None without a declared threshold).
    """

    key: str
    kind: str
    name: str
    label: Text
    unit: str
    better: str | None
    grid: Terrain
    difference: np.ndarray
    change: np.ndarray | None
    threshold: float | None


@dataclass(frozen=True)
class LayerChange:
    """Features that count in one of the two runs only (joined on the declared key)."""

    key: str
    kind: str
    name: str
    label: Text
    id_column: str
    frame: gpd.GeoDataFrame  # columns: id, status ("baseline_only" / "variant_only"), geometry

    @property
    def baseline_only(self) -> int:
        return int((self.frame["status"] == "baseline_only").sum())

    @property
    def variant_only(self) -> int:
        return int((self.frame["status"] == "variant_only").sum())


@dataclass(frozen=True)
class SeriesPair:
    """A series of the baseline and of the variant, for one chart per curve."""

    key: str
    kind: str
    name: str
    label: Text
    unit: str
    x_unit: str
    baseline: Series
    variant: Series


@dataclass(frozen=True)
class VariantComparison:
    """One variant against the baseline."""

    variant: str
    indicators: list[IndicatorChange]
    grids: list[GridDifference]
    layers: list[LayerChange]
    series: list[SeriesPair]
    notes: list[Text] = field(default_factory=list)


@dataclass(frozen=True)
class Comparison:
    """Every variant against the baseline."""

    baseline: str
    variants: dict[str, VariantComparison]

    def delta(self) -> dict[str, dict[str, float | None]]:
        """Variant → ``{indicator: change}`` (None when unknown)."""
        return {v: {c.key: json_number(c.change) for c in vc.indicators}
                for v, vc in self.variants.items()}


def compare(runs: dict, baseline: str) -> Comparison:
    """Compare every variant run of ``runs`` (name → VariantRun) with ``baseline``."""
    base = runs[baseline]
    return Comparison(baseline=baseline, variants={
        name: compare_pair(base, run) for name, run in runs.items() if name != baseline})


def compare_pair(base, other) -> VariantComparison:
    """One variant run against the baseline run, kind by kind (kinds both ran)."""
    indicators, grids, layers, series, notes = [], [], [], [], []
    for kind_name, result in other.results.items():
        if kind_name not in base.results:
            notes.append(Text("« {k} » ne tourne que dans la variante : pas de comparaison",
                              "'{k}' runs only in the variant: not compared").format(
                k=kind_name))
            continue
        kind = kinds_module.get(kind_name)
        ref = base.results[kind_name]
        context = ref.context() if hasattr(ref, "context") else {}
        a_ind, b_ind = ref.indicators(), result.indicators()
        for out in kind.outputs_of("indicator"):
            a, b = float(a_ind[out.name]), float(b_ind[out.name])
            # Rounded to 10 significant digits: 2.34 → 2.36 is +0.02, not +0.0200000000004.
            change = float(f"{b - a:.10g}") if np.isfinite(a) and np.isfinite(b) else np.nan
            pct = 100 * change / abs(a) if np.isfinite(change) and a != 0 else (
                0.0 if change == 0 else np.nan)
            indicators.append(IndicatorChange(
                other.keys[(kind_name, out.name)], kind_name, out.name, out.text(context),
                out.unit, out.better, out.headline, a, b, change, pct,
                verdict(change, out.better)))
        a_grid, b_grid = ref.rasters(), result.rasters()
        for out in kind.outputs_of("grid"):
            diff = _grid_difference(out, a_grid[out.name], b_grid[out.name], context)
            if diff is None:
                notes.append(Text("grille « {g} » : pas sur la même grille, non comparée",
                                  "grid '{g}': not on the same grid, not compared").format(
                    g=out.name))
                continue
            grids.append(GridDifference(other.keys[(kind_name, out.name)], kind_name,
                                        out.name, out.text(context), out.unit, out.better,
                                        a_grid[out.name].grid, *diff))
        a_lay, b_lay = ref.layers(), result.layers()
        for out in kind.outputs_of("layer"):
            if out.key is None:
                continue
            frame = _layer_change(out, a_lay[out.name], b_lay[out.name])
            layers.append(LayerChange(other.keys[(kind_name, out.name)], kind_name, out.name,
                                      out.text(context), out.key, frame))
        a_ser, b_ser = ref.series(), result.series()
        for out in kind.outputs_of("series"):
            series.append(SeriesPair(other.keys[(kind_name, out.name)], kind_name, out.name,
                                     out.text(context), out.unit, out.x_unit,
                                     a_ser[out.name], b_ser[out.name]))
    return VariantComparison(other.name, indicators, grids, layers, series, notes)


def _threshold(out, context: dict) -> float | None:
    t = out.threshold
    if isinstance(t, str):
        t = context.get(t)
    return None if t is None else float(t)


def _grid_difference(out, a, b, context: dict):
    ga, gb = a.grid, b.grid
    if a.values.shape != b.values.shape or not np.allclose(
            tuple(ga.transform)[:6], tuple(gb.transform)[:6]):
        return None
    va, vb = np.asarray(a.values, float), np.asarray(b.values, float)
    threshold = _threshold(out, context)
    if threshold is not None:
        # An amount (depth, heat above a threshold): no value means none of it.
        both_missing = np.isnan(va) & np.isnan(vb)
        diff = np.where(both_missing, np.nan, np.nan_to_num(vb) - np.nan_to_num(va))
        in_a = np.nan_to_num(va, nan=-np.inf) > threshold
        in_b = np.nan_to_num(vb, nan=-np.inf) > threshold
        change = (in_b & ~in_a).astype(np.int8) - (in_a & ~in_b).astype(np.int8)
    else:
        diff = vb - va
        change = None
    return diff, change, threshold


def _counting(out, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if out.flag is not None and out.flag in frame.columns:
        frame = frame[frame[out.flag].astype(bool).to_numpy()]
    return frame


def _layer_change(out, a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    a, b = _counting(out, a), _counting(out, b)
    ka, kb = a[out.key].astype(str), b[out.key].astype(str)
    only_a = a[~ka.isin(set(kb)).to_numpy()]
    only_b = b[~kb.isin(set(ka)).to_numpy()]
    crs = a.crs or b.crs
    parts = [gpd.GeoDataFrame({"id": part[out.key].astype(str).to_numpy(),
                               "status": status}, geometry=part.geometry.values, crs=crs)
             for part, status in ((only_a, "baseline_only"), (only_b, "variant_only"))]
    return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=crs)
