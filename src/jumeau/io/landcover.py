"""Land-cover inputs of the heat model: a raster of integer codes, the biophysical table,
an ET0 raster.

- :func:`read_landcover_raster`: ``landcover: {path: lulc.tif}`` in a territory manifest;
  a projected CRS in metres is required (no CRS or degrees is refused), codes are
  reprojected by nearest neighbour to the territory's CRS when needed.
- :func:`read_biophysical_table` / :func:`check_biophysical_table`: an InVEST-style CSV
  (``lucode, kc, shade, albedo, green_area, building_intensity``), each column checked.
- :func:`default_biophysical_table`: the documented table shipped with jumeau
  (``jumeau/heat/data/biophysical_table.csv``).
- :func:`read_et0_raster`: reference evapotranspiration (mm/day).
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import rasterio
from pyproj import CRS
from rasterio import warp
from rasterio.enums import Resampling
from rasterio.errors import RasterioIOError

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.territory.terrain import Terrain

#: Columns of the biophysical table and their allowed range.
TABLE_RANGES = {"kc": (0.0, 1.5), "shade": (0.0, 1.0), "albedo": (0.0, 1.0),
                "green_area": (0.0, 1.0), "building_intensity": (0.0, 1.0)}


def _open(path: Path, what: Text):
    try:
        return rasterio.open(path)
    except RasterioIOError as exc:
        raise JumeauError(Text("{w} illisible : {e}", "unreadable {w}: {e}").format(w=what, e=exc),
                          path=path, fix=Text("donnez un GeoTIFF valide",
                                              "give a valid GeoTIFF")) from None


def _check_crs(src, path: Path, field: str) -> CRS:
    if src.crs is None:
        raise JumeauError(
            Text("le raster n'a pas de système de coordonnées", "the raster has no coordinate "
                 "reference system"), path=path, field=field,
            fix=Text("enregistrez-le avec son CRS (Lambert-93, EPSG:2154)",
                     "save it with its CRS (Lambert-93, EPSG:2154)"))
    crs = CRS.from_user_input(src.crs)
    if crs.is_geographic:
        raise JumeauError(
            Text("le raster est en degrés ({c}) : les distances du modèle demandent des "
                 "mètres", "the raster is in degrees ({c}): the model's distances need "
                 "metres").format(c=crs.to_string()), path=path, field=field,
            fix=Text("reprojetez-le en Lambert-93 (EPSG:2154)",
                     "reproject it to Lambert-93 (EPSG:2154)"))
    return crs


def read_landcover_raster(path: Path, crs: CRS) -> Terrain:
    """A land-cover raster of integer codes, in the territory's CRS.

    Returns a :class:`Terrain` whose ``elevation_m`` holds the codes as floats (NaN where
    the raster has no data). Cells must be square.
    """
    path = Path(path)
    with _open(path, Text("raster d'occupation du sol", "land-cover raster")) as src:
        src_crs = _check_crs(src, path, "landcover.path")
        data = src.read(1, masked=True)
        codes = data.astype("float64").filled(np.nan)
        transform = src.transform
        if abs(abs(transform.a) - abs(transform.e)) > 1e-6 * abs(transform.a) or transform.b \
                or transform.d:
            raise JumeauError(Text("les cellules du raster ne sont pas carrées et alignées "
                                   "nord-sud", "the raster's cells are not square and north-up"),
                              path=path, field="landcover.path",
                              fix=Text("rééchantillonnez-le sur une grille carrée",
                                       "resample it onto a square grid"))
        if not src_crs.equals(crs):
            dst_transform, width, height = warp.calculate_default_transform(
                src_crs, crs, src.width, src.height, *src.bounds, resolution=abs(transform.a))
            out = np.full((height, width), np.nan)
            warp.reproject(codes, out, src_transform=transform, src_crs=src_crs,
                           dst_transform=dst_transform, dst_crs=crs, src_nodata=np.nan,
                           dst_nodata=np.nan, resampling=Resampling.nearest)
            codes, transform = out, dst_transform
    finite = codes[np.isfinite(codes)]
    if finite.size == 0:
        raise JumeauError(Text("le raster d'occupation du sol est vide", "the land-cover raster "
                               "is empty"), path=path, field="landcover.path")
    if np.any(finite != np.round(finite)) or np.any(finite < 1):
        raise JumeauError(Text("le raster d'occupation du sol doit contenir des codes entiers "
                               "positifs", "the land-cover raster must hold positive integer "
                               "codes"), path=path, field="landcover.path",
                          fix=Text("un code entier ≥ 1 par classe, la valeur nodata ailleurs",
                                   "one integer code ≥ 1 per class, the nodata value elsewhere"))
    return Terrain(codes.astype(np.float32), transform, crs, source=str(path), method="landcover")


def check_biophysical_table(table: pd.DataFrame, path: str | Path | None) -> pd.DataFrame:
    """Validate an InVEST-style biophysical table; return it indexed by ``lucode``.

    Every problem is a :class:`JumeauError` naming the file and the column.
    """
    frame = table.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    needed = ("lucode", *TABLE_RANGES)
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise JumeauError(
            Text("colonne(s) manquante(s) dans la table biophysique : {c}",
                 "column(s) missing from the biophysical table: {c}").format(
                c=", ".join(missing)), path=path, field=missing[0],
            fix=Text("colonnes attendues : {a}", "expected columns: {a}").format(
                a=", ".join(needed)))
    codes = pd.to_numeric(frame["lucode"], errors="coerce")
    if codes.isna().any() or (codes != codes.round()).any():
        raise JumeauError(Text("lucode doit être un entier sur chaque ligne",
                               "lucode must be an integer on every row"), path=path,
                          field="lucode")
    if codes.duplicated().any():
        raise JumeauError(Text("code(s) en double : {c}", "duplicate code(s): {c}").format(
            c=", ".join(map(str, sorted(set(codes[codes.duplicated()].astype(int)))))),
            path=path, field="lucode")
    out = pd.DataFrame({"lucode": codes.astype(int)})
    for col, (lo, hi) in TABLE_RANGES.items():
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() | (values < lo) | (values > hi)
        if bad.any():
            rows = (np.flatnonzero(bad.to_numpy()) + 2).tolist()  # +2: header, 1-based
            raise JumeauError(
                Text("valeurs hors de {a}–{b} (ou non numériques) dans la colonne {c}, "
                     "ligne(s) {r}", "values outside {a}-{b} (or not numbers) in column {c}, "
                     "line(s) {r}").format(a=lo, b=hi, c=col, r=", ".join(map(str, rows[:8]))),
                path=path, field=col, line=rows[0],
                fix=Text("{c} est compris entre {a} et {b}", "{c} lies between {a} and {b}"
                         ).format(c=col, a=lo, b=hi))
        out[col] = values.astype(float)
    out = out.set_index("lucode")
    if "name" in frame.columns:
        out["name"] = frame["name"].astype(str).to_numpy()
    out.attrs["source"] = str(path) if path is not None else ""
    return out


def read_biophysical_table(path: Path) -> pd.DataFrame:
    """Read and validate a biophysical table CSV (see :func:`check_biophysical_table`)."""
    path = Path(path)
    try:
        table = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise JumeauError(Text("table biophysique illisible ({e})",
                               "unreadable biophysical table ({e})").format(e=exc), path=path,
                          fix=Text("un CSV : lucode, kc, shade, albedo, green_area, "
                                   "building_intensity", "a CSV: lucode, kc, shade, albedo, "
                                   "green_area, building_intensity")) from None
    return check_biophysical_table(table, path)


@functools.cache
def _default_table() -> pd.DataFrame:
    ref = resources.files("jumeau.heat").joinpath("data/biophysical_table.csv")
    with resources.as_file(ref) as path:
        return read_biophysical_table(path)


def default_biophysical_table() -> pd.DataFrame:
    """The documented default table (a copy), for the classes jumeau derives."""
    table = _default_table().copy()
    table.attrs["source"] = "jumeau/heat/data/biophysical_table.csv"
    return table


def read_et0_raster(path: Path) -> Terrain:
    """A reference-evapotranspiration raster (mm/day), NaN where it has no data, in its own
    projected CRS (the heat model resamples it onto its land-cover grid)."""
    path = Path(path)
    with _open(path, Text("raster d'ET0", "ET0 raster")) as src:
        src_crs = _check_crs(src, path, "et0.path")
        values = src.read(1, masked=True).astype("float64").filled(np.nan)
        transform = src.transform
    if np.nanmin(values, initial=0) < 0:
        raise JumeauError(Text("ET0 négative dans le raster", "negative ET0 in the raster"),
                          path=path, field="et0.path")
    return Terrain(values, transform, src_crs, source=str(path), method="raster")
