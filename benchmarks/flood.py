"""Speed of the flood solver, printed as figures (nothing is asserted).

Section 1 runs one dam-break case in jumeau and in landlab's ``OverlandFlow`` (the same
de Almeida et al. 2012 scheme) side by side: 500 × 500 cells of 5 m, flat bed, closed
edges, Manning n = 0.03, 2 m of water in the 20 westernmost columns released at t = 0,
one hour simulated. It prints both wall times, the cell updates per second of each, the
ratio, and the depth difference at five points of the centre row. jumeau runs with
landlab's θ and α (like for like: the same numbers to a few micrometres), then with its
own default α, smaller for stability in deep channels, hence more steps. Each model runs
three times (``--repeat``) and its fastest run counts: on a shared machine the others'
load slows a short run by 10 % and more, and the fastest is the least disturbed.

Section 2 times the demo commune's 100-year flood (``scenarios/crue-centennale.yaml``):
the whole simulation, from the loaded territory to the impacts, and the solver's loop.

Section 3 measures the peak memory of a run on 2,000 × 2,000 cells (the dam break,
scaled up, 10 minutes simulated, no snapshots): the largest memory numpy held during
``solve_flood`` (``tracemalloc``), beyond the inputs the caller made, per cell.

``--row-cost`` splits the cost of a step into a part per visited row and a part per
active cell (channels of fixed widths, one thread): what a row's bookkeeping costs
against the cells' arithmetic and memory traffic.

``--loops`` times each of the four row loops of a time step alone (x-faces, y-faces,
limiter, depth update with its records) over 500 × 500 wet cells, one thread, and sets
their sum against what the dam break costs per cell update: the difference is the work
per visited row (loop set-up, run-time overlap checks, scalar remainders, edge faces)
and the cache traffic between the passes.

``--bandwidth`` times a loop that reads and writes the grids of a cell update and
computes almost nothing, on 500 × 500 cells (in the processor's caches) and 3,000 ×
3,000 (in main memory), one thread, beside the dam break's cost per cell update: how far
the solver is from the floor memory traffic sets.

``--lts`` runs the demo's 100-year flood and two storms with one step for every cell,
with local time steps (cells a quarter as deep as the deepest step twice as long, the
scenarios' default) and with half the global step: the time loops, the cell updates, and
how far the largest depths of each move from those of the global steps.

``--demo`` times ``jumeau demo`` twice in a row in fresh processes, the first with an
empty numba cache (a temporary ``NUMBA_CACHE_DIR``) and no durations of earlier runs (its
order then comes from the reference durations shipped with jumeau,
``jumeau/io/reference_timings.json``), the second with the cache and the durations the
first one left: the first and second run a newcomer sees. Then the same for the five
scenarios the demo held when the performance issue was filed (``FIRST_DEMO``: the
exposure and four floods, on which it measured 186 s and 131 s), as ``jumeau demo`` runs
them when named; the heat, waste, development and risk scenarios came after. Two of the
five have since gained a variant (the storm without a drainage network, the quay without
its wall, the latter shared with ``crue-centennale``): five flood runs and two
comparisons today against four flood runs then, a heavier load than the one timed.

Run::

    OMP_NUM_THREADS=1 python benchmarks/flood.py            # full case
    python benchmarks/flood.py --cells 200 --duration 600   # a quick look
    python benchmarks/flood.py --demo                       # only the two `jumeau demo` runs
    python benchmarks/flood.py --row-cost                   # cost per row and per cell
    python benchmarks/flood.py --loops                      # cost of each row loop
    python benchmarks/flood.py --lts                        # local time steps, demo floods
    python benchmarks/flood.py --bandwidth                  # the memory-traffic floor

``OMP_NUM_THREADS=1`` keeps landlab's Cython loops (and any BLAS) on one thread; it
does not limit numba, whose thread count is jumeau's ``SolverSettings.n_threads``:
jumeau runs once on one thread and once on every CPU numba may use (on a busy machine
the solver's default would take fewer).
landlab is optional: without it the jumeau half still runs.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from jumeau.flood import SolverSettings, estimate_memory_bytes, solve_flood
from jumeau.flood.solver import _thread_count, courant_number

GRAVITY_MS2 = 9.80665  # landlab's value (scipy.constants.g), used by both models
THETA = 0.8  # landlab's default θ, used by both models
ALPHA = 0.7  # landlab's α (LISFLOOD-FP's usual value), for the like-for-like runs


@dataclass(frozen=True)
class DamBreak:
    """The side-by-side case."""

    cells: int = 500
    cell_size_m: float = 5.0
    duration_s: float = 3600.0
    manning_n: float = 0.03
    initial_depth_m: float = 2.0
    wet_columns: int = 20
    points_x_m: tuple[float, ...] = (50.0, 150.0, 250.0, 400.0, 600.0)

    def points_inside_m(self) -> np.ndarray:
        """The points that fall on the grid (all of them at the default size)."""
        x = np.asarray(self.points_x_m)
        return x[x < self.cells * self.cell_size_m]

    def point_columns(self) -> np.ndarray:
        return (self.points_inside_m() // self.cell_size_m).astype(int)


@dataclass(frozen=True)
class Run:
    """What one model run gave."""

    name: str
    wall_s: float
    cell_updates: int
    depth_at_points_m: np.ndarray
    note: str = ""

    @property
    def updates_per_s(self) -> float:
        return self.cell_updates / self.wall_s


def run_jumeau(case: DamBreak, n_threads: int | None, courant: float | None = ALPHA) -> Run:
    """The case in jumeau (compiled kernels already loaded by :func:`warm_up`), with
    landlab's α by default; ``courant=None`` takes jumeau's own (stable in deep water)."""
    n = case.cells
    depth = np.zeros((n, n))
    depth[:, : case.wet_columns] = case.initial_depth_m
    settings = SolverSettings(theta=THETA, gravity_ms2=GRAVITY_MS2, froude_max=None,
                              n_threads=n_threads, courant=courant)
    started = time.perf_counter()
    sol = solve_flood(np.zeros((n, n)), case.cell_size_m, case.duration_s,
                      manning_n=case.manning_n, initial_depth_m=depth,
                      snapshot_interval_s=None, series_interval_s=case.duration_s,
                      settings=settings)
    wall = time.perf_counter() - started
    row = n // 2
    balance = sol.mass_balance
    note = (f"{sol.n_steps} steps, {sol.n_threads} thread(s), "
            f"kernel {sol.kernel_wall_time_s:.2f} s, "
            f"{sol.cell_updates / (sol.n_steps * n * n):.0%} of the cells updated on average, "
            f"mass error {balance.relative_error:.1e}")
    alpha = f"α {courant:g}" if courant is not None else "own α"
    return Run(f"jumeau ({sol.n_threads} thr., {alpha})", wall,
               sol.cell_updates, sol.final_depth_m[row, case.point_columns()], note)


def run_landlab(case: DamBreak) -> Run | None:
    """The case in landlab's OverlandFlow, or None when landlab is not installed."""
    try:
        from landlab import RasterModelGrid
        from landlab.components import OverlandFlow
    except ImportError:
        return None
    n = case.cells
    # one ring of closed boundary nodes around n × n core nodes: core node (r + 1, c + 1)
    # is jumeau's cell (r, c), with rows counted from the south (the case is symmetric)
    grid = RasterModelGrid((n + 2, n + 2), xy_spacing=case.cell_size_m)
    grid.add_zeros("topographic__elevation", at="node")
    depth = grid.add_zeros("surface_water__depth", at="node")
    grid.set_closed_boundaries_at_grid_edges(True, True, True, True)
    columns = np.arange(grid.number_of_nodes) % (n + 2)
    depth[grid.core_nodes[columns[grid.core_nodes] <= case.wet_columns]] = case.initial_depth_m
    flow = OverlandFlow(grid, mannings_n=case.manning_n, theta=THETA, alpha=0.7,
                        steep_slopes=False)
    steps = 0
    time_step = flow.calc_time_step

    def counted_time_step() -> float:  # one call per internal step of overland_flow
        nonlocal steps
        steps += 1
        return time_step()

    flow.calc_time_step = counted_time_step
    started = time.perf_counter()
    flow.overland_flow(dt=case.duration_s)
    wall = time.perf_counter() - started
    at = grid.at_node["surface_water__depth"].reshape(n + 2, n + 2)
    return Run("landlab OverlandFlow", wall, steps * n * n,
               at[n // 2 + 1, case.point_columns() + 1],
               f"{steps} steps, every core node updated each step")


def warm_up() -> float:
    """Compile (or load from numba's cache) the kernels on a tiny case; returns seconds."""
    started = time.perf_counter()
    depth = np.zeros((30, 30))
    depth[:, :3] = 1.0
    for n_threads in (1, None):
        solve_flood(np.zeros((30, 30)), 5.0, 30.0, initial_depth_m=depth,
                    settings=SolverSettings(n_threads=n_threads, parallel_min_cells=0))
    return time.perf_counter() - started


def fastest(repeat: int, model: Callable[[], Run | None]) -> Run | None:
    """The fastest of ``repeat`` runs of ``model`` (the one other programs disturbed
    least), its note saying the range of the wall times."""
    runs = [model() for _ in range(repeat)]
    if runs[0] is None:
        return None
    best = min(runs, key=lambda run: run.wall_s)
    if repeat == 1:
        return best
    walls = sorted(run.wall_s for run in runs)
    return replace(best, note=f"{best.note}; fastest of {repeat} runs "
                              f"({walls[0]:.2f}–{walls[-1]:.2f} s)")


def section_dam_break(case: DamBreak, skip_landlab: bool, repeat: int = 3) -> None:
    print(f"== 1. dam break, {case.cells} × {case.cells} cells of {case.cell_size_m:g} m, "
          f"{case.duration_s:g} s simulated, θ = {THETA}, n = {case.manning_n}, "
          f"each model the fastest of {repeat} runs")
    if os.environ.get("OMP_NUM_THREADS") != "1":
        print("note: OMP_NUM_THREADS is not 1, landlab may use several threads")
    print(f"numba kernels compiled or loaded from cache in {warm_up():.1f} s "
          "(warm-up, excluded from the timings below)")
    runs = [fastest(repeat, lambda: run_jumeau(case, 1))]
    all_threads = _thread_count(os.cpu_count() or 1)  # every CPU numba may use
    if all_threads > 1:
        runs.append(fastest(repeat, lambda: run_jumeau(case, all_threads)))
    # jumeau's default α (95 % of the deep-water stability limit, smaller than landlab's)
    runs.append(fastest(repeat, lambda: run_jumeau(case, all_threads, courant=None)))
    landlab = None if skip_landlab else fastest(repeat, lambda: run_landlab(case))
    if landlab is None and not skip_landlab:
        print("landlab is not installed: only jumeau runs "
              '(pip install landlab "requireit==0.8.0" to compare)')
    if landlab is not None:
        runs.append(landlab)

    print(f"\n{'model':<24}{'wall (s)':>10}{'cell updates':>16}{'updates/s':>14}")
    for run in runs:
        print(f"{run.name:<24}{run.wall_s:>10.2f}{run.cell_updates:>16,}"
              f"{run.updates_per_s:>14.3e}")
    for run in runs:
        print(f"  {run.name}: {run.note}")
    if landlab is not None:
        print("\nratio to landlab (throughput = cell updates per second; wall time ratio "
              "also counts the dry cells jumeau skips)")
        for run in runs[:-1]:
            print(f"  {run.name}: throughput × {run.updates_per_s / landlab.updates_per_s:.1f}, "
                  f"wall time × {landlab.wall_s / run.wall_s:.1f}")
        print(f"\ndepth at t = {case.duration_s:g} s on the centre row (m)")
        print(f"{'x (m)':>8}{'jumeau':>10}{'landlab':>10}{'diff':>10}")
        for x, mine, theirs in zip(case.points_inside_m(), runs[0].depth_at_points_m,
                                   landlab.depth_at_points_m, strict=True):
            print(f"{x:>8g}{mine:>10.4f}{theirs:>10.4f}{mine - theirs:>+10.4f}")
        for run in runs[:-1]:
            worst = np.max(np.abs(run.depth_at_points_m - landlab.depth_at_points_m))
            print(f"largest difference, {run.name}: {worst:.2e} m")


# ============================================================================ section 2


def section_demo_flood(scenario: str = "crue-centennale") -> None:
    """The demo commune's 100-year flood: the whole simulation, territory → impacts."""
    from jumeau.io.demo import scenarios_path
    from jumeau.scenario.runner import load_territory, run
    from jumeau.scenario.spec import read_scenario

    spec = read_scenario(scenarios_path() / f"{scenario}.yaml")
    t0 = time.perf_counter()
    territory = load_territory("demo")
    t_load = time.perf_counter() - t0
    warm_up()
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    result = run(spec, write=False)
    total = time.perf_counter() - t0
    flood = result.results["flood"]
    sol = flood.solution
    ny, nx = territory.terrain.shape
    print(f"\nDemo commune, scenario {scenario} ({spec.simulations['flood'].duration_h:g} h "
          f"simulated, {nx} × {ny} cells of {territory.terrain.resolution_m:g} m, "
          f"{len(territory.buildings)} buildings as obstacles):")
    print(f"  territory load {t_load:.2f} s (cached afterwards); simulation + impacts "
          f"{total:.1f} s, of which the solver's time loop {sol.kernel_wall_time_s:.1f} s "
          f"(goal: under 30 s)")
    print(f"  {sol.n_steps} steps, {sol.cell_updates:.3g} cell updates "
          f"({sol.cell_updates / sol.n_steps / (nx * ny):.0%} of the grid per step), "
          f"{sol.cell_updates_per_s / 1e6:.0f} M updates/s on {sol.n_threads} thread(s); "
          f"load average before the run {load_before:.2f}")
    print(f"  mass balance error {sol.mass_balance.relative_error:.1e}; "
          f"{result.indicators()['flooded_buildings']} flooded buildings")


# ============================================================================ section 3


def section_memory(cells: int = 2000, duration_s: float = 600.0) -> None:
    """Peak memory of a run on ``cells`` × ``cells`` cells, per cell."""
    bed = np.zeros((cells, cells))
    depth = np.zeros((cells, cells))
    depth[:, : cells // 25] = 2.0
    tracemalloc.start()
    tracemalloc.reset_peak()
    sol = solve_flood(bed, 5.0, duration_s, manning_n=0.03, initial_depth_m=depth,
                      snapshot_interval_s=None, series_interval_s=duration_s,
                      settings=SolverSettings(n_threads=1))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = cells * cells
    results = sum(getattr(sol, name).nbytes for name in (
        "max_depth_m", "max_velocity_ms", "arrival_time_s", "time_of_max_depth_s"))
    print(f"\n== 3. peak memory, {cells:,} × {cells:,} cells, {duration_s:g} s simulated, "
          "one thread")
    print(f"  peak {peak / 1e6:,.0f} MB = {peak / n:.1f} bytes per cell (goal: under 60), "
          f"inputs (bed, initial depth) excluded; {results / n:.0f} bytes per cell of it "
          "are the float64 result grids returned")
    print(f"  solver's own estimate {estimate_memory_bytes((cells, cells)) / n:.1f} bytes "
          f"per cell; {sol.n_steps} steps, mass error "
          f"{sol.mass_balance.relative_error:.1e}")


#: The demo's scenarios when the performance issue was filed (22 November: the exposure
#: and four floods), on which it measured 186 s and 131 s; the heat, waste, development
#: and risk scenarios came after. Two have gained a variant since: five flood runs today
#: against four then.
FIRST_DEMO = ("crue-centennale", "crue-centennale-mur", "exposition", "orage-50mm",
              "rupture-digue")


def section_demo_runs(names: tuple[str, ...] = ()) -> None:
    """``jumeau demo`` twice, in fresh processes: empty numba cache, then warm; only the
    scenarios ``names`` when given."""
    from jumeau.io.demo import scenarios_path
    from jumeau.machine import allowed_cpus

    cpus = allowed_cpus()
    what = (f"{len(list(scenarios_path().glob('*.yaml')))} ready scenario files, those "
            "without a risk part" if not names else
            f"the {len(names)} scenarios of the demo when the issue was filed: "
            + ", ".join(names) + ",")
    print("\n== `jumeau demo`, first run with an empty numba cache, then a second run "
          f"({what} run side by side on {cpus} CPU(s))")
    # the command installed next to this interpreter (the venv's), else the one on PATH
    beside = os.path.join(os.path.dirname(sys.executable), "jumeau")
    command = beside if os.path.exists(beside) else "jumeau"
    with tempfile.TemporaryDirectory(prefix="jumeau-numba-") as cache, \
            tempfile.TemporaryDirectory(prefix="jumeau-demo-") as out:
        # a newcomer's machine: no compiled kernels and no durations of earlier runs
        # (jumeau.io.timings) at first; the second run has both from the first
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, XDG_CACHE_HOME=cache)
        for label in ("first (empty cache)", "second (warm cache)"):
            folder = os.path.join(out, label.split()[0])
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run([command, "demo", *names, "--out", folder], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True, check=False)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            status = "" if done.returncode == 0 else (
                f" (exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]})")
            print(f"  {label}: {wall:.1f} s ({cpu:.0f} s of CPU in all its processes, "
                  f"{cpu / wall:.2f} cores busy on average){status}")


def section_row_cost(rows: int = 1000, widths: tuple[int, ...] = (8, 32, 128, 512)) -> None:
    """What a step costs per visited row and per active cell, one thread: channels of
    fixed widths (walls of high ground on both sides) holding a sloshing water body, in
    ``rows`` rows; a straight-line fit of the time per row and step against the width."""
    print(f"\n== cost per row and per cell, one thread: a channel of {rows} rows, "
          "widths " + ", ".join(map(str, widths)))
    warm_up()
    x, y = [], []
    for w in widths:
        nx = w + 8
        bed = np.full((rows, nx), 50.0)
        bed[:, 4:4 + w] = 0.0
        depth = np.zeros((rows, nx))
        depth[:, 4:4 + w] = 1.0 + 0.2 * np.sin(np.linspace(0, 12 * np.pi, rows))[:, None]
        sol = solve_flood(bed, 5.0, 120.0, manning_n=0.03, initial_depth_m=depth,
                          snapshot_interval_s=None, series_interval_s=120.0,
                          settings=SolverSettings(n_threads=1))
        per_row_ns = sol.kernel_wall_time_s / sol.n_steps / rows * 1e9
        width = sol.cell_updates / sol.n_steps / rows
        x.append(width)
        y.append(per_row_ns)
        print(f"  width {w:>4} ({width:.0f} cells updated a row): {per_row_ns:,.0f} ns a row "
              f"and step, {sol.kernel_wall_time_s / sol.cell_updates * 1e9:.1f} ns a cell")
    slope, intercept = np.polyfit(x, y, 1)
    print(f"  fit: {intercept:,.0f} ns a visited row + {slope:.1f} ns a cell, per step")


def section_loop_cost(cells: int = 500, reps: int = 20) -> None:
    """Each row loop of a step alone over ``cells`` × ``cells`` wet cells (one thread,
    fastest of 5 timings of ``reps`` sweeps), against a cell update of the dam break."""
    import numba

    from jumeau.flood import _kernels as k

    print(f"\n== the row loops of a step, each alone, {cells} × {cells} wet cells, one thread")
    warm_up()
    numba.set_num_threads(1)
    rng = np.random.default_rng(0)
    ny = nx = cells
    z = np.zeros((ny, nx))
    h = 0.5 + rng.random((ny, nx))
    n = np.full((ny, nx), 0.03, dtype=np.float32)
    qx = 0.1 * rng.standard_normal((ny, nx + 1))
    qy = 0.1 * rng.standard_normal((ny + 1, nx))
    ring = k.RING
    qx_new, qy_new = np.zeros((ring, nx + 1)), np.zeros((ring, nx))
    hx = np.ones((ring, nx + 1), dtype=np.float32)
    hy = np.ones((ring, nx), dtype=np.float32)
    ratio = np.ones((ring + 2, nx + 2))
    diag = (np.zeros((ny, nx), dtype=np.float32), np.zeros((ny, nx), dtype=np.float32),
            np.full((ny, nx), np.nan, dtype=np.float32),
            np.full((ny, nx), np.nan, dtype=np.float32))
    none = (np.full((1, nx), 0.0), np.full((1, nx), 0.0), np.full((1, nx), 0.0))
    settings = SolverSettings()
    phys = k.Physics(5.0, GRAVITY_MS2, THETA, ALPHA, settings.flow_depth_min_m,
                     float(settings.froude_max), settings.max_time_step_s,
                     settings.arrival_depth_m, settings.velocity_min_depth_m, False)
    step = k.Step(0.5, 1.0, 0.0, False, False, 0.5 / 5.0, 0, 0.5)
    dt = step.dt

    @numba.njit(error_model="numpy")
    def x_faces(reps, z, h, n, qx, qx_new, hx, phys):
        for _ in range(reps):
            for i in range(ny):
                k._x_faces(i, i % ring, 2, nx - 2, z, h, n, qx, qx_new, hx, dt, phys, None)

    @numba.njit(error_model="numpy")
    def y_faces(reps, z, h, n, qy, qy_new, hy, phys):
        for _ in range(reps):
            for i in range(2, ny - 1):
                k._y_faces(i, i % ring, 0, nx - 1, z, h, n, qy, qy_new, hy, dt, phys, None)

    @numba.njit(error_model="numpy")
    def limiter(reps, h, qx_new, qy_new, ratio, step):
        for _ in range(reps):
            for i in range(ny - 1):
                k._limiter_row(i, i % ring, (i + 1) % ring, 2 + i % ring, 0, nx - 1, h,
                               qx_new, qy_new, ratio, step.k_flux, None)

    @numba.njit(error_model="numpy")
    def depth(reps, z, h, qx, qy, qx_new, qy_new, hx, hy, ratio, diag, none, step, phys):
        max_depth, max_speed2, arrival, t_max = diag
        rain_ms, loss_ms, lost_m = none
        for _ in range(reps):
            for i in range(1, ny - 1):
                k._continuity_cells(i, i % ring, (i + 1) % ring, 1, 2, 3, 0, nx - 1, z, h,
                                    qx, qy, qx_new, qy_new, hx, hy, ratio, max_depth,
                                    max_speed2, arrival, t_max, rain_ms, loss_ms, lost_m,
                                    step, phys, None)

    loops = {  # the loop, its arguments, the cells it covers in a sweep
        "x-faces": (x_faces, (z, h, n, qx, qx_new, hx, phys), ny * (nx - 3)),
        "y-faces": (y_faces, (z, h, n, qy, qy_new, hy, phys), (ny - 3) * nx),
        "limiter": (limiter, (h, qx_new, qy_new, ratio, step), (ny - 1) * nx),
        "depth update and records": (depth, (z, h, qx, qy, qx_new, qy_new, hx, hy, ratio,
                                             diag, none, step, phys), (ny - 2) * nx),
    }
    total = 0.0
    for name, (loop, args, covered) in loops.items():
        loop(1, *args)  # compile
        best = math.inf
        for _ in range(5):
            started = time.perf_counter()
            loop(reps, *args)
            best = min(best, time.perf_counter() - started)
        per_cell = best / reps / covered * 1e9
        total += per_cell
        print(f"  {name:<26}{per_cell:6.2f} ns a cell")
    print(f"  {'sum':<26}{total:6.2f} ns a cell")
    case = DamBreak(cells=cells)
    run = fastest(3, lambda: run_jumeau(case, 1))
    per_update = run.wall_s / run.cell_updates * 1e9
    print(f"  dam break of section 1 ({cells} × {cells}, {case.duration_s:g} s), one "
          f"thread: {per_update:.2f} ns a cell update; the {per_update - total:.2f} ns more "
          "are the work per visited row and the cache traffic between the passes")
    print(f"    ({run.note})")


#: Bytes of grid a cell update moves at least (a run without rain or losses by cell, as
#: the dam break): read bed z, depth h, discharges qx and qy (float64), Manning n and the
#: four diagnostics (float32); write h, qx, qy and the four diagnostics back. The work
#: rows (a ring of four rows) stay in the first-level caches and are not counted.
GRID_BYTES_PER_UPDATE = 4 * 8 + 5 * 4 + 3 * 8 + 4 * 4


def _traffic_kernel():
    """A numba loop that moves the grids of a time step and computes almost nothing:
    every cell reads what a cell update reads and writes what it writes."""
    from numba import njit

    @njit(cache=False, error_model="numpy")
    def traffic(reps, z, h, n, qx, qy, d0, d1, d2, d3):
        ny, nx = h.shape
        for _ in range(reps):
            for i in range(ny):
                for j in range(nx):
                    s = z[i, j] + n[i, j] + d0[i, j] + d1[i, j] + d2[i, j] + d3[i, j]
                    h[i, j] = h[i, j] + 1e-30 * s
                    qx[i, j] = qx[i, j] + 1e-30 * s
                    qy[i, j] = qy[i, j] + 1e-30 * s
                    d0[i, j] = d0[i, j] + np.float32(1e-30)
                    d1[i, j] = d1[i, j] + np.float32(1e-30)
                    d2[i, j] = d2[i, j] + np.float32(1e-30)
                    d3[i, j] = d3[i, j] + np.float32(1e-30)

    return traffic


def section_bandwidth(sizes: tuple[int, ...] = (500, 3000), repeat: int = 5) -> None:
    """How fast one core moves a time step's grids, with almost no arithmetic: the
    floor under the cost of a cell update set by memory traffic, for a grid that fits
    in the processor's caches (500 × 500, the dam break's) and one that does not."""
    traffic = _traffic_kernel()
    print(f"\n== memory traffic of a cell update ({GRID_BYTES_PER_UPDATE} bytes of grids read "
          "and written), one thread, no arithmetic")
    for cells in sizes:
        shape = (cells, cells)
        arrays = [np.full(shape, 1.0), np.full(shape, 1.0), np.full(shape, 0.03, np.float32),
                  np.full(shape, 0.5), np.full(shape, 0.5)] + [
            np.full(shape, 1.0, np.float32) for _ in range(4)]
        traffic(1, *arrays)  # compile and touch every page
        reps = max(1, int(2e8 // (cells * cells)))
        best = math.inf
        for _ in range(repeat):
            started = time.perf_counter()
            traffic(reps, *arrays)
            best = min(best, (time.perf_counter() - started) / (reps * cells * cells))
        held = sum(a.nbytes for a in arrays) / 1e6
        print(f"  {cells:,} × {cells:,} cells ({held:,.0f} MB of grids): "
              f"{best * 1e9:.2f} ns a cell, {GRID_BYTES_PER_UPDATE / best / 1e9:.1f} GB/s "
              f"(fastest of {repeat})")
    case = DamBreak()
    warm_up()
    run = fastest(3, lambda: run_jumeau(case, 1))
    per_update = run.wall_s / run.cell_updates
    print(f"  the dam break ({case.cells} × {case.cells}), one thread: "
          f"{per_update * 1e9:.2f} ns a cell update, "
          f"{GRID_BYTES_PER_UPDATE / per_update / 1e9:.1f} GB/s of grids")


#: The demo floods ``--lts`` runs: the river flood and the two storms.
LTS_SCENARIOS = ("crue-centennale", "orage-50mm", "projet-place-du-marche")


def section_lts(scenarios: tuple[str, ...] = LTS_SCENARIOS) -> None:
    """Local time steps on the demo's floods (baseline variants, one thread): the time
    loop with one step for every cell, with local steps (the scenarios' default), and
    with half the global step, whose differences from the global run are the scheme's
    own step error, the yardstick for those of the local steps."""

    import jumeau.flood.simulate as flood_simulate
    from jumeau.io.demo import scenarios_path
    from jumeau.scenario.runner import apply_measures, load_territory, simulate
    from jumeau.scenario.spec import read_scenario

    print("\n== local time steps on the demo's floods (baseline variants, one thread): "
          "global steps, local steps, global steps of half the length")
    base = load_territory("demo")
    warm_up()
    half = 0.5 * courant_number(SolverSettings())
    plain = flood_simulate.SolverSettings
    for name in scenarios:
        spec = read_scenario(scenarios_path() / f"{name}.yaml")
        territory = apply_measures(base, spec, spec.baseline)
        runs = {}
        for label, local, courant in (("global", False, None), ("local", True, None),
                                      ("half", False, half)):
            simulations = spec.variants[spec.baseline].simulations
            simulations["flood"] = simulations["flood"].model_copy(
                update={"local_time_steps": local})

            def settings(courant=courant, **kw):
                return plain(**{**kw, "n_threads": 1, "courant": courant})

            flood_simulate.SolverSettings = settings
            try:
                runs[label] = simulate(territory, spec, spec.baseline)["flood"]
            finally:
                flood_simulate.SolverSettings = plain
        sols = {k: r.solution for k, r in runs.items()}
        glob, local = sols["global"], sols["local"]
        wet = glob.max_depth_m > 0.01
        print(f"  {name}: time loop {glob.kernel_wall_time_s:.1f} s global, "
              f"{local.kernel_wall_time_s:.1f} s local "
              f"({glob.kernel_wall_time_s / local.kernel_wall_time_s:.2f}× faster); "
              f"{glob.n_steps} steps against {local.n_steps} ({local.n_local_steps} local), "
              f"{glob.cell_updates:.3g} cell updates against {local.cell_updates:.3g} "
              f"({glob.cell_updates / local.cell_updates:.2f}× fewer)")
        for label in ("local", "half"):
            diff = np.abs(sols[label].max_depth_m - glob.max_depth_m)
            built = runs[label].indicators()["flooded_buildings"]
            print(f"    {label:>5} vs global: largest depths differ by {diff.max():.3f} m at "
                  f"most, {np.quantile(diff[wet], 0.99):.3f} m at the 99th percentile "
                  f"of the wet cells; flooded buildings {built} against "
                  f"{runs['global'].indicators()['flooded_buildings']}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark sections; returns an exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=DamBreak.cells,
                        help="cells per side of the dam-break case (default 500)")
    parser.add_argument("--duration", type=float, default=DamBreak.duration_s,
                        help="simulated seconds (default 3600)")
    parser.add_argument("--skip-landlab", action="store_true",
                        help="run the jumeau half only")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each model in the dam break, the fastest kept "
                             "(default 3: this machine is shared, and the others' load "
                             "slows a run by 10 %% and more)")
    parser.add_argument("--demo-only", action="store_true",
                        help="only time the demo commune's 100-year flood")
    parser.add_argument("--skip-memory", action="store_true",
                        help="leave out the 2,000 × 2,000 memory measurement")
    parser.add_argument("--demo", action="store_true",
                        help="only time `jumeau demo` twice (empty, then warm numba "
                             "cache), then its five scenarios of 22 November alone")
    parser.add_argument("--row-cost", action="store_true",
                        help="only measure the cost of a step per visited row and per cell")
    parser.add_argument("--loops", action="store_true",
                        help="only time each row loop of a step alone")
    parser.add_argument("--lts", action="store_true",
                        help="only run the demo's floods with and without local time steps")
    parser.add_argument("--bandwidth", action="store_true",
                        help="only measure how fast one core moves a step's grids")
    args = parser.parse_args(argv)
    if args.bandwidth:
        section_bandwidth()
        return 0
    if args.lts:
        section_lts()
        return 0
    if args.demo:
        section_demo_runs()
        section_demo_runs(FIRST_DEMO)
        return 0
    if args.row_cost:
        section_row_cost()
        return 0
    if args.loops:
        section_loop_cost()
        return 0
    case = DamBreak(cells=args.cells, duration_s=args.duration)
    if not args.demo_only:
        section_dam_break(case, args.skip_landlab, max(1, args.repeat))
    section_demo_flood()
    if not args.demo_only and not args.skip_memory:
        section_memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
