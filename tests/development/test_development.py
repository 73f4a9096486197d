"""The development kind on hand-made territories with known answers."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from jumeau.development import DevelopmentParams, simulate
from jumeau.development.changes import before, building_changes
from jumeau.development.surfaces import scs_runoff_mm
from jumeau.measures.buildings import AddBuildings, ChangeBuildings, RemoveBuildings
from jumeau.measures.roads import AddRoad, CloseRoad

X0, Y0 = 650_000.0, 6_600_000.0


def box(x0, y0, x1, y1) -> shapely.Polygon:
    """A rectangle in local metres (the site's south-west corner is 0, 0)."""
    return shapely.box(x0, y0, x1, y1)


def coords(x0, y0, x1, y1) -> list[tuple[float, float]]:
    """The same rectangle as scenario coordinates."""
    return [(X0 + x0, Y0 + y0), (X0 + x1, Y0 + y0), (X0 + x1, Y0 + y1), (X0 + x0, Y0 + y1)]


def new_building(geometry, dwellings=10.0, residents=22.0, levels=3.0, **extra) -> dict:
    """A row of a building added by a measure (its id starts with ``new-``)."""
    return {"building_id": extra.pop("building_id", "new-test-1"), "use": "residential",
            "levels": levels, "height_m": 3 * levels, "dwellings": dwellings,
            "population": residents, "geometry": geometry, **extra}


def test_hundred_dwellings_of_2_2_persons_add_220_residents(make_site):
    """A programme of 100 dwellings at 2.2 persons each adds 220 residents, and
    220 × 335 kg = 73.7 t of household waste a year (ADEME defaults)."""
    site = make_site()
    after = AddBuildings(polygon=coords(50, 50, 350, 350), dwellings=100, storeys=4,
                         household_size=2.2).apply(site)
    ind = simulate(after, DevelopmentParams()).indicators()
    assert ind["dwellings_added"] == 100
    assert ind["residents_added"] == pytest.approx(220.0)
    assert ind["floor_area_added_m2"] == pytest.approx(100 * 80.0)
    assert ind["waste_added_t_year"] == pytest.approx(220 * (254 + 47 + 31 + 3) / 1000)


def test_sealing_one_hectare_of_grass_scs(make_site):
    """1 ha of roofs on grass under 30 mm, SCS curve numbers (soil group B):
    roofs CN 98: S = 25400/98 − 254 = 5.1837 mm, Ia = 0.2 S = 1.0367 mm,
    Q = (30 − 1.0367)² / (30 − 1.0367 + 5.1837) = 24.5665 mm → 245.665 m³;
    grass CN 61: Ia = 32.48 mm > 30 mm → no runoff. The volume rises by 245.665 m³."""
    site = make_site(buildings=[new_building(box(100, 100, 200, 200))])
    result = simulate(site, DevelopmentParams(storm_mm=30))
    ind = result.indicators()
    assert ind["sealed_area_added_m2"] == pytest.approx(10_000.0)
    assert ind["runoff_volume_added_m3"] == pytest.approx(245.665, abs=1e-3)
    assert ind["runoff_volume_m3"] == pytest.approx(245.665, abs=1e-3)
    # Runoff coefficient: 245.665 m³ out of 30 mm on the 16 ha site (4,800 m³).
    assert ind["runoff_coefficient"] == pytest.approx(245.665 / 4800, rel=1e-5)
    assert ind["sealed_share_pct"] == pytest.approx(100 / 16)


def test_sealing_one_hectare_of_grass_rational(make_site):
    """Rational method: (C roof 0.9 − C grass 0.15) × 30 mm × 1 ha = 225 m³."""
    site = make_site(buildings=[new_building(box(100, 100, 200, 200))])
    ind = simulate(site, DevelopmentParams(runoff_method="rational")).indicators()
    assert ind["runoff_volume_added_m3"] == pytest.approx(225.0)


def test_scs_runoff_depth():
    """The SCS formula: hand values, and nothing below the initial abstraction."""
    assert scs_runoff_mm(30.0, 98) == pytest.approx(24.5665, abs=1e-4)
    s = 25400 / 80 - 254
    assert scs_runoff_mm(100.0, 80) == pytest.approx((100 - 0.2 * s) ** 2 / (100 + 0.8 * s))
    assert scs_runoff_mm(10.0, 61) == 0.0


def test_building_in_a_fort_zone_raises_the_warning(make_site):
    """A new building inside a PPRI 'fort' zone is warned about, with the zone's source;
    one outside every zone is not."""
    zone = {"zone_id": "Z1", "source": "PPRI", "scenario": "Q100", "return_period_yr": 100,
            "hazard": "fort", "geometry": box(0, 0, 400, 100)}
    inside = new_building(box(50, 20, 80, 50), building_id="new-p-1", name="Projet")
    outside = new_building(box(50, 250, 80, 280), building_id="new-p-2", name="Projet")
    result = simulate(make_site(buildings=[inside, outside], flood_zones=[zone]),
                      DevelopmentParams())
    w = result.warnings
    assert w["building_id"].tolist() == ["new-p-1"]
    assert (w["source"].iloc[0], w["hazard"].iloc[0], w["reason"].iloc[0]) == (
        "PPRI", "fort", "hazard")
    assert result.indicators()["buildings_forbidden_zone"] == 1
    assert any("PPRI" in n.render("fr") and "new-p-1" in n.render("fr") for n in result.notes)
    flags = dict(zip(result.buildings["building_id"], result.buildings["forbidden_zone"]))
    assert flags == {"new-p-1": True, "new-p-2": False}


def test_frequent_tri_scenario_raises_the_warning_but_low_hazard_does_not(make_site):
    """The TRI frequent envelope (30 years, hazard unknown) warns; a 'faible' zone of the
    100-year scenario does not."""
    zones = [{"source": "TRI", "scenario": "fréquent", "return_period_yr": 30,
              "geometry": box(0, 0, 400, 60)},
             {"source": "TRI", "scenario": "moyen", "return_period_yr": 100,
              "hazard": "faible", "geometry": box(0, 60, 400, 200)}]
    b = [new_building(box(50, 20, 80, 50), building_id="new-p-1"),
         new_building(box(50, 100, 80, 130), building_id="new-p-2")]
    w = simulate(make_site(buildings=b, flood_zones=zones), DevelopmentParams()).warnings
    assert w[["building_id", "scenario", "reason"]].values.tolist() == [
        ["new-p-1", "fréquent", "frequent"]]


def test_new_residents_per_flood_zone_and_hazard_class(make_site):
    """Residents added counted in each zone's worst hazard class, and in total per
    scenario; the headline count takes the 100-year scenario."""
    zones = [{"source": "TRI", "scenario": "moyen", "return_period_yr": 100, "hazard": h,
              "geometry": g} for h, g in (("fort", box(0, 0, 400, 50)),
                                          ("faible", box(0, 50, 400, 150)))]
    b = [new_building(box(50, 40, 80, 70), residents=10.0, building_id="new-p-1"),  # both
         new_building(box(50, 100, 80, 130), residents=20.0, building_id="new-p-2"),
         new_building(box(50, 300, 80, 330), residents=40.0, building_id="new-p-3")]
    result = simulate(make_site(buildings=b, flood_zones=zones), DevelopmentParams())
    table = result.by_flood_zone.set_index("hazard")["residents_added"].to_dict()
    assert table == {"faible": 20.0, "fort": 10.0, "total": 30.0}
    assert result.indicators()["new_residents_flood_zone"] == 30.0


def test_removed_and_changed_buildings_count_against_the_added(tiny):
    """Demolishing two houses and building 10 dwellings: the net change in residents and
    dwellings, and the floor area by use."""
    houses = tiny.buildings.iloc[:2]
    after = RemoveBuildings(building_ids=["B000", "B001"]).apply(tiny)
    after = AddBuildings(polygon=[(X0 + 320, Y0 + 150), (X0 + 580, Y0 + 150),
                                  (X0 + 580, Y0 + 320), (X0 + 320, Y0 + 320)],
                         dwellings=10, storeys=2).apply(after)
    result = simulate(after, DevelopmentParams())
    ind = result.indicators()
    assert ind["dwellings_added"] == 10 - 2
    assert ind["residents_added"] == pytest.approx(10 * 2.19 - houses["population"].sum())
    floor = result.floor_area_by_use.set_index("use").loc["residential"]
    assert floor["floor_area_before_m2"] == pytest.approx(2 * 144 * 2)   # 12 × 12 m, 2 storeys
    assert floor["floor_area_after_m2"] == pytest.approx(10 * 80)
    assert sorted(result.buildings["status"]) == ["new", "removed", "removed"]


def test_before_rebuilds_the_territory(tiny):
    """Undoing recorded changes gives back the buildings, residents, roads and their
    state before the measures."""
    after = ChangeBuildings(building_ids=["B003"], storeys=5).apply(tiny)
    after = RemoveBuildings(building_ids=["B000"]).apply(after)
    after = ChangeBuildings(building_ids=["B003"], use="commercial").apply(after)
    after = AddBuildings(polygon=[(X0 + 320, Y0 + 150), (X0 + 580, Y0 + 150),
                                  (X0 + 580, Y0 + 320), (X0 + 320, Y0 + 320)],
                         dwellings=30).apply(after)
    after = CloseRoad(street="Rue Haute").apply(after)
    after = AddRoad(line=[(X0 + 400, Y0 + 20), (X0 + 400, Y0 + 100)]).apply(after)
    old = before(after)
    key = ["building_id", "use", "levels", "dwellings", "population"]
    a = old.buildings[key].sort_values("building_id").reset_index(drop=True)
    b = tiny.buildings[key].sort_values("building_id").reset_index(drop=True)
    assert a.equals(b)
    assert old.roads["road_id"].tolist() == ["R1", "R2", "R3"]
    assert not old.roads["closed"].any()
    changes = building_changes(after).set_index("building_id")
    # B003 was changed twice: its state before is the first record (2 storeys, residential).
    assert changes.loc["B003", "use_before"] == "residential"
    assert changes.loc["B003", "residents"] == 0.0


def test_green_and_tree_cover_shares(make_site):
    """A 1 ha wood on a 16 ha site: 6.25 % tree cover; a new 0.5 ha building on the
    grass leaves 15.5 ha of 16 green."""
    wood = {"cover": "forest", "geometry": box(0, 300, 100, 400)}
    site = make_site(vegetation=[wood],
                     buildings=[new_building(box(100, 100, 200, 150))])
    ind = simulate(site, DevelopmentParams()).indicators()
    assert ind["tree_cover_pct"] == pytest.approx(6.25)
    assert ind["green_share_pct"] == pytest.approx(100 * 15.5 / 16)


def test_residents_near_a_park(make_site):
    """Residents of the new building 250 m from a 1 ha park count; those of a house 350 m
    away do not; a 0.25 ha square is too small to count (WHO: 0.5 ha at least)."""
    park = {"cover": "park", "geometry": box(0, 0, 100, 100)}
    square = {"cover": "park", "geometry": box(300, 300, 350, 350)}
    near = new_building(box(340, 40, 360, 60), residents=22.0)      # 240 m from the park
    far = {"building_id": "B1", "use": "residential", "population": 5.0,
           "geometry": box(340, 340, 345, 345)}                  # ~ 340 m, inside the square
    ind = simulate(make_site(vegetation=[park, square], buildings=[near, far]),
                   DevelopmentParams()).indicators()
    assert ind["residents_near_park_added"] == pytest.approx(22.0)
    assert ind["residents_near_park_pct"] == pytest.approx(100 * 22 / 27)


def test_distances_to_school_and_bus_stop(make_site):
    """Straight-line distances from the new dwellings to the nearest school and bus stop;
    without bus stops the distance is unknown and a note says so."""
    school = {"facility": "school", "name": "École", "geometry": box(0, 0, 20, 20)}
    stop = {"facility": "bus_stop", "name": "Arrêt", "geometry": shapely.Point(300, 0)}
    b = [new_building(box(100, 0, 110, 10), dwellings=10),      # measured from (105, 5)
         new_building(box(300, 100, 310, 110), dwellings=30, building_id="new-test-2")]
    result = simulate(make_site(buildings=b, facilities=[school, stop]), DevelopmentParams())
    d = result.buildings.set_index("building_id")
    assert d.loc["new-test-1", "school_distance_m"] == pytest.approx(105.0 - 20.0)
    far = math.hypot(305 - 20, 105 - 20)
    assert d.loc["new-test-2", "school_distance_m"] == pytest.approx(far)
    ind = result.indicators()
    assert ind["school_distance_mean_m"] == pytest.approx((10 * 85 + 30 * far) / 40)
    assert ind["bus_stop_distance_mean_m"] == pytest.approx(
        (10 * math.hypot(195, 5) + 30 * math.hypot(5, 105)) / 40)
    without = simulate(make_site(buildings=b, facilities=[school]), DevelopmentParams())
    assert np.isnan(without.indicators()["bus_stop_distance_mean_m"])
    assert any("arrêt de bus" in n.render("fr") for n in without.notes)


def test_road_measures_are_counted(tiny):
    """Closed and new streets in kilometres."""
    after = CloseRoad(street="Rue Haute").apply(tiny)
    after = AddRoad(line=[(X0 + 400, Y0 + 20), (X0 + 400, Y0 + 100)]).apply(after)
    ind = simulate(after, DevelopmentParams()).indicators()
    assert ind["roads_closed_km"] == pytest.approx(0.25)
    assert ind["roads_added_km"] == pytest.approx(0.08)


def test_nothing_changed_adds_nothing(tiny):
    """Without measures every change is zero and no building is listed."""
    result = simulate(tiny, DevelopmentParams())
    ind = result.indicators()
    for name in ("residents_added", "dwellings_added", "sealed_area_added_m2",
                 "runoff_volume_added_m3", "residents_near_park_added",
                 "new_residents_flood_zone", "buildings_forbidden_zone",
                 "waste_added_t_year", "roads_added_km", "roads_closed_km"):
        assert ind[name] == 0, name
    assert len(result.buildings) == 0
    assert np.nanmax(np.abs(result.sealed_change.values)) == 0


def test_desealing_and_a_new_park_are_undone_for_the_before_state(make_site):
    """A de-sealed hectare (recorded as the land-cover measures record it: a ``mesure-``
    grass polygon and a ``desealed`` structure) removes 245.665 m³ of runoff under 30 mm;
    a new 1 ha park brings the 22 residents 240 m away within reach of a park."""
    from jumeau.territory.schema import conform

    site = make_site(
        vegetation=[{"vegetation_id": "mesure-desealed-1", "cover": "grass",
                     "geometry": box(100, 100, 200, 200)},
                    {"vegetation_id": "mesure-park-1", "cover": "park",
                     "geometry": box(300, 300, 400, 400)}],
        buildings=[{"building_id": "B1", "use": "residential", "population": 22.0,
                    "geometry": box(300, 50, 320, 70)}])
    record = conform(gpd.GeoDataFrame({"kind": ["desealed"], "name": ["Place du Marché"]},
                                      geometry=[shapely.box(X0 + 100, Y0 + 100, X0 + 200,
                                                            Y0 + 200)], crs=2154),
                     "structures")
    site = site.replace(structures=record)
    ind = simulate(site, DevelopmentParams()).indicators()
    assert ind["sealed_area_added_m2"] == pytest.approx(-10_000.0)
    assert ind["runoff_volume_added_m3"] == pytest.approx(-245.665, abs=1e-3)
    assert ind["residents_near_park_added"] == pytest.approx(22.0)
    assert ind["residents_added"] == 0


def test_desealing_what_a_seal_measure_paved_is_not_counted_twice(make_site):
    """A square the data does not show as paved, paved by a `seal` measure (the state of
    today) and de-sealed in a variant: against the territory before its measures, today
    adds the hectare of paving and the variant adds none, so the variant's difference
    is one hectare (10,000 m², 245.665 m³ under 30 mm), not two. The variant's before
    state once re-sealed the square on top of undoing the seal: -10,000 m² against
    +10,000 m², a difference of 20,000 m²."""
    from jumeau.measures.landcover import Deseal, Seal

    site = make_site(buildings=[{"building_id": "B1", "use": "residential",
                                 "geometry": box(300, 50, 320, 70)}])
    square = [(X0 + 100, Y0 + 100), (X0 + 200, Y0 + 100), (X0 + 200, Y0 + 200),
              (X0 + 100, Y0 + 200)]
    today = Seal(polygon=square).apply(site)
    variant = Deseal(polygon=square, cover="park").apply(today)
    a = simulate(today, DevelopmentParams()).indicators()
    b = simulate(variant, DevelopmentParams()).indicators()
    assert a["sealed_area_added_m2"] == pytest.approx(10_000.0)
    assert b["sealed_area_added_m2"] == pytest.approx(0.0)
    assert a["runoff_volume_added_m3"] - b["runoff_volume_added_m3"] == pytest.approx(
        245.665, abs=1e-3)
    assert a["sealed_share_pct"] - b["sealed_share_pct"] == pytest.approx(
        100 * 10_000 / (400 * 400))


def test_paving_laid_after_a_desealing_leaves_the_desealed_area_paved_before(make_site):
    """De-sealing a 1 ha car park, then paving a 100 × 20 m path across it: before the
    measures the whole hectare was paved, so 8,000 m² fewer are sealed (not 6,000)."""
    from jumeau.measures.landcover import Deseal, Seal

    site = make_site(buildings=[{"building_id": "B1", "use": "residential",
                                 "geometry": box(300, 50, 320, 70)}])

    def square(x0, y0, x1, y1):
        return [(X0 + x0, Y0 + y0), (X0 + x1, Y0 + y0), (X0 + x1, Y0 + y1),
                (X0 + x0, Y0 + y1)]

    car_park = Deseal(polygon=square(100, 100, 200, 200)).apply(site)
    path = Seal(polygon=square(100, 140, 200, 160)).apply(car_park)
    ind = simulate(path, DevelopmentParams()).indicators()
    assert ind["sealed_area_added_m2"] == pytest.approx(-8_000.0)
