"""Truck travel on the territory's road network: speeds, closures, placement, matrices.

The territory's :class:`~jumeau.territory.network.RoadNetwork` already respects one-way
streets and leaves out roads closed by a measure. Here it becomes a *truck* network:

- each edge's speed is its road's speed (by road class, from the data or the class
  defaults) capped at the truck's top speed;
- roads cut by an earlier flood of the same variant (``flood.roads_cut``) are removed;
- collection points, the depot and the unloading site are placed *on* street segments
  (at a fraction of a segment's length, not only at junctions), so a truck reaches a
  point from either end of its segment (either end allowed by the one-way rules);
- many-to-many travel times and distances run Dijkstra in compiled code
  (:mod:`scipy.sparse.csgraph`), once per distinct junction used.

Distances follow the fastest paths (the distance a truck actually drives), not the
shortest ones.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.sparse import csgraph

from jumeau.territory.network import RoadNetwork


def truck_network(network: RoadNetwork, roads_speed_kmh: np.ndarray, *,
                  speed_cap_kmh: float) -> RoadNetwork:
    """The network as a truck drives it: each edge at its road's speed, capped.

    Parameters
    ----------
    network
        The territory's drivable network.
    roads_speed_kmh
        Speed of each row of the roads layer (NaN or ≤ 0: 30 km/h, the network's default).
    speed_cap_kmh
        The truck's top speed.
    """
    speed = np.asarray(roads_speed_kmh, dtype=float)[network.edge_road]
    speed = np.where(np.isfinite(speed) & (speed > 0), speed, 30.0)
    speed = np.minimum(speed, speed_cap_kmh)
    return dataclasses.replace(network, edge_time_s=network.edge_length_m / (speed / 3.6))


def open_edges(network: RoadNetwork, removed_roads: np.ndarray | None) -> np.ndarray:
    """Bool per edge: not on a removed road (``removed_roads``: bool per roads row).

    Removed edges stay in the network (collection points keep their street) but no
    truck drives them: points on them become unreachable.
    """
    if removed_roads is None or not network.n_edges:
        return np.ones(network.n_edges, dtype=bool)
    return ~np.asarray(removed_roads, dtype=bool)[network.edge_road]


@dataclass(frozen=True)
class Segments:
    """The network's street segments: directed edges paired into undirected pieces.

    Attributes
    ----------
    node_a, node_b
        End nodes (``node_a < node_b``).
    edge_ab, edge_ba
        Directed edge driving a→b and b→a (-1 when one-way forbids it).
    road
        Row of the roads layer.
    length_m
        Length along the road.
    """

    node_a: np.ndarray
    node_b: np.ndarray
    edge_ab: np.ndarray
    edge_ba: np.ndarray
    road: np.ndarray
    length_m: np.ndarray

    def __len__(self) -> int:
        return len(self.node_a)

    def lines(self, network: RoadNetwork) -> np.ndarray:
        """Straight lines from ``node_a`` to ``node_b``."""
        xy = np.stack([np.column_stack([network.node_x[self.node_a], network.node_y[self.node_a]]),
                       np.column_stack([network.node_x[self.node_b], network.node_y[self.node_b]])],
                      axis=1)
        return shapely.linestrings(xy)


def segments(network: RoadNetwork) -> Segments:
    """Pair the directed edges of ``network`` into undirected street segments."""
    u, v, road = network.edge_from, network.edge_to, network.edge_road
    a, b = np.minimum(u, v), np.maximum(u, v)
    # Parallel pieces of one road between the same nodes are one segment (rare).
    key = np.stack([a, b, road])
    uniq, seg = np.unique(key, axis=1, return_inverse=True)
    seg = seg.ravel()
    n = uniq.shape[1]
    ids = np.arange(network.n_edges)
    edge_ab = np.full(n, -1, dtype=np.int64)
    edge_ba = np.full(n, -1, dtype=np.int64)
    fwd = u < v
    edge_ab[seg[fwd]] = ids[fwd]
    edge_ba[seg[~fwd]] = ids[~fwd]
    length = np.zeros(n)
    length[seg] = network.edge_length_m
    return Segments(uniq[0], uniq[1], edge_ab, edge_ba, uniq[2], length)


@dataclass(frozen=True)
class Placement:
    """Where locations sit on the street segments.

    Attributes
    ----------
    segment
        Segment of each location.
    t
        Position along the segment, 0 at ``node_a`` … 1 at ``node_b``.
    offset_m
        Straight-line distance from the location's own coordinates to the segment.
    served
        Whether reaching the location means driving its whole segment while collecting
        (a street served door to door as one arc) rather than stopping at a point.
    """

    segment: np.ndarray
    t: np.ndarray
    offset_m: np.ndarray
    served: np.ndarray


def place(network: RoadNetwork, segs: Segments, x: np.ndarray, y: np.ndarray) -> Placement:
    """Place points on their nearest street segment."""
    pts = shapely.points(np.asarray(x, float), np.asarray(y, float))
    lines = segs.lines(network)
    tree = shapely.STRtree(lines)
    (qi, si), dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    seg = np.empty(len(pts), dtype=np.int64)
    off = np.empty(len(pts))
    seg[qi], off[qi] = si, dist
    t = shapely.line_locate_point(lines[seg], pts, normalized=True)
    t = np.where(np.isfinite(t), t, 0.5)
    return Placement(seg, t, off, np.zeros(len(pts), dtype=bool))


def served_streets(segment: np.ndarray) -> Placement:
    """Placement of whole segments served as arcs (one location per segment)."""
    segment = np.asarray(segment, dtype=np.int64)
    n = len(segment)
    return Placement(segment, np.full(n, 0.5), np.zeros(n), np.ones(n, dtype=bool))


@dataclass(frozen=True)
class Matrices:
    """Travel between locations.

    Attributes
    ----------
    time_s, distance_m
        (n, n) travel time and distance; for a served street, reaching it includes
        driving it at collecting speed. ``inf`` where no path exists.
    collect_time_s, collect_distance_m
        Time and distance of serving each location's street (0 for points).
    """

    time_s: np.ndarray
    distance_m: np.ndarray
    collect_time_s: np.ndarray
    collect_distance_m: np.ndarray


def _options(net: RoadNetwork, segs: Segments, pl: Placement, collect_speed_ms: float,
             is_open: np.ndarray | None = None):
    """Ways in and out of each location: (node, time, distance) for two directions.

    A point at ``t`` on a two-way segment is entered from ``node_a`` (driving a→b, after
    ``t`` of the edge) or from ``node_b``; left towards ``node_b`` or ``node_a``. A served
    street in direction a→b is entered at ``node_a`` and left at ``node_b`` after
    driving it all at collecting speed.
    """
    n = len(pl.segment)
    s = pl.segment
    edges = np.stack([segs.edge_ab[s], segs.edge_ba[s]], axis=1)  # (n, 2)
    ok = edges >= 0
    e = np.where(ok, edges, 0)
    if is_open is not None and net.n_edges:
        ok &= is_open[e]
    et = net.edge_time_s[e] if net.n_edges else np.zeros((n, 2))
    el = net.edge_length_m[e] if net.n_edges else np.zeros((n, 2))
    frac = np.stack([pl.t, 1.0 - pl.t], axis=1)  # position along each direction
    tail = np.stack([segs.node_a[s], segs.node_b[s]], axis=1)
    head = np.stack([segs.node_b[s], segs.node_a[s]], axis=1)
    inf = np.inf
    coll_t = np.where(pl.served, segs.length_m[s] / collect_speed_ms, 0.0)
    coll_l = np.where(pl.served, segs.length_m[s], 0.0)
    served = pl.served[:, None]
    in_t = np.where(ok, np.where(served, coll_t[:, None], frac * et), inf)
    in_l = np.where(ok, np.where(served, coll_l[:, None], frac * el), inf)
    out_t = np.where(ok, np.where(served, 0.0, (1 - frac) * et), inf)
    out_l = np.where(ok, np.where(served, 0.0, (1 - frac) * el), inf)
    return edges, ok, frac, tail, head, in_t, in_l, out_t, out_l, et, el, coll_t, coll_l


def travel_matrices(net: RoadNetwork, segs: Segments, pl: Placement, *,
                    collect_speed_kmh: float, direction: np.ndarray | None = None,
                    is_open: np.ndarray | None = None) -> Matrices:
    """Fastest travel between every pair of placed locations.

    ``direction`` (0: a→b, 1: b→a, -1: either) fixes the direction a location is driven in
    (used for served streets, whose two directions are two locations). Two points on one
    segment in driving order are joined along the segment directly.
    """
    collect = collect_speed_kmh / 3.6
    (edges, ok, frac, tail, head, in_t, in_l, out_t, out_l, et, el,
     coll_t, coll_l) = _options(net, segs, pl, collect, is_open)
    n = len(pl.segment)
    if direction is not None:
        d = np.asarray(direction)
        for k in (0, 1):
            off = (d >= 0) & (d != k)
            in_t[off, k] = in_l[off, k] = out_t[off, k] = out_l[off, k] = np.inf
    nodes = np.unique(np.r_[tail.ravel(), head.ravel()])
    if net.n_edges:
        sp_t, sp_l = fastest(net, nodes, is_open)
    else:
        sp_t = np.full((len(nodes), net.n_nodes), np.inf)
        sp_l = sp_t.copy()
    row = np.searchsorted(nodes, head)  # exits: rows of sp
    time = np.full((n, n), np.inf)
    dist = np.full((n, n), np.inf)
    for a in (0, 1):
        for b in (0, 1):
            cand_t = out_t[:, a, None] + sp_t[row[:, a]][:, tail[:, b]] + in_t[None, :, b]
            cand_l = out_l[:, a, None] + sp_l[row[:, a]][:, tail[:, b]] + in_l[None, :, b]
            # Same directed edge, second point further along: drive straight on.
            same = ((edges[:, a, None] == edges[None, :, b]) & ok[:, a, None] & ok[None, :, b]
                    & (frac[None, :, b] >= frac[:, a, None]) & ~pl.served[:, None]
                    & ~pl.served[None, :])
            step = (frac[None, :, b] - frac[:, a, None])
            cand_t = np.where(same, step * et[:, a, None], cand_t)
            cand_l = np.where(same, step * el[:, a, None], cand_l)
            better = cand_t < time
            time = np.where(better, cand_t, time)
            dist = np.where(better, cand_l, dist)
    np.fill_diagonal(time, 0.0)
    np.fill_diagonal(dist, 0.0)
    return Matrices(time, dist, coll_t, coll_l)


def fastest(net: RoadNetwork, origins: np.ndarray, is_open: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
    """Fastest-path time (s) and the distance driven along it (m), origins × all nodes."""
    g = net.graph("time", is_open)
    t, pred = csgraph.dijkstra(g, directed=True, indices=origins, return_predecessors=True)
    # Length of the fastest edge between consecutive nodes (the one the graph kept).
    m = np.ones(net.n_edges, dtype=bool) if is_open is None else is_open
    u, v, w, ln = net.edge_from[m], net.edge_to[m], net.edge_time_s[m], net.edge_length_m[m]
    order = np.lexsort((w, v, u))
    keep = np.r_[True, (u[order][1:] != u[order][:-1]) | (v[order][1:] != v[order][:-1])]
    key = u[order][keep] * net.n_nodes + v[order][keep]
    klen = ln[order][keep]
    # Distances accumulate in order of arrival time: a node's predecessor is done first.
    length = np.where(np.isfinite(t), 0.0, np.inf)
    rank = np.argsort(t, axis=1, kind="stable")
    rows = np.arange(len(origins))
    for k in range(1, net.n_nodes):
        node = rank[:, k]
        p = pred[rows, node]
        live = p >= 0
        if not live.any():
            continue
        r, nd, pp = rows[live], node[live], p[live]
        length[r, nd] = length[r, pp] + klen[np.searchsorted(key, pp * net.n_nodes + nd)]
    return t, length


def leg_paths(net: RoadNetwork, segs: Segments, pl: Placement, xy: np.ndarray,
              legs: np.ndarray, *, collect_speed_kmh: float,
              direction: np.ndarray | None = None, is_open: np.ndarray | None = None
              ) -> list[np.ndarray]:
    """Coordinates of the fastest path of each leg ``(from, to)`` between placed locations.

    Each path runs from the first location's point along the network's junctions to the
    second's (straight lines between junctions; for maps).
    """
    (edges, ok, frac, tail, head, in_t, _, out_t, _, et, _, _, _) = _options(
        net, segs, pl, collect_speed_kmh / 3.6, is_open)
    if direction is not None:
        d = np.asarray(direction)
        for k in (0, 1):
            off = (d >= 0) & (d != k)
            in_t[off, k] = out_t[off, k] = np.inf
    legs = np.asarray(legs, dtype=np.int64).reshape(-1, 2)
    if not len(legs) or not net.n_edges:
        return [xy[list(leg)] for leg in legs]
    origins = np.unique(head[legs[:, 0]].ravel())
    t, pred = csgraph.dijkstra(net.graph("time", is_open), directed=True, indices=origins,
                               return_predecessors=True)
    node_xy = np.column_stack([net.node_x, net.node_y])
    paths = []
    for i, j in legs:
        best, choice = np.inf, None
        for a in (0, 1):
            for b in (0, 1):
                if (edges[i, a] == edges[j, b] and ok[i, a] and frac[j, b] >= frac[i, a]
                        and not pl.served[i] and not pl.served[j]):
                    cost, pick = (frac[j, b] - frac[i, a]) * et[i, a], "direct"
                else:
                    r = np.searchsorted(origins, head[i, a])
                    cost = out_t[i, a] + t[r, tail[j, b]] + in_t[j, b]
                    pick = (r, head[i, a], tail[j, b], head[j, b] if pl.served[j] else None)
                if cost < best:
                    best, choice = cost, pick
        if choice is None or choice == "direct":
            paths.append(xy[[i, j]])
            continue
        r, start, stop, served_end = choice
        nodes = [stop]
        while nodes[-1] != start and pred[r, nodes[-1]] >= 0:
            nodes.append(pred[r, nodes[-1]])
        nodes = nodes[::-1]
        if served_end is not None:
            nodes.append(served_end)
        paths.append(np.vstack([xy[i], node_xy[nodes], xy[j]]))
    return paths
