"""Measures on roads: close a street, add a street joined to the routable network.

::

    measures:
      - type: close_road
        street: Rue de la République     # every section with this name
        # or road_ids: [TRONROUT…], or near: [[x, y], [x, y]] (sections along a line)
      - type: add_road
        street: Rue Neuve
        line: [[650700, 6600700], [650800, 6600760]]
        road_class: residential          # speed_kmh, width_m, oneway

A closed road keeps its row in the roads layer with ``closed: true``: the routable
network (:attr:`jumeau.territory.model.Territory.network`) leaves it out. A new road's
ends are joined to the nearest drivable road within ``snap_m`` (a vertex is added to that
road, which keeps its id), and it is joined at grade to every road it crosses (bridges
and tunnels excepted); a new road joined to nothing is refused.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import Field, model_validator

from jumeau.errors import JumeauError, did_you_mean
from jumeau.i18n import Text
from jumeau.measures._base import (
    CHECK_COORDS,
    Coords,
    MeasureModel,
    add_structures,
    line_of,
    require_touches,
    require_within,
    slug,
    unique_prefix,
)
from jumeau.scenario.measures import register
from jumeau.scenario.refs import FeatureRef
from jumeau.territory.model import Territory
from jumeau.territory.schema import DRIVABLE_CLASSES, conform

RoadClass = Literal["motorway", "trunk", "primary", "secondary", "tertiary", "residential",
                    "service", "track", "path", "cycleway", "steps", "unknown"]


def _structure(territory: Territory, kind: str, name: str,
               geometry: shapely.Geometry) -> gpd.GeoDataFrame:
    rows = gpd.GeoDataFrame({"kind": [kind], "name": [name]}, geometry=[geometry],
                            crs=territory.crs)
    return add_structures(territory, rows)


@register("close_road")
class CloseRoad(MeasureModel):
    """Close roads to traffic, chosen by id, by street name, or along a line."""

    used_by: ClassVar[tuple[str, ...]] = ("flood", "waste", "development")

    type: Literal["close_road"] = "close_road"
    name: str = ""
    road_ids: list[str] | None = Field(None, min_length=1)
    street: str | None = Field(None, min_length=1, description="Street name (every section).")
    near: Coords | FeatureRef | None = Field(None, description="A line along the sections "
                                                                 "to close.")
    tolerance_m: float = Field(10.0, gt=0, le=200, description="How far from `near` a "
                               "section may lie (at least half its length within).")

    @model_validator(mode="after")
    def _one_selection(self) -> CloseRoad:
        given = [v is not None for v in (self.road_ids, self.street, self.near)]
        if sum(given) != 1:
            raise ValueError("give exactly one of `road_ids`, `street`, `near`")
        return self

    def _chosen(self, roads: gpd.GeoDataFrame) -> tuple[np.ndarray, str]:
        if self.road_ids is not None:
            field = "measures.close_road.road_ids"
            known = set(roads["road_id"])
            missing = [i for i in self.road_ids if i not in known]
            if missing:
                raise JumeauError(Text("route inconnue : {m}", "unknown road: {m}").format(
                    m=missing[0]), field=field, fix=did_you_mean(missing[0], known))
            return roads["road_id"].isin(self.road_ids).to_numpy(), field
        if self.street is not None:
            field = "measures.close_road.street"
            chosen = (roads["name"] == self.street).to_numpy()
            if not chosen.any():
                names = sorted(set(roads["name"]) - {""})
                raise JumeauError(Text("aucune rue nommée « {s} »", "no street named '{s}'"
                                       ).format(s=self.street), field=field,
                                  fix=did_you_mean(self.street, names))
            return chosen, field
        return np.zeros(len(roads), dtype=bool), "measures.close_road.near"

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        """Return the territory with the chosen roads closed."""
        roads = territory.roads.copy()
        chosen, field = self._chosen(roads)
        if self.near is not None:
            line = line_of(self.near, field)
            require_touches(territory, line, field)
            band = line.buffer(self.tolerance_m, cap_style="flat")
            geoms = roads.geometry.values
            inside = shapely.length(shapely.intersection(geoms, band))
            chosen = (inside >= 0.5 * shapely.length(geoms)) & (shapely.length(geoms) > 0)
            if not chosen.any():
                raise JumeauError(Text("aucune route le long de la ligne (à {t} m près)",
                                       "no road along the line (within {t} m)").format(
                    t=f"{self.tolerance_m:.0f}"), field=field, fix=CHECK_COORDS)
        roads.loc[chosen, "closed"] = True
        names = sorted(set(roads.loc[chosen, "name"]) - {""})
        label = self.name or ", ".join(names[:3]) or Text("route fermée", "closed road").render()
        geometry = shapely.union_all(roads.geometry.values[chosen])
        return territory.replace(roads=roads, structures=_structure(
            territory, "road_closed", label, geometry))


def _with_vertices(line: shapely.LineString, points: np.ndarray) -> shapely.LineString:
    """``line`` with vertices added at ``points`` (which lie on it)."""
    coords = shapely.get_coordinates(line)
    along = np.r_[0.0, np.cumsum(np.hypot(*np.diff(coords, axis=0).T))]
    at = shapely.line_locate_point(line, points)
    xy = shapely.get_coordinates(points)
    keys = np.r_[along, at]
    order = np.argsort(keys, kind="stable")
    merged = np.vstack([coords, xy])[order]
    keep = np.r_[True, np.hypot(*np.diff(merged, axis=0).T) > 1e-9]
    return shapely.LineString(merged[keep])


@register("add_road")
class AddRoad(MeasureModel):
    """A new street, joined to the routable network at its ends and crossings."""

    used_by: ClassVar[tuple[str, ...]] = ()

    type: Literal["add_road"] = "add_road"
    name: str = ""
    street: str = Field("", description="Street name.")
    line: Coords | FeatureRef = Field(description="The street's axis (coordinates or a named "
                                                  "feature).")
    road_class: RoadClass = "residential"
    speed_kmh: float = Field(30.0, gt=0, le=130)
    width_m: float = Field(6.0, gt=0, le=60)
    oneway: Literal[-1, 0, 1] = 0
    snap_m: float = Field(15.0, ge=0, le=200, description="How far an end may be from the "
                                                          "road it joins.")

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        """Return the territory with the new street."""
        field = "measures.add_road.line"
        line = line_of(self.line, field)
        if shapely.get_type_id(line) != 1 or not line.is_simple:
            raise JumeauError(Text("la ligne de la rue est vide ou se recoupe",
                                   "the street's line is empty or crosses itself"),
                              field=field, fix=CHECK_COORDS)
        require_within(territory, line, field)
        roads = territory.roads.copy()
        geoms = np.asarray(roads.geometry.values).copy()
        joinable = (roads["road_class"].isin(DRIVABLE_CLASSES) & ~roads["closed"]
                    & ~roads["bridge"] & ~roads["tunnel"]).to_numpy()
        joinable = joinable & (shapely.get_type_id(geoms) == 1)
        rows = np.flatnonzero(joinable)
        coords = shapely.get_coordinates(line)
        joins: dict[int, list[shapely.Point]] = {}
        if len(rows):
            tree = shapely.STRtree(geoms[rows])
            ends = shapely.points(coords[[0, -1]])
            for k, end in zip((0, -1), ends):
                hit = tree.query_nearest(end, max_distance=max(self.snap_m, 1e-9),
                                         all_matches=False)
                if len(hit):
                    row = int(rows[hit[0]])
                    at = shapely.line_interpolate_point(
                        geoms[row], shapely.line_locate_point(geoms[row], end))
                    coords[k] = shapely.get_coordinates(at)[0]
                    joins.setdefault(row, []).append(at)
            line = shapely.LineString(coords)
            crossing = tree.query(line, predicate="intersects")
            for i in crossing:
                row = int(rows[i])
                cut = shapely.get_parts(shapely.intersection(line, geoms[row]))
                cut = cut[shapely.get_type_id(cut) == 0]
                joins.setdefault(row, []).extend(cut)
        if not joins:
            raise JumeauError(
                Text("la nouvelle rue ne rejoint aucune route (aucune extrémité à moins de "
                     "{s} m d'une route carrossable)", "the new street joins no road (no end "
                     "within {s} m of a drivable road)").format(s=f"{self.snap_m:.0f}"),
                field=field, fix=Text("approchez une extrémité d'une rue existante ou "
                                      "augmentez `snap_m`", "bring an end closer to an "
                                      "existing street or raise `snap_m`"))
        points_on_new = []
        for row, points in joins.items():
            pts = np.asarray(points, dtype=object)
            geoms[row] = _with_vertices(geoms[row], pts)
            points_on_new.extend(points)
        line = _with_vertices(line, np.asarray(points_on_new, dtype=object))
        roads["geometry"] = geoms
        prefix = unique_prefix(roads["road_id"], slug(self.street or self.name, "rue"))
        new = conform(gpd.GeoDataFrame({
            "road_id": [f"{prefix}1"], "name": [self.street], "road_class": [self.road_class],
            "speed_kmh": [self.speed_kmh], "oneway": [self.oneway], "width_m": [self.width_m],
        }, geometry=[line], crs=territory.crs), "roads")
        roads = gpd.GeoDataFrame(pd.concat([roads, new], ignore_index=True),
                                 geometry="geometry", crs=territory.crs)
        label = self.name or self.street or Text("nouvelle rue", "new street").render()
        return territory.replace(roads=roads, structures=_structure(
            territory, "new_road", label, line))
