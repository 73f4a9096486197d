"""From a flood scenario's geometry to the solver's grids and forcings.

Lines, points and polygons given in the territory's CRS become cells of the terrain
grid; land cover becomes Manning's n and infiltration; buildings become blocked (or
raised) cells; walls that fail and breaches become bed changes. Every check that can
fail does so here, before the solver runs, with the field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from jumeau.errors import JumeauError
from jumeau.flood import solver
from jumeau.flood.params import FloodParams
from jumeau.i18n import Text, number_text
from jumeau.territory.model import Territory
from jumeau.territory.raster import edge_cells, rasterize
from jumeau.territory.terrain import Terrain

#: Coarsest cell (m) on which buildings are blocked by default.
MAX_BLOCKING_CELL_M = 10.0

#: Land covers treated as sealed (no infiltration) besides roads and buildings.
SEALED_COVERS = ("sealed",)


@dataclass(frozen=True)
class Setup:
    """Everything the solver needs, on the territory's grid."""

    bed_m: np.ndarray
    blocked: np.ndarray
    manning_n: np.ndarray
    infiltration_mm_h: np.ndarray | float
    drainage_mm_h: np.ndarray | float
    initial_depth_m: np.ndarray | None
    inflows: tuple[solver.Inflow, ...]
    levels: tuple[solver.ImposedLevel, ...]
    rainfall: solver.Rainfall | None
    bed_changes: tuple[solver.BedChange, ...]
    observation_rows: np.ndarray
    observation_cols: np.ndarray
    observation_names: tuple[str, ...]
    free_outflow: dict
    notes: tuple[Text, ...] = ()


def _error(message: Text, field: str, fix: Text | None = None) -> JumeauError:
    return JumeauError(message, field=f"simulate.flood.{field}", fix=fix)


_CHECK_COORDS = Text("vérifiez les coordonnées : elles sont dans le système du territoire "
                     "(Lambert-93 par défaut, en mètres)", "check the coordinates: they are in "
                     "the territory's CRS (Lambert-93 by default, in metres)")


def line_cells(geom: shapely.Geometry, grid: Terrain, field: str) -> tuple[np.ndarray, np.ndarray]:
    """Cells a line (or point) touches; an error naming ``field`` when none is in the grid."""
    if shapely.get_type_id(geom) == 0:  # point
        row, col = grid.rowcol(np.array([geom.x]), np.array([geom.y]))
        if not grid.inside(row, col).all():
            raise _error(Text("le point ({x:.1f}, {y:.1f}) est en dehors de la grille du MNT "
                              "{b}", "point ({x:.1f}, {y:.1f}) is outside the DEM grid {b}"
                              ).format(x=geom.x, y=geom.y, b=_box(grid)), field, _CHECK_COORDS)
        return row, col
    mask = rasterize([geom], grid, 1, dtype="uint8", all_touched=True).astype(bool)
    rows, cols = np.nonzero(mask)
    if not len(rows):
        raise _error(Text("la ligne est en dehors de la grille du MNT {b}",
                          "the line is outside the DEM grid {b}").format(b=_box(grid)), field,
                     _CHECK_COORDS)
    return rows, cols


def _box(grid: Terrain) -> str:
    return "[" + ", ".join(f"{v:.0f}" for v in grid.bounds) + "]"


def build(territory: Territory, params: FloodParams) -> Setup:
    """Grids and forcings for :func:`jumeau.flood.solver.solve_flood`."""
    grid = territory.require_terrain()
    bed = grid.elevation_m.astype(np.float64).copy()
    labels = territory.building_labels
    in_building = labels > 0
    heights = territory.buildings["height_m"].to_numpy(dtype=float)
    mode = params.buildings
    notes = []
    if mode == "auto":
        mode = "blocked" if grid.resolution_m <= MAX_BLOCKING_CELL_M else "ignored"
        if mode == "ignored" and in_building.any():
            notes.append(Text("maille de {r} m trop grossière pour traiter les bâtiments en "
                              "obstacles : ils sont ignorés par l'écoulement (un MNT de 1 à 5 m "
                              "les représente)", "{r} m cells are too coarse for buildings as "
                              "obstacles: the flow ignores them (a 1–5 m DEM represents them)"
                              ).format(r=number_text(grid.resolution_m, 0)))
    blocked = in_building.copy() if mode == "blocked" else np.zeros(grid.shape, dtype=bool)
    if mode == "raised":
        bed[in_building] += np.nan_to_num(heights[labels[in_building] - 1], nan=3.0)

    water = _water_mask(territory, grid)
    road = _road_mask(territory, grid)
    manning = _manning(territory, grid, params, water, road, in_building)
    sealed = road | in_building | water | _cover_mask(territory, grid, SEALED_COVERS)

    inflows = []
    for i, item in enumerate(params.inflows):
        field = f"inflows.{i}." + ("point" if item.point is not None else "line")
        rows, cols = line_cells(item.geometry(), grid, field)
        keep = ~blocked[rows, cols]
        if item.channel_only and (water[rows, cols] & keep).any():
            keep &= water[rows, cols]
        if not keep.any():
            raise _error(Text("l'apport tombe entièrement dans des bâtiments",
                              "the inflow falls entirely inside buildings"), field)
        h = item.hydrograph
        inflows.append(solver.Inflow(rows[keep], cols[keep], h.times_s, h.discharge_m3s,
                                     name=item.name or f"inflows[{i}]"))

    levels = []
    for i, item in enumerate(params.levels):
        rows, cols = line_cells(item.geometry(), grid, f"levels.{i}.line")
        keep = ~blocked[rows, cols]
        levels.append(solver.ImposedLevel(rows[keep], cols[keep], item.level.times_s,
                                          item.level.level_m, name=item.name or f"levels[{i}]"))

    rainfall = None
    infiltration: np.ndarray | float = 0.0
    drainage: np.ndarray | float = 0.0
    if params.rain_zones:
        rainfall, infiltration, drainage = _rain(territory, grid, params, blocked, labels,
                                                 sealed & ~water)

    initial = _initial_water(territory, grid, params, bed, blocked, water)
    changes = _breaches(territory, grid, params, bed, blocked)
    rows, cols, names = _observations(grid, params, blocked)
    return Setup(bed_m=bed, blocked=blocked, manning_n=manning,
                 infiltration_mm_h=infiltration, drainage_mm_h=drainage,
                 initial_depth_m=initial,
                 inflows=tuple(inflows), levels=tuple(levels), rainfall=rainfall,
                 bed_changes=tuple(changes), observation_rows=rows, observation_cols=cols,
                 observation_names=names, free_outflow=dict(params.outflow),
                 notes=tuple(notes))


def _water_mask(territory: Territory, grid: Terrain) -> np.ndarray:
    w = territory.water
    if not len(w):
        return np.zeros(grid.shape, dtype=bool)
    areas = w[shapely.get_dimensions(w.geometry.values) == 2]
    lines = w[shapely.get_dimensions(w.geometry.values) == 1]
    mask = rasterize(areas.geometry.values, grid, 1, dtype="uint8").astype(bool)
    if len(lines):
        width = lines["width_m"].fillna(3.0).to_numpy()
        mask |= rasterize(shapely.buffer(lines.geometry.values, width / 2), grid, 1,
                          dtype="uint8").astype(bool)
    return mask


def _road_mask(territory: Territory, grid: Terrain) -> np.ndarray:
    r = territory.roads
    if not len(r):
        return np.zeros(grid.shape, dtype=bool)
    width = r["width_m"].fillna(5.0).to_numpy()
    return rasterize(shapely.buffer(r.geometry.values, width / 2, cap_style="flat"), grid, 1,
                     dtype="uint8").astype(bool)


def _cover_mask(territory: Territory, grid: Terrain, covers) -> np.ndarray:
    """Cells whose land cover is one of ``covers``. Areas burn in layer order, so a later
    one wins (a square de-sealed by a measure over a paved one)."""
    v = territory.vegetation
    areas = v[shapely.get_dimensions(v.geometry.values) == 2]
    flags = areas["cover"].isin(covers).to_numpy().astype("uint8")
    if not flags.any():
        return np.zeros(grid.shape, dtype=bool)
    return rasterize(areas.geometry.values, grid, flags, fill=0, dtype="uint8").astype(bool)


def _manning(territory, grid, params, water, road, in_building) -> np.ndarray:
    table = params.manning_table()
    n = np.full(grid.shape, table["default"], dtype=np.float64)
    v = territory.vegetation
    areas = v[shapely.get_dimensions(v.geometry.values) == 2]
    if len(areas):
        values = areas["cover"].map(table).to_numpy(dtype=float)
        keep = np.isfinite(values)
        cover = rasterize(areas.geometry.values[keep], grid, values[keep], fill=np.nan,
                          dtype="float64")
        n = np.where(np.isfinite(cover), cover, n)
    n[road] = table["road"]
    n[water] = table["water"]
    n[in_building] = table["building"]
    return n


def _rain(territory, grid, params, blocked, labels, sealed):
    """Hyetographs and the zone each cell takes (later zones win where they overlap).

    Where buildings are blocked, roofs drain to the ground around them (downpipes): the
    rain on a zone's roofs falls on that zone's cells along the buildings' edges, so
    the town receives all its rain. The storm-water network takes its capacity from
    sealed ground, and that of the roofs from the cells their water falls on.
    Returns the rainfall, the infiltration and the drainage capacity grids (mm/h).
    """
    zones = params.rain_zones
    zone = np.full(grid.shape, -1, dtype=np.int64)
    for k, rain in enumerate(zones):
        area = rain.area()
        if area is None:
            zone[:] = k
            continue
        inside = rasterize([area], grid, 1, dtype="uint8").astype(bool)
        if not inside.any():
            where = "rain.polygon" if len(zones) == 1 else f"rain.{k}.polygon"
            raise _error(Text("la zone de pluie est en dehors de la grille du MNT",
                              "the rain area is outside the DEM grid"), where, _CHECK_COORDS)
        zone[inside] = k
    hyetographs = [solver.Hyetograph(r.times_s, r.rate_mm_h, name=f"rain[{k}]")
                   for k, r in enumerate(zones)]
    infiltration = np.zeros(grid.shape)
    drainage = np.zeros(grid.shape)
    for k, rain in enumerate(zones):
        infiltration[zone == k] = rain.infiltration_mm_h
        drainage[zone == k] = rain.drainage_mm_h
    infiltration[sealed | blocked] = 0.0
    drainage[~sealed | blocked] = 0.0
    if blocked.any():
        r, c, _ = edge_cells(labels)
        edge = np.zeros(grid.shape, dtype=bool)
        edge[r, c] = True
        edge &= ~blocked
        # The zone of a building is that of the cells around it.
        for k, rain in enumerate(zones):
            ring = edge & (zone == k)
            roof = int((blocked & (zone == k)).sum())
            if ring.any() and roof:
                factor = 1.0 + roof / ring.sum()
                zone[ring] = len(hyetographs)
                drainage[ring] += rain.drainage_mm_h * (factor - 1.0)
                hyetographs.append(solver.Hyetograph(rain.times_s,
                                                     np.asarray(rain.rate_mm_h) * factor,
                                                     name=f"rain[{k}]+roofs"))
    return solver.Rainfall(hyetographs, zone), infiltration, drainage


def _initial_water(territory, grid, params, bed, blocked, water) -> np.ndarray | None:
    if not params.initial_water:
        return None
    depth = np.zeros(grid.shape)
    for i, item in enumerate(params.initial_water):
        area = item.area()
        if area is None:
            mask = water.copy()
            if not mask.any():
                raise _error(Text("le territoire n'a pas de surface en eau",
                                  "the territory has no water surface"),
                             f"initial_water.{i}.on_water")
        else:
            mask = rasterize([area], grid, 1, dtype="uint8").astype(bool)
            if not mask.any():
                raise _error(Text("le polygone est en dehors de la grille du MNT",
                                  "the polygon is outside the DEM grid"),
                             f"initial_water.{i}.polygon", _CHECK_COORDS)
        add = (np.maximum(0.0, item.level_m - bed) if item.level_m is not None
               else np.full(grid.shape, item.depth_m))
        depth = np.where(mask & ~blocked, np.maximum(depth, add), depth)
    return depth


def _breaches(territory, grid, params, bed, blocked) -> list[solver.BedChange]:
    changes = []
    for i, item in enumerate(params.breaches):
        geom = item.geometry()
        rows, cols = line_cells(geom, grid, f"breaches.{i}.line")
        bottom = item.bottom_m
        if bottom is None:
            ring = rasterize([shapely.buffer(geom, 20.0)], grid, 1, dtype="uint8").astype(bool)
            ring[rows, cols] = False
            ring &= ~blocked
            bottom = float(np.median(bed[ring])) if ring.any() else float(bed[rows, cols].min())
        changes.append(solver.BedChange(item.time_h * 3600.0, rows, cols,
                                        np.minimum(bed[rows, cols], bottom)))
    s = territory.structures
    failing = s[np.isfinite(s["fails_at_s"].to_numpy(dtype=float))]
    for _, row in failing.iterrows():
        line = row.geometry
        width = row["fail_width_m"]
        if np.isfinite(width) and width < line.length:
            from shapely.ops import substring

            mid = line.length / 2
            line = substring(line, mid - width / 2, mid + width / 2)
        rows, cols = line_cells(line, grid, "measures.wall.fails")
        if np.isfinite(row["crest_height_m"]):
            new = bed[rows, cols] - row["crest_height_m"]
        else:
            new = np.minimum(bed[rows, cols], row["bottom_z_m"])
        changes.append(solver.BedChange(float(row["fails_at_s"]), rows, cols, new))
    return changes


def _observations(grid, params, blocked):
    rows, cols, names = [], [], []
    for i, p in enumerate(params.observation_points):
        r, c = line_cells(shapely.Point(p.point), grid, f"observation_points.{i}.point")
        if blocked[r[0], c[0]]:
            raise _error(Text("le point d'observation « {n} » est dans un bâtiment",
                              "observation point '{n}' is inside a building").format(n=p.name),
                         f"observation_points.{i}.point",
                         Text("déplacez-le dans la rue, à quelques mètres",
                              "move it into the street, a few metres away"))
        rows.append(int(r[0]))
        cols.append(int(c[0]))
        names.append(p.name)
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), tuple(names)
