"""The exposure overlay (see :mod:`jumeau.exposure`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import BaseModel, ConfigDict, Field

from jumeau.errors import JumeauError, did_you_mean
from jumeau.i18n import Text
from jumeau.scenario.result import Raster
from jumeau.territory.model import Territory
from jumeau.territory.schema import CRITICAL_FACILITIES, HAZARD_CLASSES

#: Hazard classes from least to most severe; "unknown" ranks lowest.
HAZARD_RANK = {h: i for i, h in enumerate(("unknown", "faible", "moyen", "fort", "tres_fort"))}


class ExposureParams(BaseModel):
    """Parameters of the exposure overlay."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    scenarios: list[str] | None = Field(
        None, description="Flood-zone scenarios to consider (labels as in the data, e.g. "
                          "'moyen'); all when omitted.")
    headline_scenario: str | None = Field(
        None, description="Scenario the headline numbers refer to; default: the one whose "
                          "return period is closest to 100 years.")


@dataclass(frozen=True)
class ExposureResult:
    """Exposure of the territory to its flood zones.

    Attributes
    ----------
    kind
        ``"exposure"``.
    headline_scenario
        The flood-zone scenario the headline indicators refer to.
    by_zone
        One row per (scenario, hazard class) plus a total per scenario: buildings,
        residents, residents_75p, dwellings, roads_km, critical_facilities.
    buildings
        The exposed buildings (one row per building and scenario) with their worst hazard
        class, residents and facility.
    roads
        The pieces of road inside the headline scenario's zones, with their class.
    zones
        The flood zones considered.
    facilities
        Critical facilities exposed in the headline scenario (name, type, hazard).
    has_age
        Whether residents aged 75 or over are known.
    """

    kind: str
    headline_scenario: str
    by_zone: pd.DataFrame
    buildings: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    has_age: bool
    notes: tuple[Text, ...] = field(default=())

    def _total(self, column: str) -> float:
        rows = self.by_zone[(self.by_zone["scenario"] == self.headline_scenario)
                            & (self.by_zone["hazard"] == "total")]
        return float(rows[column].iloc[0]) if len(rows) else 0.0

    def indicators(self) -> dict[str, float]:
        return {
            "buildings_exposed": self._total("buildings"),
            "residents_exposed": round(self._total("residents")),
            "residents_75p_exposed": round(self._total("residents_75p")) if self.has_age
            else np.nan,
            "dwellings_exposed": round(self._total("dwellings")),
            "roads_exposed_km": round(self._total("roads_km"), 2),
            "critical_facilities_exposed": self._total("critical_facilities"),
        }

    def context(self) -> dict[str, object]:
        return {"scenario": self.headline_scenario}

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        b = self.buildings
        headline = b[b["scenario"] == self.headline_scenario]
        return {"exposed_buildings": self.buildings, "headline_buildings": headline,
                "exposed_roads": self.roads, "flood_zones": self.zones,
                "exposed_facilities": self.facilities}

    def rasters(self) -> dict[str, Raster]:
        return {}

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"exposure_by_zone": self.by_zone}

    def series(self) -> dict:
        return {}


def simulate(territory: Territory, params: ExposureParams, *, seed: int = 0,
             inputs: dict | None = None) -> ExposureResult:
    """Overlay buildings, residents, roads and facilities with the flood zones.

    A building is in a zone when its footprint intersects it; with nested or overlapping
    zones of one scenario, it counts once, in its worst hazard class.

    Parameters
    ----------
    territory
        A territory with buildings and flood zones.
    params
        Which scenarios to consider and which one the headline numbers refer to.
    seed
        Unused (the overlay is deterministic); kept for the common signature.
    """
    zones = territory.flood_zones.copy()
    zones["scenario"] = [s or z for s, z in zip(zones["scenario"], zones["source"])]
    available = sorted(set(zones["scenario"]))
    for key, names in (("scenarios", params.scenarios or []),
                       ("headline_scenario", [params.headline_scenario]
                        if params.headline_scenario else [])):
        for name in names:
            if name not in available:
                raise JumeauError(
                    Text("scénario de zones inondables inconnu « {n} »",
                         "unknown flood-zone scenario '{n}'").format(n=name),
                    field=f"simulate.exposure.{key}",
                    fix=did_you_mean(name, available) or Text(
                        "scénarios des zones du territoire : {a}",
                        "scenarios of the territory's zones: {a}").format(
                        a=", ".join(available)))
    if params.scenarios:
        zones = zones[zones["scenario"].isin(params.scenarios)].reset_index(drop=True)
    headline = params.headline_scenario or _default_headline(zones)
    b = territory.buildings
    pairs_b, pairs_z = shapely.STRtree(zones.geometry.values).query(
        b.geometry.values, predicate="intersects")
    pairs = pd.DataFrame({"building": pairs_b, "scenario": zones["scenario"].to_numpy()[pairs_z],
                          "rank": zones["hazard"].map(HAZARD_RANK).to_numpy()[pairs_z]})
    worst = pairs.groupby(["building", "scenario"], sort=True)["rank"].max().reset_index()
    ranks = {v: k for k, v in HAZARD_RANK.items()}
    worst["hazard"] = worst["rank"].map(ranks)
    idx = worst["building"].to_numpy()
    exposed = gpd.GeoDataFrame({
        "building_id": b["building_id"].to_numpy()[idx],
        "name": b["name"].to_numpy()[idx],
        "use": b["use"].to_numpy()[idx],
        "facility": b["facility"].to_numpy()[idx],
        "scenario": worst["scenario"].to_numpy(),
        "hazard": worst["hazard"].to_numpy(),
        "residents": b["population"].to_numpy(float)[idx],
        "residents_75p": b["population_75p"].to_numpy(float)[idx],
        "dwellings": b["dwellings"].to_numpy(float)[idx],
        "building_index": idx,
    }, geometry=b.geometry.values[idx], crs=territory.crs)
    exposed["critical"] = exposed["facility"].isin(CRITICAL_FACILITIES)

    road_pieces, road_km = _roads_in_zones(territory.roads, zones)
    rows = []
    for scenario, group in exposed.groupby("scenario", sort=True):
        for hazard in list(HAZARD_CLASSES) + ["total"]:
            part = group if hazard == "total" else group[group["hazard"] == hazard]
            if hazard != "total" and not len(part):
                continue
            rows.append({
                "scenario": scenario, "hazard": hazard, "buildings": len(part),
                "residents": float(np.nansum(part["residents"])),
                "residents_75p": float(np.nansum(part["residents_75p"])),
                "dwellings": float(np.nansum(part["dwellings"])),
                "roads_km": road_km.get((scenario, hazard), 0.0),
                "critical_facilities": _count_facilities(part[part["critical"]]),
            })
    columns = ["scenario", "hazard", "buildings", "residents", "residents_75p", "dwellings",
               "roads_km", "critical_facilities"]
    by_zone = pd.DataFrame(rows, columns=columns)
    headline_b = exposed[exposed["scenario"] == headline]
    facilities = headline_b[headline_b["critical"]][["name", "facility", "hazard", "geometry"]]
    facilities = facilities.reset_index(drop=True)
    facilities["geometry"] = shapely.point_on_surface(facilities.geometry.values)
    roads = road_pieces[road_pieces["scenario"] == headline].reset_index(drop=True)
    has_age = bool(np.isfinite(b["population_75p"].to_numpy(float)).any())
    return ExposureResult(kind="exposure", headline_scenario=headline, by_zone=by_zone,
                          buildings=exposed.drop(columns="building_index"), roads=roads,
                          zones=zones, facilities=gpd.GeoDataFrame(facilities, crs=territory.crs),
                          has_age=has_age)


def _default_headline(zones: gpd.GeoDataFrame) -> str:
    """The scenario closest to the 100-year flood (the usual reference), else the first."""
    if not len(zones):
        return ""
    periods = zones.groupby("scenario")["return_period_yr"].max()
    known = periods.dropna()
    if len(known):
        return str((np.log(known) - np.log(100.0)).abs().idxmin())
    return str(sorted(zones["scenario"].unique())[0])


def _roads_in_zones(roads: gpd.GeoDataFrame, zones: gpd.GeoDataFrame):
    """Pieces of road inside each scenario's zones (worst hazard) and km per class."""
    pieces = []
    km: dict[tuple[str, str], float] = {}
    if not len(roads) or not len(zones):
        empty = gpd.GeoDataFrame({"scenario": [], "hazard": [], "road_class": [], "name": []},
                                 geometry=[], crs=roads.crs)
        return empty, km
    for scenario, group in zones.groupby("scenario", sort=True):
        remaining = None
        total = 0.0
        # Worst hazard first, so each piece of road counts once, in its worst class.
        for hazard in sorted(group["hazard"].unique(), key=lambda h: -HAZARD_RANK[h]):
            area = shapely.union_all(group[group["hazard"] == hazard].geometry.values)
            if remaining is not None:
                area = shapely.difference(area, remaining)
            remaining = area if remaining is None else shapely.union(remaining, area)
            hit = shapely.STRtree(roads.geometry.values).query(area, predicate="intersects")
            if not len(hit):
                continue
            cut = shapely.intersection(roads.geometry.values[hit], area)
            length = shapely.length(cut)
            keep = length > 0
            km[(scenario, hazard)] = float(length.sum()) / 1000
            total += float(length.sum())
            pieces.append(gpd.GeoDataFrame({
                "scenario": scenario, "hazard": hazard,
                "road_class": roads["road_class"].to_numpy()[hit][keep],
                "name": roads["name"].to_numpy()[hit][keep],
                "length_m": length[keep]}, geometry=cut[keep], crs=roads.crs))
        km[(scenario, "total")] = total / 1000
    frame = pd.concat(pieces, ignore_index=True) if pieces else None
    if frame is None:
        frame = gpd.GeoDataFrame({"scenario": [], "hazard": [], "road_class": [], "name": [],
                                  "length_m": []}, geometry=[], crs=roads.crs)
    return gpd.GeoDataFrame(frame, crs=roads.crs), km


def _count_facilities(part: pd.DataFrame) -> int:
    """Distinct critical facilities (several buildings of one school count once)."""
    if not len(part):
        return 0
    return int(part.drop_duplicates(["facility", "name"]).shape[0])


