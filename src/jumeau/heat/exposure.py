"""Who is exposed: temperatures at each building over the episode, and what they mean.

Per building (mean of the grid over its footprint): the day and night temperatures of
every day, degree-hours above a comfort threshold through a diurnal cycle
(:func:`jumeau.heat.episode.hourly_weights`), tropical nights (minimum above 20 °C) and
nights above the département's threshold, residents and residents aged 75 or over, and an
**indicative** excess-risk index.

The excess-risk index applies the exposure–response slopes of Baccini et al. (2008),
"Heat effects on mortality in 15 European cities", *Epidemiology* 19(5): 711-719 — about
+1.8 % daily mortality per °C of maximum apparent temperature above the city's threshold
in north-continental cities, +3.1 % in Mediterranean ones — to the building's daily
maximum air temperature above the département's IBMx threshold, averaged over the
episode. It is a relative index to compare places and variants, not a count of deaths.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from jumeau.heat.episode import hourly_weights
from jumeau.territory.raster import footprint_stats
from jumeau.territory.terrain import Terrain

#: % excess mortality per °C above threshold (Baccini et al. 2008, pooled estimates).
BACCINI_SLOPE_PCT_PER_C = {"north_continental": 1.8, "mediterranean": 3.1}

#: Facilities whose occupants are most vulnerable to heat.
SENSITIVE_FACILITIES = ("nursing_home", "school", "childcare", "hospital")


@dataclass(frozen=True)
class ExposureSettings:
    """Thresholds and shares of the exposure computation.

    Attributes
    ----------
    degree_hours_threshold_c
        Degree-hours count the hours above this air temperature.
    tropical_night_c
        A night is "tropical" when its minimum stays above this (20 °C).
    threshold_min_c, threshold_max_c
        The département's IBMn / IBMx thresholds.
    share_75p
        Share of residents aged 75 or over where the data gives none.
    slope_pct_per_c
        Exposure–response slope of the excess-risk index.
    hot_day_anomaly_c, hot_night_anomaly_c
        A building is *hot* when its night anomaly (its day anomaly when nights are not
        simulated) reaches this: an absolute threshold, the same in every variant.
    """

    degree_hours_threshold_c: float = 26.0
    tropical_night_c: float = 20.0
    threshold_min_c: float = 21.0
    threshold_max_c: float = 31.0
    share_75p: float = 0.10
    slope_pct_per_c: float = 1.8
    hot_day_anomaly_c: float = 0.75
    hot_night_anomaly_c: float = 1.5


def building_exposure(buildings: gpd.GeoDataFrame, grid: Terrain,
                      day_anomaly_c: np.ndarray | None, night_anomaly_c: np.ndarray | None,
                      tmin_c: np.ndarray, tmax_c: np.ndarray,
                      settings: ExposureSettings) -> tuple[gpd.GeoDataFrame, bool]:
    """Per-building exposure over the episode.

    Parameters
    ----------
    buildings
        Canonical buildings layer.
    grid
        The land-cover grid the anomalies lie on.
    day_anomaly_c, night_anomaly_c
        Mixed air-temperature anomaly over the rural reference, by day and by night
        (None when the period is not simulated).
    tmin_c, tmax_c
        Rural daily minimum and maximum, one per day.
    settings
        Thresholds and shares.

    Returns
    -------
    frame
        One row per building (same order), geometry kept.
    ages_assumed
        True when residents aged 75+ came from ``settings.share_75p``.
    """
    n = len(buildings)
    geoms = buildings.geometry.values
    tmin = np.asarray(tmin_c, dtype=float)
    tmax = np.asarray(tmax_c, dtype=float)

    def sample(values):
        if values is None or n == 0:
            return np.full(n, np.nan)
        return footprint_stats(values, geoms, grid)["mean"].to_numpy()

    a_day, a_night = sample(day_anomaly_c), sample(night_anomaly_c)
    t_day = tmax[None, :] + a_day[:, None]          # buildings × days
    t_night = tmin[None, :] + a_night[:, None]
    residents = np.nan_to_num(buildings["population"].to_numpy(float))
    p75 = buildings["population_75p"].to_numpy(float)
    assumed = not np.isfinite(p75).any()
    p75 = residents * settings.share_75p if assumed else np.nan_to_num(p75)

    with np.errstate(invalid="ignore"):
        if day_anomaly_c is not None and night_anomaly_c is not None:
            w, night_i, day_i = hourly_weights(len(tmin))
            lo, hi = t_night[:, night_i], t_day[:, day_i]
            hourly = lo + w[None, :] * (hi - lo)
            degree_hours = np.maximum(hourly - settings.degree_hours_threshold_c, 0).sum(axis=1)
            degree_hours = np.where(np.isfinite(a_day) & np.isfinite(a_night), degree_hours,
                                    np.nan)
        else:
            degree_hours = np.full(n, np.nan)
        tropical = (t_night > settings.tropical_night_c).sum(axis=1).astype(float)
        above = (t_night >= settings.threshold_min_c).sum(axis=1).astype(float)
        excess = settings.slope_pct_per_c * np.maximum(
            t_day - settings.threshold_max_c, 0).mean(axis=1)
    if night_anomaly_c is None:
        tropical[:] = np.nan
        above[:] = np.nan
    if day_anomaly_c is None:
        excess[:] = np.nan
    with np.errstate(invalid="ignore"):
        hot = (a_night >= settings.hot_night_anomaly_c) if night_anomaly_c is not None else \
            (a_day >= settings.hot_day_anomaly_c)
    frame = gpd.GeoDataFrame({
        "building_id": buildings["building_id"].to_numpy(),
        "name": buildings["name"].to_numpy(),
        "use": buildings["use"].to_numpy(),
        "facility": buildings["facility"].to_numpy(),
        "residents": residents,
        "residents_75p": p75,
        "day_anomaly_c": a_day,
        "night_anomaly_c": a_night,
        "day_max_c": np.nanmax(t_day, axis=1, initial=-np.inf) if len(tmax) else a_day,
        "night_max_c": np.nanmax(t_night, axis=1, initial=-np.inf) if len(tmin) else a_night,
        "night_mean_c": t_night.mean(axis=1),
        "degree_hours": degree_hours,
        "tropical_nights": tropical,
        "nights_above_threshold": above,
        "excess_risk_indicative_pct": excess,
        "hot": hot,
    }, geometry=np.asarray(geoms), crs=buildings.crs)
    for col in ("day_max_c", "night_max_c"):
        frame[col] = frame[col].where(np.isfinite(frame[col]), np.nan)
    return frame, assumed


def sensitive_facilities(exposure: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Nursing homes, schools, childcare and hospitals, hottest first, as points.

    ``night_rank_pct`` is the share of buildings cooler at night than this one.
    """
    ref = exposure["night_mean_c"].to_numpy(float)
    if not np.isfinite(ref).any():
        ref = exposure["day_max_c"].to_numpy(float)
    ok = np.isfinite(ref)
    order = np.sort(ref[ok])
    rank = np.searchsorted(order, ref, side="left") / max(len(order), 1) * 100
    pick = exposure["facility"].isin(SENSITIVE_FACILITIES).to_numpy()
    out = exposure.loc[pick, ["building_id", "name", "facility", "day_max_c", "night_max_c",
                              "night_mean_c", "degree_hours", "hot"]].copy()
    out["night_rank_pct"] = np.round(rank[pick], 1)
    out = gpd.GeoDataFrame(out, geometry=shapely.point_on_surface(
        exposure.geometry.values[pick]), crs=exposure.crs)
    return out.sort_values("night_rank_pct", ascending=False).reset_index(drop=True)
