"""A synthetic territory for map tests and benchmarks (no file, no network).

A grid of buildings between streets, a river along the south edge, a DEM sloping
down to the river, and result-like grids (a max water depth, its growth over time,
levels at observation points). Deterministic for a given seed.
"""

from __future__ import annotations

import dataclasses
import math

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine

from jumeau.i18n import Text
from jumeau.maps import Field, Graduated, MapBuilder, Style, blues
from jumeau.territory import Terrain, Territory
from jumeau.territory.model import DEFAULT_CRS
from jumeau.territory.schema import conform

#: South-west corner of the built area (Lambert-93, near Paris).
X0, Y0 = 652_000.0, 6_862_000.0
SPACING_M = 25.0
#: What the test building is called: markup that must show as text.
XSS_NAME = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">'

USES = ("residential", "residential", "commercial", "public", "industrial")


def layout(n_buildings: int) -> int:
    """Buildings per row of the grid."""
    return max(2, math.ceil(math.sqrt(n_buildings)))


def make_territory(n_buildings: int = 20, *, seed: int = 0, cell_m: float = 10.0,
                   special_name: str | None = XSS_NAME) -> Territory:
    """A territory of ``n_buildings`` on a street grid, a river and a sloping DEM.

    The building in the middle of the grid is named ``special_name`` and is larger.
    """
    rng = np.random.default_rng(seed)
    side = layout(n_buildings)
    i = np.arange(n_buildings)
    col, row = i % side, i // side
    x = X0 + col * SPACING_M + 4
    y = Y0 + row * SPACING_M + 4
    w = rng.uniform(8, 15, n_buildings)
    h = rng.uniform(8, 14, n_buildings)
    middle = (side // 2) * side + side // 2 if n_buildings > side else n_buildings // 2
    middle = min(middle, n_buildings - 1)
    w[middle], h[middle] = 16.0, 16.0
    geoms = shapely.box(x, y, x + w, y + h)
    names = np.array([""] * n_buildings, dtype=object)
    names[::7] = [f"Bâtiment {k}" for k in range(len(names[::7]))]
    if special_name is not None:
        names[middle] = special_name
    levels = rng.integers(1, 6, n_buildings).astype(float)
    buildings = conform(gpd.GeoDataFrame({
        "building_id": [f"B{k}" for k in range(n_buildings)],
        "name": names,
        "use": np.array(USES, dtype=object)[i % len(USES)],
        "height_m": levels * 3.0,
        "levels": levels,
        "dwellings": np.where(i % len(USES) < 2, levels * 2, 0.0),
        "population": np.where(i % len(USES) < 2, levels * 4.1, 0.0),
    }, geometry=geoms, crs=DEFAULT_CRS), "buildings")

    extent_x = side * SPACING_M
    n_rows = math.ceil(n_buildings / side)
    extent_y = n_rows * SPACING_M
    lines, classes, road_names = [], [], []
    for k in range(n_rows + 1):
        yy = Y0 + k * SPACING_M
        lines.append(shapely.LineString([(X0 - 20, yy), (X0 + extent_x + 20, yy)]))
        classes.append("primary" if k == n_rows // 2 else "residential")
        road_names.append(f"Rue {k}" if k else "Quai <b>de la Rivière</b>")
    for k in range(side + 1):
        xx = X0 + k * SPACING_M
        lines.append(shapely.LineString([(xx, Y0 - 20), (xx, Y0 + extent_y + 20)]))
        classes.append("path" if k == side else "tertiary")
        road_names.append(f"Avenue {k}")
    roads = conform(gpd.GeoDataFrame({
        "road_id": [f"R{k}" for k in range(len(lines))], "name": road_names,
        "road_class": classes, "speed_kmh": 30.0,
    }, geometry=lines, crs=DEFAULT_CRS), "roads")

    river = shapely.box(X0 - 60, Y0 - 70, X0 + extent_x + 60, Y0 - 35)
    stream = shapely.LineString([(X0 + extent_x + 40, Y0 + extent_y + 40),
                                 (X0 + extent_x + 40, Y0 - 35)])
    water = conform(gpd.GeoDataFrame({
        "water_id": ["W1", "W2"], "name": ["La Rivière", "Le Ru"], "kind": ["river", "stream"],
    }, geometry=[river, stream], crs=DEFAULT_CRS), "water")

    left, bottom = X0 - 80, Y0 - 90
    nx = math.ceil((extent_x + 160) / cell_m)
    ny = math.ceil((extent_y + 180) / cell_m)
    transform = Affine(cell_m, 0, left, 0, -cell_m, bottom + ny * cell_m)
    cx, cy = transform @ (np.arange(nx)[None, :] + 0.5, np.arange(ny)[:, None] + 0.5)
    elevation = 30 + 0.03 * (cy - Y0) + 1.5 * np.sin((cx - X0) / 60.0) * np.cos((cy - Y0) / 45.0)
    terrain = Terrain(np.asarray(elevation, dtype=float), transform, DEFAULT_CRS,
                      source="synthetic")
    return Territory(name="Synthèse", buildings=buildings, roads=roads, water=water,
                     terrain=terrain)


def max_depth_m(territory: Territory) -> np.ndarray:
    """A plausible max water depth on the DEM: deep by the river, dry uphill."""
    t = territory.terrain
    rows, cols = np.indices(t.shape)
    _, y = t.xy(rows, cols)
    depth = 2.0 - (y - (Y0 - 50)) / 40.0
    return np.where(depth > 0, depth, np.nan)


def depth_frames(territory: Territory, n: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Frames of rising water and their times (every 30 min)."""
    final = np.nan_to_num(max_depth_m(territory))
    share = np.linspace(0.2, 1.0, n)[:, None, None]
    frames = final[None] * share - (1 - share)
    frames = np.where(frames > 0, frames, np.nan)
    return frames, np.arange(n) * 1800.0


def gauges(territory: Territory) -> tuple[gpd.GeoDataFrame, dict[str, tuple[np.ndarray,
                                                                              np.ndarray]]]:
    """Three observation points and a water level series at each."""
    pts = gpd.GeoDataFrame({"name": ["Pont", "Mairie", "École <i>Jaurès</i>"]},
                           index=["pont", "mairie", "ecole"],
                           geometry=shapely.points([(X0 + 10, Y0 - 20), (X0 + 40, Y0 + 10),
                                                    (X0 + 70, Y0 + 5)]),
                           crs=DEFAULT_CRS)
    t = np.arange(0, 6 * 3600 + 1, 600.0)
    series = {k: (t, peak * np.exp(-((t - 3 * 3600) / 5000.0) ** 2))
              for k, peak in zip(pts.index, (1.8, 0.6, 0.3))}
    return pts, series


DEPTH_NAME = Text("Hauteur d'eau max", "Max water depth")


def example_map(territory: Territory, *, lang: str = "fr", renderer: str = "auto",
                tiles: bool = False) -> tuple[MapBuilder, dict[str, int]]:
    """A flood-like map: background, buildings by depth, a depth grid, an animation,
    series at three points, key figures. Also returns the expected feature counts."""
    depth_scale = Graduated(edges=(0.01, 0.5, 1.0, 2.0), colors=blues(4), unit="m")
    at_building_scale = dataclasses.replace(
        depth_scale, title=Text("Hauteur d'eau au bâtiment", "Water depth at the building"))
    depth = max_depth_m(territory)
    at_building = territory.sample_buildings(np.nan_to_num(depth))["max"].to_numpy()
    builder = MapBuilder(territory, title=Text("Crue de référence", "Reference flood"),
                         lang=lang, renderer=renderer, tiles=tiles)
    builder.add_basemap()
    builder.add_polygons(
        territory.buildings.assign(depth_m=at_building),
        name=Text("Bâtiments touchés", "Buildings reached"),
        style=Style(color=at_building_scale, column="depth_m", stroke="#08306b", weight_px=1.5,
                    fill_opacity=0.8),
        tooltip=[Field("name", Text("Nom", "Name")),
                 Field("depth_m", Text("Hauteur d'eau", "Water depth"), unit="m", decimals=2)])
    builder.add_raster(depth, territory.terrain, name=DEPTH_NAME, style=depth_scale)
    frames, times = depth_frames(territory)
    builder.add_raster_animation(frames, times, territory.terrain,
                                 name=Text("Montée des eaux", "Rising water"), style=depth_scale,
                                 show=True)
    points, series = gauges(territory)
    builder.add_series(points, series, name=Text("Points d'observation", "Observation points"),
                       y_label=Text("Hauteur d'eau (m)", "Water depth (m)"))
    builder.add_indicators([
        (Text("Bâtiments touchés", "Buildings reached"), str(int((at_building >= 0.01).sum()))),
        (Text("Habitants exposés", "Residents exposed"), "42"),
    ])
    expected = {"buildings": len(territory.buildings), "roads": len(territory.roads),
                "reached": int((at_building >= 0.01).sum()), "points": len(points)}
    return builder, expected
