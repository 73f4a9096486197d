"""Figures of a generated demo commune, and the README that documents them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from jumeau.demo import hydraulics as hy
from jumeau.demo import plan
from jumeau.demo.plan import FRAME
from jumeau.demo.synth import DemoTerritory
from jumeau.demo.valley import raise_wall


@dataclass(frozen=True)
class HydraulicCheck:
    """Levels of the 100-year flood at the quay and the levee (normal-depth estimate).

    Attributes
    ----------
    quay_top_m
        Level of the quay (m NGF, mean along it).
    quay_level_m, quay_level_wall_m
        100-year water level in front of the quay without and with the wall.
    behind_quay_depth_m
        5th, 50th and 95th percentiles of the depth in the flooded low streets behind
        the quay, without the wall.
    wall_protects
        With a ``QUAY_WALL_HEIGHT_M`` wall on the quay, no cell behind it floods.
    levee_crest_m
        Crest level range (m NGF).
    levee_freeboard_m
        Range of crest minus 100-year level along the levee.
    levee_height_m
        Range of the levee height above the ground under its crest.
    district_dry
        With the levee holding, the district behind it stays dry at Q100.
    breach_area_m2, breach_depth_m
        Area flooded behind the levee through a breach, and its median and maximum depth.
    """

    quay_top_m: float
    quay_level_m: float
    quay_level_wall_m: float
    behind_quay_depth_m: tuple[float, float, float]
    wall_protects: bool
    levee_crest_m: tuple[float, float]
    levee_freeboard_m: tuple[float, float]
    levee_height_m: tuple[float, float]
    district_dry: bool
    breach_area_m2: float
    breach_depth_m: tuple[float, float]


def sample_dem(dem_m: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """DEM value of the cells holding Lambert-93 points."""
    col, row = ~FRAME.transform @ (xy[:, 0], xy[:, 1])
    return dem_m[np.floor(row).astype(int), np.floor(col).astype(int)]


def hydraulic_check(demo: DemoTerritory) -> HydraulicCheck:
    """Check the 100-year design on the generated DEM."""
    valley = demo.valley
    dem = demo.dem_m.astype(float)
    sections = hy.cross_sections(dem)
    q100 = valley.scenarios[1].discharge_m3s
    level = hy.normal_levels(sections, q100)
    field = hy.level_field(sections, level)
    u, v = FRAME.cell_uv
    behind_quay = shapely.contains_xy(plan.quay_district_uv(), u, v)
    protected = shapely.contains_xy(plan.protected_area_uv(), u, v)
    extent = hy.flood_extent(dem, field)
    depth = np.where(extent & behind_quay, field - dem, np.nan)

    wall_dry = sections.mask_inside(plan.quay_district_uv())
    level_wall = hy.normal_levels(sections, q100, wall_dry)
    field_wall = hy.level_field(sections, level_wall)
    walled = raise_wall(dem, plan.quay_line_uv(), plan.QUAY_WALL_HEIGHT_M)
    extent_wall = hy.flood_extent(walled, field_wall)

    quay = plan.quay_line_uv()
    quay_xy = plan.to_map(quay)
    inner = (quay[:, 0] > plan.QUAY_U_M[0]) & (quay[:, 0] < plan.QUAY_U_M[1])
    quay_top = float(np.mean(sample_dem(dem, quay_xy[inner])))

    levee = demo.landmarks.set_index("name").geometry["levee"]
    lxy = shapely.get_coordinates(shapely.segmentize(levee, 2.0))
    crest = sample_dem(dem, lxy)
    ground = sample_dem(valley.ground_m, lxy)
    luv = plan.to_local(lxy)
    lev_level = valley.level_at(level, luv[:, 0], luv[:, 1])
    standing = crest - ground > 0.3

    breach = demo.landmarks.set_index("name").geometry["levee_breach"]
    from rasterio import features

    cut = features.rasterize([(shapely.buffer(breach, 8.0, cap_style="flat"), 1)],
                             out_shape=FRAME.shape, transform=FRAME.transform).astype(bool)
    breached = np.where(cut, valley.ground_m, dem)
    extent_b = hy.flood_extent(breached, field)
    depth_b = (field - breached)[extent_b & protected]
    return HydraulicCheck(
        quay_top_m=quay_top,
        quay_level_m=float(np.mean(valley.level_at(level, quay[inner, 0], quay[inner, 1]))),
        quay_level_wall_m=float(np.mean(valley.level_at(level_wall, quay[inner, 0],
                                                        quay[inner, 1]))),
        behind_quay_depth_m=tuple(float(x) for x in np.nanpercentile(depth, [5, 50, 95])),
        wall_protects=not bool((extent_wall & behind_quay).any()),
        levee_crest_m=(float(crest[standing].min()), float(crest[standing].max())),
        levee_freeboard_m=(float((crest - lev_level)[standing].min()),
                           float((crest - lev_level)[standing].max())),
        levee_height_m=(float((crest - ground)[standing].min()),
                        float((crest - ground)[standing].max())),
        district_dry=not bool((extent & protected).any()),
        breach_area_m2=float((extent_b & protected).sum() * plan.CELL_M ** 2),
        breach_depth_m=(float(np.median(depth_b)), float(depth_b.max())),
    )


def figures(demo: DemoTerritory) -> dict[str, float]:
    """Headline figures of the generated commune."""
    b = demo.bdtopo["batiment"]
    roads = demo.bdtopo["troncon_de_route"]
    grid = demo.population_grid
    return {
        "population": float(grid["ind"].sum()),
        "households": float(grid["men"].sum()),
        "cells": float(len(grid)),
        "buildings": float(len(b)),
        "residential": float((b["usage_1"] == "Résidentiel").sum()),
        "roads": float(len(roads)),
        "roads_km": float(roads.length.sum() / 1000),
        "oneway": float(roads["sens_de_circulation"].isin(["Sens direct", "Sens inverse"]).sum()),
        "area_km2": float(demo.bdtopo["commune"].area.sum() / 1e6),
        "dem_min_m": float(demo.dem_m.min()),
        "dem_max_m": float(demo.dem_m.max()),
        "vegetation": float(len(demo.bdtopo["zone_de_vegetation"])),
    }


def _coords(geom: shapely.Geometry) -> str:
    xy = shapely.get_coordinates(geom)
    if len(xy) == 1:
        return f"({xy[0, 0]:.1f}, {xy[0, 1]:.1f})"
    return f"({xy[0, 0]:.1f}, {xy[0, 1]:.1f}) → ({xy[-1, 0]:.1f}, {xy[-1, 1]:.1f})"


def describe(demo: DemoTerritory, seed: int) -> str:
    """The README of ``data/demo`` (English), with this generation's figures."""
    f = figures(demo)
    h = hydraulic_check(demo)
    v = demo.valley
    hyd = v.hydrograph
    sc = {s.code: s for s in v.scenarios}
    marks = demo.landmarks.set_index("name").geometry
    env_area = {code: float(s.extent.sum() * plan.CELL_M ** 2 / 1e6) for code, s in sc.items()}
    lines = [
        "# Saint-Aubin-sur-Rive — the embedded demo territory",
        "",
        "**Everything here is synthetic.** Saint-Aubin-sur-Rive, its INSEE code 99001 and "
        "the river \"la Rive\" are fictional; no file in this folder describes a real "
        "place. The commune is generated by jumeau's own deterministic code "
        "(`jumeau.demo`) and stored in the formats and schemas of the real French open "
        "data (IGN BD TOPO v3, Géorisques TRI maps, INSEE 200 m grid, a GeoTIFF DEM), so "
        "that the demo goes through the same readers as real data.",
        "",
        "## Regenerate",
        "",
        "```",
        f"jumeau data demo --seed {seed} --out data/demo",
        "# or, from Python:",
        f"python -c \"from jumeau.io.demo import write_demo; write_demo('data/demo', "
        f"seed={seed})\"",
        "```",
        "",
        "The same seed gives the same content (geometries, attributes, DEM values); "
        "`tests/demo/test_demo.py` regenerates it and compares it with the files here. "
        "Generation takes a few seconds.",
        "",
        "## Files",
        "",
        "| file | content |",
        "| --- | --- |",
        "| `territory.yaml` | the manifest (`jumeau.io.manifest.load_territory`) |",
        "| `bdtopo/bdtopo.gpkg` | BD TOPO v3 layers with GeoPackage field names: `commune`, "
        "`batiment`, `troncon_de_route`, `surface_hydrographique`, "
        "`troncon_hydrographique`, `zone_de_vegetation`, `zone_d_activite_ou_d_interet` |",
        "| `georisques/n_tri_stau_inondable_s_099.*` | TRI flood envelopes (COVADIS model): "
        "scenarios 01For, 02Moy, 04Fai |",
        "| `georisques/n_tri_stau_iso_ht_02moy_s_099.*` | water-depth classes of the "
        "medium scenario (0–0.5, 0.5–1, 1–2, ≥ 2 m) |",
        "| `insee/carreaux_200m.gpkg` | INSEE-like 200 m grid (Filosofi 2017 fields), "
        "EPSG:3035 |",
        "| `mnt/mnt_5m.tif` | DEM, 5 m, float32, EPSG:2154, nodata −99999 |",
        "| `landmarks.geojson` | named lines and points for scenario files |",
        "",
        "## What is in it",
        "",
        f"- Commune: {f['area_km2']:.2f} km², {f['population']:.0f} inhabitants "
        f"({f['households']:.0f} households) in {f['cells']:.0f} populated 200 m cells.",
        f"- Buildings: {f['buildings']:.0f} footprints ({f['residential']:.0f} residential): "
        "terraced houses in the old centre, detached houses with garages in the suburbs, "
        "sheds in the activity zone, six blocks of flats, public buildings. About 15 % of "
        "heights and 40 % of residential dwelling counts are missing, as in real BD TOPO.",
        f"- Roads: {f['roads']:.0f} tronçons ({f['roads_km']:.1f} km), split at every "
        f"intersection; departmental roads D 12 (along the valley) and D 27 (across it, "
        f"over the bridge \"Pont Saint-Aubin\"), a roundabout, {f['oneway']:.0f} one-way "
        "tronçons in the old centre, suburban loops and cul-de-sacs, tracks and footpaths.",
        "- Facilities (`zone_d_activite_ou_d_interet`): town hall, church, two primary "
        "schools (one on the floodplain), a secondary school, the nursing home "
        "\"EHPAD Les Tilleuls\" (behind the levee), the fire station (on the north hill), "
        "a gymnasium, a stadium, the municipal depot (waste collection) and the waste "
        "transfer station, three parks and gardens, the activity zone.",
        f"- Vegetation: {f['vegetation']:.0f} zones (woods on the hills, riparian trees, "
        "tree lines along the avenues, orchards, scrub).",
        f"- DEM: {demo.dem_m.shape[1]} × {demo.dem_m.shape[0]} cells of 5 m "
        f"(2.4 × 2.0 km), {f['dem_min_m']:.1f}–{f['dem_max_m']:.1f} m. La Rive flows west "
        f"to east across it with a slope of {plan.RIVER_SLOPE * 1000:.1f} m/km in a "
        f"{2 * plan.CHANNEL_HALF_WIDTH_M:.0f} m wide, {plan.CHANNEL_DEPTH_M:.0f} m deep "
        "channel; a wide floodplain on the south bank (activity zone, the low district "
        "Les Prés, the district La Prairie basse behind a levee), the old centre on a "
        "terrace behind a quay on the north bank, hills 30–50 m above the valley, and a "
        "small tributary (Ruisseau des Fontaines).",
        "",
        "## Hydraulic design",
        "",
        "Normal depth (Manning; n = 0.035 in the channel, 0.05 on the floodplain; bed "
        "slope 1 m/km) on cross-sections of the DEM every 25 m, levels smoothed along the "
        "river. Buildings are not obstacles in this estimate: a 2D model with buildings "
        "will give somewhat higher levels.",
        "",
        f"- Bankfull discharge: **{v.bankfull_m3s:.0f} m³/s**.",
        f"- Suggested 100-year inflow hydrograph (at `river_inflow`): time_s = "
        f"{[int(t) for t in hyd.time_s]}, discharge_m3s = "
        f"{[int(q) for q in hyd.discharge_m3s]} (rise 2 h, peak 1 h, fall 3 h).",
        f"- TRI scenarios: 01For {sc['01For'].discharge_m3s:.0f} m³/s "
        f"({env_area['01For']:.2f} km² flooded), 02Moy {sc['02Moy'].discharge_m3s:.0f} m³/s "
        f"({env_area['02Moy']:.2f} km²), 04Fai {sc['04Fai'].discharge_m3s:.0f} m³/s "
        f"({env_area['04Fai']:.2f} km²). Each envelope is the area below that scenario's "
        "level and connected to the river. As TRI maps assume levees can fail "
        "(\"transparence des digues\"), the district behind the levee is mapped as "
        "flooded in 02Moy and 04Fai; in 01For the levee holds.",
        f"- Quay: top at {h.quay_top_m:.2f} m; Q100 level in front of it "
        f"{h.quay_level_m:.2f} m, so the low streets behind it take "
        f"{h.behind_quay_depth_m[1]:.2f} m of water (95th percentile "
        f"{h.behind_quay_depth_m[2]:.2f} m). With a {plan.QUAY_WALL_HEIGHT_M} m wall on "
        f"the quay (top {h.quay_top_m + plan.QUAY_WALL_HEIGHT_M:.2f} m) the level is "
        f"{h.quay_level_wall_m:.2f} m and the centre stays dry: "
        f"{'yes' if h.wall_protects else 'NO'}.",
        f"- Levee: crest {h.levee_crest_m[0]:.2f}–{h.levee_crest_m[1]:.2f} m, "
        f"{h.levee_height_m[0]:.1f}–{h.levee_height_m[1]:.1f} m above the ground under "
        f"it, freeboard over the Q100 level {h.levee_freeboard_m[0]:.2f}–"
        f"{h.levee_freeboard_m[1]:.2f} m; the district behind stays dry at Q100: "
        f"{'yes' if h.district_dry else 'NO'}. Through a breach at `levee_breach` it "
        f"floods over {h.breach_area_m2 / 1e4:.1f} ha, median depth "
        f"{h.breach_depth_m[0]:.2f} m, up to {h.breach_depth_m[1]:.2f} m.",
        "",
        "Cross-check in 2D (done once on the seed-42 files, not re-run by `write_demo`): "
        "`jumeau.flood.solver` (local inertial; n = 0.035 in the channel, 0.05 elsewhere) "
        "with this hydrograph injected on the channel cells of `river_inflow` and a free "
        "outflow on the east edge gives the same picture: 0.99 km² flooded (0.94 km² "
        "with the buildings as obstacles), 0.77 m (0.82 m) median depth behind the quay, "
        "the quay level within 0.1 m of the estimate above, the district behind the "
        "levee dry with at least 0.15 m of freeboard left; with the 1.2 m wall the "
        "centre stays dry; with the levee breached at `levee_breach` the district floods "
        "over 12 ha, 1.1 m deep (median).",
        "",
        "## Landmarks (EPSG:2154)",
        "",
        "| name | coordinates | what |",
        "| --- | --- | --- |",
    ]
    for name, desc in zip(demo.landmarks["name"], demo.landmarks["description"]):
        lines.append(f"| `{name}` | {_coords(marks[name])} | {desc.split('. ')[0]} |")
    lines += [
        "",
        "## Licence",
        "",
        "Generated data, part of jumeau (same licence as the code). Field names and codes "
        "follow the published specifications of IGN BD TOPO v3, the COVADIS "
        "\"Directive Inondation\" model and INSEE Filosofi; no real data was used.",
        "",
    ]
    return "\n".join(lines)
