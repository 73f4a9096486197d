"""Documented rules that fill in missing building attributes.

Open data is incomplete: BD TOPO leaves heights, storeys or dwellings empty on many
buildings, OpenStreetMap usually has none of them. Each rule below fills a missing value
and sets the matching ``*_estimated`` flag, so maps and reports can say what was
measured and what was estimated.

Rules, in order:

1. **height_m** from storeys: ``levels × metres_per_level`` (3 m a storey); else a
   default by use (``default_height_by_use_m``). A height of 0 counts as missing (BD TOPO
   writes 0 for "unknown").
2. **levels** from height: ``max(1, round(height_m / metres_per_level))``.
3. **dwellings** of residential buildings from floor area (footprint × levels): a house
   (at most ``house_max_levels`` storeys and ``house_max_footprint_m2``) holds one
   dwelling; other buildings ``round(floor area / dwelling_gross_area_m2)``, at least 1.
   Buildings below ``min_dwelling_footprint_m2`` (sheds, garages mistagged) hold none.
   A building of unknown use holds one dwelling when its footprint lies between
   ``unknown_as_residential_min_m2`` and ``unknown_as_residential_max_m2`` (most
   unqualified buildings in BD TOPO and OpenStreetMap are houses; smaller ones are
   garages and sheds, larger ones barns, sheds or halls) — a deliberately cautious
   guess, since nothing says how many flats an unqualified building holds. Other uses
   hold no dwelling unless the data says so.
4. **population**, either
   - distributed from an INSEE 200 m grid when the territory has one: each cell's
     population is shared among the dwellings-bearing buildings whose representative
     point lies in the cell, in proportion to their floor area (falling back to
     buildings of unknown use, then to any building but annexes, when a cell has none),
     so each cell's total is kept exactly; buildings hosting a facility other than a
     nursing home (school, town hall, fire station…) receive no one; or
   - ``dwellings × household_size`` (INSEE average household size) otherwise.
5. **population_75p** (aged 75 or over) from the grid's age classes when present:
   ``ind_80p + share_75_79_in_65_79 × ind_65_79``, distributed like the population.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from jumeau.i18n import Text


@dataclass(frozen=True)
class EstimationRules:
    """Parameters of the estimation rules (defaults documented in the module)."""

    #: Height of one storey.
    metres_per_level: float = 3.0
    #: Height when neither height nor storeys are known, by use.
    default_height_by_use_m: dict = field(default_factory=lambda: {
        "residential": 6.0, "commercial": 7.0, "industrial": 8.0, "public": 8.0,
        "agricultural": 6.0, "annex": 3.0, "unknown": 4.5})
    #: Average household size (INSEE, France, 2020: 2.19 persons per household).
    household_size: float = 2.19
    #: Gross floor area per dwelling in apartment buildings (walls, stairs included).
    dwelling_gross_area_m2: float = 80.0
    #: A residential building no larger than this footprint ...
    house_max_footprint_m2: float = 250.0
    #: ... and no higher than this many storeys is a single house.
    house_max_levels: float = 2.0
    #: Residential buildings smaller than this hold no dwelling (sheds, garages).
    min_dwelling_footprint_m2: float = 20.0
    #: Buildings of unknown use with a footprint in this range count as one house.
    unknown_as_residential_min_m2: float = 40.0
    unknown_as_residential_max_m2: float = 400.0
    #: Share of the 65–79 class aged 75–79 (France, 2021 age pyramid: about 30 %).
    share_75_79_in_65_79: float = 0.30

    @classmethod
    def from_dict(cls, values: dict) -> EstimationRules:
        """Rules from a (partial) mapping; unknown keys raise ``KeyError``."""
        names = {f.name for f in fields(cls)}
        unknown = set(values) - names
        if unknown:
            raise KeyError(sorted(unknown)[0])
        return cls(**values)


def floor_area_m2(buildings: gpd.GeoDataFrame) -> np.ndarray:
    """Gross floor area: footprint area × storeys (storeys default to 1)."""
    levels = buildings["levels"].to_numpy(dtype=float)
    return shapely.area(buildings.geometry.values) * np.where(np.isfinite(levels), levels, 1.0)


def estimate_buildings(buildings: gpd.GeoDataFrame, rules: EstimationRules,
                       population_grid: gpd.GeoDataFrame | None = None
                       ) -> tuple[gpd.GeoDataFrame, list[Text]]:
    """Fill missing building attributes by the module's rules.

    Parameters
    ----------
    buildings
        Canonical buildings layer (see :mod:`jumeau.territory.schema`).
    rules
        Parameters of the rules.
    population_grid
        Canonical INSEE grid (``population``, ``population_65_79``, ``population_80p``),
        or None.

    Returns
    -------
    buildings, notes
        A new layer with the gaps filled and ``*_estimated`` flags set, and one note per
        rule that fired, for the user.
    """
    b = buildings.copy()
    notes: list[Text] = []
    use = b["use"].to_numpy(dtype=object)
    footprint = shapely.area(b.geometry.values)

    height = b["height_m"].to_numpy(dtype=float).copy()
    levels = b["levels"].to_numpy(dtype=float).copy()
    height[~(height > 0)] = np.nan
    levels[~(levels > 0)] = np.nan

    miss_h = np.isnan(height)
    from_levels = miss_h & np.isfinite(levels)
    height[from_levels] = levels[from_levels] * rules.metres_per_level
    by_use = miss_h & ~from_levels
    defaults = np.array([rules.default_height_by_use_m.get(u, rules.default_height_by_use_m[
        "unknown"]) for u in use], dtype=float) if len(use) else np.zeros(0)
    height[by_use] = defaults[by_use]
    if from_levels.any():
        notes.append(Text("hauteur estimée d'après le nombre d'étages pour {n} bâtiments",
                          "height estimated from storeys for {n} buildings").format(
            n=int(from_levels.sum())))
    if by_use.any():
        notes.append(Text("hauteur par défaut selon l'usage pour {n} bâtiments",
                          "default height by use for {n} buildings").format(n=int(by_use.sum())))

    miss_l = np.isnan(levels)
    levels[miss_l] = np.maximum(1.0, np.round(height[miss_l] / rules.metres_per_level))
    if miss_l.any():
        notes.append(Text("nombre d'étages estimé d'après la hauteur pour {n} bâtiments",
                          "storeys estimated from height for {n} buildings").format(
            n=int(miss_l.sum())))

    dwellings = b["dwellings"].to_numpy(dtype=float).copy()
    miss_d = np.isnan(dwellings)
    facility = b["facility"].to_numpy(dtype=object)
    # Schools, town halls, fire stations… house no one (nursing homes do).
    non_residential_facility = (facility != "") & (facility != "nursing_home")
    unknown_house = (use == "unknown") & (footprint >= rules.unknown_as_residential_min_m2) & (
        footprint <= rules.unknown_as_residential_max_m2) & ~non_residential_facility
    residential = (use == "residential") | unknown_house
    floor = footprint * levels
    house = (footprint <= rules.house_max_footprint_m2) & (levels <= rules.house_max_levels)
    est_d = np.where(house, 1.0, np.maximum(1.0, np.round(floor / rules.dwelling_gross_area_m2)))
    est_d[footprint < rules.min_dwelling_footprint_m2] = 0.0
    est_d[unknown_house] = 1.0
    est_d[~residential] = 0.0
    dwellings[miss_d] = est_d[miss_d]
    flagged_d = miss_d & residential
    if flagged_d.any():
        notes.append(Text("logements estimés d'après la surface de plancher pour {n} bâtiments "
                          "résidentiels", "dwellings estimated from floor area for {n} "
                          "residential buildings").format(n=int(flagged_d.sum())))

    population = b["population"].to_numpy(dtype=float).copy()
    pop75 = b["population_75p"].to_numpy(dtype=float).copy()
    miss_p = np.isnan(population)
    if population_grid is not None and len(population_grid) and miss_p.any():
        pop_est, p75_est, grid_notes = _distribute_grid(
            b.geometry.values, use, floor, dwellings, population_grid, rules,
            eligible=~non_residential_facility)
        notes.extend(grid_notes)
    else:
        pop_est = dwellings * rules.household_size
        p75_est = np.full(len(b), np.nan)
        if miss_p.any():
            notes.append(Text("population estimée : logements × {h} personnes par ménage "
                              "(moyenne INSEE)", "population estimated as dwellings × {h} "
                              "persons per household (INSEE average)").format(
                h=rules.household_size))
    population[miss_p] = pop_est[miss_p]
    miss_75 = np.isnan(pop75) & np.isfinite(p75_est)
    pop75[miss_75] = p75_est[miss_75]

    b["height_m"] = height
    b["levels"] = levels
    b["dwellings"] = dwellings
    b["population"] = population
    b["population_75p"] = pop75
    b["height_estimated"] = b["height_estimated"].to_numpy(bool) | miss_h
    b["levels_estimated"] = b["levels_estimated"].to_numpy(bool) | miss_l
    b["dwellings_estimated"] = b["dwellings_estimated"].to_numpy(bool) | flagged_d
    b["population_estimated"] = b["population_estimated"].to_numpy(bool) | (
        miss_p & (population > 0))
    return b, notes


def _distribute_grid(geoms: np.ndarray, use: np.ndarray, floor: np.ndarray,
                     dwellings: np.ndarray, grid: gpd.GeoDataFrame, rules: EstimationRules,
                     eligible: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[Text]]:
    """Share each grid cell's population among its buildings (see module rule 4).

    Only ``eligible`` buildings receive people (not schools, town halls…)."""
    n = len(geoms)
    points = shapely.point_on_surface(geoms)
    tree = shapely.STRtree(np.asarray(grid.geometry.values))
    b_idx, c_idx = tree.query(points, predicate="within")
    # A point on a shared cell edge may fall in two cells: keep the first.
    first = np.r_[True, b_idx[1:] != b_idx[:-1]] if len(b_idx) else np.zeros(0, bool)
    b_idx, c_idx = b_idx[first], c_idx[first]
    cell_of = np.full(n, -1, dtype=np.int64)
    cell_of[b_idx] = c_idx

    tiers = [
        eligible & ((dwellings > 0) | (use == "residential")),
        eligible & (use == "unknown"),
        eligible & (use != "annex"),
    ]
    ncell = len(grid)
    weight = np.zeros(n)
    assigned_cell = np.zeros(ncell, dtype=bool)
    inside = cell_of >= 0
    for tier in tiers:
        w = np.where(tier & inside, np.maximum(floor, 1e-6), 0.0)
        w[inside] *= ~assigned_cell[cell_of[inside]]
        cell_sum = np.bincount(cell_of[inside], weights=w[inside], minlength=ncell)
        weight += w
        assigned_cell |= cell_sum > 0

    cell_weight = np.bincount(cell_of[inside], weights=weight[inside], minlength=ncell)
    share = np.zeros(n)
    share[inside] = np.divide(weight[inside], cell_weight[cell_of[inside]],
                              out=np.zeros(inside.sum()), where=cell_weight[cell_of[inside]] > 0)
    cell_pop = grid["population"].to_numpy(dtype=float)
    cell_pop = np.where(np.isfinite(cell_pop), cell_pop, 0.0)
    pop = np.zeros(n)
    pop[inside] = share[inside] * cell_pop[cell_of[inside]]

    p75 = np.full(n, np.nan)
    if grid["population_80p"].notna().any():
        c75 = (grid["population_80p"].fillna(0).to_numpy(float)
               + rules.share_75_79_in_65_79 * grid["population_65_79"].fillna(0).to_numpy(float))
        p75 = np.zeros(n)
        p75[inside] = share[inside] * c75[cell_of[inside]]

    lost = cell_pop[~assigned_cell].sum()
    notes = [Text("population répartie depuis la grille INSEE ({c} carreaux, {p:.0f} habitants) "
                  "au prorata de la surface de plancher", "population distributed from the INSEE "
                  "grid ({c} cells, {p:.0f} people) in proportion to floor area").format(
        c=int(assigned_cell.sum()), p=float(cell_pop[assigned_cell].sum()))]
    if lost > 0:
        notes.append(Text("{p:.0f} habitants de carreaux sans bâtiment pouvant les loger "
                          "({c} carreaux) ne sont attribués à aucun bâtiment",
                          "{p:.0f} people of cells with no building that can house them ({c} "
                          "cells) are not assigned to any building").format(
            p=float(lost), c=int(((~assigned_cell) & (cell_pop > 0)).sum())))
    return pop, p75, notes


def cell_totals(buildings: gpd.GeoDataFrame, grid: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per grid cell: the grid population and the sum over its buildings (for checks)."""
    points = shapely.point_on_surface(buildings.geometry.values)
    tree = shapely.STRtree(np.asarray(grid.geometry.values))
    b_idx, c_idx = tree.query(points, predicate="within")
    first = np.r_[True, b_idx[1:] != b_idx[:-1]] if len(b_idx) else np.zeros(0, bool)
    b_idx, c_idx = b_idx[first], c_idx[first]
    summed = np.bincount(c_idx, weights=buildings["population"].to_numpy(float)[b_idx],
                         minlength=len(grid))
    count = np.bincount(c_idx, minlength=len(grid))
    return pd.DataFrame({"cell_id": grid["cell_id"].to_numpy(), "grid_population":
                         grid["population"].to_numpy(float), "buildings_population": summed,
                         "buildings": count})


#: Usual speed of light vehicles by road class when the data has none (km/h).
DEFAULT_SPEED_KMH = {"motorway": 110.0, "trunk": 80.0, "primary": 60.0, "secondary": 50.0,
                     "tertiary": 50.0, "residential": 30.0, "service": 20.0, "track": 15.0,
                     "path": 5.0, "cycleway": 15.0, "steps": 3.0, "unknown": 30.0}
#: Carriageway width by road class when the data has none (m).
DEFAULT_WIDTH_M = {"motorway": 14.0, "trunk": 10.0, "primary": 7.0, "secondary": 6.5,
                   "tertiary": 6.0, "residential": 5.0, "service": 3.5, "track": 3.0,
                   "path": 1.5, "cycleway": 2.0, "steps": 2.0, "unknown": 5.0}


def estimate_roads(roads: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[Text]]:
    """Fill missing road speeds and widths with class defaults (flagged as estimated)."""
    r = roads.copy()
    notes: list[Text] = []
    cls = r["road_class"].to_numpy(dtype=object)
    for col, table, flag, label in (
            ("speed_kmh", DEFAULT_SPEED_KMH, "speed_estimated",
             Text("vitesse par défaut selon la classe pour {n} tronçons",
                  "default speed by class for {n} road segments")),
            ("width_m", DEFAULT_WIDTH_M, "width_estimated",
             Text("largeur par défaut selon la classe pour {n} tronçons",
                  "default width by class for {n} road segments"))):
        values = r[col].to_numpy(dtype=float).copy()
        miss = ~(values > 0)
        values[miss] = [table.get(c, table["unknown"]) for c in cls[miss]]
        r[col] = values
        r[flag] = r[flag].to_numpy(bool) | miss
        if miss.any():
            notes.append(label.format(n=int(miss.sum())))
    return r, notes


def assign_facilities(buildings: gpd.GeoDataFrame, facilities: gpd.GeoDataFrame, *,
                      max_distance_m: float = 50.0) -> tuple[gpd.GeoDataFrame, list[Text]]:
    """Tag buildings with the facility they host.

    A building whose representative point lies in a facility's polygon takes its type and
    name; a facility that contains no building (a point, or a tiny "fictitious" polygon)
    goes to the nearest building within ``max_distance_m``. Critical facilities win
    over others where zones overlap. Buildings that already carry a facility keep it.
    """
    from jumeau.territory.schema import FACILITIES

    b = buildings.copy()
    if not len(facilities) or not len(b):
        return b, []
    rank = {f: i for i, f in enumerate(FACILITIES)}
    order = np.argsort([-rank.get(f, len(rank)) for f in facilities["facility"]], kind="stable")
    fac = facilities.iloc[order].reset_index(drop=True)
    facility = b["facility"].to_numpy(dtype=object).copy()
    name = b["name"].to_numpy(dtype=object).copy()
    had = facility != ""
    points = shapely.point_on_surface(b.geometry.values)
    tree = shapely.STRtree(points)
    btree = shapely.STRtree(b.geometry.values)
    placed = 0
    for geom, kind, label in zip(fac.geometry.values, fac["facility"], fac["name"]):
        hits = tree.query(geom, predicate="contains") if shapely.get_dimensions(geom) == 2 \
            else np.zeros(0, dtype=np.int64)
        if len(hits) == 0:
            near = btree.query_nearest(geom, max_distance=max_distance_m)
            hits = near[:1]
        hits = hits[~had[hits]]
        if len(hits):
            facility[hits] = kind
            unnamed = hits[name[hits] == ""]
            name[unnamed] = label
            placed += 1
    b["facility"] = facility
    b["name"] = name
    notes = [Text("{p} équipements sur {n} rattachés à des bâtiments",
                  "{p} of {n} facilities matched to buildings").format(p=placed, n=len(fac))]
    return b, notes
