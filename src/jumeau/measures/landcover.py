"""Land-cover measures: de-seal a surface, plant trees, create a park, cool roofs.

Each is a typed block of a scenario's ``measures:`` list; ``apply`` returns a changed
copy of the territory and records the measure in its ``structures`` layer so every map
draws it. De-sealing, parks and trees add polygons to the ``vegetation`` layer (their
``vegetation_id`` starts with ``mesure-``, which :mod:`jumeau.heat.landcover` also lays
over a user's land-cover raster); cool roofs set the buildings' ``roof_albedo``::

    measures:
      - type: deseal
        name: Place du Marché désimperméabilisée
        polygon: [[651010, 6601250], [651060, 6601250], [651060, 6601290], [651010, 6601290]]
      - type: plant_trees
        street: Rue de la République       # or line: [[x, y], …], or polygon + canopy_share
        spacing_m: 8
      - type: plant_trees
        polygon: [[…], …]
        trees: 300                         # → canopy share of the polygon
      - type: create_park
        polygon: [[…], …]
        canopy_share: 0.3
      - type: cool_roofs
        facility: [town_hall, school]      # or use: [public], building_ids: […], buildings: all
        roof_albedo: 0.7
"""

from __future__ import annotations

from typing import ClassVar, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field, model_validator

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.scenario.measures import register
from jumeau.scenario.refs import FeatureRef
from jumeau.territory.model import Territory
from jumeau.territory.schema import BUILDING_USES, FACILITIES, conform

Coords = list[tuple[float, float]]

#: ``vegetation_id`` prefix of the polygons written by these measures.
MEASURE_PREFIX = "mesure-"
#: Crown diameter of a planted street tree (m): about 6 m for a young to mid-aged urban
#: tree (assumption).
CROWN_DIAMETER_M = 6.0
#: Albedo of a cool roof: white reflective coating, aged (about 0.6-0.7; Akbari, Menon &
#: Rosenfeld 2009, "Global cooling", Climatic Change 94; assumption).
COOL_ROOF_ALBEDO = 0.7

_CHECK = Text("vérifiez les coordonnées : elles sont dans le système du territoire "
              "(Lambert-93 par défaut, en mètres)", "check the coordinates: they are in the "
              "territory's CRS (Lambert-93 by default, in metres)")


class _Measure(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _geometry(value, kind: str, field: str) -> shapely.Geometry:
    if isinstance(value, FeatureRef):
        return value.value
    geom = shapely.Polygon(value) if kind == "polygon" else shapely.LineString(value)
    if not geom.is_valid or (kind == "polygon" and geom.area <= 0) or geom.length <= 0:
        raise JumeauError(Text("géométrie invalide (elle se recoupe ou n'a pas de taille)",
                               "invalid geometry (it crosses itself or has no size)"),
                          field=field, fix=_CHECK)
    return geom


def territory_area(territory: Territory) -> shapely.Geometry:
    """Where measures may act: the DEM, else the layers' extent, else the land-cover raster."""
    if territory.terrain is not None:
        return shapely.box(*territory.terrain.bounds)
    extent = territory.extent
    if np.all(np.isfinite(extent)):
        return shapely.box(*extent)
    if territory.landcover is not None:
        return shapely.box(*territory.landcover.bounds)
    return shapely.Polygon()


def require_within(territory: Territory, geometry: shapely.Geometry, field: str) -> None:
    """Refuse a geometry not entirely inside the territory (1 m tolerance)."""
    area = territory_area(territory)
    if area.is_empty or not shapely.covered_by(geometry, area.buffer(1.0)):
        part = Text("en partie ", "partly ") if shapely.intersects(geometry, area) else Text(
            "", "")
        raise JumeauError(
            Text("{p}en dehors du territoire (emprise {b})", "{p}outside the territory "
                 "(extent {b})").format(p=part, b="[" + ", ".join(
                     f"{v:.0f}" for v in area.bounds) + "]"), field=field, fix=_CHECK)


def _next_id(territory: Territory, kind: str) -> str:
    ids = territory.vegetation["vegetation_id"].astype(str)
    n = int(ids.str.startswith(f"{MEASURE_PREFIX}{kind}-").sum()) + 1
    return f"{MEASURE_PREFIX}{kind}-{n}"


def _add(territory: Territory, *, vegetation: dict | None, geometry: shapely.Geometry,
         kind: str, name: str, **changes) -> Territory:
    """A copy with a vegetation polygon (if any) and a structure row appended."""
    crs = territory.crs
    if vegetation is not None:
        row = conform(gpd.GeoDataFrame([vegetation], geometry=[geometry], crs=crs),
                      "vegetation")
        changes["vegetation"] = gpd.GeoDataFrame(
            pd.concat([territory.vegetation, row], ignore_index=True), crs=crs)
    record = conform(gpd.GeoDataFrame([{"kind": kind, "name": name}], geometry=[geometry],
                                      crs=crs), "structures")
    changes["structures"] = gpd.GeoDataFrame(
        pd.concat([territory.structures, record], ignore_index=True), crs=crs)
    return territory.replace(**changes)


@register("deseal")
class Deseal(_Measure):
    """De-seal a surface (a car park, a square): it becomes grass, or a park."""

    used_by: ClassVar[tuple[str, ...]] = ("heatwave", "development", "flood")

    type: Literal["deseal"] = "deseal"
    name: str = ""
    polygon: Coords | FeatureRef
    cover: Literal["grass", "park"] = Field("grass", description="What replaces the paving.")
    canopy_share: float = Field(0.0, ge=0, le=1, description="Trees planted at the same time.")

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        area = _geometry(self.polygon, "polygon", "measures.deseal.polygon")
        require_within(territory, area, "measures.deseal.polygon")
        name = self.name or Text("surface désimperméabilisée", "de-sealed surface").fr
        veg = {"vegetation_id": _next_id(territory, "desealed"), "name": name,
               "cover": self.cover, "canopy_share": self.canopy_share}
        return _add(territory, vegetation=veg, geometry=area, kind="desealed", name=name)


@register("seal")
class Seal(_Measure):
    """Pave a surface: a new car park, or a square the data does not show as paved (so
    that a de-sealing variant starts from the real state)."""

    used_by: ClassVar[tuple[str, ...]] = ("heatwave", "development", "flood")

    type: Literal["seal"] = "seal"
    name: str = ""
    polygon: Coords | FeatureRef

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        area = _geometry(self.polygon, "polygon", "measures.seal.polygon")
        require_within(territory, area, "measures.seal.polygon")
        name = self.name or Text("surface imperméabilisée", "sealed surface").fr
        veg = {"vegetation_id": _next_id(territory, "sealed"), "name": name,
               "cover": "sealed", "canopy_share": 0.0}
        return _add(territory, vegetation=veg, geometry=area, kind="sealed", name=name)


@register("plant_trees")
class PlantTrees(_Measure):
    """Plant trees: a canopy share (or a number of trees) in a polygon, or a line of trees
    along a street (``street``: its name in the roads layer) or any line."""

    used_by: ClassVar[tuple[str, ...]] = ("heatwave", "development")

    type: Literal["plant_trees"] = "plant_trees"
    name: str = ""
    polygon: Coords | FeatureRef | None = None
    line: Coords | FeatureRef | None = None
    street: str | None = Field(None, description="Street name in the territory's roads.")
    canopy_share: float | None = Field(None, gt=0, le=1, description=(
        "Polygon: share of it under the new canopy."))
    trees: int | None = Field(None, ge=1, le=100_000, description=(
        "Number of trees (polygon: gives the canopy share; line: their spacing)."))
    spacing_m: float = Field(8.0, gt=0, le=100, description="Line: distance between trees.")
    crown_diameter_m: float = Field(CROWN_DIAMETER_M, gt=0, le=30)
    both_sides: bool = Field(True, description="Street: a row on each side.")

    @model_validator(mode="after")
    def _one_place(self) -> PlantTrees:
        given = [k for k in ("polygon", "line", "street") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of `polygon`, `line` or `street`")
        if self.polygon is not None and (self.canopy_share is None) == (self.trees is None):
            raise ValueError("in a polygon, give either `canopy_share` or `trees`")
        if self.polygon is None and self.canopy_share is not None:
            raise ValueError("`canopy_share` goes with a polygon; along a line give `trees` or "
                             "`spacing_m`")
        return self

    def _line(self, territory: Territory) -> tuple[shapely.Geometry, float]:
        """The line trees are planted along, and their offset from it (m)."""
        if self.line is not None:
            line = _geometry(self.line, "line", "measures.plant_trees.line")
            return line, 0.0
        roads = territory.roads
        pick = roads["name"].astype(str).str.casefold() == self.street.casefold()
        if not pick.any():
            from jumeau.errors import did_you_mean

            names = sorted(set(roads["name"].astype(str)) - {""})
            raise JumeauError(
                Text("aucune rue nommée « {s} »", "no street named '{s}'").format(s=self.street),
                field="measures.plant_trees.street",
                fix=did_you_mean(self.street, names) or Text(
                    "donnez le nom exact d'une rue du territoire, ou une ligne",
                    "give the exact name of a street of the territory, or a line"))
        line = shapely.line_merge(shapely.union_all(roads.geometry.values[pick.to_numpy()]))
        width = np.nanmedian(roads["width_m"].to_numpy(float)[pick.to_numpy()])
        return line, (width / 2 + 1.0 if np.isfinite(width) else 4.0)

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        crown = np.pi * (self.crown_diameter_m / 2) ** 2
        if self.polygon is not None:
            area = _geometry(self.polygon, "polygon", "measures.plant_trees.polygon")
            require_within(territory, area, "measures.plant_trees.polygon")
            share = self.canopy_share if self.canopy_share is not None else min(
                1.0, self.trees * crown / area.area)
            n = self.trees if self.trees is not None else int(round(share * area.area / crown))
        else:
            line, offset = self._line(territory)
            field = "measures.plant_trees." + ("street" if self.street else "line")
            require_within(territory, line, field)
            rows = 2 if (self.street is not None and self.both_sides) else 1
            n = self.trees if self.trees is not None else rows * max(
                1, int(line.length // self.spacing_m) + 1)
            r = self.crown_diameter_m / 2
            if offset > 0:
                area = shapely.difference(shapely.buffer(line, offset + r, cap_style="flat"),
                                          shapely.buffer(line, max(offset - r, 0.0),
                                                         cap_style="flat"))
            else:
                area = shapely.buffer(line, r, cap_style="flat")
            share = min(1.0, n * crown / area.area)
        name = self.name or Text("{n} arbres", "{n} trees").format(n=n).fr
        veg = {"vegetation_id": _next_id(territory, "trees"), "name": name, "cover": "trees",
               "canopy_share": share}
        return _add(territory, vegetation=veg, geometry=area, kind="trees", name=name)


@register("create_park")
class CreatePark(_Measure):
    """Create a park: grass with a share of tree canopy."""

    used_by: ClassVar[tuple[str, ...]] = ("heatwave", "development", "flood")

    type: Literal["create_park"] = "create_park"
    name: str = ""
    polygon: Coords | FeatureRef
    canopy_share: float = Field(0.3, ge=0, le=1, description=(
        "Share under tree canopy (about 0.3 for a young urban park; assumption)."))

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        area = _geometry(self.polygon, "polygon", "measures.create_park.polygon")
        require_within(territory, area, "measures.create_park.polygon")
        name = self.name or "parc"
        veg = {"vegetation_id": _next_id(territory, "park"), "name": name, "cover": "park",
               "canopy_share": self.canopy_share}
        return _add(territory, vegetation=veg, geometry=area, kind="park", name=name)


@register("cool_roofs")
class CoolRoofs(_Measure):
    """Cool roofs: a higher roof albedo on all roofs, or on chosen buildings (ids, uses,
    a polygon — combined, they must all hold)."""

    used_by: ClassVar[tuple[str, ...]] = ("heatwave", "development")

    type: Literal["cool_roofs"] = "cool_roofs"
    name: str = ""
    buildings: Literal["all"] | None = None
    building_ids: list[str] | None = None
    use: list[Literal[BUILDING_USES]] | None = None  # type: ignore[valid-type]
    facility: list[Literal[FACILITIES]] | None = Field(  # type: ignore[valid-type]
        None, description="Buildings hosting these facilities (school, town_hall…).")
    polygon: Coords | FeatureRef | None = None
    roof_albedo: float = Field(COOL_ROOF_ALBEDO, gt=0, le=1)

    @model_validator(mode="after")
    def _some_selection(self) -> CoolRoofs:
        if self.buildings is None and not (self.building_ids or self.use or self.facility
                                           or self.polygon):
            raise ValueError("choose the roofs: `buildings: all`, `building_ids`, `use`, "
                             "`facility` or `polygon`")
        return self

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        b = territory.buildings.copy()
        chosen = np.ones(len(b), dtype=bool)
        if self.building_ids:
            missing = sorted(set(self.building_ids) - set(b["building_id"].astype(str)))
            if missing:
                raise JumeauError(Text("bâtiments inconnus : {m}", "unknown buildings: {m}"
                                       ).format(m=", ".join(missing[:5])),
                                  field="measures.cool_roofs.building_ids")
            chosen &= b["building_id"].astype(str).isin(self.building_ids).to_numpy()
        if self.use:
            chosen &= b["use"].isin(self.use).to_numpy()
        if self.facility:
            chosen &= b["facility"].isin(self.facility).to_numpy()
        if self.polygon is not None:
            area = _geometry(self.polygon, "polygon", "measures.cool_roofs.polygon")
            require_within(territory, area, "measures.cool_roofs.polygon")
            chosen &= shapely.within(shapely.point_on_surface(b.geometry.values), area)
        if not chosen.any():
            raise JumeauError(Text("aucun bâtiment ne correspond à cette sélection",
                                   "no building matches this selection"),
                              field="measures.cool_roofs",
                              fix=Text("vérifiez les identifiants, les usages ou le polygone",
                                       "check the identifiers, uses or polygon"))
        albedo = b["roof_albedo"].to_numpy(float).copy()
        albedo[chosen] = self.roof_albedo
        b["roof_albedo"] = albedo
        name = self.name or Text("{n} toits frais", "{n} cool roofs").format(
            n=int(chosen.sum())).fr
        geometry = shapely.union_all(b.geometry.values[chosen])
        return _add(territory, vegetation=None, geometry=geometry, kind="cool_roofs", name=name,
                    buildings=b)
