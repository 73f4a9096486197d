"""Where numba keeps the compiled kernels, chosen before any kernel is compiled.

numba caches a compiled function next to its source, in ``__pycache__``. A wheel
installed in a read-only site-packages (a system install, a container image) cannot be
written there, and numba would then fall back to a folder of its own. jumeau sets the
folder itself in that case, ``$XDG_CACHE_HOME/jumeau/numba`` (``~/.cache/jumeau/numba``
by default), so that every run after the first loads the kernels instead of compiling
them again, and the folder is easy to find and to clear. ``NUMBA_CACHE_DIR`` set by the
user always wins.

Importing this module applies the choice; the kernel modules import it first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import numba


def user_cache_dir(environ: Mapping[str, str]) -> Path:
    """jumeau's folder for compiled kernels under the user's cache folder.

    Examples
    --------
    >>> user_cache_dir({"XDG_CACHE_HOME": "/tmp/cache"}).as_posix()
    '/tmp/cache/jumeau/numba'
    """
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jumeau" / "numba"


def _writable(folder: Path) -> bool:
    """Whether files can be created in ``folder`` (or in the nearest folder above it
    that exists), tried for real: ``os.access`` says yes to root even on a read-only
    mount."""
    while not folder.exists():
        folder = folder.parent
    probe = folder / f".jumeau-write-test-{os.getpid()}"
    try:
        probe.touch()
        probe.unlink()
    except OSError:
        return False
    return True


def cache_dir_for(package_dir: Path, environ: Mapping[str, str]) -> Path | None:
    """The folder to give numba, or None to leave numba's default (next to the
    sources, in ``__pycache__``, which works when the package folder is writable).

    Parameters
    ----------
    package_dir
        Folder of the modules holding kernels.
    environ
        The environment (``os.environ``).
    """
    if environ.get("NUMBA_CACHE_DIR"):
        return None  # the user's choice, already read by numba
    if _writable(package_dir / "__pycache__"):
        return None
    return user_cache_dir(environ)


def configure(package_dir: Path | None = None) -> Path | None:
    """Point numba at jumeau's user cache folder when the package folder is read-only;
    returns the folder chosen (None: numba's default or the user's setting)."""
    package_dir = Path(__file__).parent if package_dir is None else package_dir
    chosen = cache_dir_for(package_dir / "flood", os.environ)
    if chosen is not None:
        try:
            chosen.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None  # nowhere to write: numba compiles every run, as it would
        numba.config.CACHE_DIR = str(chosen)
        os.environ["NUMBA_CACHE_DIR"] = str(chosen)  # worker processes (dask) too
    return chosen


CACHE_DIR = configure()
"""The folder set for numba's cache by this module, or None."""
