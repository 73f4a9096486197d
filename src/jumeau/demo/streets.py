"""The demo commune's streets, as BD TOPO ``troncon_de_route`` sections.

Streets are laid out as named polylines (departmental roads, the old-centre mesh, the
quay, suburban loops and cul-de-sacs, activity-zone roads, paths), then *noded* the way
BD TOPO is: every street is cut wherever it meets another one, and the pieces that meet
share exactly the same vertex. A street whose end is meant to land on another one is
drawn a little past it; the short dangling stub left after noding is removed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from scipy.interpolate import make_interp_spline

from jumeau.demo import plan
from jumeau.demo.plan import FRAME

#: Stubs shorter than this, left dangling by noding, are removed (m).
STUB_M = 3.0
#: How far a street is drawn past a street it joins (m).
OVERSHOOT_M = 1.5


@dataclass(frozen=True)
class Kind:
    """BD TOPO attributes shared by a class of streets."""

    nature: str = "Route à 1 chaussée"
    importance: str = "5"
    width_m: float = 5.0
    lanes: int = 2
    speed_kmh: int = 30
    access: str = "Libre"
    #: Where buildings stand along it: "centre", "suburb", "activity", "none".
    frontage: str = "suburb"


DEPARTMENTAL = Kind(importance="2", width_m=6.5, speed_kmh=50, frontage="suburb")
DEPARTMENTAL_OUT = Kind(importance="2", width_m=6.5, speed_kmh=80, frontage="none")
SECONDARY = Kind(importance="3", width_m=6.0, speed_kmh=50, frontage="suburb")
SECONDARY_OUT = Kind(importance="3", width_m=6.0, speed_kmh=70, frontage="none")
CENTRE = Kind(importance="4", width_m=5.5, speed_kmh=30, frontage="centre")
CENTRE_MAIN = Kind(importance="3", width_m=6.5, speed_kmh=30, frontage="centre")
LANE = Kind(importance="5", width_m=3.5, lanes=1, speed_kmh=20, frontage="centre")
RESIDENTIAL = Kind(importance="5", width_m=5.0, speed_kmh=30, frontage="suburb")
CUL_DE_SAC = Kind(importance="5", width_m=4.5, speed_kmh=20, frontage="suburb")
ACTIVITY = Kind(importance="4", width_m=7.0, speed_kmh=40, frontage="activity")
ROUNDABOUT = Kind(nature="Rond-point", importance="3", width_m=7.0, lanes=1, speed_kmh=25,
                  frontage="none")
TRACK = Kind(nature="Chemin", importance="6", width_m=3.0, lanes=1, speed_kmh=15,
             frontage="none")
FOOTPATH = Kind(nature="Sentier", importance="6", width_m=1.5, lanes=0, speed_kmh=0,
                access="Physiquement impossible", frontage="none")
STEPS = Kind(nature="Escalier", importance="6", width_m=2.0, lanes=0, speed_kmh=0,
             access="Physiquement impossible", frontage="none")
CYCLE = Kind(nature="Piste cyclable", importance="6", width_m=2.5, lanes=0, speed_kmh=0,
             access="Physiquement impossible", frontage="none")


@dataclass
class Section:
    """A stretch of a street from ``start_m`` (distance along it) to the next section."""

    start_m: float
    name: str
    kind: Kind
    oneway: str = "Double sens"
    number: str | None = None
    bridge: bool = False


@dataclass
class Street:
    """A street (or a chain of named sections) drawn as one polyline (local coords)."""

    coords: np.ndarray
    sections: list[Section]
    extend_start: bool = True
    extend_end: bool = True
    splits_m: list[float] = field(default_factory=list)

    @property
    def line(self) -> shapely.LineString:
        return shapely.LineString(self.coords)


def smooth(points: list[tuple[float, float]], step_m: float = 8.0) -> np.ndarray:
    """A smooth curve through ``points`` (local coordinates), sampled every ~``step_m``."""
    pts = np.asarray(points, dtype=float)
    if len(pts) <= 2:
        return pts
    seg = np.hypot(*np.diff(pts, axis=0).T)
    t = np.r_[0.0, np.cumsum(seg)]
    spline = make_interp_spline(t, pts, k=min(3, len(pts) - 1))
    n = max(2, int(t[-1] / step_m) + 1)
    return spline(np.linspace(0.0, t[-1], n))


def _street(points, name, kind, *, oneway="Double sens", number=None, curve=True,
            extend_start=True, extend_end=True) -> Street:
    coords = smooth(points) if curve else np.asarray(points, dtype=float)
    return Street(coords, [Section(0.0, name, kind, oneway, number)], extend_start, extend_end)


def _chain(points, sections, *, curve=True, extend_start=True, extend_end=True) -> Street:
    """A street made of several named sections.

    ``sections`` gives, for each, ``(where, name, kind, oneway, number, bridge)``:
    ``where`` is ``None`` for the first one, else ``(axis, value)``: the section starts
    where the line first crosses ``u = value`` (axis 0) or ``v = value`` (axis 1).
    """
    coords = smooth(points) if curve else np.asarray(points, dtype=float)
    line = shapely.LineString(coords)
    out = []
    for where, name, kind, oneway, number, bridge in sections:
        if where is None:
            start = 0.0
        else:
            # Distance along the line where it first reaches that u (or v for N–S roads).
            axis, value = where
            idx = np.flatnonzero(np.diff(np.sign(coords[:, axis] - value)) != 0)
            i = int(idx[0]) if len(idx) else 0
            a, b = coords[i], coords[i + 1]
            t = (value - a[axis]) / (b[axis] - a[axis])
            start = float(shapely.line_locate_point(line, shapely.Point(a + t * (b - a))))
        out.append(Section(start, name, kind, oneway, number, bridge))
    return Street(coords, out, extend_start, extend_end, splits_m=[s.start_m for s in out[1:]])


# -- the plan of the streets -------------------------------------------------------------


def _centre_grid(rng: np.random.Generator) -> dict[tuple[int, int], np.ndarray]:
    """Intersections of the old centre, ``(column, row)`` → local point.

    Row 0 lies on the quay (29 m from the river's centreline), the others on the
    terrace; columns are slightly irregular, except the Rue du Pont, which lines up
    with the bridge.
    """
    cols = [-255.0, -160.0, -65.0, 45.0, 150.0, 250.0]
    nodes = {}
    for i, u in enumerate(cols):
        uu = u if u == 150.0 else u + float(rng.uniform(-6, 6))
        vr = float(plan.river_v(uu))
        rows = [vr + 88.0 + float(rng.uniform(-4, 4)), 268.0 + 0.03 * uu,
                352.0 + float(rng.uniform(-6, 6)), 432.0 + float(rng.uniform(-8, 8))]
        nodes[(i, 0)] = FRAME.point_at(FRAME.chainage_at_u(uu), 29.0)
        for j, v in enumerate(rows, start=1):
            nodes[(i, j)] = np.array([uu, v])
    return nodes


class _Plan:
    """Streets being laid out, by key, with a helper to land on an existing one."""

    def __init__(self) -> None:
        self.streets: list[Street] = []
        self.by_key: dict[str, Street] = {}

    def add(self, street: Street, key: str | None = None) -> Street:
        self.streets.append(street)
        self.by_key[key or street.sections[0].name] = street
        return street

    def on(self, key: str, point: tuple[float, float]) -> tuple[float, float]:
        """The point of street ``key`` nearest to ``point``."""
        line = self.by_key[key].line
        p = shapely.line_interpolate_point(line, shapely.line_locate_point(
            line, shapely.Point(point)))
        return tuple(shapely.get_coordinates(p)[0])


def plan_streets(rng: np.random.Generator) -> list[Street]:
    """Every street of the commune as a named polyline (local coordinates)."""
    g = _centre_grid(rng)
    b = _Plan()
    add, on = b.add, b.on

    # Departmental road D 12 along the valley, through the centre (Rue de la République).
    west = smooth([(-1215, 452), (-1000, 425), (-800, 388), (-620, 345), (-450, 305),
                   (-330, 275), tuple(g[(0, 2)])])
    east = smooth([tuple(g[(5, 2)]), (330, 262), (500, 246), (700, 236), (900, 226),
                   (1060, 212), (1215, 196)])
    centre = np.array([g[(i, 2)] for i in range(1, 5)])
    add(_chain(np.vstack([west, centre, east]), [
        (None, "Route de Montluçon", DEPARTMENTAL_OUT, "Double sens", "D 12", False),
        ((0, -980.0), "Avenue Jean Jaurès", DEPARTMENTAL, "Double sens", "D 12", False),
        ((0, g[(0, 2)][0]), "Rue de la République", CENTRE_MAIN, "Double sens", "D 12", False),
        ((0, g[(5, 2)][0]), "Avenue du Général de Gaulle", DEPARTMENTAL, "Double sens", "D 12",
         False),
        ((0, 990.0), "Route de Saint-Amand", DEPARTMENTAL_OUT, "Double sens", "D 12", False),
    ], curve=False, extend_start=False, extend_end=False), "D12")

    # The old centre: quay, streets and lanes between the river and the hills. The quay
    # passes exactly through the ends of the streets that reach it.
    quay_pts = FRAME.offset_line(-290.0, 290.0, 29.0, step_m=10.0)
    ends = np.array([g[(i, 0)] for i in range(6)])
    quay_pts = np.vstack([quay_pts, ends])
    quay_pts = quay_pts[np.argsort(quay_pts[:, 0], kind="stable")]
    keep = np.r_[True, np.hypot(*np.diff(quay_pts, axis=0).T) > 2.0]
    add(Street(quay_pts[keep], [Section(0.0, "Quai de la Rive", CENTRE)]))
    for j, name, sens in ((1, "Rue des Tanneurs", "Sens direct"),
                          (3, "Rue des Écoles", "Sens inverse"),
                          (4, "Rue du Château", "Double sens")):
        add(_street([tuple(g[(i, j)]) for i in range(6)], name, CENTRE, oneway=sens,
                    curve=False))
    names = ["Rue Gambetta", "Rue de l'Église", "Rue Victor Hugo", "Rue du Marché",
             "Rue du Pont", "Rue Pasteur"]
    for i, name in enumerate(names):
        # The small streets between the quay and the Rue de la République are one-way,
        # alternately up and down; the others are two-way.
        if i in (1, 2, 3):
            sens = "Sens direct" if i % 2 else "Sens inverse"
            add(_street([tuple(g[(i, j)]) for j in range(3)], name, LANE, oneway=sens,
                        curve=False, extend_start=False, extend_end=False), name + " (bas)")
            add(_street([tuple(g[(i, j)]) for j in range(2, 5)], name, CENTRE, curve=False,
                        extend_start=False, extend_end=False))
        else:
            add(_street([tuple(g[(i, j)]) for j in range(5)], name, CENTRE, curve=False,
                        extend_start=False, extend_end=False))
    # A stepped lane from the Rue des Écoles up to the church square.
    add(_street([tuple(0.5 * (g[(1, 3)] + g[(2, 3)])), tuple(0.5 * (g[(1, 4)] + g[(2, 4)]))],
                "Passage de la Poterne", STEPS, curve=False))

    # D 27 from the south hills, across the floodplain and the bridge, up the north hills.
    ring_c = np.array([151.0, -250.0])
    ang = np.linspace(0.0, 2 * np.pi, 25)
    ring = ring_c + 16.0 * np.column_stack([np.cos(ang), np.sin(ang)])
    ring[-1] = ring[0]
    add(Street(ring, [Section(0.0, "Rond-point des Varennes", ROUNDABOUT, "Sens direct",
                              "D 27")], False, False), "ring")
    bridge_s = FRAME.point_at(FRAME.chainage_at_u(150.0), -36.0)
    bridge_n = g[(4, 0)]
    add(_chain([(262, -1015), (236, -820), (196, -610), (160, -440), tuple(ring_c + [0, -16])],
               [(None, "Route de la Châtre", SECONDARY_OUT, "Double sens", "D 27", False),
                ((1, -560.0), "Avenue de la Gare", SECONDARY, "Double sens", "D 27", False)],
               extend_start=False), "D27 sud")
    add(_chain([tuple(ring_c + [0, 16]), (150, -100), tuple(bridge_s), tuple(bridge_n)], [
        (None, "Avenue de la Gare", SECONDARY, "Double sens", "D 27", False),
        ((1, float(bridge_s[1])), "Pont Saint-Aubin", SECONDARY, "Double sens", "D 27", True),
    ], curve=False, extend_end=False), "D27 pont")
    add(_chain([tuple(g[(4, 4)]), (175, 560), (228, 700), (258, 860), (282, 1015)], [
        (None, "Route de Culan", SECONDARY, "Double sens", "D 27", False),
        ((1, 800.0), "Route de Culan", SECONDARY_OUT, "Double sens", "D 27", False),
    ], extend_start=False, extend_end=False), "D27 nord")

    # North-west hills: "Les Coteaux".
    add(_street([on("D12", (-470, 296)), (-478, 420), (-455, 540), (-400, 640), (-300, 700),
                 (-180, 705), (-60, 660), (60, 600), on("D27 nord", (175, 560))],
                "Rue des Coteaux", RESIDENTIAL))
    add(_street([on("Rue des Coteaux", (-463, 480)), (-560, 500), (-650, 540), (-760, 560)],
                "Rue des Lilas", RESIDENTIAL, extend_end=False))
    add(_street([on("Rue des Coteaux", (-430, 610)), (-560, 650), (-660, 700)],
                "Impasse des Tilleuls", CUL_DE_SAC, extend_end=False))
    add(_street([on("Rue des Coteaux", (-250, 702)), (-240, 800), (-300, 860)],
                "Impasse des Mésanges", CUL_DE_SAC, extend_end=False))
    add(_street([on("Rue des Coteaux", (-478, 400)), (-360, 410), (-260, 470), (-160, 560),
                 on("Rue des Coteaux", (-60, 660))], "Allée des Acacias", RESIDENTIAL))
    add(_street([on("Allée des Acacias", (-360, 410)), on("D12", (-345, 285))],
                "Rue du Moulin", RESIDENTIAL, curve=False))
    add(_street([on("Allée des Acacias", (-160, 560)), (-60, 520), (10, 480),
                 tuple(g[(3, 4)] + np.array([0.0, 20.0]))], "Rue Jules Ferry", RESIDENTIAL))
    add(_street([on("Allée des Acacias", (-258, 470)), on("Rue du Château", (-255, 435))],
                "Allée du Collège", RESIDENTIAL, curve=False))
    add(_street([on("D12", (-800, 388)), (-850, 480), (-880, 560)], "Chemin de la Fontaine",
                RESIDENTIAL, extend_end=False))
    add(_street([on("Chemin de la Fontaine", (-848, 468)), (-850, 512)], "Chemin de la Ferme",
                TRACK, curve=False, extend_end=False))
    add(_street([on("Rue des Lilas", (-650, 540)), (-720, 640), (-760, 760), (-720, 900)],
                "Chemin des Vignes", TRACK, extend_end=False))

    # North-east hills: "Les Vignes".
    add(_street([tuple(g[(5, 4)]), (330, 440), (420, 420), (520, 380), (600, 330),
                 on("D12", (640, 240))], "Rue des Vignes", RESIDENTIAL, extend_start=False))
    add(_street([on("Rue des Vignes", (420, 420)), (470, 520), (560, 580), (680, 560),
                 (780, 480), (820, 380), on("D12", (860, 228))], "Rue du Coteau Fleuri",
                RESIDENTIAL))
    add(_street([on("Rue du Coteau Fleuri", (560, 580)), (600, 680), (560, 780)],
                "Impasse des Rossignols", CUL_DE_SAC, extend_end=False))
    add(_street([on("Rue des Vignes", (520, 380)), (640, 430),
                 on("Rue du Coteau Fleuri", (780, 480))], "Allée des Chênes", RESIDENTIAL))
    add(_street([on("D27 nord", (230, 700)), (330, 660), on("Rue du Coteau Fleuri",
                                                               (470, 520))],
                "Chemin de la Croix", RESIDENTIAL))
    add(_street([on("D12", (400, 242)), (410, 320), on("Rue des Vignes", (340, 438))],
                "Rue des Jardins", RESIDENTIAL))

    # East bank, by the river, and the transfer station.
    add(_street([on("D12", (330, 262)), (330, 170), (430, 130), (560, 106), (700, 78)],
                "Rue de la Prairie", RESIDENTIAL, extend_end=False))
    add(_street([on("D12", (1000, 218)), (1010, 300), (990, 360)],
                "Chemin de la Déchetterie", ACTIVITY, extend_end=False))

    # South floodplain: the activity zone (ZA des Varennes) and the low district Les Prés.
    add(_street([tuple(ring_c + [-16.0, 0.0]), (40, -252), (-150, -262), (-350, -275),
                 (-560, -280), (-760, -300)], "Rue de l'Industrie", ACTIVITY, extend_end=False))
    add(_street([on("Rue de l'Industrie", (-350, -275)), (-360, -150), (-420, -110),
                 (-560, -120), (-700, -150)], "Rue des Artisans", ACTIVITY, extend_end=False))
    add(_street([on("Rue des Artisans", (-700, -150)), (-800, -175), (-900, -165),
                 (-925, -200)], "Chemin des Varennes", TRACK, extend_start=False,
                extend_end=False))
    add(_street([on("Rue de l'Industrie", (-560, -280)), (-570, -380), (-600, -460)],
                "Rue Gustave Eiffel", ACTIVITY, extend_end=False))
    add(_street([on("Rue de l'Industrie", (-150, -262)), (-150, -130), (-120, -60), (0, -40),
                 on("D27 pont", (150, -40))], "Rue des Prés", RESIDENTIAL))
    add(_street([on("Rue de l'Industrie", (40, -252)), (40, -120), on("Rue des Prés",
                                                                       (0, -40))],
                "Rue de la Gare", RESIDENTIAL))
    add(_street([on("Rue des Prés", (-150, -130)), (-280, -140)], "Impasse des Saules",
                CUL_DE_SAC, extend_end=False))
    add(_street([on("Rue de la Gare", (40, -160)), on("D27 pont", (150, -160))],
                "Rue Jean Moulin", RESIDENTIAL, curve=False))
    add(_street([on("Rue de l'Industrie", (-150, -262)), (-170, -370), (-120, -440)],
                "Rue de la Varenne", RESIDENTIAL, extend_end=False))
    add(_street([on("Rue de l'Industrie", (40, -252)), (60, -380), on("D27 sud", (160, -420))],
                "Allée des Peupliers", RESIDENTIAL))

    # South-east: the district behind the levee ("La Prairie basse"), over the levee.
    add(_street([tuple(ring_c + [16.0, 0.0]), (300, -246), (460, -210), (620, -180),
                 (780, -150), (880, -160)], "Rue de la Digue", RESIDENTIAL, extend_end=False))
    add(_street([on("Rue de la Digue", (620, -180)), (610, -80), (600, -40)],
                "Rue des Tilleuls", RESIDENTIAL, extend_end=False))
    add(_street([on("Rue de la Digue", (460, -210)), (520, -100), (700, -90),
                 on("Rue de la Digue", (780, -150))], "Rue des Marais", RESIDENTIAL))
    add(_street([on("Rue de la Digue", (800, -154)), (820, -260), (860, -360), (900, -480)],
                "Chemin de la Côte", RESIDENTIAL, extend_end=False))
    add(_street([on("Rue de la Digue", (300, -246)), (320, -330), (360, -420)],
                "Allée du Stade", RESIDENTIAL, extend_end=False))

    # South hills: "Les Hauts de Rive".
    add(_street([on("D27 sud", (196, -610)), (60, -560), (-80, -540), (-220, -560),
                 (-360, -600), (-470, -650)], "Rue des Hauts de Rive", RESIDENTIAL,
                extend_end=False))
    add(_street([on("Rue des Hauts de Rive", (-80, -540)), (-60, -660), (-120, -760)],
                "Impasse des Bleuets", CUL_DE_SAC, extend_end=False))
    add(_street([on("Rue des Hauts de Rive", (-360, -600)), (-330, -700), (-250, -760),
                 (-130, -780)], "Rue des Genêts", RESIDENTIAL, extend_end=False))
    add(_street([on("D27 sud", (196, -612)), (320, -590), (450, -560), (560, -520),
                 (680, -470), on("Chemin de la Côte", (900, -480))], "Rue du Belvédère",
                RESIDENTIAL))
    add(_street([on("Rue du Belvédère", (450, -560)), (470, -680), (420, -780)],
                "Impasse des Églantiers", CUL_DE_SAC, extend_end=False))
    add(_street([on("Rue du Belvédère", (680, -470)), (720, -600), (700, -700)],
                "Impasse des Cerisiers", CUL_DE_SAC, extend_end=False))
    add(_street([on("Rue des Hauts de Rive", (-220, -560)), (-200, -470), (-150, -420),
                 on("Rue de la Varenne", (-120, -440))], "Rue du Lavoir", RESIDENTIAL))
    add(_street([on("Rue des Hauts de Rive", (-470, -650)), (-600, -600), (-700, -520),
                 on("Rue Gustave Eiffel", (-600, -460))], "Chemin des Carrières", TRACK))

    # Paths: the towpath along the north bank, a path in the riverside park, a cycle track.
    tow = FRAME.offset_line(-1000.0, -292.0, 26.0, step_m=10.0)
    add(Street(tow, [Section(0.0, "Chemin de halage", FOOTPATH)], extend_start=False))
    add(_street([on("D12", (-620, 345)), (-600, 250)], "Sentier du Parc", FOOTPATH,
                curve=False, extend_end=False))
    river_e = FRAME.offset_line(292.0, 420.0, 26.0, step_m=10.0)
    add(Street(river_e, [Section(0.0, "Promenade de la Rive", CYCLE)], extend_end=False))
    add(_street([on("Rue des Genêts", (-130, -780)), (-40, -860), (60, -950)],
                "Sentier des Crêtes", FOOTPATH, extend_end=False))
    return b.streets


# -- noding ------------------------------------------------------------------------------


def _extend(coords: np.ndarray, start: bool, end: bool) -> np.ndarray:
    out = coords.copy()
    if start:
        d = out[0] - out[1]
        out = np.vstack([out[0] + OVERSHOOT_M * d / np.hypot(*d), out])
    if end:
        d = out[-1] - out[-2]
        out = np.vstack([out, out[-1] + OVERSHOOT_M * d / np.hypot(*d)])
    return out


def _cut(line: shapely.LineString, points: list[np.ndarray]) -> list[np.ndarray]:
    """Cut a line at points on it; the pieces end exactly on those points."""
    coords = shapely.get_coordinates(line)
    seg = np.hypot(*np.diff(coords, axis=0).T)
    cum = np.r_[0.0, np.cumsum(seg)]
    pos = shapely.line_locate_point(line, shapely.points(np.asarray(points)))
    order = np.argsort(pos)
    cuts = [(float(pos[k]), np.asarray(points[k])) for k in order]
    pieces = []
    prev_d, prev_p = 0.0, coords[0]
    for d, p in cuts + [(float(cum[-1]), coords[-1])]:
        if d - prev_d < 1e-6:
            # A cut at the very start: the start becomes the cut point itself.
            if not pieces and d < 1e-6:
                prev_p = p
            continue
        inner = coords[(cum > prev_d + 1e-6) & (cum < d - 1e-6)]
        pieces.append(np.vstack([prev_p, inner, p]))
        prev_d, prev_p = d, p
    if cuts and cum[-1] - cuts[-1][0] < 1e-6 and pieces:
        pieces[-1][-1] = cuts[-1][1]
    return pieces


def node_streets(streets: list[Street]) -> tuple[list[np.ndarray], list[Section]]:
    """Cut every street where it meets another (BD TOPO tronçons).

    Returns the pieces (local coordinates, rounded to the centimetre) and the section
    each comes from. Pieces that meet share exactly the same end vertex.
    """
    lines = [shapely.LineString(np.round(_extend(s.coords, s.extend_start, s.extend_end), 2))
             for s in streets]
    tree = shapely.STRtree(lines)
    left, right = tree.query(lines, predicate="intersects")
    cuts: dict[int, list[np.ndarray]] = defaultdict(list)
    registry: dict[tuple[int, int], np.ndarray] = {}

    def canonical(p: np.ndarray) -> np.ndarray:
        key = (int(round(p[0] * 10)), int(round(p[1] * 10)))
        for dk in ((0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)):
            hit = registry.get((key[0] + dk[0], key[1] + dk[1]))
            if hit is not None:
                return hit
        registry[key] = np.round(p, 2)
        return registry[key]

    for i, j in zip(left, right):
        if i >= j:
            continue
        inter = shapely.intersection(lines[i], lines[j])
        for part in shapely.get_parts(inter):
            if shapely.get_type_id(part) != 0:
                raise ValueError(f"streets {i} and {j} overlap")
            p = canonical(shapely.get_coordinates(part)[0])
            cuts[i].append(p)
            cuts[j].append(p)
    # Section changes (name, bridge) are cuts too.
    for i, s in enumerate(streets):
        for d in s.splits_m:
            p = shapely.get_coordinates(shapely.line_interpolate_point(shapely.LineString(
                s.coords), d))[0]
            cuts[i].append(canonical(p))

    pieces: list[np.ndarray] = []
    owner: list[tuple[int, float]] = []
    for i, line in enumerate(lines):
        parts = _cut(line, cuts.get(i, [])) if i in cuts else [shapely.get_coordinates(line)]
        base = streets[i]
        offset = OVERSHOOT_M if base.extend_start else 0.0
        along = 0.0
        for part in parts:
            length = float(np.hypot(*np.diff(part, axis=0).T).sum())
            pieces.append(part)
            owner.append((i, along + 0.5 * length - offset))
            along += length

    # Remove the dangling stubs left by overshoots.
    ends = np.array([np.r_[p[0], p[-1]] for p in pieces])
    keys = np.round(np.vstack([ends[:, :2], ends[:, 2:]]) * 100).astype(np.int64)
    _, inv, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    inv = inv.ravel()
    n = len(pieces)
    start_free = counts[inv[:n]] == 1
    end_free = counts[inv[n:]] == 1
    length = np.array([np.hypot(*np.diff(p, axis=0).T).sum() for p in pieces])
    stub = (length < STUB_M) & (start_free | end_free)

    out_pieces, out_sections = [], []
    for k in np.flatnonzero(~stub):
        i, mid = owner[k]
        secs = streets[i].sections
        starts = np.array([s.start_m for s in secs])
        sec = secs[int(np.clip(np.searchsorted(starts, mid, side="right") - 1, 0, None))]
        out_pieces.append(pieces[k])
        out_sections.append(sec)
    return out_pieces, out_sections


def troncons(pieces: list[np.ndarray], sections: list[Section]) -> gpd.GeoDataFrame:
    """The BD TOPO ``troncon_de_route`` layer from noded pieces (Lambert-93)."""
    n = len(pieces)
    geoms = np.array([shapely.LineString(plan.to_map(p)) for p in pieces], dtype=object)
    kinds = [s.kind for s in sections]
    lanes = np.array([k.lanes if s.oneway == "Double sens" or k.lanes == 0 else 1
                      for k, s in zip(kinds, sections)], dtype=float)
    width = np.array([k.width_m if s.oneway == "Double sens" else min(k.width_m, 3.5)
                      for k, s in zip(kinds, sections)])
    sens = np.array([s.oneway if k.lanes > 0 else "Sans objet"
                     for k, s in zip(kinds, sections)], dtype=object)
    frame = gpd.GeoDataFrame({
        "cleabs": [f"TRONROUT{i + 1:016d}" for i in range(n)],
        "nature": [k.nature for k in kinds],
        "nom_1_gauche": [s.name for s in sections],
        "nom_1_droite": [s.name for s in sections],
        "importance": [k.importance for k in kinds],
        "cpx_numero": [s.number for s in sections],
        "position_par_rapport_au_sol": ["1" if s.bridge else "0" for s in sections],
        "etat_de_l_objet": ["En service"] * n,
        "nombre_de_voies": np.where(lanes > 0, lanes, np.nan),
        "largeur_de_chaussee": width,
        "sens_de_circulation": sens,
        "vitesse_moyenne_vl": np.array([float(k.speed_kmh) if k.speed_kmh else np.nan
                                        for k in kinds]),
        "acces_vehicule_leger": [k.access for k in kinds],
    }, geometry=geoms, crs=plan.CRS)
    frame["nombre_de_voies"] = frame["nombre_de_voies"].astype("Int64")
    frame["vitesse_moyenne_vl"] = frame["vitesse_moyenne_vl"].astype("Int64")
    return frame


def road_layer(rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, list[Section]]:
    """The noded street network of the commune and each piece's section."""
    pieces, sections = node_streets(plan_streets(rng))
    return troncons(pieces, sections), sections
