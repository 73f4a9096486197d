"""Map layers of a flood run: the water spreading (time slider), maximum depth, hazard,
flooded buildings, cut roads, facilities hit, the measures, and level series."""

from __future__ import annotations

import numpy as np

from jumeau.i18n import Text, number_text
from jumeau.maps.basemap import FACILITY_LABELS
from jumeau.maps.builder import MapBuilder
from jumeau.maps.palettes import HAZARD, blues, ylorrd
from jumeau.maps.styles import Categorical, Field, Graduated, Style
from jumeau.territory.schema import LABELS

#: Depth classes above the run's own "flooded" threshold (m).
DEPTH_EDGES_M = (0.25, 0.5, 1.0, 2.0)


def depth_scale(threshold_m: float, title: Text | None = None) -> Graduated:
    """Depth classes starting at the run's flooded threshold."""
    edges = (threshold_m,) + tuple(e for e in DEPTH_EDGES_M if e > threshold_m)
    return Graduated(edges=edges, colors=blues(len(edges)), unit="m", title=title)

#: HR class edges (Defra / EA FD2320): the legend's labels come from the declaration.
HR_EDGES = (0.0, 0.75, 1.25, 2.0)
ROADS = Categorical({
    "emergency": ("#a50f15", Text("coupée aux secours (> {e} m)", "cut to emergency vehicles "
                                  "(> {e} m)")),
    "car": ("#fd8d3c", Text("coupée aux voitures (> {c} m)", "cut to cars (> {c} m)"))},
    title=Text("Routes coupées", "Roads cut"))


def draw(builder: MapBuilder, result, territory, kind, lang: str) -> None:
    """Add the flood layers of ``result`` (a :class:`jumeau.flood.simulate.FloodResult`);
    class labels come from ``kind``'s declarations, thresholds from the result."""
    s = result.solution
    grid = result.grid
    hazard = kind.output("hazard_class").classes
    hazard_scale = Categorical({c: (HAZARD[c - 1], label) for c, label in hazard.items()},
                               title=Text("Aléa (hauteur × vitesse)",
                                          "Hazard (depth × velocity)"))
    hr = kind.output("hazard_rating").classes
    hr_scale = Graduated(edges=HR_EDGES, colors=ylorrd(len(hr)),
                         labels=tuple(hr[i] for i in sorted(hr)),
                         title=Text("Danger pour les personnes (HR)", "Hazard to people (HR)"))
    wet_m = result.thresholds_m["flooded"]
    depth = depth_scale(wet_m)
    floor_depth = depth_scale(wet_m, Text("Bâtiments inondés : eau au rez-de-chaussée",
                                          "Flooded buildings: water on the ground floor"))
    frames = np.where(s.snapshot_depth_m > wet_m, s.snapshot_depth_m, np.nan)
    builder.add_raster_animation(frames, s.snapshot_times_s, grid,
                                 name=Text("Progression de l'eau", "Water spreading"),
                                 style=depth, show=False)
    builder.add_raster(np.where(s.max_depth_m > wet_m, s.max_depth_m, np.nan), grid,
                       name=Text("Hauteur d'eau maximale", "Maximum water depth"), style=depth)
    builder.add_raster(np.where(result.hazard_class > 0, result.hazard_class, np.nan), grid,
                       name=Text("Aléa inondation (type PPRI)", "Flood hazard (PPRI-style)"),
                       style=hazard_scale, show=False)
    builder.add_raster(result.hazard_rating, grid,
                       name=Text("Danger pour les personnes", "Hazard to people"),
                       style=hr_scale, show=False)

    b = result.buildings
    hit = b[b["flooded"]].copy()
    if len(hit):
        builder.add_polygons(
            hit[["name", "use", "facility", "depth_above_floor_m", "damage_eur", "residents",
                 "isolated", "geometry"]],
            name=Text("Bâtiments inondés", "Flooded buildings"),
            style=Style(color=floor_depth, column="depth_above_floor_m", fill_opacity=0.95,
                        weight_px=0.6, stroke="#333333"),
            tooltip=[Field("name", Text("Nom", "Name")),
                     Field("use", Text("Usage", "Use"), labels=LABELS["use"]),
                     Field("depth_above_floor_m", Text("Eau au rez-de-chaussée",
                                                       "Water on the ground floor"),
                           unit="m", decimals=2),
                     Field("damage_eur", Text("Dommages estimés", "Estimated damage"),
                           unit="€", decimals=0),
                     Field("residents", Text("Habitants", "Residents"), decimals=1),
                     Field("isolated", Text("Isolé des secours", "Cut off from rescue"))])
    isolated = b[b["isolated"] & ~b["flooded"]]
    if len(isolated):
        builder.add_polygons(
            isolated[["name", "residents", "geometry"]],
            name=Text("Bâtiments isolés (hors d'eau)", "Cut-off buildings (dry)"),
            style=Style(color="#6a51a3", fill_opacity=0.8, weight_px=0.5),
            tooltip=[Field("name", Text("Nom", "Name")),
                     Field("residents", Text("Habitants", "Residents"), decimals=1)])
    r = result.roads
    cut = r[r["cut_car"]].copy()
    if len(cut):
        cut["cut"] = np.where(cut["cut_emergency"], "emergency", "car")
        th = result.thresholds_m
        roads_scale = Categorical(
            {k: (c, label.format(e=number_text(th["emergency"]), c=number_text(th["car"])))
             for k, (c, label) in ROADS.classes}, title=ROADS.title)
        builder.add_lines(
            cut[["name", "road_class", "max_depth_m", "cut", "geometry"]],
            name=Text("Routes coupées", "Roads cut"),
            style=Style(color=roads_scale, column="cut", weight_px=4.0),
            tooltip=[Field("name", Text("Rue", "Street")),
                     Field("max_depth_m", Text("Hauteur d'eau max", "Max water depth"),
                           unit="m", decimals=2)])
    if len(result.facilities):
        builder.add_points(
            result.facilities,
            name=Text("Équipements sensibles inondés", "Critical facilities flooded"),
            style=Style(color=FACILITY_LABELS, column="facility", radius_px=9),
            tooltip=[Field("name", Text("Nom", "Name")),
                     Field("facility", Text("Type", "Type"), labels=LABELS["facility"]),
                     Field("depth_above_floor_m", Text("Eau au rez-de-chaussée",
                                                       "Water on the ground floor"),
                           unit="m", decimals=2)],
            icon="star")
    if len(result.observations):
        obs = result.observations
        series = {i: (s.observation_times_s, s.observation_level_m[i]) for i in range(len(obs))}
        builder.add_series(obs.reset_index(drop=True), series,
                           name=Text("Points d'observation", "Observation points"),
                           y_label=Text("Niveau d'eau (m NGF)", "Water level (m NGF)"))
