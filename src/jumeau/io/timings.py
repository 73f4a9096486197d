"""How long each ready scenario took the last time ``jumeau demo`` ran it, on this machine.

:mod:`jumeau.scenario.batch` starts the longest scenarios first, so that the workers
end together instead of one finishing a long flood alone. The durations are a hint for
that order only: nothing computed depends on them. They live in
``$XDG_CACHE_HOME/jumeau/timings.json`` (``~/.cache/jumeau/timings.json`` by default),
keyed by the scenario file's path and content, so an edited file is timed again. A
missing, unreadable or unwritable file is no error.

A newcomer's first run has no durations yet. For the ready scenarios shipped with jumeau,
the durations measured on a reference machine (``reference_timings.json`` beside this
module, keyed by file name and content) stand in for them, scaled to this machine by the
files timed on both. Without them, the first ``jumeau demo`` ordered its scenarios by
their number of simulations and started the longest one (``orage-50mm``) eighth of ten:
148 and 157 s on the 2-core machine of the README, against 132 to 145 s with them. A
file with neither falls back to that count.
Refresh the reference after editing a ready scenario: run ``jumeau demo``, then
``python -m jumeau.io.timings``.
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


#: Durations of the ready scenarios on the reference machine (see the module notes).
REFERENCE = Path(__file__).with_name("reference_timings.json")


def _digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def scenario_key(path: Path) -> str:
    """A scenario file's key: its resolved path and a hash of its content."""
    return f"{Path(path).resolve()}#{_digest(path)}"


def reference_key(path: Path) -> str:
    """A ready scenario's key in the reference durations: its file name and a hash of its
    content (the same wherever jumeau is installed)."""
    return f"{Path(path).name}#{_digest(path)}"


def _known(file: Path) -> dict:
    """The durations recorded in ``file``; empty if it is missing, unreadable or not a
    JSON object."""
    try:
        known = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _seconds(known: dict, key) -> float | None:
    seconds = known.get(key)
    return float(seconds) if isinstance(seconds, (int, float)) and seconds >= 0 else None


def read_timings(paths: Iterable[Path], file: Path | None = None,
                 reference: Path | None = REFERENCE) -> dict[Path, float]:
    """The duration (s) of each of ``paths`` that has one: the last one measured here,
    else the ``reference`` one, times the median ratio of this machine's durations to
    the reference's over the files that have both (1 if none has)."""
    known = _known(file or timings_path())
    ref = _known(reference) if reference is not None else {}
    here, there = {}, {}
    for path in paths:
        try:
            local, other = (_seconds(known, scenario_key(path)),
                            _seconds(ref, reference_key(path)))
        except OSError:
            continue
        if local is not None:
            here[Path(path)] = local
        if other is not None:
            there[Path(path)] = other
    ratios = sorted(here[p] / there[p] for p in here.keys() & there.keys() if there[p] > 0)
    scale = ratios[len(ratios) // 2] if ratios else 1.0
    return {**{p: s * scale for p, s in there.items()}, **here}


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


def write_reference(paths: Iterable[Path], file: Path | None = None,
                    reference: Path = REFERENCE) -> dict[str, float]:
    """Write the reference durations of those of ``paths`` that this machine has timed
    (as they are now); returns them."""
    known = _known(file or timings_path())
    out = {}
    for path in sorted(Path(p) for p in paths):
        seconds = _seconds(known, scenario_key(path))
        if seconds is not None:
            out[reference_key(path)] = seconds
    reference.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":  # python -m jumeau.io.timings: refresh the reference
    from jumeau.io.demo import scenarios_path

    files = sorted(scenarios_path().glob("*.yaml"))
    written = write_reference(files)
    print(f"{REFERENCE}: {len(written)} scenarios, {sum(written.values()):.1f} s in all; "
          f"not timed: {', '.join(f.name for f in files if reference_key(f) not in written)}")
