"""The demo commune's buildings, with BD TOPO ``batiment`` attributes.

Footprints are laid along the streets: terraced houses sharing their side walls along
the old-centre streets, detached houses (some L-shaped) with a garage or a garden shed
along the suburban streets, large sheds in the activity zone, a few blocks of flats, and
the public buildings of :data:`FACILITIES`. Candidates that overlap a street, the river,
the levee, a park or a building placed before them are dropped, in order of priority
(the greedy choice, computed with vectorised passes). Attributes are seeded; like real
BD TOPO data, some heights, storeys and dwelling counts are missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from jumeau.demo import plan
from jumeau.demo.plan import FRAME
from jumeau.demo.streets import Section


@dataclass(frozen=True)
class Facility:
    """A public building and the BD TOPO zone of interest around it.

    Attributes
    ----------
    key
        Short identifier.
    centre_uv
        Centre of the building (local coordinates).
    size_m
        Width and depth of the main building (m).
    angle_deg
        Orientation of its long side (degrees from east).
    levels
        Storeys.
    nature, usage
        BD TOPO ``nature`` and ``usage_1`` of the building.
    categorie, zone_nature, nature_detaillee, toponyme
        BD TOPO attributes of the ``zone_d_activite_ou_d_interet`` polygon.
    zone_margin_m
        How far the zone polygon extends around the building (its grounds).
    dwellings, residents
        Dwellings and residents (only the nursing home has residents).
    """

    key: str
    centre_uv: tuple[float, float]
    size_m: tuple[float, float]
    angle_deg: float
    levels: int
    nature: str
    usage: str
    categorie: str
    zone_nature: str
    nature_detaillee: str | None
    toponyme: str
    zone_margin_m: float = 12.0
    dwellings: int = 0
    residents: int = 0


FACILITIES = (
    Facility("mairie", (-8.0, 292.0), (26.0, 14.0), 1.5, 3, "Indifférenciée",
             "Commercial et services", "Administratif ou militaire", "Mairie", None,
             "Mairie de Saint-Aubin-sur-Rive", 10.0),
    Facility("eglise", (-112.0, 398.0), (34.0, 13.0), 2.0, 1, "Eglise", "Religieux",
             "Religieux", "Culte chrétien", None, "Église Saint-Aubin", 8.0),
    Facility("ecole_centre", (198.0, 394.0), (30.0, 12.0), 1.0, 2, "Indifférenciée",
             "Commercial et services", "Science et enseignement", "Enseignement primaire",
             "Ecole élémentaire", "École élémentaire Pasteur", 14.0),
    Facility("ecole_pres", (-75.0, -190.0), (32.0, 12.0), 0.0, 1, "Indifférenciée",
             "Commercial et services", "Science et enseignement", "Enseignement primaire",
             "Ecole primaire", "École primaire des Prés", 18.0),
    Facility("college", (-175.0, 625.0), (48.0, 14.0), 35.0, 2, "Indifférenciée",
             "Commercial et services", "Science et enseignement",
             "Enseignement secondaire", "Collège", "Collège Jean Moulin", 22.0),
    Facility("ehpad", (660.0, -140.0), (40.0, 14.0), -5.0, 2, "Indifférenciée",
             "Résidentiel", "Santé", "Maison de retraite", None, "EHPAD Les Tilleuls", 16.0,
             dwellings=68, residents=72),
    Facility("pompiers", (270.0, 610.0), (28.0, 16.0), 70.0, 1, "Industriel, agricole ou "
             "commercial", "Commercial et services", "Administratif ou militaire",
             "Caserne de pompiers", None, "Centre d'incendie et de secours de Saint-Aubin",
             14.0),
    Facility("gymnase", (375.0, -320.0), (44.0, 28.0), 80.0, 1, "Industriel, agricole ou "
             "commercial", "Sportif", "Sport", "Complexe sportif couvert", "Gymnase",
             "Gymnase municipal Marcel Cerdan", 12.0),
    Facility("depot", (-650.0, -410.0), (42.0, 22.0), 5.0, 1, "Industriel, agricole ou "
             "commercial", "Industriel", "Industriel et commercial", "Divers industriel",
             None, "Centre technique municipal – dépôt de collecte", 22.0),
    Facility("transfert", (1050.0, 320.0), (36.0, 20.0), 80.0, 1, "Industriel, agricole "
             "ou commercial", "Industriel", "Industriel et commercial", "Usine", None,
             "Quai de transfert des déchets", 20.0),
)

#: Residential zones and what their households look like.
ZONES = ("centre", "suburb", "low", "levee", "activity", "rural")


@dataclass
class Candidates:
    """Footprints proposed for the commune, with what the generator knows of each."""

    geometry: list[np.ndarray]
    kind: list[np.ndarray]
    zone: list[np.ndarray]
    street: list[np.ndarray]

    @classmethod
    def empty(cls) -> Candidates:
        return cls([], [], [], [])

    def add(self, geoms: np.ndarray, kind: str, zone: str | np.ndarray,
            street: str | np.ndarray = "") -> None:
        """Append footprints of one kind, with their zone(s) and street name(s)."""
        n = len(geoms)
        self.geometry.append(np.asarray(geoms, dtype=object))
        self.kind.append(np.full(n, kind, dtype=object))
        self.zone.append(np.broadcast_to(np.asarray(zone, dtype=object), (n,)).copy())
        self.street.append(np.broadcast_to(np.asarray(street, dtype=object), (n,)).copy())

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        cat = (lambda xs: np.concatenate(xs) if xs else np.zeros(0, dtype=object))
        return cat(self.geometry), cat(self.kind), cat(self.zone), cat(self.street)


def rectangle(centre: np.ndarray, along: np.ndarray, width: np.ndarray,
              depth: np.ndarray) -> np.ndarray:
    """Rectangles centred on ``centre`` with their width along unit vectors ``along``."""
    centre = np.atleast_2d(centre)
    along = np.atleast_2d(along)
    normal = np.column_stack([-along[:, 1], along[:, 0]])
    hw = (np.asarray(width) / 2)[:, None]
    hd = (np.asarray(depth) / 2)[:, None]
    corners = np.stack([centre - along * hw - normal * hd, centre + along * hw - normal * hd,
                        centre + along * hw + normal * hd, centre - along * hw + normal * hd,
                        centre - along * hw - normal * hd], axis=1)
    return shapely.polygons(np.round(plan.to_map(corners.reshape(-1, 2)), 2).reshape(
        corners.shape))


def _walk(coords: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points and unit tangents at distances ``at`` along a polyline."""
    seg = np.diff(coords, axis=0)
    seg_len = np.hypot(*seg.T)
    cum = np.r_[0.0, np.cumsum(seg_len)]
    i = np.clip(np.searchsorted(cum, at, side="right") - 1, 0, len(seg) - 1)
    t = ((at - cum[i]) / np.maximum(seg_len[i], 1e-9))[:, None]
    pts = coords[i] + t * seg[i]
    tangent = seg[i] / np.maximum(seg_len[i], 1e-9)[:, None]
    return pts, tangent


def frontage(coords: np.ndarray, side: float, rng: np.random.Generator, *, setback_m: float,
             width_m: tuple[float, float], gap_m: tuple[float, float],
             depth_m: tuple[float, float], end_pad_m: float) -> tuple[np.ndarray, np.ndarray,
                                                                      np.ndarray]:
    """Lots along one side of a street polyline (local coordinates).

    Returns, for each lot, the four corners of its footprint ``(k, 4, 2)``, its width and
    its depth. With ``gap_m == (0, 0)`` consecutive lots share their side walls exactly.
    """
    length = float(np.hypot(*np.diff(coords, axis=0).T).sum())
    usable = length - 2 * end_pad_m
    if usable < width_m[0]:
        return np.zeros((0, 4, 2)), np.zeros(0), np.zeros(0)
    n_max = int(usable / (width_m[0] + gap_m[0])) + 2
    widths = rng.uniform(*width_m, n_max)
    gaps = rng.uniform(*gap_m, n_max)
    depths = rng.uniform(*depth_m, n_max)
    starts = end_pad_m + np.r_[0.0, np.cumsum(widths + gaps)[:-1]]
    ok = starts + widths <= end_pad_m + usable
    starts, widths, depths = starts[ok], widths[ok], depths[ok]
    if len(starts) == 0:
        return np.zeros((0, 4, 2)), np.zeros(0), np.zeros(0)
    ends = starts + widths
    mid_pts, mid_t = _walk(coords, starts + widths / 2)
    normal = side * np.column_stack([-mid_t[:, 1], mid_t[:, 0]])
    if gap_m[1] == 0:
        # Terraced: corners taken on the street line itself, so walls coincide.
        p0, _ = _walk(coords, starts)
        p1, _ = _walk(coords, ends)
    else:
        p0 = mid_pts - mid_t * (widths / 2)[:, None]
        p1 = mid_pts + mid_t * (widths / 2)[:, None]
    front0 = p0 + normal * setback_m
    front1 = p1 + normal * setback_m
    back0 = front0 + normal * depths[:, None]
    back1 = front1 + normal * depths[:, None]
    corners = np.stack([front0, front1, back1, back0], axis=1)
    return corners, widths, depths


def polygons_from_corners(corners: np.ndarray) -> np.ndarray:
    """Closed polygons (Lambert-93, centimetre coordinates) from ``(k, 4, 2)`` corners."""
    ring = np.concatenate([corners, corners[:, :1]], axis=1)
    xy = np.round(plan.to_map(ring.reshape(-1, 2)), 2).reshape(ring.shape)
    return shapely.polygons(xy)


def _l_shapes(corners: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Footprints, with a wing added at the back of some houses (L-shapes)."""
    base = polygons_from_corners(corners)
    wing = rng.random(len(corners)) < 0.35
    if not wing.any():
        return base
    c = corners[wing]
    front0, back1, back0 = c[:, 0], c[:, 2], c[:, 3]
    frac = rng.uniform(0.35, 0.5, len(c))[:, None]
    extra = rng.uniform(3.0, 5.0, len(c))[:, None]
    left = rng.random(len(c)) < 0.5
    depth_dir = (back0 - front0) / np.hypot(*(back0 - front0).T)[:, None]
    a0 = np.where(left[:, None], back0, back1 + (back0 - back1) * frac)
    a1 = np.where(left[:, None], back0 + (back1 - back0) * frac, back1)
    wing_corners = np.stack([a0, a1, a1 + depth_dir * extra, a0 + depth_dir * extra], axis=1)
    # Overlap the wing 1 cm into the house so that the union is one polygon.
    wing_corners[:, :2] -= depth_dir[:, None, :] * 0.01
    out = base.copy()
    merged = shapely.union(base[wing], polygons_from_corners(wing_corners))
    out[wing] = shapely.normalize(shapely.simplify(merged, 0.01))
    return out


def facility_footprints() -> np.ndarray:
    """The main building of every facility (Lambert-93)."""
    centre = np.array([f.centre_uv for f in FACILITIES])
    ang = np.radians([f.angle_deg for f in FACILITIES])
    along = np.column_stack([np.cos(ang), np.sin(ang)])
    size = np.array([f.size_m for f in FACILITIES])
    return rectangle(centre, along, size[:, 0], size[:, 1])


def _apartment_blocks() -> np.ndarray:
    """A few blocks of flats (1960s–1990s), from centre, size and angle (Lambert-93)."""
    spec = [((520.0, 195.0), (46.0, 12.0), -3.0, "Résidence du Parc"),
            ((640.0, 190.0), (40.0, 12.0), -3.0, "Résidence du Parc"),
            ((455.0, 160.0), (36.0, 11.0), -15.0, "Résidence les Peupliers"),
            ((-275.0, -200.0), (38.0, 12.0), 90.0, "Résidence les Saules"),
            ((-440.0, 360.0), (30.0, 12.0), 12.0, "Résidence du Moulin"),
            ((90.0, 470.0), (34.0, 12.0), 25.0, "Résidence Jules Ferry")]
    centre = np.array([s[0] for s in spec])
    size = np.array([s[1] for s in spec])
    ang = np.radians([s[2] for s in spec])
    along = np.column_stack([np.cos(ang), np.sin(ang)])
    return rectangle(centre, along, size[:, 0], size[:, 1])


#: Farmsteads: centre (local), orientation (degrees) and name.
FARMS = (((-800.0, 515.0), 15.0, "Ferme de la Fontaine"),
         ((560.0, -650.0), -20.0, "Ferme du Belvédère"),
         ((-955.0, -170.0), 5.0, "Ferme des Varennes"))


def _farmsteads() -> tuple[np.ndarray, np.ndarray]:
    """Farmhouses, barns, sheds and a greenhouse around a yard (Lambert-93), and kinds."""
    # Each farm: (offset along, offset across, width, depth, kind) in the farm's frame.
    layout = ((0.0, 18.0, 15.0, 10.0, "farmhouse"), (-8.0, -16.0, 32.0, 16.0, "barn"),
              (24.0, -2.0, 12.0, 22.0, "barn"), (-30.0, 10.0, 10.0, 7.0, "garage"))
    centres, alongs, widths, depths, kinds = [], [], [], [], []
    for k, ((u, v), angle, _) in enumerate(FARMS):
        a = np.radians(angle)
        along = np.array([np.cos(a), np.sin(a)])
        across = np.array([-along[1], along[0]])
        parts = layout + (((-2.0, 42.0, 26.0, 8.0, "greenhouse"),) if k == 1 else ())
        for da, dc, w, d, kind in parts:
            centres.append(np.array([u, v]) + da * along + dc * across)
            alongs.append(along)
            widths.append(w)
            depths.append(d)
            kinds.append(kind)
    geoms = rectangle(np.array(centres), np.array(alongs), np.array(widths), np.array(depths))
    return geoms, np.array(kinds, dtype=object)


def zone_of(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Residential zone of local points (see :data:`ZONES`)."""
    offset, _ = FRAME.river_coordinates(u, v)
    protected = shapely.contains_xy(plan.protected_area_uv(), u, v)
    centre = (u > -300) & (u < 300) & (offset > 0) & (v < 460)
    low = (offset < 0) & ~protected & (u < 300) & (v > -430)
    activity = (u < -330) & (u > -800) & (v < -60) & (v > -470)
    zone = np.full(u.shape, "suburb", dtype=object)
    zone[low] = "low"
    zone[activity] = "activity"
    zone[protected] = "levee"
    zone[centre] = "centre"
    return zone


def candidates(pieces: list[np.ndarray], sections: list[Section],
               rng: np.random.Generator) -> Candidates:
    """All proposed footprints, in order of priority."""
    cand = Candidates.empty()
    cand.add(facility_footprints(), "facility", "public")
    blocks = _apartment_blocks()
    bu, bv = plan.to_local(shapely.get_coordinates(shapely.centroid(blocks))).T
    cand.add(blocks, "flats", zone_of(bu, bv))
    farms, farm_kinds = _farmsteads()
    for kind in ("farmhouse", "barn", "garage", "greenhouse"):
        cand.add(farms[farm_kinds == kind], kind, "suburb")

    frontages = {
        "centre": dict(setback=1.5, width=(5.5, 10.0), gap=(0.0, 0.0), depth=(9.0, 14.0),
                       pad=7.0),
        "suburb": dict(setback=6.0, width=(9.0, 13.0), gap=(15.0, 26.0), depth=(8.0, 11.0),
                       pad=9.0),
        "activity": dict(setback=12.0, width=(28.0, 60.0), gap=(12.0, 25.0),
                         depth=(22.0, 40.0), pad=15.0),
    }
    houses_corners, houses_street = [], []
    for coords, sec in zip(pieces, sections):
        mode = sec.kind.frontage
        if mode == "none" or sec.bridge:
            continue
        f = frontages[mode]
        for side in (1.0, -1.0):
            corners, _, _ = frontage(
                coords, side, rng, setback_m=sec.kind.width_m / 2 + f["setback"],
                width_m=f["width"], gap_m=f["gap"], depth_m=f["depth"], end_pad_m=f["pad"])
            if not len(corners):
                continue
            if mode == "centre":
                cand.add(polygons_from_corners(corners), "terraced", "centre", sec.name)
            elif mode == "activity":
                cand.add(polygons_from_corners(corners), "shed", "activity", sec.name)
            else:
                houses_corners.append(corners)
                houses_street.append(np.full(len(corners), sec.name, dtype=object))
    corners = np.concatenate(houses_corners)
    house_street = np.concatenate(houses_street)
    houses = _l_shapes(corners, rng)
    hu, hv = plan.to_local(shapely.get_coordinates(shapely.centroid(houses))).T
    cand.add(houses, "house", zone_of(hu, hv), house_street)

    # Garages beside some houses, garden sheds behind others.
    front0, front1, _back1, back0 = (corners[:, k] for k in range(4))
    along = (front1 - front0) / np.hypot(*(front1 - front0).T)[:, None]
    inward = (back0 - front0) / np.hypot(*(back0 - front0).T)[:, None]
    garage = rng.random(len(corners)) < 0.45
    g0 = front1 + along * 0.6
    g_corners = np.stack([g0, g0 + along * 3.6, g0 + along * 3.6 + inward * 6.0,
                          g0 + inward * 6.0], axis=1)[garage]
    cand.add(polygons_from_corners(g_corners), "garage", "suburb")
    shed = rng.random(len(corners)) < 0.3
    s0 = back0 + inward * rng.uniform(6.0, 12.0, len(corners))[:, None] + along * 2.0
    s_corners = np.stack([s0, s0 + along * 3.0, s0 + along * 3.0 + inward * 2.5,
                          s0 + inward * 2.5], axis=1)[shed]
    cand.add(polygons_from_corners(s_corners), "shed_garden", "suburb")

    # Workshops and stores behind some terraced houses, in the courtyards.
    geoms, kinds, _, _ = cand.arrays()
    terr = geoms[kinds == "terraced"]
    pick = rng.random(len(terr)) < 0.35
    if pick.any():
        rect = shapely.oriented_envelope(terr[pick])
        c = shapely.get_coordinates(rect).reshape(-1, 5, 2)[:, :4]
        c = plan.to_local(c.reshape(-1, 2)).reshape(-1, 4, 2)
        centre = c.mean(axis=1)
        e0 = c[:, 1] - c[:, 0]
        along = e0 / np.hypot(*e0.T)[:, None]
        normal = np.column_stack([-along[:, 1], along[:, 0]])
        half_depth = np.abs(np.einsum("ij,ij->i", c[:, 2] - c[:, 1], normal))[:, None] / 2
        # An annex on either side: the one that lands on the street is dropped later.
        side = np.where(rng.random(len(c)) < 0.5, 1.0, -1.0)[:, None]
        w = rng.uniform(3.5, 6.0, len(c))
        d = rng.uniform(3.0, 5.0, len(c))
        ann_centre = centre + side * normal * (half_depth + d[:, None] / 2 + 0.01)
        cand.add(rectangle(ann_centre, along, w, d), "courtyard", "centre")
    return cand


def _conflicts(geoms: np.ndarray, obstacles: np.ndarray) -> np.ndarray:
    """Bool per geometry: overlaps one of ``obstacles`` (by more than 0.5 m²)."""
    tree = shapely.STRtree(obstacles)
    i, j = tree.query(geoms, predicate="intersects")
    area = shapely.area(shapely.intersection(geoms[i], obstacles[j]))
    bad = np.zeros(len(geoms), dtype=bool)
    bad[i[area > 0.5]] = True
    return bad


def greedy_select(geoms: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """Keep candidates in order, each only if it overlaps no kept earlier one.

    Equivalent to a loop over candidates; computed with vectorised passes that settle
    the choices one rank of dependencies at a time.
    """
    tree = shapely.STRtree(geoms)
    i, j = tree.query(geoms, predicate="intersects")
    earlier = j < i
    i, j = i[earlier], j[earlier]
    area = shapely.area(shapely.intersection(geoms[i], geoms[j]))
    overlap = area > 0.5
    i, j = i[overlap], j[overlap]
    n = len(geoms)
    kept = allowed.copy()
    decided = ~allowed
    for _ in range(n + 1):
        # A candidate is decided when all its earlier rivals are decided.
        undecided_rival = np.zeros(n, dtype=bool)
        np.logical_or.at(undecided_rival, i, ~decided[j])
        blocked = np.zeros(n, dtype=bool)
        np.logical_or.at(blocked, i, decided[j] & kept[j])
        ready = ~decided & ~undecided_rival
        kept = np.where(ready, ~blocked, kept)
        decided |= ready
        if decided.all():
            break
    return kept & allowed


def place(pieces: list[np.ndarray], sections: list[Section], boundary_uv: shapely.Polygon,
          no_build: np.ndarray, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Choose the footprints: inside the commune, off streets, water, levee and parks.

    Returns a frame with the footprint (Lambert-93), its kind, zone and street.
    """
    cand = candidates(pieces, sections, rng)
    geoms, kinds, zones, street = cand.arrays()
    inside = shapely.contains(shapely.Polygon(plan.to_map(shapely.get_coordinates(
        boundary_uv.exterior))), geoms)
    is_facility = kinds == "facility"
    allowed = inside & (~_conflicts(geoms, no_build) | is_facility)
    widths = np.array([s.kind.width_m for s in sections])
    roads = shapely.buffer(np.array([shapely.LineString(plan.to_map(p)) for p in pieces],
                                    dtype=object), widths / 2 + 0.8, cap_style="flat")
    allowed &= ~_conflicts(geoms, roads) | is_facility
    kept = greedy_select(geoms, allowed)
    return gpd.GeoDataFrame({"kind": kinds[kept], "zone": zones[kept], "street": street[kept]},
                            geometry=geoms[kept], crs=plan.CRS)


#: Household size distribution (1 to 5 persons) by zone; the mean over the commune is
#: about 2.19 persons per household, as in small French towns.
HOUSEHOLD_SIZE_P = {
    "centre": (0.42, 0.33, 0.12, 0.09, 0.04),
    "flats": (0.38, 0.32, 0.14, 0.11, 0.05),
    "suburb": (0.18, 0.38, 0.18, 0.18, 0.08),
    "low": (0.26, 0.37, 0.15, 0.15, 0.07),
    "levee": (0.28, 0.38, 0.14, 0.14, 0.06),
}


def attributes(frame: gpd.GeoDataFrame, dem_m: np.ndarray, rng: np.random.Generator
               ) -> tuple[gpd.GeoDataFrame, dict[str, np.ndarray]]:
    """BD TOPO ``batiment`` attributes of placed footprints, and the synthetic truth.

    Returns the layer (BD TOPO v3 GeoPackage columns) and, per building, what the
    generator knows but the layer does not always say: ``residents``, ``dwellings``,
    ``zone`` and ``facility`` key. The INSEE-like grid is built from that truth.
    """
    n = len(frame)
    kind = frame["kind"].to_numpy()
    zone = frame["zone"].to_numpy()
    street = frame["street"].to_numpy()
    geoms = np.asarray(frame.geometry.values)
    area = shapely.area(geoms)
    fac_key = np.full(n, "", dtype=object)
    fac_geoms = facility_footprints()
    for k, f in enumerate(FACILITIES):
        fac_key[shapely.equals(geoms, fac_geoms[k])] = f.key
    by_key = {f.key: f for f in FACILITIES}

    nature = np.full(n, "Indifférenciée", dtype=object)
    usage1 = np.full(n, "Résidentiel", dtype=object)
    usage2 = np.full(n, None, dtype=object)
    light = np.zeros(n, dtype=bool)
    levels = np.ones(n)
    dwellings = np.zeros(n)
    u = rng.random(n)

    centre = kind == "terraced"
    levels[centre] = rng.choice([2, 3, 3, 4, 4], centre.sum())
    shops = centre & np.isin(street, ["Rue de la République", "Rue du Marché", "Rue du Pont",
                                      "Quai de la Rive"]) & (u < 0.7)
    usage2[shops] = "Commercial et services"
    services = centre & ~shops & (u > 0.9)
    usage1[services] = "Commercial et services"
    usage1[centre & (u > 0.86) & (u <= 0.9)] = "Indifférencié"
    dwellings[centre] = np.maximum(1, np.round(area[centre] * (levels[centre] - shops[centre])
                                               * 0.8 / 125.0 * rng.uniform(0.7, 1.2,
                                                                          centre.sum())))

    flats = kind == "flats"
    levels[flats] = rng.choice([4, 5, 5, 6], flats.sum())
    dwellings[flats] = np.round(area[flats] * levels[flats] * 0.8 / 75.0)

    house = kind == "house"
    levels[house] = rng.choice([1, 2, 2, 2], house.sum())
    dwellings[house] = np.where(rng.random(house.sum()) < 0.06, 2, 1)
    farm = house & (zone == "suburb") & (u < 0.03)
    usage1[farm] = "Agricole"
    nature[farm] = "Industriel, agricole ou commercial"
    dwellings[farm] = 0
    odd = house & ~farm & (u > 0.93)
    usage1[odd] = "Indifférencié"
    dwellings[odd] = 0

    for k in ("garage", "shed_garden", "courtyard"):
        m = kind == k
        usage1[m] = "Annexe"
        dwellings[m] = 0
        levels[m] = 1
        light[m] = (k == "shed_garden") | (rng.random(n)[m] < 0.2)
    undiff = np.isin(kind, ["garage", "courtyard"]) & (u < 0.35)
    usage1[undiff] = "Indifférencié"

    farmhouse = kind == "farmhouse"
    levels[farmhouse] = 2
    dwellings[farmhouse] = 1
    barn = kind == "barn"
    nature[barn] = "Industriel, agricole ou commercial"
    usage1[barn] = "Agricole"
    greenhouse = kind == "greenhouse"
    nature[greenhouse] = "Serre"
    usage1[greenhouse] = "Agricole"
    light[greenhouse] = True

    shed = kind == "shed"
    nature[shed] = "Industriel, agricole ou commercial"
    usage1[shed] = np.where(u[shed] < 0.6, "Industriel", "Commercial et services")
    levels[shed] = 1
    dwellings[shed] = 0

    residents_fixed = np.zeros(n)
    for key, f in by_key.items():
        m = fac_key == key
        nature[m] = f.nature
        usage1[m] = f.usage
        levels[m] = f.levels
        dwellings[m] = f.dwellings
        residents_fixed[m] = f.residents

    height = levels * 3.0 + rng.uniform(0.4, 1.6, n)
    height[shed] = rng.uniform(6.0, 10.5, shed.sum())
    height[barn] = rng.uniform(7.0, 9.5, barn.sum())
    height[greenhouse] = 3.5
    annex = np.isin(kind, ["garage", "shed_garden", "courtyard"])
    height[annex] = rng.uniform(2.2, 3.2, annex.sum())
    height[nature == "Eglise"] = 17.5
    height = np.round(height, 1)

    # Like real BD TOPO: ~15 % of heights missing (0 or empty); storeys and dwellings
    # known for ~60 % of residential buildings only.
    r = rng.random(n)
    height_out = np.where(r < 0.08, 0.0, np.where(r < 0.15, np.nan, height))
    residential = usage1 == "Résidentiel"
    known = residential & (rng.random(n) < 0.6)
    known |= (rng.random(n) < 0.25) & ~residential & ~annex
    known[fac_key == "ehpad"] = True

    # Ground levels from the DEM under each footprint (vertices and centre).
    pts, idx = shapely.get_coordinates(geoms, return_index=True)
    centroid = shapely.get_coordinates(shapely.point_on_surface(geoms))
    pts = np.vstack([pts, centroid])
    idx = np.r_[idx, np.arange(n)]
    col, row = ~FRAME.transform @ (pts[:, 0], pts[:, 1])
    row = np.clip(np.floor(row).astype(int), 0, FRAME.shape[0] - 1)
    col = np.clip(np.floor(col).astype(int), 0, FRAME.shape[1] - 1)
    z = dem_m[row, col]
    zmin = np.full(n, np.inf)
    zmax = np.full(n, -np.inf)
    np.minimum.at(zmin, idx, z)
    np.maximum.at(zmax, idx, z)

    # Residents: households (one per dwelling) of seeded sizes.
    hh_zone = np.where(kind == "flats", "flats", zone)
    residents = residents_fixed.copy()
    housing = (dwellings > 0) & (residents_fixed == 0)
    for name, p in HOUSEHOLD_SIZE_P.items():
        m = housing & (hh_zone == name)
        if not m.any():
            continue
        counts = dwellings[m].astype(int)
        sizes = rng.choice(np.arange(1, 6), counts.sum(), p=np.asarray(p) / sum(p))
        residents[m] = np.add.reduceat(sizes, np.r_[0, np.cumsum(counts)[:-1]])

    layer = gpd.GeoDataFrame({
        "cleabs": [f"BATIMENT{i + 1:016d}" for i in range(n)],
        "nature": nature,
        "usage_1": usage1,
        "usage_2": usage2,
        "construction_legere": light,
        "etat_de_l_objet": np.full(n, "En service", dtype=object),
        "nombre_de_logements": np.where(known, dwellings, np.nan),
        "nombre_d_etages": np.where(known, levels, np.nan),
        "hauteur": height_out,
        "altitude_minimale_sol": np.round(zmin, 1),
        "altitude_maximale_sol": np.round(zmax, 1),
    }, geometry=shapely.multipolygons(geoms, indices=np.arange(n)), crs=plan.CRS)
    layer["nombre_de_logements"] = layer["nombre_de_logements"].astype("Int64")
    layer["nombre_d_etages"] = layer["nombre_d_etages"].astype("Int64")
    truth = {"residents": residents, "dwellings": dwellings, "zone": hh_zone,
             "facility": fac_key}
    return layer, truth
