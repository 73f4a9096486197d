"""Cost–benefit of a measure (jumeau.risk.economics) against explicit year-by-year sums."""

from __future__ import annotations

import numpy as np
import pytest

from jumeau.risk.economics import (
    DEFAULT_DISCOUNT_RATE,
    Cost,
    annuity_factor,
    cost_benefit,
    payback_year,
)


def _by_year(benefit, investment, upkeep, rate, years):
    """NPV and payback year summed year by year (the definition, no closed form)."""
    cumulative, payback = -investment, np.nan
    for t in range(1, years + 1):
        cumulative += (benefit - upkeep) / (1 + rate) ** t
        if np.isnan(payback) and cumulative >= 0:
            payback = t
    return cumulative, payback


def test_default_rate_is_quinet_risk_free_rate():
    """The default discount rate is the 2.5 % of the French public-investment guidance."""
    assert DEFAULT_DISCOUNT_RATE == 0.025


def test_undiscounted_case_by_hand():
    """At 0 %: 100 €/year over 20 years against 1 000 € gives NPV 1 000, B/C 2, payback 10."""
    cb = cost_benefit(150.0, 50.0, Cost(investment_eur=1000, lifetime_years=20),
                      discount_rate=0.0)
    assert float(cb.npv_eur) == pytest.approx(1000.0)
    assert float(cb.benefit_cost_ratio) == pytest.approx(2.0)
    assert float(cb.payback_year) == 10


@pytest.mark.parametrize("rate", [0.0, 0.025, 0.045])
def test_ensemble_matches_year_by_year_sums(rate):
    """Across an ensemble, NPV and payback equal the year-by-year definition per member."""
    rng = np.random.default_rng(3)
    baseline = rng.uniform(50_000, 150_000, 30)
    variant = baseline * rng.uniform(0.2, 0.9, 30)
    cost = Cost(investment_eur=1.2e6, upkeep_eur_per_year=8_000, lifetime_years=50)
    cb = cost_benefit(baseline, variant, cost, discount_rate=rate)
    for i in range(30):
        npv, payback = _by_year(baseline[i] - variant[i], 1.2e6, 8_000, rate, 50)
        assert cb.npv_eur[i] == pytest.approx(npv, rel=1e-9, abs=1e-6)
        assert np.isnan(cb.payback_year[i]) if np.isnan(payback) else (
            cb.payback_year[i] == payback)
    assert cb.share_paying_off == pytest.approx(np.mean(cb.npv_eur > 0))


def test_never_pays_back():
    """A measure whose upkeep eats the benefit never pays back (NaN) and has NPV < 0."""
    cb = cost_benefit(10_000.0, 5_000.0, Cost(investment_eur=1e5, upkeep_eur_per_year=6_000))
    assert np.isnan(cb.payback_year) and float(cb.npv_eur) < 0
    assert payback_year(100.0, 1e6, 0.025, 50) != payback_year(100.0, 1e6, 0.025, 50)  # NaN


def test_annuity_factor():
    """The annuity factor is the sum of discount factors."""
    assert annuity_factor(0.03, 40) == pytest.approx(sum(1.03 ** -t for t in range(1, 41)))
