"""Writing a run's outputs, all or nothing.

Every file of a run is first written to a staging folder next to the output folder,
then moved into place (``os.replace``, atomic on one file system), so an interrupted or
failed run never leaves a half-written file that looks complete.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import glob
import io
import json
import os
import secrets
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
        target = self.root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write_text(self, name: str, text: str) -> None:
        self.path(name).write_text(text, encoding="utf-8")

    def write_json(self, name: str, data: object) -> None:
        self.write_text(name, json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
                        + "\n")


#: A file every jumeau output folder holds: a previous output is recognised by it.
MARKER = ".jumeau-output"


def _is_previous_output(folder: Path) -> bool:
    return (folder / MARKER).is_file()


def _parent(out_dir: Path) -> Path:
    return out_dir.parent if out_dir.parent != Path("") else Path(".")


#: What the system says when writing fails, in both languages.
_OS_REASONS = {
    errno.ENOENT: Text("chemin inexistant", "no such file or directory"),
    errno.EACCES: Text("permission refusée", "permission denied"),
    errno.EPERM: Text("opération non permise", "operation not permitted"),
    errno.EROFS: Text("disque en lecture seule", "read-only file system"),
    errno.ENOSPC: Text("disque plein", "no space left on device"),
    errno.EDQUOT: Text("quota de disque dépassé", "disk quota exceeded"),
    errno.ENOTDIR: Text("un élément du chemin n'est pas un dossier", "a part of the path is "
                        "not a folder"),
    errno.ENOTEMPTY: Text("dossier non vide", "folder not empty"),
    errno.EXDEV: Text("autre disque que le dossier parent", "another disk than the parent "
                      "folder"),
}


def os_reason(exc: OSError) -> Text:
    """Why an OS call failed, in both languages."""
    known = _OS_REASONS.get(exc.errno)
    if known is not None:
        return known
    return Text("erreur système {n}", "{m}").format(n=exc.errno, m=exc.strerror or exc)


def _cannot_write(out_dir: Path, exc: OSError) -> JumeauError:
    return JumeauError(
        Text("impossible d'écrire le dossier de sortie ({e})", "cannot write the output "
             "folder ({e})").format(e=os_reason(exc)), path=out_dir, field="--out",
        fix=Text("choisissez avec --out un dossier où vous pouvez écrire (droits, disque "
                 "plein ou en lecture seule ?)", "choose with --out a folder you can write to "
                 "(permissions, full or read-only disk?)"))


def _probe(folder: Path) -> None:
    """Create and remove a folder in ``folder``: the only sure test of writing there (as
    root, or on a read-only mount, permission bits say nothing)."""
    probe = Path(tempfile.mkdtemp(prefix=".jumeau-probe-", dir=folder))
    probe.rmdir()


def check_target(out_dir: Path, *, force: bool = False) -> None:
    """Fail before any work when ``out_dir`` cannot receive a run's outputs.

    It may not exist yet, be empty, or hold a previous jumeau output (replaced whole);
    a folder holding other files is refused unless ``force`` (it is then replaced whole
    too); it may not be a file, and it and its parent must be writable. Staging folders
    left by a run that was killed are removed here.
    """
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise JumeauError(Text("le dossier de sortie est un fichier", "the output folder is a "
                               "file"), path=out_dir, field="--out",
                          fix=Text("choisissez un dossier avec --out", "choose a folder with "
                                   "--out"))
    if out_dir.is_dir() and any(out_dir.iterdir()) and not _is_previous_output(out_dir) \
            and not force:
        raise JumeauError(Text("le dossier de sortie contient d'autres fichiers que des "
                               "résultats de jumeau", "the output folder holds files that are "
                               "not jumeau outputs"), path=out_dir, field="--out",
                          fix=Text("choisissez un dossier vide ou nouveau avec --out, ou "
                                   "ajoutez --force pour le remplacer entièrement (ses fichiers "
                                   "seront supprimés)", "choose an empty or new folder with "
                                   "--out, or add --force to replace it whole (its files will "
                                   "be deleted)"))
    ancestor = _parent(out_dir)
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if ancestor.exists() and not ancestor.is_dir():
        raise JumeauError(Text("le chemin de sortie passe par un fichier ({f})",
                               "the output path goes through a file ({f})").format(f=ancestor),
                          path=out_dir, field="--out",
                          fix=Text("choisissez un autre dossier avec --out",
                                   "choose another folder with --out"))
    try:
        _probe(ancestor)
        if out_dir.is_dir():
            _probe(out_dir)  # moving a folder aside needs the right to write in it
    except OSError as exc:
        raise _cannot_write(out_dir, exc) from None
    clean_leftovers(out_dir)


def _lock_path(folder: Path) -> Path:
    return folder.with_name(folder.name + ".lock")


def _hold_lock(path: Path, *, wait: bool) -> int | None:
    """An open descriptor holding an exclusive ``flock`` on ``path``, or None when
    another process holds it (``wait=False``). The lock dies with its process, even
    killed with SIGKILL."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def _release(fd: int | None, path: Path | None = None) -> None:
    if fd is None:
        return
    if path is not None:
        path.unlink(missing_ok=True)
    os.close(fd)


def clean_leftovers(out_dir: Path) -> list[Path]:
    """Remove the staging folders that runs into ``out_dir`` left when they were killed
    (SIGKILL, power cut), and put back a previous output a killed swap had moved aside.

    A staging folder belongs to a live run as long as that run holds the lock beside it;
    those are left alone. Returns the folders removed.
    """
    out_dir = Path(out_dir)
    parent = _parent(out_dir)
    if not parent.is_dir():
        return []
    removed = []
    for kind in ("partial", "old"):
        for folder in sorted(parent.glob(f".{glob.escape(out_dir.name)}.{kind}-*")):
            if not folder.is_dir():
                continue
            lock = _lock_path(folder)
            fd = _hold_lock(lock, wait=False)
            if fd is None:
                continue  # a live run's
            try:
                previous = folder / "previous"
                if kind == "old" and previous.is_dir() and not out_dir.exists():
                    os.replace(previous, out_dir)
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
            finally:
                _release(fd, lock)
    return removed


def _new_locked_folder(parent: Path, prefix: str) -> tuple[Path, int]:
    """A new folder in ``parent`` and the lock that marks it as in use (taken before the
    folder exists, so that :func:`clean_leftovers` never sees it unlocked)."""
    while True:
        root = parent / f"{prefix}{secrets.token_hex(4)}"
        fd = _hold_lock(_lock_path(root), wait=True)
        try:
            root.mkdir(mode=0o700)
        except FileExistsError:
            _release(fd)
            continue
        except OSError:
            _release(fd, _lock_path(root))
            raise
        return root, fd


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` itself (no file left behind), held in the block."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


@contextmanager
def staged(out_dir: Path, *, force: bool = False) -> Iterator[Staging]:
    """Write into a staging folder; on success it becomes ``out_dir`` whole.

    A previous jumeau output in ``out_dir`` (or, with ``force``, any folder) is replaced
    as a whole (no stale file is left); on failure or interruption nothing changes.
    Runs writing to the same ``out_dir`` at once each stage apart and swap in turn (a
    lock on the parent folder): ``out_dir`` ends as one complete output, never a mix.
    """
    out_dir = Path(out_dir)
    parent = _parent(out_dir)
    check_target(out_dir, force=force)
    try:
        parent.mkdir(parents=True, exist_ok=True)
        root, root_lock = _new_locked_folder(parent, f".{out_dir.name}.partial-")
    except OSError as exc:
        raise _cannot_write(out_dir, exc) from None
    stage = Staging(root)
    try:
        yield stage
        (root / MARKER).write_text("jumeau\n", encoding="utf-8")
        os.chmod(root, 0o755)  # private while staged
        with _folder_lock(parent):
            _swap(root, out_dir, parent, force)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        _release(root_lock, _lock_path(root))


def _swap(root: Path, out_dir: Path, parent: Path, force: bool) -> None:
    """Move the staged ``root`` to ``out_dir``, the previous folder there aside and away."""
    old, old_lock = None, None
    try:
        if out_dir.exists():
            check_target(out_dir, force=force)
            old, old_lock = _new_locked_folder(parent, f".{out_dir.name}.old-")
            os.replace(out_dir, old / "previous")
        os.replace(root, out_dir)
    except BaseException as exc:
        if old is not None and (old / "previous").exists() and not out_dir.exists():
            os.replace(old / "previous", out_dir)  # put the previous output back
        if isinstance(exc, OSError):
            raise _cannot_write(out_dir, exc) from None
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
            _release(old_lock, _lock_path(old))


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
    """``kind,name,value,unit,label,better`` rows."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["kind", "name", "value", "unit", "label", "better"])
    for kind, ind in rows:
        w.writerow([kind, ind.name, _csv_number(ind.value), ind.unit, ind.label.render(lang),
                    ind.better or ""])
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


def _csv_number(value: float) -> object:
    v = float(value)
    return "" if not np.isfinite(v) else repr(v) if not v.is_integer() else int(v)


def write_raster(path: Path, raster: Raster, *, unit: str = "", label: str = "") -> None:
    """A result grid as a compressed GeoTIFF (NaN as nodata)."""
    values = np.asarray(raster.values, dtype="float32")
    g = raster.grid
    with rasterio.open(path, "w", driver="GTiff", width=values.shape[1], height=values.shape[0],
                       count=1, dtype="float32", crs=g.crs, transform=g.transform,
                       nodata=np.nan, compress="deflate", tiled=values.shape[1] >= 256 and
                       values.shape[0] >= 256) as dst:
        dst.write(values, 1)
        dst.update_tags(unit=unit, description=label)


def yaml_dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)



def write_variant(stage: Staging, folder: str, scenario, run, *, lang: str, map_html: str,
                  report_html: str) -> None:
    """One variant's files under ``folder`` (``""`` or ``"<variant>/"``): indicators,
    layers, grids, tables, the resolved scenario, the map and the report."""
    from jumeau.scenario import kinds as kinds_module
    from jumeau.versions import versions

    rows = run.indicator_list()
    notes = [n.render(lang) for r in run.results.values() for n in getattr(r, "notes", ())]
    stage.write_json(f"{folder}indicators.json", {
        "scenario": scenario.name,
        **({"variant": run.name} if scenario.has_variants else {}),
        "title": scenario.spec.title,
        "territory": run.territory.name,
        "seed": scenario.spec.seed,
        "indicators": run.indicators(),
        "units": {ind.name: ind.unit for _, ind in rows},
        "labels": {ind.name: ind.label.render(lang) for _, ind in rows},
        "better": {ind.name: ind.better for _, ind in rows},
        "notes": notes,
    })
    stage.write_text(f"{folder}indicators.csv", indicators_csv(rows, lang))
    layers = {}
    for kind_name, result in run.results.items():
        kind = kinds_module.get(kind_name)
        for name, frame in result.layers().items():
            layers[run.keys[(kind_name, name)].replace(".", "_")] = frame
        for name, raster in result.rasters().items():
            out = kind.output(name)
            write_raster(stage.path(f"{folder}{run.keys[(kind_name, name)]}.tif"), raster,
                         unit=out.unit, label=out.label.render("en"))
        for name, table in result.tables().items():
            stage.write_text(f"{folder}{run.keys[(kind_name, name)]}.csv",
                             table.to_csv(index=False))
    if any(len(f) for f in layers.values()):
        write_layers(stage.path(f"{folder}layers.gpkg"), layers)
    resolved = scenario.resolved(run.name)
    resolved["territory_sources"] = dict(run.territory.sources)
    resolved["versions"] = versions()
    stage.write_text(f"{folder}scenario.resolved.yaml", yaml_dump(resolved))
    stage.write_text(f"{folder}map.html", map_html)
    stage.write_text(f"{folder}report.html", report_html)


def write_comparison(stage: Staging, scenario, runs, comparison, *, lang: str, map_html: str,
                     report_html: str) -> None:
    """``comparaison/``: indicators of every variant against the baseline (JSON, CSV),
    difference grids, layer changes, the comparison map and report."""
    from jumeau.scenario.result import json_number
    from jumeau.scenario.spec import COMPARISON_DIR

    folder = f"{COMPARISON_DIR}/"
    first = next(iter(comparison.variants.values()), None)
    stage.write_json(f"{folder}indicators.json", {
        "scenario": scenario.name,
        "title": scenario.spec.title,
        "baseline": comparison.baseline,
        "variants": {n: r.indicators() for n, r in runs.items()},
        "delta": comparison.delta(),
        "delta_pct": {v: {c.key: json_number(c.change_pct) for c in vc.indicators}
                      for v, vc in comparison.variants.items()},
        "verdict": {v: {c.key: c.verdict for c in vc.indicators}
                    for v, vc in comparison.variants.items()},
        "units": {c.key: c.unit for c in (first.indicators if first else [])},
        "labels": {c.key: c.label.render(lang) for c in (first.indicators if first else [])},
        "better": {c.key: c.better for c in (first.indicators if first else [])},
    })
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["variant", "kind", "name", "label", "unit", "baseline", "value", "change",
                "change_pct", "better", "verdict"])
    for v, vc in comparison.variants.items():
        for c in vc.indicators:
            w.writerow([v, c.kind, c.key, c.label.render(lang), c.unit, _csv_number(c.baseline),
                        _csv_number(c.value), _csv_number(c.change),
                        _csv_number(round(c.change_pct, 3)) if np.isfinite(c.change_pct)
                        else "", c.better or "", c.verdict or ""])
    stage.write_text(f"{folder}indicators.csv", buf.getvalue())
    changes = {}
    for v, vc in comparison.variants.items():
        for g in vc.grids:
            write_raster(stage.path(f"{folder}{v}/{g.key}_difference.tif"),
                         Raster(g.difference, g.grid), unit=g.unit,
                         label=f"{g.label.render('en')}: {v} minus {comparison.baseline}")
            if g.change is not None:
                write_raster(stage.path(f"{folder}{v}/{g.key}_change.tif"),
                             Raster(g.change.astype("float32"), g.grid),
                             label="1 newly above the threshold, -1 no longer")
        for lc in vc.layers:
            if len(lc.frame):
                changes[f"{v}__{lc.key.replace('.', '_')}"] = lc.frame
    if changes:
        write_layers(stage.path(f"{folder}changes.gpkg"), changes)
    stage.write_text(f"{folder}map.html", map_html)
    stage.write_text(f"{folder}report.html", report_html)


def source_table(manifest_path: Path, territory) -> list[tuple[str, str, str]]:
    """(layer, source, file date) of a territory's layers, for reports."""
    import datetime

    base = Path(manifest_path).parent
    rows = []
    for layer, text in territory.sources.items():
        dates = []
        for part in str(text).split(", "):
            name = part.split(" (")[0].split(":")[0]
            f = base / name if (base / name).is_file() else next(base.rglob(name), None)
            if f is not None and f.is_file():
                dates.append(datetime.date.fromtimestamp(f.stat().st_mtime).isoformat())
        rows.append((layer, str(text), ", ".join(sorted(set(dates))) or "—"))
    return rows
