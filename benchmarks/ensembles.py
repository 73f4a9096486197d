"""Speed of an ensemble: 20 members of the demo's 100-year flood, serially and on a
local Dask cluster of all the machine's cores, with the speed-up (printed, not asserted).

The members are those of a risk scenario: the demo's 100-year flood
(``scenarios/crue-centennale.yaml``) with its peak discharge ± 20 % and Manning's n of
open ground drawn in [0.035, 0.065] by Latin hypercube, each run through
:func:`jumeau.scenario.risk_runner.run_task` (flood, impacts, reduction), exactly as
``jumeau run`` does for ``scenarios/risque-mur.yaml``. To keep the benchmark to a few
minutes, the flood is simulated over ``--duration-h`` hours (default 3 h: the rise, the
peak and the first hour after it) instead of the scenario's 6 h.

Both runs use one thread per run — the serial one because this script sets
``NUMBA_NUM_THREADS=1`` before anything imports numba, the cluster's workers by the
engine's design — so the speed-up measures the engine, not the solver's own threads.
The cluster's start-up (worker processes, imports, the territory sent to each worker)
is inside the parallel time. The script also checks that both give bit-identical
results.

Run::

    python benchmarks/ensembles.py                  # 20 members, 3 h floods
    python benchmarks/ensembles.py --members 4 --duration-h 1   # a quick look
"""

from __future__ import annotations

import os

os.environ["NUMBA_NUM_THREADS"] = "1"  # before numba is imported: serial = one thread

import argparse
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    from jumeau.machine import allowed_cpus
    from jumeau.risk.sampling import parse_inputs
    from jumeau.scenario.engine import Engine, run_many
    from jumeau.scenario.risk_runner import build_tasks, run_task
    from jumeau.scenario.risk_spec import RiskPlan, RiskSettings
    from jumeau.scenario.runner import apply_measures, load_territory
    from jumeau.scenario.spec import read_scenario

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--members", type=int, default=20)
    parser.add_argument("--duration-h", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=None,
                        help="local workers (default: every allowed CPU)")
    args = parser.parse_args()
    workers = args.workers or allowed_cpus()

    scenario = read_scenario(ROOT / "scenarios" / "crue-centennale.yaml")
    scenario.spec.simulate["flood"]["duration_h"] = args.duration_h
    scenario.risk = RiskPlan(events=[], uncertain=parse_inputs({
        "flood.inflows.0.hydrograph.discharge_m3s": {"scale_pct": 20},
        "flood.manning.default": {"min": 0.035, "max": 0.065}}),
        members=args.members, settings=RiskSettings())
    tasks, _ = build_tasks(scenario, scenario.risk)
    territory = load_territory("demo")
    territories = {n: apply_measures(territory, scenario, n) for n in scenario.variants}
    print(f"{len(tasks)} members of the demo's 100-year flood, {args.duration_h:g} h each, "
          f"grid {territory.require_terrain().shape}; {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at start")

    # warm-up: compile (or load from numba's cache) the solver in this process
    run_task(territories, build_tasks(_short(scenario), scenario.risk)[0][0])

    t0 = time.perf_counter()
    serial = run_many(run_task, tasks, shared=territories, engine=Engine(workers=1))
    t_serial = time.perf_counter() - t0
    print(f"serial, one process:         {t_serial:7.1f} s "
          f"({t_serial / len(tasks):.1f} s per member)")

    t0 = time.perf_counter()
    parallel = run_many(run_task, tasks, shared=territories, engine=Engine(workers=workers))
    t_parallel = time.perf_counter() - t0
    speedup = t_serial / t_parallel
    print(f"local cluster, {workers} workers:   {t_parallel:7.1f} s "
          f"(cluster start-up included)")
    print(f"speed-up {speedup:.2f} on {workers} cores: {100 * speedup / workers:.0f} % of "
          f"linear (goal: within 15 %, i.e. ≥ {0.85 * workers:.2f})")
    same = all(a.indicators == b.indicators and all(np.array_equal(a.masks[k], b.masks[k])
                                                    for k in a.masks)
               for a, b in zip(serial, parallel, strict=True))
    print(f"bit-identical results: {same}; load average {os.getloadavg()[0]:.1f} at end")


def _short(scenario):
    """A copy of the scenario whose flood lasts six minutes (warm-up)."""
    import copy

    s = copy.deepcopy(scenario)
    s.spec.simulate["flood"]["duration_h"] = 0.1
    return s


if __name__ == "__main__":
    main()
