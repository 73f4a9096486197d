"""Measures on buildings: add a project, remove buildings, change use, storeys or floor.

::

    measures:
      - type: add_buildings             # a programme laid out by jumeau in a polygon
        name: Les Prés Neufs
        polygon: [[650600, 6600650], [650800, 6600650], [650800, 6600800], [650600, 6600800]]
        dwellings: 250                  # or density_dwellings_ha: 60
        storeys: 4
        social_share: 0.25              # share of social housing (loi SRU: 20–25 %)
        footprint_share: 0.3            # optional: share of the polygon built on
      - type: add_buildings             # or the footprints of an architect's plan
        footprints: {path: projet.geojson}
      - type: remove_buildings
        building_ids: [BATIMENT0000000000000042]
      - type: change_buildings
        polygon: [[…], …]
        use: residential                # and/or storeys, floor_height_m

New buildings get every canonical column: an id ``new-<measure>-<n>``, height from the
storeys (3 m a storey, as the estimation rules), dwellings, residents = dwellings ×
household size (2.19, INSEE 2020), residents aged 75 or over in the commune's current
proportion when the territory knows ages (an assumption: newcomers are as old as the
residents), ground altitude from the DEM (lowest cell under the footprint, as the
loader does).

Removed and changed buildings are recorded in ``structures`` with their figures
*before* the change; new buildings with theirs (see :mod:`jumeau.measures._base`).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import ClassVar, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import Field, model_validator

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.measures._base import (
    Coords,
    MeasureModel,
    add_structures,
    building_records,
    polygon,
    require_touches,
    require_within,
    slug,
    unique_prefix,
)
from jumeau.scenario.measures import register
from jumeau.scenario.refs import FeatureRef, VectorRef
from jumeau.territory.estimate import EstimationRules
from jumeau.territory.model import Territory
from jumeau.territory.raster import footprint_stats, label_footprints
from jumeau.territory.schema import BUILDING_USES, conform

_RULES = EstimationRules()
#: Height of one storey (m), as the estimation rules.
METRES_PER_STOREY = _RULES.metres_per_level
#: Persons per household (INSEE, France, 2020), as the estimation rules.
HOUSEHOLD_SIZE = _RULES.household_size
#: Gross floor area of one dwelling, walls and stairs included (m²), as the estimation rules.
FLOOR_AREA_PER_DWELLING_M2 = _RULES.dwelling_gross_area_m2

Use = Literal["residential", "commercial", "industrial", "public", "agricultural", "annex",
              "unknown"]


def _split(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` summing exactly to ``total`` (largest
    remainders)."""
    if len(weights) == 0:
        return np.zeros(0, dtype=np.int64)
    share = total * weights / weights.sum()
    base = np.floor(share).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(share - base), kind="stable")
    base[order[:rest]] += 1
    return base


def _ground_z(territory: Territory, geoms: np.ndarray) -> np.ndarray:
    """Lowest DEM value under each footprint (NaN without a DEM), as the loader does."""
    if territory.terrain is None or len(geoms) == 0:
        return np.full(len(geoms), np.nan)
    t = territory.terrain
    return footprint_stats(t.elevation_m, geoms, t, labels=label_footprints(geoms, t))[
        "min"].to_numpy()


def share_75p(territory: Territory) -> float:
    """Share of residents aged 75 or over in the territory (NaN when ages are unknown)."""
    b = territory.buildings
    p75 = b["population_75p"].to_numpy(dtype=float)
    pop = b["population"].to_numpy(dtype=float)
    known = np.isfinite(p75) & np.isfinite(pop)
    if not known.any() or pop[known].sum() <= 0:
        return np.nan
    return float(p75[known].sum() / pop[known].sum())


def _overlaps(geoms: np.ndarray, others: np.ndarray | None = None,
              tolerance_m2: float = 0.5) -> np.ndarray:
    """Pairs (i, j) of geometries sharing more than ``tolerance_m2`` of area (``others``:
    against a second set; else within ``geoms``, i < j)."""
    tree = shapely.STRtree(geoms if others is None else others)
    left, right = tree.query(geoms, predicate="intersects")
    if others is None:
        keep = left < right
        left, right = left[keep], right[keep]
        second = geoms
    else:
        second = others
    if not len(left):
        return np.zeros((0, 2), dtype=np.int64)
    shared = shapely.area(shapely.intersection(geoms[left], second[right]))
    hit = shared > tolerance_m2
    return np.column_stack([left[hit], right[hit]])


# -- laying out a programme ------------------------------------------------------------

def _obstacles(territory: Territory, *, keep_buildings: bool) -> np.ndarray:
    """What new buildings must not stand on: roads (their width, 5 m when unknown, and
    1 m of pavement), water, and the existing buildings unless the site is cleared."""
    parts = []
    roads = territory.roads
    if len(roads):
        width = roads["width_m"].fillna(5.0).to_numpy()
        parts.append(shapely.buffer(roads.geometry.values, width / 2 + 1.0))
    water = territory.water
    if len(water):
        width = water["width_m"].fillna(3.0).to_numpy()
        dims = shapely.get_dimensions(water.geometry.values)
        parts.append(np.where(dims == 2, water.geometry.values,
                              shapely.buffer(water.geometry.values, width / 2)))
    if keep_buildings and len(territory.buildings):
        parts.append(np.asarray(territory.buildings.geometry.values))
    return np.concatenate(parts) if parts else np.empty(0, dtype=object)


def _rotation(angle_deg: float, origin: tuple[float, float]):
    a = math.radians(angle_deg)
    c, s = math.cos(a), math.sin(a)
    ox, oy = origin

    def turn(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0] - ox, xy[:, 1] - oy
        return np.column_stack([ox + c * x - s * y, oy + s * x + c * y])

    return turn


def layout_footprints(site: shapely.Polygon, n: int, footprint_m2: float, *, depth_m: float,
                      height_m: float, setback_m: float, avoid: np.ndarray,
                      rng: np.random.Generator, tries: int = 16) -> np.ndarray:
    """Lay out ``n`` rectangular footprints of ``footprint_m2`` in ``site``.

    Buildings stand in rows along the site's longest side (the orientation of its
    minimum rotated rectangle), ``depth_m`` deep, at least ``setback_m`` from the site's
    edge. Facing façades stand at least the building height apart (the usual *prospect*
    rule of French local plans, an assumption), gables at least half of it (4 m at
    least). The grid's offset is drawn from ``rng`` (so the seed picks the layout);
    among the offsets tried, the first where ``n`` buildings fit is kept, and the ``n``
    places nearest the site's centre are built. Places touching ``avoid`` (existing
    buildings) are left out.

    Returns
    -------
    numpy.ndarray
        The footprints (shapely polygons); fewer than ``n`` when they do not fit (the
        most that fit for any offset tried).
    """
    depth = min(depth_m, math.sqrt(footprint_m2))  # small buildings are square
    length = footprint_m2 / depth
    gap_rows = max(height_m, 6.0)
    gap_ends = max(height_m / 2.0, 4.0)
    ring = shapely.get_coordinates(shapely.minimum_rotated_rectangle(site))[:3]
    sides = np.diff(ring, axis=0)
    longest = sides[int(np.argmax(np.hypot(sides[:, 0], sides[:, 1])))]
    angle = math.degrees(math.atan2(longest[1], longest[0]))
    origin = (site.centroid.x, site.centroid.y)
    to_local = _rotation(-angle, origin)
    to_map = _rotation(angle, origin)
    buildable = shapely.transform(site, to_local).buffer(-setback_m)
    if buildable.is_empty:
        return np.empty(0, dtype=object)
    shapely.prepare(buildable)
    avoid_local = shapely.transform(avoid, to_local) if len(avoid) else avoid
    tree = shapely.STRtree(avoid_local) if len(avoid) else None
    x0, y0, x1, y1 = buildable.bounds
    px, py = length + gap_ends, depth + gap_rows
    best = np.empty(0, dtype=object)
    for _ in range(tries):
        ox, oy = rng.uniform(0.0, px), rng.uniform(0.0, py)
        gx, gy = np.meshgrid(np.arange(x0 - ox, x1, px), np.arange(y0 - oy, y1, py))
        boxes = shapely.box(gx.ravel(), gy.ravel(), gx.ravel() + length, gy.ravel() + depth)
        ok = shapely.covered_by(boxes, buildable)
        if tree is not None and ok.any():
            hit = tree.query(boxes[ok], predicate="intersects")[0]
            clear = np.ones(int(ok.sum()), dtype=bool)
            clear[hit] = False
            ok[np.flatnonzero(ok)] = clear
        found = boxes[ok]
        if len(found) > len(best):
            best = found
        if len(best) >= n:
            break
    if len(best) < n:
        return shapely.transform(best, to_map) if len(best) else best
    centre = buildable.centroid
    order = np.argsort(shapely.distance(shapely.centroid(best), centre), kind="stable")
    return shapely.transform(best[order[:n]], to_map)


# -- the measures ----------------------------------------------------------------------

@register("add_buildings")
class AddBuildings(MeasureModel):
    """New buildings: the footprints of a file, or a programme laid out in a polygon.

    With ``polygon``, give the programme: ``dwellings`` (or ``density_dwellings_ha``),
    ``storeys``, ``use``, ``social_share`` and, optionally, ``footprint_share`` (the share
    of the polygon built on; by default the ground the floor area needs). With
    ``footprints``, each feature is a building; its ``dwellings``, ``storeys`` (or
    ``levels``), ``height_m``, ``use`` and ``social_dwellings`` columns are used where
    present, the measure's fields otherwise (dwellings then split in proportion to floor
    area, or estimated from it).
    """

    used_by: ClassVar[tuple[str, ...]] = ()

    type: Literal["add_buildings"] = "add_buildings"
    name: str = Field("", description="Name of the project (labels, building ids).")
    polygon: Coords | FeatureRef | None = Field(
        None, description="Where to lay out the programme (coordinates or a named feature).")
    footprints: VectorRef | None = Field(None, description="A file of building footprints.")
    dwellings: int | None = Field(None, ge=0, description="Number of dwellings.")
    density_dwellings_ha: float | None = Field(
        None, gt=0, le=1000, description="Dwellings per hectare of the polygon (instead of "
                                         "`dwellings`).")
    storeys: int = Field(3, ge=1, le=60, description="Storeys above ground.")
    use: Use = Field("residential", description="Use of the buildings.")
    social_share: float = Field(0.0, ge=0, le=1, description="Share of social dwellings.")
    footprint_share: float | None = Field(
        None, gt=0, le=0.9, description="Share of the polygon covered by buildings; default: "
                                        "what the floor area needs.")
    floor_area_per_dwelling_m2: float = Field(
        FLOOR_AREA_PER_DWELLING_M2, gt=10, le=1000,
        description="Gross floor area of one dwelling (estimation rules: 80 m²).")
    building_footprint_m2: float = Field(
        400.0, gt=20, le=20000, description="Target footprint of one building (assumption: "
                                            "a small block of flats; ~100 for houses).")
    building_depth_m: float = Field(12.0, gt=4, le=80, description="Depth of a building "
                                    "(assumption: 12 m, a usual depth for flats).")
    setback_m: float = Field(4.0, ge=0, le=100, description="Distance kept from the "
                                                            "polygon's edge.")
    floor_height_m: float = Field(0.0, ge=0, le=10, description="Ground floor above the "
                                  "ground (e.g. raised on a flood plain).")
    household_size: float = Field(HOUSEHOLD_SIZE, gt=0, le=10, description="Persons per "
                                  "dwelling (INSEE 2020: 2.19).")
    share_75p: float | None = Field(
        None, ge=0, le=1, description="Share of new residents aged 75 or over; default: the "
                                      "territory's current share when it knows ages.")
    clear_site: bool = Field(False, description="Remove the existing buildings in the "
                                                "polygon (or under the footprints) first.")

    @model_validator(mode="after")
    def _check(self) -> AddBuildings:
        if (self.polygon is None) == (self.footprints is None):
            raise ValueError("give either `polygon` (with a programme) or `footprints`")
        if self.dwellings is not None and self.density_dwellings_ha is not None:
            raise ValueError("give either `dwellings` or `density_dwellings_ha`, not both")
        if self.polygon is not None:
            counted = self.dwellings is not None or self.density_dwellings_ha is not None
            if self.use == "residential" and not counted:
                raise ValueError("a residential programme needs `dwellings` or "
                                 "`density_dwellings_ha`")
            if self.use != "residential" and self.footprint_share is None:
                raise ValueError("a non-residential programme needs `footprint_share`")
        return self

    def _field(self, name: str) -> str:
        return f"measures.add_buildings.{name}"

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        """Return the territory with the new buildings (see the class docstring)."""
        if self.polygon is not None:
            site = polygon(self.polygon, self._field("polygon"))
            require_within(territory, site, self._field("polygon"))
            territory, removed = self._clear(territory, site)
            new = self._programme(territory, site, np.random.default_rng(seed))
        else:
            frame = self.footprints.value
            territory, removed = self._clear(territory, shapely.union_all(
                frame.geometry.values))
            new = self._from_file(territory, frame)
        overlap = _overlaps(new.geometry.values, territory.buildings.geometry.values)
        if len(overlap):
            i, j = overlap[0]
            raise JumeauError(
                Text("le nouveau bâtiment n° {i} chevauche le bâtiment existant {b}",
                     "new building no. {i} overlaps existing building {b}").format(
                    i=int(i) + 1, b=territory.buildings["building_id"].iloc[int(j)]),
                field=self._field("footprints"),
                fix=Text("retirez d'abord ce bâtiment (mesure remove_buildings) ou ajoutez "
                         "`clear_site: true`", "remove that building first (a "
                         "remove_buildings measure) or add `clear_site: true`"))
        buildings = pd.concat([territory.buildings, new], ignore_index=True)
        buildings = gpd.GeoDataFrame(buildings, geometry="geometry", crs=territory.crs)
        label = self.name or Text("nouveaux bâtiments", "new buildings").render()
        records = building_records(new, "new_buildings", label)
        if removed is not None and len(removed):
            records = pd.concat([building_records(removed, "removed_buildings", label),
                                 records], ignore_index=True)
        return territory.replace(buildings=buildings,
                                 structures=add_structures(territory, records))

    # -- steps ------------------------------------------------------------------------
    def _clear(self, territory: Territory, area: shapely.Geometry):
        if not self.clear_site:
            return territory, None
        b = territory.buildings
        inside = shapely.intersects(b.geometry.values, area) & (
            shapely.area(shapely.intersection(b.geometry.values, area)) > 0.5)
        return (territory.replace(buildings=b[~inside].reset_index(drop=True)),
                b[inside].reset_index(drop=True))

    def _programme(self, territory: Territory, site: shapely.Polygon,
                   rng: np.random.Generator) -> gpd.GeoDataFrame:
        area_m2 = site.area
        if self.dwellings is not None:
            dwellings = self.dwellings
        elif self.density_dwellings_ha is not None:
            dwellings = round(self.density_dwellings_ha * area_m2 / 10_000)
        else:
            dwellings = 0
        if self.use != "residential" and dwellings:
            raise JumeauError(Text("un programme « {u} » ne compte pas de logements",
                                   "a '{u}' programme holds no dwellings").format(u=self.use),
                              field=self._field("dwellings"),
                              fix=Text("retirez `dwellings` ou mettez `use: residential`",
                                       "remove `dwellings` or set `use: residential`"))
        needed_m2 = dwellings * self.floor_area_per_dwelling_m2 / self.storeys
        ground_m2 = area_m2 * self.footprint_share if self.footprint_share else needed_m2
        if ground_m2 + 1e-6 < needed_m2:
            raise self._cannot_fit(
                Text("{d} logements de {a} m² sur {s} niveaux demandent {n} m² d'emprise ; "
                     "{f} % de {p} m² n'en donnent que {g}",
                     "{d} dwellings of {a} m² on {s} storeys need {n} m² of ground; {f} % "
                     "of {p} m² give only {g}").format(
                    d=dwellings, a=f"{self.floor_area_per_dwelling_m2:.0f}", s=self.storeys,
                    n=f"{needed_m2:.0f}", f=f"{100 * self.footprint_share:.0f}",
                    p=f"{area_m2:.0f}", g=f"{ground_m2:.0f}"))
        if ground_m2 <= 0:
            raise JumeauError(Text("le programme ne construit rien (0 logement)",
                                   "the programme builds nothing (0 dwellings)"),
                              field=self._field("dwellings"))
        n = max(1, round(ground_m2 / self.building_footprint_m2))
        each_m2 = ground_m2 / n
        height = self.storeys * METRES_PER_STOREY
        avoid = _obstacles(territory, keep_buildings=not self.clear_site)
        geoms = layout_footprints(site, n, each_m2, depth_m=self.building_depth_m,
                                  height_m=height, setback_m=self.setback_m,
                                  avoid=avoid, rng=rng)
        if len(geoms) < n:
            raise self._cannot_fit(
                Text("{n} bâtiments de {e} m² (hauteur {h} m) ne tiennent pas dans le "
                     "polygone de {p} m² avec {r} m de recul et l'espacement des façades : "
                     "{k} au plus", "{n} buildings of {e} m² ({h} m high) do not fit in the "
                     "{p} m² polygon with {r} m setbacks and façade spacing: {k} at most"
                     ).format(n=n, e=f"{each_m2:.0f}", h=f"{height:.0f}",
                              p=f"{area_m2:.0f}", r=f"{self.setback_m:.0f}", k=len(geoms)))
        weights = shapely.area(geoms)
        split = _split(dwellings, weights)
        social = _split(round(self.social_share * dwellings), np.maximum(split, 1e-9)
                        if dwellings else weights)
        return self._frame(territory, geoms, levels=np.full(n, float(self.storeys)),
                           height=np.full(n, height), dwellings=split.astype(float),
                           social=social.astype(float), use=np.full(n, self.use, dtype=object))

    def _from_file(self, territory: Territory, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        field = self._field("footprints")
        name = Path(str(getattr(self.footprints, "path", ""))).name
        if frame.crs is not None and territory.crs is not None and frame.crs != territory.crs:
            frame = frame.to_crs(territory.crs)
        geoms = np.asarray(frame.geometry.values)
        kinds = shapely.get_type_id(geoms)
        bad = np.flatnonzero(~np.isin(kinds, (3, 6)) | ~shapely.is_valid(geoms))
        if len(bad):
            raise JumeauError(Text("{f}, objet n° {i} : ce n'est pas un polygone valide",
                                   "{f}, feature no. {i}: not a valid polygon").format(
                f=name, i=int(bad[0]) + 1), field=field)
        if not len(geoms):
            raise JumeauError(Text("{f} ne contient aucune emprise",
                                   "{f} holds no footprint").format(f=name), field=field)
        require_within(territory, shapely.union_all(geoms), field)
        pairs = _overlaps(geoms)
        if len(pairs):
            i, j = pairs[0]
            raise JumeauError(
                Text("{f} : les nouveaux bâtiments n° {i} et n° {j} se chevauchent",
                     "{f}: new buildings no. {i} and no. {j} overlap").format(
                    f=name, i=int(i) + 1, j=int(j) + 1),
                field=field,
                fix=Text("corrigez les emprises : deux bâtiments ne peuvent occuper le même "
                         "sol", "correct the footprints: two buildings cannot stand on the "
                         "same ground"))
        n = len(geoms)

        def column(*names: str) -> np.ndarray:
            for name in names:
                if name in frame.columns:
                    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)
            return np.full(n, np.nan)

        for column_name in ("dwellings", "social_dwellings", "storeys", "levels", "height_m"):
            values = column(column_name)
            neg = np.flatnonzero(values < 0)
            if len(neg):
                raise JumeauError(
                    Text("{f}, objet n° {i}, colonne « {c} » : valeur négative ({v})",
                         "{f}, feature no. {i}, column '{c}': negative value ({v})").format(
                        f=name, i=int(neg[0]) + 1, c=column_name, v=f"{values[neg[0]]:g}"),
                    field=field,
                    fix=Text("donnez un nombre positif ou nul", "give a number >= 0"))
        levels = column("storeys", "levels")
        height = column("height_m")
        levels = np.where(np.isfinite(levels) & (levels > 0), levels,
                          np.where(height > 0, np.maximum(1, np.round(height /
                                                                      METRES_PER_STOREY)),
                                   self.storeys))
        height = np.where(height > 0, height, levels * METRES_PER_STOREY)
        use = (frame["use"].astype(str).to_numpy(dtype=object) if "use" in frame.columns
               else np.full(n, self.use, dtype=object))
        unknown = sorted(set(use) - set(BUILDING_USES))
        if unknown:
            raise JumeauError(Text("{f}, colonne « use » : usage inconnu « {u} »",
                                   "{f}, column 'use': unknown use '{u}'").format(
                f=name, u=unknown[0]), field=field,
                fix=Text("usages : {u}", "uses: {u}").format(u=", ".join(BUILDING_USES)))
        residential = use == "residential"
        floor = shapely.area(geoms) * levels
        dwellings = column("dwellings")
        missing = np.isnan(dwellings)
        if missing.any():
            if self.dwellings is not None:
                known = float(np.nansum(dwellings))
                weights = np.where(missing & residential, floor, 0.0)
                if weights.sum() <= 0 and self.dwellings > known:
                    raise JumeauError(Text("aucun bâtiment résidentiel pour recevoir les "
                                           "logements", "no residential building to hold "
                                           "the dwellings"), field=self._field("dwellings"))
                fill = _split(max(0, int(self.dwellings - known)), weights) if \
                    weights.sum() > 0 else np.zeros(n)
            else:
                fill = np.where(residential, np.maximum(1.0, np.round(
                    floor / self.floor_area_per_dwelling_m2)), 0.0)
            dwellings = np.where(missing, fill, dwellings)
        social = column("social_dwellings")
        social = np.where(np.isnan(social), np.round(self.social_share * dwellings), social)
        return self._frame(territory, geoms, levels=levels, height=height,
                           dwellings=dwellings.astype(float), social=social,
                           use=use)

    def _frame(self, territory: Territory, geoms: np.ndarray, *, levels, height, dwellings,
               social, use) -> gpd.GeoDataFrame:
        n = len(geoms)
        prefix = unique_prefix(territory.buildings["building_id"], slug(self.name, "projet"))
        population = dwellings * self.household_size
        share = self.share_75p if self.share_75p is not None else share_75p(territory)
        frame = gpd.GeoDataFrame({
            "building_id": [f"{prefix}{i + 1}" for i in range(n)],
            "name": self.name, "use": use, "facility": "",
            "height_m": height, "levels": levels, "dwellings": dwellings,
            "ground_z_m": _ground_z(territory, geoms),
            "floor_z_m": self.floor_height_m,
            "population": population,
            "population_75p": population * share if np.isfinite(share) else np.nan,
            "social_dwellings": social,
        }, geometry=geoms, crs=territory.crs)
        return conform(frame, "buildings")

    def _cannot_fit(self, why: Text) -> JumeauError:
        return JumeauError(
            Text("le programme ne tient pas dans son polygone : {w}",
                 "the programme does not fit its polygon: {w}").format(w=why),
            field=self._field("polygon"),
            fix=Text("réduisez le nombre de logements, ajoutez des niveaux, agrandissez le "
                     "polygone ou augmentez `footprint_share`", "reduce the dwellings, add "
                     "storeys, enlarge the polygon or raise `footprint_share`"))


class _Selection(MeasureModel):
    """Buildings chosen by a polygon (their representative point inside) or by id."""

    polygon: Coords | FeatureRef | None = None
    building_ids: list[str] | None = Field(None, min_length=1)

    @model_validator(mode="after")
    def _one_selection(self) -> _Selection:
        if (self.polygon is None) == (self.building_ids is None):
            raise ValueError("give either `polygon` or `building_ids`")
        return self

    def _chosen(self, territory: Territory, measure: str) -> np.ndarray:
        b = territory.buildings
        if self.polygon is not None:
            field = f"measures.{measure}.polygon"
            area = polygon(self.polygon, field)
            require_touches(territory, area, field)
            chosen = shapely.within(shapely.point_on_surface(b.geometry.values), area)
            if not chosen.any():
                raise JumeauError(Text("aucun bâtiment dans le polygone",
                                       "no building inside the polygon"), field=field)
            return chosen
        field = f"measures.{measure}.building_ids"
        known = set(b["building_id"])
        missing = [i for i in self.building_ids if i not in known]
        if missing:
            from jumeau.errors import did_you_mean

            raise JumeauError(Text("bâtiment inconnu : {m}", "unknown building: {m}").format(
                m=missing[0]), field=field, fix=did_you_mean(missing[0], known))
        return b["building_id"].isin(self.building_ids).to_numpy()


@register("remove_buildings")
class RemoveBuildings(_Selection):
    """Demolish buildings (chosen by a polygon or by their ids)."""

    used_by: ClassVar[tuple[str, ...]] = ()

    type: Literal["remove_buildings"] = "remove_buildings"
    name: str = ""

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        """Return the territory without the chosen buildings."""
        chosen = self._chosen(territory, "remove_buildings")
        b = territory.buildings
        label = self.name or Text("bâtiments démolis", "demolished buildings").render()
        records = building_records(b[chosen], "removed_buildings", label)
        return territory.replace(buildings=b[~chosen].reset_index(drop=True),
                                 structures=add_structures(territory, records))


@register("change_buildings")
class ChangeBuildings(_Selection):
    """Change the use, the storeys or the ground-floor height of buildings.

    Storeys set the height (3 m a storey) and scale the floor area; the dwellings of a
    residential building scale with it (rounded, at least one), and its residents with
    its dwellings at its current persons per dwelling. A building turned residential
    gets ``floor area / floor_area_per_dwelling_m2`` dwellings (at least one) of
    ``household_size`` persons; a building that stops being residential loses its
    dwellings and residents.
    """

    used_by: ClassVar[tuple[str, ...]] = ()

    type: Literal["change_buildings"] = "change_buildings"
    name: str = ""
    use: Use | None = None
    storeys: int | None = Field(None, ge=1, le=60)
    floor_height_m: float | None = Field(None, ge=0, le=10, description="Ground floor above "
                                         "the ground.")
    floor_area_per_dwelling_m2: float = Field(FLOOR_AREA_PER_DWELLING_M2, gt=10, le=1000)
    household_size: float = Field(HOUSEHOLD_SIZE, gt=0, le=10)

    @model_validator(mode="after")
    def _something(self) -> ChangeBuildings:
        if self.use is None and self.storeys is None and self.floor_height_m is None:
            raise ValueError("give at least one of `use`, `storeys`, `floor_height_m`")
        return self

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        """Return the territory with the chosen buildings changed."""
        chosen = self._chosen(territory, "change_buildings")
        b = territory.buildings.copy()
        before = b[chosen].reset_index(drop=True)
        idx = np.flatnonzero(chosen)
        old_levels = b["levels"].to_numpy(dtype=float)[idx]
        old_levels = np.where(old_levels > 0, old_levels, 1.0)
        levels = old_levels if self.storeys is None else np.full(len(idx), float(self.storeys))
        old_use = b["use"].to_numpy(dtype=object)[idx]
        use = old_use if self.use is None else np.full(len(idx), self.use, dtype=object)
        dwellings = np.nan_to_num(b["dwellings"].to_numpy(dtype=float)[idx])
        population = np.nan_to_num(b["population"].to_numpy(dtype=float)[idx])
        p75 = b["population_75p"].to_numpy(dtype=float)[idx]
        social = b["social_dwellings"].to_numpy(dtype=float)[idx]
        per_dwelling = np.where(dwellings > 0, population / np.maximum(dwellings, 1e-9),
                                self.household_size)
        share = np.where(population > 0, np.nan_to_num(p75) / np.maximum(population, 1e-9),
                         share_75p(territory))
        floor = shapely.area(before.geometry.values) * levels
        was_res, is_res = old_use == "residential", use == "residential"
        new_d = np.where(was_res & is_res,
                         np.where(dwellings > 0,
                                  np.maximum(1.0, np.round(dwellings * levels / old_levels)),
                                  0.0),
                         np.where(is_res, np.maximum(1.0, np.round(
                             floor / self.floor_area_per_dwelling_m2)), 0.0))
        new_d = np.where(~was_res & ~is_res, dwellings, new_d)
        new_pop = np.where(~was_res & ~is_res, population, new_d * per_dwelling)
        b.loc[idx, "levels"] = levels
        if self.storeys is not None:
            b.loc[idx, "height_m"] = levels * METRES_PER_STOREY
        b.loc[idx, "use"] = use
        b.loc[idx, "dwellings"] = new_d
        b.loc[idx, "population"] = new_pop
        b.loc[idx, "population_75p"] = np.where(np.isfinite(share), new_pop * share, p75)
        b.loc[idx, "social_dwellings"] = np.where(
            np.isfinite(social), np.minimum(social, new_d), social)
        if self.floor_height_m is not None:
            b.loc[idx, "floor_z_m"] = self.floor_height_m
        label = self.name or Text("bâtiments modifiés", "changed buildings").render()
        records = building_records(before, "changed_buildings", label)
        return territory.replace(buildings=b, structures=add_structures(territory, records))
