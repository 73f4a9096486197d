"""The territory: one spatial model of a commune, in one metric CRS."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property

import geopandas as gpd
import numpy as np
import shapely
from affine import Affine
from pyproj import CRS

from jumeau.i18n import Text
from jumeau.territory import raster
from jumeau.territory.network import RoadNetwork
from jumeau.territory.schema import VECTOR_LAYERS, empty
from jumeau.territory.terrain import Terrain

DEFAULT_CRS = CRS.from_epsg(2154)


@dataclass(eq=False)
class Territory:
    """A commune's twin: canonical vector layers, a terrain and a road network.

    Every layer is always present (possibly empty) with the canonical columns of
    :mod:`jumeau.territory.schema`; all share ``crs``. A territory is treated as
    immutable: measures and clips return a new one (:meth:`replace`).

    Attributes
    ----------
    name
        Name of the territory (commune).
    crs
        Its projected, metric CRS (Lambert-93 by default).
    buildings, roads, water, vegetation, flood_zones, population, boundary, facilities
        Canonical layers.
    structures
        Walls, levees, breaches and other changes made by measures (drawn on maps, read
        by the flood model for their failures).
    terrain
        The DEM, or None.
    sources
        Layer name → where it was read from (file and schema).
    notes
        What the loader estimated, repaired or dropped, for the user.
    """

    name: str
    crs: CRS = DEFAULT_CRS
    buildings: gpd.GeoDataFrame | None = None
    roads: gpd.GeoDataFrame | None = None
    water: gpd.GeoDataFrame | None = None
    vegetation: gpd.GeoDataFrame | None = None
    flood_zones: gpd.GeoDataFrame | None = None
    population: gpd.GeoDataFrame | None = None
    boundary: gpd.GeoDataFrame | None = None
    facilities: gpd.GeoDataFrame | None = None
    structures: gpd.GeoDataFrame | None = None
    terrain: Terrain | None = None
    #: Optional land-cover raster of integer codes (``landcover: {path: lulc.tif}``).
    landcover: Terrain | None = None
    sources: dict[str, str] = field(default_factory=dict)
    notes: list[Text] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.crs = CRS.from_user_input(self.crs)
        for name in VECTOR_LAYERS:
            if getattr(self, name) is None:
                setattr(self, name, empty(name, self.crs))

    # -- access -------------------------------------------------------------------------
    def layer(self, name: str) -> gpd.GeoDataFrame:
        """A vector layer by name (``buildings``, ``roads``, …)."""
        if name not in VECTOR_LAYERS:
            raise KeyError(name)
        return getattr(self, name)

    def has(self, name: str) -> bool:
        """Whether the territory holds data for ``name`` (a layer or ``terrain``)."""
        if name in ("terrain", "dem"):
            return self.terrain is not None
        if name == "landcover":
            return self.landcover is not None
        return len(self.layer(name)) > 0

    def replace(self, **changes) -> Territory:
        """A new territory with some layers (or the terrain) replaced."""
        return dataclasses.replace(self, **changes)

    @cached_property
    def network(self) -> RoadNetwork:
        """The drivable road network (built on first use)."""
        return RoadNetwork.from_roads(self.roads)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax): the boundary if any, else every layer and the DEM."""
        if len(self.boundary):
            return tuple(float(v) for v in self.boundary.total_bounds)
        boxes = [self.layer(n).total_bounds for n in VECTOR_LAYERS if len(self.layer(n))]
        if self.terrain is not None:
            boxes.append(np.array(self.terrain.bounds))
        if not boxes:
            return (np.nan, np.nan, np.nan, np.nan)
        b = np.array(boxes)
        return (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()),
                float(b[:, 3].max()))

    @property
    def total_population(self) -> float:
        """Residents of all buildings (estimated where the data had none)."""
        return float(np.nansum(self.buildings["population"].to_numpy(dtype=float)))

    def summary(self) -> dict:
        """Key figures: CRS, extent, counts per layer, population, DEM and network.

        The shape of ``jumeau territory info --json``.
        """
        epsg = self.crs.to_epsg()
        dem = None
        if self.terrain is not None:
            t = self.terrain
            dem = {"resolution_m": round(t.resolution_m, 3), "derived": bool(t.derived),
                   "shape": list(t.shape), "source": t.source, "method": t.method,
                   "filled_cells": int(t.filled_cells),
                   "elevation_min_m": round(float(np.nanmin(t.elevation_m)), 2),
                   "elevation_max_m": round(float(np.nanmax(t.elevation_m)), 2)}
        network = None
        if len(self.roads):
            n = self.network
            network = {"nodes": n.n_nodes, "edges": n.n_edges, "components": n.n_components}
        p75 = self.buildings["population_75p"].to_numpy(dtype=float)
        return {
            "name": self.name,
            "crs": f"EPSG:{epsg}" if epsg else self.crs.to_string(),
            "crs_name": self.crs.name,
            "extent": [round(v, 2) for v in self.extent],
            "layers": {name: len(self.layer(name)) for name in VECTOR_LAYERS},
            "population": round(self.total_population, 1),
            "population_75p": round(float(np.nansum(p75)), 1) if np.isfinite(p75).any()
            else None,
            "dem": dem,
            "network": network,
            "sources": dict(self.sources),
            "notes": [str(n) for n in self.notes],
        }

    # -- grid helpers -------------------------------------------------------------------
    def require_terrain(self) -> Terrain:
        if self.terrain is None:
            from jumeau.errors import JumeauError

            raise JumeauError(
                Text("le territoire « {n} » n'a pas de modèle de terrain (MNT)",
                     "territory '{n}' has no terrain model (DEM)").format(n=self.name),
                fix=Text("ajoutez une couche `dem:` au manifeste du territoire "
                         "(fichier GeoTIFF/ASC, points cotés, ou `derive: true`)",
                         "add a `dem:` layer to the territory manifest (GeoTIFF/ASC file, "
                         "elevation points, or `derive: true`)"))
        return self.terrain

    def rasterize(self, layer: str, column: str | None = None, *, fill: float = 0,
                  dtype: str = "float32", all_touched: bool = False,
                  mapping: dict | None = None) -> np.ndarray:
        """Burn a layer onto the terrain grid.

        ``column`` gives the value burnt (1 when None); ``mapping`` turns a text column
        into numbers (e.g. land-cover class → Manning's n). Features not in ``mapping``
        are left out.
        """
        grid = self.require_terrain()
        frame = self.layer(layer)
        if column is None:
            values = np.ones(len(frame))
        elif mapping is not None:
            values = frame[column].map(mapping).to_numpy(dtype=float)
        else:
            values = frame[column].to_numpy(dtype=float)
        keep = np.isfinite(values)
        return raster.rasterize(frame.geometry.values[keep], grid, values[keep], fill=fill,
                                dtype=dtype, all_touched=all_touched)

    def building_mask(self) -> np.ndarray:
        """Bool grid: cells whose centre lies in a building (small ones get one cell)."""
        return self.building_labels > 0

    @cached_property
    def building_labels(self) -> np.ndarray:
        """Grid of 1-based building positions (0 = no building)."""
        return raster.label_footprints(self.buildings.geometry.values, self.require_terrain())

    def sample_buildings(self, values: np.ndarray, *, where: str = "inside"):
        """Min / max / mean of a grid over each building footprint (rows = buildings)."""
        stats = raster.footprint_stats(values, self.buildings.geometry.values,
                                       self.require_terrain(), where=where,
                                       labels=self.building_labels)
        stats.index = self.buildings.index
        return stats

    # -- clipping -----------------------------------------------------------------------
    def clip(self, polygon: shapely.Geometry) -> Territory:
        """The part of the territory inside ``polygon``.

        Buildings are kept whole when their representative point is inside; lines and
        areas are cut; the DEM is cropped to the polygon's bounding box.
        """
        changes = {}
        for name in VECTOR_LAYERS:
            frame = self.layer(name)
            if not len(frame):
                continue
            if name in ("buildings", "facilities"):
                inside = shapely.within(shapely.point_on_surface(frame.geometry.values), polygon)
                changes[name] = frame[inside].reset_index(drop=True)
            else:
                cut = frame[frame.intersects(polygon)].copy()
                cut["geometry"] = shapely.intersection(cut.geometry.values, polygon)
                changes[name] = cut[~cut.geometry.is_empty].reset_index(drop=True)
        if self.terrain is not None:
            changes["terrain"] = crop_terrain(self.terrain, polygon.bounds)
        return self.replace(**changes)


def crop_terrain(terrain: Terrain, bounds: tuple[float, float, float, float]) -> Terrain:
    """The terrain restricted to whole cells covering ``bounds``."""
    x0, y0, x1, y1 = bounds
    ny, nx = terrain.shape
    rows, cols = terrain.rowcol(np.array([x0, x1]), np.array([y1, y0]))
    r0, c0 = max(0, int(rows.min())), max(0, int(cols.min()))
    r1, c1 = min(ny, int(rows.max()) + 1), min(nx, int(cols.max()) + 1)
    transform = terrain.transform @ Affine.translation(c0, r0)
    return dataclasses.replace(terrain, elevation_m=terrain.elevation_m[r0:r1, c0:c1].copy(),
                               transform=transform)
