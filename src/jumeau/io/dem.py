"""Terrain readers: DEM rasters, elevation points, and a terrain derived from 3-D vectors.

- :func:`read_dem_raster`: GeoTIFF, ESRI ASCII grid (``.asc``) or any GDAL raster;
  reprojected to the territory's CRS when needed, optionally resampled, cropped to the
  territory, nodata holes filled by interpolation (and counted).
- :func:`grid_points`: scattered or gridded elevation points (e.g. BD ALTI points)
  interpolated linearly on a regular grid (nearest value outside their hull).
- :func:`derive_terrain`: when there is no DEM at all, a coarse terrain built from the
  Z of BD TOPO road and water vertices and the ground altitude of buildings, labelled
  *derived* with its resolution.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import rasterio
import shapely
from affine import Affine
from pyproj import CRS
from rasterio import warp
from rasterio.errors import RasterioIOError
from scipy.interpolate import LinearNDInterpolator, NearestNDInterpolator
from scipy.spatial import QhullError, cKDTree

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.io.vector import find_column, read_vector, refuse_archive, require_file
from jumeau.territory.terrain import Terrain

Bounds = tuple[float, float, float, float]

#: Margin kept around the territory when cropping a DEM (m).
CROP_MARGIN_M = 200.0


def _snap_bounds(bounds: Bounds, res: float) -> Bounds:
    x0, y0, x1, y1 = bounds
    return (math.floor(x0 / res) * res, math.floor(y0 / res) * res,
            math.ceil(x1 / res) * res, math.ceil(y1 / res) * res)


def read_dem_raster(path: Path, crs: CRS, *, bounds: Bounds | None = None,
                    resolution_m: float | None = None, source_crs: str | None = None,
                    fill_holes: bool = True) -> Terrain:
    """Read a DEM raster onto a north-up grid in ``crs``.

    Parameters
    ----------
    path
        GeoTIFF, ``.asc`` or other GDAL raster.
    crs
        The territory's CRS; the DEM is reprojected (bilinear) when it differs.
    bounds
        Territory extent: the DEM is cropped to it plus :data:`CROP_MARGIN_M`.
    resolution_m
        Resample to this cell size (default: keep the source's).
    source_crs
        CRS of a raster that carries none (e.g. an ``.asc`` without ``.prj``).
    fill_holes
        Fill nodata cells inside the DEM by interpolation (else a hole is an error).
    """
    require_file(path)
    refuse_archive(path)
    try:
        src = rasterio.open(path)
    except RasterioIOError as exc:
        raise JumeauError(
            Text("MNT illisible ou corrompu ({e})", "unreadable or corrupt DEM ({e})").format(
                e=str(exc).split("\n")[0]), path=path,
            fix=Text("fournissez un GeoTIFF ou une grille ASCII (.asc) valide",
                     "provide a valid GeoTIFF or ASCII grid (.asc)")) from None
    with src:
        src_crs = CRS.from_user_input(source_crs) if source_crs else (
            CRS.from_user_input(src.crs) if src.crs else None)
        if src_crs is None:
            raise JumeauError(
                Text("le MNT n'a pas de système de coordonnées", "the DEM has no coordinate "
                     "reference system"), path=path, field="crs",
                fix=Text("ajoutez un fichier .prj, ou `crs: EPSG:2154` à l'entrée `dem:` du "
                         "manifeste", "add a .prj file, or `crs: EPSG:2154` to the manifest's "
                         "`dem:` entry"))
        if src.transform.b != 0 or src.transform.d != 0:
            raise JumeauError(Text("MNT tourné non pris en charge", "rotated DEM not supported"),
                              path=path, fix=Text("réalignez-le nord-sud (gdalwarp)",
                                                  "warp it north-up (gdalwarp)"))
        if src_crs.is_geographic and not resolution_m:
            raise JumeauError(
                Text("le MNT est en coordonnées géographiques ({c}, degrés) : le reprojeter "
                     "demande de choisir une taille de maille (environ {r:.1f} m ici), qui "
                     "change les résultats", "the DEM is in geographic coordinates ({c}, "
                     "degrees): reprojecting it needs a cell size (about {r:.1f} m here), "
                     "which changes the results").format(c=src_crs.to_string(),
                                                         r=_metres(src, src_crs)),
                path=path, field="resolution_m",
                fix=Text("reprojetez-le vous-même (gdalwarp -t_srs EPSG:2154 -tr 5 5), ou "
                         "choisissez la maille dans le manifeste : `dem: {{path: …, "
                         "resolution_m: 5}}`", "reproject it yourself (gdalwarp -t_srs "
                         "EPSG:2154 -tr 5 5), or choose the cell size in the manifest: "
                         "`dem: {{path: …, resolution_m: 5}}`"))
        square = abs(abs(src.transform.a) - abs(src.transform.e)) <= 1e-6 * abs(src.transform.a)
        notes: tuple[Text, ...] = ()
        try:
            if src_crs == crs and square and not resolution_m:
                # Same grid: read only the window covering the territory.
                window = _window(src, bounds) if bounds is not None else None
                data = src.read(1, window=window).astype(np.float32)
                transform = src.window_transform(window) if window is not None else \
                    src.transform
                elevation = _nodata_to_nan(data, src.nodata)
            else:
                elevation, transform = _warp(src, src_crs, crs, bounds, resolution_m, path)
                notes = (Text("MNT {f} rééchantillonné (bilinéaire) de {s} vers {t}, mailles "
                              "de {r:g} m", "DEM {f} resampled (bilinear) from {s} to {t}, "
                              "{r:g} m cells").format(f=path.name, s=src_crs.to_string(),
                                                      t=crs.to_string(), r=abs(transform.a)),)
        except RasterioIOError as exc:
            raise JumeauError(
                Text("MNT illisible ou tronqué ({e})", "unreadable or truncated DEM ({e})"
                     ).format(e=str(exc).split("\n")[0]), path=path,
                fix=Text("téléchargez-le à nouveau, ou vérifiez-le avec gdalinfo -checksum",
                         "download it again, or check it with gdalinfo -checksum")) from None
    return _finish(elevation, transform, crs, path, fill_holes, source=path.name, notes=notes)


#: Largest grid a DEM may be resampled onto (cells): 2.5e8 float32 cells are 1 GB.
MAX_DEM_CELLS = 250_000_000


def _warp(src, src_crs: CRS, crs: CRS, bounds: Bounds | None,
          resolution_m: float | None, path: Path) -> tuple[np.ndarray, Affine]:
    """Reproject / resample band 1 of ``src`` onto a square grid in ``crs`` (bilinear)."""
    if resolution_m:
        res = float(resolution_m)
    elif src_crs.is_geographic:
        res = _metres(src, src_crs)
    else:
        res = float(min(abs(src.transform.a), abs(src.transform.e)))
    full = warp.transform_bounds(src_crs, crs, *src.bounds)
    box = full if bounds is None else _intersect(full, _grow(bounds, CROP_MARGIN_M))
    if box is None:
        return np.zeros((0, 0), np.float32), Affine.identity()
    x0, y0, x1, y1 = _snap_bounds(box, res)
    nx = max(1, int(round((x1 - x0) / res)))
    ny = max(1, int(round((y1 - y0) / res)))
    if nx * ny > MAX_DEM_CELLS:
        raise JumeauError(
            Text("le MNT rééchantillonné ferait {n:.2g} cellules de {r:g} m : trop grand",
                 "the resampled DEM would have {n:.2g} cells of {r:g} m: too large").format(
                n=float(nx) * ny, r=res), path=path, field="resolution_m",
            fix=Text("donnez une maille plus grosse (`resolution_m`) ou une emprise "
                     "(`extent`) plus petite", "give a coarser cell (`resolution_m`) or a "
                     "smaller `extent`"))
    transform = Affine(res, 0, x0, 0, -res, y1)
    elevation = np.full((ny, nx), np.nan, np.float32)
    source = src.read(1).astype(np.float32)  # RasterioIOError when truncated
    source = _nodata_to_nan(source, src.nodata)
    warp.reproject(source, elevation, src_transform=src.transform, src_crs=src_crs,
                   src_nodata=np.nan, dst_transform=transform, dst_crs=crs, dst_nodata=np.nan,
                   resampling=warp.Resampling.bilinear)
    return elevation, transform


def _window(src, bounds: Bounds):
    """The window of whole cells of ``src`` covering ``bounds`` plus the crop margin."""
    from rasterio.windows import Window

    box = _intersect(tuple(src.bounds), _grow(bounds, CROP_MARGIN_M))
    if box is None:
        return Window(0, 0, 0, 0)
    inv = ~src.transform
    cols = [inv.a * x + inv.b * y + inv.c for x, y in ((box[0], box[3]), (box[2], box[1]))]
    rows = [inv.d * x + inv.e * y + inv.f for x, y in ((box[0], box[3]), (box[2], box[1]))]
    c0, c1 = max(0, math.floor(min(cols))), min(src.width, math.ceil(max(cols)))
    r0, r1 = max(0, math.floor(min(rows))), min(src.height, math.ceil(max(rows)))
    return Window(c0, r0, max(0, c1 - c0), max(0, r1 - r0))


def _metres(src, src_crs: CRS) -> float:
    """Approximate cell size in metres of a geographic raster."""
    lat = (src.bounds.top + src.bounds.bottom) / 2
    return abs(src.transform.a) * 111_320 * math.cos(math.radians(lat))


def _grow(bounds: Bounds, margin: float) -> Bounds:
    return (bounds[0] - margin, bounds[1] - margin, bounds[2] + margin, bounds[3] + margin)


def _intersect(a: Bounds, b: Bounds) -> Bounds | None:
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return box if box[0] < box[2] and box[1] < box[3] else None


def _nodata_to_nan(data: np.ndarray, nodata: float | None) -> np.ndarray:
    if nodata is not None and not np.isnan(nodata):
        data[data == nodata] = np.nan
    data[(data < -1000) | (data > 9000)] = np.nan  # sentinels such as -99999 or 9999
    return data


def _finish(elevation: np.ndarray, transform: Affine, crs: CRS, path: Path, fill_holes: bool,
            *, source: str, derived: bool = False, notes: tuple = ()) -> Terrain:
    if elevation.size == 0 or np.isnan(elevation).all():
        raise JumeauError(
            Text("le MNT ne contient aucune valeur sur l'emprise du territoire",
                 "the DEM holds no value over the territory's extent"), path=path,
            fix=Text("vérifiez que le MNT couvre bien la commune (même zone, même système de "
                     "coordonnées)", "check that the DEM covers the commune (same area, same "
                     "coordinate system)"))
    holes = np.isnan(elevation)
    filled = int(holes.sum())
    if filled:
        if not fill_holes:
            raise JumeauError(
                Text("le MNT a {n} cellules sans donnée ({p:.1f} %)", "the DEM has {n} nodata "
                     "cells ({p:.1f} %)").format(n=filled, p=100 * filled / holes.size),
                path=path, field="fill_holes",
                fix=Text("comblez les trous (gdal_fillnodata) ou mettez `fill_holes: true`",
                         "fill the holes (gdal_fillnodata) or set `fill_holes: true`"))
        elevation = _fill(elevation)
    return Terrain(elevation_m=elevation.astype(np.float32), transform=transform, crs=crs,
                   derived=derived, source=source, filled_cells=filled, notes=tuple(notes))


def _fill(elevation: np.ndarray) -> np.ndarray:
    """Fill NaN cells by linear interpolation between the valid cells around each hole.

    Exact on planes; holes reaching the grid edge take the nearest valid value there.
    """
    from scipy import ndimage

    holes = ~np.isfinite(elevation)
    rim = ndimage.binary_dilation(holes, structure=np.ones((3, 3), bool)) & ~holes
    rr, rc = np.nonzero(rim)
    hr, hc = np.nonzero(holes)
    known = np.column_stack([rr, rc]).astype(float)
    values = elevation[rr, rc].astype(float)
    filled = elevation.copy()
    try:
        interp = LinearNDInterpolator(known, values)(hr.astype(float), hc.astype(float))
    except QhullError:  # too few or collinear rim cells: nearest values below
        interp = np.full(len(hr), np.nan)
    miss = ~np.isfinite(interp)
    if miss.any():
        vr, vc = np.nonzero(~holes)
        _, idx = cKDTree(np.column_stack([vr, vc])).query(np.column_stack([hr[miss], hc[miss]]))
        interp[miss] = elevation[vr[idx], vc[idx]]
    filled[hr, hc] = interp
    return filled


def grid_points(x: np.ndarray, y: np.ndarray, z: np.ndarray, crs: CRS, *,
                resolution_m: float | None = None, bounds: Bounds | None = None,
                source: str = "", method: str = "points", derived: bool = False,
                path: Path | None = None, notes: tuple = ()) -> Terrain:
    """Interpolate elevation points onto a regular grid.

    Linear (Delaunay) interpolation inside the points' convex hull, nearest value outside.
    The default resolution is the median distance between neighbouring points; cell
    centres fall on the points' lattice, so points already on a grid are kept exactly.
    """
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(z)
    x, y, z = x[ok], y[ok], z[ok]
    if len(x) < 3:
        raise JumeauError(
            Text("pas assez de points d'altitude ({n}) pour construire un terrain",
                 "not enough elevation points ({n}) to build a terrain").format(n=len(x)),
            path=path, fix=Text("fournissez un MNT raster ou plus de points",
                                "provide a raster DEM or more points"))
    xy = np.column_stack([x, y])
    if resolution_m is None:
        d, _ = cKDTree(xy).query(xy, k=2)
        resolution_m = float(max(1.0, np.median(d[:, 1])))
    box = bounds or (x.min(), y.min(), x.max(), y.max())
    off_x = (x.min() - resolution_m / 2) % resolution_m
    off_y = (y.min() - resolution_m / 2) % resolution_m
    x0, y0, x1, y1 = _snap_bounds((box[0] - off_x, box[1] - off_y, box[2] - off_x,
                                   box[3] - off_y), resolution_m)
    x0, x1, y0, y1 = x0 + off_x, x1 + off_x, y0 + off_y, y1 + off_y
    # Dense vertices (roads digitised every few metres) add nothing at this resolution
    # but make the triangulation slow: average them in bins of half a cell.
    xy, z = _thin(xy, z, resolution_m / 2)
    nx = max(1, int(round((x1 - x0) / resolution_m)))
    ny = max(1, int(round((y1 - y0) / resolution_m)))
    transform = Affine(resolution_m, 0, x0, 0, -resolution_m, y1)
    cx = x0 + (np.arange(nx) + 0.5) * resolution_m
    cy = y1 - (np.arange(ny) + 0.5) * resolution_m
    gx, gy = np.meshgrid(cx, cy)
    from jumeau.io._tin import tin_grid  # numba: loaded only when points are gridded

    try:
        linear = tin_grid(xy[:, 0], xy[:, 1], z, x0, y1, resolution_m, (ny, nx))
    except QhullError:  # all points on a line: no triangle, nearest values below
        linear = np.full(gx.shape, np.nan)
    # Outside the points' hull: the nearest point's value.
    missing = np.isnan(linear)
    if missing.any():
        linear[missing] = NearestNDInterpolator(xy, z)(gx[missing], gy[missing])
    return Terrain(elevation_m=linear.astype(np.float32), transform=transform, crs=crs,
                   derived=derived, source=source, method=method, notes=tuple(notes))


def _thin(xy: np.ndarray, z: np.ndarray, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Mean position and height of the points in each ``step``-sized bin."""
    keys = np.floor(xy / step).astype(np.int64)
    _, inverse, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    if len(counts) == len(z):
        return xy, z
    mean = lambda v: np.bincount(inverse, weights=v) / counts
    return np.column_stack([mean(xy[:, 0]), mean(xy[:, 1])]), mean(z)


def read_dem_points(path: Path, field: str | None, crs: CRS, *, resolution_m: float | None,
                    bounds: Bounds | None, layer: str | None = None,
                    source_crs: str | None = None) -> Terrain:
    """Elevation points (GeoJSON, Shapefile, CSV with geometry…) → a gridded terrain.

    The height comes from ``field``, else from the points' Z coordinate.
    """
    frame = read_vector(path, layer=layer)
    if frame.crs is None and source_crs is None:
        raise JumeauError(
            Text("les points d'altitude n'ont pas de système de coordonnées",
                 "the elevation points have no coordinate reference system"), path=path,
            field="crs", fix=Text("ajoutez `crs: EPSG:2154` à l'entrée `dem:`",
                                  "add `crs: EPSG:2154` to the `dem:` entry"))
    if source_crs:
        frame = frame.set_crs(source_crs, allow_override=True)
    frame = frame.to_crs(crs)
    pts = shapely.get_coordinates(frame.geometry.values, include_z=True)
    if field:
        hit = find_column(frame, field)
        if hit is None:
            from jumeau.errors import did_you_mean

            cols = [str(c) for c in frame.columns if c != "geometry"]
            raise JumeauError(
                Text("colonne d'altitude « {f} » absente", "elevation column '{f}' is missing"
                     ).format(f=field), path=path, field="field",
                fix=did_you_mean(field, cols) or Text("colonnes : {c}", "columns: {c}").format(
                    c=", ".join(cols) or "—"))
        z = frame[hit].to_numpy(dtype=float)
        centre = shapely.centroid(frame.geometry.values)
        x, y = shapely.get_x(centre), shapely.get_y(centre)
    else:
        x, y, z = pts[:, 0], pts[:, 1], pts[:, 2]
    z = np.where((z < -1000) | (z > 9000), np.nan, z)
    if bounds is not None:
        box = _grow(bounds, CROP_MARGIN_M)
        keep = (x >= box[0]) & (x <= box[2]) & (y >= box[1]) & (y <= box[3])
        if keep.sum() >= 3:
            x, y, z = x[keep], y[keep], z[keep]
            pts_box = (max(box[0], x.min()), max(box[1], y.min()), min(box[2], x.max()),
                       min(box[3], y.max()))
        else:
            pts_box = None
    else:
        pts_box = None
    return grid_points(x, y, z, crs, resolution_m=resolution_m, bounds=pts_box,
                       source=path.name, method="points", path=path)


def derive_terrain(layers: dict, crs: CRS, bounds: Bounds, *,
                   resolution_m: float = 25.0) -> Terrain:
    """A terrain derived from the heights carried by vector layers.

    Uses the Z of road vertices (bridges and tunnels excluded: they are not at ground
    level), of water vertices, and the ground altitude of buildings (``ground_z_m``).
    Only as good as those heights (often ±1–2 m in BD TOPO): labelled *derived*.
    """
    xs, ys, zs = [], [], []
    roads = layers.get("roads")
    if roads is not None and len(roads):
        ground = roads[~(roads["bridge"] | roads["tunnel"])]
        c = shapely.get_coordinates(ground.geometry.values, include_z=True)
        xs.append(c[:, 0]), ys.append(c[:, 1]), zs.append(c[:, 2])
    water = layers.get("water")
    if water is not None and len(water):
        c = shapely.get_coordinates(water.geometry.values, include_z=True)
        xs.append(c[:, 0]), ys.append(c[:, 1]), zs.append(c[:, 2])
    buildings = layers.get("buildings")
    if buildings is not None and len(buildings):
        z = buildings["ground_z_m"].to_numpy(dtype=float)
        p = shapely.point_on_surface(buildings.geometry.values)
        xs.append(shapely.get_x(p)), ys.append(shapely.get_y(p)), zs.append(z)
    if not xs:
        x = y = z = np.zeros(0)
    else:
        x, y, z = np.concatenate(xs), np.concatenate(ys), np.concatenate(zs)
    # Missing Z comes back as NaN (2-D data) or 0; sentinels as 9999 / -99999.
    ok = np.isfinite(z) & (z != 0) & (z > -500) & (z < 9000)
    box = _grow(bounds, CROP_MARGIN_M)
    ok &= (x >= box[0]) & (x <= box[2]) & (y >= box[1]) & (y <= box[3])
    if ok.sum() < 3:
        raise JumeauError(
            Text("impossible de dériver un terrain : les couches n'ont pas d'altitudes (Z)",
                 "cannot derive a terrain: the layers carry no heights (Z)"),
            field="dem.derive",
            fix=Text("fournissez un MNT (RGE ALTI, LiDAR HD) avec `dem: {path: …}`",
                     "provide a DEM (RGE ALTI, LiDAR HD) with `dem: {path: …}`"))
    note = Text("terrain dérivé des altitudes de la BD TOPO ({n} points, maille {r:g} m) : "
                "précision de l'ordre du mètre", "terrain derived from BD TOPO heights ({n} "
                "points, {r:g} m cells): metre-level accuracy").format(n=int(ok.sum()),
                                                                       r=resolution_m)
    return grid_points(x[ok], y[ok], z[ok], crs, resolution_m=resolution_m, bounds=box,
                       source="", method="derived", derived=True, notes=(note,))
