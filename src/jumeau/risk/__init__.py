"""Risk over many runs: expected annual damage from return periods, uncertainty bands
from Latin hypercube ensembles, sensitivity, and the cost–benefit of measures.

- :mod:`jumeau.risk.ead` — expected annual damage (and residents, roads) by the
  trapezoidal rule over annual exceedance probability.
- :mod:`jumeau.risk.sampling` — uncertain inputs, Latin hypercube members.
- :mod:`jumeau.risk.bands` — 5 / 50 / 95 % values, per-cell exceedance probability,
  the band in words.
- :mod:`jumeau.risk.sensitivity` — which input moves the headline number most.
- :mod:`jumeau.risk.economics` — NPV, benefit / cost ratio and payback of a measure.

The many runs themselves go through :mod:`jumeau.scenario.engine` (serial or Dask).
"""

from jumeau.risk.bands import Band, exceedance_probability, indicator_bands, percentiles
from jumeau.risk.ead import expected_annual, expected_annual_indicators
from jumeau.risk.economics import DEFAULT_DISCOUNT_RATE, Cost, CostBenefit, cost_benefit
from jumeau.risk.sampling import Member, draw_member, draw_members, parse_inputs
from jumeau.risk.sensitivity import rank_correlations

__all__ = [
    "DEFAULT_DISCOUNT_RATE",
    "Band",
    "Cost",
    "CostBenefit",
    "Member",
    "cost_benefit",
    "draw_member",
    "draw_members",
    "exceedance_probability",
    "expected_annual",
    "expected_annual_indicators",
    "indicator_bands",
    "parse_inputs",
    "percentiles",
    "rank_correlations",
]
