"""Versions of jumeau and of the libraries it relies on, for bug reports and outputs."""

from __future__ import annotations

import platform
import sys
from importlib import metadata

LIBRARIES = ("numpy", "scipy", "shapely", "pyproj", "pyogrio", "geopandas", "pandas",
             "rasterio", "numba", "simpy", "folium", "pydantic", "osmium")


def versions() -> dict[str, str]:
    """``{package: version}`` for jumeau, Python and the main libraries."""
    from jumeau import __version__

    out = {"jumeau": __version__, "python": platform.python_version()}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    try:
        import rasterio

        out["gdal"] = rasterio.__gdal_version__
    except ImportError:
        pass
    try:
        import pyproj

        out["proj"] = pyproj.proj_version_str
    except ImportError:
        pass
    return out


def show_versions(file=None) -> None:
    """Print the versions (to include in a bug report)."""
    file = file or sys.stdout
    for name, version in versions().items():
        print(f"{name:>10}: {version}", file=file)
