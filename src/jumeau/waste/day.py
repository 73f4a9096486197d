"""The collection day, simulated with simpy.

Each truck leaves the depot, drives to its points in the planned order, collects (service
times drawn around the planned ones), unloads when full or at the end of each planned
trip, and drives back. Random traffic slows some legs down. Optionally one truck breaks
down at a random time: its remaining points go to the other trucks (whoever is free
first takes the nearest) or are missed. A truck starts no point it could not finish,
unload and return from before the end of its shift plus the overtime allowed: those
points are missed.

With randomness off, every duration is the planned one and the day matches the plan
exactly (the conservation tests check it).

Distributions (assumptions): service times are gamma-distributed with the planned mean
and coefficient of variation ``service_cv``; a leg meets traffic with probability
``slowdown_probability`` and is then slowed by a factor uniform in
[1, ``slowdown_max``]; the breakdown time is uniform over the truck's planned day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import simpy

from jumeau.waste.rounds import DEPOT, UNLOADING, RoundsModel
from jumeau.waste.solver import PlannedRoute

ACTIVITIES = ("driving", "collecting", "unloading", "idle", "broken_down")


@dataclass(frozen=True)
class DayOutcome:
    """What happened during the simulated day.

    Attributes
    ----------
    timeline
        One row per activity: truck, activity (see ``ACTIVITIES``), start_s, end_s,
        distance_m, collecting (bool: distance driven while collecting).
    point_time_s
        Time each point was collected (s after departure; NaN: missed).
    point_truck
        Truck that collected each point (-1: missed).
    point_order
        Rank of each point in its truck's day (-1: missed).
    point_missed_reason
        "" when collected, else why: "day_over", "breakdown", or the caller's reasons.
    truck_load_max_kg, truck_load_max_l
        Highest load each truck carried.
    unloads
        Unloading trips of each truck.
    kg_collected
        Waste each truck collected.
    end_s
        When each truck was back at the depot (or broke down for good).
    broken_truck, broken_at_s
        The truck that broke down and when (-1, NaN: none).
    """

    timeline: pd.DataFrame
    point_time_s: np.ndarray
    point_truck: np.ndarray
    point_order: np.ndarray
    point_missed_reason: np.ndarray
    truck_load_max_kg: np.ndarray
    truck_load_max_l: np.ndarray
    unloads: np.ndarray
    kg_collected: np.ndarray
    end_s: np.ndarray
    broken_truck: int
    broken_at_s: float


@dataclass(frozen=True)
class DayRandomness:
    """Random draws of the day (see the module docstring)."""

    service_cv: float = 0.0
    slowdown_probability: float = 0.0
    slowdown_max: float = 1.0
    breakdown_probability: float = 0.0
    reassign: bool = True


def simulate_day(model: RoundsModel, routes: tuple[PlannedRoute, ...], n_points: int,
                 randomness: DayRandomness, rng: np.random.Generator) -> DayOutcome:
    """Run the day of ``routes`` on ``model``; ``n_points`` collection points in all."""
    env = simpy.Environment()
    n_trucks = len(routes)
    events: list[tuple] = []
    point_time = np.full(n_points, np.nan)
    point_truck = np.full(n_points, -1, dtype=np.int64)
    point_order = np.full(n_points, -1, dtype=np.int64)
    reason = np.full(n_points, "", dtype=object)
    load_max_kg = np.zeros(n_trucks)
    load_max_l = np.zeros(n_trucks)
    unloads = np.zeros(n_trucks, dtype=np.int64)
    kg_done = np.zeros(n_trucks)
    end = np.zeros(n_trucks)
    hard_end = model.shift_s + model.max_overtime_s
    pool: list[int] = []  # clients handed over by a broken-down truck
    # Draws are made up front, per truck and per planned client, so that one truck's
    # day does not shift another's random numbers.
    streams = [np.random.default_rng(s) for s in rng.integers(0, 2**63, size=n_trucks + 1)]
    broken, broken_at = -1, np.nan
    used = [k for k, r in enumerate(routes) if r.clients]
    if used and randomness.breakdown_probability > 0 and \
            streams[-1].random() < randomness.breakdown_probability:
        broken = int(streams[-1].choice(used))
        broken_at = float(streams[-1].uniform(0, max(routes[broken].duration_s, 1)))

    def service(k: int, c: int) -> float:
        mean = float(model.service_s[c])
        cv = randomness.service_cv
        if cv <= 0 or mean <= 0:
            return mean
        shape = 1.0 / cv**2
        return float(streams[k].gamma(shape, mean / shape))

    def slowdown(k: int) -> float:
        if randomness.slowdown_probability <= 0 or \
                streams[k].random() >= randomness.slowdown_probability:
            return 1.0
        return float(streams[k].uniform(1.0, randomness.slowdown_max))

    def log(k, activity, start, stop, dist=0.0, collecting=False):
        if stop > start or dist > 0:
            events.append((k, activity, start, stop, dist, collecting))

    def truck(k: int, trips: tuple[tuple[int, ...], ...]):
        state = {"loc": DEPOT, "kg": 0.0, "l": 0.0, "rank": 0, "current": None}
        queue = [(c, i == len(t) - 1) for t in trips for i, c in enumerate(t)]

        def drive(dest: int, client: int | None = None):
            """Drive to ``dest``; a served street (``client``) ends at walking pace, and
            arriving at the unloading site means unloading."""
            src = state["loc"]
            unload = model.unload_s if dest == UNLOADING and src != UNLOADING else 0.0
            coll_t = model.collect_time_s[client] if client is not None else 0.0
            coll_m = model.collect_distance_m[client] if client is not None else 0.0
            dist = model.distance_m[src, dest]
            t_drive = max(model.time_s[src, dest] - unload - coll_t, 0.0) * slowdown(k)
            start = env.now
            yield env.timeout(t_drive)
            log(k, "driving", start, env.now, dist - coll_m,
                collecting=src >= 2 and dest >= 2 and not model.transit_only and coll_m == 0)
            if coll_t > 0:
                s = env.now
                yield env.timeout(coll_t)
                log(k, "collecting", s, env.now, coll_m, True)
            if unload:
                s = env.now
                yield env.timeout(unload)
                log(k, "unloading", s, env.now)
                unloads[k] += 1
                state["kg"] = state["l"] = 0.0
            state["loc"] = dest

        def finish_time(c: int) -> float:
            loc = c + 2
            return (env.now + model.time_s[state["loc"], loc] + model.service_s[c]
                    + model.time_s[loc, UNLOADING] + model.return_s)

        def collect(c: int, planned_unload_after: bool):
            p = int(model.client_point[c])
            if state["kg"] + model.kg[c] > model.capacity_kg + 1e-9 or \
                    state["l"] + model.litres[c] > model.capacity_l + 1e-9:
                if not model.can_unload:
                    reason[p] = "truck_full"
                    return
                yield from drive(UNLOADING)
            yield from drive(c + 2, c)
            s = env.now
            yield env.timeout(service(k, c))
            log(k, "collecting", s, env.now)
            state["kg"] += model.kg[c]
            state["l"] += model.litres[c]
            load_max_kg[k] = max(load_max_kg[k], state["kg"])
            load_max_l[k] = max(load_max_l[k], state["l"])
            kg_done[k] += model.kg[c]
            point_time[p] = env.now
            point_truck[p] = k
            point_order[p] = state["rank"]
            state["rank"] += 1
            if planned_unload_after:
                yield from drive(UNLOADING)

        try:
            while queue:
                c, last = queue.pop(0)
                if finish_time(c) > hard_end:
                    reason[int(model.client_point[c])] = "day_over"
                    continue
                state["current"] = c
                yield from collect(c, last)
                state["current"] = None
            # Own round done: help with a broken-down truck's points, nearest first.
            while pool:
                times = [model.time_s[state["loc"], c + 2] for c in pool]
                c = pool.pop(int(np.argmin(times)))
                if finish_time(c) > hard_end:
                    reason[int(model.client_point[c])] = "day_over"
                    continue
                state["current"] = c
                yield from collect(c, False)
                state["current"] = None
            if state["loc"] != UNLOADING and state["loc"] != DEPOT:
                yield from drive(UNLOADING)
            if state["loc"] == UNLOADING:
                s = env.now
                yield env.timeout(model.return_s)
                log(k, "driving", s, env.now, model.return_m)
            end[k] = env.now
            if env.now < model.shift_s:
                log(k, "idle", env.now, model.shift_s)
        except simpy.Interrupt:
            end[k] = env.now
            log(k, "broken_down", env.now, max(model.shift_s, env.now))
            current = state["current"]
            rest = [c for c, _ in queue]
            if current is not None and np.isnan(point_time[int(model.client_point[current])]):
                rest.insert(0, current)
            if randomness.reassign and n_trucks > 1:
                pool.extend(rest)
            else:
                for c in rest:
                    reason[int(model.client_point[c])] = "breakdown"

    procs = [env.process(truck(k, r.trips)) for k, r in enumerate(routes)]

    def breakdown():
        yield env.timeout(broken_at)
        if procs[broken].is_alive:
            procs[broken].interrupt()

    if broken >= 0:
        env.process(breakdown())
    env.run()
    # Points a broken-down truck handed over that nobody could take.
    for c in pool:
        p = int(model.client_point[c])
        if np.isnan(point_time[p]) and not reason[p]:
            reason[p] = "breakdown"
    timeline = pd.DataFrame(events, columns=["truck", "activity", "start_s", "end_s",
                                             "distance_m", "collecting"])
    return DayOutcome(timeline, point_time, point_truck, point_order, reason, load_max_kg,
                      load_max_l, unloads, kg_done, end, broken, broken_at)
