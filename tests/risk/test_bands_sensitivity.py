"""Bands, exceedance probability, band sentences and rank-correlation sensitivity."""

from __future__ import annotations

import numpy as np
import pytest

from jumeau.i18n import Text
from jumeau.risk.bands import exceedance_probability, indicator_bands, percentiles, width_sentence
from jumeau.risk.sampling import Uniform, draw_members
from jumeau.risk.sensitivity import chance_level, rank_correlations, sensitivity_sentence
from jumeau.scenario.engine import Engine, run_many


def _constant_model(_shared, member):
    """Ignores its draws: the same indicators and grid whatever the member."""
    return {"damage_eur": 1.5e6, "flooded_buildings": 42.0}, np.array([[0.0, 0.4], [1.2, 0]])


def test_constant_model_has_zero_width_band():
    """An ensemble of a constant model gives a zero-width band and a 0/1 probability map."""
    inputs = {"flood.manning.default": Uniform(min=0.03, max=0.08)}
    members = draw_members(inputs, 12, seed=5)
    out = run_many(_constant_model, members, engine=Engine(workers=1))
    bands = indicator_bands([o[0] for o in out])
    for band in bands.values():
        assert band.width == 0 and band.n_members == 12
    assert bands["damage_eur"].as_dict() == {"p5": 1.5e6, "p50": 1.5e6, "p95": 1.5e6}
    prob = exceedance_probability(np.stack([o[1] for o in out]), 0.3)
    assert prob.tolist() == [[0.0, 1.0], [1.0, 0.0]]
    text = width_sentence(bands["damage_eur"], Text("dommages", "damage"), "€").render("en")
    assert "the same in all 12 runs" in text


def test_percentiles_by_hand():
    """5/50/95 % follow linear interpolation between order statistics; NaN is left out."""
    values = [10.0, 0.0, 30.0, 20.0, 40.0, np.nan]
    b = percentiles(values)
    # sorted 0..40 step 10 (5 values): rank 0.05·4 = 0.2 → 2; 0.95·4 = 3.8 → 38
    assert (b.low, b.median, b.high, b.n_members) == pytest.approx((2.0, 20.0, 38.0, 5))
    grid = percentiles(np.arange(24, dtype=float).reshape(4, 3, 2))
    assert grid.median.shape == (3, 2) and grid.median[0, 0] == pytest.approx(9.0)


def test_exceedance_probability_by_hand():
    """The share of members above the threshold, per cell; NaN (dry) never counts."""
    stack = np.array([[[0.1, np.nan]], [[0.5, 0.2]], [[0.31, 0.29]], [[0.3, 1.0]]])
    assert exceedance_probability(stack, 0.3).tolist() == [[0.5, 0.25]]


@pytest.mark.parametrize("low, high, word_fr, word_en", [
    (98.0, 103.0, "étroite", "narrow"), (85.0, 120.0, "moyenne", "moderate"),
    (40.0, 190.0, "large", "wide")])
def test_width_sentence_words(low, high, word_fr, word_en):
    """The band sentence calls a band narrow, moderate or wide, in both languages."""
    from jumeau.risk.bands import Band

    text = width_sentence(Band(low, 100.0, high, 20), Text("dommages", "damage"), "€")
    assert word_fr in text.render("fr") and word_en in text.render("en")
    assert "90 %" in text.render("fr")


def test_sensitivity_ranks_the_driving_input_first():
    """The input that drives the output gets |ρ| ≈ 1 and is named first; a constant one NaN."""
    rng = np.random.default_rng(1)
    a, b = rng.uniform(size=40), rng.uniform(size=40)
    y = 10 * a + 0.5 * b
    ranked = rank_correlations({"b": b, "a": a, "c": np.ones(40)}, y)
    assert [i.input for i in ranked][:2] == ["a", "b"]
    assert ranked[0].rho > 0.95 and np.isnan(ranked[-1].rho)
    neg = rank_correlations({"a": a}, -y)[0]
    assert neg.rho < -0.95
    text = sensitivity_sentence(ranked, {"a": Text("le débit", "the discharge")},
                                Text("les dommages", "the damage"), 40)
    assert text.render("en").startswith("What moves the damage most: the discharge")
    assert "même sens" in text.render("fr")
    assert chance_level(40) == pytest.approx(0.312, abs=0.005)
