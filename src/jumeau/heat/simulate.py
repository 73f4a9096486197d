"""The heatwave kind: land cover → InVEST cooling model → episode → exposure → plan."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rasterio import warp
from rasterio.enums import Resampling

from jumeau.errors import JumeauError
from jumeau.heat import cooling, episode, exposure, landcover, plan
from jumeau.heat.params import DEFAULT_UHI_DAY_C, DEFAULT_UHI_NIGHT_C, HeatParams, PlanParams
from jumeau.i18n import Text, number_text
from jumeau.progress import report
from jumeau.scenario.result import Raster, Series
from jumeau.territory.model import Territory
from jumeau.territory.terrain import Terrain

#: Structure kinds drawn with the heat results (the land-cover measures).
HEAT_STRUCTURES = ("desealed", "trees", "park", "cool_roofs", "new_buildings",
                   "removed_buildings")
#: Speed and detour of trips when the road network cannot route them (assumption).
FALLBACK_SPEED_KMH, FALLBACK_DETOUR = 30.0, 1.3


@dataclass(frozen=True)
class HeatResult:
    """A heatwave run.

    Attributes
    ----------
    kind
        ``"heatwave"``.
    grid
        The land-cover grid (its ``elevation_m`` holds the codes).
    landcover_derived
        True when the land cover was derived from the territory's layers.
    day_anomaly_c, night_anomaly_c
        Mixed air-temperature excess over the rural reference, by day and by night
        (None when the period was not simulated).
    park_cooling_c
        How much the green spaces cool the day air (°C, ≥ 0): the day anomaly without
        the park term minus the day anomaly with it.
    dates
        Labels of the days (ISO dates for reference episodes, "J1"… otherwise).
    tmin_c, tmax_c
        Rural reference minimum and maximum per day.
    heatwave
        Per day, whether it belongs to a heatwave (Météo-France IBM logic).
    heat_index_c
        Per day, the NWS heat index of the rural maximum (NaN: no humidity or refused).
    thresholds_c
        ``(IBMn, IBMx)`` thresholds used, and ``departement`` their département.
    buildings
        Per building: temperatures, degree-hours, tropical nights, residents, the
        indicative excess-risk index, ``hot`` flag.
    facilities
        Nursing homes, schools, childcare and hospitals with their temperatures.
    plan_by_day
        The heatwave plan's day table (empty when the plan is not simulated).
    register_size
        People on the register (0 without a plan).
    structures
        The land-cover measures in force (for maps).
    hot_anomaly_c
        ``(day, night)`` anomalies above which a place counts as hot.
    one_period
        True in InVEST's one-period mode.
    notes
        What a reader should know about this run.
    """

    kind: str
    grid: Terrain
    landcover_derived: bool
    day_anomaly_c: np.ndarray | None
    night_anomaly_c: np.ndarray | None
    park_cooling_c: np.ndarray | None
    dates: tuple[str, ...]
    tmin_c: np.ndarray
    tmax_c: np.ndarray
    heatwave: np.ndarray
    heat_index_c: np.ndarray
    thresholds_c: tuple[float, float]
    departement: str
    buildings: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    plan_by_day: pd.DataFrame
    register_size: int
    structures: gpd.GeoDataFrame
    hot_anomaly_c: tuple[float, float]
    one_period: bool
    notes: tuple[Text, ...] = field(default=())

    # -- derived values ------------------------------------------------------------------
    def day_grid(self, day: int) -> np.ndarray | None:
        """Day air temperature of day ``day`` (0-based)."""
        return None if self.day_anomaly_c is None else self.tmax_c[day] + self.day_anomaly_c

    def night_grid(self, day: int) -> np.ndarray | None:
        """Night air temperature of day ``day`` (0-based)."""
        return None if self.night_anomaly_c is None else self.tmin_c[day] + self.night_anomaly_c

    @property
    def peak_day(self) -> int:
        return int(np.argmax(self.tmax_c))

    @property
    def peak_night(self) -> int:
        return int(np.argmax(self.tmin_c))

    def _people(self, column: str, mask: np.ndarray) -> float:
        return float(np.nansum(self.buildings[column].to_numpy(float)[mask]))

    def _weighted(self, column: str) -> float:
        w = self.buildings["residents"].to_numpy(float)
        v = self.buildings[column].to_numpy(float)
        ok = np.isfinite(v) & (w > 0)
        return float(np.average(v[ok], weights=w[ok])) if ok.any() else np.nan

    # -- the Result protocol --------------------------------------------------------------
    def indicators(self) -> dict[str, float]:
        day = self.day_grid(self.peak_day)
        night = self.night_grid(self.peak_night)
        hot = self.buildings["hot"].to_numpy(bool)
        fac = self.facilities
        p = self.plan_by_day
        return {
            "day_max_c": _round(np.nanmax(day)) if day is not None else np.nan,
            "day_mean_c": _round(np.nanmean(day)) if day is not None else np.nan,
            "night_max_c": _round(np.nanmax(night)) if night is not None else np.nan,
            "night_mean_c": _round(np.nanmean(night)) if night is not None else np.nan,
            "night_homes_c": _round(self._weighted("night_mean_c")),
            "heatwave_days": float(self.heatwave.sum()),
            "residents_hot": round(self._people("residents", hot)),
            "residents_75p_hot": round(self._people("residents_75p", hot)),
            "tropical_nights_max": _max(self.buildings["tropical_nights"]),
            "degree_hours_mean": _round(self._weighted("degree_hours"), 0),
            "excess_risk_indicative_pct": _round(
                self._weighted("excess_risk_indicative_pct")),
            "sensitive_facilities_hot": float(fac["hot"].sum()) if len(fac) else 0.0,
            "heat_index_max_c": _round(np.nanmax(self.heat_index_c))
            if np.isfinite(self.heat_index_c).any() else np.nan,
            "plan_registered": float(self.register_size) if len(p) else np.nan,
            "plan_reached_day1_pct": _round(p["reached_pct"].iloc[0]) if len(p) else np.nan,
            "plan_never_reached": float(self.register_size * (1 - p["reached_ever_pct"].iloc[-1]
                                                              / 100)) if len(p) and
            self.register_size else np.nan,
        }

    def rasters(self) -> dict[str, Raster]:
        out = {"landcover": Raster(self.grid.elevation_m.astype(float), self.grid)}
        if self.day_anomaly_c is not None:
            out["air_temperature_day_c"] = Raster(self.day_grid(self.peak_day), self.grid)
            out["park_cooling_c"] = Raster(self.park_cooling_c, self.grid)
        if self.night_anomaly_c is not None:
            out["air_temperature_night_c"] = Raster(self.night_grid(self.peak_night), self.grid)
        return out

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        return {"buildings_heat": self.buildings, "facilities_heat": self.facilities,
                "heat_measures": self.structures}

    def tables(self) -> dict[str, pd.DataFrame]:
        rows = []
        for d, date in enumerate(self.dates):
            day, night = self.day_grid(d), self.night_grid(d)
            rows.append({
                "day": d + 1, "date": date, "tmin_c": self.tmin_c[d], "tmax_c": self.tmax_c[d],
                "heatwave": bool(self.heatwave[d]), "heat_index_c": self.heat_index_c[d],
                "day_mean_c": np.nanmean(day) if day is not None else np.nan,
                "day_max_c": np.nanmax(day) if day is not None else np.nan,
                "night_mean_c": np.nanmean(night) if night is not None else np.nan,
                "night_max_c": np.nanmax(night) if night is not None else np.nan,
            })
        return {"episode_by_day": pd.DataFrame(rows), "plan_by_day": self.plan_by_day}

    def series(self) -> dict[str, Series]:
        x = np.arange(1, len(self.dates) + 1, dtype=float)
        hot_day = (self.tmax_c + np.nanmax(self.day_anomaly_c)
                   if self.day_anomaly_c is not None else np.full(len(x), np.nan))
        hot_night = (self.tmin_c + np.nanmax(self.night_anomaly_c)
                     if self.night_anomaly_c is not None else np.full(len(x), np.nan))
        temps = Series(x, {"tmax_rural": self.tmax_c, "tmax_hottest": hot_day,
                           "tmin_rural": self.tmin_c, "tmin_hottest": hot_night})
        p = self.plan_by_day
        if len(p):
            px = p["day"].to_numpy(float)
            reached = Series(px, {"reached_pct": p["reached_pct"].to_numpy(float),
                                  "reached_ever_pct": p["reached_ever_pct"].to_numpy(float)})
            rooms = Series(px, {"room_occupancy_pct": p["room_occupancy_pct"].to_numpy(float),
                                "agent_utilisation_pct":
                                    p["agent_utilisation_pct"].to_numpy(float)})
        else:
            reached = Series(np.zeros(0), {"reached_pct": np.zeros(0),
                                           "reached_ever_pct": np.zeros(0)})
            rooms = Series(np.zeros(0), {"room_occupancy_pct": np.zeros(0),
                                         "agent_utilisation_pct": np.zeros(0)})
        return {"temperature_by_day_c": temps, "plan_reached_pct": reached,
                "plan_load_pct": rooms}

    def context(self) -> dict[str, object]:
        lo, hi = self.thresholds_c
        return {"tmin_threshold_c": number_text(lo), "tmax_threshold_c": number_text(hi),
                "departement": self.departement,
                "hot_day_c": float(self.tmax_c[self.peak_day] + self.hot_anomaly_c[0]),
                "hot_night_c": float(self.tmin_c[self.peak_night] + self.hot_anomaly_c[1]),
                "hot_c": number_text(self.hot_anomaly_c[1])}


def _max(values) -> float:
    v = np.asarray(values, dtype=float)
    return float(np.nanmax(v)) if np.isfinite(v).any() else np.nan


def _round(value: float, digits: int = 2) -> float:
    v = float(value)
    return round(v, digits) if np.isfinite(v) else np.nan


# -- the simulation ------------------------------------------------------------------------

def _note_roofs_under_parks(roof_albedo: np.ndarray, cc: np.ndarray, cc_park: np.ndarray,
                            hm: np.ndarray, valid: np.ndarray, cooling_distance_m: float,
                            notes: list[Text]) -> None:
    """Say how many roof cells with an albedo of their own (cool roofs) lie where the
    park term sets the day's heat mitigation index (InVEST: ``HM = CC_park`` where a
    cell cools less than the green spaces around it): their albedo changes nothing
    there, which a comparison would otherwise show without a reason."""
    roofs = np.isfinite(roof_albedo) & valid
    held = roofs & (cc < cc_park) & (hm == cc_park)
    if held.any():
        notes.append(Text(
            "toitures d'albédo donné (données ou toits frais) : {k} mailles sur {n} sont à "
            "moins de {d} m de plus de 2 ha d'espaces verts, dont le rafraîchissement "
            "l'emporte (InVEST : l'indice de rafraîchissement y est celui des espaces "
            "verts) ; l'albédo de ces toits n'y change pas la température de l'air",
            "roofs with an albedo of their own (data or cool roofs): {k} cells of {n} lie "
            "within {d} m of more than 2 ha of green space whose cooling prevails (InVEST: "
            "the heat mitigation index there is the green spaces'); those roofs' albedo "
            "does not change the air temperature there").format(
            k=int(held.sum()), n=int(roofs.sum()), d=number_text(cooling_distance_m)))


def simulate(territory: Territory, params: HeatParams, *, seed: int = 0,
             inputs: dict | None = None) -> HeatResult:
    """Run the heat model on the territory (measures applied), then exposure and plan.

    Parameters
    ----------
    territory
        A territory with vector layers, or with a land-cover raster.
    params
        The scenario's ``simulate: heatwave:`` block (files already read).
    seed
        Seed of the plan's random draws (register, answers).
    inputs
        Unused (the kind uses no other kind's output).
    """
    from jumeau.io.landcover import check_biophysical_table, default_biophysical_table

    notes: list[Text] = []
    default = default_biophysical_table()
    if params.biophysical_table is not None:
        table = check_biophysical_table(params.biophysical_table.value,
                                        params.biophysical_table.path)
    else:
        table = default
    if territory.landcover is not None:
        if params.biophysical_table is None:
            raise JumeauError(
                Text("un raster d'occupation du sol fourni demande sa table biophysique",
                     "a land-cover raster of your own needs its biophysical table"),
                field="simulate.heatwave.biophysical_table",
                fix=Text("ajoutez `biophysical_table: table.csv` (lucode, kc, shade, albedo, "
                         "green_area, building_intensity)", "add `biophysical_table: "
                         "table.csv` (lucode, kc, shade, albedo, green_area, "
                         "building_intensity)"))
        lc = landcover.from_raster(territory.landcover, territory, default)
    else:
        lc = landcover.derive_landcover(territory, params.resolution_m)
    cell = lc.cell_m
    for name in ("mixing_distance_m", "cooling_distance_m"):
        if getattr(params, name) < cell:
            raise JumeauError(
                Text("{f} = {v} m est plus petit que la maille de l'occupation du sol ({c} m)",
                     "{f} = {v} m is smaller than the land-cover cell size ({c} m)").format(
                    f=name, v=number_text(getattr(params, name)), c=number_text(cell)),
                field=f"simulate.heatwave.{name}",
                fix=Text("donnez au moins une maille", "give at least one cell"))
    report(0.05)
    props = landcover.properties(lc, table, default)
    model = cooling.UrbanCooling(props.valid, cell, params.cooling_distance_m,
                                 params.mixing_distance_m)
    report(0.3)

    # Periods and reference temperatures.
    if params.one_period:
        run_day = params.day is not None
        run_night = params.night is not None
        tmax = np.array([params.day.t_ref_c if run_day else np.nan])
        tmin = np.array([params.night.t_ref_c if run_night else np.nan])
        dates = ("J1",)
    else:
        run_day = run_night = True
        ep = params.episode
        if ep is None:
            from jumeau.heat.params import Episode

            ep = Episode(reference="paris-2003")
        lo, hi = ep.days()
        tmin, tmax = np.asarray(lo, float), np.asarray(hi, float)
        ref = episode.REFERENCE_EPISODES.get(ep.reference) if ep.reference else None
        dates = ref.dates if ref else tuple(f"J{i + 1}" for i in range(len(tmin)))
        if ref:
            notes.append(Text("épisode de référence : {l} ({s})", "reference episode: {l} "
                              "({s})").format(l=ref.label, s=ref.source))
    uhi_day = params.day.uhi_max_c if params.day is not None else DEFAULT_UHI_DAY_C
    uhi_night = params.night.uhi_max_c if params.night is not None else DEFAULT_UHI_NIGHT_C

    green_px = model.green_area_px(props.green)
    day_anom = night_anom = park_cooling = None
    if run_day:
        et0 = _et0(params, lc.grid)
        eti = cooling.evapotranspiration_index(props.kc, et0)
        cc = cooling.cooling_capacity_day(props.shade, props.albedo, eti,
                                          params.weights.as_tuple())
        hm, cc_park = model.heat_mitigation(cc, props.green, green_px)
        day_anom = model.anomaly(hm, uhi_day)
        _note_roofs_under_parks(lc.roof_albedo, cc, cc_park, hm, props.valid,
                                params.cooling_distance_m, notes)
        park_cooling = np.maximum(model.anomaly(cc, uhi_day) - day_anom, 0.0)
    report(0.55)
    if run_night:
        cc = cooling.cooling_capacity_night(props.building_intensity)
        hm, _ = model.heat_mitigation(cc, props.green, green_px)
        night_anom = model.anomaly(hm, uhi_night)
    report(0.7)

    # Heatwave days and thresholds.
    dep, (th_min, th_max) = _thresholds(territory, params, notes)
    if params.one_period:
        waves = np.zeros(1, dtype=bool)
    else:
        waves = episode.heatwave_days(tmin, tmax, th_min, th_max)
    humidity = (np.asarray(params.episode.humidity_pct, float)
                if params.episode is not None and params.episode.humidity_pct else None)
    hi_c = (episode.heat_index_c(tmax, humidity) if humidity is not None
            else np.full(len(tmax), np.nan))
    if humidity is not None and np.isnan(hi_c).any():
        refused = [dates[i] for i in np.flatnonzero(np.isnan(hi_c))]
        notes.append(Text("indice de chaleur NWS refusé hors de son domaine de validité "
                          "(≥ 26,7 °C et ≥ 40 % d'humidité) : {d}",
                          "NWS heat index refused outside its validity range (≥ 26.7 °C and "
                          "≥ 40 % humidity): {d}").format(d=", ".join(refused)))

    # Exposure.
    ex = params.exposure
    settings = exposure.ExposureSettings(
        degree_hours_threshold_c=ex.degree_hours_threshold_c,
        tropical_night_c=ex.tropical_night_c, threshold_min_c=th_min, threshold_max_c=th_max,
        share_75p=ex.share_75p,
        slope_pct_per_c=exposure.BACCINI_SLOPE_PCT_PER_C[ex.climate],
        hot_day_anomaly_c=ex.hot_anomaly_c, hot_night_anomaly_c=ex.hot_anomaly_c)
    buildings, assumed = exposure.building_exposure(
        territory.buildings, lc.grid, day_anom, night_anom, tmin, tmax, settings)
    if assumed and len(buildings):
        notes.append(Text("âges inconnus : {s} % des habitants supposés avoir 75 ans ou plus",
                          "ages unknown: {s} % of residents assumed aged 75 or over").format(
            s=number_text(100 * ex.share_75p)))
    facilities = exposure.sensitive_facilities(buildings)
    report(0.8)

    # The municipal plan.
    plan_by_day = pd.DataFrame()
    register_size = 0
    if params.plan is not None and len(territory.buildings):
        plan_by_day, register_size = _run_plan(territory, params.plan, len(tmin), seed,
                                               ex.share_75p)
    report(1.0)

    notes.append(Text("modèle InVEST Urban Cooling (noyau de mélange exponentiel, comme son "
                      "code ; le guide parle d'un noyau gaussien) ; indice de surmortalité "
                      "indicatif (pente de Baccini et al. 2008)",
                      "InVEST Urban Cooling Model (exponential mixing kernel, as in its code; "
                      "its guide says Gaussian); excess-risk index indicative (Baccini et al. "
                      "2008 slope)"))
    s = territory.structures
    return HeatResult(
        kind="heatwave", grid=lc.grid, landcover_derived=lc.derived,
        day_anomaly_c=day_anom, night_anomaly_c=night_anom, park_cooling_c=park_cooling,
        dates=tuple(dates), tmin_c=tmin, tmax_c=tmax, heatwave=waves, heat_index_c=hi_c,
        thresholds_c=(th_min, th_max), departement=dep, buildings=buildings,
        facilities=facilities, plan_by_day=plan_by_day, register_size=register_size,
        structures=s[s["kind"].isin(HEAT_STRUCTURES)].reset_index(drop=True),
        hot_anomaly_c=(settings.hot_day_anomaly_c, settings.hot_night_anomaly_c),
        one_period=params.one_period, notes=tuple(notes))


def _et0(params: HeatParams, grid: Terrain) -> np.ndarray | float:
    """ET0 on the land-cover grid: the raster resampled (bilinear), or the constant."""
    if params.et0 is None:
        return params.et0_mm
    src: Terrain = params.et0.value
    out = np.full(grid.shape, np.nan)
    warp.reproject(np.asarray(src.elevation_m, dtype=float), out, src_transform=src.transform,
                   src_crs=src.crs, dst_transform=grid.transform, dst_crs=grid.crs,
                   src_nodata=np.nan, dst_nodata=np.nan, resampling=Resampling.bilinear)
    if not np.isfinite(out).any() or not np.nanmax(out) > 0:
        raise JumeauError(Text("le raster d'ET0 ne couvre pas le territoire (ou vaut 0)",
                               "the ET0 raster does not cover the territory (or is 0)"),
                          path=params.et0.path, field="simulate.heatwave.et0",
                          fix=Text("donnez un raster d'ET0 (mm/jour) qui recouvre la commune",
                                   "give an ET0 raster (mm/day) covering the commune"))
    return np.where(np.isfinite(out), out, np.nanmean(out))


def _thresholds(territory: Territory, params: HeatParams,
                notes: list[Text]) -> tuple[str, tuple[float, float]]:
    """The département and its (IBMn, IBMx) thresholds."""
    if params.thresholds is not None:
        return params.departement or "", (params.thresholds.tmin_c, params.thresholds.tmax_c)
    dep = params.departement
    if dep is None and len(territory.boundary):
        code = str(territory.boundary["insee_code"].iloc[0])
        guess = code[:3] if code.startswith("97") else code[:2]
        dep = guess if guess in episode.THRESHOLDS else None
    if dep is None:
        ref = (params.episode.reference if params.episode is not None
               and params.episode.reference else "paris-2003")
        dep = episode.REFERENCE_EPISODES[ref].departement
        notes.append(Text("département inconnu : seuils d'alerte de {n} ({d}) utilisés",
                          "département unknown: alert thresholds of {n} ({d}) used").format(
            n=episode.THRESHOLDS[dep][0], d=dep))
    name, lo, hi = episode.THRESHOLDS[dep]
    notes.append(Text("seuils canicule ({n}) : IBMn {a} °C, IBMx {b} °C — {s}",
                      "heatwave thresholds ({n}): IBMn {a} °C, IBMx {b} °C — {s}").format(
        n=name, a=number_text(lo), b=number_text(hi), s=episode.THRESHOLDS_SOURCE))
    return dep, (lo, hi)


# -- the plan's inputs ---------------------------------------------------------------------

def draw_register(buildings: gpd.GeoDataFrame, params: PlanParams,
                  rng: np.random.Generator, share_75p: float = 0.10) -> np.ndarray:
    """Home building (position) of each registered person.

    The expected number per building is ``share_75p × residents 75+ + share_alone ×
    living_alone_share × other residents``; the register's size is that expectation
    rounded, spread over buildings by a multinomial draw.
    """
    r = params.registry
    pop = np.nan_to_num(buildings["population"].to_numpy(float))
    p75 = buildings["population_75p"].to_numpy(float)
    p75 = np.where(np.isfinite(p75), p75, share_75p * pop)
    lam = r.share_75p * p75 + r.share_alone * r.living_alone_share * np.maximum(pop - p75, 0)
    total = int(round(lam.sum()))
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    counts = rng.multinomial(total, lam / lam.sum())
    return np.repeat(np.arange(len(buildings)), counts)


def _register_from_file(territory: Territory, value, path: str) -> np.ndarray:
    b = territory.buildings
    if isinstance(value, gpd.GeoDataFrame):
        pts = shapely.point_on_surface(value.to_crs(territory.crs).geometry.values)
        centres = shapely.point_on_surface(b.geometry.values)
        tree = shapely.STRtree(centres)
        return tree.nearest(pts).astype(np.int64)
    if "building_id" not in value.columns:
        raise JumeauError(Text("le registre n'a pas de colonne building_id",
                               "the register has no building_id column"), path=path,
                          field="building_id",
                          fix=Text("une ligne par personne, avec l'identifiant de son bâtiment",
                                   "one row per person, with their building's identifier"))
    pos = pd.Series(np.arange(len(b)), index=b["building_id"].astype(str))
    ids = value["building_id"].astype(str)
    unknown = sorted(set(ids) - set(pos.index))
    if unknown:
        raise JumeauError(Text("bâtiments inconnus dans le registre : {u}",
                               "unknown buildings in the register: {u}").format(
            u=", ".join(unknown[:5])), path=path, field="building_id")
    return pos.loc[ids].to_numpy(np.int64)


def _run_plan(territory: Territory, params: PlanParams, n_days: int, seed: int,
              share_75p: float) -> tuple[pd.DataFrame, int]:
    rng = np.random.default_rng(seed)
    b = territory.buildings
    if params.registry.file is not None:
        homes = _register_from_file(territory, params.registry.file.value,
                                    params.registry.file.path)
    else:
        homes = draw_register(b, params, rng, share_75p)
    centres = shapely.point_on_surface(b.geometry.values[homes])
    hx, hy = shapely.get_x(centres), shapely.get_y(centres)
    base = _town_hall(territory)
    rooms = [(r.point if r.point is not None else base) for r in params.cooled_rooms]
    visit = 2 * _travel_min(territory, base, hx, hy)
    room_times = np.column_stack([_travel_min(territory, p, hx, hy) for p in rooms]) \
        if rooms else np.zeros((len(homes), 0))
    room_of = np.argmin(room_times, axis=1) if rooms else np.zeros(len(homes), int)
    room_trip = room_times[np.arange(len(homes)), room_of] if rooms else np.zeros(len(homes))
    settings = plan.PlanSettings(
        agents=params.agents, call_every_days=params.call_every_days,
        answer_probability=params.answer_probability, call_min=params.call_min,
        no_answer_min=params.no_answer_min, retry_after_h=params.retry_after_h,
        visit_after_attempts=params.visit_after_attempts, visit_min=params.visit_min,
        shift_start_h=params.shift_start_h, shift_h=params.shift_h, room_share=params.room_share,
        vehicles=params.vehicles, boarding_min=params.boarding_min,
        rooms=tuple((r.name, r.capacity_people, r.open_h[0], r.open_h[1])
                    for r in params.cooled_rooms))
    outcome = plan.simulate_plan(visit, room_of, room_trip, n_days, settings,
                                 seed=int(rng.integers(2**31)))
    return outcome.by_day, len(homes)


def _town_hall(territory: Territory) -> tuple[float, float]:
    """The plan's base: the town hall, else the centre of the buildings."""
    b = territory.buildings
    hall = b[b["facility"] == "town_hall"]
    geom = hall.geometry.iloc[0] if len(hall) else shapely.union_all(
        shapely.centroid(b.geometry.values))
    p = shapely.point_on_surface(geom) if len(hall) else shapely.centroid(geom)
    return float(p.x), float(p.y)


def _travel_min(territory: Territory, origin: tuple[float, float], x: np.ndarray,
                y: np.ndarray) -> np.ndarray:
    """One-way driving time from ``origin`` to points (min), on the road network."""
    straight = np.hypot(x - origin[0], y - origin[1])
    fallback = straight * FALLBACK_DETOUR / (FALLBACK_SPEED_KMH / 3.6) / 60.0
    net = territory.network if len(territory.roads) else None
    if net is None or net.n_nodes == 0:
        return fallback
    o, o_snap = net.nearest_node(np.array([origin[0]]), np.array([origin[1]]))
    d, d_snap = net.nearest_node(x, y)
    t = net.cost_matrix(o, d)[0] / 60.0
    access = (o_snap[0] + d_snap) / (FALLBACK_SPEED_KMH / 3.6) / 60.0
    t = np.where(np.isfinite(t), t + access, fallback)
    return t
