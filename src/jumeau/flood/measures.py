"""Measures that change the ground before a flood: walls and levees, removed obstacles,
raised floors.

Each is a typed block of a scenario's ``measures:`` list and follows the
:class:`jumeau.scenario.measures.Measure` protocol (``apply(territory) -> Territory``).
Every measure also records itself in the territory's ``structures`` layer, so maps draw
it and the flood model knows when a wall gives way.

::

    measures:
      - type: wall
        name: Mur du quai
        line: [[650708.8, 6601140.9], [651298.2, 6601108.6]]
        crest_height_m: 1.2          # above the ground along the line (or crest_z_m)
        fails: {time_h: 3.0, width_m: 30}   # optional: a breach opens at 3 h
      - type: remove_obstacle
        polygon: [[…], …]            # buildings inside are removed; optional ground_z_m
      - type: raise_floor
        polygon: [[…], …]            # ground floors of the buildings inside
        floor_height_m: 0.8
"""

from __future__ import annotations

from typing import ClassVar, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import Field, model_validator

from jumeau.errors import JumeauError
from jumeau.flood.params import Coords, FeatureRef, _line, _Model, _polygon
from jumeau.i18n import Text
from jumeau.scenario.measures import register
from jumeau.territory.model import Territory
from jumeau.territory.raster import rasterize
from jumeau.territory.schema import conform


def _area(value) -> shapely.Geometry:
    return _polygon(value)


def _add_structure(territory: Territory, row: dict, geometry: shapely.Geometry) -> gpd.GeoDataFrame:
    new = conform(gpd.GeoDataFrame([row], geometry=[geometry], crs=territory.crs), "structures")
    return gpd.GeoDataFrame(pd.concat([territory.structures, new], ignore_index=True),
                            crs=territory.crs)


def _outside(territory: Territory, geometry: shapely.Geometry, what: str) -> None:
    grid = territory.require_terrain()
    box = shapely.box(*grid.bounds)
    if not shapely.intersects(box, geometry):
        raise JumeauError(
            Text("{w} est en dehors du territoire (emprise du MNT {b})",
                 "{w} lies outside the territory (DEM extent {b})").format(
                w=what, b="[" + ", ".join(f"{v:.0f}" for v in grid.bounds) + "]"),
            field=what,
            fix=Text("vérifiez les coordonnées (Lambert-93 par défaut, en mètres)",
                     "check the coordinates (Lambert-93 by default, in metres)"))


class WallFailure(_Model):
    time_h: float = Field(ge=0)
    width_m: float = Field(gt=0)


@register("wall")
class Wall(_Model):
    """A flood wall or levee along a line, raising the ground to its crest."""

    used_by: ClassVar[tuple[str, ...]] = ("flood",)

    type: Literal["wall"] = "wall"
    name: str = ""
    line: Coords | FeatureRef
    crest_height_m: float | None = Field(None, gt=0, le=20)
    crest_z_m: float | None = None
    fails: WallFailure | None = None

    @model_validator(mode="after")
    def _one_crest(self) -> Wall:
        if (self.crest_height_m is None) == (self.crest_z_m is None):
            raise ValueError("give either `crest_height_m` (above the ground) or `crest_z_m`")
        return self

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        grid = territory.require_terrain()
        line = _line(self.line)
        _outside(territory, line, "measures.wall.line")
        # The wall occupies every cell its line touches (at least one cell thick).
        cells = rasterize([line], grid, 1, dtype="uint8", all_touched=True).astype(bool)
        z = grid.elevation_m.astype(float).copy()
        if self.crest_z_m is not None:
            z[cells] = np.maximum(z[cells], self.crest_z_m)
        else:
            z[cells] = z[cells] + self.crest_height_m
        terrain = grid.with_elevation(z.astype(np.float32))
        row = {"kind": "wall", "name": self.name, "crest_height_m": self.crest_height_m,
               "crest_z_m": self.crest_z_m,
               "fails_at_s": self.fails.time_h * 3600 if self.fails else np.nan,
               "fail_width_m": self.fails.width_m if self.fails else np.nan,
               "bottom_z_m": float(np.median(grid.elevation_m[cells]))}
        return territory.replace(terrain=terrain,
                                 structures=_add_structure(territory, row, line))


@register("remove_obstacle")
class RemoveObstacle(_Model):
    """Remove the buildings inside a polygon (and optionally level the ground there)."""

    used_by: ClassVar[tuple[str, ...]] = ("flood",)

    type: Literal["remove_obstacle"] = "remove_obstacle"
    name: str = ""
    polygon: Coords | FeatureRef
    ground_z_m: float | None = None

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        area = _area(self.polygon)
        _outside(territory, area, "measures.remove_obstacle.polygon")
        b = territory.buildings
        inside = shapely.within(shapely.point_on_surface(b.geometry.values), area)
        changes = {"buildings": b[~inside].reset_index(drop=True)}
        if self.ground_z_m is not None:
            grid = territory.require_terrain()
            cells = rasterize([area], grid, 1, dtype="uint8").astype(bool)
            z = grid.elevation_m.copy()
            z[cells] = self.ground_z_m
            changes["terrain"] = grid.with_elevation(z)
        row = {"kind": "removed", "name": self.name or f"{int(inside.sum())} bâtiments",
               "crest_z_m": self.ground_z_m if self.ground_z_m is not None else np.nan}
        changes["structures"] = _add_structure(territory, row, area)
        return territory.replace(**changes)


@register("raise_floor")
class RaiseFloor(_Model):
    """Raise the ground floor of chosen buildings (a polygon, or building ids)."""

    used_by: ClassVar[tuple[str, ...]] = ("flood",)

    type: Literal["raise_floor"] = "raise_floor"
    name: str = ""
    polygon: Coords | FeatureRef | None = None
    building_ids: list[str] | None = None
    floor_height_m: float = Field(gt=0, le=10)

    @model_validator(mode="after")
    def _one_selection(self) -> RaiseFloor:
        if (self.polygon is None) == (self.building_ids is None):
            raise ValueError("give either `polygon` or `building_ids`")
        return self

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        b = territory.buildings.copy()
        if self.polygon is not None:
            area = _area(self.polygon)
            _outside(territory, area, "measures.raise_floor.polygon")
            chosen = shapely.within(shapely.point_on_surface(b.geometry.values), area)
            geometry = area
        else:
            chosen = b["building_id"].isin(self.building_ids).to_numpy()
            missing = set(self.building_ids) - set(b["building_id"])
            if missing:
                raise JumeauError(Text("bâtiments inconnus : {m}", "unknown buildings: {m}"
                                       ).format(m=", ".join(sorted(missing)[:5])),
                                  field="measures.raise_floor.building_ids")
            geometry = shapely.union_all(b.geometry.values[chosen])
        floor = b["floor_z_m"].to_numpy(dtype=float).copy()
        floor[chosen] = np.fmax(np.nan_to_num(floor[chosen]), self.floor_height_m)
        b["floor_z_m"] = floor
        row = {"kind": "raised_floor", "name": self.name or f"{int(chosen.sum())} bâtiments",
               "crest_height_m": self.floor_height_m}
        return territory.replace(buildings=b, structures=_add_structure(territory, row,
                                                                        geometry))
