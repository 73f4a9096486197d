"""Every word a map shows that does not come from the data, in French and English."""

from __future__ import annotations

from jumeau.i18n import Text
from jumeau.territory.schema import LABELS

ZOOM_IN = Text("Zoom avant", "Zoom in")
ZOOM_OUT = Text("Zoom arrière", "Zoom out")
LEGEND = Text("Légende", "Legend")
KEY_FIGURES = Text("Chiffres clés", "Key figures")
PLAY = Text("Lecture", "Play")
PAUSE = Text("Pause", "Pause")
TIME = Text("Temps", "Time")
TIME_AXIS = Text("temps ({unit})", "time ({unit})")
MAXIMUM = Text("max. {value}", "max. {value}")

# Background ("fond de plan") drawn from the twin's own layers.
RELIEF = Text("Relief (ombrage du terrain)", "Relief (terrain shading)")
WATER = Text("Eau", "Water")
ROADS = Text("Routes et rues", "Roads and streets")
BUILDINGS = Text("Bâtiments", "Buildings")
OFFLINE_BACKGROUND = Text("Fond du jumeau (hors ligne)", "Twin background (offline)")
OSM = Text("OpenStreetMap (en ligne)", "OpenStreetMap (online)")
PLAN_IGN = Text("Plan IGN (en ligne)", "IGN map (online)")

NAME = Text("Nom", "Name")
USE = Text("Usage", "Use")
FACILITY = Text("Équipement", "Facility")
HEIGHT = Text("Hauteur", "Height")
LEVELS = Text("Niveaux", "Storeys")
DWELLINGS = Text("Logements", "Dwellings")
RESIDENTS = Text("Habitants (estimés)", "Residents (estimated)")
ROAD_TYPE = Text("Type", "Type")
SPEED = Text("Vitesse", "Speed")

ROAD_CLASS = {
    "motorway": Text("autoroute", "motorway"),
    "trunk": Text("voie rapide", "trunk road"),
    "primary": Text("route principale", "primary road"),
    "secondary": Text("route secondaire", "secondary road"),
    "tertiary": Text("route de desserte", "tertiary road"),
    "residential": Text("rue", "street"),
    "service": Text("voie de service", "service road"),
    "track": Text("chemin", "track"),
    "path": Text("sentier", "path"),
    "cycleway": Text("piste cyclable", "cycleway"),
    "steps": Text("escalier", "steps"),
    "unknown": Text("voie", "road"),
}
BUILDING_USE = LABELS["use"]
BUILDING_FACILITY = LABELS["facility"]

# Time units of the slider and of chart axes.
UNIT_S = Text("s", "s")
UNIT_MIN = Text("min", "min")
UNIT_H = Text("h", "h")
UNIT_DAY = Text("j", "d")


def time_label(seconds: float, lang: str) -> str:
    """A time since the start as read aloud: ``t = 1 h 30``, ``t = 45 min``, ``t = 2 j 4 h``.

    Examples
    --------
    >>> time_label(5400, "fr"), time_label(5400, "en"), time_label(2700, "fr")
    ('t = 1 h 30', 't = 1 h 30 min', 't = 45 min')
    >>> time_label(180000, "fr"), time_label(30, "en"), time_label(0, "fr")
    ('t = 2 j 2 h', 't = 30 s', 't = 0 min')
    """
    total_min = int(round(seconds / 60.0))
    if 0 < abs(seconds) < 60:
        return f"t = {int(round(seconds))} {UNIT_S.render(lang)}"
    days, rest = divmod(total_min, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"t = {days} {UNIT_DAY.render(lang)} {hours} {UNIT_H.render(lang)}"
    if not hours:
        return f"t = {minutes} {UNIT_MIN.render(lang)}"
    if not minutes:
        return f"t = {hours} {UNIT_H.render(lang)}"
    if lang == "fr":
        return f"t = {hours} h {minutes:02d}"
    return f"t = {hours} h {minutes:02d} min"
