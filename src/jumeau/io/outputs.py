"""Writing a run's outputs, all or nothing.

Every file of a run is first written to a staging folder next to the output folder,
then moved into place (``os.replace``, atomic on one file system), so an interrupted or
failed run never leaves a half-written file that looks complete.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import yaml

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.scenario.result import Indicator, Raster


class Staging:
    """A staging folder whose files are moved into the output folder on success."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.names: list[str] = []

    def path(self, name: str) -> Path:
        self.names.append(name)
        return self.root / name

    def write_text(self, name: str, text: str) -> None:
        self.path(name).write_text(text, encoding="utf-8")

    def write_json(self, name: str, data: object) -> None:
        self.write_text(name, json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
                        + "\n")


@contextmanager
def staged(out_dir: Path) -> Iterator[Staging]:
    """Write into a staging folder; on success move every file into ``out_dir``."""
    out_dir = Path(out_dir)
    parent = out_dir.parent if out_dir.parent != Path("") else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        root = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=parent))
    except OSError as exc:
        raise JumeauError(Text("impossible d'écrire dans le dossier de sortie ({e})",
                               "cannot write to the output folder ({e})").format(e=exc.strerror),
                          path=out_dir, fix=Text("choisissez un autre dossier avec --out",
                                                 "choose another folder with --out")) from None
    stage = Staging(root)
    try:
        yield stage
        out_dir.mkdir(parents=True, exist_ok=True)
        for name in stage.names:
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(root / name, target)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Write one text file atomically (temporary file, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def indicators_csv(rows: list[tuple[str, Indicator]], lang: str) -> str:
    """``kind,name,value,unit,label`` rows."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["kind", "name", "value", "unit", "label"])
    for kind, ind in rows:
        v = float(ind.value)
        w.writerow([kind, ind.name, "" if not np.isfinite(v) else repr(v) if not v.is_integer()
                    else int(v), ind.unit, ind.label.render(lang)])
    return buf.getvalue()


def write_layers(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    """Every non-empty layer into one GeoPackage (one table per layer)."""
    first = True
    for name, frame in layers.items():
        if frame is None or not len(frame):
            continue
        frame = frame.copy()
        for col in frame.columns:
            if frame[col].dtype == bool:
                frame[col] = frame[col].astype("int8")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame.to_file(path, layer=name, driver="GPKG", mode="w" if first else "a")
        first = False


def write_raster(path: Path, raster: Raster) -> None:
    """A result grid as a compressed GeoTIFF (NaN as nodata)."""
    values = np.asarray(raster.values, dtype="float32")
    g = raster.grid
    with rasterio.open(path, "w", driver="GTiff", width=values.shape[1], height=values.shape[0],
                       count=1, dtype="float32", crs=g.crs, transform=g.transform,
                       nodata=np.nan, compress="deflate", tiled=values.shape[1] >= 256 and
                       values.shape[0] >= 256) as dst:
        dst.write(values, 1)
        dst.update_tags(unit=raster.unit, description=raster.label.render("en"))


def yaml_dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

