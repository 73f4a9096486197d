"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The team's shared data folder, beside the repository (absent in a user's clone).
SHARED = ROOT.parent / "shared" / "data"
MANIFESTS = ROOT / "tests" / "manifests"


@pytest.fixture
def shared_data() -> Path:
    """The shared data folder; skips the test only when it is absent (a user's clone)."""
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/data must be present under CI")
        pytest.skip("../shared/data is absent (a user's clone)")
    return SHARED


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory) -> Path:
    """A tiny territory written in jumeau's input formats (see tests/tiny.py): its
    manifest, written once per session."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from tiny import write_tiny_site

    return write_tiny_site(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def tiny(tiny_site):
    """The tiny territory of tests/tiny.py (600 × 400 m, 5 m DEM, 14 buildings, 3 roads)."""
    from jumeau.io.manifest import load_territory

    return load_territory(tiny_site)


# Fixtures of the kinds' folders live here: conftest.py files in several folders that are
# not packages clash when pytest collects two of those folders in one run.

#: Origin of the hand-made sites (Lambert-93).
X0, Y0 = 650_000.0, 6_600_000.0


def _layer(rows: list[dict], layer: str):
    import geopandas as gpd

    from jumeau.territory.schema import conform

    if not rows:
        return None
    return conform(gpd.GeoDataFrame(rows, geometry="geometry", crs=2154), layer)


@pytest.fixture
def make_site():
    """Build a 400 × 400 m flat site (5 m DEM at 100 m, no vegetation unless given):
    ``make_site(buildings=[{…, "geometry": …}], flood_zones=[…], vegetation=[…],
    facilities=[…])`` with coordinates in local metres from (X0, Y0)."""

    import numpy as np
    import shapely
    from affine import Affine

    from jumeau.territory.model import Territory
    from jumeau.territory.terrain import Terrain

    def make(**layers: list[dict]) -> Territory:
        terrain = Terrain(np.full((80, 80), 100.0, dtype=np.float32),
                          Affine(5, 0, X0, 0, -5, Y0 + 400), "EPSG:2154")
        moved = {}
        for name, rows in layers.items():
            rows = [dict(r, geometry=shapely.affinity.translate(r["geometry"], X0, Y0))
                    for r in rows]
            moved[name] = _layer(rows, name)
        return Territory(name="Site", terrain=terrain, **moved)

    return make


@pytest.fixture
def town():
    """The grid town of the waste tests (tests/waste/waste_town.py), every street two-way."""
    sys.path.insert(0, str(ROOT / "tests" / "waste"))
    from waste_town import grid_town

    return grid_town()


@pytest.fixture
def manifest(shared_data: Path):
    """Path of a test manifest for a real data set (they point into ../shared/data)."""
    return lambda name: MANIFESTS / f"{name}.yaml"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests never touch the network: connecting anywhere but loopback fails loudly."""
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1")
                                      or sock.family == socket.AF_UNIX):
            return real_connect(sock, address)
        raise RuntimeError(f"network access attempted in a test: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _french_by_default():
    """Every test starts in the default language, whatever the previous one set."""
    from jumeau.i18n import use_language

    with use_language("fr"):
        yield


@pytest.fixture
def fr():
    """Render user-facing text in French for the test."""
    from jumeau.i18n import use_language

    with use_language("fr"):
        yield


@pytest.fixture
def en():
    """Render user-facing text in English for the test."""
    from jumeau.i18n import use_language

    with use_language("en"):
        yield
