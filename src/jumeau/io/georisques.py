"""Flood zones from Géorisques: TRI (Directive Inondation), PPRI and AZI layers.

TRI maps follow the COVADIS "Directive Inondation" model: flood envelopes
(``N_TRI_…_INONDABLE_S``: ``id_s_inond``, ``id_tri``, ``typ_inond``, ``scenario``) and
water-depth classes (``…_ISO_HT_…``: ``ht_min``, ``ht_max``). Scenario codes are
``01For`` (frequent, high probability), ``02Moy`` (medium, ≈ 100-year),
``03Mcc`` (medium with climate change) and ``04Fai`` (extreme, ≈ 1000-year).
PPRI and AZI layers carry a hazard level in a field such as ``niveau_alea`` / ``alea``
with values like "Faible", "Moyen", "Fort", "Très fort".

When a layer gives water-depth classes but no hazard level, the hazard follows the
usual PPRI depth thresholds (:data:`HAZARD_BY_DEPTH_M`).
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.io.bdtopo import fold
from jumeau.io.vector import column, find_column, number, read_vector, text
from jumeau.territory.schema import conform

#: scenario code → (label, return period in years)
TRI_SCENARIOS = {
    "01for": ("fréquent", 30.0),
    "01freq": ("fréquent", 30.0),
    "02moy": ("moyen", 100.0),
    "03mcc": ("moyen avec changement climatique", 100.0),
    "04fai": ("extrême", 1000.0),
}

#: Upper depth bound (m) of each hazard class when only depths are known.
HAZARD_BY_DEPTH_M = (("faible", 0.5), ("moyen", 1.0), ("fort", 2.0), ("tres_fort", np.inf))


def _hazard_from_text(value: str) -> str:
    v = fold(value)
    if not v:
        return "unknown"
    if "tres fort" in v or "tres_fort" in v or "extreme" in v:
        return "tres_fort"
    if "fort" in v or "eleve" in v:
        return "fort"
    if "moyen" in v or "modere" in v:
        return "moyen"
    if "faible" in v or "nul" in v:
        return "faible"
    return "unknown"


def hazard_from_depth(depth_min_m: np.ndarray) -> np.ndarray:
    """Hazard class of a depth class, from its lower bound (NaN → unknown)."""
    out = np.full(len(depth_min_m), "unknown", dtype=object)
    lower = 0.0
    for label, upper in HAZARD_BY_DEPTH_M:
        hit = (depth_min_m >= lower - 1e-9) & (depth_min_m < upper)
        out[hit] = label
        lower = upper
    return out


def read_flood_zones(path: Path, options: dict) -> gpd.GeoDataFrame:
    """A Géorisques TRI / PPRI / AZI layer → canonical flood zones.

    Options ``source``, ``scenario`` and ``return_period_yr`` override what the file says
    (e.g. for a PPRI, whose reference flood is often the 1930 or the 100-year event).
    """
    raw = read_vector(path, layer=options.get("layer"), encoding=options.get("encoding"))
    _require_attributes(raw, path, options)
    n = len(raw)
    codes = np.array([fold(c).replace(" ", "") for c in text(column(raw, "scenario",
                                                                   default=""))], dtype=object)
    scenario = np.array([TRI_SCENARIOS.get(c, (raw_c, np.nan))[0] for c, raw_c in
                         zip(codes, text(column(raw, "scenario", default="")))], dtype=object)
    period = np.array([TRI_SCENARIOS.get(c, ("", np.nan))[1] for c in codes], dtype=float)
    depth_min = number(column(raw, "ht_min", "haut_min", "h_min"))
    depth_max = number(column(raw, "ht_max", "haut_max", "h_max"))
    # Shapefiles truncate field names to 10 characters (niveau_alea → niveau_ale).
    hazard_field = find_column(raw, "niveau_alea", "niveau_ale", "niv_alea", "alea",
                               "classe_alea", "classe_ale", "codealea", "code_alea",
                               "intensite", "aléa")
    if hazard_field is not None:
        hazard = np.array([_hazard_from_text(v) for v in text(raw[hazard_field])], dtype=object)
    else:
        hazard = hazard_from_depth(depth_min)
    if find_column(raw, "id_tri"):
        source = "TRI"
    elif find_column(raw, "codezone", "typereg", "id_ppr", "code_ppr"):
        source = "PPRI"
    elif find_column(raw, "id_azi", "code_azi"):
        source = "AZI"
    else:
        source = "zones inondables"
    is_depth_layer = np.isfinite(depth_min).any()
    label = np.where(np.isfinite(depth_min),
                     [f"{lo:g}–{hi:g} m" if np.isfinite(hi) else f"> {lo:g} m"
                      for lo, hi in zip(np.nan_to_num(depth_min), depth_max)], "")
    frame = gpd.GeoDataFrame({
        "zone_id": text(column(raw, "id_s_inond", "id_zone", "id", "gid", default="")),
        "source": np.full(n, options.get("source") or source, dtype=object),
        "scenario": np.full(n, options["scenario"], dtype=object) if options.get("scenario")
        else scenario,
        "return_period_yr": np.full(n, float(options["return_period_yr"]))
        if options.get("return_period_yr") else period,
        "hazard": hazard,
        "depth_min_m": depth_min,
        "depth_max_m": depth_max,
        "name": label if is_depth_layer else text(column(raw, "libelle", "nom", "cours_deau",
                                                         default="")),
    }, geometry=raw.geometry.values, crs=raw.crs)
    return conform(frame, "flood_zones")


def _require_attributes(raw: gpd.GeoDataFrame, path: Path, options: dict) -> None:
    """A flood-zone layer must say which flood it maps: a scenario, a hazard level or a
    depth class (or the manifest says it). Without any, every zone would silently be of
    an unknown scenario and class, and the exposure figures would change."""
    if options.get("scenario") or options.get("return_period_yr"):
        return
    if find_column(raw, "scenario", "ht_min", "haut_min", "h_min", "niveau_alea", "niveau_ale",
                   "niv_alea", "alea", "classe_alea", "classe_ale", "codealea", "code_alea",
                   "intensite", "aléa") is not None:
        return
    columns = [str(c) for c in raw.columns if c != raw.geometry.name]
    raise JumeauError(
        Text("zones inondables sans scénario, aléa ni hauteur d'eau (colonnes lues : {c})",
             "flood zones without a scenario, hazard or water depth (columns read: {c})"
             ).format(c=", ".join(columns) or "—"), path=path, field="scenario",
        fix=Text("vérifiez que le fichier .dbf accompagne le .shp, ou indiquez dans le "
                 "manifeste `scenario: moyen` (et `return_period_yr: 100`) pour cette couche",
                 "check that the .dbf file is beside the .shp, or give `scenario: moyen` (and "
                 "`return_period_yr: 100`) for this layer in the manifest"))


LAYERS = {"flood_zones": read_flood_zones}
