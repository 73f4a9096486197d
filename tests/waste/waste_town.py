"""A small synthetic town for the waste tests: a street grid, houses, a depot, a tip."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from jumeau.territory.model import Territory
from jumeau.territory.schema import conform

X0, Y0 = 650_000.0, 6_600_000.0


def grid_town(*, oneway_first: bool = False, residents: float = 2.0) -> Territory:
    """A 600 × 600 m grid of streets every 200 m (30 km/h), 48 houses along the
    horizontal streets, a depot at the south-west corner and an unloading site at the
    north-east corner. Road ``H0`` (the southern street) is one-way eastwards when
    ``oneway_first``."""
    streets, ids = [], []
    for j in range(4):
        streets.append(shapely.LineString([(X0 + 200 * i, Y0 + 200 * j) for i in range(4)]))
        ids.append(f"H{j}")
    for i in range(4):
        streets.append(shapely.LineString([(X0 + 200 * i, Y0 + 200 * j) for j in range(4)]))
        ids.append(f"V{i}")
    oneway = np.zeros(len(streets), dtype=int)
    if oneway_first:
        oneway[0] = 1
    roads = gpd.GeoDataFrame({"road_id": ids, "name": [f"Rue {k}" for k in ids],
                              "road_class": "residential", "speed_kmh": 30.0,
                              "oneway": oneway}, geometry=streets, crs=2154)
    houses, uses, pop, fac = [], [], [], []
    for j in range(4):
        for i in range(12):
            x = X0 + 25 + 50 * i
            y = Y0 + 200 * j + 15
            houses.append(shapely.box(x - 5, y - 5, x + 5, y + 5))
            uses.append("residential")
            pop.append(residents)
            fac.append("")
    houses.append(shapely.box(X0 - 30, Y0 - 30, X0 - 10, Y0 - 10))
    houses.append(shapely.box(X0 + 610, Y0 + 610, X0 + 630, Y0 + 630))
    uses += ["industrial", "industrial"]
    pop += [0.0, 0.0]
    fac += ["waste_depot", "waste_unloading"]
    buildings = gpd.GeoDataFrame({"building_id": [f"B{i}" for i in range(len(houses))],
                                  "use": uses, "population": pop, "facility": fac,
                                  "dwellings": [1.0] * len(houses)},
                                 geometry=houses, crs=2154)
    return Territory(name="Grille", buildings=conform(buildings, "buildings"),
                     roads=conform(roads, "roads"))


def fast(**over) -> dict:
    """Waste parameters that plan quickly and identically everywhere."""
    base = {"rounds": {"time_limit_s": 2, "max_iterations": 300}, "day": {"random": False}}
    for key, value in over.items():
        base.setdefault(key, {}).update(value)
    return base
