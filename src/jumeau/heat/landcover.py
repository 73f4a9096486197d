"""The land-cover grid of the heat model, and its biophysical properties per cell.

:func:`derive_landcover` rasterises the territory's layers onto a grid of integer codes
(:data:`CLASSES`), in this order, each over the previous ones:

1. open ground not mapped by any layer (yards, verges, private gardens): ``OPEN_GROUND``;
2. water surfaces, and watercourse lines buffered by their width;
3. roads and paved areas (drivable roads buffered by half their width plus a 1.5 m
   sidewalk; tracks as bare soil);
4. vegetation zones in layer order (so polygons added by measures, appended last, win);
5. buildings, by height class (low < 7 m, mid < 15 m, high).

A vegetation polygon with an explicit ``canopy_share`` (a measure "plant trees in this
square at 30 % canopy") does not change the ground class under a ``trees`` polygon: it
lays a tree canopy over a share of each cell. Cell properties are then mixed
(:func:`properties`): ``p = c·p_trees + (1 − c)·p_ground`` for shade, albedo and kc
(assumption: canopy and ground act in proportion of their areas). Buildings whose
``roof_albedo`` is set (cool roofs) take that albedo. Where neither applies the cell's
properties are exactly its class's row of the biophysical table, as in InVEST.

A user's land-cover raster (``landcover:`` in the manifest) replaces steps 1-5; measures
then act on it through their vegetation polygons (``vegetation_id`` starting with
:data:`MEASURE_PREFIX`), with the properties of jumeau's default classes, and through roof
albedos.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.territory.model import Territory
from jumeau.territory.raster import label_footprints, rasterize
from jumeau.territory.terrain import Terrain

SEALED, BUILDING_LOW, BUILDING_MID, BUILDING_HIGH = 1, 2, 3, 4
WATER, GRASS, PARK, TREES, FARMLAND, ORCHARD, SCRUB, WETLAND, BARE, OPEN_GROUND = range(5, 15)

#: Land-cover codes jumeau derives → (name, label).
CLASSES: dict[int, tuple[str, Text]] = {
    SEALED: ("sealed", Text("voirie et surfaces imperméables", "roads and paved surfaces")),
    BUILDING_LOW: ("building_low", Text("bâti bas (< 7 m)", "low buildings (< 7 m)")),
    BUILDING_MID: ("building_mid", Text("bâti moyen (7 à 15 m)", "mid-rise buildings (7-15 m)")),
    BUILDING_HIGH: ("building_high", Text("bâti haut (≥ 15 m)", "high buildings (≥ 15 m)")),
    WATER: ("water", Text("eau", "water")),
    GRASS: ("grass", Text("pelouse, prairie", "grass, lawn")),
    PARK: ("park", Text("parc, jardin", "park, garden")),
    TREES: ("trees", Text("arbres, bois", "trees, woods")),
    FARMLAND: ("farmland", Text("cultures", "farmland")),
    ORCHARD: ("orchard", Text("vergers, vignes", "orchards, vineyards")),
    SCRUB: ("scrub", Text("broussailles", "scrub")),
    WETLAND: ("wetland", Text("zone humide", "wetland")),
    BARE: ("bare", Text("sol nu", "bare soil")),
    OPEN_GROUND: ("open_ground", Text("terrain non cartographié (cours, jardins privés)",
                                      "unmapped ground (yards, private gardens)")),
}

#: Vegetation cover (``vegetation.cover``) → land-cover code.
COVER_CODES = {"forest": TREES, "woodland": TREES, "hedge": TREES, "trees": TREES,
               "park": PARK, "garden": PARK, "grass": GRASS, "sports": GRASS,
               "farmland": FARMLAND, "orchard": ORCHARD, "vineyard": ORCHARD,
               "scrub": SCRUB, "wetland": WETLAND, "cemetery": OPEN_GROUND,
               "sealed": SEALED, "bare": BARE, "unknown": OPEN_GROUND}

#: ``vegetation_id`` prefix of polygons written by measures.
MEASURE_PREFIX = "mesure-"

#: Building height limits of the low / mid / high classes (m); assumption.
LOW_BELOW_M, MID_BELOW_M = 7.0, 15.0
#: Storey height used when only the number of storeys is known (m); assumption.
STOREY_M = 3.0
#: Sidewalks added on each side of a road's carriageway (m); assumption.
SIDEWALK_M = 1.5
#: Width given to vegetation lines (hedges) and points (isolated trees) (m); assumption.
HEDGE_WIDTH_M, TREE_CROWN_M = 3.0, 6.0

TABLE_COLUMNS = ("kc", "shade", "albedo", "green_area", "building_intensity")


@dataclass(frozen=True)
class LandCover:
    """A land-cover grid with the per-cell overrides set by measures.

    Attributes
    ----------
    codes
        Integer land-cover codes (row 0 north); 0 where there is no data.
    grid
        The grid (transform, CRS); its ``elevation_m`` holds the codes as floats (NaN:
        no data) so that it can be written as a GeoTIFF.
    canopy_share
        Tree canopy laid over the ground class (0-1), NaN where none.
    roof_albedo
        Albedo of roofs changed by measures, NaN elsewhere.
    overlay
        Property overrides of measure polygons on a user raster: dict of arrays
        (NaN where none), or None.
    derived
        True when jumeau derived the grid from the territory's layers.
    """

    codes: np.ndarray
    grid: Terrain
    canopy_share: np.ndarray
    roof_albedo: np.ndarray
    overlay: dict | None = None
    derived: bool = True

    @property
    def valid(self) -> np.ndarray:
        return self.codes > 0

    @property
    def cell_m(self) -> float:
        return self.grid.resolution_m


def make_grid(bounds: tuple[float, float, float, float], resolution_m: float,
              crs: object) -> Terrain:
    """An empty grid covering ``bounds`` with whole cells aligned on multiples of the size."""
    x0, y0, x1, y1 = bounds
    r = resolution_m
    x0, y0 = math.floor(x0 / r) * r, math.floor(y0 / r) * r
    x1, y1 = math.ceil(x1 / r) * r, math.ceil(y1 / r) * r
    nx, ny = max(1, round((x1 - x0) / r)), max(1, round((y1 - y0) / r))
    return Terrain(np.zeros((ny, nx), dtype=np.float32), Affine(r, 0, x0, 0, -r, y1), crs,
                   derived=True, method="landcover")


def _burn(codes: np.ndarray, geoms, grid: Terrain, values, *, all_touched=False) -> None:
    """Burn values onto ``codes`` in place (later geometries over earlier ones)."""
    geoms = np.asarray(geoms)
    if not len(geoms):
        return
    burnt = rasterize(geoms, grid, values, fill=-1, dtype="int32", all_touched=all_touched)
    hit = burnt >= 0
    codes[hit] = burnt[hit]


def _road_areas(roads: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Paved road surfaces (buffered carriageway and sidewalks) and their codes."""
    cls = roads["road_class"].to_numpy()
    paved = ~np.isin(cls, ("path", "cycleway", "steps"))
    geoms = roads.geometry.values[paved]
    width = roads["width_m"].to_numpy(float)[paved]
    half = np.where(np.isfinite(width), width, 5.0) / 2 + SIDEWALK_M
    code = np.where(cls[paved] == "track", BARE, SEALED)
    return shapely.buffer(geoms, half, cap_style="flat"), code


def derive_landcover(territory: Territory, resolution_m: float = 10.0) -> LandCover:
    """Rasterise the territory's layers into land-cover codes (see the module docstring).

    Parameters
    ----------
    territory
        Any territory with vector layers (a boundary or buildings give the extent).
    resolution_m
        Cell size (m).
    """
    bounds = territory.extent
    if not np.all(np.isfinite(bounds)):
        raise JumeauError(
            Text("impossible de dériver l'occupation du sol : le territoire « {t} » n'a ni "
                 "couche vecteur ni raster d'occupation du sol",
                 "cannot derive the land cover: territory '{t}' has neither vector layers nor "
                 "a land-cover raster").format(t=territory.name), field="landcover",
            fix=Text("ajoutez des couches (bâtiments, voirie, végétation) ou "
                     "`landcover: {path: …}` au manifeste",
                     "add layers (buildings, roads, vegetation) or `landcover: {path: …}` to "
                     "the manifest"))
    grid = make_grid(bounds, resolution_m, territory.crs)
    codes = np.full(grid.shape, OPEN_GROUND, dtype=np.int32)
    canopy = np.full(grid.shape, np.nan)

    water = territory.water
    if len(water):
        g = water.geometry.values
        dim = shapely.get_dimensions(g)
        width = water["width_m"].to_numpy(float)
        g = np.where((dim == 1) & np.isfinite(width),
                     shapely.buffer(g, np.nan_to_num(width) / 2, cap_style="flat"), g)
        _burn(codes, g, grid, WATER)

    if len(territory.roads):
        areas, code = _road_areas(territory.roads)
        _burn(codes, areas, grid, code)
        lines = territory.roads.geometry.values[territory.roads["road_class"].isin(
            ("motorway", "trunk", "primary", "secondary", "tertiary", "residential")).to_numpy()]
        _burn(codes, lines, grid, SEALED)  # keep every street at least one cell wide

    veg = territory.vegetation
    if len(veg):
        g = veg.geometry.values
        dim = shapely.get_dimensions(g)
        g = np.where(dim == 0, shapely.buffer(g, TREE_CROWN_M / 2),
                     np.where(dim == 1, shapely.buffer(g, HEDGE_WIDTH_M / 2), g))
        cover = veg["cover"].map(COVER_CODES).fillna(OPEN_GROUND).to_numpy(int)
        share = veg["canopy_share"].to_numpy(float)
        share = np.where(share > 0, np.clip(share, 0, 1), np.nan)
        partial = np.isfinite(share) & (share < 1)
        # A partial canopy over "trees" keeps the ground below it: such polygons only lay
        # a canopy. Every other polygon sets the class (a park with a partial canopy is
        # grass under that canopy). Later polygons win, whichever of the two kinds.
        overlay_only = partial & (cover == TREES)
        order = np.arange(len(veg))
        sets_class = rasterize(g[~overlay_only], grid, order[~overlay_only], fill=-1,
                               dtype="int32")
        lays_canopy = rasterize(g[overlay_only], grid, order[overlay_only], fill=-1,
                                dtype="int32")
        hit = sets_class >= 0
        ground = np.where(partial & (cover == PARK), GRASS, cover)
        codes[hit] = ground[sets_class[hit]]
        canopy[hit] = np.where(partial[sets_class[hit]], share[sets_class[hit]], np.nan)
        top = lays_canopy > sets_class
        canopy[top] = share[lays_canopy[top]]

    roof = np.full(grid.shape, np.nan)
    b = territory.buildings
    if len(b):
        labels = label_footprints(b.geometry.values, grid)
        height = b["height_m"].to_numpy(float)
        height = np.where(np.isfinite(height), height, b["levels"].to_numpy(float) * STOREY_M)
        bcode = np.where(height >= MID_BELOW_M, BUILDING_HIGH,
                         np.where(height >= LOW_BELOW_M, BUILDING_MID, BUILDING_LOW))
        inside = labels > 0
        codes[inside] = bcode[labels[inside] - 1]
        canopy[inside] = np.nan
        roof[inside] = b["roof_albedo"].to_numpy(float)[labels[inside] - 1]
    grid = grid.with_elevation(codes.astype(np.float32))
    return LandCover(codes=codes, grid=grid, canopy_share=canopy, roof_albedo=roof)


def from_raster(raster: Terrain, territory: Territory, default_table: pd.DataFrame) -> LandCover:
    """A user's land-cover raster, with the measures of ``territory`` laid over it."""
    values = np.asarray(raster.elevation_m, dtype=float)
    codes = np.where(np.isfinite(values), values, 0).astype(np.int32)
    grid = raster.with_elevation(np.where(codes > 0, codes, np.nan).astype(np.float32))
    roof = np.full(codes.shape, np.nan)
    b = territory.buildings
    if len(b) and np.isfinite(b["roof_albedo"].to_numpy(float)).any():
        labels = label_footprints(b.geometry.values, grid)
        inside = labels > 0
        roof[inside] = b["roof_albedo"].to_numpy(float)[labels[inside] - 1]
    overlay = None
    canopy = np.full(codes.shape, np.nan)
    veg = territory.vegetation
    mine = veg[veg["vegetation_id"].astype(str).str.startswith(MEASURE_PREFIX)]
    if len(mine):
        index = rasterize(mine.geometry.values, grid, np.arange(len(mine)), fill=-1,
                          dtype="int32")
        hit = index >= 0
        cover = mine["cover"].map(COVER_CODES).fillna(OPEN_GROUND).to_numpy(int)[index[hit]]
        share = mine["canopy_share"].to_numpy(float)[index[hit]]
        partial = (share > 0) & (share < 1)
        # Trees with a partial canopy keep the user's ground; other covers replace it
        # with jumeau's default class (a park's ground is grass under its own canopy).
        ground = np.where(partial & (cover == PARK), GRASS, cover)
        replace = ~(partial & (cover == TREES))
        overlay = {col: np.full(codes.shape, np.nan) for col in TABLE_COLUMNS}
        rows, cols = np.nonzero(hit)
        for col in TABLE_COLUMNS:
            values = default_table[col].reindex(ground).to_numpy(float)
            overlay[col][rows[replace], cols[replace]] = values[replace]
        canopy[rows[partial], cols[partial]] = share[partial]
    return LandCover(codes=codes, grid=grid, canopy_share=canopy, roof_albedo=roof,
                     overlay=overlay, derived=False)


@dataclass(frozen=True)
class Properties:
    """Biophysical properties per cell (NaN / False where there is no data)."""

    shade: np.ndarray
    albedo: np.ndarray
    kc: np.ndarray
    green: np.ndarray
    building_intensity: np.ndarray
    valid: np.ndarray


def properties(landcover: LandCover, table: pd.DataFrame,
               default_table: pd.DataFrame | None = None) -> Properties:
    """Look the codes up in the biophysical table, then apply canopy and roof overrides.

    Parameters
    ----------
    landcover
        The grid.
    table
        Biophysical table indexed by ``lucode`` (columns :data:`TABLE_COLUMNS`); its
        ``attrs["source"]`` names its file for error messages.
    default_table
        Where the tree properties of a canopy overlay come from when ``table`` has no
        ``TREES`` row (default: ``table``).
    """
    valid = landcover.valid
    present = np.unique(landcover.codes[valid])
    missing = sorted(set(present.tolist()) - set(table.index.tolist()))
    if missing:
        raise JumeauError(
            Text("code(s) d'occupation du sol absent(s) de la table biophysique : {c}",
                 "land-cover code(s) missing from the biophysical table: {c}").format(
                c=", ".join(map(str, missing[:10]))),
            path=table.attrs.get("source") or None, field="lucode",
            fix=Text("ajoutez une ligne par code (lucode, kc, shade, albedo, green_area, "
                     "building_intensity)", "add one row per code (lucode, kc, shade, albedo, "
                     "green_area, building_intensity)"))
    size = int(max(present.max(initial=0), 0)) + 1
    out = {}
    for col in TABLE_COLUMNS:
        lut = np.full(size, np.nan)
        rows = table.index[(table.index >= 0) & (table.index < size)]
        lut[rows.to_numpy(int)] = table.loc[rows, col].to_numpy(float)
        out[col] = np.where(valid, lut[np.where(valid, landcover.codes, 0)], np.nan)
    if landcover.overlay is not None:
        for col, values in landcover.overlay.items():
            has = np.isfinite(values) & valid
            out[col][has] = values[has]
    c = landcover.canopy_share
    if np.isfinite(c).any():
        source = table if TREES in table.index else (default_table if default_table is not None
                                                      else table)
        trees = source.loc[TREES]
        has = np.isfinite(c) & valid
        for col in ("shade", "albedo", "kc"):
            out[col][has] = c[has] * float(trees[col]) + (1 - c[has]) * out[col][has]
        out["green_area"][has] = np.where(c[has] >= 0.5, 1.0, out["green_area"][has])
    roof = landcover.roof_albedo
    has = np.isfinite(roof) & valid
    out["albedo"][has] = roof[has]
    return Properties(shade=out["shade"], albedo=out["albedo"], kc=out["kc"],
                      green=(out["green_area"] >= 0.5) & valid,
                      building_intensity=out["building_intensity"], valid=valid)
