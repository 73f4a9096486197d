"""How long each ready scenario took the last time ``jumeau demo`` ran it, on this machine.

:mod:`jumeau.scenario.batch` starts the longest scenarios first, so that the workers
end together instead of one finishing a long flood alone. The durations are a hint for
that order only: nothing computed depends on them. They live in
``$XDG_CACHE_HOME/jumeau/timings.json`` (``~/.cache/jumeau/timings.json`` by default),
keyed by the scenario file's path and content, so an edited file is timed again. A
missing, unreadable or unwritable file is no error: the order then falls back to the
number of simulations.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from jumeau._numba_cache import user_cache_dir


def timings_path(environ: Mapping[str, str] | None = None) -> Path:
    """The file of the durations, beside jumeau's compiled kernels.

    Examples
    --------
    >>> timings_path({"XDG_CACHE_HOME": "/tmp/cache"}).as_posix()
    '/tmp/cache/jumeau/timings.json'
    """
    return user_cache_dir(os.environ if environ is None else environ).parent / "timings.json"


def scenario_key(path: Path) -> str:
    """A scenario file's key: its resolved path and a hash of its content."""
    path = Path(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return f"{path.resolve()}#{digest}"


def _known(file: Path) -> dict:
    """The durations recorded in ``file``; empty if it is missing, unreadable or not a
    JSON object."""
    try:
        known = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def read_timings(paths: Iterable[Path], file: Path | None = None) -> dict[Path, float]:
    """The last duration (s) of each of ``paths`` that has one."""
    known = _known(file or timings_path())
    out = {}
    for path in paths:
        try:
            seconds = known.get(scenario_key(path))
        except OSError:
            continue
        if isinstance(seconds, (int, float)) and seconds >= 0:
            out[Path(path)] = float(seconds)
    return out


def write_timings(seconds: Mapping[Path, float], file: Path | None = None) -> None:
    """Record durations (s), keeping the others; silently nothing if it cannot."""
    file = file or timings_path()
    known = _known(file)
    try:
        known.update({scenario_key(p): round(float(s), 2) for p, s in seconds.items()})
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".timings.", dir=file.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(known, f, indent=0, sort_keys=True)
        os.replace(tmp, file)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
