"""The routable road network: topology, one-way streets, shortest paths, matrices."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely

from jumeau.territory.network import RoadNetwork
from jumeau.territory.schema import conform


def roads(lines, *, speed=None, oneway=None, road_class=None) -> gpd.GeoDataFrame:
    n = len(lines)
    frame = gpd.GeoDataFrame({
        "speed_kmh": speed if speed is not None else [36.0] * n,
        "oneway": oneway if oneway is not None else [0] * n,
        "road_class": road_class if road_class is not None else ["residential"] * n,
    }, geometry=[shapely.LineString(c) for c in lines], crs=2154)
    return conform(frame, "roads")


def grid_roads(size: int, seed: int) -> gpd.GeoDataFrame:
    """A size × size street grid (100 m blocks) with random speeds and one-way streets."""
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(size):
        for j in range(size - 1):
            lines.append([(j * 100, i * 100), ((j + 1) * 100, i * 100)])
            lines.append([(i * 100, j * 100), (i * 100, (j + 1) * 100)])
    n = len(lines)
    return roads(lines, speed=rng.choice([20.0, 30.0, 50.0, 70.0], n),
                 oneway=rng.choice([0, 0, 0, 1, -1], n))


def test_shortest_paths_equal_networkx():
    """All-pairs travel times match networkx's Dijkstra on a random one-way street grid."""
    r = grid_roads(6, seed=3)
    net = RoadNetwork.from_roads(r)
    g = nx.DiGraph()
    for u, v, t in zip(net.edge_from, net.edge_to, net.edge_time_s):
        if not g.has_edge(u, v) or g[u][v]["w"] > t:
            g.add_edge(int(u), int(v), w=float(t))
    ours = net.cost_matrix(np.arange(net.n_nodes))
    for s in range(net.n_nodes):
        ref = nx.single_source_dijkstra_path_length(g, s, weight="w")
        expected = np.full(net.n_nodes, np.inf)
        for k, d in ref.items():
            expected[k] = d
        np.testing.assert_allclose(ours[s], expected, rtol=1e-12)
    cost, path = net.shortest_path(0, net.n_nodes - 1)
    assert cost == pytest.approx(nx.dijkstra_path_length(g, 0, net.n_nodes - 1, weight="w"))
    assert path[0] == 0 and path[-1] == net.n_nodes - 1


def test_one_way_street_is_respected():
    """A one-way street can be driven along its digitised direction only (and -1 reversed)."""
    r = roads([[(0, 0), (100, 0)], [(100, 0), (200, 0)]], oneway=[1, -1])
    net = RoadNetwork.from_roads(r)
    i0, i1, i2 = net.nearest_node(np.array([0, 100, 200]), np.array([0, 0, 0]))[0]
    m = net.cost_matrix([i0, i1, i2], [i0, i1, i2])
    assert np.isfinite(m[0, 1]) and np.isinf(m[1, 0])      # 0 → 100 allowed, back forbidden
    assert np.isinf(m[1, 2]) and np.isfinite(m[2, 1])      # reverse-only segment
    assert net.n_edges == 2


def test_travel_time_from_length_and_speed():
    """Edge time = length / speed: 360 m at 36 km/h is 36 s each way."""
    net = RoadNetwork.from_roads(roads([[(0, 0), (360, 0)]]))
    np.testing.assert_allclose(net.edge_length_m, [360.0, 360.0])
    np.testing.assert_allclose(net.edge_time_s, [36.0, 36.0])


def test_lines_are_split_at_shared_vertices():
    """Ways crossing at a shared vertex (OSM style, not split) connect there."""
    r = roads([[(0, 0), (100, 0), (200, 0)], [(100, -100), (100, 0), (100, 100)]])
    net = RoadNetwork.from_roads(r)
    assert net.n_nodes == 5
    assert net.n_edges == 8
    assert net.n_components == 1
    # Lines that cross without a shared vertex (a bridge over a road) do not connect.
    r2 = roads([[(0, 0), (200, 0)], [(100, -100), (100, 100)]])
    assert RoadNetwork.from_roads(r2).n_components == 2


def test_parallel_edges_keep_the_fastest():
    """Two roads between the same nodes: routing uses the faster one."""
    r = roads([[(0, 0), (1000, 0)], [(0, 0), (500, 300), (1000, 0)]], speed=[10.0, 100.0])
    net = RoadNetwork.from_roads(r)
    i, j = net.nearest_node(np.array([0.0, 1000.0]), np.array([0.0, 0.0]))[0]
    slow = 1000 / (10 / 3.6)
    fast = 2 * np.hypot(500, 300) / (100 / 3.6)
    assert net.cost_matrix([i], [j])[0, 0] == pytest.approx(min(slow, fast))


def test_footpaths_are_not_drivable():
    """Paths and steps stay out of the car network; a closed edge mask cuts a route."""
    r = roads([[(0, 0), (100, 0)], [(100, 0), (200, 0)]], road_class=["residential", "path"])
    net = RoadNetwork.from_roads(r)
    assert net.n_edges == 2 and net.n_nodes == 2
    full = RoadNetwork.from_roads(r, drivable_only=False)
    assert full.n_edges == 4
    reach = full.reachable([0], edge_mask=full.edge_road != 1)
    assert reach.sum() == 2


def test_matrix_2000_by_2000_shape_and_symmetry_of_two_way_grid():
    """A many-to-many matrix on a two-way grid is symmetric and has the asked shape."""
    r = roads([[(j * 100, i * 100), ((j + 1) * 100, i * 100)] for i in range(10) for j in range(9)]
              + [[(i * 100, j * 100), (i * 100, (j + 1) * 100)] for i in range(10)
                 for j in range(9)])
    net = RoadNetwork.from_roads(r)
    rng = np.random.default_rng(0)
    o = rng.integers(0, net.n_nodes, 2000)
    m = net.cost_matrix(o, o)
    assert m.shape == (2000, 2000)
    np.testing.assert_allclose(m, m.T, rtol=1e-12)
    assert np.isfinite(m).all()
