"""The routing solver: jumeau's routing problems handed to PyVRP.

One small data object, :class:`RoutingProblem`, describes every problem jumeau solves —
the waste rounds of a commune and the standard benchmark instances (CVRPLIB node
routing, CARPLIB arc routing) alike — and :func:`solve_routing` solves it with PyVRP's
hybrid genetic / iterated local search (Wouda, Lan & Kool 2024), time-limited and seeded.
Nothing here is a heuristic of jumeau's own.

Arc routing (streets to serve, not points) uses the classic transformation of a
capacitated arc routing problem into a generalised VRP: a required street segment
becomes one client per direction in which it may be served, the directions of one
segment form a mutually exclusive group (exactly one of them is visited), and the cost
from client ``a`` to client ``b`` is the shortest path from the end of ``a`` to the start
of ``b`` plus the cost of serving ``b`` (see :func:`arc_routing_matrices`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import csgraph, csr_matrix

#: Any cost at or above this is "no path" for the solver (a big finite number: PyVRP
#: wants integers and would overflow on sums of int64 maxima).
NO_PATH = 10**9


@dataclass(frozen=True)
class RoutingProblem:
    """A capacitated vehicle routing problem with reloads and client groups.

    Locations are indexed from 0; clients sit on locations. Vehicles start at ``depot``,
    may empty themselves at ``reload`` during the day (as often as needed) and end at
    ``end`` (the depot by default; the unloading site for waste rounds, so that a round
    always finishes empty).

    Attributes
    ----------
    distance
        (L, L) integer distances between locations (metres for waste rounds).
    duration
        (L, L) integer durations (seconds); any time spent on arrival at a location
        (unloading) is folded in here.
    client_location
        Location of each client.
    demand
        (n_clients, n_dims) integer amounts collected at each client (kg, litres).
    capacity
        Capacity of a vehicle per dimension.
    n_vehicles
        Vehicles available.
    depot, end, reload
        Start location, end location (None: the depot) and reload location (None:
        no reload; a vehicle makes a single trip).
    service_s
        Service time at each client (None: zero).
    groups
        Mutually exclusive client groups: exactly one client of each group is visited
        (arc routing: the directions of one street segment). Clients in a group are
        optional on their own.
    shift_s
        Nominal maximum route duration (None: unlimited).
    max_overtime_s
        Overtime allowed above ``shift_s``.
    unit_distance_cost, unit_duration_cost, unit_overtime_cost
        Integer cost per unit of distance, of duration and of overtime (the objective).
    prize
        When given, every client is optional and visiting it earns this prize (cost
        units): clients a fleet cannot fit in its shift are left out rather than the
        whole plan being infeasible. Groups are then optional too.
    names
        Optional client names (kept for display).
    """

    distance: np.ndarray
    duration: np.ndarray
    client_location: np.ndarray
    demand: np.ndarray
    capacity: tuple[int, ...]
    n_vehicles: int
    depot: int = 0
    end: int | None = None
    reload: int | None = None
    service_s: np.ndarray | None = None
    groups: tuple[tuple[int, ...], ...] = ()
    shift_s: int | None = None
    max_overtime_s: int = 0
    unit_distance_cost: int = 1
    unit_duration_cost: int = 0
    unit_overtime_cost: int = 0
    prize: np.ndarray | None = None
    names: tuple[str, ...] = field(default=())

    @property
    def n_clients(self) -> int:
        return len(self.client_location)

    def to_pyvrp(self):
        """The problem as a :class:`pyvrp.ProblemData`."""
        from pyvrp import Client, ClientGroup, Depot, Location, ProblemData, VehicleType

        n_loc = len(self.distance)
        locations = [Location(0, 0) for _ in range(n_loc)]
        demand = np.asarray(self.demand, dtype=np.int64).reshape(self.n_clients, -1)
        service = (np.zeros(self.n_clients, dtype=np.int64) if self.service_s is None
                   else np.asarray(self.service_s, dtype=np.int64))
        group_of = np.full(self.n_clients, -1, dtype=np.int64)
        for g, members in enumerate(self.groups):
            group_of[list(members)] = g
        prize = (np.zeros(self.n_clients, dtype=np.int64) if self.prize is None
                 else np.asarray(self.prize, dtype=np.int64))
        optional = self.prize is not None
        clients = [Client(location=int(loc), pickup=[int(v) for v in demand[i]],
                          service_duration=int(service[i]), prize=int(prize[i]),
                          required=bool(group_of[i] < 0 and not optional),
                          group=None if group_of[i] < 0 else int(group_of[i]))
                   for i, loc in enumerate(self.client_location)]
        depot_locs = [self.depot]
        end = self.depot if self.end is None else self.end
        for loc in (end, self.reload):
            if loc is not None and loc not in depot_locs:
                depot_locs.append(loc)
        depots = [Depot(int(loc)) for loc in depot_locs]
        kw = {}
        if self.shift_s is not None:
            kw.update(shift_duration=int(self.shift_s), max_overtime=int(self.max_overtime_s),
                      unit_overtime_cost=int(self.unit_overtime_cost))
        vehicle = VehicleType(
            num_available=int(self.n_vehicles), capacity=[int(c) for c in self.capacity],
            start_depot=0, end_depot=depot_locs.index(end),
            reload_depots=[] if self.reload is None else [depot_locs.index(self.reload)],
            unit_distance_cost=int(self.unit_distance_cost),
            unit_duration_cost=int(self.unit_duration_cost), **kw)
        groups = [ClientGroup(list(map(int, members)), required=not optional)
                  for members in self.groups]
        dist = np.minimum(np.asarray(self.distance, dtype=np.int64), NO_PATH)
        dur = np.minimum(np.asarray(self.duration, dtype=np.int64), NO_PATH)
        return ProblemData(locations, clients, depots, [vehicle], [dist], [dur], groups=groups)


@dataclass(frozen=True)
class PlannedRoute:
    """One vehicle's planned day.

    Attributes
    ----------
    trips
        Client indices of each trip, in visiting order (a trip ends at the reload
        location, or at the end location for the last one).
    distance
        Total distance (problem units).
    duration_s
        Total duration from leaving the depot to arriving at the end location.
    """

    trips: tuple[tuple[int, ...], ...]
    distance: int
    duration_s: int

    @property
    def clients(self) -> tuple[int, ...]:
        return tuple(c for trip in self.trips for c in trip)


@dataclass(frozen=True)
class RoutingSolution:
    """The solver's answer.

    Attributes
    ----------
    routes
        One :class:`PlannedRoute` per vehicle used.
    cost
        Cost of the routes (problem cost units; prizes of clients left out are not
        counted), -1 when infeasible.
    distance
        Total distance of all routes.
    feasible
        Whether every constraint holds (capacity, shift, groups).
    unvisited
        Clients left out (only optional clients of satisfied groups, when feasible).
    runtime_s
        Wall-clock time spent in the solver.
    iterations
        Iterations the solver made.
    """

    routes: tuple[PlannedRoute, ...]
    cost: int
    distance: int
    feasible: bool
    unvisited: tuple[int, ...]
    runtime_s: float
    iterations: int


def solve_routing(problem: RoutingProblem, *, time_limit_s: float = 10.0, seed: int = 0,
                  max_iterations: int | None = None) -> RoutingSolution:
    """Solve ``problem`` with PyVRP, stopping after ``time_limit_s`` (or ``max_iterations``).

    The same seed and the same iteration budget give the same routes. With a time limit
    only, the result may vary with the machine's speed; pass ``max_iterations`` (as the
    tests do) when exact reproducibility across machines matters.

    With prizes (every client optional), the plan keeps the fleet's day: when the fleet
    cannot serve every client (:func:`fleet_time_short`), PyVRP may raise its penalty
    for a second over the day up to the largest prize (its default stops far below);
    otherwise, should the search end on a plan that breaks the day, it is run again so.
    Both runs then count in ``runtime_s`` (each has the time limit); ``iterations`` are
    the last run's.

    Examples
    --------
    >>> import numpy as np
    >>> d = np.array([[0, 2, 2], [2, 0, 3], [2, 3, 0]])
    >>> p = RoutingProblem(distance=d, duration=d, client_location=np.array([1, 2]),
    ...                    demand=np.array([[1], [1]]), capacity=(1,), n_vehicles=2)
    >>> solve_routing(p, time_limit_s=1, max_iterations=100).cost
    8
    """
    from pyvrp import PenaltyParams, SolveParams, solve
    from pyvrp.stop import MaxIterations, MaxRuntime, MultipleCriteria

    data = problem.to_pyvrp()

    def run(params: SolveParams):
        stops = [MaxRuntime(float(time_limit_s))]
        if max_iterations is not None:
            stops.append(MaxIterations(int(max_iterations)))
        stop = stops[0] if len(stops) == 1 else MultipleCriteria(stops)
        return solve(data, stop=stop, seed=int(seed), params=params, display=False,
                     collect_stats=False)

    # An optional client's prize can outweigh the largest penalty PyVRP charges by
    # default for a second over the day: its best plan then serves everyone and breaks
    # the day. When the fleet cannot serve everyone, or when the search found no plan
    # that keeps the day, PyVRP may raise that penalty up to the largest prize.
    default = PenaltyParams().max_penalty
    cap = _strict_penalty(problem, default)
    strict = SolveParams(penalty=PenaltyParams(max_penalty=cap))
    start = time.perf_counter()
    if cap > default and fleet_time_short(problem):
        result = run(strict)
    else:
        result = run(SolveParams())
        if cap > default and not result.best.is_feasible():
            result = run(strict)
    runtime = time.perf_counter() - start
    best = result.best
    routes = []
    missed_prizes = int(best.uncollected_prizes()) if problem.prize is not None else 0
    for route in best.routes():
        trips: list[list[int]] = [[]]
        for visit in route.schedule()[1:-1]:
            if visit.is_depot():
                trips.append([])
            else:
                trips[-1].append(int(visit.idx))
        routes.append(PlannedRoute(trips=tuple(tuple(t) for t in trips),
                                   distance=int(route.distance()),
                                   duration_s=int(route.duration())))
    visited = {c for r in routes for c in r.clients}
    return RoutingSolution(
        routes=tuple(routes),
        cost=int(round(result.cost())) - missed_prizes if best.is_feasible() else -1,
        distance=int(best.distance()), feasible=bool(best.is_feasible()),
        unvisited=tuple(i for i in range(problem.n_clients) if i not in visited),
        runtime_s=runtime, iterations=int(result.num_iterations))


def fleet_time_short(problem: RoutingProblem) -> bool:
    """Whether the fleet's day (shift and overtime of every vehicle) is shorter than a
    lower bound of the time it takes to serve every client: each client's service and
    its shortest arrival from another location, or none from a client or a depot at its
    own (for a group, its member that needs least).

    Examples
    --------
    >>> d = np.array([[0, 10, 10], [10, 0, 10], [10, 10, 0]])
    >>> p = RoutingProblem(distance=d, duration=d, client_location=np.array([1, 2]),
    ...                    demand=np.ones((2, 1), dtype=int), capacity=(9,), n_vehicles=1,
    ...                    service_s=np.array([30, 30]), shift_s=60, max_overtime_s=19)
    >>> fleet_time_short(p)  # 2 × (30 + 10) > 79
    True
    >>> from dataclasses import replace
    >>> fleet_time_short(replace(p, client_location=np.array([1, 1])))  # 30 + 0 + 30 + 0
    False
    """
    if problem.shift_s is None:
        return False
    duration = np.asarray(problem.duration, dtype=float).copy()
    # a client is reached from another location, or at no travel from a client or a
    # depot at its own
    where = np.asarray(problem.client_location, dtype=np.int64)
    shared = np.bincount(where, minlength=len(duration)) > 1
    for depot in (problem.depot, problem.end, problem.reload):
        if depot is not None:
            shared[depot] = True
    duration[np.diag_indices_from(duration)] = np.where(shared, 0.0, np.inf)
    service = (np.zeros(problem.n_clients) if problem.service_s is None
               else np.asarray(problem.service_s, dtype=float))
    need = service + duration[:, where].min(axis=0)
    grouped = np.zeros(problem.n_clients, dtype=bool)
    bound = 0.0
    for members in problem.groups:
        grouped[list(members)] = True
        bound += need[list(members)].min()
    bound += need[~grouped].sum()
    return bool(bound > problem.n_vehicles * (problem.shift_s + problem.max_overtime_s))


def _strict_penalty(problem: RoutingProblem, default: float) -> float:
    """The largest penalty PyVRP may reach per unit a plan breaks a limit by (a second
    over the day, a unit over the capacity): the largest prize when clients have prizes,
    so that no client is worth breaking a limit for, else ``default``.

    PyVRP's costs are 64-bit integers: the penalty stays low enough that the largest
    breach a plan can make (all the demand over capacity, every leg and service in one
    day) costs less than a quarter of their range.

    Examples
    --------
    >>> d = np.array([[0, 10], [10, 0]])
    >>> p = RoutingProblem(distance=d, duration=d, client_location=np.array([1]),
    ...                    demand=np.array([[5]]), capacity=(9,), n_vehicles=1,
    ...                    prize=np.array([10**9]))
    >>> from dataclasses import replace
    >>> _strict_penalty(p, 1e5)
    1000000000.0
    >>> q = replace(p, duration=np.array([[0, NO_PATH], [NO_PATH, 0]]))  # no path
    >>> cap = _strict_penalty(q, 1e5)
    >>> cap < 10**9 and cap * 6 * NO_PATH < 2**62  # 2 × (1 + 2) legs of NO_PATH
    True
    """
    if problem.prize is None or len(problem.prize) == 0:
        return default
    duration = np.asarray(problem.duration, dtype=float)
    service = 0.0 if problem.service_s is None else float(np.sum(problem.service_s))
    legs = 2.0 * (problem.n_clients + 2) * float(duration.max(initial=0.0)) + service
    load = float(np.asarray(problem.demand, dtype=float).sum(axis=0).max(initial=0.0))
    safe = 2.0**61 / max(legs, load, 1.0)
    return max(default, min(float(np.max(problem.prize)), safe))


# -- arc routing ------------------------------------------------------------------------
def arc_routing_matrices(n_nodes: int, edge_from: np.ndarray, edge_to: np.ndarray,
                         edge_cost: np.ndarray, depot_node: int,
                         arc_tail: np.ndarray, arc_head: np.ndarray, arc_cost: np.ndarray,
                         ) -> np.ndarray:
    """Location-to-location costs of the arc-routing transformation.

    Location 0 is the depot node; location ``1 + k`` is required arc ``k`` (one serving
    direction, ``arc_tail → arc_head``). The cost from location ``a`` to ``b`` is the
    shortest deadheading path from the end of ``a`` to the start of ``b`` plus the cost of
    serving ``b``; a route's total is then deadheading plus service, the CARP objective.

    Parameters
    ----------
    n_nodes
        Nodes of the street graph.
    edge_from, edge_to, edge_cost
        Directed edges that may be driven (deadheaded), with their cost.
    depot_node
        Node of the depot.
    arc_tail, arc_head, arc_cost
        The required arcs (one per serving direction) and their service cost.
    """
    # csr_matrix would sum parallel edges: keep the cheapest one instead.
    order = np.lexsort((edge_cost, edge_to, edge_from))
    u, v, c = (np.asarray(a)[order] for a in (edge_from, edge_to, edge_cost))
    keep = np.r_[True, (u[1:] != u[:-1]) | (v[1:] != v[:-1])]
    g = csr_matrix((np.maximum(c[keep].astype(float), 1e-9), (u[keep], v[keep])),
                   shape=(n_nodes, n_nodes))
    sp = csgraph.dijkstra(g, directed=True)
    sp[np.arange(n_nodes), np.arange(n_nodes)] = 0.0
    starts = np.r_[depot_node, arc_tail].astype(np.int64)
    ends = np.r_[depot_node, arc_head].astype(np.int64)
    serve = np.r_[0.0, np.asarray(arc_cost, float)]
    cost = sp[np.ix_(ends, starts)] + serve[None, :]
    np.fill_diagonal(cost, 0.0)
    return cost


# -- waste rounds -----------------------------------------------------------------------
#: Cost units per euro in the optimiser's integer objective.
COST_UNITS_PER_EUR = 100_000

#: Prize of collecting a kilogram of waste, in euros: far above any detour, so that the
#: optimiser leaves a point out only when the fleet cannot fit it in its shift and
#: overtime, and then leaves out as little waste as it can.
PRIZE_EUR_PER_KG = 100.0

#: Overtime premium over the crew's hourly cost (French Labour Code, +25 % for the first
#: eight overtime hours).
OVERTIME_PREMIUM = 0.25


def waste_problem(model, *, truck_eur_h: float, crew_eur_h_total: float,
                  eur_per_km: float) -> RoutingProblem:
    """The collection day of ``model`` (:class:`~jumeau.waste.rounds.RoundsModel`) as a
    routing problem: start at the depot, reload (unload) at the unloading site as often as
    needed, end there; minimise euros (truck and crew hours, kilometres).

    Mass is counted in grams and volume in litres (PyVRP works in integers). The drive
    back from the unloading site to the depot is the same for every truck; it is taken
    off the shift the optimiser sees.
    """
    from jumeau.waste.rounds import DEPOT, UNLOADING

    eur_h = truck_eur_h + crew_eur_h_total
    shift = max(1, int(model.shift_s - model.return_s))
    demand = np.column_stack([np.ceil(model.kg * 1000.0), np.ceil(model.litres)])
    return RoutingProblem(
        distance=np.rint(np.where(np.isfinite(model.distance_m), model.distance_m, NO_PATH)),
        duration=np.rint(np.where(np.isfinite(model.time_s), model.time_s, NO_PATH)),
        client_location=np.arange(model.n_clients) + 2, demand=demand.astype(np.int64),
        capacity=(int(model.capacity_kg * 1000.0), int(model.capacity_l)),
        n_vehicles=model.n_trucks, depot=DEPOT, end=UNLOADING if model.can_unload else DEPOT,
        reload=UNLOADING if model.can_unload else None,
        service_s=np.rint(model.service_s).astype(np.int64), groups=model.groups,
        shift_s=shift, max_overtime_s=int(model.max_overtime_s),
        unit_distance_cost=max(1, round(eur_per_km / 1000.0 * COST_UNITS_PER_EUR)),
        unit_duration_cost=round(eur_h / 3600.0 * COST_UNITS_PER_EUR),
        unit_overtime_cost=round(crew_eur_h_total * OVERTIME_PREMIUM / 3600.0
                                 * COST_UNITS_PER_EUR),
        prize=np.rint(np.maximum(model.kg, 1.0) * PRIZE_EUR_PER_KG * COST_UNITS_PER_EUR
                      ).astype(np.int64))
