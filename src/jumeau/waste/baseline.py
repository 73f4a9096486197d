"""Today's rounds: the realistic baseline the optimised plan is compared with.

A commune's plan is not random. Two ways to write it down:

- **sectors**: the commune is cut into one sector per truck, as angular slices around
  the depot holding about the same tonnage (the classic "sweep" cut); each truck visits
  its sector in nearest-neighbour order (by truck travel time), unloading when the next
  point would not fit;
- **a plan**: rows ``{truck, road_id, order}`` saying which truck serves which street
  in what order; the points of a street are visited in nearest-neighbour order. Points
  on streets the plan does not name are reported as missed ("not in the plan").

Neither looks at the shift: a truck keeps going, and the simulated day decides what
overtime it costs or which points are missed when the day runs out.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jumeau.waste.rounds import DEPOT, UNLOADING, RoundsModel
from jumeau.waste.solver import PlannedRoute


def sweep_sectors(angle: np.ndarray, weight: np.ndarray, n_sectors: int) -> np.ndarray:
    """Sector of each point: contiguous angular slices of about equal total ``weight``.

    The cut starts at the widest empty angle, so no sector straddles a gap.

    >>> sweep_sectors(np.array([0.0, 0.1, 3.0, 3.1]), np.ones(4), 2).tolist()
    [0, 0, 1, 1]
    """
    n = len(angle)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(angle, kind="stable")
    a = angle[order]
    gaps = np.diff(np.r_[a, a[0] + 2 * np.pi])
    start = (int(np.argmax(gaps)) + 1) % n
    order = np.roll(order, -start)
    cum = np.cumsum(weight[order]) - 0.5 * weight[order]
    total = max(float(np.sum(weight)), 1e-12)
    sector = np.minimum((cum / total * n_sectors).astype(np.int64), n_sectors - 1)
    out = np.empty(n, dtype=np.int64)
    out[order] = sector
    return out


def nearest_neighbour_trips(model: RoundsModel, clients: Sequence[int], *,
                            start: int = DEPOT, groups_done: set | None = None
                            ) -> list[list[int]]:
    """Visit ``clients`` in nearest-neighbour order, unloading when the next doesn't fit.

    Of the clients serving one point (both directions of a street) only the nearer is
    visited.
    """
    left = np.asarray(sorted({int(c) for c in clients}), dtype=np.int64)
    points_left = {int(model.client_point[c]) for c in left}
    trips: list[list[int]] = [[]]
    loc, kg, lt = start, 0.0, 0.0
    while points_left:
        live = left[np.isin(model.client_point[left], list(points_left))]
        times = model.time_s[loc, live + 2]
        best = int(live[int(np.argmin(times))])
        if trips[-1] and (kg + model.kg[best] > model.capacity_kg + 1e-9
                          or lt + model.litres[best] > model.capacity_l + 1e-9):
            trips.append([])
            loc, kg, lt = UNLOADING, 0.0, 0.0
            continue
        trips[-1].append(best)
        kg += model.kg[best]
        lt += model.litres[best]
        loc = best + 2
        points_left.discard(int(model.client_point[best]))
    return [t for t in trips if t]


def sector_plan(model: RoundsModel, clients: np.ndarray, angle: np.ndarray
                ) -> tuple[PlannedRoute, ...]:
    """One sector per truck, each in nearest-neighbour order (see the module docstring).

    ``angle`` is the bearing of each client's point from the depot.
    """
    clients = np.asarray(clients, dtype=np.int64)
    if len(clients) == 0:
        return ()
    points, first = np.unique(model.client_point[clients], return_index=True)
    kg = model.kg[clients[first]]
    sector_of_point = sweep_sectors(angle[first], kg, model.n_trucks)
    sector = sector_of_point[np.searchsorted(points, model.client_point[clients])]
    routes = []
    for s in range(model.n_trucks):
        mine = clients[sector == s]
        if len(mine):
            routes.append(model.planned(nearest_neighbour_trips(model, mine)))
    return tuple(routes)


def file_plan(model: RoundsModel, clients: np.ndarray, client_road: np.ndarray,
              rows: Sequence[dict]) -> tuple[tuple[PlannedRoute, ...], np.ndarray]:
    """The rounds a plan file gives, and the clients it leaves out.

    ``client_road`` is the ``road_id`` of each client's street; ``rows`` are
    ``{truck, road_id, order}`` records. A truck serves its streets in ``order``; within
    a street, nearest neighbour; unloading when the next point doesn't fit.
    """
    clients = np.asarray(clients, dtype=np.int64)
    by_truck: dict[str, list[tuple[float, str]]] = {}
    for row in rows:
        by_truck.setdefault(str(row["truck"]), []).append((float(row.get("order", 0)),
                                                            str(row["road_id"])))
    served = np.zeros(len(clients), dtype=bool)
    routes = []
    for truck in sorted(by_truck, key=lambda k: (len(k), k)):
        trips: list[list[int]] = [[]]
        kg = lt = 0.0
        loc = DEPOT
        for _, road in sorted(by_truck[truck]):
            on = (client_road[clients] == road) & ~served
            if not on.any():
                continue
            served |= on
            for c in (c for trip in nearest_neighbour_trips(model, clients[on], start=loc)
                      for c in trip):
                if trips[-1] and (kg + model.kg[c] > model.capacity_kg + 1e-9
                                  or lt + model.litres[c] > model.capacity_l + 1e-9):
                    trips.append([])
                    kg = lt = 0.0
                trips[-1].append(int(c))
                kg += model.kg[c]
                lt += model.litres[c]
                loc = int(c) + 2
        if trips[-1]:
            routes.append(model.planned(trips))
    # A point is left out only if none of its clients was planned.
    planned_points = {int(model.client_point[c]) for r in routes for c in r.clients}
    left = np.array([c for c in clients if int(model.client_point[c]) not in planned_points],
                    dtype=np.int64)
    return tuple(routes), left
