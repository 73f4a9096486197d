"""Building measures: a programme laid out in a polygon, footprints, removal, changes."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pydantic import ValidationError

from jumeau.errors import JumeauError
from jumeau.io.references import resolve
from jumeau.measures.buildings import AddBuildings, ChangeBuildings, RemoveBuildings
from jumeau.territory.schema import STRUCTURE_KINDS

X0, Y0 = 650_000.0, 6_600_000.0   # south-west corner of the tiny site


def box(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    """A rectangle in the tiny site's local metres, as scenario coordinates."""
    return [(X0 + x0, Y0 + y0), (X0 + x1, Y0 + y0), (X0 + x1, Y0 + y1), (X0 + x0, Y0 + y1)]


#: An empty corner of the tiny site: 260 × 170 m east of Rue des Écoles, south of Rue Haute.
SITE = box(320, 150, 580, 320)


def _new(territory):
    b = territory.buildings
    return b[b["building_id"].str.startswith("new-")]


@pytest.fixture
def footprints(tmp_path):
    """``footprints(frame, **fields)``: an add_buildings measure reading ``frame`` from a
    GeoJSON file, as a scenario would (the file is read once, by jumeau.io)."""

    def make(frame: gpd.GeoDataFrame, **fields) -> AddBuildings:
        path = tmp_path / "projet.geojson"
        frame.to_file(path, driver="GeoJSON")
        measure = AddBuildings.model_validate({"footprints": {"path": path.name}, **fields},
                                              context={"scenario_dir": tmp_path})
        resolve(measure)
        return measure

    return make


def test_programme_adds_exactly_its_dwellings_and_residents(tiny):
    """100 dwellings of 2.2 persons: 220 residents, 25 social dwellings, 4 storeys = 12 m."""
    m = AddBuildings(name="Les Hauts", polygon=SITE, dwellings=100, storeys=4,
                     social_share=0.25, household_size=2.2)
    after = m.apply(tiny, seed=1)
    new = _new(after)
    assert new["dwellings"].sum() == 100
    assert new["population"].sum() == pytest.approx(220.0)
    assert new["social_dwellings"].sum() == 25
    assert (new["height_m"] == 12.0).all() and (new["levels"] == 4).all()
    # 100 × 80 m² of floor on 4 storeys: 2,000 m² of ground in 5 buildings of ~400 m².
    assert shapely.area(new.geometry.values).sum() == pytest.approx(2000.0)
    assert len(new) == 5 and new["building_id"].is_unique
    assert new["building_id"].str.startswith("new-les-hauts-").all()
    assert len(tiny.buildings) == 14 and len(after.buildings) == 19   # input untouched


def test_programme_footprints_are_inside_apart_and_off_roads(tiny):
    """Footprints lie in the polygon (with the setback), overlap nothing, stand off roads."""
    after = AddBuildings(polygon=SITE, dwellings=100, storeys=4).apply(tiny, seed=3)
    geoms = np.asarray(_new(after).geometry.values)
    assert shapely.covered_by(geoms, shapely.Polygon(SITE).buffer(-4.0 + 1e-6)).all()
    pairs = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    assert (pairs[0] == pairs[1]).all()                      # each touches only itself
    existing = np.asarray(tiny.buildings.geometry.values)
    assert not shapely.intersects(geoms[:, None], existing[None]).any()
    roads = shapely.buffer(np.asarray(tiny.roads.geometry.values), 2.5)
    assert not shapely.intersects(geoms[:, None], roads[None]).any()


def test_same_seed_same_layout(tiny):
    """The layout is a function of the seed."""
    m = AddBuildings(polygon=SITE, dwellings=60, storeys=3)
    a, b = (_new(m.apply(tiny, seed=7)).geometry.values for _ in range(2))
    c = _new(m.apply(tiny, seed=8)).geometry.values
    assert shapely.equals_exact(a, b, 1e-9).all()
    assert not shapely.equals_exact(a, c, 1e-6).all()


def test_new_buildings_carry_ground_height_and_age_share(tiny):
    """Ground altitude is the lowest DEM cell under the footprint; aged 75+ in the
    territory's current share."""
    after = AddBuildings(polygon=SITE, dwellings=40, storeys=2).apply(tiny)
    new = _new(after)
    # The tiny DEM: z = 100 + y/100 at cell centres (5 m cells, y from the south edge).
    ymin = shapely.bounds(new.geometry.values)[:, 1] - Y0
    lowest_centre = np.floor(ymin / 5) * 5 + 2.5
    lowest_centre = np.where(lowest_centre < ymin, lowest_centre + 5, lowest_centre)
    assert new["ground_z_m"].to_numpy() == pytest.approx(100 + lowest_centre / 100, abs=1e-4)
    b = tiny.buildings
    share = b["population_75p"].sum() / b["population"].sum()
    assert new["population_75p"].sum() == pytest.approx(40 * 2.19 * share)


def test_density_gives_the_dwellings(tiny):
    """60 dwellings per hectare on 4.42 ha: 265 dwellings."""
    after = AddBuildings(polygon=SITE, density_dwellings_ha=60, storeys=6).apply(tiny)
    assert _new(after)["dwellings"].sum() == round(60 * 260 * 170 / 10_000)


def test_programme_that_cannot_fit_is_refused(tiny):
    """800 dwellings on 2 storeys need 32,000 m² of ground in 80 buildings; with setbacks
    and 6 m between façades at most 54 fit in the 4.4 ha polygon: refused, naming it."""
    with pytest.raises(JumeauError) as err:
        AddBuildings(polygon=SITE, dwellings=800, storeys=2).apply(tiny)
    assert err.value.field == "measures.add_buildings.polygon"
    assert "ne tiennent pas" in err.value.render("fr")


def test_footprint_share_too_small_for_the_programme_is_refused(tiny):
    """5 % of the polygon (2,210 m²) on 2 storeys cannot hold 100 dwellings of 80 m²."""
    with pytest.raises(JumeauError, match="demandent 4000 m² d.emprise"):
        AddBuildings(polygon=SITE, dwellings=100, storeys=2, footprint_share=0.05).apply(tiny)


def test_polygon_outside_the_territory_is_refused(tiny):
    """A polygon 10 km away is refused with the field named."""
    far = [(x + 10_000, y) for x, y in SITE]
    with pytest.raises(JumeauError) as err:
        AddBuildings(polygon=far, dwellings=10).apply(tiny)
    assert err.value.field == "measures.add_buildings.polygon"
    assert "outside the territory" in err.value.render("en")


def test_negative_dwellings_are_refused():
    """dwellings: -5 fails validation on that field."""
    with pytest.raises(ValidationError) as err:
        AddBuildings(polygon=SITE, dwellings=-5)
    assert err.value.errors()[0]["loc"] == ("dwellings",)


def test_programme_needs_a_count_or_a_density():
    """A residential programme without dwellings or density is refused."""
    with pytest.raises(ValidationError, match="dwellings"):
        AddBuildings(polygon=SITE, storeys=3)


def test_footprints_from_a_file(tiny, footprints):
    """Each feature is a building; dwellings given for one, split by floor area for the
    others from the measure's total."""
    frame = gpd.GeoDataFrame({"dwellings": [10, None, None], "storeys": [5, 2, 4]},
                             geometry=[shapely.box(X0 + 350, Y0 + 200, X0 + 370, Y0 + 220),
                                       shapely.box(X0 + 400, Y0 + 200, X0 + 420, Y0 + 220),
                                       shapely.box(X0 + 450, Y0 + 200, X0 + 470, Y0 + 220)],
                             crs=2154)
    after = footprints(frame, dwellings=40).apply(tiny)
    new = _new(after)
    # 30 more dwellings over floor areas 800 and 1,600 m²: 10 and 20.
    assert new["dwellings"].tolist() == [10, 10, 20]
    assert new["height_m"].tolist() == [15.0, 6.0, 12.0]


def test_overlapping_new_footprints_are_refused(tiny, footprints):
    """Two footprints sharing ground: refused, naming the field, the file and both
    features."""
    frame = gpd.GeoDataFrame(geometry=[shapely.box(X0 + 350, Y0 + 200, X0 + 380, Y0 + 220),
                                       shapely.box(X0 + 370, Y0 + 210, X0 + 400, Y0 + 230)],
                             crs=2154)
    with pytest.raises(JumeauError) as err:
        footprints(frame).apply(tiny)
    assert err.value.field == "measures.add_buildings.footprints"
    assert "projet.geojson: new buildings no. 1 and no. 2 overlap" in err.value.render("en")


def test_negative_dwellings_in_the_file_are_refused(tiny, footprints):
    """A negative dwellings value names the field, the file, the feature and the column."""
    frame = gpd.GeoDataFrame({"dwellings": [3, -2]},
                             geometry=[shapely.box(X0 + 350, Y0 + 200, X0 + 370, Y0 + 220),
                                       shapely.box(X0 + 400, Y0 + 200, X0 + 420, Y0 + 220)],
                             crs=2154)
    with pytest.raises(JumeauError) as err:
        footprints(frame).apply(tiny)
    assert err.value.field == "measures.add_buildings.footprints"
    assert "projet.geojson, feature no. 2, column 'dwellings': negative value (-2)" in \
        err.value.render("en")


def test_footprint_over_an_existing_building_is_refused_unless_the_site_is_cleared(
        tiny, footprints):
    """A footprint over house B000 is refused; with clear_site the house is demolished and
    recorded before the new building."""
    frame = gpd.GeoDataFrame(geometry=[shapely.box(X0 + 45, Y0 + 55, X0 + 70, Y0 + 80)],
                             crs=2154)
    with pytest.raises(JumeauError, match="B000"):
        footprints(frame).apply(tiny)
    after = footprints(frame, clear_site=True).apply(tiny)
    assert "B000" not in set(after.buildings["building_id"])
    s = after.structures
    removed = s[s["kind"] == "removed_buildings"]
    assert removed["building_id"].tolist() == ["B000"]
    assert removed["population"].iloc[0] == tiny.buildings["population"].iloc[0]


def test_remove_buildings_records_what_was_there(tiny):
    """Removing two houses keeps their dwellings and residents in structures."""
    after = RemoveBuildings(building_ids=["B000", "B001"]).apply(tiny)
    assert len(after.buildings) == 12
    s = after.structures
    assert set(s["kind"]) == {"removed_buildings"} <= set(STRUCTURE_KINDS)
    assert s["dwellings"].sum() == 2
    assert s["population"].sum() == pytest.approx(tiny.buildings["population"].iloc[:2].sum())


def test_remove_unknown_building_suggests_the_id(tiny):
    """A misspelt id is refused with a 'did you mean'."""
    with pytest.raises(JumeauError) as err:
        RemoveBuildings(building_ids=["B0001"]).apply(tiny)
    assert err.value.field == "measures.remove_buildings.building_ids"
    assert "B000" in err.value.render("en") or "B001" in err.value.render("en")


def test_change_storeys_scales_dwellings_and_residents(tiny):
    """A 2-storey house with 1 dwelling raised to 4 storeys holds 2, with twice the
    residents; its height becomes 12 m; the state before is recorded."""
    after = ChangeBuildings(building_ids=["B000"], storeys=4).apply(tiny)
    b0, a0 = tiny.buildings.iloc[0], after.buildings.iloc[0]
    assert (a0["levels"], a0["height_m"], a0["dwellings"]) == (4, 12.0, 2)
    assert a0["population"] == pytest.approx(2 * b0["population"])
    rec = after.structures.iloc[0]
    assert (rec["kind"], rec["building_id"], rec["levels"]) == ("changed_buildings", "B000", 2)


def test_change_use_and_floor(tiny):
    """Turning houses into shops empties them; floor_height_m raises their ground floor."""
    area = box(40, 50, 150, 80)     # the first three houses of the southern row
    after = ChangeBuildings(polygon=area, use="commercial", floor_height_m=0.6).apply(tiny)
    chosen = after.buildings["use"] == "commercial"
    assert chosen.sum() == 3
    assert (after.buildings.loc[chosen, "population"] == 0).all()
    assert (after.buildings.loc[chosen, "floor_z_m"] == 0.6).all()
    assert (tiny.buildings["use"] == "residential").sum() == 12    # input untouched


def test_change_needs_something_to_change():
    """A change_buildings block with nothing to change is refused."""
    with pytest.raises(ValidationError, match="at least one"):
        ChangeBuildings(building_ids=["B000"])
