"""Territory benchmark: load time and peak memory of the real data sets, and a
2,000 × 2,000 travel-time matrix on the Olemps road network.

Run from the repository root (needs ../shared/data beside it)::

    python benchmarks/territory.py

Each load runs in a fresh process so its peak resident memory (ru_maxrss) is its own;
the baseline (Python + jumeau imported) is printed next to it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANIFESTS = ROOT / "tests" / "manifests"
SETS = ("olemps", "oisans", "lorient", "redon")

CHILD = r"""
import json, resource, sys, time
import jumeau.io.manifest as m
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
t = m.load_territory(sys.argv[1])
net = t.network if len(t.roads) else None
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
files = sum(p.stat().st_size for p in {__import__('pathlib').Path(x) for x in sys.argv[2:]})
print(json.dumps({"seconds": elapsed, "peak_mb": peak / 1024, "baseline_mb": base / 1024,
                  "buildings": len(t.buildings), "roads": len(t.roads),
                  "dem_cells": int(t.terrain.elevation_m.size) if t.terrain is not None else 0,
                  "nodes": net.n_nodes if net else 0}))
"""


def data_size_mb(name: str) -> float:
    folder = {"olemps": "olemps_bdtopo", "oisans": "oisans_ruitor",
              "lorient": "lorient_noisemodelling", "redon": "redon_osm"}[name]
    return sum(p.stat().st_size for p in (ROOT.parent / "shared" / "data" / folder).rglob("*")
               if p.is_file()) / 1e6


def load_figures() -> None:
    print("Territory loads (fresh process each; wall time includes reading, reprojection, "
          "estimation and the network):")
    print(f"  {'set':<8} {'data MB':>8} {'load s':>8} {'peak MB':>8} {'base MB':>8}  content")
    for name in SETS:
        out = subprocess.run([sys.executable, "-c", CHILD, str(MANIFESTS / f"{name}.yaml")],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"  {name:<8} {data_size_mb(name):>8.1f} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f} "
              f"{r['baseline_mb']:>8.0f}  {r['buildings']} buildings, {r['roads']} roads, "
              f"{r['dem_cells']} DEM cells, {r['nodes']} network nodes")


def matrix_figures(n: int = 2000, repeats: int = 3) -> None:
    import numpy as np

    from jumeau.io.manifest import load_territory

    t = load_territory(MANIFESTS / "olemps.yaml")
    net = t.network
    comp = net.components
    main = np.flatnonzero(comp == np.bincount(comp).argmax())
    rng = np.random.default_rng(0)
    origins = rng.choice(main, n, replace=False)
    net.graph()  # build the sparse graph once (cached), as a real session would
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        m = net.cost_matrix(origins, origins)
        times.append(time.perf_counter() - t0)
    finite = np.isfinite(m)
    print(f"\nTravel-time matrix on the Olemps network ({net.n_nodes} nodes, {net.n_edges} "
          f"directed edges):")
    print(f"  {n} × {n}: best {min(times):.3f} s, median {sorted(times)[len(times) // 2]:.3f} s "
          f"over {repeats} runs (scipy.sparse.csgraph.dijkstra); goal < 5 s")
    print(f"  reachable pairs {finite.mean():.1%} (one-way streets), median time "
          f"{np.median(m[finite]) / 60:.1f} min")


if __name__ == "__main__":
    load_figures()
    matrix_figures()
