"""Tiny hand-made territories with known answers for the development kind."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine

from jumeau.io.manifest import load_territory
from jumeau.territory.model import Territory
from jumeau.territory.schema import conform
from jumeau.territory.terrain import Terrain

X0, Y0 = 650_000.0, 6_600_000.0


def _layer(rows: list[dict], layer: str) -> gpd.GeoDataFrame:
    if not rows:
        return None
    return conform(gpd.GeoDataFrame(rows, geometry="geometry", crs=2154), layer)


@pytest.fixture
def make_site():
    """Build a 400 × 400 m flat site (5 m DEM at 100 m, no vegetation unless given):
    ``make_site(buildings=[{…, "geometry": …}], flood_zones=[…], vegetation=[…],
    facilities=[…])`` with coordinates in local metres from (X0, Y0)."""

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


@pytest.fixture(scope="module")
def tiny(tiny_site):
    """The tiny territory of tests/tiny.py (600 × 400 m, 5 m DEM, 14 buildings, 3 roads)."""
    return load_territory(tiny_site)
