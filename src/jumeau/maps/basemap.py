"""How the twin's own background is drawn: relief, water, roads, buildings.

Muted colours, so that results drawn over them stand out; roads are grey lines whose
width follows their class; buildings are light grey. Tooltips say what a reader asks
of a building or a street.
"""

from __future__ import annotations

from jumeau.i18n import Text
from jumeau.maps import labels
from jumeau.maps.palettes import HAZARD
from jumeau.maps.styles import Categorical, Field, Style
from jumeau.territory.schema import LABELS

WATER = Style(color="#9ecae1", stroke="#6baed6", weight_px=1.0, fill_opacity=0.85,
              label=labels.WATER)
WATER_LINES = Style(color="#6baed6", weight_px=2.0, label=labels.WATER)
BUILDINGS = Style(color="#d4d1cb", stroke="#a9a59e", weight_px=0.6, fill_opacity=0.9,
                  label=labels.BUILDINGS)

#: (colour, width in px) by road class, most important first.
ROAD_LOOK = {
    "motorway": ("#7d7d7d", 5.0), "trunk": ("#7d7d7d", 4.5), "primary": ("#8f8f8f", 4.0),
    "secondary": ("#9c9c9c", 3.5), "tertiary": ("#a8a8a8", 3.0),
    "residential": ("#b4b4b4", 2.2), "unknown": ("#b4b4b4", 2.0),
    "service": ("#c2c2c2", 1.5), "track": ("#c2c2c2", 1.2), "path": ("#c8c8c8", 1.0),
    "cycleway": ("#c8c8c8", 1.0), "steps": ("#c8c8c8", 1.0),
}
ROAD_SCALE = Categorical({cls: (color, labels.ROAD_CLASS[cls])
                          for cls, (color, _) in ROAD_LOOK.items()},
                         other="#b4b4b4", other_label=labels.ROAD_CLASS["unknown"])
ROADS = Style(color=ROAD_SCALE, column="road_class", label=labels.ROADS)
#: Dashed classes (ways for walkers and cyclists).
DASHED = {"path": "4 3", "cycleway": "4 3", "steps": "2 2", "track": "6 3"}


def road_options() -> list[dict[str, object] | None]:
    """Leaflet options of every road class of :data:`ROAD_SCALE` (width by class)."""
    widths = [w for _, w in ROAD_LOOK.values()] + [2.0]
    classes = [*ROAD_LOOK, "unknown"]
    out = []
    for options, width, cls in zip(ROADS.path_options(), widths, classes):
        options = dict(options, weight=width, opacity=0.95)
        if cls in DASHED:
            options["dashArray"] = DASHED[cls]
        out.append(options)
    return out


BUILDING_TOOLTIP = [
    Field("name", labels.NAME),
    Field("use", labels.USE, labels=labels.BUILDING_USE),
    Field("facility", labels.FACILITY, labels=labels.BUILDING_FACILITY),
    Field("height_m", labels.HEIGHT, unit="m", decimals=1),
    Field("levels", labels.LEVELS, decimals=0),
    Field("dwellings", labels.DWELLINGS, decimals=0),
    Field("population", labels.RESIDENTS, decimals=1),
]
ROAD_TOOLTIP = [
    Field("name", labels.NAME),
    Field("road_class", labels.ROAD_TYPE, labels=labels.ROAD_CLASS),
    Field("speed_kmh", labels.SPEED, unit="km/h", decimals=0),
]

#: Online base layers (only with ``tiles=True``): (label, URL template, options,
#: attribution).
ONLINE_TILES = (
    (labels.PLAN_IGN,
     "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
     "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM"
     "&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
     {"maxNativeZoom": 19, "maxZoom": 21},
     Text("© IGN – Géoplateforme", "© IGN – Géoplateforme")),
    (labels.OSM, "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
     {"maxNativeZoom": 19, "maxZoom": 21},
     Text("© contributeurs OpenStreetMap", "© OpenStreetMap contributors")),
)


# -- shared scales of result layers -----------------------------------------------------

HAZARD_CLASSES = Categorical(
    {"faible": (HAZARD[0], LABELS["hazard"]["faible"]),
     "moyen": (HAZARD[1], LABELS["hazard"]["moyen"]),
     "fort": (HAZARD[2], LABELS["hazard"]["fort"]),
     "tres_fort": (HAZARD[3], LABELS["hazard"]["tres_fort"]),
     "unknown": ("#9ecae1", LABELS["hazard"]["unknown"])})

FACILITY_LABELS = Categorical(
    {k: (c, LABELS["facility"][k]) for k, c in (
        ("town_hall", "#0072B2"), ("school", "#E69F00"), ("nursing_home", "#CC79A7"),
        ("hospital", "#D55E00"), ("fire_station", "#000000"), ("police", "#56B4E9"),
        ("childcare", "#F0E442"))},
    title=Text("Équipement", "Facility"))

#: Measures drawn on every map (``structures.kind``).
STRUCTURES = Categorical({
    "wall": ("#000000", Text("mur / digue (mesure)", "wall / levee (measure)")),
    "levee": ("#000000", Text("digue", "levee")),
    "breach": ("#d7301f", Text("brèche", "breach")),
    "removed": ("#7570b3", Text("obstacle supprimé", "obstacle removed")),
    "raised_floor": ("#1b9e77", Text("planchers surélevés", "raised floors")),
    "new_buildings": ("#e7298a", Text("bâtiments nouveaux", "new buildings")),
    "removed_buildings": ("#666666", Text("bâtiments démolis", "buildings removed")),
    "changed_buildings": ("#a6761d", Text("bâtiments modifiés", "buildings changed")),
    "desealed": ("#a6d854", Text("sol désimperméabilisé", "de-sealed ground")),
    "trees": ("#1a9850", Text("arbres plantés", "trees planted")),
    "park": ("#66bd63", Text("parc créé", "park created")),
    "cool_roofs": ("#80b1d3", Text("toitures fraîches", "cool roofs")),
    "road_closed": ("#d7301f", Text("rue fermée", "street closed")),
    "new_road": ("#ff7f00", Text("rue nouvelle", "new street")),
    "drop_off": ("#984ea3", Text("point d'apport volontaire", "drop-off point"))},
    title=Text("Mesures", "Measures"))
