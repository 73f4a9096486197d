"""The waste-collection kind: demand → truck network → rounds → simulated day → figures.

:func:`simulate` is pure: the territory, the parameters, a seed and (optionally) the
roads an earlier flood cut, in; a :class:`WasteResult`, out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.progress import report
from jumeau.territory.model import Territory
from jumeau.waste import baseline
from jumeau.waste.day import DayOutcome, DayRandomness, simulate_day
from jumeau.waste.demand import CollectionPoints, collection_points
from jumeau.waste.indicators import assemble, clock
from jumeau.waste.network import (
    Placement,
    leg_paths,
    open_edges,
    place,
    segments,
    travel_matrices,
    truck_network,
)
from jumeau.waste.params import COMPACTED_DENSITY_KG_L, WasteParams
from jumeau.waste.rounds import DEPOT, UNLOADING, RoundsModel
from jumeau.waste.solver import PlannedRoute, solve_routing, waste_problem

#: Why a point was not collected, for people.
MISSED_REASONS = {
    "unreachable": Text("inaccessible (routes fermées)", "unreachable (closed roads)"),
    "no_time": Text("hors du temps de travail de la flotte", "beyond the fleet's working time"),
    "not_in_plan": Text("absent du plan de tournées", "not in the round plan"),
    "day_over": Text("journée terminée avant le passage", "day over before the visit"),
    "breakdown": Text("camion en panne", "truck broke down"),
    "truck_full": Text("camion plein, site de déchargement coupé",
                       "truck full, unloading site cut off"),
}


@dataclass(frozen=True)
class WasteResult:
    """A collection day: the plan, what happened, and what it cost.

    Attributes
    ----------
    kind
        ``"waste"``.
    points
        Per collection point: kind, residents, kg, truck, order, collection time,
        missed and why (Lambert-93 points on the streets).
    rounds
        Per truck and trip: the path driven (lines), in stop order.
    trucks
        Per truck: planned and simulated km and hours, tonnes, trips, overtime, fuel,
        CO2, cost.
    timeline
        Per truck activity: driving, collecting, unloading, idle, broken down (clock
        hours).
    depot, unloading
        The two sites (points).
    closed_roads
        Roads left out of the rounds: closed by a measure or cut by a flood.
    figures
        The indicators, by name.
    method
        How the rounds were planned: ``optimised``, ``sectors`` or ``plan``.
    start_h
        Departure time (clock hours).
    notes
        What the user should know about this run.
    """

    kind: str
    points: gpd.GeoDataFrame
    rounds: gpd.GeoDataFrame
    trucks: pd.DataFrame
    timeline: pd.DataFrame
    depot: shapely.Point
    unloading: shapely.Point
    closed_roads: gpd.GeoDataFrame
    figures: dict[str, float]
    method: str
    start_h: float
    notes: tuple[Text, ...] = field(default=())

    # -- the Result protocol ------------------------------------------------------------
    def indicators(self) -> dict[str, float]:
        return dict(self.figures)

    def rasters(self) -> dict:
        return {}

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        sites = gpd.GeoDataFrame({"site": ["depot", "unloading"]},
                                 geometry=[self.depot, self.unloading], crs=self.points.crs)
        return {"waste_points": self.points, "waste_rounds": self.rounds,
                "waste_sites": sites, "waste_closed_roads": self.closed_roads}

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"waste_trucks": self.trucks, "waste_timeline": self.timeline}

    def series(self) -> dict:
        from jumeau.scenario.result import Series
        from jumeau.waste.indicators import collected_series

        return {"tonnes_collected_t": Series(*collected_series(self))}

    def context(self) -> dict[str, object]:
        return {"method": self.method, "start_h": self.start_h}


def _site(territory: Territory, given, facility: str, field_name: str) -> np.ndarray:
    if given is not None:
        return np.asarray(given, dtype=float)
    b = territory.buildings
    rows = b[b["facility"] == facility]
    if len(rows) == 0:
        what = {"waste_depot": Text("de dépôt de collecte", "waste depot"),
                "waste_unloading": Text("de site de déchargement",
                                        "waste unloading site")}[facility]
        raise JumeauError(
            Text("pas {w} : aucun bâtiment « {f} » dans le territoire et aucune "
                 "coordonnée donnée", "no {w}: no '{f}' building in the territory and no "
                 "coordinates given").format(w=what, f=facility),
            field=field_name,
            fix=Text("donnez `{k}: [x, y]` (Lambert-93) ou marquez un bâtiment "
                     "`facility: {f}`", "give `{k}: [x, y]` (Lambert-93) or mark a building "
                     "`facility: {f}`").format(k=field_name, f=facility))
    p = shapely.point_on_surface(rows.geometry.values[0])
    return np.array([p.x, p.y])


def removed_roads(territory: Territory, inputs: dict | None) -> np.ndarray:
    """Bool per road: cut by an earlier flood of the same variant (``flood.roads_cut``)."""
    cut = (inputs or {}).get("flood.roads_cut")
    roads = territory.roads
    if cut is None or len(cut) == 0 or "road_id" not in getattr(cut, "columns", ()):
        return np.zeros(len(roads), dtype=bool)
    return roads["road_id"].isin(set(cut["road_id"].astype(str))).to_numpy()


def simulate(territory: Territory, params: WasteParams, *, seed: int = 0,
             inputs: dict | None = None) -> WasteResult:
    """Plan and simulate a collection day on ``territory``.

    Parameters
    ----------
    territory
        The commune (buildings with residents, roads, optionally ``waste_depot`` and
        ``waste_unloading`` buildings).
    params
        The ``simulate: waste:`` block.
    seed
        Seeds the optimiser and the day's random draws.
    inputs
        Results of kinds run before in the same variant: ``"flood.roads_cut"`` (roads
        the flood made impassable, with their ``road_id``) are removed.
    """
    notes: list[Text] = []
    fleet, svc, dem = params.fleet, params.service, params.demand
    depot_xy = _site(territory, params.sites.depot, "waste_depot", "sites.depot")
    unload_xy = _site(territory, params.sites.unloading, "waste_unloading", "sites.unloading")
    cut = removed_roads(territory, inputs)
    net = truck_network(territory.network, territory.roads["speed_kmh"].to_numpy(float),
                        speed_cap_kmh=fleet.speed_cap_kmh)
    is_open = open_edges(net, cut)
    segs = segments(net)
    if len(segs) == 0:
        raise JumeauError(Text("aucune route praticable pour les camions",
                               "no road a truck can use"), field="roads",
                          fix=Text("ajoutez une couche `roads:` au manifeste du territoire",
                                   "add a `roads:` layer to the territory manifest"))
    sites = place(net, segs, np.array([depot_xy[0], unload_xy[0]]),
                  np.array([depot_xy[1], unload_xy[1]]))
    for k, name in ((0, "sites.depot"), (1, "sites.unloading")):
        if sites.offset_m[k] > params.rounds.max_access_m:
            raise JumeauError(
                Text("aucune route n'atteint {w} : la plus proche est à {d:.0f} m",
                     "no road reaches the {w}: the nearest is {d:.0f} m away").format(
                    w=Text("le dépôt", "depot") if k == 0 else Text("le site de déchargement",
                                                                     "unloading site"),
                    d=sites.offset_m[k]), field=name,
                fix=Text("placez-le au bord d'une route praticable (moins de {m:g} m) ou "
                         "augmentez `rounds.max_access_m`", "place it beside a drivable road "
                         "(within {m:g} m) or raise `rounds.max_access_m`").format(
                    m=params.rounds.max_access_m))
    report(0.05)

    points = collection_points(territory.buildings, net, segs, dem)
    density = COMPACTED_DENSITY_KG_L[dem.stream]
    litres = points.kg / density
    _check_capacity(points, litres, fleet)

    # Clients: one per point, or one per allowed direction of a served street.
    if dem.mode == "door_to_door" and dem.door_to_door == "streets":
        dirs = np.stack([segs.edge_ab[points.placement.segment] >= 0,
                         segs.edge_ba[points.placement.segment] >= 0], axis=1)
        client_point, client_dir = np.nonzero(dirs)
    else:
        client_point = np.arange(len(points))
        client_dir = np.full(len(points), -1)
    pl = points.placement
    all_pl = Placement(np.r_[sites.segment, pl.segment[client_point]],
                       np.r_[sites.t, pl.t[client_point]],
                       np.r_[sites.offset_m, pl.offset_m[client_point]],
                       np.r_[False, False, pl.served[client_point]])
    direction = np.r_[-1, -1, client_dir]
    mats = travel_matrices(net, segs, all_pl, collect_speed_kmh=fleet.collecting_speed_kmh,
                           direction=direction, is_open=is_open)
    report(0.2)
    can_unload = True
    linked = bool(np.isfinite(mats.time_s[DEPOT, UNLOADING])
                  and np.isfinite(mats.time_s[UNLOADING, DEPOT]))
    if not linked and cut.any() and _linked_without_cuts(net, segs, all_pl, fleet):
        # The flood cut the unloading site off: the trucks bring one load each back to
        # the depot, where it waits for the roads to reopen.
        can_unload = False
        notes.append(Text("la crue coupe la route du site de déchargement : chaque camion ne "
                          "fait qu'un chargement, ramené au dépôt", "the flood cuts the road "
                          "to the unloading site: each truck makes one load only, brought "
                          "back to the depot"))
        mats = _unloading_at_depot(mats)
    elif not linked:
        raise JumeauError(
            Text("le site de déchargement et le dépôt ne sont pas reliés par la route "
                 "(fermetures ?)", "the unloading site and the depot are not connected by "
                 "road (closures?)"), field="sites.unloading",
            fix=Text("vérifiez les routes fermées ou les coordonnées des sites",
                     "check the closed roads or the sites' coordinates"))
    reach = (np.isfinite(mats.time_s[DEPOT, 2:]) & np.isfinite(mats.time_s[2:, UNLOADING]))
    point_reached = np.bincount(client_point, reach, minlength=len(points)) > 0
    reason = np.full(len(points), "", dtype=object)
    reason[~point_reached] = "unreachable"
    n_unreach = int((~point_reached).sum())
    if n_unreach:
        notes.append(Text("{n} points de collecte inaccessibles (routes fermées ou coupées) : "
                          "comptés comme non collectés", "{n} collection points unreachable "
                          "(closed or cut roads): counted as missed").format(n=n_unreach))

    keep = np.flatnonzero(reach)
    locs = np.r_[DEPOT, UNLOADING, keep + 2]
    time_s = mats.time_s[np.ix_(locs, locs)].copy()
    dist_m = mats.distance_m[np.ix_(locs, locs)]
    unload_s = svc.unload_min * 60.0 if can_unload else 0.0
    time_s[np.arange(len(locs)) != UNLOADING, UNLOADING] += unload_s
    kc = client_point[keep]
    service = _service_s(points, svc, dem.mode)[kc]
    groups = _groups(kc)
    model = RoundsModel(
        time_s=time_s, distance_m=dist_m, collect_distance_m=mats.collect_distance_m[keep + 2],
        collect_time_s=mats.collect_time_s[keep + 2],
        client_point=kc, kg=points.kg[kc], litres=litres[kc], service_s=service,
        groups=groups, capacity_kg=fleet.payload_t * 1000.0,
        capacity_l=fleet.body_volume_m3 * 1000.0, n_trucks=fleet.trucks, unload_s=unload_s,
        return_s=float(mats.time_s[UNLOADING, DEPOT]),
        return_m=float(mats.distance_m[UNLOADING, DEPOT]), shift_s=fleet.shift_h * 3600.0,
        max_overtime_s=fleet.max_overtime_h * 3600.0, transit_only=dem.mode == "drop_off",
        can_unload=can_unload)
    if model.return_s >= model.shift_s:
        raise JumeauError(Text("le trajet du site de déchargement au dépôt dépasse la "
                               "journée", "the drive from the unloading site to the depot "
                               "exceeds the shift"), field="fleet.shift_h",
                          fix=Text("allongez la journée ou rapprochez les sites",
                                   "lengthen the shift or bring the sites closer"))

    routes = _plan(model, params, points, segs, territory, depot_xy, seed, reason, notes)
    report(0.8)
    day = params.day
    randomness = DayRandomness() if not day.random else DayRandomness(
        service_cv=day.service_cv, slowdown_probability=day.slowdown_probability,
        slowdown_max=day.slowdown_max,
        breakdown_probability=day.breakdown.probability if day.breakdown else 0.0,
        reassign=day.breakdown.reassign if day.breakdown else True)
    outcome = simulate_day(model, routes, len(points), randomness,
                           np.random.default_rng(seed))
    for p in np.flatnonzero(outcome.point_missed_reason != ""):
        if not reason[p]:
            reason[p] = outcome.point_missed_reason[p]
    if outcome.broken_truck >= 0:
        notes.append(Text("le camion {k} tombe en panne à {h}", "truck {k} breaks down at "
                          "{h}").format(k=outcome.broken_truck + 1,
                                        h=clock(fleet.start_h + outcome.broken_at_s / 3600)))
    if (dem.collections_per_week < 1 and territory.total_population > 2000):
        notes.append(Text("collecte moins qu'hebdomadaire dans une commune de plus de 2 000 "
                          "habitants : en dessous du minimum légal (CGCT R2224-24)",
                          "collection less than weekly in a commune of over 2,000 "
                          "inhabitants: below the legal minimum (CGCT R2224-24)"))
    for fr, en in points.notes:
        notes.append(Text(fr, en))
    report(0.9)
    return assemble(territory=territory, params=params, points=points, model=model,
                    routes=routes, outcome=outcome, reason=reason, cut=cut,
                    segment_road=segs.road,
                    depot_xy=depot_xy, unload_xy=unload_xy, paths=_paths(
                        net, segs, all_pl, keep, routes, direction,
                        fleet.collecting_speed_kmh, is_open), notes=tuple(notes))


def _linked_without_cuts(net, segs, all_pl: Placement, fleet) -> bool:
    """Whether the depot and the unloading site are linked when nothing is cut."""
    two = Placement(all_pl.segment[:2], all_pl.t[:2], all_pl.offset_m[:2], all_pl.served[:2])
    m = travel_matrices(net, segs, two, collect_speed_kmh=fleet.collecting_speed_kmh)
    return bool(np.isfinite(m.time_s[0, 1]) and np.isfinite(m.time_s[1, 0]))


def _unloading_at_depot(mats):
    """Matrices where the unloading site is the depot (location 1 copies location 0)."""
    from jumeau.waste.network import Matrices

    t, d = mats.time_s.copy(), mats.distance_m.copy()
    for a in (t, d):
        a[UNLOADING, :] = a[DEPOT, :]
        a[:, UNLOADING] = a[:, DEPOT]
        a[UNLOADING, UNLOADING] = a[DEPOT, UNLOADING] = a[UNLOADING, DEPOT] = 0.0
    return Matrices(t, d, mats.collect_time_s, mats.collect_distance_m)


def _check_capacity(points: CollectionPoints, litres: np.ndarray, fleet) -> None:
    if len(points) == 0:
        return
    worst = int(np.argmax(points.kg))
    if points.kg[worst] > fleet.payload_t * 1000.0:
        raise JumeauError(
            Text("un point de collecte produit {k:.0f} kg, plus que la charge utile d'un "
                 "camion ({c:g} t)", "one collection point holds {k:.0f} kg, more than a "
                 "truck's payload ({c:g} t)").format(k=points.kg[worst], c=fleet.payload_t),
            field="fleet.payload_t",
            fix=Text("augmentez `fleet.payload_t`, collectez plus souvent "
                     "(`demand.collections_per_week`) ou rapprochez les arrêts",
                     "raise `fleet.payload_t`, collect more often "
                     "(`demand.collections_per_week`) or use closer stops"))
    worst = int(np.argmax(litres))
    if litres[worst] > fleet.body_volume_m3 * 1000.0:
        raise JumeauError(
            Text("un point de collecte produit {v:.1f} m³ tassés, plus que la benne ({c:g} m³)",
                 "one collection point holds {v:.1f} m³ compacted, more than the body "
                 "({c:g} m³)").format(v=litres[worst] / 1000, c=fleet.body_volume_m3),
            field="fleet.body_volume_m3",
            fix=Text("augmentez `fleet.body_volume_m3` ou collectez plus souvent",
                     "raise `fleet.body_volume_m3` or collect more often"))


def _service_s(points: CollectionPoints, svc, mode: str) -> np.ndarray:
    if mode == "drop_off":
        return svc.per_container_s * points.units
    stops = np.where(points.kind == "street", np.maximum(points.buildings, 1), 1.0)
    return svc.per_stop_s * stops + svc.per_bin_s * points.units


def _groups(client_point: np.ndarray) -> tuple[tuple[int, ...], ...]:
    _, first, counts = np.unique(client_point, return_index=True, return_counts=True)
    order = np.argsort(client_point, kind="stable")
    out = []
    for f, c in zip(np.searchsorted(client_point[order], client_point[first]), counts,
                    strict=True):
        if c > 1:
            out.append(tuple(int(i) for i in order[f:f + c]))
    return tuple(out)


def _plan(model: RoundsModel, params: WasteParams, points: CollectionPoints, segs,
          territory: Territory, depot_xy: np.ndarray, seed: int, reason: np.ndarray,
          notes: list[Text]) -> tuple[PlannedRoute, ...]:
    rounds = params.rounds
    clients = np.arange(model.n_clients)
    if model.n_clients == 0:
        return ()
    if rounds.method == "optimised":
        problem = waste_problem(model, truck_eur_h=params.costs.truck_eur_h,
                                crew_eur_h_total=params.costs.crew_eur_h * params.fleet.crew,
                                eur_per_km=params.costs.eur_per_km)
        sol = solve_routing(problem, time_limit_s=rounds.time_limit_s, seed=seed,
                            max_iterations=rounds.max_iterations)
        routes = tuple(model.planned([list(t) for t in r.trips]) for r in sol.routes)
        if rounds.max_iterations is None or sol.iterations < rounds.max_iterations:
            notes.append(Text("optimisation arrêtée par la limite de temps ({s:g} s, {i} "
                              "itérations) : un autre lancement peut donner d'autres tournées",
                              "optimisation stopped by the time limit ({s:g} s, {i} "
                              "iterations): another run may give other rounds").format(
                s=rounds.time_limit_s, i=sol.iterations))
        planned = {int(model.client_point[c]) for r in routes for c in r.clients}
        left = [p for p in set(model.client_point.tolist()) if p not in planned]
        for p in left:
            reason[p] = "no_time"
        if left:
            notes.append(Text("{n} points ne tiennent pas dans la journée de la flotte "
                              "(poste + heures supplémentaires)", "{n} points do not fit in "
                              "the fleet's day (shift + overtime)").format(n=len(left)))
        return routes
    if rounds.method == "sectors":
        xy = np.column_stack([points.x, points.y])[model.client_point]
        d = xy - depot_xy[None, :]
        angle = np.arctan2(d[:, 1], d[:, 0])
        return _one_load(model, baseline.sector_plan(model, clients, angle), reason)
    road_ids = territory.roads["road_id"].to_numpy().astype(str)
    client_road = road_ids[segs.road[points.placement.segment[model.client_point]]]
    routes, left = baseline.file_plan(model, clients, client_road, rounds.plan_rows())
    routes = _one_load(model, routes, reason)
    if len(left):
        lost = sorted({int(model.client_point[c]) for c in left})
        reason[lost] = "not_in_plan"
        notes.append(Text("{n} points sont sur des rues absentes du plan de tournées",
                          "{n} points are on streets the round plan leaves out").format(
            n=len(lost)))
    return routes[: params.fleet.trucks] if len(routes) > params.fleet.trucks else routes


def _one_load(model: RoundsModel, routes, reason: np.ndarray):
    """Keep each route's first trip when trucks cannot unload; the rest is missed."""
    if model.can_unload:
        return routes
    for r in routes:
        for trip in r.trips[1:]:
            reason[model.client_point[list(trip)]] = "truck_full"
    return tuple(model.planned([list(r.trips[0])]) for r in routes if r.trips)


def _paths(net, segs, all_pl: Placement, keep: np.ndarray, routes, direction, speed_kmh,
           is_open: np.ndarray) -> list[list[np.ndarray]]:
    """Per route, per trip: the coordinates driven (depot or unloading site to the end of
    the trip)."""
    lines = segs.lines(net)[all_pl.segment]
    xy = shapely.get_coordinates(shapely.line_interpolate_point(lines, all_pl.t,
                                                                normalized=True))
    legs = []
    for r in routes:
        prev = DEPOT
        for trip in r.trips:
            for c in trip:
                loc = int(keep[c]) + 2
                legs.append((prev, loc))
                prev = loc
            legs.append((prev, UNLOADING))
            prev = UNLOADING
        legs.append((UNLOADING, DEPOT))
    paths = leg_paths(net, segs, all_pl, xy, np.array(legs, dtype=np.int64).reshape(-1, 2),
                      collect_speed_kmh=speed_kmh, direction=direction, is_open=is_open)
    out, i = [], 0
    for r in routes:
        per_trip = []
        for trip in r.trips:
            n = len(trip) + 1
            per_trip.append(np.vstack(paths[i:i + n]))
            i += n
        per_trip.append(paths[i])  # back to the depot
        i += 1
        out.append(per_trip)
    return out


__all__ = ["MISSED_REASONS", "DayOutcome", "WasteResult", "simulate"]
