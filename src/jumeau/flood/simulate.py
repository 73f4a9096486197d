"""The flood simulation kind: territory + scenario parameters → solver → impacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from jumeau.flood import forcings, impacts
from jumeau.flood.damage import DamageCurves
from jumeau.flood.params import FloodParams
from jumeau.flood.solver import FloodSolution, SolverSettings, solve_flood
from jumeau.i18n import Text, number_text
from jumeau.progress import report
from jumeau.scenario import registry
from jumeau.scenario.result import Indicator, Raster
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

    # -- the Result protocol -----------------------------------------------------------
    def indicators(self) -> list[Indicator]:
        b = self.buildings
        flooded = b[b["flooded"]]
        land = ~self.water & ~self.blocked
        wet_land = land & (self.solution.max_depth_m > self.thresholds_m["flooded"])
        cell_ha = self.grid.resolution_m ** 2 / 1e4
        r = self.roads
        has_age = bool(np.isfinite(b["residents_75p"].to_numpy(float)).any())
        mb = self.solution.mass_balance
        return [
            Indicator("flooded_buildings", len(flooded), "",
                      Text("bâtiments inondés", "flooded buildings")),
            Indicator("residents_affected", round(float(flooded["residents"].sum())), "",
                      Text("habitants touchés", "residents affected")),
            Indicator("residents_75p_affected",
                      round(float(np.nansum(flooded["residents_75p"]))) if has_age else np.nan,
                      "", Text("dont 75 ans ou plus", "of whom aged 75 or over")),
            Indicator("damage_eur", round(float(flooded["damage_eur"].sum()), -2), "€",
                      Text("dommages aux bâtiments", "damage to buildings")),
            Indicator("roads_cut_km", round(float(r.loc[r["cut_car"], "length_m"].sum())
                                            / 1000, 2), "km",
                      Text("routes coupées (voitures, > {c} m)", "roads cut (cars, > {c} m)"
                           ).format(c=number_text(self.thresholds_m["car"]))),
            Indicator("roads_cut_emergency_km",
                      round(float(r.loc[r["cut_emergency"], "length_m"].sum()) / 1000, 2),
                      "km", Text("routes coupées aux secours (> {e} m)",
                                 "roads cut to emergency vehicles (> {e} m)").format(
                          e=number_text(self.thresholds_m["emergency"]))),
            Indicator("facilities_hit", len(self.facilities), "",
                      Text("équipements sensibles inondés", "critical facilities flooded")),
            Indicator("isolated_people",
                      round(float(b.loc[b["isolated"], "residents"].sum()))
                      if self.isolation_known else np.nan, "",
                      Text("habitants isolés des pompiers", "people cut off from the fire "
                           "station")),
            Indicator("max_depth_m", round(float(np.max(self.solution.max_depth_m[land],
                                                        initial=0.0)), 2), "m",
                      Text("hauteur d'eau maximale (hors cours d'eau)",
                           "maximum water depth (outside watercourses)")),
            Indicator("flooded_area_ha", round(float(wet_land.sum() * cell_ha), 1), "ha",
                      Text("surface inondée (hors cours d'eau)",
                           "flooded area (outside watercourses)")),
            Indicator("mass_balance_error_pct", round(100 * mb.relative_error, 6) + 0.0, "%",
                      Text("erreur de bilan de masse", "mass balance error")),
        ]

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        """Buildings and roads the water reached (``flooded`` and ``cut_*`` say which
        count), facilities hit, observation points and structures."""
        b = self.buildings
        return {"buildings_flood": b[b["depth_m"] > 0].drop(columns="building_index"),
                "roads_flood": self.roads[self.roads["max_depth_m"] > 0],
                "facilities_hit": self.facilities, "observation_points": self.observations,
                "structures": self.structures}

    def rasters(self) -> dict[str, Raster]:
        s = self.solution
        wet = s.max_depth_m > 0
        return {
            "max_depth_m": Raster(np.where(wet, s.max_depth_m, np.nan), self.grid, "m",
                                  Text("hauteur d'eau maximale", "maximum water depth")),
            "max_velocity_ms": Raster(np.where(wet, s.max_velocity_ms, np.nan), self.grid,
                                      "m/s", Text("vitesse maximale", "maximum velocity")),
            "arrival_time_min": Raster(s.arrival_time_s / 60, self.grid, "min",
                                       Text("temps d'arrivée de l'eau", "water arrival time")),
            "time_of_max_min": Raster(s.time_of_max_depth_s / 60, self.grid, "min",
                                      Text("heure du maximum", "time of the maximum")),
            "final_depth_m": Raster(np.where(s.final_depth_m > 0, s.final_depth_m, np.nan),
                                    self.grid, "m", Text("hauteur d'eau finale",
                                                         "final water depth")),
            "hazard_class": Raster(np.where(self.hazard_class > 0, self.hazard_class, np.nan),
                                   self.grid, "",
                                   Text("aléa (1 faible … 4 très fort)",
                                        "hazard (1 low … 4 very high)")),
            "hazard_rating": Raster(self.hazard_rating, self.grid, "",
                                    Text("danger pour les personnes HR",
                                         "hazard to people HR")),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        s = self.solution
        mb = pd.DataFrame([s.mass_balance.as_dict()])
        series = []
        for i, name in enumerate(self.observations["name"]):
            series.append(pd.DataFrame({"name": name, "time_min": s.observation_times_s / 60,
                                        "depth_m": s.observation_depth_m[i],
                                        "level_m": s.observation_level_m[i]}))
        tables = {"mass_balance": mb}
        if series:
            tables["observation_series"] = pd.concat(series, ignore_index=True)
        b = self.buildings
        tables["damage_by_use"] = (b[b["flooded"]].groupby("use", as_index=False)
                                   .agg(buildings=("flooded", "size"),
                                        damage_eur=("damage_eur", "sum"),
                                        residents=("residents", "sum")))
        return tables


def simulate(territory: Territory, params: FloodParams, *, seed: int = 0) -> FloodResult:
    """Run the 2D flood model on the territory and compute the impacts.

    Parameters
    ----------
    territory
        A territory with a DEM (measures already applied).
    params
        The scenario's ``simulate: flood:`` block.
    seed
        Unused: the model is deterministic.
    """
    setup = forcings.build(territory, params)
    grid = territory.require_terrain()
    settings = SolverSettings(arrival_depth_m=params.thresholds.arrival_m)
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
    from jumeau.io.tables import read_damage_curves

    grid = territory.require_terrain()
    curves = (read_damage_curves(Path(params.damage_table)) if params.damage_table
              else DamageCurves.jrc_europe())
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


KIND = registry.register(registry.SimulationKind(
    name="flood",
    title=Text("Inondation (modèle 2D)", "Flood (2D model)"),
    params=FloodParams,
    run=simulate,
    needs=(registry.Need("terrain", Text("un modèle de terrain (MNT)", "a terrain model (DEM)")),
           registry.Need("buildings", Text("bâtiments", "buildings"))),
    outputs=(
        registry.Output("flooded_buildings", "", "buildings with water above the threshold"),
        registry.Output("residents_affected", "", "residents of flooded buildings"),
        registry.Output("residents_75p_affected", "", "of whom aged 75+ (NaN if unknown)"),
        registry.Output("damage_eur", "€", "building damage from depth–damage curves"),
        registry.Output("roads_cut_km", "km", "roads impassable for cars"),
        registry.Output("roads_cut_emergency_km", "km", "roads impassable for emergency "
                                                        "vehicles"),
        registry.Output("facilities_hit", "", "critical facilities flooded"),
        registry.Output("isolated_people", "", "residents cut off from every fire station"),
        registry.Output("max_depth_m", "m", "deepest water outside watercourses"),
        registry.Output("flooded_area_ha", "ha", "flooded land"),
        registry.Output("mass_balance_error_pct", "%", "conservation error of the run"),
    ),
    example=(("duration_h", 0.5),
             ("inflows", [{"point": [650300.0, 6600020.0],
                           "hydrograph": {"time_h": [0, 0.5], "discharge_m3s": [5, 5]}}]),
             ("outflow", {"east": None})),
))
