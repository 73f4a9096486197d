"""The waste kind on a synthetic grid town: demand, network, plan, day, errors."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from waste_town import fast, grid_town

from jumeau.errors import JumeauError
from jumeau.waste.day import DayRandomness, simulate_day
from jumeau.waste.demand import kg_waiting
from jumeau.waste.params import WasteParams
from jumeau.waste.simulate import simulate

WEEKLY_KG = 96 * 254.0 / 365 * 7  # 48 houses × 2 residents, one week of residual waste


def run(town, seed=0, inputs=None, **over):
    return simulate(town, WasteParams.model_validate(fast(**over)), seed=seed, inputs=inputs)


def test_production_by_hand():
    """2 residents × 254 kg/yr over 7 days = 9.74 kg; twice a week halves it."""
    assert kg_waiting(np.array([2.0]), np.array([1.0]), 254.0)[0] == pytest.approx(
        2 * 254 / 365 * 7)
    assert kg_waiting(np.array([2.0]), np.array([2.0]), 254.0)[0] == pytest.approx(
        254 / 365 * 7)


def test_tonnes_produced_by_hand(town):
    """The town produces 96 residents' weekly residual waste, all collected."""
    r = run(town)
    f = r.indicators()
    assert f["tonnes_produced"] == pytest.approx(WEEKLY_KG / 1000)
    assert f["tonnes_collected"] == pytest.approx(WEEKLY_KG / 1000)
    assert f["missed_points"] == 0
    assert len(r.points) == 48  # every house is 50 m from the next: one stop each


def test_zone_frequency(town):
    """Collecting twice a week in the northern half halves its waste per collection."""
    north = [(649_900, 6_600_300), (650_700, 6_600_300), (650_700, 6_600_700),
             (649_900, 6_600_700)]
    r = run(town, demand={"zones": [{"polygon": north, "collections_per_week": 2}]})
    # Houses on streets y = 400 and 600 (24 of them) produce half.
    assert r.indicators()["tonnes_produced"] == pytest.approx(0.75 * WEEKLY_KG / 1000)


def test_conservation_and_capacity_with_randomness(town):
    """Collected + missed = produced; no truck ever over its payload; several trips."""
    r = run(town, seed=3, fleet={"payload_t": 0.2, "trucks": 2},
            day={"random": True, "breakdown": {"probability": 1.0, "reassign": False}})
    f = r.indicators()
    assert f["tonnes_collected"] + f["tonnes_missed"] == pytest.approx(f["tonnes_produced"])
    assert (r.trucks["max_load_t"] <= 0.2 + 1e-9).all()
    assert f["trips_to_unloading"] >= WEEKLY_KG / 200
    p = r.points
    assert p.loc[p["missed"], "kg"].sum() / 1000 == pytest.approx(f["tonnes_missed"])
    assert (p.loc[p["missed"], "reason"] != "").all()
    assert r.trucks["broke_down"].sum() == 1


def test_zero_randomness_matches_plan(town):
    """With no randomness, each truck's simulated day equals the optimiser's plan."""
    r = run(town, fleet={"payload_t": 0.3, "trucks": 2})
    t = r.trucks
    assert np.allclose(t["hours"], t["planned_h"], atol=1 / 3600)
    assert np.allclose(t["km"], t["planned_km"], atol=0.002)


def test_plan_durations_match_pyvrp(town, monkeypatch):
    """jumeau's totals of a planned day equal PyVRP's route durations (+ the drive back)."""
    import importlib

    sim = importlib.import_module("jumeau.waste.simulate")
    captured = {}
    real = sim.solve_routing

    def spy(problem, **kw):
        captured["sol"] = real(problem, **kw)
        return captured["sol"]

    monkeypatch.setattr(sim, "solve_routing", spy)
    r = run(town, fleet={"payload_t": 0.3})
    pyvrp_h = sorted(x.duration_s for x in captured["sol"].routes)
    ours = sorted(np.rint(r.trucks["planned_h"] * 3600 - _return_s(r)))
    assert np.allclose(pyvrp_h, ours, atol=2)


def test_a_truck_short_of_time_keeps_its_day(town):
    """One truck and a 40-minute day for 48 houses: the plan leaves out what does not
    fit, keeps the day (shift and overtime) and says so; what it leaves out is missed
    for lack of time. PyVRP's default penalties once let it plan every house and break
    the day, which the simulated day then cut wherever it fell."""
    r = run(town, fleet={"trucks": 1, "shift_h": 0.5, "max_overtime_h": 1 / 6})
    f = r.indicators()
    assert r.trucks["planned_h"].max() <= 0.5 + 1 / 6 + 1e-9
    assert 0 < f["missed_points"] < 48
    assert set(r.points.loc[r.points["missed"], "reason"]) == {"no_time"}
    assert any("ne tiennent pas" in n.fr for n in r.notes)
    assert f["tonnes_collected"] + f["tonnes_missed"] == pytest.approx(f["tonnes_produced"])


def _return_s(result):
    tl = result.timeline
    last = tl[tl["activity"] == "driving"].groupby("truck").tail(1)
    return (last["end_s"] - last["start_s"]).to_numpy()[0]


def test_optimised_beats_sectors(town):
    """The optimised rounds cost no more than today's sector rounds."""
    opt = run(town, fleet={"payload_t": 0.3}).indicators()
    sec = run(town, fleet={"payload_t": 0.3}, rounds={"method": "sectors"}).indicators()
    assert opt["cost_eur"] <= sec["cost_eur"] + 1e-6
    assert sec["tonnes_collected"] == pytest.approx(opt["tonnes_collected"])


def test_plan_file_leaves_streets_out(town):
    """A plan that names two streets serves their points and reports the rest missed."""
    plan = [{"truck": 1, "road_id": "H0", "order": 1}, {"truck": 1, "road_id": "H1", "order": 2}]
    r = run(town, rounds={"method": "plan", "plan": plan})
    p = r.points
    assert set(p.loc[p["collected"], "road_id"]) == {"H0", "H1"}
    assert (p.loc[~p["road_id"].isin(["H0", "H1"]), "reason"] == "not_in_plan").all()


def test_speed_cap_and_fuel_by_hand():
    """A 90 km/h road is driven at the 50 km/h cap: fuel and CO2 follow the km driven."""
    town = grid_town()
    town.roads["speed_kmh"] = 90.0
    r = run(town, fleet={"speed_cap_kmh": 50.0})
    t = r.trucks
    # Fuel = 1 L/km collecting + 0.4 L/km transit; CO2 = 3.17 kg/L.
    fuel = t["km_collecting"] * 1.0 + (t["km"] - t["km_collecting"]) * 0.4
    assert np.allclose(t["fuel_l"], fuel)
    assert r.indicators()["co2_kg"] == pytest.approx(3.17 * fuel.sum())
    driving = r.timeline[r.timeline["activity"] == "driving"]
    speed_kmh = driving["distance_m"] / (driving["end_s"] - driving["start_s"]) * 3.6
    assert speed_kmh.max() == pytest.approx(50.0, rel=1e-6)


@pytest.mark.parametrize(("oneway", "expected_s"), [(False, 50 / (30 / 3.6)),
                                                    (True, 750 / (30 / 3.6))])
def test_one_way_street_means_going_round_the_block(oneway, expected_s):
    """Going back 50 m on the one-way southern street takes the 750 m round the block."""
    from jumeau.waste.network import place, segments, travel_matrices, truck_network

    town = grid_town(oneway_first=oneway)
    net = truck_network(town.network, town.roads["speed_kmh"].to_numpy(float),
                        speed_cap_kmh=50)
    segs = segments(net)
    pl = place(net, segs, np.array([650_075.0, 650_025.0]), np.array([6_600_000.0] * 2))
    m = travel_matrices(net, segs, pl, collect_speed_kmh=6)
    assert m.time_s[0, 1] == pytest.approx(expected_s)
    assert m.time_s[1, 0] == pytest.approx(50 / (30 / 3.6))
    assert m.distance_m[0, 1] == pytest.approx(expected_s * 30 / 3.6)


def test_flood_cut_road_makes_points_unreachable(town):
    """Points on a street the flood cut are reported unreachable and counted missed."""
    cut = gpd.GeoDataFrame({"road_id": ["H1"]}, geometry=[None], crs=2154)
    r = run(town, inputs={"flood.roads_cut": cut})
    p = r.points
    on = p["road_id"] == "H1"
    assert on.sum() == 12
    assert (p.loc[on, "reason"] == "unreachable").all()
    assert r.indicators()["missed_points"] == 12
    assert any("inaccessibles" in n.fr for n in r.notes)
    assert list(r.closed_roads["road_id"]) == ["H1"]


def test_drop_off_rule_covers_every_house(town):
    """Drop-off points placed by the rule leave no house beyond 150 m."""
    r = run(town, demand={"mode": "drop_off", "drop_off_max_distance_m": 150})
    pts = np.column_stack([r.points.geometry.x, r.points.geometry.y])
    houses = town.buildings[town.buildings["population"] > 0].geometry.centroid
    h = np.column_stack([houses.x, houses.y])
    d = np.hypot(*(h[:, None, :] - pts[None, :, :]).transpose(2, 0, 1)).min(axis=1)
    assert d.max() <= 150
    assert len(r.points) < 12
    assert r.indicators()["tonnes_collected"] == pytest.approx(WEEKLY_KG / 1000)


def test_streets_served_as_arcs(town):
    """Door to door by street: one client per segment, the street driven at walking pace."""
    r = run(town, demand={"door_to_door": "streets"})
    assert (r.points["kind"] == "street").all()
    assert len(r.points) == 12  # 4 streets × 3 segments between the cross streets
    assert r.indicators()["tonnes_collected"] == pytest.approx(WEEKLY_KG / 1000)
    collecting = r.timeline[(r.timeline["activity"] == "collecting")
                            & (r.timeline["distance_m"] > 0)]
    v = collecting["distance_m"] / (collecting["end_s"] - collecting["start_s"]) * 3.6
    assert np.allclose(v, 6.0)


def test_same_seed_same_day(town):
    """The same seed gives the same day, randomness on."""
    a = run(town, seed=5, day={"random": True})
    b = run(town, seed=5, day={"random": True})
    assert a.indicators() == b.indicators()


def test_breakdown_reassigns_or_misses():
    """A broken-down truck's points go to the other truck, or are missed without reassignment."""
    from jumeau.waste.rounds import RoundsModel
    from jumeau.waste.solver import PlannedRoute

    n = 4
    t = np.full((n + 2, n + 2), 100.0)
    np.fill_diagonal(t, 0)
    m = RoundsModel(time_s=t, distance_m=t.copy(), collect_distance_m=np.zeros(n),
                    collect_time_s=np.zeros(n),
                    client_point=np.arange(n), kg=np.ones(n), litres=np.ones(n),
                    service_s=np.full(n, 10.0), groups=(), capacity_kg=10, capacity_l=10,
                    n_trucks=2, unload_s=0, return_s=100, return_m=100, shift_s=10_000,
                    max_overtime_s=0)
    routes = (PlannedRoute(((0, 1),), 0, 0), PlannedRoute(((2, 3),), 0, 0))
    rng = np.random.default_rng(0)
    out = simulate_day(m, routes, n, DayRandomness(breakdown_probability=1.0, reassign=True),
                       rng)
    assert np.isfinite(out.point_time_s).all()
    out = simulate_day(m, routes, n, DayRandomness(breakdown_probability=1.0, reassign=False),
                       np.random.default_rng(0))
    missed = np.isnan(out.point_time_s)
    assert missed.any()
    assert (out.point_missed_reason[missed] == "breakdown").all()
    assert (out.point_truck[missed] == -1).all()


# -- bad input --------------------------------------------------------------------------
def test_no_depot():
    """No depot building and no coordinates: an error naming sites.depot."""
    town = grid_town()
    b = town.buildings.copy()
    b["facility"] = b["facility"].replace("waste_depot", "")
    with pytest.raises(JumeauError) as err:
        run(town.replace(buildings=b))
    assert err.value.field == "sites.depot" and err.value.fix is not None


def test_depot_no_road_reaches(town):
    """A depot 2 km from any road: an error naming sites.depot and the fix."""
    with pytest.raises(JumeauError) as err:
        run(town, sites={"depot": (652_500.0, 6_600_000.0)})
    assert err.value.field == "sites.depot"
    assert "max_access_m" in err.value.fix.fr


def test_capacity_below_one_point(town):
    """A payload smaller than one point's waste: an error naming fleet.payload_t."""
    with pytest.raises(JumeauError) as err:
        run(town, fleet={"payload_t": 0.005})
    assert err.value.field == "fleet.payload_t"


def test_no_trucks_and_negative_production():
    """Zero trucks and negative production are refused when the parameters are read."""
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="at least one truck"):
        WasteParams.model_validate({"fleet": {"trucks": 0}})
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        WasteParams.model_validate(
            {"demand": {"production_kg_per_inhabitant_year": {"residual": -1}}})


def test_flood_cutting_off_the_unloading_site(town):
    """A flood cutting the unloading site off: one load per truck, brought back, reported."""
    cut = gpd.GeoDataFrame({"road_id": ["H3", "V3"]}, geometry=[None, None], crs=2154)
    r = run(town, inputs={"flood.roads_cut": cut}, fleet={"payload_t": 0.1, "trucks": 2})
    f = r.indicators()
    assert f["trips_to_unloading"] == 0
    assert (r.trucks["tonnes"] <= 0.1 + 1e-9).all()
    assert f["tonnes_collected"] + f["tonnes_missed"] == pytest.approx(f["tonnes_produced"])
    assert set(r.points.loc[r.points["missed"], "reason"]) <= {"truck_full", "unreachable",
                                                               "no_time"}
    assert any("déchargement" in n.fr for n in r.notes)


def test_sites_on_separate_networks():
    """An unloading site on a road linked to nothing: an error naming sites.unloading."""
    import shapely

    from jumeau.territory.schema import conform

    town = grid_town()
    extra = gpd.GeoDataFrame({"road_id": ["X"], "road_class": ["residential"],
                              "speed_kmh": [30.0], "oneway": [0]},
                             geometry=[shapely.LineString([(651_500, 6_600_000),
                                                           (651_500, 6_600_300)])], crs=2154)
    roads = conform(gpd.GeoDataFrame(pd.concat([town.roads, extra], ignore_index=True),
                                     crs=2154), "roads")
    with pytest.raises(JumeauError) as err:
        run(town.replace(roads=roads), sites={"unloading": (651_510.0, 6_600_100.0)})
    assert err.value.field == "sites.unloading"
