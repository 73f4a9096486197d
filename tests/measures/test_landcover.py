"""Land-cover measures: de-seal, plant trees, create a park, cool roofs."""

from __future__ import annotations

import numpy as np
import pytest

from jumeau.errors import JumeauError
from jumeau.heat import HeatParams, simulate
from jumeau.io.manifest import load_territory
from jumeau.measures.landcover import CoolRoofs, CreatePark, Deseal, PlantTrees

X0, Y0 = 650_000.0, 6_600_000.0
SQUARE = [(X0 + 100, Y0 + 200), (X0 + 250, Y0 + 200), (X0 + 250, Y0 + 350), (X0 + 100, Y0 + 350)]


@pytest.fixture(scope="module")
def tiny(tiny_site):
    return load_territory(tiny_site)


@pytest.mark.parametrize("measure", [
    Deseal(polygon=SQUARE), CreatePark(polygon=SQUARE, canopy_share=0.3),
    PlantTrees(polygon=SQUARE, canopy_share=0.4), CoolRoofs(buildings="all")])
def test_measures_return_a_new_territory_and_record_themselves(tiny, measure):
    """The input is unchanged; the output has one more structure of the measure's kind."""
    before = (len(tiny.vegetation), len(tiny.structures),
              tiny.buildings["roof_albedo"].isna().sum())
    out = measure.apply(tiny)
    assert out is not tiny
    assert (len(tiny.vegetation), len(tiny.structures),
            tiny.buildings["roof_albedo"].isna().sum()) == before
    kind = {"deseal": "desealed", "create_park": "park", "plant_trees": "trees",
            "cool_roofs": "cool_roofs"}[measure.type]
    assert out.structures["kind"].tolist()[-1] == kind


def test_trees_polygon_by_number_gives_the_canopy_share(tiny):
    """300 trees of 6 m crowns in 2.25 ha cover 300·π·9 / 22 500 of it."""
    out = PlantTrees(polygon=SQUARE, trees=300).apply(tiny)
    share = out.vegetation["canopy_share"].iloc[-1]
    assert share == pytest.approx(300 * np.pi * 9 / 22_500)
    assert out.vegetation["vegetation_id"].iloc[-1] == "mesure-trees-1"


def test_trees_along_a_named_street(tiny):
    """Trees along « Rue des Écoles » (335 m) every 8 m on both sides: 2 × 42 trees."""
    out = PlantTrees(street="rue des écoles").apply(tiny)
    assert out.structures["name"].iloc[-1] == "84 arbres"
    with pytest.raises(JumeauError) as err:
        PlantTrees(street="Rue des Ecole").apply(tiny)
    assert err.value.field == "measures.plant_trees.street"


def test_cool_roofs_on_chosen_buildings(tiny):
    """Only the chosen uses get the new albedo."""
    out = CoolRoofs(use=["residential"], roof_albedo=0.8).apply(tiny)
    res = out.buildings["use"] == "residential"
    assert (out.buildings.loc[res, "roof_albedo"] == 0.8).all()
    assert out.buildings.loc[~res, "roof_albedo"].isna().all()
    with pytest.raises(JumeauError):
        CoolRoofs(building_ids=["nope"]).apply(tiny)


def test_geometry_outside_the_territory_is_refused(tiny):
    """A polygon away from the territory names the measure's field."""
    far = [(0, 0), (10, 0), (10, 10)]
    with pytest.raises(JumeauError) as err:
        CreatePark(polygon=far).apply(tiny)
    assert err.value.field == "measures.create_park.polygon"


def test_levers_cool_the_day_where_they_act(tiny):
    """A park and cool roofs lower the day temperature; the park most where it is."""
    params = HeatParams(day={"t_ref_c": 30, "uhi_max_c": 3}, plan=None, resolution_m=10,
                        mixing_distance_m=50, cooling_distance_m=100)
    base = simulate(tiny, params).rasters()["air_temperature_day_c"].values
    park = simulate(CreatePark(polygon=SQUARE, canopy_share=0.6).apply(tiny),
                    params).rasters()["air_temperature_day_c"].values
    roofs = simulate(CoolRoofs(buildings="all").apply(tiny),
                     params).rasters()["air_temperature_day_c"].values
    assert (park <= base + 1e-5).all() and (base - park).max() > 0.3
    assert (roofs <= base + 1e-5).all() and (base - roofs).max() > 0.01
