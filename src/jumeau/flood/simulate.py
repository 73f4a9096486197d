"""The flood simulation kind: territory + scenario parameters → solver → impacts."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from jumeau.flood import forcings, impacts
from jumeau.flood.damage import DamageCurves
from jumeau.flood.params import FloodParams
from jumeau.flood.solver import FloodSolution, SolverSettings, solve_flood
from jumeau.i18n import Text, number_text
from jumeau.progress import report
from jumeau.scenario.result import Raster, Series
from jumeau.territory.model import Territory
from jumeau.territory.terrain import Terrain


@dataclass(frozen=True)
class FloodResult:
    """A flood run and its impacts.

    Attributes
    ----------
    kind
        ``"flood"``.
    solution
        The solver's output: maxima, arrival times, snapshots, series, mass balance.
    grid
        The terrain the water flowed on (measures applied).
    blocked
        Cells closed to the water (buildings).
    water
        Cells of permanent water (rivers, ponds): left out of land indicators.
    buildings
        Per building: depth around it, depth over the ground floor, flooded, damage (€),
        residents, isolated.
    roads
        Per road: highest water, impassable for cars / emergency vehicles.
    facilities
        Critical facilities flooded (one row each).
    hazard_class
        PPRI-style class per cell, 1 (faible) … 4 (très fort), 0 dry.
    hazard_rating
        HR = d (v + 0.5) + DF per cell (NaN dry).
    observations
        Observation points (name, geometry) in the order of the solution's series.
    structures
        Walls, breaches and other measures in force.
    thresholds_m
        Depth thresholds used (flooded, car, emergency).
    isolation_known
        Whether isolation could be computed (a fire station and roads exist).
    damage_source
        Where the depth–damage curves come from.
    """

    kind: str
    solution: FloodSolution
    grid: Terrain
    blocked: np.ndarray
    water: np.ndarray
    buildings: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    hazard_class: np.ndarray
    hazard_rating: np.ndarray
    observations: gpd.GeoDataFrame
    structures: gpd.GeoDataFrame
    thresholds_m: dict
    isolation_known: bool
    damage_source: str
    notes: tuple[Text, ...] = field(default=())

    # -- the Result protocol: values of the declared outputs -----------------------------
    def indicators(self) -> dict[str, float]:
        b = self.buildings
        flooded = b[b["flooded"]]
        land = ~self.water & ~self.blocked
        wet_land = land & (self.solution.max_depth_m > self.thresholds_m["flooded"])
        cell_ha = self.grid.resolution_m ** 2 / 1e4
        r = self.roads
        has_age = bool(np.isfinite(b["residents_75p"].to_numpy(float)).any())
        return {
            "flooded_buildings": len(flooded),
            "residents_affected": round(float(flooded["residents"].sum())),
            "residents_75p_affected": round(float(np.nansum(flooded["residents_75p"])))
            if has_age else np.nan,
            "damage_eur": round(float(flooded["damage_eur"].sum()), -2),
            "roads_cut_km": round(float(r.loc[r["cut_car"], "length_m"].sum()) / 1000, 2),
            "roads_cut_emergency_km": round(float(r.loc[r["cut_emergency"], "length_m"].sum())
                                            / 1000, 2),
            "facilities_hit": len(self.facilities),
            "isolated_people": round(float(b.loc[b["isolated"], "residents"].sum()))
            if self.isolation_known else np.nan,
            "max_depth_m": round(float(np.max(self.solution.max_depth_m[land], initial=0.0)), 2),
            "flooded_area_ha": round(float(wet_land.sum() * cell_ha), 1),
            "mass_balance_error_pct": round(100 * self.solution.mass_balance.relative_error, 6)
            + 0.0,
        }

    def context(self) -> dict[str, object]:
        th = self.thresholds_m
        return {"flooded_m": th["flooded"], "car_m": th["car"], "emergency_m": th["emergency"]}

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Buildings and roads the water reached (``flooded`` and ``cut_*`` say which
        count), roads cut, facilities hit, observation points and structures."""
        b = self.buildings
        r = self.roads
        return {"buildings_flood": b[b["depth_m"] > 0].drop(columns="building_index"),
                "roads_flood": r[r["max_depth_m"] > 0],
                "roads_cut": r[r["cut_car"]],
                "facilities_hit": self.facilities, "observation_points": self.observations,
                "structures": self.structures}

    def rasters(self) -> dict[str, Raster]:
        s = self.solution
        wet = s.max_depth_m > 0
        g = self.grid
        return {
            "max_depth_m": Raster(np.where(wet, s.max_depth_m, np.nan), g),
            "max_velocity_ms": Raster(np.where(wet, s.max_velocity_ms, np.nan), g),
            "arrival_time_min": Raster(s.arrival_time_s / 60, g),
            "time_of_max_min": Raster(s.time_of_max_depth_s / 60, g),
            "final_depth_m": Raster(np.where(s.final_depth_m > 0, s.final_depth_m, np.nan), g),
            "hazard_class": Raster(np.where(self.hazard_class > 0, self.hazard_class, np.nan), g),
            "hazard_rating": Raster(self.hazard_rating, g),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        s = self.solution
        tables = {"mass_balance": pd.DataFrame([s.mass_balance.as_dict()])}
        series = [pd.DataFrame({"name": name, "time_min": s.observation_times_s / 60,
                                "depth_m": s.observation_depth_m[i],
                                "level_m": s.observation_level_m[i]})
                  for i, name in enumerate(self.observations["name"])]
        tables["observation_series"] = (pd.concat(series, ignore_index=True) if series else
                                        pd.DataFrame(columns=["name", "time_min", "depth_m",
                                                              "level_m"]))
        b = self.buildings
        tables["damage_by_use"] = (b[b["flooded"]].groupby("use", as_index=False)
                                   .agg(buildings=("flooded", "size"),
                                        damage_eur=("damage_eur", "sum"),
                                        residents=("residents", "sum")))
        return tables

    def series(self) -> dict[str, Series]:
        s = self.solution
        return {"observation_level_m": Series(
            np.asarray(s.observation_times_s, float),
            {str(name): np.asarray(s.observation_level_m[i], float)
             for i, name in enumerate(self.observations["name"])})}


def simulate(territory: Territory, params: FloodParams, *, seed: int = 0,
             inputs: dict | None = None) -> FloodResult:
    """Run the 2D flood model on the territory and compute the impacts.

    Parameters
    ----------
    territory
        A territory with a DEM (measures already applied).
    params
        The scenario's ``simulate: flood:`` block.
    seed
        Unused: the model is deterministic.
    inputs
        Unused: the flood uses no other kind's results.
    """
    setup = forcings.build(territory, params)
    grid = territory.require_terrain()
    settings = SolverSettings(arrival_depth_m=params.thresholds.arrival_m,
                              local_time_steps=params.local_time_steps)
    solution = solve_flood(
        setup.bed_m, grid.resolution_m, params.duration_h * 3600.0,
        manning_n=setup.manning_n, blocked=setup.blocked, initial_depth_m=setup.initial_depth_m,
        inflows=setup.inflows, imposed_levels=setup.levels, rainfall=setup.rainfall,
        infiltration_mm_h=setup.infiltration_mm_h, drainage_mm_h=setup.drainage_mm_h,
        bed_changes=setup.bed_changes,
        free_outflow=setup.free_outflow, observation_rows=setup.observation_rows,
        observation_cols=setup.observation_cols,
        snapshot_interval_s=params.snapshot_interval_min * 60.0,
        series_interval_s=params.series_interval_min * 60.0, settings=settings,
        progress=report)
    return assess(territory, params, setup, solution)


def assess(territory: Territory, params: FloodParams, setup: forcings.Setup,
           solution: FloodSolution) -> FloodResult:
    """Impacts of a solved flood on the territory."""
    grid = territory.require_terrain()
    curves = (DamageCurves.from_table(params.damage_table.value, params.damage_table.path)
              if params.damage_table else DamageCurves.jrc_europe())
    th = params.thresholds
    water = forcings._water_mask(territory, grid)
    buildings = impacts.building_impacts(territory, solution.max_depth_m, grid, th, curves)
    roads = impacts.road_impacts(territory, solution.max_depth_m, grid, th)
    isolated = impacts.isolation(territory, roads["cut_emergency"].to_numpy())
    buildings["isolated"] = isolated if isolated is not None else False
    facilities = impacts.facilities_hit(buildings)
    import shapely

    facilities = gpd.GeoDataFrame(
        facilities[["name", "facility", "depth_above_floor_m", "damage_eur"]],
        geometry=shapely.point_on_surface(facilities.geometry.values), crs=territory.crs)
    depth, velocity = solution.max_depth_m, solution.max_velocity_ms
    hazard = impacts.hazard_classes(depth, velocity, params.hazard, th.flooded_m)
    hr = impacts.hazard_rating(np.where(depth > th.flooded_m, depth, 0.0), velocity)
    x, y = grid.xy(setup.observation_rows, setup.observation_cols)
    observations = gpd.GeoDataFrame(
        {"name": list(setup.observation_names),
         "max_depth_m": solution.max_depth_m[setup.observation_rows, setup.observation_cols]
         if len(setup.observation_rows) else np.zeros(0)},
        geometry=gpd.points_from_xy(x, y), crs=territory.crs)
    return FloodResult(
        kind="flood", solution=solution, grid=grid, blocked=setup.blocked, water=water,
        buildings=buildings, roads=roads, facilities=facilities, hazard_class=hazard,
        hazard_rating=hr, observations=observations,
        structures=_with_breaches(territory, params),
        thresholds_m={"flooded": th.flooded_m, "car": th.car_m, "emergency": th.emergency_m},
        isolation_known=isolated is not None, damage_source=curves.source,
        notes=setup.notes + _notes(solution, curves, isolated is not None))


def _notes(solution: FloodSolution, curves: DamageCurves, isolation: bool) -> tuple[Text, ...]:
    """What a reader of the results should know about this run."""
    mb = solution.mass_balance
    notes = [Text("bilan de masse : entrées {i} m³, sorties {o} m³, stock final {s} m³, "
                  "erreur relative {e:.1e}", "mass balance: in {i} m³, out {o} m³, final "
                  "storage {s} m³, relative error {e:.1e}").format(
        i=number_text(round(mb.total_in_m3), 0), o=number_text(round(mb.total_out_m3), 0),
        s=number_text(round(mb.final_storage_m3), 0), e=mb.relative_error),
        Text("dommages : {c}", "damage: {c}").format(c=curves.source)]
    if not isolation:
        notes.append(Text("isolement non calculé : pas de caserne de pompiers ou pas de réseau "
                          "routier dans le territoire", "isolation not computed: no fire "
                          "station or no road network in the territory"))
    return tuple(notes)


def _with_breaches(territory: Territory, params: FloodParams) -> gpd.GeoDataFrame:
    """The territory's structures plus the scenario's breaches (for maps and layers)."""
    from jumeau.territory.schema import conform

    if not params.breaches:
        return territory.structures
    rows = [{"kind": "breach", "name": b.name, "fails_at_s": b.time_h * 3600,
             "bottom_z_m": b.bottom_m if b.bottom_m is not None else np.nan}
            for b in params.breaches]
    new = conform(gpd.GeoDataFrame(rows, geometry=[b.geometry() for b in params.breaches],
                                   crs=territory.crs), "structures")
    return gpd.GeoDataFrame(pd.concat([territory.structures, new], ignore_index=True),
                            crs=territory.crs)


