"""The territory manifest: a YAML file pointing jumeau at a commune's data.

::

    name: Olemps
    crs: EPSG:2154            # optional, default EPSG:2154
    extent: {layer: boundary, buffer_m: 300}   # optional: clip every layer to it
    estimation: {household_size: 2.3}           # optional: estimation rules
    layers:
      buildings:   {path: bdtopo_v3/BATIMENT.shp, schema: bdtopo}
      roads:       {path: bdtopo_v2/ROUTE.shp, schema: bdtopo_v2}
      population:  {path: bdtopo_v2/population.shp, schema: insee_grid}
      dem:         {path: mnt.tif}        # or {points: dem.geojson, field: height}, or {derive: true}
      landcover:   {path: lulc.tif}       # optional land-cover raster of integer codes (heat)
      flood_zones: {path: tri.shp, schema: georisques}
      vegetation:  {path: bdtopo_v3/ZONE_DE_VEGETATION.shp, schema: bdtopo}

A layer may be a list of sources (concatenated), a generic file with a column mapping
(``{path: x.geojson, columns: {height_m: HAUTEUR}}``) or an OpenStreetMap extract
(``{path: extract.osm.pbf, schema: osm}``). Paths are relative to the manifest.
:func:`load_territory` reads everything into a :class:`~jumeau.territory.Territory`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pyproj import CRS
from pyproj.exceptions import CRSError

from jumeau.errors import JumeauError, did_you_mean
from jumeau.i18n import Text
from jumeau.io import bdtopo, dem, generic, georisques, insee
from jumeau.io.vector import repair_geometries
from jumeau.io.yamlfile import read_yaml, validation_error
from jumeau.territory.estimate import (
    EstimationRules,
    assign_facilities,
    estimate_buildings,
    estimate_roads,
)
from jumeau.territory.model import Territory
from jumeau.territory.raster import footprint_stats, label_footprints
from jumeau.territory.schema import VECTOR_LAYERS

SCHEMAS = ("bdtopo", "bdtopo_v2", "osm", "georisques", "insee_grid", "generic")
MANIFEST_NAME = "territory.yaml"

#: Geometry dimension each layer must have (0 points, 1 lines, 2 areas); None = any.
LAYER_DIMENSIONS = {"buildings": (2,), "roads": (1,), "water": (1, 2), "vegetation": (0, 1, 2),
                    "flood_zones": (2,), "population": (2,), "boundary": (2,),
                    "facilities": (0, 1, 2), "structures": (1, 2)}

class LayerSource(BaseModel):
    """One file feeding a layer."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    path: str
    schema_: Literal["bdtopo", "bdtopo_v2", "osm", "georisques", "insee_grid", "generic"] | \
        None = Field(None, alias="schema")
    layer: str | None = None
    encoding: str | None = None
    crs: str | None = None
    columns: dict[str, str] | None = None
    values: dict[str, dict[str, Any]] | None = None
    source: str | None = None
    scenario: str | None = None
    return_period_yr: float | None = Field(None, gt=0)


class DemSource(BaseModel):
    """Where the terrain comes from: a raster, elevation points, or derived."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    path: str | None = None
    points: str | None = None
    field: str | None = None
    layer: str | None = None
    derive: bool = False
    resolution_m: float | None = Field(None, gt=0)
    crs: str | None = None
    fill_holes: bool = True

    @model_validator(mode="after")
    def _one_source(self) -> DemSource:
        given = [k for k in ("path", "points") if getattr(self, k)] + (
            ["derive"] if self.derive else [])
        if len(given) != 1:
            raise ValueError("give exactly one of `path`, `points` or `derive: true`")
        return self


OneOrMany = LayerSource | list[LayerSource]


class Layers(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    boundary: OneOrMany | None = None
    buildings: OneOrMany | None = None
    roads: OneOrMany | None = None
    water: OneOrMany | None = None
    vegetation: OneOrMany | None = None
    facilities: OneOrMany | None = None
    flood_zones: OneOrMany | None = None
    population: OneOrMany | None = None
    structures: OneOrMany | None = None
    dem: DemSource | None = None
    landcover: LandcoverSource | None = None


class LandcoverSource(BaseModel):
    """A land-cover raster of integer codes (read by :mod:`jumeau.io.landcover`)."""

    model_config = ConfigDict(extra="forbid")

    path: str


class ExtentFromLayer(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    layer: Literal["boundary", "buildings", "roads", "flood_zones", "population"] = "boundary"
    buffer_m: float = Field(0.0, ge=0)


class Manifest(BaseModel):
    """A territory manifest (see the module docstring)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    name: str = Field(min_length=1)
    crs: str = "EPSG:2154"
    extent: list[float] | ExtentFromLayer | None = None
    estimation: dict[str, Any] | None = None
    layers: Layers

    @field_validator("extent")
    @classmethod
    def _bbox(cls, value):
        if isinstance(value, list) and (len(value) != 4 or value[0] >= value[2]
                                        or value[1] >= value[3]):
            raise ValueError("extent must be [xmin, ymin, xmax, ymax] with xmin < xmax, "
                             "ymin < ymax")
        return value


def resolve_manifest(source: str | Path) -> Path:
    """The manifest file for ``source``: ``demo``, a manifest, or a folder holding one."""
    if str(source) == "demo":
        from jumeau.io.demo import demo_path

        path = demo_path() / MANIFEST_NAME
        if not path.exists():
            raise JumeauError(
                Text("le territoire de démonstration est introuvable", "the demo territory is "
                     "missing"), path=path,
                fix=Text("régénérez-le avec `jumeau data demo`", "regenerate it with "
                         "`jumeau data demo`"))
        return path
    path = Path(source)
    if path.is_dir():
        candidate = path / MANIFEST_NAME
        if not candidate.exists():
            raise JumeauError(
                Text("ce dossier ne contient pas de {m}", "this folder holds no {m}").format(
                    m=MANIFEST_NAME), path=path,
                fix=Text("indiquez le fichier manifeste, ou `demo`", "give the manifest file, "
                         "or `demo`"))
        return candidate
    if not path.exists():
        raise JumeauError(Text("territoire introuvable", "territory not found"), path=path,
                          fix=Text("indiquez `demo`, un manifeste YAML ou un dossier qui en "
                                   "contient un", "give `demo`, a YAML manifest or a folder "
                                   "holding one"))
    return path


def read_manifest(path: Path) -> Manifest:
    """Read and validate a manifest; errors name the file, line and key."""
    data, lines = read_yaml(path)
    if not isinstance(data, dict):
        raise JumeauError(Text("le manifeste doit être un dictionnaire YAML (name:, layers: …)",
                               "the manifest must be a YAML mapping (name:, layers: …)"),
                          path=path, fix=Text("voyez l'exemple de manifeste du README",
                                              "see the README's example manifest"))
    if "simulate" in data or "variants" in data:
        raise JumeauError(
            Text("ce fichier est un scénario, pas un manifeste de territoire",
                 "this file is a scenario, not a territory manifest"), path=path,
            fix=Text("un scénario désigne son territoire par `territory: demo` ou le chemin "
                     "d'un manifeste (name:, layers: …), pas par un autre scénario",
                     "a scenario names its territory with `territory: demo` or the path of a "
                     "manifest (name:, layers: …), not another scenario"))
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, Manifest, lines, path) from None


def load_territory(source: str | Path, *, progress: Callable[[str], None] | None = None
                   ) -> Territory:
    """Load a territory from ``demo``, a manifest, or a folder holding ``territory.yaml``.

    Every layer is read with its schema's reader, reprojected to the manifest's CRS,
    repaired, clipped to the extent when one is given; missing attributes are then
    estimated (see :mod:`jumeau.territory.estimate`).
    """
    path = resolve_manifest(source)
    manifest = read_manifest(path)
    base = path.parent
    crs = _target_crs(manifest.crs, path)
    say = progress or (lambda _msg: None)
    notes: list[Text] = []
    sources: dict[str, str] = {}
    layers: dict[str, gpd.GeoDataFrame] = {}
    origin: dict[str, Path] = {}
    for name in VECTOR_LAYERS:
        spec = getattr(manifest.layers, name)
        if spec is None:
            continue
        parts = []
        for item in spec if isinstance(spec, list) else [spec]:
            file = (base / item.path).resolve() if not Path(item.path).is_absolute() \
                else Path(item.path)
            say(f"{name}: {file.name}")
            frame = _read_source(item, name, file, crs, notes)
            parts.append(frame)
            origin.setdefault(name, file)
            sources[name] = ", ".join(filter(None, [sources.get(name), _describe(item, file)]))
        frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        layers[name] = gpd.GeoDataFrame(frame, geometry="geometry", crs=crs)

    extent = _extent(manifest, layers, path)
    if extent is not None:
        layers = {k: _clip(v, extent) for k, v in layers.items()}
    _check_overlap(layers, origin, extent)

    terrain = None
    if manifest.layers.dem is not None:
        say("dem")
        reference = extent or _union_bounds(layers)
        terrain = _read_dem(manifest.layers.dem, base, crs, reference, layers, path)
        sources["dem"] = terrain.source
        notes.extend(terrain.notes)
        if terrain.filled_cells:
            notes.append(Text("{n} cellules sans donnée du MNT comblées par interpolation",
                              "{n} DEM nodata cells filled by interpolation").format(
                n=terrain.filled_cells))
        if reference is not None and _intersect(terrain.bounds, reference) is None:
            raise JumeauError(
                Text("le MNT ne recouvre pas les autres couches", "the DEM does not overlap the "
                     "other layers"), path=base / (manifest.layers.dem.path or
                                                   manifest.layers.dem.points or ""),
                fix=Text("vérifiez son emprise et son système de coordonnées",
                         "check its extent and coordinate system"))

    landcover = None
    if manifest.layers.landcover is not None:
        from jumeau.io.landcover import read_landcover_raster
        from jumeau.io.vector import require_file

        say("landcover")
        file = base / manifest.layers.landcover.path
        require_file(file)
        landcover = read_landcover_raster(file, crs)
        sources["landcover"] = landcover.source

    rules = _rules(manifest, path)
    if "roads" in layers:
        layers["roads"], road_notes = estimate_roads(layers["roads"])
        notes.extend(road_notes)
    if "buildings" in layers:
        b = layers["buildings"]
        if "facilities" in layers:
            b, fac_notes = assign_facilities(b, layers["facilities"])
            notes.extend(fac_notes)
        if terrain is not None:
            b = _ground_from_terrain(b, terrain)
        b, est_notes = estimate_buildings(b, rules, layers.get("population"))
        notes.extend(est_notes)
        layers["buildings"] = b
    return Territory(name=manifest.name, crs=crs, terrain=terrain, landcover=landcover,
                     sources=sources, notes=notes, **layers)


def _target_crs(value: str, path: Path) -> CRS:
    try:
        crs = CRS.from_user_input(value)
    except CRSError:
        raise JumeauError(Text("système de coordonnées inconnu « {c} »", "unknown coordinate "
                               "reference system '{c}'").format(c=value), path=path, field="crs",
                          fix=Text("utilisez un code EPSG, par ex. EPSG:2154 (Lambert-93)",
                                   "use an EPSG code, e.g. EPSG:2154 (Lambert-93)")) from None
    if not crs.is_projected:
        raise JumeauError(
            Text("le système de coordonnées {c} n'est pas projeté (degrés) : les calculs de "
                 "distances et de surfaces demandent des mètres", "coordinate system {c} is not "
                 "projected (degrees): distances and areas need metres").format(c=value),
            path=path, field="crs",
            fix=Text("utilisez EPSG:2154 (Lambert-93) ou un CC (EPSG:3942…3950)",
                     "use EPSG:2154 (Lambert-93) or a CC zone (EPSG:3942…3950)"))
    return crs


def _reader(item: LayerSource, layer: str, file: Path) -> Callable[[Path, dict], Any]:
    schema = item.schema_
    if schema is None:
        name = file.name.lower()
        if item.columns:
            schema = "generic"
        elif name.endswith((".osm", ".osm.gz", ".osm.bz2", ".pbf")):
            schema = "osm"
        elif layer == "population":
            schema = "insee_grid"
        elif layer == "flood_zones":
            schema = "georisques"
        else:
            schema = "generic"
    if schema == "generic":
        return lambda p, opts: generic.read_generic(p, layer, opts)
    if schema == "osm":
        from jumeau.io import osm

        table = osm.LAYERS
    else:
        table = {"bdtopo": bdtopo.LAYERS, "bdtopo_v2": bdtopo.LAYERS,
                 "georisques": georisques.LAYERS, "insee_grid": insee.LAYERS}[schema]
    if layer not in table:
        raise JumeauError(
            Text("le schéma « {s} » ne fournit pas la couche « {l} »", "schema '{s}' does not "
                 "provide layer '{l}'").format(s=schema, l=layer), path=file, field="schema",
            fix=Text("schémas possibles pour {l} : {c}", "schemas that provide {l}: {c}").format(
                l=layer, c=", ".join(_schemas_for(layer))))
    if schema in ("bdtopo", "bdtopo_v2"):
        reader = table[layer]

        def checked(p: Path, opts: dict) -> gpd.GeoDataFrame:
            bdtopo.check_class(p, opts, layer)
            return reader(p, opts)

        return checked
    return table[layer]


def _schemas_for(layer: str) -> list[str]:
    from jumeau.io import osm

    out = [s for s, t in (("bdtopo", bdtopo.LAYERS), ("osm", osm.LAYERS),
                          ("georisques", georisques.LAYERS), ("insee_grid", insee.LAYERS))
           if layer in t]
    return out + ["generic"]


def _read_source(item: LayerSource, layer: str, file: Path, crs: CRS,
                 notes: list[Text]) -> gpd.GeoDataFrame:
    from jumeau.io.vector import require_file

    require_file(file)
    reader = _reader(item, layer, file)
    options = item.model_dump(exclude_none=True)
    frame = reader(file, options)
    skipped = int(frame.attrs.get("skipped", 0))
    rebuilt = int(frame.attrs.get("rebuilt", 0))
    cut = int(frame.attrs.get("cut", 0))
    if cut:
        skipped -= cut
        notes.append(Text("{f} : {n} objets coupés par le bord de l'extrait ignorés (moins de "
                          "trois de leurs nœuds dans le fichier : aucune surface) ; un extrait "
                          "plus large les contiendrait",
                          "{f}: {n} features cut by the edge of the extract skipped (fewer "
                          "than three of their nodes in the file: no area); a larger extract "
                          "would hold them").format(f=file.name, n=cut))
    if rebuilt:
        notes.append(Text("{f} : {n} contours que l'assembleur OSM refusait (coupés par le bord "
                          "de l'extrait, ou qui se recoupent) refermés sur leurs nœuds connus",
                          "{f}: {n} rings the OSM assembler refused (cut by the edge of the "
                          "extract, or crossing themselves) closed through their known nodes"
                          ).format(f=file.name, n=rebuilt))
    if item.crs:
        try:
            frame = frame.set_crs(CRS.from_user_input(item.crs), allow_override=True)
        except CRSError:
            raise JumeauError(Text("système de coordonnées inconnu « {c} »", "unknown coordinate "
                                   "reference system '{c}'").format(c=item.crs), path=file,
                              field="crs", fix=Text("utilisez un code EPSG", "use an EPSG code")
                              ) from None
    if frame.crs is None:
        raise JumeauError(
            Text("la couche n'a pas de système de coordonnées (pas de .prj ?)",
                 "the layer has no coordinate reference system (no .prj?)"), path=file,
            field="crs", fix=Text("ajoutez le fichier .prj, ou `crs: EPSG:2154` à cette couche "
                                  "dans le manifeste", "add the .prj file, or `crs: EPSG:2154` "
                                  "to this layer in the manifest"))
    empty = Text("vérifiez le fichier (et `layer:` pour un GeoPackage), ou retirez cette "
                 "couche du manifeste", "check the file (and `layer:` for a GeoPackage), or "
                 "remove this layer from the manifest")
    if not len(frame):
        raise JumeauError(
            Text("la couche « {l} » est vide (aucun objet utilisable)", "layer '{l}' is empty "
                 "(no usable feature)").format(l=layer), path=file, field=layer, fix=empty)
    frame, repaired, dropped = repair_geometries(frame)
    if not len(frame):
        raise JumeauError(
            Text("la couche « {l} » n'a aucune géométrie utilisable ({n} objets, tous vides "
                 "ou sans géométrie)", "layer '{l}' has no usable geometry ({n} features, all "
                 "empty or without geometry)").format(l=layer, n=dropped + skipped),
            path=file, field=layer, fix=empty)
    _check_coordinates(frame, file, layer)
    if not frame.crs.equals(crs):
        frame = frame.to_crs(crs)
        frame, more_repaired, more_dropped = repair_geometries(frame)
        repaired, dropped = repaired + more_repaired, dropped + more_dropped
    dims = shapely.get_dimensions(frame.geometry.values)
    wrong = ~np.isin(dims, LAYER_DIMENSIONS[layer])
    if wrong.all():
        raise JumeauError(
            Text("géométries inattendues pour la couche « {l} » ({g})", "unexpected geometries "
                 "for layer '{l}' ({g})").format(l=layer, g=frame.geom_type.iloc[0]), path=file,
            field=layer, fix=Text("cette couche attend des {k}", "this layer expects {k}").format(
                k={0: "points", 1: "lignes", 2: "polygones"}.get(LAYER_DIMENSIONS[layer][0])))
    if wrong.any():
        frame = frame[~wrong].reset_index(drop=True)
        dropped += int(wrong.sum())
    if repaired:
        notes.append(Text("{f} : {n} géométries invalides réparées", "{f}: {n} invalid geometries "
                          "repaired").format(f=file.name, n=repaired))
    if dropped or skipped:
        notes.append(Text("{f} : {n} objets sans géométrie utilisable ignorés", "{f}: {n} features "
                          "without a usable geometry skipped").format(f=file.name,
                                                                      n=dropped + skipped))
    if not len(frame):
        raise JumeauError(
            Text("la couche « {l} » est vide après réparation des géométries",
                 "layer '{l}' is empty once geometries are repaired").format(l=layer),
            path=file, field=layer)
    frame.attrs = {}
    return frame


def _check_coordinates(frame: gpd.GeoDataFrame, file: Path, layer: str) -> None:
    """Refuse coordinates outside the area where the layer's CRS is used: a huge or
    misplaced coordinate (wrong .prj, a typo, degrees read as metres) would otherwise
    stretch the territory's extent (and its grids) silently."""
    area = frame.crs.area_of_use
    if area is None:
        return
    from pyproj import Transformer

    lon0, lat0, lon1, lat1 = area.bounds
    # A generous margin: the area of use is a guide, data near its edge is common.
    margin = 2.0
    box = (max(lon0 - margin, -180), max(lat0 - margin, -90), min(lon1 + margin, 180),
           min(lat1 + margin, 90))
    if frame.crs.is_geographic:
        bounds = box
    else:
        to_crs = Transformer.from_crs("EPSG:4326", frame.crs, always_xy=True)
        bounds = to_crs.transform_bounds(*box)
    geoms = frame.geometry.values
    b = shapely.bounds(geoms)
    with np.errstate(invalid="ignore"):
        outside = ~((b[:, 0] >= bounds[0]) & (b[:, 1] >= bounds[1]) & (b[:, 2] <= bounds[2])
                    & (b[:, 3] <= bounds[3]))
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        raise JumeauError(
            Text("{n} objet(s) de la couche « {l} » ont des coordonnées hors de la zone "
                 "d'usage de {c} (premier : n° {i}, emprise {b})", "{n} feature(s) of layer "
                 "'{l}' have coordinates outside the area where {c} is used (first: #{i}, "
                 "extent {b})").format(n=int(outside.sum()), l=layer,
                                       c=frame.crs.to_string(), i=first,
                                       b=_fmt_box(b[first])),
            path=file, field=layer,
            fix=Text("vérifiez le système de coordonnées du fichier (.prj, ou `crs:` dans le "
                     "manifeste) et corrigez ou supprimez ces objets", "check the file's "
                     "coordinate system (.prj, or `crs:` in the manifest) and fix or delete "
                     "those features"))


def _describe(item: LayerSource, file: Path) -> str:
    label = file.name + (f":{item.layer}" if item.layer else "")
    return f"{label} ({item.schema_ or 'auto'})"


def _extent(manifest: Manifest, layers: dict, path: Path):
    ext = manifest.extent
    if ext is None:
        return None
    if isinstance(ext, list):
        return tuple(float(v) for v in ext)
    if ext.layer not in layers:
        raise JumeauError(
            Text("`extent` s'appuie sur la couche « {l} », absente du manifeste",
                 "`extent` relies on layer '{l}', which the manifest does not give").format(
                l=ext.layer), path=path, field="extent.layer",
            fix=Text("ajoutez la couche ou donnez une emprise [xmin, ymin, xmax, ymax]",
                     "add the layer or give a box [xmin, ymin, xmax, ymax]"))
    x0, y0, x1, y1 = layers[ext.layer].total_bounds
    b = ext.buffer_m
    return (x0 - b, y0 - b, x1 + b, y1 + b)


def _clip(frame: gpd.GeoDataFrame, extent) -> gpd.GeoDataFrame:
    box = shapely.box(*extent)
    keep = shapely.intersects(frame.geometry.values, box)
    return frame[keep].reset_index(drop=True)


def _union_bounds(layers: dict):
    boxes = [f.total_bounds for f in layers.values() if len(f)]
    if not boxes:
        return None
    b = np.array(boxes)
    return (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())


def _intersect(a, b):
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] <= box[2] and box[1] <= box[3] else None


def _check_overlap(layers: dict, origin: dict, extent) -> None:
    """Every layer must overlap the reference layer (boundary, else buildings)."""
    for name, frame in layers.items():
        if not len(frame):
            raise JumeauError(
                Text("la couche « {l} » ne recouvre pas l'emprise du territoire",
                     "layer '{l}' does not overlap the territory's extent").format(l=name),
                path=origin.get(name), field="extent",
                fix=Text("vérifiez l'emprise `extent` du manifeste et le système de coordonnées "
                         "du fichier", "check the manifest's `extent` and the file's coordinate "
                         "system"))
    ref_name = next((n for n in ("boundary", "buildings", "roads") if n in layers), None)
    if ref_name is None:
        return
    ref = layers[ref_name].total_bounds
    for name, frame in layers.items():
        if name == ref_name:
            continue
        if _intersect(frame.total_bounds, ref) is None:
            raise JumeauError(
                Text("la couche « {l} » ne recouvre pas la couche « {r} » : emprises "
                     "{a} et {b}", "layer '{l}' does not overlap layer '{r}': extents {a} and {b}"
                     ).format(l=name, r=ref_name, a=_fmt_box(frame.total_bounds),
                              b=_fmt_box(ref)), path=origin.get(name), field=name,
                fix=Text("les deux fichiers décrivent-ils la même commune ? Vérifiez leur système "
                         "de coordonnées (.prj)", "do both files describe the same commune? Check "
                         "their coordinate systems (.prj)"))


def _fmt_box(b) -> str:
    return "[" + ", ".join(f"{v:.0f}" for v in b) + "]"


def _read_dem(spec: DemSource, base: Path, crs: CRS, bounds, layers: dict, path: Path):
    if spec.path:
        return dem.read_dem_raster(base / spec.path, crs, bounds=bounds,
                                   resolution_m=spec.resolution_m, source_crs=spec.crs,
                                   fill_holes=spec.fill_holes)
    if spec.points:
        return dem.read_dem_points(base / spec.points, spec.field, crs,
                                   resolution_m=spec.resolution_m, bounds=bounds,
                                   layer=spec.layer, source_crs=spec.crs)
    if bounds is None:
        raise JumeauError(Text("impossible de dériver un terrain sans couche vecteur",
                               "cannot derive a terrain without vector layers"), path=path,
                          field="layers.dem.derive")
    return dem.derive_terrain(layers, crs, bounds, resolution_m=spec.resolution_m or 25.0)


def _rules(manifest: Manifest, path: Path) -> EstimationRules:
    try:
        return EstimationRules.from_dict(manifest.estimation or {})
    except KeyError as exc:
        key = exc.args[0]
        from dataclasses import fields

        names = [f.name for f in fields(EstimationRules)]
        raise JumeauError(Text("règle d'estimation inconnue « {k} »", "unknown estimation rule "
                               "'{k}'").format(k=key), path=path, field=f"estimation.{key}",
                          fix=did_you_mean(key, names) or Text("règles : {r}", "rules: {r}"
                                                               ).format(r=", ".join(names))
                          ) from None
    except TypeError as exc:
        raise JumeauError(Text("règle d'estimation invalide ({e})", "invalid estimation rule "
                               "({e})").format(e=exc), path=path, field="estimation") from None


def _ground_from_terrain(buildings: gpd.GeoDataFrame, terrain) -> gpd.GeoDataFrame:
    """Fill missing ground altitudes with the lowest DEM value under each footprint."""
    ground = buildings["ground_z_m"].to_numpy(dtype=float)
    miss = np.isnan(ground)
    if not miss.any():
        return buildings
    geoms = buildings.geometry.values
    stats = footprint_stats(terrain.elevation_m, geoms, terrain,
                            labels=label_footprints(geoms, terrain))
    out = buildings.copy()
    out["ground_z_m"] = np.where(miss, stats["min"].to_numpy(), ground)
    return out

