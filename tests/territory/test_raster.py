"""Rasterising layers onto the DEM grid and sampling rasters over building footprints."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from affine import Affine
from pyproj import CRS

from jumeau.territory.raster import edge_cells, footprint_stats, label_footprints, rasterize
from jumeau.territory.terrain import Terrain


@pytest.fixture
def grid() -> Terrain:
    """10 × 10 cells of 1 m, origin (0, 10) top-left, elevation = column index."""
    z = np.tile(np.arange(10, dtype=float), (10, 1))
    return Terrain(z, Affine(1, 0, 0, 0, -1, 10), CRS.from_epsg(2154))


def test_rasterize_counts_cell_centres(grid):
    """A 4 × 3 m box aligned on the grid burns exactly 12 cells; all_touched adds the rim."""
    box = shapely.box(2, 2, 6, 5)
    assert rasterize([box], grid).sum() == 12
    assert rasterize([shapely.box(2.2, 2.2, 5.8, 4.8)], grid, all_touched=True).sum() == 12
    values = rasterize([box, shapely.box(0, 0, 1, 1)], grid, np.array([3.0, 7.0]), fill=-1)
    assert (values == 3).sum() == 12 and (values == 7).sum() == 1 and (values == -1).sum() == 87


def test_footprint_stats_min_max_mean(grid):
    """Stats over a footprint equal those of the cells whose centre it covers."""
    geoms = np.array([shapely.box(2, 2, 6, 5), shapely.box(7, 7, 9, 9)])
    stats = footprint_stats(grid.elevation_m, geoms, grid)
    assert stats["min"].tolist() == [2.0, 7.0]
    assert stats["max"].tolist() == [5.0, 8.0]
    np.testing.assert_allclose(stats["mean"], [3.5, 7.5])
    assert stats["cells"].tolist() == [12, 4]


def test_small_building_gets_its_cell_and_outside_gets_nan(grid):
    """A building smaller than a cell still gets the cell holding it; one outside gets NaN."""
    geoms = np.array([shapely.box(3.1, 3.1, 3.4, 3.4), shapely.box(50, 50, 51, 51)])
    labels = label_footprints(geoms, grid)
    assert (labels == 1).sum() == 1
    stats = footprint_stats(grid.elevation_m, geoms, grid, labels=labels)
    assert stats["min"].iloc[0] == 3.0
    assert np.isnan(stats["min"].iloc[1])


def test_edge_cells_ring_a_building(grid):
    """The 4-neighbour ring of a 2 × 2 cell building has 8 cells; edge stats read them."""
    geoms = np.array([shapely.box(4, 4, 6, 6)])
    labels = label_footprints(geoms, grid)
    r, c, lab = edge_cells(labels)
    assert len(set(zip(r.tolist(), c.tolist()))) == 8 and set(lab) == {1}
    stats = footprint_stats(grid.elevation_m, geoms, grid, where="edge", labels=labels)
    assert stats["min"].iloc[0] == 3.0 and stats["max"].iloc[0] == 6.0


def test_territory_clip_keeps_whole_buildings(grid):
    """Clipping keeps buildings whose centre is inside, cuts lines, crops the DEM."""
    import geopandas as gpd

    from jumeau.territory import Territory
    from jumeau.territory.schema import conform

    b = conform(gpd.GeoDataFrame(geometry=[shapely.box(1, 1, 3, 3), shapely.box(4, 1, 8, 3)],
                                 crs=2154), "buildings")
    r = conform(gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 5), (10, 5)])], crs=2154),
                "roads")
    t = Territory("t", buildings=b, roads=r, terrain=grid)
    clipped = t.clip(shapely.box(0, 0, 5, 10))
    assert len(clipped.buildings) == 1
    assert clipped.roads.length.iloc[0] == pytest.approx(5.0)
    assert clipped.terrain.shape[1] <= 6
