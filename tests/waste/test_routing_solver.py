"""The PyVRP wrapper: standard instances, the arc-routing transformation, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from jumeau.io.routing import read_instance
from jumeau.waste.solver import RoutingProblem, arc_routing_matrices, solve_routing


def test_cvrp_a_n32_k5_within_one_percent(shared_data):
    """A-n32-k5 (optimal 784) is solved within 1 % in a few seconds."""
    inst = read_instance(shared_data / "vrp" / "A-n32-k5.vrp")
    assert inst.best_known == 784
    sol = solve_routing(inst.problem, time_limit_s=3, seed=1)
    assert sol.feasible
    assert sol.cost <= 784 * 1.01
    # Every client is visited exactly once, no route over capacity.
    visited = sorted(c for r in sol.routes for c in r.clients)
    assert visited == list(range(31))
    demand = inst.problem.demand[:, 0]
    assert max(demand[list(r.clients)].sum() for r in sol.routes) <= 100


def test_carp_gdb1_within_one_percent(shared_data):
    """gdb1 (optimal 316) is solved within 1 % as arc routing, each edge served once."""
    inst = read_instance(shared_data / "carp" / "gdb1.dat")
    assert inst.best_known == 316 and inst.kind == "carp"
    sol = solve_routing(inst.problem, time_limit_s=3, seed=1)
    assert sol.feasible
    assert sol.cost <= 316 * 1.01
    served = sorted(c % 22 for r in sol.routes for c in r.clients)
    assert served == list(range(22))


def test_arc_routing_costs_by_hand():
    """Path 0–1–2 (costs 2, 3); arcs 0→1 and 2→1: depot→(2→1) = 5 + 3, (0→1)→(2→1) = 3 + 3."""
    cost = arc_routing_matrices(3, np.array([0, 1, 1, 2]), np.array([1, 0, 2, 1]),
                                np.array([2.0, 2.0, 3.0, 3.0]), depot_node=0,
                                arc_tail=np.array([0, 2]), arc_head=np.array([1, 1]),
                                arc_cost=np.array([2.0, 3.0]))
    assert cost[0, 1] == 2.0          # depot → serve 0→1
    assert cost[0, 2] == 5.0 + 3.0    # drive 0→2, serve 2→1
    assert cost[1, 2] == 3.0 + 3.0    # from node 1 drive to 2, serve 2→1
    assert cost[2, 0] == 2.0          # from node 1 back to the depot


def test_same_seed_same_routes(shared_data):
    """The same seed and iteration budget give the same routes; the wrapper is seeded."""
    inst = read_instance(shared_data / "vrp" / "P-n16-k8.vrp")
    a = solve_routing(inst.problem, time_limit_s=30, seed=7, max_iterations=200)
    b = solve_routing(inst.problem, time_limit_s=30, seed=7, max_iterations=200)
    assert [r.trips for r in a.routes] == [r.trips for r in b.routes]
    assert a.iterations == 200


def test_reload_lets_one_truck_do_several_trips():
    """One vehicle of capacity 1 serves three clients by reloading between them."""
    d = np.array([[0, 5, 1, 1, 1], [5, 0, 5, 5, 5], [1, 5, 0, 1, 1], [1, 5, 1, 0, 1],
                  [1, 5, 1, 1, 0]])
    p = RoutingProblem(distance=d, duration=d, client_location=np.array([2, 3, 4]),
                       demand=np.ones((3, 1), dtype=int), capacity=(1,), n_vehicles=1,
                       depot=0, end=1, reload=1)
    sol = solve_routing(p, time_limit_s=1, seed=0, max_iterations=200)
    assert sol.feasible and len(sol.routes) == 1
    assert len(sol.routes[0].trips) == 3
    assert sol.cost == 1 + 5 + 5 + 5 + 5 + 5  # depot→a→U→b→U→c→U


def test_unknown_instance_format(tmp_path):
    """A file that is neither .vrp nor .dat is refused with a clear error."""
    from jumeau.errors import JumeauError

    f = tmp_path / "x.txt"
    f.write_text("1")
    with pytest.raises(JumeauError, match="vrp"):
        read_instance(f)


def _prize_problem(distance, service_s, shift_s):
    """One vehicle, optional clients worth far more than PyVRP's default largest penalty
    for a second over the day (1e5): serving them all by breaking the day would pay."""
    n = len(service_s)
    return RoutingProblem(distance=distance, duration=distance,
                          client_location=np.arange(1, n + 1),
                          demand=np.ones((n, 1), dtype=int), capacity=(n,), n_vehicles=1,
                          service_s=np.asarray(service_s), shift_s=shift_s, max_overtime_s=0,
                          prize=np.full(n, 10**9))


def _day_s(problem, route):
    """A route's duration from its trips, by hand (depot → clients → depot)."""
    stops = [0, *(problem.client_location[c] for c in route.clients), 0]
    travel = sum(problem.duration[a, b] for a, b in zip(stops, stops[1:]))
    return travel + sum(problem.service_s[c] for c in route.clients)


def test_a_fleet_too_short_for_every_client_keeps_its_day():
    """Five clients of 100 s service, 10 s apart, and a 250 s day: the fleet can serve
    two (10 + 100 + 10 + 100 + 10 = 230 s); the plan serves two and keeps the day. With
    PyVRP's default penalties it served all five (560 s) and broke the day."""
    from jumeau.waste.solver import fleet_time_short

    d = np.full((6, 6), 10)
    np.fill_diagonal(d, 0)
    p = _prize_problem(d, [100] * 5, 250)
    assert fleet_time_short(p)
    sol = solve_routing(p, time_limit_s=5, seed=0, max_iterations=200)
    assert sol.feasible
    assert len(sol.unvisited) == 3
    assert _day_s(p, sol.routes[0]) == 230


def test_a_day_broken_by_the_search_is_searched_again():
    """Two clients 10 s from the depot but 1,000 s from each other, a 100 s day: the
    lower bound (2 × (10 + 10) s) does not show the fleet short, the default search
    serves both (1,040 s); the plan is searched again and serves one (30 s)."""
    from jumeau.waste.solver import fleet_time_short

    d = np.array([[0, 10, 10], [10, 0, 1000], [10, 1000, 0]])
    p = _prize_problem(d, [10, 10], 100)
    assert not fleet_time_short(p)
    sol = solve_routing(p, time_limit_s=5, seed=0, max_iterations=200)
    assert sol.feasible
    assert len(sol.unvisited) == 1
    assert _day_s(p, sol.routes[0]) == 30
