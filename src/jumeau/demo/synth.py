"""Synthesis of the whole demo commune, in memory (no file I/O).

:func:`synthesize` builds Saint-Aubin-sur-Rive, a fictional commune of about 4,000
inhabitants on the river "la Rive", from one seed: the terrain and its hydraulic design,
the streets, the buildings and their residents, land cover, facilities, TRI-like flood
maps, an INSEE-like population grid and the landmarks the scenario files refer to. The
same seed always gives the same content.

Examples
--------
>>> from jumeau.demo.synth import synthesize
>>> demo = synthesize(seed=42)  # doctest: +SKIP
>>> round(demo.population_grid["ind"].sum(), -2)  # doctest: +SKIP
4000.0
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from affine import Affine

from jumeau.demo import buildings as bld
from jumeau.demo import landcover, plan, population, risk, streets
from jumeau.demo.plan import FRAME
from jumeau.demo.valley import Valley, design_valley


@dataclass(frozen=True)
class DemoTerritory:
    """The demo commune, as layers in the formats of the real sources.

    Attributes
    ----------
    name, insee_code, crs
        Commune name, its (fictional) INSEE code and the CRS of the BD TOPO layers.
    dem_m
        Terrain (m NGF), float32, 5 m cells; ``transform`` places it.
    transform
        Affine transform of the DEM (Lambert-93).
    bdtopo
        BD TOPO v3 layers by GeoPackage layer name (``batiment``, ``troncon_de_route``, …).
    flood_envelopes, flood_depths
        Géorisques TRI layers (``n_tri_stau_inondable_s_099``, ``…_iso_ht_02moy_s_099``).
    population_grid
        INSEE-like 200 m grid, in EPSG:3035.
    landmarks
        Named lines and points for scenario files (Lambert-93).
    residents
        Residents of each building of ``bdtopo["batiment"]`` (the synthetic truth).
    valley
        The terrain's hydraulic design (discharges, levels, extents).
    """

    name: str
    insee_code: str
    crs: str
    dem_m: np.ndarray
    transform: Affine
    bdtopo: dict[str, gpd.GeoDataFrame]
    flood_envelopes: gpd.GeoDataFrame
    flood_depths: gpd.GeoDataFrame
    population_grid: gpd.GeoDataFrame
    landmarks: gpd.GeoDataFrame
    residents: np.ndarray
    valley: Valley


def synthesize(seed: int = 42) -> DemoTerritory:
    """Generate the demo commune from ``seed`` (deterministic).

    Parameters
    ----------
    seed
        Seed of the only random generator used (``numpy.random.default_rng``).
    """
    rng = np.random.default_rng(seed)
    # Independent streams, so that a change in one part does not reshuffle the others.
    terrain_rng, street_rng, building_rng, attr_rng, land_rng, pop_rng = rng.spawn(6)

    valley = design_valley(terrain_rng)
    boundary = landcover.boundary_uv(land_rng)
    roads, sections = streets.road_layer(street_rng)
    pieces = [plan.to_local(shapely.get_coordinates(g)) for g in roads.geometry.values]

    zones = landcover.facility_zones()
    keep_out = [g for g, a in zones if a["nature"] not in ("Zone industrielle",)]
    levee_body = shapely.buffer(shapely.LineString(valley.levee_line_uv), 12.0)
    river_uv = plan.to_local(shapely.get_coordinates(FRAME.river_line(-1300.0, 1300.0)))
    river_banks = shapely.buffer(shapely.LineString(river_uv), 34.0)
    tributary = shapely.buffer(shapely.LineString(plan.TRIBUTARY_UV), 8.0)
    no_build = np.array([landcover.to_map_geom(g) for g in
                         keep_out + [levee_body, river_banks, tributary]], dtype=object)
    placed = bld.place(pieces, sections, boundary, no_build, building_rng)
    batiment, truth = bld.attributes(placed, valley.dem_m, attr_rng)

    grid = population.population_grid(batiment, truth, pop_rng)
    commune = landcover.commune_layer(boundary, int(round(grid["ind"].sum())))
    surf, lines = landcover.water_layers()
    vegetation = landcover.vegetation_layer(valley.dem_m, roads,
                                            np.asarray(placed.geometry.values), boundary,
                                            land_rng)
    return DemoTerritory(
        name=plan.COMMUNE_NAME, insee_code=plan.INSEE_CODE, crs=plan.CRS,
        dem_m=valley.dem_m.astype(np.float32), transform=FRAME.transform,
        bdtopo={"commune": commune, "batiment": batiment, "troncon_de_route": roads,
                "surface_hydrographique": surf, "troncon_hydrographique": lines,
                "zone_de_vegetation": vegetation,
                "zone_d_activite_ou_d_interet": landcover.zone_layer(zones)},
        flood_envelopes=risk.flood_envelopes(valley), flood_depths=risk.medium_depths(valley),
        population_grid=grid, landmarks=landmarks(valley), residents=truth["residents"],
        valley=valley)


def _edge_line(u: float, valley: Valley, scenario: str) -> np.ndarray:
    """A north–south line across the valley at ``u``: the channel and the floodplain
    flooded in ``scenario``, plus 20 m."""
    ext = next(s for s in valley.scenarios if s.code == scenario).extent
    col = int((u + plan.X0 - plan.DEM_WEST) // plan.CELL_M)
    rows = np.flatnonzero(ext[:, col])
    _, v = FRAME.cell_uv
    vr = float(plan.river_v(u))
    # The run of flooded rows that holds the river.
    river_row = int(np.argmin(np.abs(v[:, col] - vr)))
    runs = np.split(rows, np.flatnonzero(np.diff(rows) != 1) + 1)
    run = next(r for r in runs if r.min() <= river_row <= r.max())
    top = v[run.min(), col] + 20.0
    bottom = v[run.max(), col] - 20.0
    return np.array([[u, top], [u, bottom]])


def landmarks(valley: Valley) -> gpd.GeoDataFrame:
    """Named places for scenario files (Lambert-93)."""
    west = plan.DEM_WEST - plan.X0 + plan.CELL_M / 2
    east = west + (FRAME.shape[1] - 1) * plan.CELL_M
    h = valley.hydrograph
    half = plan.CHANNEL_HALF_WIDTH_M + 20.0
    inflow = np.array([[west, float(plan.river_v(west)) + half],
                       [west, float(plan.river_v(west)) - half]])
    outflow = _edge_line(east, valley, "04Fai")
    # The levee where it stands above the ground, and a breach in the middle of its
    # riverside stretch.
    line = valley.levee_line_uv
    col, row = ~FRAME.transform @ tuple(plan.to_map(line).T)
    above = valley.dem_m[row.astype(int), col.astype(int)] - valley.ground_m[
        row.astype(int), col.astype(int)] > 0.05
    first, last = np.flatnonzero(above)[[0, -1]]
    levee = line[first:last + 1]
    levee_line = shapely.LineString(levee)
    mid = levee_line.length / 2
    breach = shapely.ops.substring(levee_line, mid - 25.0, mid + 25.0)
    quay = plan.quay_line_uv()
    items = [
        ("river_inflow", shapely.LineString(inflow),
         "Upstream edge of the DEM across La Rive (channel and 20 m of bank on each "
         f"side): inflow boundary. Bankfull discharge {valley.bankfull_m3s:.0f} m3/s; "
         f"suggested 100-year hydrograph time_s={[int(t) for t in h.time_s]} "
         f"discharge_m3s={[int(q) for q in h.discharge_m3s]}."),
        ("river_outflow", shapely.LineString(outflow),
         "Downstream edge of the DEM across La Rive and the width the 1000-year flood "
         f"covers there: free outflow boundary (bed slope {plan.RIVER_SLOPE})."),
        ("quay", shapely.LineString(quay),
         f"Quai de la Rive, where a {plan.QUAY_WALL_HEIGHT_M} m flood wall would stand."),
        ("levee", levee_line, "Crest of the levee (digue) protecting La Prairie basse."),
        ("levee_breach", breach, "A 50 m stretch of the levee where a breach is plausible."),
        ("town_centre", shapely.Point(0.0, 270.0), "Rue de la République, in front of the "
         "town hall."),
    ]
    geoms = [landcover.to_map_geom(g) for _, g, _ in items]
    frame = gpd.GeoDataFrame({"name": [i[0] for i in items],
                              "description": [i[2] for i in items]},
                             geometry=geoms, crs=plan.CRS)
    frame["bankfull_discharge_m3s"] = [round(valley.bankfull_m3s, 1)] + [None] * 5
    frame["q100_time_s"] = [",".join(f"{t:.0f}" for t in h.time_s)] + [None] * 5
    frame["q100_discharge_m3s"] = [",".join(f"{q:.0f}" for q in h.discharge_m3s)] + [None] * 5
    return frame
