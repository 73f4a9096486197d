"""Reading OpenStreetMap extracts into the canonical layers of a territory.

OpenStreetMap XML (``.osm``, ``.osm.gz``, ``.osm.bz2``) and PBF (``.osm.pbf``) files are
parsed with pyosmium (libosmium): node locations are kept in memory so that ways get
their geometry, and multipolygon / boundary relations and closed ways are assembled
into areas by libosmium's area assembler. A file is parsed **once**: the six layers are
built in that single pass and cached (keyed by resolved path, modification time and
size), so reading ``buildings`` then ``roads`` from the same file costs one parse.

Every layer comes out with the canonical columns of
:data:`jumeau.territory.schema.SCHEMAS`, in EPSG:4326 (the territory loader
reprojects). ``frame.attrs["skipped"]`` holds the number of objects of that layer that
could not be built: areas libosmium could not assemble (broken rings, or ways whose
nodes are missing because the extract was clipped), lines with fewer than two known
nodes. Lines with *some* nodes missing are kept, split into the runs of consecutive
known nodes (a MultiLineString when there are several); their number is in
``frame.attrs["clipped"]``. Areas that libosmium builds but GEOS finds invalid are
repaired with :func:`shapely.make_valid` (``frame.attrs["repaired"]``). Closed ways it
refuses are rebuilt through their known nodes (``frame.attrs["rebuilt"]``); those left
with fewer than three because the extract cut them are among the skipped, and counted
apart in ``frame.attrs["cut"]`` (their footprint lies outside the file).

Ways are **not** split at intersections and their vertices are the OSM nodes, exactly:
the network builder (:mod:`jumeau.territory.network`) splits lines where they share a
vertex, which works because a node shared by two ways yields identical coordinates.

Tag → canonical value
---------------------
``buildings`` — closed ways and multipolygon relations with ``building=*`` (not ``no``).
``use`` from ``building=*`` first:

- residential: house, detached, residential, apartments, terrace, semidetached_house,
  bungalow, dormitory, farmhouse, static_caravan;
- commercial: commercial, retail, office, supermarket, kiosk, hotel;
- industrial: industrial, warehouse, factory, manufacture;
- public: public, civic, government, townhall, school, hospital, church, chapel,
  cathedral, kindergarten, university, college, fire_station, sports_hall,
  train_station, religious, mosque, synagogue, temple, transportation;
- agricultural: farm, barn, farm_auxiliary, cowshed, stable, greenhouse, agricultural;
- annex: garage, garages, shed, carport, roof, hut, service, parking.

When ``building=*`` says nothing (yes, other, any other value): a facility (below) or
an ``amenity`` of public service (townhall, school, library, post_office, courthouse,
place_of_worship, community_centre, social_facility, …) or ``office=government`` →
public; a trade ``amenity`` (restaurant, cafe, bank, pharmacy, …), ``shop=*``,
``craft=*``, ``office=*`` or ``tourism=hotel`` → commercial; otherwise unknown.

``facility`` (buildings and the ``facilities`` layer), first match wins:

- town_hall: amenity=townhall, building=townhall;
- childcare: amenity=kindergarten / childcare, building=kindergarten;
- school: amenity=school / college, building=school / college;
- hospital: amenity=hospital / clinic, healthcare=hospital / clinic, building=hospital;
- nursing_home: amenity=nursing_home, social_facility=nursing_home, or any
  social_facility=* with social_facility:for=senior;
- fire_station: amenity=fire_station, building=fire_station;
- police: amenity=police;
- sports_hall: leisure=sports_hall, building=sports_hall;
- waste_unloading: amenity=recycling with recycling_type=centre (déchèterie),
  amenity=waste_transfer_station;
- water_treatment: man_made=wastewater_plant / water_works;
- other: office=government, amenity=courthouse / university / social_facility,
  emergency=ambulance_station.

``height_m`` from ``height`` ("12", "12 m", "12,5", "40'", ``40'6"``, "30 ft"; NaN when
unparseable), ``levels`` from ``building:levels``, ``dwellings`` from
``building:flats`` (plain numbers only).

``roads`` — ways with ``highway=*``, except ``area=yes`` and non-roads (proposed,
construction, platform, bus_stop, elevator, abandoned, disused, razed, rest_area,
services, planned, no). ``road_class``: motorway(_link) → motorway, trunk(_link) →
trunk, primary, secondary, tertiary (and their _link) likewise; residential,
living_street, unclassified, road → residential; service → service; track → track;
footway, pedestrian, path, bridleway, corridor → path; cycleway → cycleway; steps →
steps; any other value → unknown. ``speed_kmh`` from ``maxspeed`` (see
:func:`parse_speed_kmh`; NaN when absent, the loader fills defaults). ``oneway``:
yes/true/1 → 1, -1/reverse → -1, no/false/0 → 0; without the tag, roundabouts
(``junction=roundabout/circular``) and motorway(_link) are one-way, others two-way.
``width_m`` from ``width``. ``bridge`` / ``tunnel``: the tag is present and not
``no`` (``tunnel=building_passage`` is at ground level: not a tunnel).

``water`` — lines: ``waterway=`` river → river, stream / brook → stream, canal → canal,
drain / ditch → drain; ``natural=coastline`` → sea. Areas: ``natural=water`` with
``water=`` river → river, lake / oxbow → lake, pond → pond, reservoir / basin →
reservoir, canal / lock → canal, stream → stream, ditch / drain → drain, otherwise lake;
``landuse=reservoir / basin`` → reservoir; ``waterway=riverbank`` → riverbank.
``width_m`` from ``width``.

``vegetation`` — areas, first match in the order leisure, landuse, natural, amenity:
leisure=park → park, garden → garden, pitch / sports_centre / stadium → sports;
landuse=forest → forest, grass / meadow / village_green / recreation_ground → grass,
farmland / farmyard → farmland, orchard → orchard, vineyard → vineyard, allotments →
garden, cemetery → cemetery; natural=wood → forest, scrub / heath → scrub, grassland →
grass, wetland → wetland; amenity=grave_yard → cemetery. Lines: natural=tree_row →
trees, barrier=hedge → hedge. Points: natural=tree → trees.

``facilities`` — areas and nodes with a facility (table above) that are **not**
buildings: a building carries its facility in the ``buildings`` layer; the polygons
and points here (school grounds, a hospital site, a town-hall node) are matched to the
buildings they contain by the territory loader.

``boundary`` — areas with ``boundary=administrative`` and ``admin_level=8`` (the
commune): ``name``, ``insee_code`` from ``ref:INSEE``, ``population`` from
``population``. Often empty in extracts, whose boundary relation is incomplete.

Examples
--------
>>> from pathlib import Path
>>> from jumeau.io.osm import read_osm
>>> roads = read_osm(Path("redon.osm.gz"), "roads")  # doctest: +SKIP
>>> parse_length_m("12,5 m"), parse_speed_kmh("FR:zone30")
(12.5, 30.0)
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import osmium
import shapely

from jumeau.errors import JumeauError, did_you_mean
from jumeau.i18n import Text
from jumeau.io.vector import require_file
from jumeau.territory.schema import conform

#: File name endings read as OpenStreetMap data.
OSM_SUFFIXES = (".osm", ".osm.gz", ".osm.bz2", ".osm.pbf", ".pbf")

CRS = "EPSG:4326"

# Keys any layer looks at: objects without one are dropped by libosmium (in C++),
# before Python sees them. Node locations and areas are built before this filter.
_KEYS = ("building", "highway", "waterway", "natural", "landuse", "leisure", "amenity",
         "healthcare", "social_facility", "office", "emergency", "man_made", "barrier",
         "boundary")

# -- tag tables ---------------------------------------------------------------------------

_USE_BY_BUILDING = {
    **dict.fromkeys(("house", "detached", "residential", "apartments", "terrace",
                     "semidetached_house", "bungalow", "dormitory", "farmhouse",
                     "static_caravan"), "residential"),
    **dict.fromkeys(("commercial", "retail", "office", "supermarket", "kiosk", "hotel"),
                    "commercial"),
    **dict.fromkeys(("industrial", "warehouse", "factory", "manufacture"), "industrial"),
    **dict.fromkeys(("public", "civic", "government", "townhall", "school", "hospital",
                     "church", "chapel", "cathedral", "kindergarten", "university", "college",
                     "fire_station", "sports_hall", "train_station", "religious", "mosque",
                     "synagogue", "temple", "transportation"), "public"),
    **dict.fromkeys(("farm", "barn", "farm_auxiliary", "cowshed", "stable", "greenhouse",
                     "agricultural"), "agricultural"),
    **dict.fromkeys(("garage", "garages", "shed", "carport", "roof", "hut", "service",
                     "parking"), "annex"),
}

_PUBLIC_AMENITIES = frozenset((
    "townhall", "school", "college", "university", "kindergarten", "childcare", "hospital",
    "clinic", "nursing_home", "fire_station", "police", "library", "post_office",
    "courthouse", "place_of_worship", "community_centre", "social_facility", "arts_centre",
    "social_centre", "public_building", "prison", "doctors"))

_COMMERCIAL_AMENITIES = frozenset((
    "restaurant", "cafe", "bar", "pub", "fast_food", "bank", "pharmacy", "marketplace",
    "cinema", "theatre", "nightclub", "fuel", "car_wash", "ice_cream", "bureau_de_change",
    "dentist", "veterinary"))

_ROAD_CLASS = {
    **{k: k for k in ("motorway", "trunk", "primary", "secondary", "tertiary")},
    **{f"{k}_link": k for k in ("motorway", "trunk", "primary", "secondary", "tertiary")},
    **dict.fromkeys(("residential", "living_street", "unclassified", "road"), "residential"),
    "service": "service",
    "track": "track",
    **dict.fromkeys(("footway", "pedestrian", "path", "bridleway", "corridor"), "path"),
    "cycleway": "cycleway",
    "steps": "steps",
}

#: ``highway=*`` values that are not (yet, or any more) roads.
_NOT_ROADS = frozenset(("proposed", "construction", "platform", "bus_stop", "elevator",
                        "abandoned", "disused", "razed", "rest_area", "services", "planned",
                        "no", "dismantled"))

_WATERWAY_LINES = {"river": "river", "stream": "stream", "brook": "stream", "canal": "canal",
                   "drain": "drain", "ditch": "drain"}

_WATER_AREAS = {"river": "river", "lake": "lake", "oxbow": "lake", "pond": "pond",
                "reservoir": "reservoir", "basin": "reservoir", "canal": "canal",
                "lock": "canal", "stream": "stream", "ditch": "drain", "drain": "drain"}

_COVER = (  # (key, {value: cover}), first match wins
    ("leisure", {"park": "park", "garden": "garden", "pitch": "sports",
                 "sports_centre": "sports", "stadium": "sports"}),
    ("landuse", {"forest": "forest", "grass": "grass", "meadow": "grass",
                 "village_green": "grass", "recreation_ground": "grass",
                 "farmland": "farmland", "farmyard": "farmland", "orchard": "orchard",
                 "vineyard": "vineyard", "allotments": "garden", "cemetery": "cemetery"}),
    ("natural", {"wood": "forest", "scrub": "scrub", "heath": "scrub", "grassland": "grass",
                 "wetland": "wetland"}),
    ("amenity", {"grave_yard": "cemetery"}),
)

_ONEWAY = {"yes": 1, "true": 1, "1": 1, "-1": -1, "reverse": -1, "no": 0, "false": 0, "0": 0}

_SPEED_WORDS = {"walk": 6.0, "fr:walk": 6.0, "fr:urban": 50.0, "fr:rural": 80.0,
                "fr:trunk": 110.0, "fr:motorway": 130.0, "fr:living_street": 20.0}

_UNIT_M = {"": 1.0, "m": 1.0, "meter": 1.0, "meters": 1.0, "metre": 1.0, "metres": 1.0,
           "km": 1000.0, "cm": 0.01, "ft": 0.3048, "feet": 0.3048, "foot": 0.3048,
           "'": 0.3048, "mi": 1609.344}

_NUMBER = r"(\d+(?:[.,]\d+)?|[.,]\d+)"
_LENGTH_RE = re.compile(rf"^{_NUMBER}\s*([a-z']*)$")
_FEET_INCHES_RE = re.compile(rf"^{_NUMBER}\s*'\s*{_NUMBER}\s*(?:\"|'')$")
_SPEED_RE = re.compile(rf"^{_NUMBER}\s*(km/h|kmh|kph|mph|knots)?$")
_ZONE_RE = re.compile(r"^[a-z]{2}:(?:zone:?)?(\d+)$")


# -- value parsers ------------------------------------------------------------------------

def _to_float(text: str) -> float:
    return float(text.replace(",", "."))


def parse_number(value: str | None) -> float:
    """A plain number (``"3"``, ``"2.5"``, ``"2,5"``), else NaN.

    Examples
    --------
    >>> parse_number("3"), parse_number("3;4")
    (3.0, nan)
    """
    if value is None:
        return math.nan
    match = re.fullmatch(_NUMBER, value.strip())
    return _to_float(match.group(1)) if match else math.nan


def parse_length_m(value: str | None) -> float:
    """A length tag (``height``, ``width``) in metres, NaN when it cannot be read.

    Accepts a bare number (metres), a number with a unit (m, cm, km, ft, feet, mi) and
    feet with inches (``40'6"``); a decimal comma is read as a point.

    Examples
    --------
    >>> parse_length_m("12"), parse_length_m("12.5m"), parse_length_m("40'")
    (12.0, 12.5, 12.192)
    >>> parse_length_m("about 10")
    nan
    """
    if value is None:
        return math.nan
    text = value.strip().lower()
    match = _LENGTH_RE.match(text)
    if match and match.group(2) in _UNIT_M:
        length = _to_float(match.group(1)) * _UNIT_M[match.group(2)]
        return round(length, 6)
    match = _FEET_INCHES_RE.match(text)
    if match:
        return round((_to_float(match.group(1)) * 12 + _to_float(match.group(2))) * 0.0254, 6)
    return math.nan


def parse_speed_kmh(value: str | None) -> float:
    """A ``maxspeed`` tag in km/h, NaN when absent, unlimited or unreadable.

    Reads numbers (km/h), ``mph`` and ``knots``, French implicit limits (``FR:urban``
    50, ``FR:rural`` 80, ``FR:trunk`` 110, ``FR:motorway`` 130, ``FR:living_street``
    20), zones (``FR:zone30``, ``FR:zone:30``, ``FR:30`` → 30) and ``walk`` (6).
    ``none``, ``signals``, ``variable`` and lists (``50;30``) give NaN.

    Examples
    --------
    >>> parse_speed_kmh("50"), parse_speed_kmh("30 mph"), parse_speed_kmh("FR:zone30")
    (50.0, 48.28, 30.0)
    """
    if value is None:
        return math.nan
    text = value.strip().lower()
    if text in _SPEED_WORDS:
        return _SPEED_WORDS[text]
    match = _SPEED_RE.match(text)
    if match:
        speed = _to_float(match.group(1))
        unit = match.group(2)
        if unit == "mph":
            speed *= 1.609344
        elif unit == "knots":
            speed *= 1.852
        return round(speed, 2)
    match = _ZONE_RE.match(text)
    if match:
        return float(match.group(1))
    return math.nan


# -- tags -> canonical values -------------------------------------------------------------

def _is_building(tags: Mapping[str, str]) -> bool:
    return tags.get("building", "no") != "no"


def facility_of(tags: Mapping[str, str]) -> str:
    """The facility (``schema.FACILITIES``) an object's tags describe, or ``""``.

    Examples
    --------
    >>> facility_of({"amenity": "townhall"}), facility_of({"building": "house"})
    ('town_hall', '')
    """
    amenity = tags.get("amenity", "")
    building = tags.get("building", "")
    social = tags.get("social_facility", "")
    if amenity == "townhall" or building == "townhall":
        return "town_hall"
    if amenity in ("kindergarten", "childcare") or building == "kindergarten":
        return "childcare"
    if amenity in ("school", "college") or building in ("school", "college"):
        return "school"
    if (amenity in ("hospital", "clinic") or tags.get("healthcare") in ("hospital", "clinic")
            or building == "hospital"):
        return "hospital"
    if (amenity == "nursing_home" or social == "nursing_home"
            or (social and tags.get("social_facility:for") == "senior")):
        return "nursing_home"
    if amenity == "fire_station" or building == "fire_station":
        return "fire_station"
    if amenity == "police":
        return "police"
    if tags.get("leisure") == "sports_hall" or building == "sports_hall":
        return "sports_hall"
    if ((amenity == "recycling" and tags.get("recycling_type") == "centre")
            or amenity == "waste_transfer_station"):
        return "waste_unloading"
    if tags.get("man_made") in ("wastewater_plant", "water_works"):
        return "water_treatment"
    if (tags.get("office") == "government"
            or amenity in ("courthouse", "university", "social_facility")
            or tags.get("emergency") == "ambulance_station"):
        return "other"
    return ""


def building_use(tags: Mapping[str, str]) -> str:
    """The use (``schema.BUILDING_USES``) of a building from its tags.

    Examples
    --------
    >>> building_use({"building": "house"}), building_use({"building": "yes", "shop": "bakery"})
    ('residential', 'commercial')
    """
    use = _USE_BY_BUILDING.get(tags.get("building", ""))
    if use is not None:
        return use
    amenity = tags.get("amenity", "")
    if facility_of(tags) or amenity in _PUBLIC_AMENITIES or tags.get("office") == "government":
        return "public"
    if (amenity in _COMMERCIAL_AMENITIES or "shop" in tags or "craft" in tags
            or "office" in tags or tags.get("tourism") == "hotel"):
        return "commercial"
    return "unknown"


def _road(tags: Mapping[str, str]) -> dict | None:
    highway = tags.get("highway")
    if highway is None or highway in _NOT_ROADS or tags.get("area") == "yes":
        return None
    road_class = _ROAD_CLASS.get(highway, "unknown")
    oneway = _ONEWAY.get(tags.get("oneway", "").strip().lower())
    if oneway is None:
        implied = (tags.get("junction") in ("roundabout", "circular")
                   or highway in ("motorway", "motorway_link"))
        oneway = 1 if implied else 0
    return {"road_class": road_class, "speed_kmh": parse_speed_kmh(tags.get("maxspeed")),
            "oneway": oneway, "width_m": parse_length_m(tags.get("width")),
            "bridge": tags.get("bridge", "no") != "no",
            "tunnel": tags.get("tunnel", "no") not in ("no", "building_passage")}


def _water_line(tags: Mapping[str, str]) -> dict | None:
    kind = _WATERWAY_LINES.get(tags.get("waterway", ""))
    if kind is None and tags.get("natural") == "coastline":
        kind = "sea"
    return None if kind is None else {"kind": kind,
                                      "width_m": parse_length_m(tags.get("width"))}


def _water_area(tags: Mapping[str, str]) -> dict | None:
    if tags.get("natural") == "water":
        kind = _WATER_AREAS.get(tags.get("water", ""), "lake")
    elif tags.get("landuse") in ("reservoir", "basin"):
        kind = "reservoir"
    elif tags.get("waterway") == "riverbank":
        kind = "riverbank"
    else:
        return None
    return {"kind": kind, "width_m": parse_length_m(tags.get("width"))}


def _cover_area(tags: Mapping[str, str]) -> str | None:
    for key, table in _COVER:
        cover = table.get(tags.get(key, ""))
        if cover is not None:
            return cover
    return None


def _cover_line(tags: Mapping[str, str]) -> str | None:
    if tags.get("natural") == "tree_row":
        return "trees"
    if tags.get("barrier") == "hedge":
        return "hedge"
    return None


def _area_rows(tags: Mapping[str, str]) -> dict[str, dict]:
    """The canonical row(s) an area with ``tags`` gives, per layer."""
    rows: dict[str, dict] = {}
    name = tags.get("name", "")
    if _is_building(tags):
        rows["buildings"] = {
            "name": name, "use": building_use(tags), "facility": facility_of(tags),
            "height_m": parse_length_m(tags.get("height")),
            "levels": parse_number(tags.get("building:levels")),
            "dwellings": parse_number(tags.get("building:flats"))}
    else:
        facility = facility_of(tags)
        if facility:
            rows["facilities"] = {"facility": facility, "name": name}
    water = _water_area(tags)
    if water is not None:
        rows["water"] = {"name": name, **water}
    cover = None if _is_building(tags) else _cover_area(tags)
    if cover is not None:
        rows["vegetation"] = {"name": name, "cover": cover}
    if tags.get("boundary") == "administrative" and tags.get("admin_level") == "8":
        rows["boundary"] = {"name": name, "insee_code": tags.get("ref:INSEE", ""),
                            "population": parse_number(tags.get("population"))}
    return rows


def _line_rows(tags: Mapping[str, str]) -> dict[str, dict]:
    """The canonical row(s) a way with ``tags`` gives as a line, per layer."""
    rows: dict[str, dict] = {}
    name = tags.get("name", "")
    road = _road(tags)
    if road is not None:
        rows["roads"] = {"name": name, **road}
    water = _water_line(tags)
    if water is not None:
        rows["water"] = {"name": name, **water}
    cover = _cover_line(tags)
    if cover is not None:
        rows["vegetation"] = {"name": name, "cover": cover}
    return rows


def _point_rows(tags: Mapping[str, str]) -> dict[str, dict]:
    """The canonical row(s) a tagged node gives, per layer."""
    rows: dict[str, dict] = {}
    name = tags.get("name", "")
    facility = facility_of(tags)
    if facility and not _is_building(tags):
        rows["facilities"] = {"facility": facility, "name": name}
    if tags.get("natural") == "tree":
        rows["vegetation"] = {"name": name, "cover": "trees"}
    return rows


# -- the single pass over the file --------------------------------------------------------

_ID_COLUMN = {"buildings": "building_id", "roads": "road_id", "water": "water_id",
              "vegetation": "vegetation_id", "facilities": None, "boundary": None}


class _Layers:
    """Rows, geometries and counts of every layer, filled during the pass."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {name: [] for name in _ID_COLUMN}
        self.geoms: dict[str, list] = {name: [] for name in _ID_COLUMN}
        self.skipped = dict.fromkeys(_ID_COLUMN, 0)
        self.clipped = dict.fromkeys(_ID_COLUMN, 0)
        self.repaired = dict.fromkeys(_ID_COLUMN, 0)
        # Closed ways and relations that should become areas, per layer; those for which
        # libosmium builds no area are counted as skipped.
        self.area_candidates: dict[str, set[str]] = {name: set() for name in _ID_COLUMN}
        self.areas_built: dict[str, set[str]] = {name: set() for name in _ID_COLUMN}
        # Closed ways that should become areas, with their tags and the locations of
        # their nodes (None where the extract lacks the node): rebuilt when libosmium
        # assembles no area from them (see :func:`_rebuild_ring`).
        self.rings: dict[str, tuple[dict, list]] = {}
        self.rebuilt = dict.fromkeys(_ID_COLUMN, 0)
        # Skipped closed ways that had nodes missing: cut by the edge of the extract.
        self.cut = dict.fromkeys(_ID_COLUMN, 0)

    def add(self, layer: str, osm_id: str, row: dict, geom: shapely.Geometry) -> None:
        column = _ID_COLUMN[layer]
        if column is not None:
            row[column] = osm_id
        self.rows[layer].append(row)
        self.geoms[layer].append(geom)

    def rebuild_rings(self) -> None:
        """Rebuild the closed ways libosmium assembled into no area (see
        :func:`_rebuild_ring`); those that cannot be rebuilt stay counted as skipped."""
        for osm_id, (tags, locations) in self.rings.items():
            rows = _area_rows(tags)
            if not rows or all(osm_id in self.areas_built[layer] for layer in rows):
                continue
            geom = _rebuild_ring(locations)
            if geom is None:
                if any(p is None for p in locations):
                    for layer in rows:
                        self.cut[layer] += osm_id not in self.areas_built[layer]
                continue
            for layer, row in rows.items():
                if osm_id in self.areas_built[layer]:
                    continue
                self.areas_built[layer].add(osm_id)
                self.rebuilt[layer] += 1
                self.add(layer, osm_id, dict(row), geom)
        self.rings.clear()

    def frames(self) -> dict[str, gpd.GeoDataFrame]:
        self.rebuild_rings()
        out = {}
        for layer in _ID_COLUMN:
            geoms = np.empty(len(self.geoms[layer]), dtype=object)
            geoms[:] = self.geoms[layer]
            frame = gpd.GeoDataFrame(self.rows[layer] or None, geometry=geoms, crs=CRS)
            frame = conform(frame, layer)
            missing = self.area_candidates[layer] - self.areas_built[layer]
            frame.attrs["skipped"] = self.skipped[layer] + len(missing)
            frame.attrs["clipped"] = self.clipped[layer]
            frame.attrs["repaired"] = self.repaired[layer]
            frame.attrs["rebuilt"] = self.rebuilt[layer]
            frame.attrs["cut"] = self.cut[layer]
            out[layer] = frame
        return out


def _line_geometry(way: osmium.osm.Way) -> tuple[shapely.Geometry | None, bool]:
    """The way as a line through its nodes, and whether some nodes had no location.

    Runs of consecutive nodes with a location become the parts; repeated consecutive
    locations are dropped; parts with fewer than two distinct points are dropped.
    """
    runs: list[list[tuple[float, float]]] = [[]]
    clipped = False
    for node in way.nodes:
        location = node.location
        if not location.valid():
            clipped = True
            if runs[-1]:
                runs.append([])
            continue
        point = (location.lon, location.lat)
        if not runs[-1] or runs[-1][-1] != point:
            runs[-1].append(point)
    parts = [shapely.LineString(run) for run in runs if len(run) >= 2]
    if not parts:
        return None, clipped
    return (parts[0] if len(parts) == 1 else shapely.MultiLineString(parts)), clipped


def _area_geometry(area: osmium.osm.Area, wkb: osmium.geom.WKBFactory
                   ) -> tuple[shapely.Geometry | None, bool]:
    """The area as a MultiPolygon (repaired if GEOS finds it invalid), and if repaired."""
    try:
        geom = shapely.from_wkb(wkb.create_multipolygon(area))
    except (RuntimeError, shapely.errors.GEOSException):
        return None, False
    if shapely.is_empty(geom):
        return None, False
    if shapely.is_valid(geom):
        return geom, False
    fixed = shapely.make_valid(geom)
    polygons = [p for p in shapely.get_parts(fixed) if shapely.get_type_id(p) in (3, 6)]
    polygons = [q for p in polygons for q in shapely.get_parts(p)]
    if not polygons:
        return None, True
    return shapely.MultiPolygon(polygons), True


def _rebuild_ring(locations: list) -> shapely.Geometry | None:
    """An area from a closed way libosmium rejected, as GDAL and QGIS read it.

    libosmium's assembler is strict: a ring with nodes missing (a building cut by the
    edge of the extract) or that crosses itself gives no area. Here the ring runs
    through its known nodes in order, is closed, and made valid
    (:func:`shapely.make_valid`, keeping the polygonal parts). None when fewer than
    three distinct known nodes remain, or nothing polygonal is left.

    Examples
    --------
    >>> square = [(0, 0), (1, 0), None, (1, 1), (0, 1), (0, 0)]
    >>> _rebuild_ring(square).area
    1.0
    >>> bowtie = [(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)]
    >>> round(_rebuild_ring(bowtie).area, 6)
    2.0
    >>> _rebuild_ring([(0, 0), None, None, (1, 1), (0, 0)]) is None
    True
    """
    known = [p for p in locations if p is not None]
    distinct = list(dict.fromkeys(known))
    if len(distinct) < 3:
        return None
    if known[0] != known[-1]:
        known.append(known[0])
    fixed = shapely.make_valid(shapely.Polygon(known))
    polygons = [q for p in shapely.get_parts(fixed) if shapely.get_type_id(p) in (3, 6)
                for q in shapely.get_parts(p) if q.area > 0]
    if not polygons:
        return None
    return shapely.MultiPolygon(polygons)


def _read_file(path: Path) -> dict[str, gpd.GeoDataFrame]:
    """Parse ``path`` once and build every layer."""
    layers = _Layers()
    wkb = osmium.geom.WKBFactory()
    processor = (osmium.FileProcessor(str(path)).with_locations().with_areas()
                 .with_filter(osmium.filter.KeyFilter(*_KEYS)))
    for obj in processor:
        if obj.is_area():
            tags = dict(obj.tags)
            rows = _area_rows(tags)
            if not rows:
                continue
            osm_id = ("w" if obj.from_way() else "r") + str(obj.orig_id())
            geom, repaired = _area_geometry(obj, wkb)
            if geom is None:
                # Not built: a closed way is rebuilt from its nodes at the end, a relation
                # (or a way that cannot be) is counted as skipped then.
                continue
            layers.rings.pop(osm_id, None)
            for layer, row in rows.items():
                layers.areas_built[layer].add(osm_id)
                layers.repaired[layer] += repaired
                layers.add(layer, osm_id, row, geom)
        elif obj.is_way():
            tags = dict(obj.tags)
            osm_id = f"w{obj.id}"
            if len(obj.nodes) >= 4 and obj.is_closed():
                area_layers = _area_rows(tags)
                for layer in area_layers:
                    layers.area_candidates[layer].add(osm_id)
                if area_layers:
                    layers.rings[osm_id] = (tags, [
                        (n.location.lon, n.location.lat) if n.location.valid() else None
                        for n in obj.nodes])
            rows = _line_rows(tags)
            if not rows:
                continue
            geom, clipped = _line_geometry(obj)
            for layer, row in rows.items():
                if geom is None:
                    layers.skipped[layer] += 1
                    continue
                layers.clipped[layer] += clipped
                layers.add(layer, osm_id, row, geom)
        elif obj.is_node():
            rows = _point_rows(obj.tags)
            if rows:
                point = shapely.Point(obj.location.lon, obj.location.lat)
                for layer, row in rows.items():
                    layers.add(layer, f"n{obj.id}", row, point)
        elif obj.is_relation():
            if obj.tags.get("type") in ("multipolygon", "boundary"):
                for layer in _area_rows(dict(obj.tags)):
                    layers.area_candidates[layer].add(f"r{obj.id}")
    return layers.frames()


@functools.lru_cache(maxsize=2)
def _parse(path: str, mtime_ns: int, size: int) -> dict[str, gpd.GeoDataFrame]:
    """Every layer of the file at ``path``; cached on (path, mtime, size)."""
    del mtime_ns, size  # only part of the cache key: a changed file is parsed again
    try:
        return _read_file(Path(path))
    except (RuntimeError, ValueError, osmium.InvalidLocationError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "out of order" in reason:  # libosmium needs sorted input to build areas
            fix = Text("triez-le : osmium sort {p} -o trié.osm.pbf",
                       "sort it: osmium sort {p} -o sorted.osm.pbf").format(p=Path(path).name)
        else:
            fix = Text("téléchargez à nouveau l'extrait (fichier .osm, .osm.gz, .osm.bz2 ou "
                       ".osm.pbf, par exemple depuis Geofabrik ou l'API Overpass)",
                       "download the extract again (.osm, .osm.gz, .osm.bz2 or .osm.pbf "
                       "file, e.g. from Geofabrik or the Overpass API)")
        raise JumeauError(
            Text("fichier OpenStreetMap illisible ou corrompu ({e})",
                 "unreadable or corrupt OpenStreetMap file ({e})").format(e=reason),
            path=path, fix=fix) from None


# -- public API ---------------------------------------------------------------------------

def _check_path(path: Path) -> Path:
    path = Path(path)
    require_file(path)
    if not path.name.lower().endswith(OSM_SUFFIXES):
        raise JumeauError(
            Text("ce n'est pas un fichier OpenStreetMap (extension « {s} »)",
                 "not an OpenStreetMap file (extension '{s}')").format(
                s="".join(path.suffixes) or "—"),
            path=path,
            fix=Text("fournissez un fichier {x}", "provide a {x} file").format(
                x=", ".join(OSM_SUFFIXES)))
    return path


#: Manifest options that would change what a reader returns but that OSM data cannot
#: honour (tags are mapped by fixed rules): refused rather than silently ignored.
_REFUSED_OPTIONS = ("columns", "values")


def _layer(path: Path, layer: str, options: Mapping | None) -> gpd.GeoDataFrame:
    # Other options (path, schema, crs, layer, encoding, …) are the loader's business or
    # have no meaning for OSM data; they are ignored.
    for key in _REFUSED_OPTIONS:
        if (options or {}).get(key):
            raise JumeauError(
                Text("option sans effet sur un fichier OpenStreetMap : les étiquettes OSM "
                     "sont traduites par des règles fixes",
                     "option has no effect on an OpenStreetMap file: OSM tags are mapped "
                     "by fixed rules"),
                path=path, field=key,
                fix=Text("retirez « {k} », ou convertissez le fichier (ogr2ogr) et lisez-le "
                         "avec schema: generic",
                         "remove '{k}', or convert the file (ogr2ogr) and read it with "
                         "schema: generic").format(k=key))
    path = _check_path(path)
    stat = path.stat()
    frame = _parse(str(path.resolve()), stat.st_mtime_ns, stat.st_size)[layer]
    return frame.copy()


def read_buildings(path: Path, options: Mapping | None = None) -> gpd.GeoDataFrame:
    """Buildings (closed ways and multipolygons with ``building=*``), canonical columns."""
    return _layer(path, "buildings", options)


def read_roads(path: Path, options: Mapping | None = None) -> gpd.GeoDataFrame:
    """Roads and paths (ways with ``highway=*``), one LineString per way."""
    return _layer(path, "roads", options)


def read_water(path: Path, options: Mapping | None = None) -> gpd.GeoDataFrame:
    """Watercourses (lines), water bodies and riverbanks (polygons), coastline."""
    return _layer(path, "water", options)


def read_vegetation(path: Path, options: Mapping | None = None) -> gpd.GeoDataFrame:
    """Land cover polygons, tree rows and hedges (lines), single trees (points)."""
    return _layer(path, "vegetation", options)


def read_facilities(path: Path, options: Mapping | None = None) -> gpd.GeoDataFrame:
    """Facility polygons and points that are not buildings (school grounds, nodes)."""
    return _layer(path, "facilities", options)


def read_boundary(path: Path, options: Mapping | None = None) -> gpd.GeoDataFrame:
    """The commune's administrative boundary (``admin_level=8``), often absent."""
    return _layer(path, "boundary", options)


#: Layer name → reader ``(path, options) -> GeoDataFrame``.
LAYERS: dict[str, Callable[[Path, Mapping | None], gpd.GeoDataFrame]] = {
    "buildings": read_buildings,
    "roads": read_roads,
    "water": read_water,
    "vegetation": read_vegetation,
    "facilities": read_facilities,
    "boundary": read_boundary,
}


def read_osm(path: Path, layer: str, options: Mapping | None = None) -> gpd.GeoDataFrame:
    """Read one canonical layer from an OpenStreetMap file.

    Parameters
    ----------
    path
        An ``.osm``, ``.osm.gz``, ``.osm.bz2`` or ``.osm.pbf`` file.
    layer
        One of :data:`LAYERS`: buildings, roads, water, vegetation, facilities, boundary.
    options
        The manifest entry's options. None changes how OSM data is read: ``columns``
        and ``values`` are refused (tags are mapped by fixed rules), the others
        (``path``, ``schema``, ``crs``, ``layer``, ``encoding``, …) are ignored.

    Returns
    -------
    geopandas.GeoDataFrame
        The layer in canonical columns, EPSG:4326; empty (with the columns) when the
        file has no such object. ``attrs["skipped"]`` counts objects that could not be
        built, ``attrs["clipped"]`` lines kept without their missing nodes and
        ``attrs["repaired"]`` invalid areas made valid.

    Raises
    ------
    JumeauError
        The file is missing, is not OpenStreetMap data or is corrupt, or ``layer`` is
        not a known layer.
    """
    reader = LAYERS.get(layer)
    if reader is None:
        hint = did_you_mean(layer, LAYERS)
        known = Text("couches disponibles : {c}", "available layers: {c}").format(
            c=", ".join(LAYERS))
        raise JumeauError(
            Text("couche OpenStreetMap inconnue", "unknown OpenStreetMap layer"),
            path=path, field=layer, fix=known if hint is None else hint + " (" + known + ")")
    return reader(path, options)
