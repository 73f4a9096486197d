"""How big and how fast is a map of a real-sized commune?

Builds a synthetic territory (10,000 buildings by default, streets, a river, a 5 m DEM),
writes the flood-like example map of the tests (background, buildings by depth, a
depth grid, a 5-frame animation, series, key figures), then opens it in headless
Chromium with the network blocked and times how long it takes to draw.

    python benchmarks/maps.py                 # 10,000 buildings, 3 browser runs
    python benchmarks/maps.py --buildings 30000 --keep /tmp/map.html
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("JUMEAU_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def _synthetic():
    spec = importlib.util.spec_from_file_location("jumeau_tests_maps_synthetic",
                                                  ROOT / "tests" / "maps" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def build(n_buildings: int) -> tuple[str, dict[str, float]]:
    """Write the example map of ``n_buildings``; return it and timings (s)."""
    synthetic = _synthetic()
    times = {}
    t0 = time.perf_counter()
    territory = synthetic.make_territory(n_buildings, cell_m=5.0)
    times["territory"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    builder, _ = synthetic.example_map(territory)
    times["layers"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    page = builder.to_html()
    times["to_html"] = time.perf_counter() - t0
    times["grid_cells"] = territory.terrain.shape[0] * territory.terrain.shape[1]
    return page, times


def open_in_chromium(path: Path, runs: int) -> tuple[list[float], list[float], list[str]]:
    """Seconds to the load event and to the first full drawing, per run; blocked URLs."""
    from playwright.sync_api import sync_playwright

    loads, drawn, blocked = [], [], []

    def route(r):
        if r.request.url.startswith(("file:", "data:", "about:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as p:
        for _ in range(runs):
            with tempfile.TemporaryDirectory() as profile:
                context = p.chromium.launch_persistent_context(
                    profile, executable_path=CHROMIUM, args=ARGS, headless=True,
                    viewport={"width": 1280, "height": 800})
                context.route("**/*", route)
                page = context.new_page()
                t0 = time.perf_counter()
                page.goto(path.as_uri(), wait_until="load")
                loads.append(time.perf_counter() - t0)
                page.wait_for_function("() => window.jumeau && window.jumeau.rendered === true",
                                       timeout=120_000)
                drawn.append(time.perf_counter() - t0)
                context.close()
    return loads, drawn, blocked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3, help="browser runs (0: none)")
    parser.add_argument("--keep", type=Path, help="also write the map there")
    args = parser.parse_args()

    page, times = build(args.buildings)
    size = len(page.encode("utf-8"))
    print(f"buildings            {args.buildings:>10,}")
    print(f"DEM cells            {times['grid_cells']:>10,}")
    print(f"build territory      {times['territory']:>10.2f} s")
    print(f"add layers           {times['layers']:>10.2f} s")
    print(f"to_html              {times['to_html']:>10.2f} s")
    print(f"HTML size            {size / 1e6:>10.2f} MB")

    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "map.html"
        path.write_text(page, encoding="utf-8")
        if args.runs and Path(CHROMIUM).exists():
            loads, drawn, blocked = open_in_chromium(path.resolve(), args.runs)
            print(f"Chromium load event  {statistics.median(loads):>10.2f} s (median of "
                  f"{len(loads)}: {', '.join(f'{v:.2f}' for v in loads)})")
            print(f"Chromium drawn       {statistics.median(drawn):>10.2f} s (median of "
                  f"{len(drawn)}: {', '.join(f'{v:.2f}' for v in drawn)})")
            print(f"network requests     {len(blocked):>10} (all blocked)")
        elif args.runs:
            print(f"Chromium             {'not found at ' + CHROMIUM:>10}")


if __name__ == "__main__":
    main()
