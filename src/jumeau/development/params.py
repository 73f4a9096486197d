"""Parameters of the ``development`` kind (the ``simulate: development:`` block).

Every default is documented with its source, or marked as an assumption.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from jumeau.territory.schema import HAZARD_CLASSES
from jumeau.waste.production import PRODUCTION_KG_PER_INHABITANT_YEAR

Cover = Literal["forest", "woodland", "hedge", "trees", "park", "grass", "farmland", "orchard",
                "vineyard", "scrub", "wetland", "garden", "cemetery", "sports", "sealed",
                "bare", "unknown"]


class DevelopmentParams(BaseModel):
    """What a project changes: parameters of the indicators (see :mod:`jumeau.development`)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    storm_mm: float = Field(30.0, gt=0, le=500, description="Depth of the reference storm "
                            "(mm) whose runoff volume is reported.")
    runoff_method: Literal["scs", "rational"] = Field(
        "scs", description="`scs`: SCS curve number (USDA NRCS TR-55, 1986); `rational`: "
                           "volume = C × rain × area with a runoff coefficient C per surface.")
    soil_group: Literal["A", "B", "C", "D"] = Field(
        "B", description="Hydrologic soil group of the pervious ground (TR-55; B, loams, is "
                         "the usual default when the soil is not known — an assumption).")
    curve_numbers: dict[str, float] = Field(
        default_factory=dict, description="Curve numbers replacing the TR-55 defaults, by "
                                          "surface (`building`, `road`, a land cover).")
    runoff_coefficients: dict[str, float] = Field(
        default_factory=dict, description="Runoff coefficients replacing the defaults of the "
                                          "rational method, by surface.")
    open_ground: Cover = Field(
        "grass", description="Cover of the ground no layer describes (gardens, verges, "
                             "fields between mapped features) — an assumption.")
    cell_m: float = Field(5.0, gt=0.1, le=100, description="Cell size of the surface grid "
                          "when the territory has no DEM (else the DEM's grid).")
    park_covers: list[Cover] = Field(default_factory=lambda: ["park"],
                                     description="Land covers that count as parks.")
    park_distance_m: float = Field(
        300.0, gt=0, le=5000, description="Distance to a park (WHO Regional Office for "
                                          "Europe, 2016: green space within 300 m).")
    park_min_area_ha: float = Field(
        0.5, ge=0, le=1000, description="Smallest park counted (WHO 2016 suggests 0.5–1 ha).")
    waste_kg_per_inhabitant_year: dict[str, float] = Field(
        default_factory=lambda: dict(PRODUCTION_KG_PER_INHABITANT_YEAR),
        description="Household waste per inhabitant and stream (ADEME; the waste kind's "
                    "defaults).")
    forbidden_hazards: list[str] = Field(
        default_factory=lambda: ["fort", "tres_fort"],
        description="Hazard classes where a PPRI usually forbids new buildings.")
    frequent_return_period_yr: float = Field(
        30.0, gt=0, description="Flood zones of this return period or less (the TRI "
                                "'fréquent' scenario, 10–30 years) count as forbidding "
                                "new buildings.")
    flood_scenario: str | None = Field(
        None, description="Flood-zone scenario of the headline count of new residents; "
                          "default: the one closest to 100 years.")

    @field_validator("curve_numbers")
    @classmethod
    def _cn(cls, value: dict[str, float]) -> dict[str, float]:
        for key, cn in value.items():
            if not 0 < cn <= 100:
                raise ValueError(f"curve number of '{key}' must be in (0, 100]")
        return value

    @field_validator("runoff_coefficients")
    @classmethod
    def _c(cls, value: dict[str, float]) -> dict[str, float]:
        for key, c in value.items():
            if not 0 <= c <= 1:
                raise ValueError(f"runoff coefficient of '{key}' must be in [0, 1]")
        return value

    @field_validator("forbidden_hazards")
    @classmethod
    def _hazards(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(HAZARD_CLASSES))
        if unknown:
            raise ValueError(f"unknown hazard class '{unknown[0]}' (classes: "
                             f"{', '.join(HAZARD_CLASSES)})")
        return value

    @field_validator("waste_kg_per_inhabitant_year")
    @classmethod
    def _waste(cls, value: dict[str, float]) -> dict[str, float]:
        if any(v < 0 for v in value.values()):
            raise ValueError("waste production must be >= 0 kg per inhabitant and year")
        return value
