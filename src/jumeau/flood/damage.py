"""Depth–damage curves: the water depth in a building → a share of its maximum damage.

Defaults are the JRC global flood depth–damage functions for Europe (Huizinga, de Moel &
Szewczyk 2017, *Global flood depth-damage functions: methodology and the database with
guidelines*, EUR 28552 EN, doi:10.2760/16510), with the JRC maximum damage per m² of
building footprint for France in 2010 euros: residential 776, commercial 1,076,
industrial 873 €/m². Damage = factor(depth above the ground floor) × maximum × footprint
area; depths between the tabulated points are interpolated linearly, depths beyond the
last one keep its factor.

A user table (CSV: ``depth_m`` then one column per curve, plus a ``max_eur_m2`` row or a
``max_eur_m2`` option) replaces the defaults, e.g. with the French AMC curves of the
Ministry of Ecology.

Examples
--------
>>> curves = DamageCurves.jrc_europe()
>>> round(float(curves.factor("residential", [0.8])[0]), 3)
0.34
>>> round(float(curves.damage_eur(["residential"], [0.8], [100.0])[0]), 2)
26384.0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jumeau.errors import JumeauError
from jumeau.i18n import Text

#: Which curve each building use takes (public buildings: offices, schools → commercial).
CURVE_BY_USE = {"residential": "residential", "commercial": "commercial",
                "public": "commercial", "industrial": "industrial",
                "agricultural": "industrial", "annex": "residential", "unknown": "residential"}

_JRC_DEPTHS_M = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0)
_JRC_EUROPE = {
    "residential": (0.00, 0.25, 0.40, 0.50, 0.60, 0.75, 0.85, 0.95, 1.00),
    "commercial": (0.00, 0.15, 0.30, 0.45, 0.55, 0.75, 0.90, 1.00, 1.00),
    "industrial": (0.00, 0.15, 0.27, 0.40, 0.52, 0.70, 0.85, 1.00, 1.00),
}
#: JRC maximum damage for France (2010 €/m² of footprint).
_JRC_FRANCE_MAX_EUR_M2 = {"residential": 776.0, "commercial": 1076.0, "industrial": 873.0}


@dataclass(frozen=True)
class DamageCurves:
    """Depth–damage curves and maximum damages.

    Attributes
    ----------
    depths_m
        Tabulated depths above the ground floor (increasing, from 0).
    factors
        Curve name → damage factor (0–1) at each depth.
    max_eur_m2
        Curve name → maximum damage per m² of footprint (€).
    source
        Where the curves come from (shown in reports).
    """

    depths_m: tuple[float, ...]
    factors: dict[str, tuple[float, ...]]
    max_eur_m2: dict[str, float]
    source: str

    @classmethod
    def jrc_europe(cls) -> DamageCurves:
        """JRC curves for Europe with the maximum damages for France (2010 €)."""
        return cls(_JRC_DEPTHS_M, dict(_JRC_EUROPE), dict(_JRC_FRANCE_MAX_EUR_M2),
                   "JRC (Huizinga et al. 2017), Europe; maximum damages France, 2010 €")

    @classmethod
    def from_table(cls, table: pd.DataFrame, source: str) -> DamageCurves:
        """Curves from a table: ``depth_m`` then one column per curve; an optional row whose
        ``depth_m`` is ``max_eur_m2`` gives the maximum damages (default: JRC France).
        Read CSV files with :func:`jumeau.io.tables.read_damage_curves`."""
        if "depth_m" not in table.columns:
            raise JumeauError(Text("colonne « depth_m » absente", "column 'depth_m' missing"),
                              path=source, field="depth_m",
                              fix=Text("première colonne : depth_m (profondeur en m)",
                                       "first column: depth_m (depth in m)"))
        is_max = table["depth_m"].astype(str) == "max_eur_m2"
        try:
            rows = table[~is_max].astype(float)
            maxima = table[is_max].drop(columns="depth_m").astype(float)
        except ValueError:
            raise JumeauError(Text("valeurs non numériques dans la table",
                                   "non-numeric values in the table"), path=source) from None
        depths = rows["depth_m"].to_numpy()
        if len(depths) < 2 or np.any(np.diff(depths) <= 0) or depths[0] != 0:
            raise JumeauError(Text("les profondeurs doivent commencer à 0 et croître",
                                   "depths must start at 0 and increase"), path=source,
                              field="depth_m")
        curves = [c for c in rows.columns if c != "depth_m"]
        factors = {c: tuple(rows[c].to_numpy(float)) for c in curves}
        for name, values in factors.items():
            if min(values) < 0 or max(values) > 1:
                raise JumeauError(Text("facteurs de dommage hors de [0, 1]",
                                       "damage factors outside [0, 1]"), path=source,
                                  field=name)
        default = _JRC_FRANCE_MAX_EUR_M2
        max_eur = {c: float(maxima[c].iloc[0]) if len(maxima) else default.get(
            c, default["residential"]) for c in curves}
        return cls(tuple(depths), factors, max_eur, str(source))

    def curve_for(self, use: str) -> str:
        """The curve a building use takes (falls back to the first curve)."""
        name = CURVE_BY_USE.get(use, "residential")
        return name if name in self.factors else next(iter(self.factors))

    def factor(self, curve: str, depth_m) -> np.ndarray:
        """Damage factor of ``curve`` at each depth (0 at or below 0 m)."""
        depth = np.asarray(depth_m, dtype=float)
        return np.interp(np.maximum(depth, 0.0), self.depths_m, self.factors[curve])

    def damage_eur(self, uses, depth_m, footprint_m2) -> np.ndarray:
        """Damage of each building (€): factor(depth) × maximum × footprint area."""
        uses = np.asarray(uses, dtype=object)
        depth = np.asarray(depth_m, dtype=float)
        area = np.asarray(footprint_m2, dtype=float)
        out = np.zeros(len(uses))
        curves = np.array([self.curve_for(u) for u in uses], dtype=object)
        for name in set(curves):
            hit = curves == name
            out[hit] = self.factor(name, depth[hit]) * self.max_eur_m2[name] * area[hit]
        return np.where(np.isfinite(depth), out, 0.0)
