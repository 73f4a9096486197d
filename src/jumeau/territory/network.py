"""The routable road network: nodes, directed edges, travel times.

Built once from the roads layer. Lines are split wherever they share a vertex with
another line (OpenStreetMap ways cross at shared nodes) or end; edges keep the row of
the road they come from, so results map back onto the roads layer. Shortest paths and
many-to-many matrices run in compiled graph code (:mod:`scipy.sparse.csgraph`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import shapely
from scipy import sparse
from scipy.sparse import csgraph
from scipy.spatial import cKDTree

from jumeau.territory.schema import DRIVABLE_CLASSES

#: Vertices closer than this are the same network node.
SNAP_TOLERANCE_M = 0.01


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """A directed road graph.

    Attributes
    ----------
    node_x, node_y
        Node coordinates (territory CRS).
    edge_from, edge_to
        Node indices of each directed edge.
    edge_length_m, edge_time_s
        Length and free-flow travel time of each edge.
    edge_road
        Row (position) in the roads layer of the road each edge comes from.
    """

    node_x: np.ndarray
    node_y: np.ndarray
    edge_from: np.ndarray
    edge_to: np.ndarray
    edge_length_m: np.ndarray
    edge_time_s: np.ndarray
    edge_road: np.ndarray

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_roads(cls, roads: gpd.GeoDataFrame, *, drivable_only: bool = True,
                   snap_tolerance_m: float = SNAP_TOLERANCE_M) -> RoadNetwork:
        """Build the network of ``roads`` (canonical roads layer).

        Parameters
        ----------
        roads
            Canonical roads with ``road_class``, ``speed_kmh`` and ``oneway``.
        drivable_only
            Keep only classes a car can use (see ``DRIVABLE_CLASSES``). Roads whose
            ``closed`` flag is set (by a measure) are always left out.
        snap_tolerance_m
            Vertices closer than this (on a grid of this step) become one node.
        """
        keep = np.ones(len(roads), dtype=bool)
        if drivable_only:
            keep = roads["road_class"].isin(DRIVABLE_CLASSES).to_numpy()
        if "closed" in roads.columns:
            keep = keep & ~roads["closed"].to_numpy(bool)  # closed by a measure
        rows = np.flatnonzero(keep)
        geoms = shapely.get_parts(np.asarray(roads.geometry.values)[rows], return_index=True)
        parts, part_row = geoms
        parts = shapely.force_2d(parts)
        lines = shapely.get_type_id(parts) == 1  # LineString
        parts, part_row = parts[lines], rows[part_row[lines]]
        if len(parts) == 0:
            return cls._empty()
        coords, vert_line = shapely.get_coordinates(parts, return_index=True)
        n = len(coords)
        first = np.r_[True, vert_line[1:] != vert_line[:-1]]
        last = np.r_[vert_line[1:] != vert_line[:-1], True]

        keys = np.round(coords / snap_tolerance_m).astype(np.int64)
        _, key_id, = np.unique(keys, axis=0, return_inverse=True)[:2]
        key_id = key_id.ravel()
        # Number of distinct lines through each key: a vertex shared by two lines is a node.
        pairs = np.unique(np.stack([key_id, vert_line]), axis=1)
        lines_at_key = np.bincount(pairs[0], minlength=key_id.max() + 1)
        is_node = first | last | (lines_at_key[key_id] >= 2)

        step = np.zeros(n)
        step[1:] = np.hypot(*(coords[1:] - coords[:-1]).T)
        step[first] = 0.0
        along = np.cumsum(step)

        node_keys, node_of_vertex = np.unique(key_id[is_node], return_inverse=True)
        nv = np.flatnonzero(is_node)
        same = vert_line[nv[1:]] == vert_line[nv[:-1]]
        a, b = nv[:-1][same], nv[1:][same]
        u = node_of_vertex[:-1][same]
        v = node_of_vertex[1:][same]
        length = along[b] - along[a]
        road = part_row[vert_line[a]]

        # Node coordinates: the first vertex seen with each key.
        first_vertex = np.zeros(len(node_keys), dtype=np.int64)
        first_vertex[node_of_vertex[::-1]] = nv[::-1]
        node_xy = coords[first_vertex]

        speed_kmh = roads["speed_kmh"].to_numpy(dtype=float)[road]
        speed_kmh = np.where(np.isfinite(speed_kmh) & (speed_kmh > 0), speed_kmh, 30.0)
        time_s = length / (speed_kmh / 3.6)
        oneway = roads["oneway"].to_numpy()[road]
        fwd = oneway >= 0
        bwd = oneway <= 0
        ok = u != v
        fwd &= ok
        bwd &= ok
        return cls(
            node_x=node_xy[:, 0].copy(), node_y=node_xy[:, 1].copy(),
            edge_from=np.r_[u[fwd], v[bwd]].astype(np.int64),
            edge_to=np.r_[v[fwd], u[bwd]].astype(np.int64),
            edge_length_m=np.r_[length[fwd], length[bwd]],
            edge_time_s=np.r_[time_s[fwd], time_s[bwd]],
            edge_road=np.r_[road[fwd], road[bwd]].astype(np.int64),
        )

    @classmethod
    def _empty(cls) -> RoadNetwork:
        z = np.zeros(0)
        i = np.zeros(0, dtype=np.int64)
        return cls(z, z, i, i, z, z, i)

    # -- size and structure -------------------------------------------------------------
    @property
    def n_nodes(self) -> int:
        return len(self.node_x)

    @property
    def n_edges(self) -> int:
        return len(self.edge_from)

    def graph(self, weight: str = "time", edge_mask: np.ndarray | None = None) -> sparse.csr_matrix:
        """Sparse adjacency matrix weighted by ``"time"`` (s) or ``"length"`` (m).

        Parallel edges keep their smallest weight. ``edge_mask`` (bool per edge) keeps
        only some edges, e.g. the ones a flood leaves passable.
        """
        if edge_mask is None and weight in self._graphs:
            return self._graphs[weight]
        w = self.edge_time_s if weight == "time" else self.edge_length_m
        u, v = self.edge_from, self.edge_to
        if edge_mask is not None:
            u, v, w = u[edge_mask], v[edge_mask], w[edge_mask]
        order = np.lexsort((w, v, u))
        u, v, w = u[order], v[order], w[order]
        keep = np.r_[True, (u[1:] != u[:-1]) | (v[1:] != v[:-1])]
        # csgraph treats explicit zeros as missing edges: keep zero-length edges tiny.
        w = np.maximum(w[keep], 1e-9)
        g = sparse.csr_matrix((w, (u[keep], v[keep])), shape=(self.n_nodes, self.n_nodes))
        if edge_mask is None:
            self._graphs[weight] = g
        return g

    @cached_property
    def _graphs(self) -> dict[str, sparse.csr_matrix]:
        return {}

    @cached_property
    def components(self) -> np.ndarray:
        """Weakly connected component label of each node."""
        if self.n_nodes == 0:
            return np.zeros(0, dtype=np.int64)
        return csgraph.connected_components(self.graph(), directed=True, connection="weak")[1]

    @property
    def n_components(self) -> int:
        """Number of weakly connected components (pieces of the network)."""
        return int(self.components.max() + 1) if self.n_nodes else 0

    @cached_property
    def strong_components(self) -> np.ndarray:
        """Strongly connected component label of each node (mutually reachable nodes)."""
        if self.n_nodes == 0:
            return np.zeros(0, dtype=np.int64)
        return csgraph.connected_components(self.graph(), directed=True, connection="strong")[1]

    # -- queries ------------------------------------------------------------------------
    @cached_property
    def _tree(self) -> cKDTree:
        return cKDTree(np.column_stack([self.node_x, self.node_y]))

    def nearest_node(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node of each point and its distance in metres."""
        dist, idx = self._tree.query(np.column_stack([np.atleast_1d(x), np.atleast_1d(y)]))
        return idx.astype(np.int64), dist

    def cost_matrix(self, origins: np.ndarray, destinations: np.ndarray | None = None, *,
                    weight: str = "time", edge_mask: np.ndarray | None = None) -> np.ndarray:
        """Shortest-path costs from each origin node to each destination node.

        Seconds for ``weight="time"``, metres for ``"length"``; ``inf`` where no path
        exists. Runs Dijkstra once per distinct origin in compiled code.
        """
        origins = np.asarray(origins, dtype=np.int64)
        uniq, back = np.unique(origins, return_inverse=True)
        dist = csgraph.dijkstra(self.graph(weight, edge_mask), directed=True, indices=uniq)
        dist = dist[back]
        if destinations is not None:
            dist = dist[:, np.asarray(destinations, dtype=np.int64)]
        return dist

    def shortest_path(self, origin: int, destination: int, *, weight: str = "time",
                      edge_mask: np.ndarray | None = None) -> tuple[float, list[int]]:
        """Cost and node sequence of the shortest path (``inf, []`` if unreachable)."""
        dist, pred = csgraph.dijkstra(self.graph(weight, edge_mask), directed=True,
                                      indices=int(origin), return_predecessors=True)
        if not np.isfinite(dist[destination]):
            return float("inf"), []
        path = [int(destination)]
        while path[-1] != origin:
            path.append(int(pred[path[-1]]))
        return float(dist[destination]), path[::-1]

    def reachable(self, sources: np.ndarray, *, edge_mask: np.ndarray | None = None,
                  reverse: bool = False) -> np.ndarray:
        """Bool per node: can it be reached from any source (or reach one, ``reverse``)."""
        g = self.graph("time", edge_mask)
        if reverse:
            g = g.T.tocsr()
        sources = np.unique(np.asarray(sources, dtype=np.int64))
        if len(sources) == 0:
            return np.zeros(self.n_nodes, dtype=bool)
        dist = csgraph.dijkstra(g, directed=True, indices=sources, min_only=True)
        return np.isfinite(dist)

    def edges_frame(self, crs: object) -> gpd.GeoDataFrame:
        """Edges as straight lines (for inspection and maps)."""
        geom = shapely.linestrings(
            np.stack([np.column_stack([self.node_x[self.edge_from], self.node_y[self.edge_from]]),
                      np.column_stack([self.node_x[self.edge_to], self.node_y[self.edge_to]])],
                     axis=1))
        return gpd.GeoDataFrame({"from": self.edge_from, "to": self.edge_to,
                                 "length_m": self.edge_length_m, "travel_time_s": self.edge_time_s,
                                 "road": self.edge_road}, geometry=geom, crs=crs)
