"""Collection points and the waste waiting at each on collection day.

Waste at a point = inhabitants served × production of the stream per inhabitant and
day × days since the last collection (7 / collections per week). Inhabitants are the
buildings' residents (household waste only; businesses' waste is left out).

Two ways to collect:

- **door to door**: every inhabited building is placed on its nearest street segment;
  buildings within ``stop_spacing_m`` of each other along a segment share a stop
  (``points``), or the segment itself is served as a whole (``streets``, arc routing);
- **drop-off points** (points d'apport volontaire): given, or placed by the rule "every
  dwelling within N metres", as the smallest set of candidate spots along the streets
  that covers every inhabited building (a set-cover integer programme solved by HiGHS
  through :func:`scipy.optimize.milp`); each building then brings its waste to its
  nearest point.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.spatial import cKDTree

from jumeau.territory.network import RoadNetwork
from jumeau.waste.network import Placement, Segments, place, served_streets
from jumeau.waste.params import LOOSE_DENSITY_KG_L, Demand


@dataclass(frozen=True)
class CollectionPoints:
    """Collection points and their waste on collection day.

    Attributes
    ----------
    x, y
        Where the truck stops (on the street; for a served street, its middle).
    placement
        Segment and position of each point on the truck network.
    kind
        ``"stop"``, ``"street"`` or ``"drop_off"`` per point.
    residents
        Inhabitants served by each point.
    buildings
        Inhabited buildings served by each point.
    kg
        Waste waiting at each point (kg).
    units
        Bins (door to door) or containers (drop-off) emptied at each point.
    building_point
        Point serving each building of the territory (-1: no inhabitant).
    notes
        What the user should know (uncovered dwellings…), as (fr, en) pairs.
    """

    x: np.ndarray
    y: np.ndarray
    placement: Placement
    kind: np.ndarray
    residents: np.ndarray
    buildings: np.ndarray
    kg: np.ndarray
    units: np.ndarray
    building_point: np.ndarray
    notes: tuple[tuple[str, str], ...] = ()

    def __len__(self) -> int:
        return len(self.x)


def frequency_per_building(xy: np.ndarray, params: Demand) -> np.ndarray:
    """Collections per week of each building (its zone's, else the default)."""
    freq = np.full(len(xy), params.collections_per_week)
    if not params.zones:
        return freq
    pts = shapely.points(xy)
    done = np.zeros(len(xy), dtype=bool)
    for zone in params.zones:
        inside = shapely.contains(zone.geometry(), pts) & ~done
        freq[inside] = zone.collections_per_week
        done |= inside
    return freq


def kg_waiting(residents: np.ndarray, collections_per_week: np.ndarray,
               kg_per_inhabitant_year: float) -> np.ndarray:
    """Waste accumulated since the last collection (kg).

    >>> kg_waiting(np.array([2.0]), np.array([1.0]), 365.0).round(3)
    array([14.])
    """
    days = 7.0 / np.asarray(collections_per_week, dtype=float)
    return np.asarray(residents, float) * kg_per_inhabitant_year / 365.0 * days


def collection_points(buildings, net: RoadNetwork, segs: Segments, params: Demand
                      ) -> CollectionPoints:
    """The collection points of ``buildings`` (canonical layer) on the truck network."""
    residents = np.nan_to_num(buildings["population"].to_numpy(dtype=float), nan=0.0)
    residents = np.maximum(residents, 0.0)
    inhabited = np.flatnonzero(residents > 0)
    anchor = shapely.point_on_surface(np.asarray(buildings.geometry.values)[inhabited])
    bxy = shapely.get_coordinates(anchor)
    freq = frequency_per_building(bxy, params)
    kg_b = kg_waiting(residents[inhabited], freq, params.kg_per_inhabitant_year())
    density = LOOSE_DENSITY_KG_L[params.stream]
    building_point = np.full(len(buildings), -1, dtype=np.int64)
    notes: list[tuple[str, str]] = []
    if len(inhabited) == 0 or len(segs) == 0:
        empty = Placement(np.zeros(0, np.int64), np.zeros(0), np.zeros(0), np.zeros(0, bool))
        z = np.zeros(0)
        return CollectionPoints(z, z, empty, np.zeros(0, dtype=object), z, z, z, z,
                                building_point, ())
    if params.mode == "door_to_door":
        pl = place(net, segs, bxy[:, 0], bxy[:, 1])
        bins_b = np.maximum(1.0, np.ceil(kg_b / density / params.bin_volume_l))
        if params.door_to_door == "streets":
            group = pl.segment
        else:
            along = pl.t * segs.length_m[pl.segment]
            group = pl.segment * 100_000 + np.floor(along / params.stop_spacing_m).astype(np.int64)
        _, point_of, counts = np.unique(group, return_inverse=True, return_counts=True)
        point_of = point_of.ravel()
        n = len(counts)
        seg = np.zeros(n, dtype=np.int64)
        seg[point_of] = pl.segment
        t = np.bincount(point_of, pl.t, n) / counts
        if params.door_to_door == "streets":
            placement = served_streets(seg)
        else:
            placement = Placement(seg, t, np.bincount(point_of, pl.offset_m, n) / counts,
                                  np.zeros(n, dtype=bool))
        kind = np.full(n, "street" if params.door_to_door == "streets" else "stop", dtype=object)
        units = np.bincount(point_of, bins_b, n)
    else:
        if params.drop_off_points is not None:
            sites = drop_off_sites(params.drop_off_points, buildings.crs)
        else:
            sites, uncovered = place_drop_off(net, segs, bxy, params.drop_off_max_distance_m,
                                              params.candidate_spacing_m)
            if uncovered:
                notes.append((
                    f"{uncovered} bâtiments habités sont à plus de "
                    f"{params.drop_off_max_distance_m:g} m de toute rue : rattachés au point "
                    "le plus proche",
                    f"{uncovered} inhabited buildings are over "
                    f"{params.drop_off_max_distance_m:g} m from any street: assigned to the "
                    "nearest point"))
        dist, point_of = cKDTree(sites).query(bxy)
        far = int((dist > params.drop_off_max_distance_m).sum())
        if far and params.drop_off_points is not None:
            notes.append((f"{far} bâtiments habités sont à plus de "
                          f"{params.drop_off_max_distance_m:g} m d'un point d'apport",
                          f"{far} inhabited buildings are over "
                          f"{params.drop_off_max_distance_m:g} m from a drop-off point"))
        n = len(sites)
        counts = np.bincount(point_of, minlength=n)
        placement = place(net, segs, sites[:, 0], sites[:, 1])
        kind = np.full(n, "drop_off", dtype=object)
        kg_p = np.bincount(point_of, kg_b, n)
        units = np.maximum(1.0, np.ceil(kg_p / density / params.container_volume_l))
        units[counts == 0] = 0.0
    building_point[inhabited] = point_of
    kg = np.bincount(point_of, kg_b, n)
    res = np.bincount(point_of, residents[inhabited], n)
    keep = counts > 0  # drop-off points nobody uses are not visited
    if not keep.all():
        new = np.cumsum(keep) - 1
        building_point = np.where(building_point >= 0, new[np.maximum(building_point, 0)], -1)
        placement = Placement(placement.segment[keep], placement.t[keep],
                              placement.offset_m[keep], placement.served[keep])
        kind, kg, res, units, counts = kind[keep], kg[keep], res[keep], units[keep], counts[keep]
    lines = segs.lines(net)[placement.segment]
    xy = shapely.get_coordinates(shapely.line_interpolate_point(lines, placement.t,
                                                                normalized=True))
    return CollectionPoints(xy[:, 0], xy[:, 1], placement, kind, res, counts.astype(float),
                            kg, units, building_point, tuple(notes))


def drop_off_sites(given, crs) -> np.ndarray:
    """Coordinates of given drop-off points (a coordinate list or a vector layer)."""
    from jumeau.scenario.refs import VectorRef

    if isinstance(given, VectorRef):
        frame = given.value
        if frame.crs is not None and crs is not None and frame.crs != crs:
            frame = frame.to_crs(crs)
        return shapely.get_coordinates(shapely.point_on_surface(frame.geometry.values))
    return np.asarray(given, dtype=float).reshape(-1, 2)


def place_drop_off(net: RoadNetwork, segs: Segments, bxy: np.ndarray, max_distance_m: float,
                   spacing_m: float) -> tuple[np.ndarray, int]:
    """Fewest drop-off points along the streets within ``max_distance_m`` of every building.

    Candidates lie every ``spacing_m`` along every segment; the choice is an exact
    set-cover integer programme (HiGHS via :func:`scipy.optimize.milp`). Returns the
    chosen points and the number of buildings no candidate can cover.
    """
    lines = segs.lines(net)
    n_per = np.maximum(1, np.ceil(segs.length_m / spacing_m).astype(np.int64))
    seg = np.repeat(np.arange(len(segs)), n_per)
    start = np.repeat(np.cumsum(n_per) - n_per, n_per)
    t = (np.arange(len(seg)) - start + 0.5) / n_per[seg]
    cand = shapely.get_coordinates(shapely.line_interpolate_point(lines[seg], t,
                                                                  normalized=True))
    cand = np.unique(np.round(cand, 1), axis=0)
    pairs = cKDTree(bxy).query_ball_tree(cKDTree(cand), r=max_distance_m)
    rows = np.repeat(np.arange(len(bxy)), [len(p) for p in pairs])
    cols = np.fromiter((c for p in pairs for c in p), dtype=np.int64, count=len(rows))
    covered = np.bincount(rows, minlength=len(bxy)) > 0
    a = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(bxy), len(cand)))
    a = a[covered]
    if a.shape[0] == 0:
        return cand[:0], int((~covered).sum())
    res = milp(c=np.ones(len(cand)), integrality=np.ones(len(cand)),
               bounds=Bounds(0, 1), constraints=LinearConstraint(a, lb=1, ub=np.inf),
               options={"time_limit": 30})
    chosen = np.flatnonzero(res.x > 0.5) if res.x is not None else np.arange(len(cand))
    return cand[chosen], int((~covered).sum())
