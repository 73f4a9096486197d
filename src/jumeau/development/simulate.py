"""The ``development`` kind: what a project adds, whom it puts at risk, what it seals.

:func:`simulate` compares the territory the measures produced with the territory as it
stood before them (rebuilt from what the measures record, :mod:`.changes`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from jumeau.development import surfaces as surf
from jumeau.development.changes import before as territory_before
from jumeau.development.changes import building_changes
from jumeau.development.params import DevelopmentParams
from jumeau.i18n import Text
from jumeau.measures._base import NEW_PREFIX
from jumeau.scenario.result import Raster
from jumeau.territory.model import Territory
from jumeau.territory.schema import LABELS

#: Hazard classes from least to most severe ("unknown" lowest), as the exposure kind.
HAZARD_RANK = {h: i for i, h in enumerate(("unknown", "faible", "moyen", "fort", "tres_fort"))}
_RANKED = {v: k for k, v in HAZARD_RANK.items()}

#: Facility value of bus stops in the facilities layer.
BUS_STOP = "bus_stop"


@dataclass(frozen=True)
class SurfaceFigures:
    """Land surfaces of one state of the territory (before or after the measures).

    Attributes
    ----------
    land_m2
        Land area inside the territory (water left out).
    sealed_m2
        Sealed land: roofs, roads, sealed ground.
    green_m2
        Vegetated land (every land cover but sealed and bare ground).
    canopy_m2
        Land under tree canopy.
    runoff_m3
        Runoff volume of the reference storm on the land.
    residents_near_park
        Residents within the park distance of a park.
    residents
        All residents.
    """

    land_m2: float
    sealed_m2: float
    green_m2: float
    canopy_m2: float
    runoff_m3: float
    residents_near_park: float
    residents: float


@dataclass(frozen=True)
class DevelopmentResult:
    """What the measures change in the territory.

    Attributes
    ----------
    kind
        ``"development"``.
    buildings
        Every building added, removed or changed (:func:`.changes.building_changes`),
        with its worst flood zone, whether a PPRI would usually forbid it there, and the
        distances from its dwellings to the nearest school and bus stop.
    by_flood_zone
        Residents, dwellings and buildings added per flood-zone scenario and hazard class.
    warnings
        New buildings in a zone where a PPRI usually forbids building, with the zone's
        source, scenario, hazard and why.
    floor_area_by_use
        Floor area before, after and added, by use (m²).
    waste_by_stream
        Household waste added per year by stream (t).
    surfaces_table
        Land area per surface class before and after (m²) and the runoff of each.
    before, after
        Land surfaces and park access before and after the measures.
    sealed_change
        Grid: +1 newly sealed cell, -1 de-sealed cell, 0 unchanged, NaN off land.
    roads_added_km, roads_closed_km
        Length of new and closed roads.
    headline_scenario
        The flood-zone scenario of the headline count of new residents.
    storm_mm, park_distance_m, runoff_method
        The run's reference storm, park distance and runoff method (for labels).
    notes
        Warnings and assumptions, for people.
    """

    kind: str
    buildings: gpd.GeoDataFrame
    by_flood_zone: pd.DataFrame
    warnings: gpd.GeoDataFrame
    floor_area_by_use: pd.DataFrame
    waste_by_stream: pd.DataFrame
    surfaces_table: pd.DataFrame
    before: SurfaceFigures
    after: SurfaceFigures
    sealed_change: Raster
    roads_added_km: float
    roads_closed_km: float
    headline_scenario: str
    storm_mm: float
    park_distance_m: float
    runoff_method: str
    notes: tuple[Text, ...] = field(default=())

    def _sum(self, column: str) -> float:
        return float(self.buildings[column].sum()) if len(self.buildings) else 0.0

    def _dwelling_mean(self, column: str) -> float:
        b = self.buildings
        if not len(b):
            return np.nan
        w = np.maximum(b["dwellings_added"].to_numpy(float), 0.0)
        d = b[column].to_numpy(float)
        ok = np.isfinite(d) & (w > 0)
        return float(np.average(d[ok], weights=w[ok])) if ok.any() else np.nan

    def indicators(self) -> dict[str, float]:
        """Declared indicator name → value (NaN when it cannot be computed)."""
        a, b = self.after, self.before
        rows = self.by_flood_zone
        head = rows[(rows["scenario"] == self.headline_scenario) & (rows["hazard"] == "total")]
        in_zone = float(head["residents_added"].sum()) if len(head) else 0.0
        waste = float(self.waste_by_stream["tonnes_added_year"].sum()) if len(
            self.waste_by_stream) else 0.0
        return {
            "residents_added": self._sum("residents_added"),
            "dwellings_added": self._sum("dwellings_added"),
            "social_dwellings_added": self._sum("social_dwellings_added"),
            "floor_area_added_m2": self._sum("floor_area_added_m2"),
            "sealed_area_added_m2": a.sealed_m2 - b.sealed_m2,
            "sealed_share_pct": _pct(a.sealed_m2, a.land_m2),
            "runoff_coefficient": _ratio(a.runoff_m3, a.land_m2 * self.storm_mm / 1000),
            "runoff_volume_m3": a.runoff_m3,
            "runoff_volume_added_m3": a.runoff_m3 - b.runoff_m3,
            "green_share_pct": _pct(a.green_m2, a.land_m2),
            "tree_cover_pct": _pct(a.canopy_m2, a.land_m2),
            "residents_near_park_pct": _pct(a.residents_near_park, a.residents),
            "residents_near_park_added": a.residents_near_park - b.residents_near_park,
            "new_residents_flood_zone": in_zone,
            "buildings_forbidden_zone": float(self.warnings["building_id"].nunique()),
            "waste_added_t_year": waste,
            "school_distance_mean_m": self._dwelling_mean("school_distance_m"),
            "bus_stop_distance_mean_m": self._dwelling_mean("bus_stop_distance_m"),
            "roads_added_km": self.roads_added_km,
            "roads_closed_km": self.roads_closed_km,
        }

    def rasters(self) -> dict[str, Raster]:
        return {"sealed_change": self.sealed_change}

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        return {"buildings_development": self.buildings, "development_warnings": self.warnings}

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"residents_by_flood_zone": self.by_flood_zone,
                "floor_area_by_use": self.floor_area_by_use,
                "waste_by_stream": self.waste_by_stream,
                "surfaces": self.surfaces_table}

    def series(self) -> dict:
        return {}

    def context(self) -> dict[str, object]:
        return {"storm_mm": self.storm_mm, "park_distance_m": self.park_distance_m,
                "flood_scenario": self.headline_scenario or "—"}


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole > 0 else np.nan


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole > 0 else np.nan


def simulate(territory: Territory, params: DevelopmentParams, *, seed: int = 0,
             inputs: dict | None = None) -> DevelopmentResult:
    """What the measures applied to ``territory`` add, remove and put at risk.

    Parameters
    ----------
    territory
        The territory after the scenario's measures (what they changed is recorded in
        it: see :mod:`jumeau.development.changes`).
    params
        Reference storm, runoff method, park distance, waste production, flood rules.
    seed
        Unused (every figure is deterministic); kept for the common signature.
    inputs
        Unused: the kind uses no other kind's output.
    """
    old = territory_before(territory)
    changes = building_changes(territory)
    notes: list[Text] = []

    zones = territory.flood_zones
    headline = params.flood_scenario or _default_scenario(zones)
    worst, by_zone = _flood_zones(changes, zones)
    changes = changes.merge(worst, on="building_id", how="left")
    changes["flood_scenario"] = changes["flood_scenario"].fillna("")
    changes["flood_hazard"] = changes["flood_hazard"].fillna("")
    changes["in_flood_zone"] = changes["flood_scenario"] != ""
    warnings = _warnings(changes, zones, params)
    changes["forbidden_zone"] = changes["building_id"].isin(set(warnings["building_id"]))
    notes.extend(_warning_notes(warnings))

    _distances(changes, territory, notes)

    grid = surf.surface_grid(territory, params.cell_m)
    s_after = surf.classify(territory, grid, params.open_ground)
    s_before = surf.classify(old, grid, params.open_ground)
    run_kw = dict(storm_mm=params.storm_mm, method=params.runoff_method,
                  soil_group=params.soil_group, curve_numbers=params.curve_numbers,
                  coefficients=params.runoff_coefficients)
    q_after = surf.runoff_mm(s_after, **run_kw)
    q_before = surf.runoff_mm(s_before, **run_kw)
    after = _figures(territory, s_after, q_after, params)
    prior = _figures(old, s_before, q_before, params)
    table = _surface_table(s_before, s_after, q_before, q_after)
    sealed_a = s_after.mask(surf.SEALED)
    sealed_b = s_before.mask(surf.SEALED)
    change = np.where(s_after.land | s_before.land,
                      sealed_a.astype(float) - sealed_b.astype(float), np.nan)

    residents = float(changes["residents_added"].sum()) if len(changes) else 0.0
    waste = pd.DataFrame({
        "stream": list(params.waste_kg_per_inhabitant_year),
        "kg_per_inhabitant_year": list(params.waste_kg_per_inhabitant_year.values()),
    })
    waste["tonnes_added_year"] = waste["kg_per_inhabitant_year"] * residents / 1000.0

    roads = territory.roads
    lengths = shapely.length(roads.geometry.values) / 1000.0
    added_km = float(lengths[roads["road_id"].astype(str).str.startswith(NEW_PREFIX)
                             .to_numpy()].sum())
    closed_km = float(lengths[roads["closed"].to_numpy(bool)].sum())
    if params.open_ground and not len(territory.vegetation):
        notes.append(Text("le territoire n'a pas de couche de végétation : tout sol non bâti "
                          "compte comme « {g} »", "the territory has no vegetation layer: "
                          "all unbuilt ground counts as '{g}'").format(g=params.open_ground))
    return DevelopmentResult(
        kind="development", buildings=changes, by_flood_zone=by_zone, warnings=warnings,
        floor_area_by_use=_floor_by_use(changes), waste_by_stream=waste,
        surfaces_table=table, before=prior, after=after,
        sealed_change=Raster(change.astype(np.float32), grid),
        roads_added_km=added_km, roads_closed_km=closed_km, headline_scenario=headline,
        storm_mm=params.storm_mm, park_distance_m=params.park_distance_m,
        runoff_method=params.runoff_method, notes=tuple(notes))


# -- parts -----------------------------------------------------------------------------

def _default_scenario(zones: gpd.GeoDataFrame) -> str:
    """The flood-zone scenario closest to 100 years (the usual reference), else the first."""
    if not len(zones):
        return ""
    labels = np.where(zones["scenario"] != "", zones["scenario"], zones["source"])
    periods = pd.Series(zones["return_period_yr"].to_numpy(float), index=labels)
    known = periods.dropna().groupby(level=0).max()
    if len(known):
        return str((np.log(known) - np.log(100.0)).abs().idxmin())
    return str(sorted(set(labels))[0])


def _flood_zones(changes: gpd.GeoDataFrame, zones: gpd.GeoDataFrame):
    """Worst zone of each changed building, and residents added per scenario and hazard."""
    columns = ["scenario", "source", "hazard", "buildings", "dwellings_added",
               "residents_added"]
    empty_worst = pd.DataFrame({"building_id": pd.Series(dtype=str),
                                "flood_scenario": pd.Series(dtype=str),
                                "flood_hazard": pd.Series(dtype=str)})
    if not len(changes) or not len(zones):
        return empty_worst, pd.DataFrame(columns=columns)
    labels = np.where(zones["scenario"] != "", zones["scenario"], zones["source"])
    b_idx, z_idx = shapely.STRtree(zones.geometry.values).query(
        changes.geometry.values, predicate="intersects")
    if not len(b_idx):
        return empty_worst, pd.DataFrame(columns=columns)
    pairs = pd.DataFrame({"building": b_idx, "scenario": labels[z_idx],
                          "source": zones["source"].to_numpy()[z_idx],
                          "rank": zones["hazard"].map(HAZARD_RANK).to_numpy()[z_idx],
                          "period": zones["return_period_yr"].to_numpy(float)[z_idx]})
    worst = pairs.groupby(["building", "scenario"], sort=True).agg(
        rank=("rank", "max"), source=("source", "first"), period=("period", "max")
    ).reset_index()
    worst["hazard"] = worst["rank"].map(_RANKED)
    for column in ("dwellings_added", "residents_added"):
        worst[column] = changes[column].to_numpy()[worst["building"].to_numpy()]
    rows = []
    for scenario, group in worst.groupby("scenario", sort=True):
        source = str(group["source"].iloc[0])
        for hazard in [*HAZARD_RANK, "total"]:
            part = group if hazard == "total" else group[group["hazard"] == hazard]
            if hazard != "total" and not len(part):
                continue
            rows.append({"scenario": scenario, "source": source, "hazard": hazard,
                         "buildings": int(len(part)),
                         "dwellings_added": float(part["dwellings_added"].sum()),
                         "residents_added": float(part["residents_added"].sum())})
    # Per building: its zone of the most frequent scenario it lies in (the most telling).
    top = worst.sort_values(["building", "period", "rank"], ascending=[True, True, False],
                            na_position="last").drop_duplicates("building")
    per_building = pd.DataFrame({
        "building_id": changes["building_id"].to_numpy()[top["building"].to_numpy()],
        "flood_scenario": top["scenario"].to_numpy(), "flood_hazard": top["hazard"].to_numpy()})
    return per_building, pd.DataFrame(rows, columns=columns)


def _warnings(changes: gpd.GeoDataFrame, zones: gpd.GeoDataFrame,
              params: DevelopmentParams) -> gpd.GeoDataFrame:
    """New buildings in a zone where a PPRI usually forbids building."""
    columns = {"building_id": [], "name": [], "zone_id": [], "source": [], "scenario": [],
               "hazard": [], "reason": []}
    new = changes[changes["status"] == "new"]
    if not len(new) or not len(zones):
        return gpd.GeoDataFrame(columns, geometry=[], crs=changes.crs)
    period = zones["return_period_yr"].to_numpy(float)
    label = zones["scenario"].astype(str).str.lower()
    frequent = (period <= params.frequent_return_period_yr) | label.isin(
        ["fréquent", "frequent", "01for"]).to_numpy()
    strong = zones["hazard"].isin(params.forbidden_hazards).to_numpy()
    bad = zones[frequent | strong]
    if not len(bad):
        return gpd.GeoDataFrame(columns, geometry=[], crs=changes.crs)
    b_idx, z_idx = shapely.STRtree(bad.geometry.values).query(new.geometry.values,
                                                               predicate="intersects")
    z = bad.iloc[z_idx]
    strong_z = z["hazard"].isin(params.forbidden_hazards).to_numpy()
    reason = np.where(strong_z, "hazard", "frequent")
    frame = gpd.GeoDataFrame({
        "building_id": new["building_id"].to_numpy()[b_idx],
        "name": new["name"].to_numpy()[b_idx],
        "zone_id": z["zone_id"].to_numpy(), "source": z["source"].to_numpy(),
        "scenario": z["scenario"].to_numpy(), "hazard": z["hazard"].to_numpy(),
        "reason": reason,
    }, geometry=shapely.point_on_surface(new.geometry.values[b_idx]), crs=changes.crs)
    # One warning per building and zone kind, the strongest first.
    frame["rank"] = frame["hazard"].map(HAZARD_RANK)
    frame = frame.sort_values(["building_id", "rank"], ascending=[True, False])
    return frame.drop_duplicates(["building_id", "reason"]).drop(columns="rank").reset_index(
        drop=True)


def _warning_notes(warnings: gpd.GeoDataFrame) -> list[Text]:
    """One note per project and zone: how many new buildings, which ones, the zone."""
    notes = []
    first = warnings.drop_duplicates("building_id")
    for (name, source, scenario, hazard), group in first.groupby(
            ["name", "source", "scenario", "hazard"], sort=True):
        ids = sorted(group["building_id"])
        listed = ", ".join(ids[:4]) + (" …" if len(ids) > 4 else "")
        hz = LABELS["hazard"].get(hazard, Text(hazard, hazard))
        notes.append(Text(
            "attention : {n} bâtiment(s) neuf(s) du projet « {p} » ({ids}) en zone {src} "
            "« {sc} » (aléa {hz}) : un PPRI y interdit en général de construire",
            "warning: {n} new building(s) of project '{p}' ({ids}) in {src} zone '{sc}' "
            "({hz} hazard): a PPRI usually forbids building there").format(
            n=len(ids), p=name or "—", ids=listed, src=source or "?", sc=scenario or "—",
            hz=hz))
    return notes


def _distances(changes: gpd.GeoDataFrame, territory: Territory, notes: list[Text]) -> None:
    """Straight-line distance from each changed building to the nearest school and bus
    stop (NaN where none), in place."""
    fac = territory.facilities
    b = territory.buildings
    schools = np.r_[fac.geometry.values[(fac["facility"] == "school").to_numpy()],
                    b.geometry.values[(b["facility"] == "school").to_numpy()]]
    stops = fac.geometry.values[(fac["facility"] == BUS_STOP).to_numpy()]
    points = shapely.point_on_surface(changes.geometry.values)
    for column, targets, what in (("school_distance_m", schools, Text("d'école", "school")),
                                  ("bus_stop_distance_m", stops,
                                   Text("d'arrêt de bus", "bus stop"))):
        distance = np.full(len(changes), np.nan)
        if len(targets) and len(changes):
            idx, dist = shapely.STRtree(targets).query_nearest(points, return_distance=True,
                                                                all_matches=False)
            distance[idx[0]] = dist
        elif len(changes) and (changes["dwellings_added"] > 0).any():
            notes.append(Text("le territoire n'a pas {w} : distance non calculée",
                              "the territory has no {w}: distance not computed").format(w=what))
        changes[column] = distance


def _figures(territory: Territory, s: surf.Surfaces, runoff: np.ndarray,
             params: DevelopmentParams) -> SurfaceFigures:
    land = s.land
    cell = s.cell_m2
    b = territory.buildings
    residents = np.nan_to_num(b["population"].to_numpy(float))
    veg = territory.vegetation
    parks = veg[veg["cover"].isin(params.park_covers).to_numpy()
                & (shapely.area(veg.geometry.values) >= params.park_min_area_ha * 10_000)]
    near = 0.0
    if len(parks) and len(b):
        points = shapely.point_on_surface(b.geometry.values)
        hit = shapely.STRtree(parks.geometry.values).query(
            points, predicate="dwithin", distance=params.park_distance_m)[0]
        near = float(residents[np.unique(hit)].sum())
    return SurfaceFigures(
        land_m2=float(land.sum()) * cell,
        sealed_m2=float((s.mask(surf.SEALED) & land).sum()) * cell,
        green_m2=float((~s.mask(surf.NOT_GREEN) & land).sum()) * cell,
        canopy_m2=float(s.canopy[land].sum()) * cell,
        runoff_m3=float(np.nansum(runoff)) * cell / 1000.0,
        residents_near_park=near, residents=float(residents.sum()))


def _surface_table(s_before: surf.Surfaces, s_after: surf.Surfaces, q_before: np.ndarray,
                   q_after: np.ndarray) -> pd.DataFrame:
    def runoff_by_class(s, q):
        land = s.land
        return np.bincount(s.classes[land], weights=q[land],
                           minlength=len(surf.SURFACES)) * s.cell_m2 / 1000.0

    table = pd.DataFrame({"surface": surf.SURFACES,
                          "area_before_m2": s_before.area_by_class_m2(),
                          "area_after_m2": s_after.area_by_class_m2(),
                          "runoff_before_m3": runoff_by_class(s_before, q_before),
                          "runoff_after_m3": runoff_by_class(s_after, q_after)})
    keep = (table["area_before_m2"] > 0) | (table["area_after_m2"] > 0)
    return table[keep].reset_index(drop=True)


def _floor_by_use(changes: gpd.GeoDataFrame) -> pd.DataFrame:
    columns = ["use", "floor_area_before_m2", "floor_area_after_m2", "floor_area_added_m2"]
    if not len(changes):
        return pd.DataFrame(columns=columns)
    before = changes.groupby("use_before")["floor_area_before_m2"].sum()
    after = changes.groupby("use")["floor_area_m2"].sum()
    uses = sorted((set(before.index) | set(after.index)) - {""})
    frame = pd.DataFrame({"use": uses,
                          "floor_area_before_m2": [float(before.get(u, 0.0)) for u in uses],
                          "floor_area_after_m2": [float(after.get(u, 0.0)) for u in uses]})
    frame["floor_area_added_m2"] = frame["floor_area_after_m2"] - frame["floor_area_before_m2"]
    return frame[columns]
