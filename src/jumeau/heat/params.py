"""Parameters of a heatwave scenario (the ``simulate: heatwave:`` block), with defaults.

Two ways to run it:

- **One period**, exactly InVEST's Urban Cooling Model: ``day: {t_ref_c: 30,
  uhi_max_c: 3}`` and/or ``night: {t_ref_c: 20, uhi_max_c: 4}`` give one air-temperature
  grid each.
- **An episode** (the default): a daily series of rural minimum and maximum temperatures,
  ``episode: {tmin_c: […], tmax_c: […]}`` or a built-in reference
  (``episode: {reference: paris-2003}``). The day model runs on each Tmax, the night
  model on each Tmin (``day: {uhi_max_c: …}`` / ``night: {uhi_max_c: …}`` then only set
  the heat-island intensities). Exposure and the municipal heatwave plan follow.

::

    simulate:
      heatwave:
        episode: {reference: paris-2003}
        departement: "75"                  # alert thresholds (IBMn / IBMx)
        plan: {agents: 2, register: {share_75p: 0.2}}
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jumeau.heat.episode import REFERENCE_EPISODES, THRESHOLDS
from jumeau.scenario.refs import RasterRef, TableRef, VectorRef


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Period(_Model):
    """One period of InVEST's model: the rural reference and the heat-island intensity."""

    t_ref_c: float | None = Field(None, ge=-30, le=60, description=(
        "Rural reference air temperature (°C). Required in one-period mode; taken from "
        "the episode's series otherwise."))
    uhi_max_c: float = Field(gt=0, le=15, description=(
        "Urban heat-island magnitude: the largest excess over the rural reference (°C)."))


#: Default heat-island magnitudes of the episode mode (°C). Night: Oke (1973), "City size
#: and the urban heat island", Atmos. Environ. 7: ΔT = 2.01 log10(P) − 4.06 for European
#: towns gives 3.2 °C for 4,000 inhabitants; day: assumption (daytime air-temperature
#: islands are about half the nocturnal ones, Oke 1982).
DEFAULT_UHI_DAY_C = 1.5
DEFAULT_UHI_NIGHT_C = 3.0


class Weights(_Model):
    """Weights of the daytime cooling capacity (rescaled to sum to 1, as in InVEST)."""

    shade: float = Field(0.6, ge=0)
    albedo: float = Field(0.2, ge=0)
    eti: float = Field(0.2, ge=0)

    @model_validator(mode="after")
    def _not_all_zero(self) -> Weights:
        if self.shade + self.albedo + self.eti <= 0:
            raise ValueError("at least one weight must be > 0")
        return self

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.shade, self.albedo, self.eti)


class Episode(_Model):
    """Daily rural temperatures: a built-in reference or the scenario's own series."""

    reference: str | None = Field(None, description=(
        f"Built-in episode: {', '.join(REFERENCE_EPISODES)}."))
    tmin_c: list[float] | None = Field(None, description="Daily minimum (°C), one per day.")
    tmax_c: list[float] | None = Field(None, description="Daily maximum (°C), one per day.")
    humidity_pct: list[float] | None = Field(None, description=(
        "Relative humidity at the hottest hour (%), one per day: gives the NWS heat "
        "index where it is valid (≥ 26.7 °C and ≥ 40 %)."))

    @field_validator("reference")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        if value is not None and value not in REFERENCE_EPISODES:
            raise ValueError(f"unknown reference episode {value!r}; known: "
                             f"{', '.join(REFERENCE_EPISODES)}")
        return value

    @model_validator(mode="after")
    def _series(self) -> Episode:
        given = self.tmin_c is not None or self.tmax_c is not None
        if (self.reference is None) == (not given):
            raise ValueError("give either `reference` or the series `tmin_c` and `tmax_c`")
        if given:
            if self.tmin_c is None or self.tmax_c is None:
                raise ValueError("give both `tmin_c` and `tmax_c`")
            if len(self.tmin_c) == 0:
                raise ValueError("the episode has no days: give at least one value in "
                                 "`tmin_c` and `tmax_c`")
            if len(self.tmin_c) != len(self.tmax_c):
                raise ValueError(f"`tmin_c` has {len(self.tmin_c)} days and `tmax_c` "
                                 f"{len(self.tmax_c)}: give one value per day in each")
            bad = [i + 1 for i, (lo, hi) in enumerate(zip(self.tmin_c, self.tmax_c)) if lo > hi]
            if bad:
                raise ValueError(f"Tmin above Tmax on day(s) {', '.join(map(str, bad))}")
        n = len(self.days()[0])
        if self.humidity_pct is not None:
            if len(self.humidity_pct) != n:
                raise ValueError(f"give one humidity per day ({n})")
            if any(not 0 <= h <= 100 for h in self.humidity_pct):
                raise ValueError("humidity must be between 0 and 100 %")
        return self

    def days(self) -> tuple[list[float], list[float]]:
        """(tmin_c, tmax_c) of the episode."""
        if self.reference is not None:
            ref = REFERENCE_EPISODES[self.reference]
            return list(ref.tmin_c), list(ref.tmax_c)
        return list(self.tmin_c or []), list(self.tmax_c or [])


class Thresholds(_Model):
    """The heatwave alert thresholds (IBMn / IBMx), when not the département's."""

    tmin_c: float = Field(ge=0, le=40)
    tmax_c: float = Field(ge=0, le=50)


class ExposureParams(_Model):
    """How temperatures become exposure."""

    degree_hours_threshold_c: float = Field(26.0, ge=15, le=45, description=(
        "Degree-hours count the hours above this air temperature (°C); 26 °C is the lower "
        "bound of the comfort threshold of the French RE2020 'degrés-heures d'inconfort'."))
    tropical_night_c: float = Field(20.0, ge=10, le=35, description=(
        "A night is tropical when its minimum stays above this (Météo-France: 20 °C)."))
    share_75p: float = Field(0.10, ge=0, le=1, description=(
        "Share of residents aged 75 or over when the population data has no ages "
        "(about 10 % in France, INSEE population estimates 2024; assumption)."))
    climate: Literal["north_continental", "mediterranean"] = Field(
        "north_continental", description=(
            "Which pooled slope of Baccini et al. (2008) the indicative excess-risk index "
            "uses: +1.8 %/°C (north-continental) or +3.1 %/°C (Mediterranean)."))
    hot_anomaly_c: float = Field(0.5, gt=0, le=10, description=(
        "A place is hot when the heat island adds at least this to its air temperature "
        "(by night; by day in a day-only run), in °C: an absolute threshold, the same in "
        "every variant (assumption: about the accuracy of urban temperature sensors)."))


class Register(_Model):
    """Who is on the commune's register of vulnerable people."""

    share_75p: float = Field(0.20, ge=0, le=1, description=(
        "Share of residents aged 75+ who registered (assumption: registration is "
        "voluntary and partial)."))
    share_alone: float = Field(0.0, ge=0, le=1, description=(
        "Share of the other people living alone who registered (assumption)."))
    living_alone_share: float = Field(0.15, ge=0, le=1, description=(
        "Share of residents under 75 living alone (INSEE census order of magnitude: about "
        "one person in six lives alone; assumption)."))
    file: VectorRef | TableRef | None = Field(None, description=(
        "A register file instead: points (GeoPackage / GeoJSON), or a CSV with a "
        "`building_id` column, one row per registered person."))


class CooledRoom(_Model):
    """A cooled room (salle rafraîchie)."""

    name: str = "Salle rafraîchie"
    point: tuple[float, float] | None = Field(None, description=(
        "Where it is; default: the town hall (or the territory's centre)."))
    capacity_people: int = Field(30, ge=1, le=5000)
    open_h: tuple[float, float] = Field((10.0, 18.0), description="Opening and closing hours.")

    @field_validator("open_h")
    @classmethod
    def _hours(cls, value: tuple[float, float]) -> tuple[float, float]:
        if not 0 <= value[0] < value[1] <= 24:
            raise ValueError("opening hours must satisfy 0 <= open < close <= 24")
        return value


class PlanParams(_Model):
    """The municipal heatwave plan (see :mod:`jumeau.heat.plan`)."""

    agents: int = Field(2, ge=0, le=500, description="Agents calling and visiting.")
    registry: Register = Register()
    call_every_days: int = Field(1, ge=1, le=14, description=(
        "Each registered person is called every this many days."))
    answer_probability: float = Field(0.7, ge=0, le=1, description=(
        "Chance that a call is answered (assumption)."))
    call_min: float = Field(6.0, gt=0, le=120, description=(
        "An answered call (min); with unanswered ones, about 90 calls per agent per day, "
        "the order of magnitude seen in large cities."))
    no_answer_min: float = Field(3.0, gt=0, le=60, description="An unanswered attempt (min).")
    retry_after_h: float = Field(1.0, gt=0, le=24, description="Delay before calling again.")
    visit_after_attempts: int = Field(4, ge=1, le=20, description=(
        "Unanswered attempts in a row before a home visit (order of magnitude seen in "
        "large cities: 4)."))
    visit_min: float = Field(20.0, gt=0, le=240, description="Time at the home (min).")
    shift_start_h: float = Field(9.0, ge=0, lt=24)
    shift_h: float = Field(8.0, gt=0, le=16)
    cooled_rooms: list[CooledRoom] = Field(default_factory=lambda: [CooledRoom()])
    room_share: float = Field(0.10, ge=0, le=1, description=(
        "Share of the people reached who ask to go to a cooled room each day (assumption)."))
    vehicles: int = Field(1, ge=0, le=100, description="Vehicles of the transport service.")
    boarding_min: float = Field(10.0, ge=0, le=120)

    @model_validator(mode="after")
    def _shift(self) -> PlanParams:
        if self.shift_start_h + self.shift_h > 24:
            raise ValueError("the shift must end before midnight")
        return self


class HeatParams(_Model):
    """The ``simulate: heatwave:`` block (see the module docstring)."""

    resolution_m: float = Field(10.0, ge=2, le=100, description=(
        "Cell size of the land-cover grid derived from the layers (m)."))
    cooling_distance_m: float = Field(450.0, gt=0, le=5000, description=(
        "Reach of green spaces, d_cool (InVEST default 450 m)."))
    mixing_distance_m: float = Field(500.0, gt=0, le=5000, description=(
        "Air mixing distance (InVEST default 500 m); at least one cell."))
    weights: Weights = Weights()
    et0_mm: float = Field(5.0, gt=0, le=20, description=(
        "Reference evapotranspiration (mm/day), uniform; with a uniform ET0 the "
        "evapotranspiration index is kc."))
    et0: RasterRef | None = Field(None, description="An ET0 raster instead (mm/day).")
    biophysical_table: TableRef | None = Field(None, description=(
        "InVEST-style table (lucode, kc, shade, albedo, green_area, building_intensity); "
        "required with a land-cover raster of your own."))
    day: Period | None = None
    night: Period | None = None
    episode: Episode | None = None
    departement: str | None = Field(None, description=(
        "Département code for the alert thresholds (e.g. '75', '69', '2A'); default: from "
        "the commune's INSEE code, else the reference episode's."))
    thresholds: Thresholds | None = None
    exposure: ExposureParams = ExposureParams()
    plan: PlanParams | None = PlanParams()

    @field_validator("departement")
    @classmethod
    def _departement(cls, value: str | None) -> str | None:
        if value is not None and value not in THRESHOLDS:
            raise ValueError(f"no thresholds for département {value!r}; known: "
                             f"{', '.join(THRESHOLDS)} — or give `thresholds: {{tmin_c, "
                             f"tmax_c}}`")
        return value

    @model_validator(mode="after")
    def _mode(self) -> HeatParams:
        refs = [p for p in (self.day, self.night) if p is not None and p.t_ref_c is not None]
        if self.episode is not None and refs:
            raise ValueError("with an `episode`, `day` / `night` only set `uhi_max_c`: the "
                             "reference temperatures come from the episode")
        if self.episode is None and refs and len(refs) != len(
                [p for p in (self.day, self.night) if p is not None]):
            raise ValueError("in one-period mode give `t_ref_c` for each of `day` / `night`")
        return self

    @property
    def one_period(self) -> bool:
        """True in InVEST's one-period mode (``t_ref_c`` given, no episode)."""
        return self.episode is None and any(
            p is not None and p.t_ref_c is not None for p in (self.day, self.night))
