"""What the measures changed, read from the territory they produced.

The ``development`` kind receives the territory *after* the measures. What they added is
marked in it: features whose id starts with ``new-`` (buildings, roads) or ``mesure-``
(land-cover polygons of :mod:`jumeau.measures.landcover`) and
the ``new_buildings`` rows of ``structures``. What they removed or changed is recorded
in ``structures`` with the state before the change (``removed_buildings`` and
``changed_buildings`` rows, one per building, see :mod:`jumeau.measures._base`);
de-sealed areas are ``desealed`` rows. From these, :func:`before` rebuilds the territory
as it stood before the measures, and :func:`building_changes` lists every building
added, removed or changed with its figures before and after.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from jumeau.measures._base import BUILDING_RECORD, NEW_PREFIX
from jumeau.territory.model import Territory
from jumeau.territory.schema import conform

#: Id prefixes of features added by measures: buildings and roads (``new-``), land-cover
#: polygons of the heatwave helper's land-cover measures (``mesure-``).
ADDED_PREFIXES = (NEW_PREFIX, "mesure-")


def _is_new(ids: pd.Series) -> np.ndarray:
    return ids.astype(str).str.startswith(ADDED_PREFIXES).to_numpy()


def new_building_ids(territory: Territory) -> set[str]:
    """Ids of the buildings the measures added."""
    b = territory.buildings
    s = territory.structures
    listed = set(s.loc[s["kind"] == "new_buildings", "building_id"]) if "building_id" in \
        s.columns else set()
    return set(b.loc[_is_new(b["building_id"]), "building_id"]) | (listed & set(
        b["building_id"]))


def _records(territory: Territory, new_ids: set[str]) -> gpd.GeoDataFrame:
    """The state before the measures of every existing building they removed or changed
    (the first record of each building: later ones hold intermediate states)."""
    s = territory.structures
    if "building_id" not in s.columns:
        return gpd.GeoDataFrame({c: pd.Series(dtype=object if c in ("building_id", "use")
                                              else float) for c in BUILDING_RECORD},
                                geometry=gpd.GeoSeries([], crs=territory.crs),
                                crs=territory.crs)
    rows = s[s["kind"].isin(["removed_buildings", "changed_buildings"])]
    rows = rows[~rows["building_id"].isin(new_ids) & ~_is_new(rows["building_id"])]
    return rows.drop_duplicates("building_id", keep="first")


def before(territory: Territory) -> Territory:
    """The territory as it stood before the measures (see the module docstring).

    Land-cover measures are undone as far as the territory records them: vegetation
    features with a ``new-`` or ``mesure-`` id are dropped, ``desealed`` areas are sealed
    again (but where a ``seal`` measure paved them: that paving is undone with it), roads
    closed by a measure are open.
    """
    new_ids = new_building_ids(territory)
    records = _records(territory, new_ids)
    b = territory.buildings
    keep = ~b["building_id"].isin(new_ids | set(records["building_id"]))
    old = records[["geometry", *BUILDING_RECORD]].copy()
    old["name"] = ""
    buildings = pd.concat([b[keep], conform(gpd.GeoDataFrame(old, geometry="geometry",
                                                             crs=territory.crs), "buildings")],
                          ignore_index=True)
    roads = territory.roads
    roads = roads[~_is_new(roads["road_id"])].copy()
    roads["closed"] = False
    veg = territory.vegetation
    veg = veg[~_is_new(veg["vegetation_id"])]
    areas = _paved_before(territory.structures)
    if len(areas):
        back = conform(gpd.GeoDataFrame({"cover": "sealed"}, index=range(len(areas)),
                                        geometry=areas, crs=territory.crs), "vegetation")
        veg = pd.concat([veg, back], ignore_index=True)
    return territory.replace(
        buildings=gpd.GeoDataFrame(buildings, geometry="geometry", crs=territory.crs),
        roads=gpd.GeoDataFrame(roads.reset_index(drop=True), crs=territory.crs),
        vegetation=gpd.GeoDataFrame(veg.reset_index(drop=True), crs=territory.crs))


def _paved_before(structures: gpd.GeoDataFrame) -> np.ndarray:
    """The de-sealed areas as they were paved before the measures: each ``desealed``
    row's area, but for what a ``seal`` measure recorded earlier paved (a square the
    data does not show as paved: that paving is undone with its measure). Rows are in
    the order the measures were applied."""
    kind = structures["kind"].to_numpy(dtype=object)
    geometry = structures.geometry.values
    out = []
    for i in np.flatnonzero(kind == "desealed"):
        area = geometry[i]
        earlier = geometry[:i][kind[:i] == "sealed"]
        if len(earlier):
            area = shapely.difference(area, shapely.union_all(earlier))
        if not shapely.is_empty(area):
            out.append(area)
    return np.array(out, dtype=object)


def _figures(frame: pd.DataFrame) -> pd.DataFrame:
    levels = frame["levels"].to_numpy(dtype=float)
    return pd.DataFrame({
        "building_id": frame["building_id"].to_numpy(),
        "use": frame["use"].to_numpy(),
        "dwellings": np.nan_to_num(frame["dwellings"].to_numpy(dtype=float)),
        "social_dwellings": np.nan_to_num(frame["social_dwellings"].to_numpy(dtype=float)),
        "residents": np.nan_to_num(frame["population"].to_numpy(dtype=float)),
        "residents_75p": frame["population_75p"].to_numpy(dtype=float),
        "floor_area_m2": shapely.area(frame.geometry.values) * np.where(levels > 0, levels, 1),
        "geometry": frame.geometry.values,
    })


def building_changes(territory: Territory) -> gpd.GeoDataFrame:
    """Every building the measures added, removed or changed, before and after.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per building: ``building_id``, ``status`` (``new``, ``removed``,
        ``changed``), ``name`` (the measure's label), ``use_before``, ``use``, and for
        ``dwellings``, ``social_dwellings``, ``residents`` and floor area the value before
        (``dwellings_before``, ``floor_area_before_m2``…; 0 for a new building), after
        (``dwellings``, ``floor_area_m2``; 0 for a removed one) and the difference
        (``dwellings_added``, ``floor_area_added_m2``). The geometry is the footprint (before, for a removed
        building).
    """
    new_ids = new_building_ids(territory)
    records = _records(territory, new_ids)
    b = territory.buildings
    after = _figures(b[b["building_id"].isin(new_ids | set(records["building_id"]))])
    prior = _figures(records)
    merged = after.merge(prior, on="building_id", how="outer", suffixes=("", "_before"))
    status = np.where(merged["building_id"].isin(new_ids), "new",
                      np.where(merged["geometry"].isna(), "removed", "changed"))
    geometry = np.where(merged["geometry"].isna(), merged["geometry_before"],
                        merged["geometry"])
    s = territory.structures
    names = dict(zip(b["building_id"], b["name"]))
    if "building_id" in s.columns:
        names.update(zip(s["building_id"], s["name"]))
    out = {"building_id": merged["building_id"].to_numpy(), "status": status,
           "name": np.array([names.get(i, "") for i in merged["building_id"]], dtype=object),
           "use_before": merged["use_before"].fillna("").to_numpy(),
           "use": merged["use"].fillna("").to_numpy()}
    for column, stem, unit in (("dwellings", "dwellings", ""),
                               ("social_dwellings", "social_dwellings", ""),
                               ("residents", "residents", ""),
                               ("floor_area_m2", "floor_area", "_m2")):
        now = merged[column].fillna(0.0).to_numpy(dtype=float)
        then = merged[f"{column}_before"].fillna(0.0).to_numpy(dtype=float)
        out[f"{stem}_before{unit}"] = then
        out[column] = now
        out[f"{stem}_added{unit}"] = now - then
    out["residents_75p_added"] = (np.nan_to_num(merged["residents_75p"].to_numpy(float))
                                  - np.nan_to_num(merged["residents_75p_before"].to_numpy(
                                      float)))
    frame = gpd.GeoDataFrame(out, geometry=list(geometry), crs=territory.crs)
    order = np.lexsort((frame["building_id"].to_numpy(), frame["status"].to_numpy()))
    return frame.iloc[order].reset_index(drop=True)
