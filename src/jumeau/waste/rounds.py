"""The collection day as a routing model, shared by the optimiser, the baseline and the day.

Locations: 0 the depot, 1 the unloading site, then one location per *client*. A client
is a collection point, or — for a street served door to door as a whole — one serving
direction of that street (a two-way street gives two clients, of which one is visited).
Travel times include the time to unload on arrival at the unloading site.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jumeau.waste.solver import PlannedRoute

DEPOT, UNLOADING = 0, 1


@dataclass(frozen=True)
class RoundsModel:
    """Everything needed to plan and to simulate a collection day.

    Attributes
    ----------
    time_s, distance_m
        (L, L) travel time and distance between locations (unloading time folded into
        arrivals at the unloading site).
    collect_distance_m, collect_time_s
        Distance and time driven while collecting to reach each client (the served
        street, at collecting speed; 0 for points).
    client_point
        Collection point of each client.
    kg, litres
        Waste of each client's point (mass, compacted volume).
    service_s
        Service time at each client (bins, stops, containers).
    groups
        Clients that serve the same point (either direction of one street).
    capacity_kg, capacity_l
        One truck's payload and body volume.
    n_trucks
        Trucks available.
    unload_s
        Unloading time (already in ``time_s``; kept for the timeline).
    return_s, return_m
        Drive from the unloading site back to the depot, at the end of the day.
    shift_s, max_overtime_s
        Shift length (depot to depot) and overtime allowed.
    transit_only
        True when no leg counts as collecting (drop-off rounds: a crane truck drives
        from container to container).
    can_unload
        False when the unloading site is cut off (location 1 is then the depot): each
        truck makes one load only.
    """

    time_s: np.ndarray
    distance_m: np.ndarray
    collect_distance_m: np.ndarray
    collect_time_s: np.ndarray
    client_point: np.ndarray
    kg: np.ndarray
    litres: np.ndarray
    service_s: np.ndarray
    groups: tuple[tuple[int, ...], ...]
    capacity_kg: float
    capacity_l: float
    n_trucks: int
    unload_s: float
    return_s: float
    return_m: float
    shift_s: float
    max_overtime_s: float
    transit_only: bool = False
    can_unload: bool = True

    @property
    def n_clients(self) -> int:
        return len(self.client_point)

    def location(self, client: int | np.ndarray) -> int | np.ndarray:
        """Location of a client."""
        return np.asarray(client) + 2 if not isinstance(client, int) else client + 2

    def route_totals(self, trips: tuple[tuple[int, ...], ...]) -> tuple[float, float]:
        """Distance (m) and duration (s) of a planned day, depot to depot.

        Each trip ends at the unloading site; the last one is followed by the drive back
        to the depot. Service times count; no randomness.
        """
        dist = time = 0.0
        loc = DEPOT
        for trip in trips:
            for c in trip:
                nxt = c + 2
                dist += self.distance_m[loc, nxt]
                time += self.time_s[loc, nxt] + self.service_s[c]
                loc = nxt
            dist += self.distance_m[loc, UNLOADING]
            time += self.time_s[loc, UNLOADING]
            loc = UNLOADING
        if loc == DEPOT:  # no trip at all
            return 0.0, 0.0
        return dist + self.return_m, time + self.return_s

    def planned(self, trips: list[list[int]]) -> PlannedRoute:
        """A :class:`PlannedRoute` with its totals computed here."""
        trips_t = tuple(tuple(int(c) for c in t) for t in trips if len(t))
        dist, time = self.route_totals(trips_t)
        return PlannedRoute(trips=trips_t, distance=int(round(dist)), duration_s=int(round(time)))
