"""Heatwave: where it is hottest by day and by night, who is exposed, what trees, parks and
cool roofs change, and how the municipal heatwave plan copes.

The kind (:data:`KIND`) chains :mod:`~jumeau.heat.landcover` (the land-cover grid),
:mod:`~jumeau.heat.cooling` (the InVEST Urban Cooling Model on FFTs),
:mod:`~jumeau.heat.episode` (a multi-day heatwave), :mod:`~jumeau.heat.exposure` and
:mod:`~jumeau.heat.plan` (the heatwave plan in simpy).
"""

from jumeau.heat.kind import KIND
from jumeau.heat.params import HeatParams
from jumeau.heat.simulate import HeatResult, simulate

__all__ = ["KIND", "HeatParams", "HeatResult", "simulate"]
