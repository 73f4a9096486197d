"""Expected annual damage (jumeau.risk.ead) against hand computations."""

from __future__ import annotations

import numpy as np
import pytest

from jumeau.errors import JumeauError
from jumeau.risk.ead import expected_annual, expected_annual_indicators

# Q10, Q50, Q200 with known damages (€).
P = [0.1, 0.02, 0.005]
D = [200_000.0, 1_000_000.0, 3_000_000.0]


def test_three_events_by_hand():
    """EAD of three events equals the trapezoids worked by hand, for both rare tails."""
    # (0.1 − 0.02)·(0.2 + 1.0)/2 M€ = 48 000 €; (0.02 − 0.005)·(1 + 3)/2 M€ = 30 000 €
    assert float(expected_annual(P, D, tail="cut")) == pytest.approx(78_000.0, rel=1e-12)
    # held rare tail: + 0.005 · 3 M€ = 15 000 €
    assert float(expected_annual(P, D, tail="hold")) == pytest.approx(93_000.0, rel=1e-12)
    assert float(expected_annual(P, D)) == pytest.approx(93_000.0, rel=1e-12)


def test_no_damage_below_the_most_frequent_event():
    """Damage only at the most frequent event counts over [p2, p1] only, nothing above p1."""
    # triangle between p = 0.02 (0 €) and p = 0.1 (1 000 €): 0.08 · 1 000 / 2 = 40 €
    assert float(expected_annual([0.1, 0.02], [1000.0, 0.0], tail="cut")) == pytest.approx(40.0)


def test_per_building_and_per_district():
    """Per-building EADs equal one scalar EAD per building and add up to the district's."""
    rng = np.random.default_rng(0)
    per_building = np.sort(rng.uniform(0, 5e4, size=(3, 7)), axis=0)   # 3 events, 7 buildings
    maps = expected_annual(P, per_building)
    assert maps.shape == (7,)
    for j in range(7):
        assert maps[j] == pytest.approx(float(expected_annual(P, per_building[:, j])))
    district = np.array([0, 0, 1, 1, 1, 2, 2])
    per_district = np.stack([np.bincount(district, e) for e in per_building])   # (3, 3)
    assert expected_annual(P, per_district) == pytest.approx(np.bincount(district, maps))


def test_residents_and_roads_per_year():
    """Residents affected and km of road cut per year come from the same integral."""
    events = [{"damage_eur": 2e5, "residents_affected": 10, "roads_cut_km": 0.5},
              {"damage_eur": 1e6, "residents_affected": 100, "roads_cut_km": 2.0},
              {"damage_eur": 3e6, "residents_affected": 400, "roads_cut_km": 4.0}]
    out = expected_annual_indicators(P, events, tail="cut")
    assert out["damage_eur"] == pytest.approx(78_000.0)
    # 0.08 · 55 + 0.015 · 250 = 4.4 + 3.75
    assert out["residents_affected"] == pytest.approx(8.15)
    # 0.08 · 1.25 + 0.015 · 3 = 0.1 + 0.045
    assert out["roads_cut_km"] == pytest.approx(0.145)


@pytest.mark.parametrize("probabilities, field", [
    ([1.0, 0.1, 0.01], "events.0.annual_probability"),
    ([0.1, 0.01, 0.0], "events.2.annual_probability"),
    ([0.1, -0.5, 0.01], "events.1.annual_probability"),
    ([0.01, 0.1, 0.001], "events.1.annual_probability"),
    ([0.1, 0.1, 0.01], "events.1.annual_probability"),
])
def test_bad_probabilities(probabilities, field):
    """Probabilities outside (0, 1) or not decreasing with severity name the event."""
    with pytest.raises(JumeauError) as info:
        expected_annual(probabilities, [1.0, 2.0, 3.0])
    assert info.value.field == field
    assert info.value.fix is not None


def test_one_event_only():
    """A single event is refused: EAD needs at least two."""
    with pytest.raises(JumeauError) as info:
        expected_annual([0.01], [1e6])
    assert "at least two events" in info.value.render("en")
    assert info.value.field == "events"


def test_values_must_match_events():
    """One value per event is required."""
    with pytest.raises(JumeauError) as info:
        expected_annual([0.1, 0.01], [1.0, 2.0, 3.0])
    assert "one value per event" in info.value.render("en")
