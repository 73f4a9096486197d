"""The day's figures: per truck and per point, and the kind's indicators.

- Fuel: about 1 L/km while collecting (stop-and-go) and 0.4 L/km in transit
  (assumptions, parameters ``costs.fuel_l_per_km_*``).
- CO2: 3.17 kg CO2e per litre of diesel (arrêté du 26 avril 2017).
- Cost: € per truck-hour (truck and crew) × hours on the round + € per km, plus the
  overtime premium on the crew's hours beyond the shift.
- ``km_per_tonne`` is a sanity check against ADEME's national average (about 12 km/t;
  7 in dense urban areas, 20 in rural ones).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from jumeau.waste.day import ACTIVITIES, DayOutcome
from jumeau.waste.demand import CollectionPoints
from jumeau.waste.params import WasteParams
from jumeau.waste.rounds import RoundsModel
from jumeau.waste.solver import OVERTIME_PREMIUM, PlannedRoute

#: Indicator names, in display order.
INDICATORS = ("distance_km", "hours", "tonnes_produced", "tonnes_collected", "tonnes_missed",
              "trips_to_unloading", "trucks_used", "fuel_l", "co2_kg", "cost_eur",
              "missed_points", "overtime_h", "km_per_tonne")


def truck_table(outcome: DayOutcome, routes: tuple[PlannedRoute, ...], params: WasteParams,
                model: RoundsModel) -> pd.DataFrame:
    """Per truck: planned and simulated km and hours, time per activity, tonnes, fuel,
    CO2, cost."""
    n = len(routes)
    tl = outcome.timeline
    costs, fleet = params.costs, params.fleet
    k = np.arange(n)

    def per_truck(values, mask=None) -> np.ndarray:
        if len(tl) == 0:
            return np.zeros(n)
        m = np.ones(len(tl), bool) if mask is None else mask
        return np.bincount(tl["truck"].to_numpy()[m], values[m], minlength=n)[:n]

    dur = (tl["end_s"] - tl["start_s"]).to_numpy(float) if len(tl) else np.zeros(0)
    dist = tl["distance_m"].to_numpy(float) if len(tl) else np.zeros(0)
    coll = tl["collecting"].to_numpy(bool) if len(tl) else np.zeros(0, bool)
    act = tl["activity"].to_numpy() if len(tl) else np.zeros(0, dtype=object)
    out = {"truck": k + 1, "trips": [len(r.trips) for r in routes],
           "planned_km": [r.distance / 1000 for r in routes],
           "planned_h": [r.duration_s / 3600 for r in routes]}
    km_coll = per_truck(dist, coll) / 1000
    km = per_truck(dist) / 1000
    out["km"] = km
    out["km_collecting"] = km_coll
    for a in ACTIVITIES:
        out[f"{a}_h"] = per_truck(dur, act == a) / 3600
    hours = outcome.end_s / 3600
    out["hours"] = hours
    out["overtime_h"] = np.maximum(0.0, hours - fleet.shift_h)
    out["tonnes"] = outcome.kg_collected / 1000
    out["unloads"] = outcome.unloads
    out["max_load_t"] = outcome.truck_load_max_kg / 1000
    out["max_load_m3"] = outcome.truck_load_max_l / 1000
    fuel = km_coll * costs.fuel_l_per_km_collecting + (km - km_coll) * costs.fuel_l_per_km_transit
    out["fuel_l"] = fuel
    out["co2_kg"] = fuel * costs.co2_kg_per_l
    crew_h = costs.crew_eur_h * fleet.crew
    out["cost_eur"] = (hours * (costs.truck_eur_h + crew_h) + km * costs.eur_per_km
                       + out["overtime_h"] * crew_h * OVERTIME_PREMIUM)
    out["end"] = [clock(fleet.start_h + h) for h in hours]
    out["broke_down"] = k == outcome.broken_truck
    return pd.DataFrame(out)


def figures(trucks: pd.DataFrame, points: CollectionPoints, collected: np.ndarray
            ) -> dict[str, float]:
    """The kind's indicators from the truck table and the points collected."""
    produced = float(points.kg.sum()) / 1000
    done = float(points.kg[collected].sum()) / 1000
    km = float(trucks["km"].sum()) if len(trucks) else 0.0
    return {
        "distance_km": km,
        "hours": float(trucks["hours"].sum()) if len(trucks) else 0.0,
        "tonnes_produced": produced,
        "tonnes_collected": done,
        "tonnes_missed": produced - done,
        "trips_to_unloading": float(trucks["unloads"].sum()) if len(trucks) else 0.0,
        "trucks_used": float((trucks["tonnes"] > 0).sum()) if len(trucks) else 0.0,
        "fuel_l": float(trucks["fuel_l"].sum()) if len(trucks) else 0.0,
        "co2_kg": float(trucks["co2_kg"].sum()) if len(trucks) else 0.0,
        "cost_eur": float(trucks["cost_eur"].sum()) if len(trucks) else 0.0,
        "missed_points": float((~collected).sum()),
        "overtime_h": float(trucks["overtime_h"].sum()) if len(trucks) else 0.0,
        "km_per_tonne": km / done if done > 0 else float("nan"),
    }


def assemble(*, territory, params: WasteParams, points: CollectionPoints, model: RoundsModel,
             routes, outcome: DayOutcome, reason: np.ndarray, cut: np.ndarray,
             segment_road: np.ndarray, depot_xy, unload_xy, paths, notes):
    """Build the :class:`~jumeau.waste.simulate.WasteResult`."""
    from jumeau.waste.simulate import WasteResult

    crs = territory.crs
    start_h = params.fleet.start_h
    collected = np.isfinite(outcome.point_time_s)
    reason = np.where(collected, "", reason)
    reason = np.where(~collected & (reason == ""), "day_over", reason)
    roads = territory.roads
    seg_road = segment_road[points.placement.segment]
    road_id = roads["road_id"].to_numpy().astype(str)[seg_road] if len(seg_road) else []
    street = roads["name"].to_numpy().astype(str)[seg_road] if len(seg_road) else []
    t_h = start_h + outcome.point_time_s / 3600
    pts = gpd.GeoDataFrame({
        "point_id": [f"{round(x)}_{round(y)}" for x, y in zip(points.x, points.y, strict=True)],
        "kind": points.kind.astype(str), "street": street, "road_id": road_id,
        "residents": points.residents, "buildings": points.buildings,
        "kg": points.kg, "units": points.units,
        "truck": np.where(collected, outcome.point_truck + 1, 0),
        "order": np.where(collected, outcome.point_order + 1, 0),
        "collected_h": t_h,
        "collected_at": [clock(h) if np.isfinite(h) else "" for h in t_h],
        "collected": collected, "missed": ~collected, "reason": reason.astype(str),
    }, geometry=shapely.points(points.x, points.y), crs=crs)
    trucks = truck_table(outcome, routes, params, model)
    rows, geoms = [], []
    for k, per_trip in enumerate(paths):
        for j, coords in enumerate(per_trip):
            last = j == len(per_trip) - 1
            rows.append({"truck": k + 1, "trip": j + 1, "leg": "return" if last else "trip",
                         "stops": 0 if last else len(routes[k].trips[j])})
            geoms.append(shapely.linestrings(coords) if len(coords) >= 2 else None)
    rounds = gpd.GeoDataFrame(rows or {"truck": [], "trip": [], "leg": [], "stops": []},
                              geometry=geoms or [], crs=crs)
    tl = outcome.timeline.copy()
    tl["truck"] = tl["truck"] + 1
    tl["start_h"] = start_h + tl["start_s"] / 3600
    tl["end_h"] = start_h + tl["end_s"] / 3600
    closed = roads[cut | roads["closed"].to_numpy(bool)].copy()
    closed["cause"] = np.where(cut[cut | roads["closed"].to_numpy(bool)], "flood", "measure")
    return WasteResult(
        kind="waste", points=pts, rounds=rounds, trucks=trucks, timeline=tl,
        depot=shapely.Point(depot_xy), unloading=shapely.Point(unload_xy),
        closed_roads=closed[["road_id", "name", "cause", "geometry"]].reset_index(drop=True),
        figures=figures(trucks, points, collected), method=params.rounds.method,
        start_h=start_h, notes=notes)


def collected_series(result) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Tonnes collected so far, every quarter of an hour: per truck and in all."""
    p = result.points
    t = p["collected_h"].to_numpy(float)
    kg = p["kg"].to_numpy(float)
    end = np.nanmax(t) if np.isfinite(t).any() else result.start_h
    x = np.arange(result.start_h, end + 0.25, 0.25)
    curves = {}
    for k in sorted(set(p.loc[p["collected"], "truck"])):
        m = (p["truck"] == k).to_numpy()
        curves[f"truck_{k}"] = _cumulative(t[m], kg[m], x)
    curves["total"] = _cumulative(t[np.isfinite(t)], kg[np.isfinite(t)], x)
    return x, curves


def _cumulative(t: np.ndarray, kg: np.ndarray, x: np.ndarray) -> np.ndarray:
    order = np.argsort(t)
    cum = np.r_[0.0, np.cumsum(kg[order])] / 1000
    return cum[np.searchsorted(t[order], x, side="right")]


def clock(hours: float) -> str:
    """``7.5`` → ``"07:30"``."""
    m = int(round(hours * 60))
    return f"{(m // 60) % 24:02d}:{m % 60:02d}"
