"""Speed of the heat model, printed as figures (nothing is asserted).

Section 1: one day-and-night run of the InVEST Urban Cooling Model on 1,000 × 1,000 cells
of 10 m (10 × 10 km, 1 M pixels): a synthetic land cover of six classes in blobs, the
default distances (d_cool 450 m, mixing 500 m). It times the operators' set-up (kernel
FFTs), then the day and the night (cooling capacity, park term, 2 ha rule, mixing).
Goal: under 1 s.

Section 2: the demo commune's 7-day episode (``scenarios/canicule-2003.yaml``, baseline):
the land cover derived from the layers, the cooling model, exposure per building and the
simpy heatwave plan, from the loaded territory to the result. Goal: under 10 s.

InVEST itself (``natcap.invest``) is compared when it can be imported; it needs GDAL's
Python bindings, which have no wheel on PyPI, so on a plain pip environment it is skipped
(and said so).

Run::

    python benchmarks/heat.py
    python benchmarks/heat.py --cells 500     # a quick look
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from scipy.signal import fftconvolve

from jumeau.heat import cooling


def synthetic(cells: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    noise = fftconvolve(rng.standard_normal((cells, cells)), np.ones((41, 41)), mode="same")
    classes = np.digitize(noise, np.quantile(noise, [0.2, 0.4, 0.55, 0.7, 0.85]))
    pick = lambda *v: np.array(v)[classes]
    return dict(shade=pick(0, 0, 0.1, 0.4, 0.9, 0), albedo=pick(0.12, 0.2, 0.18, 0.2, 0.17, 0.08),
                kc=pick(0.1, 0, 0.5, 0.9, 1.0, 1.05), green=pick(0, 0, 0, 1, 1, 0).astype(bool),
                intensity=pick(0.4, 0.8, 0.15, 0, 0, 0))


def ucm_day_night(lc: dict, cell_m: float = 10.0) -> dict:
    t0 = time.perf_counter()
    model = cooling.UrbanCooling(np.ones(lc["shade"].shape, bool), cell_m, 450.0, 500.0)
    t1 = time.perf_counter()
    green = model.green_area_px(lc["green"])
    cc = cooling.cooling_capacity_day(lc["shade"], lc["albedo"],
                                      cooling.evapotranspiration_index(lc["kc"], 5.0))
    hm, _ = model.heat_mitigation(cc, lc["green"], green)
    day = model.air_temperature(hm, 31.0, 3.0)
    t2 = time.perf_counter()
    hm, _ = model.heat_mitigation(cooling.cooling_capacity_night(lc["intensity"]), lc["green"],
                                  green)
    night = model.air_temperature(hm, 21.0, 4.0)
    t3 = time.perf_counter()
    return {"setup_s": t1 - t0, "day_s": t2 - t1, "night_s": t3 - t2, "total_s": t3 - t0,
            "day": day, "night": night}


def section_1(cells: int) -> None:
    lc = synthetic(cells)
    ucm_day_night(lc)  # warm-up (imports, FFT plans)
    runs = [ucm_day_night(lc) for _ in range(3)]
    best = min(runs, key=lambda r: r["total_s"])
    print(f"1. InVEST Urban Cooling, day + night, {cells} x {cells} cells of 10 m "
          f"({cells * cells / 1e6:.2f} M pixels), best of 3:")
    print(f"   set-up (kernel FFTs) {best['setup_s']:.2f} s, day {best['day_s']:.2f} s, "
          f"night {best['night_s']:.2f} s -> total {best['total_s']:.2f} s (goal < 1 s)")
    print(f"   day {np.nanmin(best['day']):.2f}-{np.nanmax(best['day']):.2f} °C, "
          f"night {np.nanmin(best['night']):.2f}-{np.nanmax(best['night']):.2f} °C")
    try:
        import natcap.invest.urban_cooling_model  # noqa: F401
    except ImportError as exc:
        print(f"   InVEST not compared: natcap.invest cannot be imported here ({exc}); it "
              "needs GDAL's Python bindings (no PyPI wheel). The test suite checks the "
              "equations against an independent implementation instead "
              "(tests/heat/test_cooling.py, within 0.01 °C on 300,000 cells).")


def section_2() -> None:
    from pathlib import Path

    from jumeau.io.references import resolve
    from jumeau.scenario.runner import load_territory
    from jumeau.scenario.spec import read_scenario

    root = Path(__file__).resolve().parents[1]
    scenario = read_scenario(root / "scenarios" / "canicule-2003.yaml")
    kind_params = next(iter(scenario.variants.values())).simulations["heatwave"]
    resolve(kind_params)
    territory = load_territory("demo")
    from jumeau.heat import simulate

    simulate(territory, kind_params, seed=1)  # warm-up (network, imports)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        result = simulate(territory, kind_params, seed=1)
        times.append(time.perf_counter() - t0)
    print(f"2. Demo commune, 7-day episode with exposure ({len(result.buildings)} buildings) "
          f"and the heatwave plan ({result.register_size} registered), grid "
          f"{result.grid.shape[0]} x {result.grid.shape[1]} at {result.grid.resolution_m:g} m:")
    print(f"   {min(times):.2f} s (best of 3; goal < 10 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1000)
    args = parser.parse_args()
    section_1(args.cells)
    section_2()


if __name__ == "__main__":
    main()
