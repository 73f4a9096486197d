"""The municipal heatwave plan as a discrete-event simulation (simpy), seeded.

When the prefect raises the heatwave alert, the commune calls every person on its
register of vulnerable people, visits those it cannot reach, and opens cooled rooms with
a transport service. The model (times in minutes from midnight of day 1):

- **Register**: people drawn from the buildings' residents — a share of those aged 75
  or over and of those living alone — or given as a list of home buildings.
- **Calls**: ``agents`` agents work a daily shift; everyone due that day (every
  ``call_every_days`` days since they were last reached, and until they are) is called.
  An attempt is answered with probability ``answer_probability``; an unanswered call is
  retried ``retry_after_h`` later, and after ``visit_after_attempts`` unanswered attempts
  in a row an agent goes to the person's home (travel on the road network, there and back,
  plus the visit). A visit always reaches the person (assumption: found at home or
  through a neighbour). Visits come first, then retries, then first calls.
- **Cooled rooms**: a share of the people reached ask to go to a cooled room; a vehicle
  of the transport service takes them (one trip at a time per vehicle); the room admits
  them while it has room, until it closes.

Everything random (answers, room requests) is drawn from one ``numpy`` generator made
from the seed, in the deterministic order of simpy's event queue: same seed, same days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

import numpy as np
import pandas as pd
import simpy

DAY_MIN = 24 * 60


@dataclass(frozen=True)
class PlanSettings:
    """The plan's resources and rules (see the module docstring).

    Attributes mirror :class:`jumeau.heat.params.PlanParams`.
    """

    agents: int = 2
    call_every_days: int = 1
    answer_probability: float = 0.7
    call_min: float = 6.0
    no_answer_min: float = 3.0
    retry_after_h: float = 1.0
    visit_after_attempts: int = 4
    visit_min: float = 20.0
    shift_start_h: float = 9.0
    shift_h: float = 8.0
    room_share: float = 0.10
    vehicles: int = 1
    boarding_min: float = 10.0
    rooms: tuple[tuple[str, int, float, float], ...] = (("Salle rafraîchie", 30, 10.0, 18.0),)


@dataclass
class Person:
    """One registered person and what happened to them."""

    index: int
    visit_travel_min: float
    room: int
    room_travel_min: float
    last_reached_day: int = -10**6
    fails: int = 0
    first_contact_min: float = np.nan
    pending: bool = False


@dataclass
class _Day:
    due: set = field(default_factory=set)
    reached: set = field(default_factory=set)
    calls: int = 0
    visits: int = 0
    busy_min: float = 0.0
    first_contacts: list = field(default_factory=list)
    room_visitors: list = field(default_factory=list)
    room_peak: list = field(default_factory=list)
    turned_away: int = 0


@dataclass(frozen=True)
class PlanOutcome:
    """What the plan did, day by day.

    Attributes
    ----------
    by_day
        One row per day: registered, due, reached, not reached, reached_pct,
        reached_ever_pct, first_contact_mean_h (people first reached that day, hours from
        the plan's start), calls, visits, agent_utilisation_pct, room_visitors,
        room_peak, room_occupancy_pct, room_turned_away.
    people
        One row per registered person: first contact (h), days reached, room.
    """

    by_day: pd.DataFrame
    people: pd.DataFrame


def simulate_plan(visit_travel_min: np.ndarray, room_of_person: np.ndarray,
                  room_travel_min: np.ndarray, n_days: int, settings: PlanSettings,
                  seed: int) -> PlanOutcome:
    """Run the plan over ``n_days`` days.

    Parameters
    ----------
    visit_travel_min
        Per registered person, the agents' round trip to their home (minutes).
    room_of_person
        Per person, the index of their cooled room in ``settings.rooms``.
    room_travel_min
        Per person, the one-way trip from home to that room (minutes).
    n_days
        Days of the plan (the episode's).
    settings
        The plan's resources and rules.
    seed
        Seed of the random draws.

    Examples
    --------
    >>> out = simulate_plan(np.full(3, 10.0), np.zeros(3, int), np.full(3, 5.0), 1,
    ...                     PlanSettings(answer_probability=1.0, room_share=0.0), seed=1)
    >>> int(out.by_day.loc[0, "reached"])
    3
    """
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    people = [Person(i, float(visit_travel_min[i]), int(room_of_person[i]),
                     float(room_travel_min[i])) for i in range(len(visit_travel_min))]
    store = simpy.PriorityStore(env)
    seq = count()
    days = [_Day() for _ in range(n_days)]
    vehicles = simpy.Resource(env, capacity=max(settings.vehicles, 1))
    rooms = [simpy.Container(env, capacity=max(cap, 1), init=0) for _, cap, _, _ in
             settings.rooms]
    s = settings

    def shift(d: int) -> tuple[float, float]:
        start = d * DAY_MIN + s.shift_start_h * 60
        return start, start + s.shift_h * 60

    def put(priority: int, task: tuple) -> None:
        store.put(simpy.PriorityItem((priority, next(seq)), task))

    def opener():
        for d in range(n_days):
            start, _ = shift(d)
            yield env.timeout(max(start - env.now, 0))
            for p in people:
                if p.last_reached_day < d - s.call_every_days + 1 and d >= 0:
                    days[d].due.add(p.index)
                    if not p.pending:
                        p.pending = True
                        put(2, ("call", p))
            # Room peaks are sampled at closing time by the rooms' own processes.

    def reached(p: Person, d: int) -> None:
        p.last_reached_day, p.fails, p.pending = d, 0, False
        days[d].reached.add(p.index)
        if not np.isfinite(p.first_contact_min):
            p.first_contact_min = env.now - shift(0)[0]
            days[d].first_contacts.append(p.first_contact_min / 60.0)
        if s.room_share > 0 and len(rooms) and rng.random() < s.room_share:
            env.process(to_room(p, d))

    def retry(p: Person, d: int):
        yield env.timeout(s.retry_after_h * 60)
        put(1, ("call", p))

    def agent():
        while True:
            d = int(env.now // DAY_MIN)
            if d >= n_days:
                return
            start, end = shift(d)
            if env.now < start:
                yield env.timeout(start - env.now)
                continue
            if env.now >= end:
                if d + 1 >= n_days:
                    return
                yield env.timeout(shift(d + 1)[0] - env.now)
                continue
            get = store.get()
            got = yield get | env.timeout(end - env.now)
            if get not in got:
                get.cancel()
                continue
            kind, p = get.value.item
            if p.last_reached_day == d:
                p.pending = False
                continue
            longest = p.visit_travel_min + s.visit_min if kind == "visit" else s.call_min
            if env.now + longest > end:
                # Too late in the shift: the task waits for tomorrow (no overtime).
                store.put(get.value)
                yield env.timeout(end - env.now)
                continue
            if kind == "visit":
                took = longest
                yield env.timeout(took)
                days[d].visits += 1
                days[d].busy_min += took
                reached(p, d)
                continue
            answered = rng.random() < s.answer_probability
            took = s.call_min if answered else s.no_answer_min
            yield env.timeout(took)
            days[d].calls += 1
            days[d].busy_min += took
            if answered:
                reached(p, d)
            else:
                p.fails += 1
                if p.fails >= s.visit_after_attempts:
                    put(0, ("visit", p))
                else:
                    env.process(retry(p, d))

    def to_room(p: Person, d: int):
        _name, _cap, _open_h, close_h = s.rooms[p.room]
        with vehicles.request() as req:
            yield req
            yield env.timeout(s.boarding_min + p.room_travel_min)
            arrive = env.now
            closing = d * DAY_MIN + close_h * 60
            room = rooms[p.room]
            admitted = arrive < closing and room.level < room.capacity
            if admitted:
                yield room.put(1)
                days[d].room_visitors.append(p.room)
                env.process(leave(room, closing - arrive))
            else:
                days[d].turned_away += 1
            yield env.timeout(p.room_travel_min)  # the vehicle drives back

    def leave(room, after_min: float):
        yield env.timeout(max(after_min, 0))
        yield room.get(1)

    def watch_rooms():
        # Sample occupancy every 15 min during opening hours to find each day's peak.
        for d in range(n_days):
            peak = [0] * len(rooms)
            for minute in range(0, DAY_MIN, 15):
                t = d * DAY_MIN + minute
                if t > env.now:
                    yield env.timeout(t - env.now)
                for r, room in enumerate(rooms):
                    peak[r] = max(peak[r], room.level)
            days[d].room_peak = peak

    env.process(opener())
    for _ in range(s.agents):
        env.process(agent())
    env.process(watch_rooms())
    env.run(until=n_days * DAY_MIN)
    return PlanOutcome(by_day=_by_day(days, len(people), s), people=_people(people))


def _by_day(days: list[_Day], registered: int, s: PlanSettings) -> pd.DataFrame:
    rows = []
    ever: set = set()
    capacity = sum(cap for _, cap, _, _ in s.rooms)
    for d, day in enumerate(days):
        ever |= day.reached
        due, hit = len(day.due), len(day.reached & day.due)
        peak = sum(day.room_peak) if day.room_peak else 0
        rows.append({
            "day": d + 1, "registered": registered, "due": due, "reached": hit,
            "not_reached": due - hit,
            "reached_pct": 100.0 * hit / due if due else np.nan,
            "reached_ever_pct": 100.0 * len(ever) / registered if registered else np.nan,
            "first_contact_mean_h": float(np.mean(day.first_contacts))
            if day.first_contacts else np.nan,
            "calls": day.calls, "visits": day.visits,
            "agent_utilisation_pct": 100.0 * day.busy_min / (s.agents * s.shift_h * 60)
            if s.agents else np.nan,
            "room_visitors": len(day.room_visitors), "room_peak": peak,
            "room_occupancy_pct": 100.0 * peak / capacity if capacity else np.nan,
            "room_turned_away": day.turned_away,
        })
    return pd.DataFrame(rows)


def _people(people: list[Person]) -> pd.DataFrame:
    return pd.DataFrame({
        "person": [p.index for p in people],
        "first_contact_h": [p.first_contact_min / 60.0 for p in people],
        "room": [p.room for p in people],
    })
