"""Waste benchmark: time of each step on the demo commune and on 2,000 collection points.

Run from the repository root::

    python benchmarks/waste.py [--time-limit S] [--iterations N]

Prints, for the demo commune (Saint-Aubin-sur-Rive) and for a synthetic town of about
2,000 door-to-door stops: the travel-time matrix, the optimisation (PyVRP, stopped by the
iteration budget or the time limit) and the simulated day (simpy), in seconds.
"""

from __future__ import annotations

import argparse
import time

import geopandas as gpd
import numpy as np
import shapely


def big_town(n_side: int = 20, houses_per_block: int = 14):
    """A square street grid (blocks of 150 m) with houses along every east-west street:
    about ``n_side² × houses_per_block`` stops, a depot and an unloading site."""
    from jumeau.territory.model import Territory
    from jumeau.territory.schema import conform

    x0, y0, step = 650_000.0, 6_600_000.0, 150.0
    k = np.arange(n_side + 1)
    streets = [shapely.LineString(np.column_stack([x0 + step * k, np.full(len(k), y0 + step * j)]))
               for j in k]
    streets += [shapely.LineString(np.column_stack([np.full(len(k), x0 + step * i), y0 + step * k]))
                for i in k]
    roads = gpd.GeoDataFrame({"road_id": [f"R{i}" for i in range(len(streets))],
                              "road_class": "residential", "speed_kmh": 30.0, "oneway": 0},
                             geometry=streets, crs=2154)
    gap = step / houses_per_block
    xs = x0 + gap / 2 + gap * np.arange(n_side * houses_per_block)
    ys = y0 + step * np.arange(n_side) + 12
    hx, hy = np.meshgrid(xs, ys)
    houses = shapely.buffer(shapely.points(hx.ravel(), hy.ravel()), 4, quad_segs=1)
    n = len(houses)
    b = gpd.GeoDataFrame({"building_id": [f"B{i}" for i in range(n + 2)],
                          "population": np.r_[np.full(n, 2.3), 0, 0],
                          "facility": [""] * n + ["waste_depot", "waste_unloading"]},
                         geometry=list(houses) + [shapely.box(x0 - 20, y0 - 20, x0 - 5, y0 - 5),
                                                  shapely.box(x0 + step * n_side + 5,
                                                              y0 + step * n_side + 5,
                                                              x0 + step * n_side + 20,
                                                              y0 + step * n_side + 20)],
                         crs=2154)
    return Territory(name="Grande-Grille", buildings=conform(b, "buildings"),
                     roads=conform(roads, "roads"))


def timed(territory, params) -> dict:
    """Seconds per step of one run (the steps of jumeau.waste.simulate, timed apart)."""
    from jumeau.waste import simulate as _  # noqa: F401  (import time kept out)
    from jumeau.waste.demand import collection_points
    from jumeau.waste.network import place, segments, travel_matrices, truck_network

    out = {}
    t0 = time.perf_counter()
    net = truck_network(territory.network, territory.roads["speed_kmh"].to_numpy(float),
                        speed_cap_kmh=params.fleet.speed_cap_kmh)
    segs = segments(net)
    pts = collection_points(territory.buildings, net, segs, params.demand)
    out["points"] = len(pts)
    placed = place(net, segs, pts.x, pts.y)
    t1 = time.perf_counter()
    travel_matrices(net, segs, placed, collect_speed_kmh=6.0)
    out["matrix_s"] = time.perf_counter() - t1
    out["demand_s"] = t1 - t0
    import importlib

    sim = importlib.import_module("jumeau.waste.simulate")
    real_solve, real_day = sim.solve_routing, sim.simulate_day
    spent = {}

    def solve(*a, **kw):
        s = time.perf_counter()
        r = real_solve(*a, **kw)
        spent["optimise_s"] = time.perf_counter() - s
        spent["iterations"] = r.iterations
        return r

    def day(*a, **kw):
        s = time.perf_counter()
        r = real_day(*a, **kw)
        spent["day_s"] = time.perf_counter() - s
        return r

    sim.solve_routing, sim.simulate_day = solve, day
    try:
        s = time.perf_counter()
        result = sim.simulate(territory, params, seed=1)
        out["total_s"] = time.perf_counter() - s
    finally:
        sim.solve_routing, sim.simulate_day = real_solve, real_day
    out.update(spent)
    out["indicators"] = result.indicators()
    return out


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--iterations", type=int, default=1500)
    args = parser.parse_args(argv)
    from jumeau.scenario.runner import load_territory
    from jumeau.waste.params import WasteParams

    rounds = {"time_limit_s": args.time_limit, "max_iterations": args.iterations}
    cases = [("demo commune", load_territory("demo"), {"rounds": rounds}),
             ("2,000 stops", big_town(), {"rounds": rounds, "fleet": {"trucks": 10}})]
    for name, territory, params in cases:
        r = timed(territory, WasteParams.model_validate(params))
        ind = r["indicators"]
        print(f"{name}: {r['points']} collection points")
        print(f"  demand and placement {r['demand_s']:6.2f} s")
        print(f"  travel-time matrix   {r['matrix_s']:6.2f} s  ({r['points']}² points)")
        print(f"  optimisation         {r.get('optimise_s', float('nan')):6.2f} s  "
              f"({r.get('iterations', 0)} PyVRP iterations)")
        print(f"  simulated day        {r.get('day_s', float('nan')):6.2f} s")
        print(f"  whole run            {r['total_s']:6.2f} s  -> {ind['distance_km']:.1f} km, "
              f"{ind['tonnes_collected']:.1f}/{ind['tonnes_produced']:.1f} t, "
              f"{ind['cost_eur']:.0f} EUR, {ind['km_per_tonne']:.1f} km/t")


if __name__ == "__main__":
    main()
