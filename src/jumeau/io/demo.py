"""The embedded demo territory on disk: where it lives and how it is (re)written.

:func:`write_demo` turns :func:`jumeau.demo.synth.synthesize` into files in the formats
of the real French sources (BD TOPO v3 GeoPackage, Géorisques TRI Shapefiles, INSEE
200 m grid, a GeoTIFF DEM), so that the demo goes through the same readers as real data.
Files are written in a temporary folder next to the target and moved into place, so a
failure never leaves a half-written demo.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyogrio
import rasterio

from jumeau.demo import plan
from jumeau.demo.synth import DemoTerritory, synthesize

#: Fixed date written where GDAL would write today's (same seed, same files).
FIXED_DATE = "2024-01-01"

MANIFEST = """\
name: Saint-Aubin-sur-Rive
crs: EPSG:2154
layers:
  boundary:    {path: bdtopo/bdtopo.gpkg, layer: commune, schema: bdtopo}
  buildings:   {path: bdtopo/bdtopo.gpkg, layer: batiment, schema: bdtopo}
  roads:       {path: bdtopo/bdtopo.gpkg, layer: troncon_de_route, schema: bdtopo}
  water:
    - {path: bdtopo/bdtopo.gpkg, layer: surface_hydrographique, schema: bdtopo}
    - {path: bdtopo/bdtopo.gpkg, layer: troncon_hydrographique, schema: bdtopo}
  vegetation:
    - {path: bdtopo/bdtopo.gpkg, layer: zone_de_vegetation, schema: bdtopo}
    - {path: bdtopo/bdtopo.gpkg, layer: zone_d_activite_ou_d_interet, schema: bdtopo}
  facilities:  {path: bdtopo/bdtopo.gpkg, layer: zone_d_activite_ou_d_interet, schema: bdtopo}
  flood_zones:
    - {path: georisques/n_tri_stau_inondable_s_099.shp, schema: georisques}
    - {path: georisques/n_tri_stau_iso_ht_02moy_s_099.shp, schema: georisques}
  population:  {path: insee/carreaux_200m.gpkg, schema: insee_grid}
  dem:         {path: mnt/mnt_5m.tif}
"""

BDTOPO_LAYERS = ("commune", "batiment", "troncon_de_route", "surface_hydrographique",
                 "troncon_hydrographique", "zone_de_vegetation",
                 "zone_d_activite_ou_d_interet")
TRI_ENVELOPES = "georisques/n_tri_stau_inondable_s_099.shp"
TRI_DEPTHS = "georisques/n_tri_stau_iso_ht_02moy_s_099.shp"
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def demo_path() -> Path:
    """Folder of the shipped demo territory (it holds ``territory.yaml``).

    The repository's ``data/demo`` when running from a checkout, else the copy packaged
    in the wheel (``jumeau/_data/demo``).
    """
    checkout = Path(__file__).resolve().parents[3] / "data" / "demo"
    if (checkout / "territory.yaml").exists():
        return checkout
    return Path(__file__).resolve().parents[1] / "_data" / "demo"


@contextlib.contextmanager
def _fixed_gdal_date() -> Iterator[None]:
    """Make GDAL write a fixed date in GeoPackage metadata (reproducible files)."""
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": f"{FIXED_DATE}T00:00:00.000Z"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


def write_demo(directory: Path, *, seed: int = 42) -> list[Path]:
    """Generate the demo commune and write it under ``directory``.

    Parameters
    ----------
    directory
        Target folder (created if needed); files already there with the same names are
        replaced, others are left alone.
    seed
        Seed of the synthesis; the same seed gives the same content.

    Returns
    -------
    list of Path
        The files written, in ``directory``.
    """
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    demo = synthesize(seed)
    tmp = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    try:
        relative = _write_all(demo, tmp, seed)
        written = []
        for rel in relative:
            target = directory / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp / rel, target)
            written.append(target)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write_all(demo: DemoTerritory, root: Path, seed: int) -> list[Path]:
    """Write every file of the demo under ``root``; return their relative paths."""
    out: list[Path] = []
    with _fixed_gdal_date():
        gpkg = Path("bdtopo/bdtopo.gpkg")
        (root / gpkg.parent).mkdir(parents=True, exist_ok=True)
        for name in BDTOPO_LAYERS:
            pyogrio.write_dataframe(demo.bdtopo[name], root / gpkg, layer=name, driver="GPKG",
                                    append=(root / gpkg).exists())
        out.append(gpkg)

        (root / "georisques").mkdir(exist_ok=True)
        for rel, frame in ((TRI_ENVELOPES, demo.flood_envelopes),
                           (TRI_DEPTHS, demo.flood_depths)):
            pyogrio.write_dataframe(frame, root / rel, driver="ESRI Shapefile",
                                    encoding="UTF-8",
                                    layer_options={"DBF_DATE_LAST_UPDATE": FIXED_DATE})
            out += [Path(rel).with_suffix(s) for s in SHAPEFILE_PARTS]

        grid = Path("insee/carreaux_200m.gpkg")
        (root / grid.parent).mkdir(exist_ok=True)
        pyogrio.write_dataframe(demo.population_grid, root / grid, layer="carreaux_200m",
                                driver="GPKG")
        out.append(grid)

        landmarks = Path("landmarks.geojson")
        pyogrio.write_dataframe(demo.landmarks, root / landmarks, driver="GeoJSON",
                                layer_options={"COORDINATE_PRECISION": 2})
        out.append(landmarks)

    dem = Path("mnt/mnt_5m.tif")
    (root / dem.parent).mkdir(exist_ok=True)
    write_dem(demo.dem_m, demo.transform, root / dem)
    out.append(dem)

    (root / "territory.yaml").write_text(MANIFEST, encoding="utf-8")
    out.append(Path("territory.yaml"))
    (root / "README.md").write_text(readme(demo, seed), encoding="utf-8")
    out.append(Path("README.md"))
    return out


def write_dem(elevation_m: np.ndarray, transform, path: Path) -> None:
    """Write a DEM as a tiled, DEFLATE-compressed float32 GeoTIFF (nodata −99999)."""
    rows, cols = elevation_m.shape
    profile = {
        "driver": "GTiff", "width": cols, "height": rows, "count": 1, "dtype": "float32",
        "crs": plan.CRS, "transform": transform, "nodata": -99999.0, "tiled": True,
        "blockxsize": 256, "blockysize": 256, "compress": "deflate", "predictor": 3,
        "zlevel": 9,
    }
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(elevation_m.astype(np.float32), 1)


def readme(demo: DemoTerritory, seed: int) -> str:
    """The README of the demo folder, with the figures of this generation."""
    from jumeau.demo.report import describe

    return describe(demo, seed)


def scenarios_path() -> Path:
    """The ready scenario files shipped with jumeau (``scenarios/`` of the repository, or
    the copy packaged in the wheel)."""
    repo = Path(__file__).resolve().parents[3] / "scenarios"
    if repo.is_dir():
        return repo
    return Path(__file__).resolve().parents[1] / "_data" / "scenarios"


def ready_scenarios() -> dict[str, Path]:
    """The ready scenario files shipped with jumeau, by name (file name without .yaml).

    Examples
    --------
    >>> "exposition" in ready_scenarios()
    True
    """
    return {p.stem: p for p in sorted(scenarios_path().glob("*.yaml"))}


def resolve_scenario(spec: str | Path) -> Path:
    """The scenario file ``spec`` names: a path that exists, else a ready scenario's name
    (``exposition`` or ``exposition.yaml``), found from any folder.

    Raises
    ------
    JumeauError
        When it is neither, with the ready scenarios' names (and the closest one).

    Examples
    --------
    >>> resolve_scenario("exposition").name
    'exposition.yaml'
    """
    from jumeau.errors import JumeauError, did_you_mean
    from jumeau.i18n import Text

    path = Path(spec)
    if path.exists():
        return path
    ready = ready_scenarios()
    name = _name(path)
    if path.parent == Path(".") and name in ready:
        return ready[name]
    raise JumeauError(
        Text("fichier introuvable (et ce n'est pas le nom d'un scénario prêt)",
             "file not found (nor the name of a ready scenario)"), path=path,
        fix=did_you_mean(name, ready) or Text(
            "vérifiez le chemin, ou donnez un scénario prêt : {n} (jumeau scenarios)",
            "check the path, or give a ready scenario: {n} (jumeau scenarios)").format(
            n=", ".join(ready) or "—"))


def _name(path: Path) -> str:
    """A scenario's name from its file name (``exposition.yaml`` → ``exposition``)."""
    return path.name.removesuffix(".yaml").removesuffix(".yml")


def ready_files(names: list[str]) -> list[Path]:
    """The ready scenario files, or those ``names`` name (``exposition`` or
    ``exposition.yaml``, in the order given, once each).

    Raises
    ------
    JumeauError
        When some name no ready scenario has, naming them all, with the closest ready
        one (or the list of ready ones).

    Examples
    --------
    >>> [p.name for p in ready_files(["exposition.yaml", "exposition"])]
    ['exposition.yaml']
    """
    from jumeau.errors import JumeauError, did_you_mean
    from jumeau.i18n import Text

    ready = ready_scenarios()
    if not names:
        return list(ready.values())
    stems = [_name(Path(n)) for n in names]
    unknown = [n for n in stems if n not in ready]
    if unknown:
        raise JumeauError(
            Text("pas de scénario prêt de ce nom : {n}", "no ready scenario of that name: "
                 "{n}").format(n=", ".join(unknown)),
            fix=did_you_mean(unknown[0], ready) or Text(
                "scénarios prêts : {r} (jumeau scenarios)",
                "ready scenarios: {r} (jumeau scenarios)").format(r=", ".join(ready)))
    return [ready[n] for n in dict.fromkeys(stems)]
