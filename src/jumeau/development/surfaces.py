"""Surfaces of the territory: what covers each cell, how much rain runs off it.

A grid of surface classes is burnt from the layers, later ones winning: the ground no
layer describes (``open_ground``, grass by default), land-cover polygons (largest first,
so a small park inside a wood shows), water, roads (their width, 5 m when unknown, as in
the flood model), buildings. Water cells are left out of every figure: the indicators
speak of land.

Runoff of a storm of depth P (mm)
---------------------------------
- **SCS curve number** (USDA NRCS, *Urban Hydrology for Small Watersheds*, TR-55, 1986):
  ``S = 25400 / CN − 254`` (mm), initial abstraction ``Ia = 0.2 S``, runoff depth
  ``Q = (P − Ia)² / (P − Ia + S)`` when ``P > Ia``, else 0. Curve numbers are those of
  TR-55 Table 2-2a for the chosen hydrologic soil group (impervious: 98; open space in
  good condition, > 75 % grass: 39 / 61 / 74 / 80 for groups A–D; …).
  Example: 30 mm on 1 ha of roofs (CN 98): S = 5.18 mm, Ia = 1.04 mm,
  Q = 28.96² / 34.15 = 24.57 mm, i.e. 245.7 m³; on grass, group B (CN 61), Ia = 32.5 mm
  > 30 mm: no runoff.
- **Rational method** (volumetric form): ``V = C × P × A`` with a runoff coefficient C
  per surface (defaults below are usual textbook values — an assumption; replace them
  with the local storm-water plan's).

The *runoff coefficient* reported is the volume that runs off divided by the volume that
falls on land, whatever the method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from jumeau.territory.model import Territory
from jumeau.territory.raster import rasterize
from jumeau.territory.schema import LAND_COVERS
from jumeau.territory.terrain import Terrain

#: Surface classes of the grid: built surfaces, then the land covers.
SURFACES = ("building", "road", "water") + LAND_COVERS
CODE = {name: i for i, name in enumerate(SURFACES)}

#: Surfaces sealed against rain.
SEALED = ("building", "road", "sealed")
#: Surfaces that are not vegetated (the rest of the land is green).
NOT_GREEN = ("building", "road", "water", "sealed", "bare", "unknown")

#: TR-55 (1986) Table 2-2a curve numbers for soil groups A, B, C, D.
_IMPERVIOUS = (98, 98, 98, 98)            # paved parking lots, roofs, driveways; streets
_OPEN_GOOD = (39, 61, 74, 80)             # open space, good condition (grass > 75 %)
_OPEN_FAIR = (49, 69, 79, 84)             # open space, fair condition (grass 50–75 %)
_WOODS_GOOD = (30, 55, 70, 77)            # woods, good condition
_BRUSH_GOOD = (30, 48, 65, 73)            # brush–weed–grass mixture, good (Table 2-2c)
_WOODS_GRASS = (32, 58, 72, 79)           # woods–grass combination (orchard), good
_ROW_CROPS = (67, 78, 85, 89)             # row crops, straight row, good (Table 2-2b)
_GRADED = (77, 86, 91, 94)                # newly graded areas, pervious, no vegetation
CURVE_NUMBERS = {
    "building": _IMPERVIOUS, "road": _IMPERVIOUS, "sealed": _IMPERVIOUS,
    "grass": _OPEN_GOOD, "park": _OPEN_GOOD, "sports": _OPEN_GOOD,
    "garden": _OPEN_FAIR, "cemetery": _OPEN_FAIR, "unknown": _OPEN_FAIR,
    "forest": _WOODS_GOOD, "woodland": _WOODS_GOOD, "trees": _WOODS_GOOD,
    "hedge": _BRUSH_GOOD, "scrub": _BRUSH_GOOD,
    "orchard": _WOODS_GRASS, "vineyard": _WOODS_GRASS,
    "farmland": _ROW_CROPS, "bare": _GRADED,
    "wetland": (80, 80, 80, 80),          # saturated ground: an assumption
}

#: Runoff coefficients of the rational method (usual textbook values; an assumption).
RUNOFF_COEFFICIENTS = {
    "building": 0.9, "road": 0.9, "sealed": 0.9, "bare": 0.5, "farmland": 0.3,
    "grass": 0.15, "park": 0.15, "sports": 0.15, "garden": 0.2, "cemetery": 0.2,
    "unknown": 0.2, "forest": 0.1, "woodland": 0.1, "trees": 0.1, "hedge": 0.15,
    "scrub": 0.15, "orchard": 0.2, "vineyard": 0.25, "wetland": 0.5,
}

#: Share of a cover under tree canopy when its ``canopy_share`` is unknown (assumption).
CANOPY_BY_COVER = {"forest": 1.0, "woodland": 1.0, "trees": 1.0, "hedge": 1.0,
                   "orchard": 0.5, "park": 0.3, "garden": 0.2, "cemetery": 0.2,
                   "vineyard": 0.0, "sports": 0.05, "scrub": 0.2}

_SOIL = {"A": 0, "B": 1, "C": 2, "D": 3}


def scs_runoff_mm(rain_mm: float, curve_number: np.ndarray | float) -> np.ndarray:
    """Runoff depth (mm) of a storm by the SCS curve-number method (TR-55, eq. 2-1 to 2-4).

    Examples
    --------
    >>> round(float(scs_runoff_mm(30.0, 98)), 2)
    24.57
    >>> float(scs_runoff_mm(30.0, 61))
    0.0
    """
    cn = np.asarray(curve_number, dtype=float)
    s = 25400.0 / cn - 254.0
    ia = 0.2 * s
    excess = np.maximum(rain_mm - ia, 0.0)
    return np.where(excess > 0, excess**2 / np.maximum(excess + s, 1e-12), 0.0)


@dataclass(frozen=True)
class Surfaces:
    """The surface grid of a territory.

    Attributes
    ----------
    classes
        Code (index in :data:`SURFACES`) of each cell; -1 outside the territory.
    canopy
        Share of each cell under tree canopy (0–1).
    grid
        The grid (a :class:`~jumeau.territory.terrain.Terrain`; its elevations unused).
    """

    classes: np.ndarray
    canopy: np.ndarray
    grid: Terrain

    @property
    def cell_m2(self) -> float:
        return self.grid.resolution_m ** 2

    @property
    def land(self) -> np.ndarray:
        """Cells of land inside the territory (water left out)."""
        return (self.classes >= 0) & (self.classes != CODE["water"])

    def mask(self, names: tuple[str, ...]) -> np.ndarray:
        return np.isin(self.classes, [CODE[n] for n in names])

    def area_by_class_m2(self) -> np.ndarray:
        """Land area of each surface class (m², in the order of :data:`SURFACES`)."""
        codes = self.classes[self.land]
        return np.bincount(codes, minlength=len(SURFACES)).astype(float) * self.cell_m2


def surface_grid(territory: Territory, cell_m: float) -> Terrain:
    """The grid the surfaces are burnt on: the DEM's, else one over the extent."""
    if territory.terrain is not None:
        return territory.terrain
    from affine import Affine

    x0, y0, x1, y1 = territory.extent
    nx = max(1, int(np.ceil((x1 - x0) / cell_m)))
    ny = max(1, int(np.ceil((y1 - y0) / cell_m)))
    return Terrain(np.zeros((ny, nx), dtype=np.float32),
                   Affine(cell_m, 0, x0, 0, -cell_m, y0 + ny * cell_m), territory.crs)


def classify(territory: Territory, grid: Terrain, open_ground: str) -> Surfaces:
    """Burn the territory's layers into a :class:`Surfaces` grid (see the module doc)."""
    classes = np.full(grid.shape, CODE[open_ground], dtype=np.int16)
    canopy = np.full(grid.shape, CANOPY_BY_COVER.get(open_ground, 0.0), dtype=np.float32)
    veg = territory.vegetation
    veg = veg[shapely.get_dimensions(veg.geometry.values) == 2]
    if len(veg):
        order = np.argsort(-shapely.area(veg.geometry.values), kind="stable")
        veg = veg.iloc[order]
        cover = veg["cover"].to_numpy(dtype=object)
        cover = np.where(cover == "unknown", open_ground, cover)
        codes = np.array([CODE[c] for c in cover], dtype=float)
        burnt = rasterize(veg.geometry.values, grid, codes, fill=-1, dtype="int16")
        classes = np.where(burnt >= 0, burnt, classes).astype(np.int16)
        share = veg["canopy_share"].to_numpy(dtype=float)
        usual = np.array([CANOPY_BY_COVER.get(c, 0.0) for c in cover])
        share = np.where(np.isfinite(share), share, usual)
        shade = rasterize(veg.geometry.values, grid, share, fill=np.nan, dtype="float32")
        canopy = np.where(np.isfinite(shade), shade, canopy).astype(np.float32)
    water = territory.water
    if len(water):
        dims = shapely.get_dimensions(water.geometry.values)
        width = water["width_m"].fillna(3.0).to_numpy()
        geoms = np.where(dims == 2, water.geometry.values,
                         shapely.buffer(water.geometry.values, width / 2))
        hit = rasterize(geoms, grid, 1, dtype="uint8").astype(bool)
        classes[hit] = CODE["water"]
        canopy[hit] = 0.0
    roads = territory.roads
    if len(roads):
        width = roads["width_m"].fillna(5.0).to_numpy()
        hit = rasterize(shapely.buffer(roads.geometry.values, width / 2, cap_style="flat"),
                        grid, 1, dtype="uint8").astype(bool)
        classes[hit] = CODE["road"]
        canopy[hit] = 0.0
    if len(territory.buildings):
        hit = rasterize(territory.buildings.geometry.values, grid, 1,
                        dtype="uint8").astype(bool)
        classes[hit] = CODE["building"]
        canopy[hit] = 0.0
    if len(territory.boundary):
        inside = rasterize(territory.boundary.geometry.values, grid, 1,
                           dtype="uint8").astype(bool)
        classes[~inside] = -1
    return Surfaces(classes=classes, canopy=canopy, grid=grid)


def runoff_mm(surfaces: Surfaces, *, storm_mm: float, method: str, soil_group: str,
              curve_numbers: dict[str, float] | None = None,
              coefficients: dict[str, float] | None = None) -> np.ndarray:
    """Runoff depth of the storm on each land cell (mm; NaN off land)."""
    if method == "scs":
        table = {k: v[_SOIL[soil_group]] for k, v in CURVE_NUMBERS.items()}
        table.update(curve_numbers or {})
        per_class = scs_runoff_mm(storm_mm, np.array([table.get(s, 100.0) for s in SURFACES]))
    else:
        table = dict(RUNOFF_COEFFICIENTS)
        table.update(coefficients or {})
        per_class = storm_mm * np.array([table.get(s, 1.0) for s in SURFACES])
    out = np.full(surfaces.classes.shape, np.nan)
    land = surfaces.land
    out[land] = per_class[surfaces.classes[land]]
    return out
