"""An INSEE-like 200 m population grid (Filosofi 2017 fields) from synthetic households."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from jumeau.demo import plan

#: Filosofi age classes, and the share of each by zone of residence.
AGE_CLASSES = ("ind_0_3", "ind_4_5", "ind_6_10", "ind_11_17", "ind_18_24", "ind_25_39",
               "ind_40_54", "ind_55_64", "ind_65_79", "ind_80p")
AGE_PROFILE = {
    "centre": (0.035, 0.02, 0.05, 0.07, 0.10, 0.18, 0.16, 0.13, 0.17, 0.085),
    "flats": (0.05, 0.025, 0.06, 0.09, 0.11, 0.21, 0.17, 0.11, 0.12, 0.055),
    "suburb": (0.045, 0.025, 0.065, 0.10, 0.065, 0.16, 0.22, 0.14, 0.14, 0.04),
    "low": (0.04, 0.02, 0.06, 0.08, 0.07, 0.16, 0.19, 0.15, 0.17, 0.06),
    "levee": (0.03, 0.02, 0.05, 0.07, 0.06, 0.13, 0.17, 0.16, 0.21, 0.10),
    "ehpad": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.02, 0.16, 0.82),
}
CELL_M = 200.0


def population_grid(buildings: gpd.GeoDataFrame, truth: dict[str, np.ndarray],
                    rng: np.random.Generator) -> gpd.GeoDataFrame:
    """The 200 m grid (EPSG:3035) of the residents of ``buildings``.

    Each cell's ``ind`` is the sum of the residents of the buildings whose
    representative point (``shapely.point_on_surface``) falls in it; ``men`` counts
    their households (one per occupied dwelling). Cells with nobody are left out.
    """
    residents = truth["residents"]
    dwellings = truth["dwellings"]
    zone = np.where(truth["facility"] == "ehpad", "ehpad", truth["zone"])
    home = residents > 0
    pts = shapely.get_coordinates(shapely.point_on_surface(
        np.asarray(buildings.geometry.values)[home]))
    x, y = Transformer.from_crs(plan.CRS, "EPSG:3035", always_xy=True).transform(
        pts[:, 0], pts[:, 1])
    cx = (np.floor(x / CELL_M) * CELL_M).astype(np.int64)
    cy = (np.floor(y / CELL_M) * CELL_M).astype(np.int64)

    n = int(home.sum())
    ind = residents[home].astype(int)
    men = np.where(zone[home] == "ehpad", 0, dwellings[home]).astype(int)
    profile = np.array([AGE_PROFILE.get(z, AGE_PROFILE["suburb"]) for z in zone[home]])
    profile /= profile.sum(axis=1, keepdims=True)
    ages = rng.multinomial(ind, profile)
    collective = dwellings[home] > 2
    per_building = {
        "ind": ind,
        "men": men,
        "men_coll": np.where(collective, men, 0),
        "men_mais": np.where(collective, 0, men),
        "men_1ind": rng.binomial(men, np.where(collective, 0.45, 0.25)),
        "men_5ind": rng.binomial(men, 0.05),
        "men_prop": rng.binomial(men, np.where(collective, 0.25, 0.75)),
        "men_fmp": rng.binomial(men, 0.09),
        "men_pauv": rng.binomial(men, np.where(collective, 0.18, 0.08)),
        "men_surf": men * np.where(collective, rng.normal(62, 8, n), rng.normal(104, 15, n)),
        "ind_snv": ind * rng.normal(21_500, 2_500, n),
    }
    age_of_housing = {"centre": "log_av45", "flats": "log_70_90", "suburb": "log_ap90",
                      "low": "log_45_70", "levee": "log_45_70", "ehpad": "log_ap90"}
    for col in ("log_av45", "log_45_70", "log_70_90", "log_ap90"):
        per_building[col] = np.zeros(n)
    for z, col in age_of_housing.items():
        m = zone[home] == z
        per_building[col] = per_building[col] + np.where(m, dwellings[home], 0)
    # A share of the suburban houses are from the 1970s–80s.
    older = (zone[home] == "suburb") & (rng.random(n) < 0.45)
    per_building["log_70_90"] = per_building["log_70_90"] + np.where(older, dwellings[home], 0)
    per_building["log_ap90"] = per_building["log_ap90"] - np.where(older, dwellings[home], 0)
    per_building["log_inc"] = np.zeros(n)
    per_building["log_soc"] = np.where(collective & (zone[home] == "flats"), dwellings[home], 0)
    for k, col in enumerate(AGE_CLASSES):
        per_building[col] = ages[:, k]

    frame = pd.DataFrame(per_building)
    frame["cx"] = cx
    frame["cy"] = cy
    cells = frame.groupby(["cy", "cx"], sort=True).sum().reset_index()
    cy_c = cells.pop("cy").to_numpy()
    cx_c = cells.pop("cx").to_numpy()
    ids = [f"CRS3035RES200mN{int(yy)}E{int(xx)}" for yy, xx in zip(cy_c, cx_c)]
    km_y = (cy_c // 1000) * 1000
    km_x = (cx_c // 1000) * 1000
    out = pd.DataFrame({
        "idcar_200m": ids,
        "idcar_1km": [f"CRS3035RES1000mN{int(yy)}E{int(xx)}" for yy, xx in zip(km_y, km_x)],
        "idcar_nat": [f"CRS3035RES32000mN{int(yy // 32000 * 32000)}E{int(xx // 32000 * 32000)}"
                      for yy, xx in zip(cy_c, cx_c)],
        "i_est_200": (cells["men"] < 11).astype(int),
        "i_est_1km": np.zeros(len(cells), dtype=int),
        "lcog_geo": plan.INSEE_CODE,
    })
    for col in cells.columns:
        out[col] = np.round(cells[col].to_numpy(dtype=float), 1)
    boxes = shapely.box(cx_c, cy_c, cx_c + CELL_M, cy_c + CELL_M)
    return gpd.GeoDataFrame(out, geometry=boxes, crs="EPSG:3035")
