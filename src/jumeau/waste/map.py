"""Map layers of a collection day: the rounds (one colour per truck, stops numbered), the
depot and unloading site, points by collection time or missed, closed roads, the trucks
moving through the day (time slider) and a summary per truck."""

from __future__ import annotations

import numpy as np
from affine import Affine

from jumeau.i18n import Text, number_text
from jumeau.maps.builder import MapBuilder
from jumeau.maps.palettes import okabe_ito, ylorrd
from jumeau.maps.styles import Categorical, Field, Graduated, Style
from jumeau.territory.terrain import Terrain

#: Minutes between two frames of the trucks' animation.
FRAME_MIN = 10
#: Radius of a truck on the animation (cells of about 10 m).
TRUCK_RADIUS_CELLS = 3

SITES = Categorical({
    "depot": ("#252525", Text("dépôt des camions", "truck depot")),
    "unloading": ("#6a3d9a", Text("site de déchargement", "unloading site"))},
    title=Text("Sites", "Sites"))


def truck_colors(n: int) -> tuple[str, ...]:
    """One colour per truck (colour-blind safe, repeated beyond seven)."""
    base = okabe_ito(7)
    return tuple(base[i % len(base)] for i in range(max(n, 1)))


def truck_summary(trucks, lang: str) -> list[str]:
    """One sentence per truck, in ``lang`` (French by default)."""
    out = []
    for row in trucks.itertuples():
        parts = Text(
            "Camion {k} : {trips} tournée(s), {km} km, {t} t collectées, {u} vidage(s), "
            "retour à {end}",
            "Truck {k}: {trips} trip(s), {km} km, {t} t collected, {u} unloading(s), "
            "back at {end}").format(
            k=row.truck, trips=row.trips, km=number_text(round(row.km, 1)),
            t=number_text(round(row.tonnes, 2)), u=row.unloads, end=row.end).render(lang)
        if row.overtime_h > 1 / 60:
            parts += Text(", {h} h supplémentaires", ", {h} h overtime").format(
                h=number_text(round(row.overtime_h, 2))).render(lang)
        if row.broke_down:
            parts += Text(" — en panne", " — broke down").render(lang)
        out.append(parts)
    return out


def draw(builder: MapBuilder, result, territory, kind, lang: str) -> None:
    """Add the waste layers of ``result`` (a :class:`jumeau.waste.simulate.WasteResult`)."""
    n_trucks = max(len(result.trucks), 1)
    colors = truck_colors(n_trucks)
    summaries = truck_summary(result.trucks, lang)
    truck_scale = Categorical(
        {k + 1: (colors[k], Text("camion {k}", "truck {k}").format(k=k + 1))
         for k in range(n_trucks)}, title=Text("Tournées", "Rounds"))

    if len(result.closed_roads):
        builder.add_lines(
            result.closed_roads[["name", "cause", "geometry"]],
            name=Text("Routes fermées aux camions", "Roads closed to trucks"),
            style=Style(color="#a50f15", weight_px=5, dash="6 4"),
            tooltip=[Field("name", Text("Rue", "Street")),
                     Field("cause", Text("Cause", "Cause"),
                           labels={"flood": Text("crue", "flood"),
                                   "measure": Text("mesure", "measure")})])

    rounds = result.rounds.copy()
    if len(rounds):
        rounds["summary"] = [summaries[t - 1] if 0 < t <= len(summaries) else ""
                             for t in rounds["truck"]]
        builder.add_lines(
            rounds[["truck", "trip", "stops", "summary", "geometry"]],
            name=Text("Tournées des camions", "Truck rounds"),
            style=Style(color=truck_scale, column="truck", weight_px=3.5, opacity=0.85),
            tooltip=[Field("summary", Text("Bilan", "Summary")),
                     Field("trip", Text("Tournée n°", "Trip no."), decimals=0),
                     Field("stops", Text("Arrêts", "Stops"), decimals=0)])

    p = result.points
    done = p[p["collected"]].copy()
    if len(done):
        start = float(np.floor(result.start_h))
        end = float(np.ceil(np.nanmax(done["collected_h"].to_numpy(float))))
        edges = tuple(np.arange(start, max(end, start + 1), 1.0))
        time_scale = Graduated(
            edges=edges, colors=ylorrd(len(edges)),
            labels=tuple(Text("à partir de {h} h", "from {h}:00").format(h=int(e))
                         for e in edges), title=Text("Heure de collecte", "Collection time"))
        builder.add_points(
            done[["street", "truck", "order", "collected_h", "collected_at", "kg",
                  "residents", "geometry"]],
            name=Text("Points collectés (heure de passage)", "Points collected (time)"),
            style=Style(color=time_scale, column="collected_h", radius_px=4,
                        stroke="#333333", weight_px=0.5),
            tooltip=[Field("street", Text("Rue", "Street")),
                     Field("truck", Text("Camion", "Truck"), decimals=0),
                     Field("order", Text("Ordre de passage", "Stop order"), decimals=0),
                     Field("collected_at", Text("Heure de passage", "Collected at")),
                     Field("kg", Text("Déchets", "Waste"), unit="kg", decimals=0),
                     Field("residents", Text("Habitants", "Residents"), decimals=0)])
        builder.add_points(
            done[["street", "truck", "order", "geometry"]],
            name=Text("Ordre des arrêts par camion", "Stop order by truck"),
            style=Style(color=truck_scale, column="truck", radius_px=3),
            tooltip=[Field("truck", Text("Camion", "Truck"), decimals=0),
                     Field("order", Text("Arrêt n°", "Stop no."), decimals=0),
                     Field("street", Text("Rue", "Street"))], show=False)
    missed = p[p["missed"]].copy()
    if len(missed):
        from jumeau.waste.simulate import MISSED_REASONS

        reasons = Categorical({k: ("#d7301f", label) for k, label in MISSED_REASONS.items()},
                              title=Text("Points non collectés", "Points missed"))
        builder.add_points(
            missed[["street", "reason", "kg", "residents", "geometry"]],
            name=Text("Points non collectés", "Points missed"),
            style=Style(color=reasons, column="reason", radius_px=6),
            tooltip=[Field("street", Text("Rue", "Street")),
                     Field("reason", Text("Raison", "Reason"), labels=MISSED_REASONS),
                     Field("kg", Text("Déchets laissés", "Waste left"), unit="kg", decimals=0),
                     Field("residents", Text("Habitants", "Residents"), decimals=0)],
            icon="cross")

    sites = result.layers()["waste_sites"]
    builder.add_points(sites, name=Text("Dépôt et site de déchargement",
                                        "Depot and unloading site"),
                       style=Style(color=SITES, column="site", radius_px=9),
                       tooltip=[Field("site", Text("Site", "Site"),
                                      labels={k: label for k, (_, label) in SITES.classes})],
                       icon="square")
    frames, times, grid = truck_frames(result, territory)
    if frames is not None:
        builder.add_raster_animation(
            frames, times, grid, name=Text("Camions au fil de la journée",
                                           "Trucks through the day"),
            style=Categorical({k + 1: (colors[k], Text("camion {k}", "truck {k}").format(
                k=k + 1)) for k in range(n_trucks)}, title=Text("Camions", "Trucks")),
            opacity=0.95, show=False)


def waypoints(result) -> dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per truck: times (s after departure) and positions it passed through (depot,
    points collected, unloading site, depot)."""
    p = result.points
    start = result.start_h
    out = {}
    tl = result.timeline
    depot = np.array([result.depot.x, result.depot.y])
    tip = np.array([result.unloading.x, result.unloading.y])
    for k in result.trucks["truck"]:
        mine = p[(p["truck"] == k) & p["collected"]]
        t = [0.0]
        xy = [depot]
        t += list((mine["collected_h"].to_numpy(float) - start) * 3600)
        xy += list(np.column_stack([mine.geometry.x, mine.geometry.y]))
        act = tl[tl["truck"] == k]
        unl = act[act["activity"] == "unloading"]
        t += list(unl["start_s"]) + list(unl["end_s"])
        xy += [tip] * (2 * len(unl))
        if len(act):
            last = act[act["activity"] != "idle"]["end_s"].max()
            back = act[act["activity"] != "broken_down"]
            if len(back) and np.isclose(back["end_s"].max(), last) \
                    and not result.trucks.loc[result.trucks["truck"] == k, "broke_down"].any():
                t.append(float(last))
                xy.append(depot)
        order = np.argsort(t, kind="stable")
        xy_a = np.asarray(xy)[order]
        out[int(k)] = (np.asarray(t)[order], xy_a[:, 0], xy_a[:, 1])
    return out


def truck_frames(result, territory, *, cell_m: float | None = None):
    """Frames (time, row, col) of truck numbers on a coarse grid over the territory."""
    ways = waypoints(result)
    if not ways:
        return None, None, None
    xmin, ymin, xmax, ymax = territory.extent
    if not np.all(np.isfinite([xmin, ymin, xmax, ymax])):
        return None, None, None
    cell = cell_m or max((xmax - xmin) / 300.0, (ymax - ymin) / 300.0, 5.0)
    nx = int(np.ceil((xmax - xmin) / cell))
    ny = int(np.ceil((ymax - ymin) / cell))
    grid = Terrain(elevation_m=np.zeros((ny, nx), dtype="float32"),
                   transform=Affine(cell, 0, xmin, 0, -cell, ymax), crs=territory.crs,
                   derived=True, method="derived")
    end = max(float(w[0].max()) for w in ways.values())
    times = np.arange(0.0, end + FRAME_MIN * 60, FRAME_MIN * 60)
    frames = np.full((len(times), ny, nx), np.nan, dtype="float32")
    r = TRUCK_RADIUS_CELLS
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1]
    disc = yy**2 + xx**2 <= r * r
    for k, (t, x, y) in ways.items():
        px = np.interp(times, t, x)
        py = np.interp(times, t, y)
        live = times <= t.max()
        col = ((px - xmin) / cell).astype(int)
        row = ((ymax - py) / cell).astype(int)
        for f in np.flatnonzero(live):
            rr, cc = row[f] + yy[disc], col[f] + xx[disc]
            ok = (rr >= 0) & (rr < ny) & (cc >= 0) & (cc < nx)
            frames[f, rr[ok], cc[ok]] = k
    return frames, times, grid


__all__ = ["draw", "truck_frames", "truck_summary", "waypoints"]
