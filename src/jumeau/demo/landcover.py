"""The demo commune's boundary, water, parks, facility zones and vegetation (BD TOPO)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from rasterio import features
from scipy import ndimage

from jumeau.demo import plan
from jumeau.demo.buildings import FACILITIES, facility_footprints, rectangle
from jumeau.demo.plan import FRAME


def boundary_uv(rng: np.random.Generator) -> shapely.Polygon:
    """The commune's limits (local coordinates): a wobbly oval of about 3 km²."""
    theta = np.radians(np.arange(0.0, 360.0, 2.0))
    phase = rng.uniform(0.0, 2 * np.pi, 3)
    wobble = (1.0 + 0.05 * np.sin(3 * theta + phase[0]) + 0.03 * np.sin(5 * theta + phase[1])
              + 0.015 * np.sin(11 * theta + phase[2]))
    r = wobble / np.hypot(np.cos(theta) / 1060.0, np.sin(theta) / 900.0)
    ring = np.column_stack([r * np.cos(theta), r * np.sin(theta) - 10.0])
    xmin, ymin, xmax, ymax = FRAME.bounds
    frame_box = shapely.box(xmin - plan.X0 + 30, ymin - plan.Y0 + 30, xmax - plan.X0 - 30,
                            ymax - plan.Y0 - 30)
    poly = shapely.intersection(shapely.Polygon(np.round(ring, 1)), frame_box)
    return shapely.normalize(poly)


def to_map_geom(geom: shapely.Geometry) -> shapely.Geometry:
    """A geometry from local coordinates to Lambert-93 (centimetre precision)."""
    return shapely.set_precision(shapely.transform(geom, lambda xy: plan.to_map(xy)), 0.01)


def commune_layer(boundary: shapely.Polygon, population: int) -> gpd.GeoDataFrame:
    """BD TOPO ``commune``."""
    return gpd.GeoDataFrame({
        "cleabs": ["COMMUNE_0000000000000001"], "code_insee": [plan.INSEE_CODE],
        "nom_officiel": [plan.COMMUNE_NAME], "population": [int(population)],
        "code_postal": ["99100"], "date_du_recensement": ["2024-01-01"],
    }, geometry=[shapely.MultiPolygon([to_map_geom(boundary)])], crs=plan.CRS)


def river_polygon() -> shapely.Polygon:
    """The river's water surface (Lambert-93), clipped to the DEM."""
    line = FRAME.river_line(plan.DEM_WEST - plan.X0 - 50, plan.DEM_WEST - plan.X0
                            + FRAME.shape[1] * plan.CELL_M + 50)
    surf = shapely.buffer(line, plan.CHANNEL_HALF_WIDTH_M, cap_style="flat")
    return shapely.set_precision(shapely.intersection(surf, shapely.box(*FRAME.bounds)), 0.01)


def water_layers() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """BD TOPO ``surface_hydrographique`` and ``troncon_hydrographique``."""
    surf = gpd.GeoDataFrame({
        "cleabs": ["SURF_EAU0000000000000001"], "nature": ["Ecoulement naturel"],
        "cpx_toponyme_de_cours_d_eau": [plan.RIVER_NAME], "persistance": ["Permanent"],
        "position_par_rapport_au_sol": ["0"], "etat_de_l_objet": ["En service"],
    }, geometry=[shapely.MultiPolygon([river_polygon()])], crs=plan.CRS)
    river = shapely.set_precision(shapely.intersection(
        FRAME.river_line(step_m=10.0), shapely.box(*FRAME.bounds)), 0.01)
    trib_uv = np.vstack([plan.TRIBUTARY_UV[:-1],
                         [[-592.0, float(plan.river_v(-592.0))]]])
    trib = shapely.intersection(shapely.LineString(plan.to_map(trib_uv)),
                                shapely.box(*FRAME.bounds))
    lines = gpd.GeoDataFrame({
        "cleabs": ["TRON_EAU0000000000000001", "TRON_EAU0000000000000002"],
        "nature": ["Cours d'eau", "Cours d'eau"],
        "cpx_toponyme_de_cours_d_eau": [plan.RIVER_NAME, plan.TRIBUTARY_NAME],
        "persistance": ["Permanent", "Intermittent"],
        "largeur": ["Entre 15 et 50 m", "Entre 0 et 15 m"],
        "position_par_rapport_au_sol": ["0", "0"],
        "sens_de_l_ecoulement": ["Sens direct", "Sens direct"],
    }, geometry=[river, shapely.set_precision(trib, 0.01)], crs=plan.CRS)
    return surf, lines


def parks_uv() -> list[tuple[shapely.Polygon, str, str]]:
    """Parks and gardens (local coordinates): geometry, name, ``nature_detaillee``."""
    low = FRAME.offset_line(-660.0, -335.0, 32.0, step_m=10.0)
    up = np.array([[-335.0, 262.0], [-450.0, 292.0], [-560.0, 320.0], [-660.0, 338.0]])
    river_park = shapely.Polygon(np.vstack([low, up]))
    garden = shapely.box(-52.0, 314.0, 32.0, 338.0)
    square = shapely.box(100.0, 190.0, 128.0, 250.0)
    return [(river_park, "Parc des Bords de Rive", "Parc"),
            (garden, "Jardin de la Mairie", "Jardin public"),
            (square, "Square des Tanneurs", "Jardin public")]


STADIUM_UV = shapely.box(185.0, -410.0, 265.0, -292.0)


def facility_zones() -> list[tuple[shapely.Polygon, dict]]:
    """Zones of interest (local coordinates) with their BD TOPO attributes."""
    out = []
    foot = facility_footprints()
    for f, g in zip(FACILITIES, foot):
        local = shapely.transform(g, lambda xy: plan.to_local(xy))
        zone = shapely.buffer(shapely.oriented_envelope(local), f.zone_margin_m,
                              join_style="mitre")
        out.append((zone, {"categorie": f.categorie, "nature": f.zone_nature,
                           "nature_detaillee": f.nature_detaillee, "toponyme": f.toponyme}))
    for poly, name, detail in parks_uv():
        out.append((poly, {"categorie": "Culture et loisirs", "nature": "Espace public",
                           "nature_detaillee": detail, "toponyme": name}))
    out.append((STADIUM_UV, {"categorie": "Sport", "nature": "Stade",
                             "nature_detaillee": "Terrain de football",
                             "toponyme": "Stade municipal de la Prairie"}))
    za = shapely.Polygon([(-790, -470), (-330, -470), (-330, -80), (-790, -100)])
    out.append((za, {"categorie": "Industriel et commercial", "nature": "Zone industrielle",
                     "nature_detaillee": "Zone d'activités",
                     "toponyme": "Zone d'activités des Varennes"}))
    return out


def zone_layer(zones: list[tuple[shapely.Polygon, dict]]) -> gpd.GeoDataFrame:
    """BD TOPO ``zone_d_activite_ou_d_interet``."""
    n = len(zones)
    return gpd.GeoDataFrame({
        "cleabs": [f"SURFACTI{i + 1:016d}" for i in range(n)],
        "categorie": [z[1]["categorie"] for z in zones],
        "nature": [z[1]["nature"] for z in zones],
        "nature_detaillee": [z[1]["nature_detaillee"] for z in zones],
        "toponyme": [z[1]["toponyme"] for z in zones],
        "importance": ["5"] * n,
        "fictif": [False] * n,
        "etat_de_l_objet": ["En service"] * n,
    }, geometry=[shapely.MultiPolygon([to_map_geom(z[0])]) for z in zones], crs=plan.CRS)


def _polygonize(mask: np.ndarray, min_area_m2: float) -> np.ndarray:
    """Polygons (Lambert-93) of a bool grid, smoothed, small ones dropped."""
    shapes = features.shapes(mask.astype(np.uint8), mask=mask, transform=FRAME.transform,
                             connectivity=4)
    geoms = np.array([shapely.geometry.shape(g) for g, _ in shapes], dtype=object)
    if not len(geoms):
        return geoms
    geoms = shapely.simplify(shapely.buffer(shapely.buffer(geoms, 4.0), -4.0), 2.0)
    return geoms[shapely.area(geoms) >= min_area_m2]


def vegetation_layer(dem_m: np.ndarray, roads: gpd.GeoDataFrame, buildings: np.ndarray,
                     boundary: shapely.Polygon, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """BD TOPO ``zone_de_vegetation``: woods, riparian trees, tree lines, orchards, scrub."""
    offset, chainage = FRAME.cell_river
    height = dem_m - FRAME.bank_level(chainage)
    pattern = ndimage.gaussian_filter(rng.standard_normal(FRAME.shape), 12.0)
    pattern /= pattern.std()
    road_geoms = np.asarray(roads.geometry.values)
    road_width = roads["largeur_de_chaussee"].to_numpy(dtype=float)
    road_cover = shapely.buffer(road_geoms, road_width / 2 + 2.0, cap_style="flat")
    built = shapely.union_all(np.r_[shapely.buffer(buildings, 6.0), road_cover])
    pieces: list[tuple[np.ndarray, str]] = []

    woods = _polygonize((height > 14.0) & (pattern > -0.3), 8000.0)
    woods = shapely.difference(woods, built)
    woods = shapely.get_parts(woods)
    woods = woods[shapely.area(woods) > 2500.0]
    big = shapely.area(woods) > 40000.0
    w_nature = np.where(big, np.where(rng.random(len(woods)) < 0.8,
                                      "Forêt fermée de feuillus", "Forêt ouverte"), "Bois")
    pieces += list(zip(woods, w_nature))

    scrub = _polygonize((height > 6.0) & (height < 25.0) & (pattern > 1.3) & (offset < 0),
                        2000.0)
    scrub = shapely.get_parts(shapely.difference(scrub, built))
    scrub = scrub[shapely.area(scrub) > 1000.0]
    pieces += [(g, "Lande ligneuse") for g in scrub]

    # Riparian trees on both banks, except along the quay and at the bridge.
    banks = []
    for lo, hi, side in ((-1200.0, -310.0, 1), (310.0, 1200.0, 1), (-1200.0, 120.0, -1),
                         (180.0, 1200.0, -1)):
        inner = FRAME.offset_line(lo, hi, side * 21.0, step_m=10.0)
        outer = FRAME.offset_line(lo, hi, side * 36.0, step_m=10.0)
        banks.append(shapely.Polygon(plan.to_map(np.vstack([inner, outer[::-1]]))))
    banks = shapely.difference(np.array(banks, dtype=object), built)
    banks = shapely.intersection(banks, shapely.box(*FRAME.bounds))
    pieces += [(g, "Forêt fermée de feuillus") for g in shapely.get_parts(banks)
               if g.area > 200.0]

    # Tree lines (5 m wide) along the avenues, cut at crossings.
    avenues = roads["nom_1_gauche"].isin(["Avenue Jean Jaurès", "Avenue de la Gare",
                                          "Avenue du Général de Gaulle"]).to_numpy()
    avenues = avenues & (roads["position_par_rapport_au_sol"].to_numpy() == "0")
    lines = []
    for geom, width in zip(road_geoms[avenues], road_width[avenues]):
        for side in (1, -1):
            lines.append(shapely.offset_curve(geom, side * (width / 2 + 3.5)))
    rows = shapely.buffer(np.array(lines, dtype=object), 2.5, cap_style="flat")
    others = shapely.union_all(shapely.buffer(road_geoms, road_width / 2 + 4.0,
                                              cap_style="flat")[~avenues])
    obstacles = shapely.union_all([others, shapely.union_all(shapely.buffer(buildings, 1.0))])
    rows = shapely.get_parts(shapely.difference(rows, obstacles))
    rows = rows[shapely.area(rows) > 40.0]
    pieces += [(g, "Haie") for g in rows]

    # Orchards in the suburbs, between houses.
    bu = shapely.Polygon(plan.to_map(shapely.get_coordinates(boundary.exterior)))
    cx = rng.uniform(*FRAME.bounds[0::2], 400)
    cy = rng.uniform(*FRAME.bounds[1::2], 400)
    ang = rng.uniform(-0.4, 0.4, 400)
    along = np.column_stack([np.cos(ang), np.sin(ang)])
    boxes = rectangle(plan.to_local(np.column_stack([cx, cy])), along,
                      rng.uniform(35, 60, 400), rng.uniform(25, 40, 400))
    ok = shapely.contains(bu, boxes) & ~shapely.intersects(boxes, built)
    ok &= ~shapely.intersects(boxes, shapely.union_all([g for g, _ in pieces]))
    lu, lv = plan.to_local(shapely.get_coordinates(shapely.centroid(boxes))).T
    ok &= np.abs(FRAME.river_coordinates(lu, lv)[0]) > 120
    pieces += [(g, "Verger") for g in boxes[ok][:14]]

    geoms = shapely.set_precision(np.array([g for g, _ in pieces], dtype=object), 0.01)
    nature = np.array([n for _, n in pieces], dtype=object)
    keep = ~shapely.is_empty(geoms)
    geoms, nature = geoms[keep], nature[keep]
    polys = shapely.get_parts(geoms, return_index=True)
    parts, owner = polys
    parts_ok = shapely.get_type_id(parts) == 3
    parts, owner = parts[parts_ok], owner[parts_ok]
    multi = shapely.multipolygons(parts, indices=np.unique(owner, return_inverse=True)[1])
    nat = nature[np.unique(owner)]
    n = len(multi)
    return gpd.GeoDataFrame({
        "cleabs": [f"ZONEVEGE{i + 1:016d}" for i in range(n)], "nature": nat,
    }, geometry=multi, crs=plan.CRS)
