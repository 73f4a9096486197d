"""Flood impacts: each a clear function of the flood result and the territory.

- Buildings: the highest water around the footprint (cells along its edge: buildings are
  obstacles), flooded above ``thresholds.flooded_m`` over the ground floor, damage from
  depth–damage curves (:mod:`jumeau.flood.damage`), residents affected.
- People: hazard rating HR = d × (v + 0.5) + DF (Defra/Environment Agency FD2320/2321,
  with the debris factor DF = 0, 0.5, 1 for d ≤ 0.25, ≤ 0.75, > 0.75 m) in four classes;
  a PPRI-style hazard class grid from depth and velocity classes (:class:`HazardRules`).
- Roads: impassable for cars above ``car_m`` (0.30 m), for emergency vehicles above
  ``emergency_m`` (0.50 m), from the highest water along the road; bridges stay open.
- Isolation: buildings whose access node can no longer be reached from any fire station
  by roads that emergency vehicles can still use.

Maxima over the event are used throughout (a conservative envelope: the deepest water and
the fastest flow need not happen at the same time).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from jumeau.flood.damage import DamageCurves
from jumeau.flood.params import HazardRules, Thresholds
from jumeau.i18n import Text
from jumeau.territory.model import Territory
from jumeau.territory.raster import footprint_stats
from jumeau.territory.schema import CRITICAL_FACILITIES
from jumeau.territory.terrain import Terrain

#: HR class edges (FD2320): < 0.75 low, 0.75–1.25 danger for some, 1.25–2 for most, > 2 all.
HR_EDGES = (0.75, 1.25, 2.0)
HR_LABELS = (Text("faible (prudence)", "low (caution)"),
             Text("danger pour certains", "danger for some"),
             Text("danger pour la plupart", "danger for most"),
             Text("danger pour tous", "danger for all"))
HAZARD_LABELS = (Text("faible", "low"), Text("moyen", "moderate"), Text("fort", "high"),
                 Text("très fort", "very high"))


def debris_factor(depth_m: np.ndarray) -> np.ndarray:
    """Debris factor DF of the hazard rating: 0 (≤ 0.25 m), 0.5 (≤ 0.75 m), 1 (deeper)."""
    d = np.asarray(depth_m, dtype=float)
    return np.where(d <= 0.25, 0.0, np.where(d <= 0.75, 0.5, 1.0))


def hazard_rating(depth_m: np.ndarray, velocity_ms: np.ndarray) -> np.ndarray:
    """HR = d (v + 0.5) + DF, NaN where dry.

    Examples
    --------
    >>> float(hazard_rating(np.array([1.0]), np.array([1.0]))[0])
    2.5
    """
    d = np.asarray(depth_m, dtype=float)
    hr = d * (np.asarray(velocity_ms, dtype=float) + 0.5) + debris_factor(d)
    return np.where(d > 0, hr, np.nan)


def hazard_rating_class(hr: np.ndarray) -> np.ndarray:
    """HR class 1–4 (0 where dry)."""
    out = np.digitize(np.nan_to_num(hr, nan=-1.0), HR_EDGES) + 1
    return np.where(np.isfinite(hr), out, 0).astype(np.uint8)


def hazard_classes(depth_m: np.ndarray, velocity_ms: np.ndarray, rules: HazardRules,
                   min_depth_m: float) -> np.ndarray:
    """PPRI-style hazard class 1 (faible) … 4 (très fort) per cell, 0 where dry.

    Examples
    --------
    >>> hazard_classes(np.array([0.3, 0.7, 1.5, 0.0]), np.array([0.1, 0.6, 0.1, 0.0]),
    ...                HazardRules(), 0.05).tolist()
    [1, 3, 3, 0]
    """
    d = np.asarray(depth_m, dtype=float)
    v = np.asarray(velocity_ms, dtype=float)
    i = np.digitize(d, rules.depth_edges_m)
    j = np.digitize(v, rules.velocity_edges_ms)
    matrix = np.asarray(rules.matrix, dtype=np.uint8)
    return np.where(d > min_depth_m, matrix[i, j], 0).astype(np.uint8)


def building_impacts(territory: Territory, max_depth_m: np.ndarray, grid: Terrain,
                     thresholds: Thresholds, curves: DamageCurves) -> gpd.GeoDataFrame:
    """Per building: water depth around it, depth over the ground floor, flooded or not,
    damage (€) and residents. Rows keep the buildings' order (``building_index``)."""
    b = territory.buildings
    stats = footprint_stats(max_depth_m, b.geometry.values, grid, where="edge",
                            labels=territory.building_labels)
    depth = np.nan_to_num(stats["max"].to_numpy(), nan=0.0)
    floor = np.nan_to_num(b["floor_z_m"].to_numpy(dtype=float), nan=0.0)
    above = np.maximum(depth - floor, 0.0)
    flooded = above > thresholds.flooded_m
    footprint = shapely.area(b.geometry.values)
    damage = np.where(flooded, curves.damage_eur(b["use"].to_numpy(), above, footprint), 0.0)
    return gpd.GeoDataFrame({
        "building_index": np.arange(len(b)),
        "building_id": b["building_id"].to_numpy(),
        "name": b["name"].to_numpy(),
        "use": b["use"].to_numpy(),
        "facility": b["facility"].to_numpy(),
        "depth_m": depth,
        "floor_height_m": floor,
        "depth_above_floor_m": above,
        "flooded": flooded,
        "damage_eur": damage,
        "footprint_m2": footprint,
        "residents": np.nan_to_num(b["population"].to_numpy(dtype=float)),
        "residents_75p": b["population_75p"].to_numpy(dtype=float),
    }, geometry=b.geometry.values, crs=territory.crs)


def road_depths(roads: gpd.GeoDataFrame, max_depth_m: np.ndarray, grid: Terrain) -> np.ndarray:
    """Highest water along each road (sampled every half cell), 0 on bridges."""
    if not len(roads):
        return np.zeros(0)
    dense = shapely.segmentize(shapely.force_2d(roads.geometry.values), grid.resolution_m / 2)
    xy, which = shapely.get_coordinates(dense, return_index=True)
    row, col = grid.rowcol(xy[:, 0], xy[:, 1])
    inside = grid.inside(row, col)
    values = np.zeros(len(xy))
    values[inside] = max_depth_m[row[inside], col[inside]]
    out = np.zeros(len(roads))
    np.maximum.at(out, which, np.nan_to_num(values))
    return np.where(roads["bridge"].to_numpy(dtype=bool), 0.0, out)


def road_impacts(territory: Territory, max_depth_m: np.ndarray, grid: Terrain,
                 thresholds: Thresholds) -> gpd.GeoDataFrame:
    """Per road: highest water, impassable for cars / emergency vehicles."""
    r = territory.roads
    depth = road_depths(r, max_depth_m, grid)
    return gpd.GeoDataFrame({
        "road_id": r["road_id"].to_numpy(), "name": r["name"].to_numpy(),
        "road_class": r["road_class"].to_numpy(), "bridge": r["bridge"].to_numpy(dtype=bool),
        "max_depth_m": depth, "cut_car": depth > thresholds.car_m,
        "cut_emergency": depth > thresholds.emergency_m,
        "length_m": shapely.length(r.geometry.values),
    }, geometry=r.geometry.values, crs=territory.crs)


def isolation(territory: Territory, cut_emergency: np.ndarray, *,
              max_access_m: float = 250.0) -> np.ndarray | None:
    """Bool per building: cut off from every fire station by impassable roads.

    Each building is reached through the network node nearest to it (within
    ``max_access_m``; farther buildings are not counted). None when the territory has no
    fire station or no road network.
    """
    b = territory.buildings
    fire = b["facility"].to_numpy() == "fire_station"
    if not fire.any() or not len(territory.roads):
        return None
    net = territory.network
    if net.n_nodes == 0:
        return None
    pts = shapely.point_on_surface(b.geometry.values)
    node, dist = net.nearest_node(shapely.get_x(pts), shapely.get_y(pts))
    open_edges = ~cut_emergency[net.edge_road]
    reach = net.reachable(node[fire], edge_mask=open_edges, reverse=False)
    back = net.reachable(node[fire], edge_mask=open_edges, reverse=True)
    # Cut off if emergency vehicles can neither get there nor come back.
    ok = reach[node] & back[node]
    return (~ok) & (dist <= max_access_m)


def facilities_hit(buildings: gpd.GeoDataFrame) -> pd.DataFrame:
    """Critical facilities flooded (one row per facility: several buildings count once)."""
    hit = buildings[buildings["flooded"] & buildings["facility"].isin(CRITICAL_FACILITIES)]
    if not len(hit):
        return hit.iloc[0:0]
    grouped = hit.sort_values("depth_above_floor_m", ascending=False).drop_duplicates(
        ["facility", "name"])
    return grouped.reset_index(drop=True)
