"""Map layers of the exposure overlay: zones by hazard, exposed buildings and roads,
critical facilities."""

from __future__ import annotations

from jumeau.i18n import Text
from jumeau.maps.builder import MapBuilder
from jumeau.maps.basemap import FACILITY_LABELS, HAZARD_CLASSES
from jumeau.maps.styles import Field, Style
from jumeau.territory.schema import LABELS

def draw(builder: MapBuilder, result, territory, kind, lang: str) -> None:
    """Add the exposure layers for the headline scenario (other scenarios hidden)."""
    zones = result.zones
    for scenario in sorted(zones["scenario"].unique(), key=lambda s: s != result.headline_scenario):
        part = zones[zones["scenario"] == scenario]
        builder.add_polygons(
            part[["scenario", "hazard", "source", "name", "geometry"]],
            name=Text("Zone inondable — {s}", "Flood zone — {s}").format(s=scenario),
            style=Style(color=HAZARD_CLASSES, column="hazard", fill_opacity=0.35,
                        weight_px=0.5),
            tooltip=[Field("source", Text("Source", "Source")),
                     Field("scenario", Text("Scénario", "Scenario")),
                     Field("hazard", Text("Aléa", "Hazard"), labels=LABELS["hazard"]),
                     Field("name", Text("Classe", "Class"))],
            show=scenario == result.headline_scenario)
    b = result.buildings
    headline = b[b["scenario"] == result.headline_scenario]
    builder.add_polygons(
        headline[["name", "use", "facility", "hazard", "residents", "residents_75p", "dwellings",
                  "geometry"]],
        name=Text("Bâtiments exposés", "Exposed buildings"),
        style=Style(color=HAZARD_CLASSES, column="hazard", fill_opacity=0.9, weight_px=0.6,
                    stroke="#444444"),
        tooltip=[Field("name", Text("Nom", "Name")),
                 Field("use", Text("Usage", "Use"), labels=LABELS["use"]),
                 Field("hazard", Text("Aléa", "Hazard"), labels=LABELS["hazard"]),
                 Field("residents", Text("Habitants", "Residents"), decimals=1),
                 Field("residents_75p", Text("dont 75 ans et plus", "of whom 75+"), decimals=1),
                 Field("dwellings", Text("Logements", "Dwellings"), decimals=0)])
    if len(result.roads):
        builder.add_lines(
            result.roads[["name", "road_class", "hazard", "length_m", "geometry"]],
            name=Text("Routes en zone inondable", "Roads in the flood zone"),
            style=Style(color="#c51b8a", weight_px=3.0),
            tooltip=[Field("name", Text("Rue", "Street")),
                     Field("hazard", Text("Aléa", "Hazard"), labels=LABELS["hazard"]),
                     Field("length_m", Text("Longueur", "Length"), unit="m", decimals=0)])
    if len(result.facilities):
        builder.add_points(
            result.facilities,
            name=Text("Équipements sensibles exposés", "Exposed critical facilities"),
            style=Style(color=FACILITY_LABELS, column="facility", radius_px=9),
            tooltip=[Field("name", Text("Nom", "Name")),
                     Field("facility", Text("Type", "Type"), labels=LABELS["facility"]),
                     Field("hazard", Text("Aléa", "Hazard"), labels=LABELS["hazard"])],
            icon="star")
