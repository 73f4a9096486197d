"""The land-cover grid: derived from layers, read from a raster, and its table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import rasterio
from affine import Affine

from jumeau.errors import JumeauError
from jumeau.heat import landcover as lcm
from jumeau.io.landcover import (
    check_biophysical_table,
    default_biophysical_table,
    read_landcover_raster,
)
from jumeau.io.manifest import load_territory


@pytest.fixture(scope="module")
def tiny(tiny_site):
    return load_territory(tiny_site)


def test_buildings_and_streets_are_burnt_in(tiny):
    """A tiny site's houses are low buildings, its streets sealed, the rest open ground."""
    lc = lcm.derive_landcover(tiny, 5.0)
    counts = {c: int((lc.codes == c).sum()) for c in np.unique(lc.codes)}
    # 12 houses of 12 × 12 m on a 5 m grid: about 6 cells each (cell-centre rule).
    assert 12 * 4 <= counts[lcm.BUILDING_LOW] <= 12 * 9 + 40
    assert counts[lcm.SEALED] > 100 and counts[lcm.OPEN_GROUND] > counts[lcm.SEALED]
    assert lc.grid.resolution_m == 5.0 and lc.valid.all()


def test_default_table_covers_every_derived_class():
    """Each class jumeau derives has a row of the default table, values in range."""
    table = default_biophysical_table()
    assert set(lcm.CLASSES) <= set(table.index)
    assert table[["shade", "albedo", "building_intensity"]].le(1).all().all()


def test_properties_are_the_table_rows_without_overrides(tiny):
    """With no measure, each cell's properties are its class's row (as in InVEST)."""
    lc = lcm.derive_landcover(tiny, 10.0)
    table = default_biophysical_table()
    p = lcm.properties(lc, table)
    code = lc.codes[5, 5]
    assert p.albedo[5, 5] == table.loc[code, "albedo"]
    assert p.building_intensity[5, 5] == table.loc[code, "building_intensity"]


def test_a_partial_canopy_mixes_tree_and_ground_properties():
    """30 % canopy over a sealed cell: shade = 0.3·shade_trees + 0.7·shade_sealed."""
    table = default_biophysical_table()
    codes = np.full((2, 2), lcm.SEALED)
    canopy = np.array([[0.3, np.nan], [np.nan, np.nan]])
    grid = lcm.make_grid((0, 0, 20, 20), 10.0, 2154)
    lc = lcm.LandCover(codes, grid, canopy, np.full((2, 2), np.nan))
    p = lcm.properties(lc, table)
    t, s = table.loc[lcm.TREES], table.loc[lcm.SEALED]
    assert p.shade[0, 0] == pytest.approx(0.3 * t.shade + 0.7 * s.shade)
    assert p.kc[0, 0] == pytest.approx(0.3 * t.kc + 0.7 * s.kc)
    assert p.shade[1, 1] == s.shade


def test_a_code_missing_from_the_table_names_the_file_and_field():
    """A grid code absent from the table is an error naming the table and `lucode`."""
    table = default_biophysical_table().drop(index=lcm.WATER)
    table.attrs["source"] = "ma_table.csv"
    grid = lcm.make_grid((0, 0, 10, 10), 10.0, 2154)
    lc = lcm.LandCover(np.array([[lcm.WATER]]), grid, np.full((1, 1), np.nan),
                       np.full((1, 1), np.nan))
    with pytest.raises(JumeauError) as err:
        lcm.properties(lc, table)
    assert err.value.field == "lucode" and str(err.value.path) == "ma_table.csv"
    assert "5" in err.value.render("en")


@pytest.mark.parametrize(("change", "field"), [
    (lambda t: t.drop(columns="albedo"), "albedo"),
    (lambda t: t.assign(shade=[1.5] + [0.0] * (len(t) - 1)), "shade"),
    (lambda t: t.assign(building_intensity=-0.1), "building_intensity"),
])
def test_bad_tables_name_the_file_and_column(change, field):
    """A missing column or a value outside 0-1 names the file and the column."""
    table = change(default_biophysical_table().reset_index())
    with pytest.raises(JumeauError) as err:
        check_biophysical_table(table, "t.csv")
    assert err.value.field == field and str(err.value.path) == "t.csv"


def _write(path, crs, data=None):
    data = np.array([[1, 2], [2, 1]], dtype="int16") if data is None else data
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0],
                       count=1, dtype=data.dtype, crs=crs, nodata=0,
                       transform=Affine(10, 0, 650000, 0, -10, 6600020)) as dst:
        dst.write(data, 1)


def test_landcover_raster_without_crs_or_in_degrees_is_refused(tmp_path):
    """No CRS, or degrees: an error naming the file and `landcover.path`."""
    _write(tmp_path / "none.tif", None)
    _write(tmp_path / "deg.tif", "EPSG:4326")
    for name in ("none.tif", "deg.tif"):
        with pytest.raises(JumeauError) as err:
            read_landcover_raster(tmp_path / name, rasterio.crs.CRS.from_epsg(2154))
        assert err.value.field == "landcover.path" and err.value.path.name == name


def test_a_manifest_with_only_a_landcover_raster_loads(tmp_path):
    """`layers: {landcover: …}` alone makes a territory with its land-cover grid."""
    _write(tmp_path / "lulc.tif", "EPSG:2154")
    (tmp_path / "territory.yaml").write_text("name: Raster seul\nlayers:\n"
                                             "  landcover: {path: lulc.tif}\n")
    t = load_territory(tmp_path)
    assert t.has("landcover") and t.landcover.shape == (2, 2)
    assert pd.isna(t.landcover.elevation_m).sum() == 0
