"""Reading vector files safely: clear errors, encodings, field names in any case."""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from jumeau.errors import JumeauError
from jumeau.i18n import Text

VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".fgb", ".gml", ".kml", ".sqlite",
                   ".csv")


def require_file(path: Path) -> Path:
    """``path`` if it exists, else a clear error."""
    if not path.exists():
        raise JumeauError(Text("fichier introuvable", "file not found"), path=path,
                          fix=Text("vérifiez le chemin (il est relatif au manifeste)",
                                   "check the path (it is relative to the manifest)"))
    return path


#: Archives GDAL could open through /vsizip/, which reads the first layer inside: the user
#: would not know which one was used.
ARCHIVE_SUFFIXES = (".zip", ".7z", ".rar", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tar.xz")


def refuse_archive(path: Path) -> None:
    """Refuse an archive given as a layer: which file inside was meant is a guess."""
    name = path.name.lower()
    if name.endswith(ARCHIVE_SUFFIXES) and not name.endswith((".osm.gz", ".osm.bz2")):
        raise JumeauError(
            Text("c'est une archive, pas une couche : jumeau ne devine pas quel fichier "
                 "elle contient", "this is an archive, not a layer: jumeau does not guess "
                 "which file inside is meant"), path=path, field="path",
            fix=Text("décompressez-la et indiquez le fichier voulu (.shp, .gpkg, .geojson, "
                     ".tif…)", "extract it and give the file you mean (.shp, .gpkg, "
                     ".geojson, .tif…)"))


def shapefile_parts(path: Path) -> dict[str, Path]:
    """The files of the shapefile ``path`` by lower-case suffix (``.dbf``, ``.prj`` …)."""
    stem = path.stem.lower()
    return {p.suffix.lower(): p for p in path.parent.iterdir()
            if p.stem.lower() == stem and p.is_file()}


def check_shapefile(path: Path, parts: dict[str, Path]) -> None:
    """A shapefile needs its ``.shx`` (where each shape starts) and its ``.dbf`` (the
    attributes): without the ``.dbf`` GDAL reads bare shapes, and every attribute (flood
    scenario, height, use …) silently becomes unknown."""
    for suffix, what in ((".dbf", Text("ses attributs (table .dbf)", "its attributes (the "
                                       ".dbf table)")),
                         (".shx", Text("son index (.shx)", "its index (.shx)"))):
        if suffix not in parts:
            raise JumeauError(
                Text("shapefile incomplet : il manque {w} ({f})", "incomplete shapefile: "
                     "{w} is missing ({f})").format(w=what, f=path.with_suffix(suffix).name),
                path=path, field=path.with_suffix(suffix).name,
                fix=Text("copiez tous les fichiers du shapefile ensemble (.shp, .shx, .dbf, "
                         ".prj, .cpg), ou exportez-le en GeoPackage",
                         "copy every file of the shapefile together (.shp, .shx, .dbf, .prj, "
                         ".cpg), or export it as a GeoPackage"))


def list_layers(path: Path) -> list[str]:
    """Layer names in a multi-layer file (GeoPackage), or ``[]``."""
    try:
        return [str(name) for name in pyogrio.list_layers(path)[:, 0]]
    except Exception:  # noqa: BLE001 - any failure means "not a multi-layer source"
        return []


def read_vector(path: Path, *, layer: str | None = None,
                encoding: str | None = None) -> gpd.GeoDataFrame:
    """Read a vector file with GDAL, turning every failure into a clear error.

    Shapefiles without a ``.cpg`` are read as UTF-8 (IGN's BD TOPO ships UTF-8 ``.dbf``
    files without one), falling back to Latin-1 if the bytes are not UTF-8.
    """
    require_file(path)
    refuse_archive(path)
    if path.suffix.lower() == ".shp":
        siblings = shapefile_parts(path)
        check_shapefile(path, siblings)
        if encoding is None and ".cpg" not in siblings:
            encoding = "utf-8"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = pyogrio.read_dataframe(path, layer=layer, encoding=encoding,
                                           on_invalid="ignore")
    except UnicodeDecodeError:
        frame = pyogrio.read_dataframe(path, layer=layer, encoding="latin-1",
                                       on_invalid="ignore")
    except pyogrio.errors.DataLayerError as exc:
        layers = list_layers(path)
        raise JumeauError(
            Text("couche « {l} » absente du fichier ({e})", "layer '{l}' not in the file ({e})"
                 ).format(l=layer, e=exc), path=path,
            fix=Text("couches disponibles : {c}", "available layers: {c}").format(
                c=", ".join(layers) or "—")) from None
    except Exception as exc:  # noqa: BLE001 - GDAL raises many types for corrupt files
        raise JumeauError(
            Text("fichier illisible ou corrompu ({e})", "unreadable or corrupt file ({e})"
                 ).format(e=str(exc).strip().splitlines()[0] if str(exc).strip() else
                          type(exc).__name__), path=path,
            fix=Text("ouvrez-le dans QGIS pour le vérifier, ou téléchargez-le à nouveau",
                     "open it in QGIS to check it, or download it again")) from None
    if not isinstance(frame, gpd.GeoDataFrame):
        raise JumeauError(Text("le fichier n'a pas de géométrie", "the file has no geometry"),
                          path=path, fix=Text("fournissez une couche géographique",
                                              "provide a spatial layer"))
    return frame


def find_column(frame: pd.DataFrame, *names: str) -> str | None:
    """The first of ``names`` present in ``frame``, whatever the case of either."""
    lower = {str(c).lower(): c for c in frame.columns}
    for name in names:
        hit = lower.get(name.lower())
        if hit is not None:
            return hit
    return None


def column(frame: pd.DataFrame, *names: str, default: object = None) -> pd.Series:
    """The first of ``names`` present (any case), else a column of ``default``."""
    hit = find_column(frame, *names)
    if hit is None:
        return pd.Series([default] * len(frame), index=frame.index, dtype=object)
    return frame[hit]


def text(series: pd.Series) -> np.ndarray:
    """Strings with missing values as '' and surrounding spaces removed."""
    return np.asarray(series.astype(object).where(series.notna(), "").astype(str).str.strip(),
                      dtype=object)


def number(series: pd.Series) -> np.ndarray:
    """Floats, NaN where missing or not a number (including text such as 'NC')."""
    return np.array(pd.to_numeric(series, errors="coerce"), dtype=float)


def repair_geometries(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int, int]:
    """Make geometries valid and drop empty ones.

    Returns the repaired frame, the number of geometries repaired and the number
    dropped (empty, missing, or degenerate after repair).
    """
    geoms = np.asarray(frame.geometry.values)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    invalid = ~missing & ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid])
        # make_valid may return collections: keep the parts of the original dimension.
        dim = shapely.get_dimensions(geoms[invalid])
        fixed = np.array([_keep_dimension(g, d) for g, d in zip(fixed, dim)], dtype=object)
        geoms = geoms.copy()
        geoms[invalid] = fixed
    dropped = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    out = frame.copy()
    out["geometry"] = geoms
    out = out[~dropped].reset_index(drop=True)
    return out, int(invalid.sum()), int(dropped.sum())


def _keep_dimension(geom: shapely.Geometry, dim: int) -> shapely.Geometry:
    if shapely.get_type_id(geom) != 7:  # not a GeometryCollection
        return geom if shapely.get_dimensions(geom) == dim else shapely.Polygon()
    parts = [p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == dim]
    if not parts:
        return shapely.Polygon()
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]
