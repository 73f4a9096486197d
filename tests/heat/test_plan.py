"""The municipal heatwave plan in simpy: conservation, a known best case, seeds."""

from __future__ import annotations

import numpy as np

from jumeau.heat.plan import PlanSettings, simulate_plan


def _run(n=120, days=3, seed=7, **changes):
    settings = PlanSettings(**changes)
    return simulate_plan(np.full(n, 16.0), np.zeros(n, int), np.full(n, 6.0), days, settings,
                         seed=seed).by_day


def test_everybody_reached_on_day_one_with_answers_and_enough_agents():
    """Answer probability 1 and enough agents: every registered person is reached day 1."""
    day = _run(answer_probability=1.0, agents=5)
    assert day.loc[0, "reached"] == 120 and day.loc[0, "not_reached"] == 0
    assert day.loc[0, "reached_pct"] == 100.0 and day.loc[0, "visits"] == 0


def test_reached_plus_not_reached_is_registered():
    """Called every day, reached + not reached = registered, each day."""
    day = _run(n=400, days=5, agents=2)
    assert (day["reached"] + day["not_reached"] == day["registered"]).all()
    assert (day["registered"] == 400).all()
    assert (day["not_reached"] > 0).any()        # 2 agents cannot call 400 people a day


def test_same_seed_same_days_other_seed_other_days():
    """A fixed seed gives the same days; another seed other answers."""
    a, b = _run(seed=11), _run(seed=11)
    assert a.equals(b)
    assert not a.equals(_run(seed=12))


def test_nobody_answers_so_everybody_is_visited():
    """With no answers, each person gets 4 attempts then a visit, which reaches them."""
    day = _run(n=10, days=2, answer_probability=0.0, agents=3, retry_after_h=0.5)
    assert day.loc[0, "visits"] == 10 and day.loc[0, "reached"] == 10
    assert day.loc[0, "calls"] == 40


def test_agents_work_within_their_shift():
    """Agent utilisation never exceeds 100 % (no overtime)."""
    day = _run(n=600, days=2, agents=2)
    assert (day["agent_utilisation_pct"] <= 100.0 + 1e-9).all()
    assert day["agent_utilisation_pct"].iloc[0] > 90


def test_more_agents_reach_more_people():
    """Four agents reach more registered people on day 1 than two."""
    assert _run(n=400, agents=4).loc[0, "reached"] > _run(n=400, agents=2).loc[0, "reached"]


def test_cooled_room_never_holds_more_than_its_capacity():
    """Room occupancy is capped by its capacity; the others are turned away."""
    day = _run(n=200, days=2, answer_probability=1.0, agents=6, room_share=1.0, vehicles=50,
               rooms=(("Gymnase", 20, 10.0, 18.0),))
    assert (day["room_peak"] <= 20).all() and day.loc[0, "room_peak"] == 20
    assert day.loc[0, "room_turned_away"] > 0
