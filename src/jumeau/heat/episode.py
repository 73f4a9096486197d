"""A multi-day heatwave: rural temperatures, heatwave days, heat index, diurnal cycle.

- Heatwave days follow Météo-France's biometeorological indicators (IBM): the 3-day
  rolling means of the daily minimum (IBMn) and maximum (IBMx) temperatures are compared
  with the département's alert thresholds; a day belongs to a heatwave when it lies in a
  3-day window whose IBMn *and* IBMx both reach the thresholds.
- The département thresholds are kept as data (:data:`THRESHOLDS`) with their source.
- Built-in reference episodes (:data:`REFERENCE_EPISODES`) are stylised weeks shaped on the
  published figures of August 2003, each with its source.
- The heat index is the US National Weather Service's (Rothfusz 1990 regression), refused
  (NaN) outside the range where the regression holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jumeau.i18n import Text

#: Where the département thresholds come from.
THRESHOLDS_SOURCE = (
    "Météo-France / Santé publique France, seuils d'alerte canicule départementaux "
    "(IBMn / IBMx, moyennes glissantes sur 3 jours) du Plan national canicule, repris par "
    "la vigilance canicule (Laaidi et al. 2006, « Système d'alerte canicule et santé », "
    "InVS). Vérifiez le seuil de votre département sur vigilance.meteofrance.fr.")

#: Département code → (name, IBMn threshold °C, IBMx threshold °C).
THRESHOLDS: dict[str, tuple[str, float, float]] = {
    "06": ("Alpes-Maritimes", 24.0, 31.0),
    "13": ("Bouches-du-Rhône", 24.0, 35.0),
    "31": ("Haute-Garonne", 21.0, 36.0),
    "33": ("Gironde", 21.0, 35.0),
    "59": ("Nord", 18.0, 33.0),
    "67": ("Bas-Rhin", 19.0, 34.0),
    "69": ("Rhône", 20.0, 34.0),
    "75": ("Paris", 21.0, 31.0),
}


@dataclass(frozen=True)
class ReferenceEpisode:
    """A built-in daily series of rural temperatures.

    Attributes
    ----------
    name
        Key used in scenario files (``episode: {reference: <name>}``).
    label
        What it is, for people.
    dates
        ISO dates of the days.
    tmin_c, tmax_c
        Daily minimum and maximum air temperature of the rural reference (°C).
    departement
        Département whose thresholds go with it.
    source
        Where the shape of the series comes from.
    """

    name: str
    label: Text
    dates: tuple[str, ...]
    tmin_c: tuple[float, ...]
    tmax_c: tuple[float, ...]
    departement: str
    source: str


REFERENCE_EPISODES: dict[str, ReferenceEpisode] = {
    e.name: e for e in (
        ReferenceEpisode(
            "paris-2003", Text("semaine type août 2003, Paris", "August 2003-like week, Paris"),
            tuple(f"2003-08-{d:02d}" for d in range(6, 13)),
            tmin_c=(20.5, 22.0, 23.0, 23.5, 24.5, 25.5, 24.0),
            tmax_c=(35.5, 36.5, 36.0, 37.5, 38.5, 39.5, 37.0),
            departement="75",
            source=("Stylised week shaped on the published extremes of Paris-Montsouris, "
                    "6-12 August 2003 (Tmax about 39.5 °C and Tmin about 25.5 °C at the "
                    "peak; Météo-France, bilan climatique de l'été 2003; Hémon & Jougla "
                    "2003, Inserm report on the excess mortality). Not the station's daily "
                    "record.")),
        ReferenceEpisode(
            "lyon-2003", Text("semaine type août 2003, Lyon", "August 2003-like week, Lyon"),
            tuple(f"2003-08-{d:02d}" for d in range(7, 14)),
            tmin_c=(19.5, 20.5, 21.0, 22.0, 22.5, 23.5, 23.0),
            tmax_c=(35.0, 36.5, 37.0, 38.0, 38.5, 39.5, 40.5),
            departement="69",
            source=("Stylised week shaped on the published extremes of Lyon-Bron, "
                    "7-13 August 2003 (Tmax about 40.5 °C on 13 August; Météo-France, bilan "
                    "climatique de l'été 2003). Not the station's daily record.")),
    )
}

#: Validity of the Rothfusz regression (NWS): air temperature and relative humidity.
HEAT_INDEX_MIN_C = (80.0 - 32.0) / 1.8
HEAT_INDEX_MIN_RH_PCT = 40.0


def rolling_mean_3(values: np.ndarray) -> np.ndarray:
    """Means over the windows (d, d+1, d+2); one fewer value than days minus two.

    Examples
    --------
    >>> rolling_mean_3(np.array([1.0, 2.0, 3.0, 4.0])).tolist()
    [2.0, 3.0]
    """
    v = np.asarray(values, dtype=float)
    if len(v) < 3:
        return np.zeros(0)
    return np.convolve(v, np.ones(3) / 3.0, mode="valid")


def heatwave_days(tmin_c: np.ndarray, tmax_c: np.ndarray, threshold_min_c: float,
                  threshold_max_c: float) -> np.ndarray:
    """Bool per day: the day lies in a 3-day window whose mean Tmin and mean Tmax both
    reach the thresholds (Météo-France IBMn / IBMx).

    Examples
    --------
    >>> heatwave_days(np.array([18, 22, 22, 22, 18.]), np.array([30, 32, 32, 32, 30.]),
    ...               21, 31).tolist()
    [False, True, True, True, False]
    """
    tmin = np.asarray(tmin_c, dtype=float)
    tmax = np.asarray(tmax_c, dtype=float)
    hit = (rolling_mean_3(tmin) >= threshold_min_c) & (rolling_mean_3(tmax) >= threshold_max_c)
    days = np.zeros(len(tmin), dtype=bool)
    for shift in range(3):
        days[shift:shift + len(hit)] |= hit
    return days


def heat_index_c(t_c: np.ndarray | float, rh_pct: np.ndarray | float) -> np.ndarray:
    """NWS heat index (Rothfusz 1990 regression, with the NWS humidity adjustment), °C.

    Refused — NaN — outside the range where the regression holds: air temperature below
    80 °F (26.7 °C) or relative humidity below 40 % or above 100 %.

    Examples
    --------
    >>> round(float(heat_index_c(32.0, 60.0)), 1)
    37.1
    >>> bool(np.isnan(heat_index_c(22.0, 60.0)))
    True
    """
    t_c = np.asarray(t_c, dtype=float)
    rh = np.asarray(rh_pct, dtype=float)
    t = t_c * 1.8 + 32.0
    hi = (-42.379 + 2.04901523 * t + 10.14333127 * rh - 0.22475541 * t * rh
          - 0.00683783 * t * t - 0.05481717 * rh * rh + 0.00122874 * t * t * rh
          + 0.00085282 * t * rh * rh - 0.00000199 * t * t * rh * rh)
    humid = (rh > 85.0) & (t >= 80.0) & (t <= 87.0)
    hi = np.where(humid, hi + (rh - 85.0) / 10.0 * (87.0 - t) / 5.0, hi)
    ok = (t_c >= HEAT_INDEX_MIN_C - 1e-9) & (rh >= HEAT_INDEX_MIN_RH_PCT) & (rh <= 100.0)
    return np.where(ok, (hi - 32.0) / 1.8, np.nan)


#: Hours of the daily minimum and maximum in the diurnal cycle (assumption: typical
#: clear-sky summer days in France, minimum near sunrise, maximum mid-afternoon).
HOUR_OF_MIN = 5.0
HOUR_OF_MAX = 16.0


def hourly_weights(n_days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The diurnal cycle as a weight between night and day values, hour by hour.

    The temperature rises as a half cosine from the night minimum (05:00) to the day
    maximum (16:00) and falls back the same way to the next night's minimum.

    Returns
    -------
    weight
        Per hour, 0 at the minimum, 1 at the maximum.
    night_index, day_index
        Per hour, which night (minimum) and which day (maximum) it interpolates between.
    """
    hours = np.arange(24 * n_days, dtype=float)
    day = (hours // 24).astype(int)
    h = hours % 24
    rising = (h >= HOUR_OF_MIN) & (h < HOUR_OF_MAX)
    # Rising: from the night before this day's max; falling: towards the next night.
    phase = np.where(rising, (h - HOUR_OF_MIN) / (HOUR_OF_MAX - HOUR_OF_MIN),
                     1.0 - ((h - HOUR_OF_MAX) % 24) / (24 - HOUR_OF_MAX + HOUR_OF_MIN))
    weight = 0.5 * (1.0 - np.cos(np.pi * phase))
    night = np.clip(day + (h >= HOUR_OF_MAX), 0, n_days - 1)
    day_index = np.clip(day - (h < HOUR_OF_MIN), 0, n_days - 1)
    return weight, night, day_index
