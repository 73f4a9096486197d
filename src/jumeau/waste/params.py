"""Parameters of a waste-collection scenario (the ``simulate: waste:`` block).

Every default is a documented figure or a stated assumption; change any of them per
commune. Coordinates are in the territory's CRS.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jumeau.scenario.refs import FeatureRef, TableRef, VectorRef
from jumeau.waste.production import PRODUCTION_KG_PER_INHABITANT_YEAR, STREAMS

Stream = Literal["residual", "packaging", "glass", "biowaste"]
Coords = list[tuple[float, float]]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Production(_Model):
    """Household waste per inhabitant and year, by stream (kg). Defaults: ADEME
    (see :mod:`jumeau.waste.production`)."""

    residual: float = Field(PRODUCTION_KG_PER_INHABITANT_YEAR["residual"], ge=0,
                            description="Residual household waste (OMR), MODECOM 2017.")
    packaging: float = Field(PRODUCTION_KG_PER_INHABITANT_YEAR["packaging"], ge=0,
                             description="Packaging and paper (yellow bin).")
    glass: float = Field(PRODUCTION_KG_PER_INHABITANT_YEAR["glass"], ge=0)
    biowaste: float = Field(PRODUCTION_KG_PER_INHABITANT_YEAR["biowaste"], ge=0)


#: Loose density of waste in bins (kg per litre), to count bins and containers.
#: Assumption from usual French collection-service figures (OMR ≈ 0.10-0.15 t/m³ in bins,
#: packaging ≈ 0.03-0.05, glass ≈ 0.3, biowaste ≈ 0.4-0.5).
LOOSE_DENSITY_KG_L = {"residual": 0.12, "packaging": 0.04, "glass": 0.30, "biowaste": 0.45}

#: Density once compacted in a rear-loader body (kg per litre), for the volume capacity.
#: Assumption: compaction ratio about 3-4 for OMR and packaging; glass and biowaste are
#: barely compacted.
COMPACTED_DENSITY_KG_L = {"residual": 0.45, "packaging": 0.15, "glass": 0.35,
                          "biowaste": 0.60}


class Zone(_Model):
    """A part of the commune with its own collection frequency."""

    name: str = ""
    polygon: Coords | FeatureRef = Field(description="[[x, y], …] or a named feature of "
                                         "a vector file.")
    collections_per_week: float = Field(gt=0, le=7)

    def geometry(self):
        import shapely

        if isinstance(self.polygon, FeatureRef):
            return self.polygon.value
        return shapely.Polygon(self.polygon)


class Demand(_Model):
    """Where waste is collected and how much."""

    stream: Stream = Field("residual", description="The stream these rounds collect.")
    production_kg_per_inhabitant_year: Production = Production()
    collections_per_week: float = Field(
        1.0, gt=0, le=7, description="Default frequency. Legal minimum: weekly in built-up "
        "areas of over 2,000 inhabitants (CGCT art. R2224-24).")
    zones: list[Zone] = Field(default_factory=list, description="Zones with their own "
                              "frequency (the first zone holding a building wins).")
    mode: Literal["door_to_door", "drop_off"] = "door_to_door"
    door_to_door: Literal["points", "streets"] = Field(
        "points", description="points: stops along the streets; streets: each street "
        "segment served as a whole (arc routing, either direction).")
    stop_spacing_m: float = Field(40.0, gt=0, description="Buildings on one street within "
                                  "this stretch share a stop (assumption: a rear-loader "
                                  "stops every 30-50 m in detached housing).")
    bin_volume_l: float = Field(240.0, gt=0, description="Bin size (door to door).")
    drop_off_points: Coords | VectorRef | None = Field(
        None, description="Drop-off containers: [[x, y], …] or a vector file (points); "
        "none: placed by the distance rule.")
    drop_off_max_distance_m: float = Field(200.0, gt=0, description="Rule: every dwelling "
                                           "within this distance (straight line) of a "
                                           "drop-off point.")
    container_volume_l: float = Field(4000.0, gt=0, description="Drop-off container size.")
    candidate_spacing_m: float = Field(25.0, gt=0, description="Drop-off candidates every "
                                       "this many metres along the streets.")

    def kg_per_inhabitant_year(self) -> float:
        return float(getattr(self.production_kg_per_inhabitant_year, self.stream))


class Fleet(_Model):
    """The trucks and their crews."""

    trucks: int = Field(2, description="Trucks available for the day.")
    payload_t: float = Field(8.5, gt=0, description="Payload of a rear-loader (26 t "
                             "gross weight; assumption from manufacturers' sheets).")
    body_volume_m3: float = Field(19.0, gt=0, description="Body volume (assumption).")
    crew: int = Field(3, ge=1, le=6, description="Driver and loaders.")
    shift_h: float = Field(7.0, gt=0, le=12, description="Time on the round, depot to "
                           "depot (about 7 h collecting in an 8 h 45 working day).")
    max_overtime_h: float = Field(1.0, ge=0, le=6, description="Overtime allowed beyond "
                                  "the shift; the day stops there and points left are "
                                  "missed.")
    speed_cap_kmh: float = Field(50.0, gt=0, le=130, description="Truck top speed "
                                 "(assumption: 50 km/h in and around a small town).")
    collecting_speed_kmh: float = Field(6.0, gt=0, le=30, description="Speed along a "
                                        "street being served (assumption: walking pace of "
                                        "the loaders).")
    start_h: float = Field(6.0, ge=0, lt=24, description="Departure time (clock).")

    @field_validator("trucks")
    @classmethod
    def _some(cls, value: int) -> int:
        if value < 1:
            raise ValueError("at least one truck is needed (trucks >= 1)")
        return value


class Service(_Model):
    """Service times (assumptions, the issue's figures from usual collection practice)."""

    per_bin_s: float = Field(20.0, ge=0, description="Empty one bin.")
    per_stop_s: float = Field(10.0, ge=0, description="Stop, start again.")
    per_container_s: float = Field(240.0, ge=0, description="Lift and empty a drop-off "
                                   "container.")
    unload_min: float = Field(20.0, ge=0, description="Weigh in and unload at the "
                              "unloading site.")


class Costs(_Model):
    """Costs, fuel and emissions."""

    truck_eur_h: float = Field(40.0, ge=0, description="Truck cost per hour (assumption: "
                               "depreciation, insurance, maintenance).")
    crew_eur_h: float = Field(28.0, ge=0, description="Loaded cost of one crew member per "
                              "hour (assumption).")
    eur_per_km: float = Field(1.2, ge=0, description="Cost per km (assumption: fuel, tyres, "
                              "wear).")
    fuel_l_per_km_collecting: float = Field(1.0, ge=0, description="Diesel while collecting "
                                            "(assumption, stop-and-go).")
    fuel_l_per_km_transit: float = Field(0.4, ge=0, description="Diesel in transit "
                                         "(assumption).")
    co2_kg_per_l: float = Field(3.17, ge=0, description="kg CO2e per litre of diesel "
                                "(arrêté du 26 avril 2017).")


class Sites(_Model):
    """Depot and unloading site; none: the territory's ``waste_depot`` and
    ``waste_unloading`` buildings."""

    depot: tuple[float, float] | None = None
    unloading: tuple[float, float] | None = None


class Rounds(_Model):
    """How the rounds are planned."""

    method: Literal["optimised", "sectors", "plan"] = Field(
        "optimised", description="optimised: PyVRP; sectors: today's practice (one sector "
        "per truck, nearest-neighbour order); plan: a given plan.")
    plan: TableRef | list[dict] | None = Field(
        None, description="With method 'plan': a CSV file (or rows) with columns truck, "
        "road_id, order.")
    time_limit_s: float = Field(300.0, gt=0, le=3600, description="Optimiser time limit "
                                "(a safety net: the iteration budget ends runs first).")
    max_iterations: int | None = Field(
        1500, gt=0, description="Optimiser iterations: a fixed budget makes runs identical "
        "for a seed on any machine; None: run until the time limit.")
    max_access_m: float = Field(300.0, gt=0, description="A depot or unloading site further "
                                "than this from any drivable road is an error.")

    @model_validator(mode="after")
    def _plan(self) -> Rounds:
        if self.method == "plan" and self.plan is None:
            raise ValueError("method 'plan' needs a `plan` (a CSV file with columns truck, "
                             "road_id, order)")
        return self

    def plan_rows(self) -> list[dict]:
        """The plan as records (read from its file when it is one)."""
        if isinstance(self.plan, TableRef):
            return self.plan.value.to_dict("records")
        return list(self.plan or [])


class Breakdown(_Model):
    """A truck breaking down during the day."""

    probability: float = Field(1.0, ge=0, le=1, description="Chance that one truck breaks "
                               "down during the day.")
    reassign: bool = Field(True, description="Its remaining points go to the other trucks "
                           "(else they are missed).")


class Day(_Model):
    """Randomness of the simulated day."""

    random: bool = Field(True, description="False: every duration as planned.")
    service_cv: float = Field(0.3, ge=0, le=2, description="Coefficient of variation of "
                              "service times (gamma distribution; assumption).")
    slowdown_probability: float = Field(0.1, ge=0, le=1, description="Chance that a leg "
                                        "meets traffic (assumption).")
    slowdown_max: float = Field(1.8, ge=1, le=5, description="Worst slowdown factor of a "
                                "leg in traffic (uniform from 1; assumption).")
    breakdown: Breakdown | None = None


class WasteParams(_Model):
    """The ``simulate: waste:`` block."""

    demand: Demand = Demand()
    fleet: Fleet = Fleet()
    service: Service = Service()
    costs: Costs = Costs()
    sites: Sites = Sites()
    rounds: Rounds = Rounds()
    day: Day = Day()


__all__ = ["STREAMS", "WasteParams"]
