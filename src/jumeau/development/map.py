"""Map layers of a development run: what the project seals or de-seals, its buildings
(new, changed, removed) and the warnings where a PPRI usually forbids building."""

from __future__ import annotations

import numpy as np

from jumeau.i18n import Text
from jumeau.maps.builder import MapBuilder
from jumeau.maps.styles import Categorical, Field, Style
from jumeau.territory.schema import LABELS

STATUS = Categorical({
    "new": ("#e7298a", Text("nouveau", "new")),
    "changed": ("#a6761d", Text("modifié", "changed")),
    "removed": ("#666666", Text("démoli", "removed"))},
    title=Text("Bâtiments du projet", "Project buildings"))

_SEALING_COLOURS = {1: "#d7301f", -1: "#1a9850"}


def draw(builder: MapBuilder, result, territory, kind, lang: str) -> None:
    """Add the development layers of ``result`` (a
    :class:`jumeau.development.simulate.DevelopmentResult`); class labels come from
    ``kind``'s declarations."""
    change = result.sealed_change.values
    if np.nanmax(np.abs(change), initial=0) > 0:
        classes = kind.output("sealed_change").classes
        builder.add_raster(np.where(change != 0, change, np.nan), result.sealed_change.grid,
                           name=Text("Sols imperméabilisés ou rendus perméables",
                                     "Ground sealed or de-sealed"),
                           style=Categorical({c: (_SEALING_COLOURS[c], label)
                                              for c, label in classes.items()}),
                           opacity=0.8)
    b = result.buildings
    if len(b):
        builder.add_polygons(
            b[["building_id", "name", "status", "use_before", "use", "dwellings_added",
               "residents_added", "floor_area_added_m2", "flood_scenario", "flood_hazard",
               "school_distance_m", "bus_stop_distance_m", "geometry"]],
            name=Text("Bâtiments du projet", "Project buildings"),
            style=Style(color=STATUS, column="status", fill_opacity=0.85, weight_px=0.8,
                        stroke="#333333"),
            tooltip=[Field("name", Text("Projet", "Project")),
                     Field("building_id", Text("Bâtiment", "Building")),
                     Field("status", Text("État", "Status"),
                           labels={k: label for k, (_, label) in STATUS.classes}),
                     Field("use", Text("Usage", "Use"), labels=LABELS["use"]),
                     Field("dwellings_added", Text("Logements en plus", "Dwellings added"),
                           decimals=0),
                     Field("residents_added", Text("Habitants en plus", "Residents added"),
                           decimals=1),
                     Field("floor_area_added_m2", Text("Surface de plancher en plus",
                                                       "Floor area added"),
                           unit="m²", decimals=0),
                     Field("flood_scenario", Text("Zone inondable", "Flood zone")),
                     Field("flood_hazard", Text("Aléa", "Hazard"), labels=LABELS["hazard"]),
                     Field("school_distance_m", Text("École la plus proche",
                                                     "Nearest school"), unit="m",
                           decimals=0),
                     Field("bus_stop_distance_m", Text("Arrêt de bus le plus proche",
                                                       "Nearest bus stop"), unit="m",
                           decimals=0)])
    w = result.warnings
    if len(w):
        builder.add_points(
            w[["building_id", "name", "source", "scenario", "hazard", "geometry"]],
            name=Text("Alertes : zone où un PPRI interdit en général de construire",
                      "Warnings: zone where a PPRI usually forbids building"),
            style=Style(color="#d7301f", radius_px=9, stroke="#000000"),
            tooltip=[Field("name", Text("Projet", "Project")),
                     Field("building_id", Text("Bâtiment", "Building")),
                     Field("source", Text("Source de la zone", "Zone source")),
                     Field("scenario", Text("Scénario", "Scenario")),
                     Field("hazard", Text("Aléa", "Hazard"), labels=LABELS["hazard"])],
            icon="triangle")
