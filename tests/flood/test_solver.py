"""The flood solver: conservation, still water, forcings, outputs, bad inputs, threads."""

from __future__ import annotations

import re

import numba
import numpy as np
import pytest

from jumeau.errors import JumeauError
from jumeau.flood import (
    BedChange,
    Hyetograph,
    ImposedLevel,
    Inflow,
    Rainfall,
    SolverSettings,
    Unblock,
    estimate_memory_bytes,
    solve_flood,
)
from jumeau.i18n import fmt_number

DX = 5.0


def bumpy_bed(ny: int = 30, nx: int = 40, seed: int = 1) -> np.ndarray:
    """Uneven ground: smooth hills and hollows (0–2 m) plus a 4 m bump in the middle."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:ny, 0:nx]
    bed = (0.6 * np.sin(x / 3.1) * np.cos(y / 4.3) + 0.4 * np.sin((x + 2 * y) / 5.0)
           + 0.05 * rng.random((ny, nx)) + 1.0)
    bed[ny // 2 - 2: ny // 2 + 2, nx // 2 - 2: nx // 2 + 2] = 4.0
    return bed


def buildings(shape: tuple[int, int]) -> np.ndarray:
    """A few blocked cells: a block, a wall segment and single cells."""
    blocked = np.zeros(shape, dtype=bool)
    blocked[3:7, 4:9] = True
    blocked[20, 10:25] = True
    blocked[10, 30] = blocked[22, 35] = True
    return blocked


def test_lake_at_rest_stays_still():
    """A still lake over uneven ground, a bump and buildings does not move at all."""
    bed = bumpy_bed()
    blocked = buildings(bed.shape)
    level = 1.5
    sol = solve_flood(bed, DX, 1800.0, manning_n=0.02, blocked=blocked, initial_level_m=level,
                      settings=SolverSettings(arrival_depth_m=0.01))
    depth0 = np.where(blocked, 0.0, np.maximum(level - bed, 0.0))
    assert sol.n_steps > 300
    assert (depth0 > 0).any() and (depth0[~blocked] == 0).any()  # wet and dry ground
    assert np.abs(sol.final_depth_m - depth0).max() < 1e-10
    assert sol.max_velocity_ms.max() < 1e-6
    assert sol.final_depth_m[blocked].max() == 0.0


def test_closed_basin_keeps_its_rain():
    """In a closed basin the water stored at the end is the rain fallen (to 1e-6)."""
    bed = bumpy_bed()
    blocked = buildings(bed.shape)
    rain = Hyetograph(times_s=[0, 600, 1200, 1500], rate_mm_h=[20.0, 60.0, 5.0])
    sol = solve_flood(bed, DX, 2400.0, manning_n=0.03, blocked=blocked, rainfall=rain)
    open_area_m2 = (~blocked).sum() * DX**2
    rained_m3 = (20.0 * 600 + 60.0 * 600 + 5.0 * 300) / 3.6e6 * open_area_m2
    stored_m3 = sol.final_depth_m.sum() * DX**2
    assert abs(stored_m3 - rained_m3) / rained_m3 < 1e-6
    assert abs(sol.mass_balance.rain_m3 - rained_m3) / rained_m3 < 1e-12
    assert abs(sol.mass_balance.relative_error) < 1e-6
    assert sol.final_depth_m[blocked].max() == 0.0
    assert sol.max_velocity_ms.max() > 0.0  # the rain did run off


def _river_valley() -> dict:
    """A valley sloping east, a river entering on the west edge and buildings."""
    ny, nx = 24, 60
    x = np.arange(nx) * DX
    y = np.abs(np.arange(ny) - ny / 2) * DX
    bed = 10.0 - 0.004 * x[None, :] + 0.02 * y[:, None]
    return dict(bed_m=bed, cell_size_m=DX, manning_n=0.04, blocked=buildings((ny, nx)),
                inflows=[Inflow(rows=[11, 12, 13], cols=[0, 0, 0], times_s=[0, 600, 1800],
                                discharge_m3s=[0.0, 15.0, 2.0], name="river")])


BALANCE_CASES = {
    "inflow, closed": {},
    "infiltration": dict(infiltration_mm_h=np.where(np.arange(60) > 30, 50.0, 0.0)[None, :]
                         .repeat(24, axis=0)),
    "free outflow east": dict(free_outflow={"east": None}),
    "free outflow, set slope": dict(free_outflow={"east": 0.01, "south": None}),
    "imposed level": dict(imposed_levels=[ImposedLevel(
        rows=np.arange(24), cols=np.full(24, 59), times_s=[0, 900, 1800],
        level_m=[9.0, 9.9, 9.4], name="downstream")]),
    "rain zones": dict(rainfall=Rainfall(
        hyetographs=[Hyetograph([0, 900], [40.0]), Hyetograph([300, 600, 1200], [80, 10])],
        zone_index=np.where(np.arange(60) < 30, 0, 1)[None, :].repeat(24, axis=0) - (
            np.arange(24) == 0)[:, None])),
    "breach": dict(bed_changes=[BedChange(600.0, rows=np.arange(24), cols=np.full(24, 30),
                                          bed_m=12.0),
                                BedChange(1200.0, rows=[10, 11, 12], cols=[30, 30, 30],
                                          bed_m=9.0)]),
}


def test_every_forcing_runs_one_compiled_time_loop():
    """Inflows, levels, rain (uniform or by zone), losses, events, one or two threads:
    the time loop has one compiled specialisation for all of them, so a first run
    compiles it once (14 s here) and never again for another kind of forcing."""
    from jumeau.flood import _kernels

    for case in BALANCE_CASES.values():
        solve_flood(duration_s=120.0, **(_river_valley() | case))
    solve_flood(duration_s=120.0, **_busy_case(), settings=SolverSettings(
        n_threads=2, parallel_min_cells=0))
    solve_flood(np.zeros((6, 8)), DX, 60.0, rainfall=Hyetograph([0, 60], [20.0]),
                unblocks=[Unblock(30.0, rows=[2], cols=[3])], blocked=np.eye(6, 8, dtype=bool))
    assert len(_kernels.advance.signatures) == 1


def test_a_still_film_drops_out_of_the_active_region():
    """Water no deeper than flow_depth_min_m on both sides of a face never moves: a
    film of 0.5 mm over uneven ground is updated in the first two steps (the cells
    holding water at the start, then the faces set back to zero) and never again, and
    stays exactly as it was. A film that drains (infiltration) stays active until it
    has gone, and the puddle of a deeper cell keeps its neighbours active."""
    bed = bumpy_bed()
    ny, nx = bed.shape
    film = np.full((ny, nx), 0.0005)
    sol = solve_flood(bed, DX, 600.0, initial_depth_m=film, snapshot_interval_s=None,
                      series_interval_s=600.0)
    assert sol.n_steps > 2
    assert sol.cell_updates == 2 * ny * nx
    assert np.array_equal(sol.final_depth_m, film)

    draining = solve_flood(bed, DX, 600.0, initial_depth_m=film, infiltration_mm_h=1.0,
                           snapshot_interval_s=None, series_interval_s=600.0)
    # 1 mm/h takes 0.5 mm in 30 min: after 10 min every cell still holds water
    assert draining.cell_updates == draining.n_steps * ny * nx
    assert np.allclose(draining.final_depth_m, 0.0005 - 1e-3 / 6)

    puddle = film.copy()
    puddle[15, 20] = 0.5
    wet = solve_flood(bed, DX, 600.0, initial_depth_m=puddle, snapshot_interval_s=None,
                      series_interval_s=600.0)
    # measured: 8.8 % of every cell in every step
    assert 2 * ny * nx < wet.cell_updates < wet.n_steps * ny * nx / 8
    moved = wet.final_depth_m != film
    assert moved[15, 20] and not moved[0, 0] and not moved[-1, -1]


@pytest.mark.parametrize("case", list(BALANCE_CASES))
def test_mass_balance_closes(case):
    """Every term of the mass balance adds up, for each kind of forcing (< 0.1 %)."""
    inputs = _river_valley() | BALANCE_CASES[case]
    sol = solve_flood(duration_s=1800.0, **inputs)
    balance = sol.mass_balance
    assert abs(balance.relative_error) < 1e-3
    assert abs(balance.relative_error) < 1e-9  # what it actually is: round-off
    assert balance.inflow_m3 == pytest.approx(0.5 * 15 * 600 + 0.5 * 17 * 1200, rel=1e-12)
    assert balance.as_dict()["error_m3"] == balance.error_m3
    if "infiltration" in case:
        assert balance.infiltration_m3 > 0
    if "outflow" in case:
        assert balance.outflow_m3 > 0
    if "level" in case:
        assert balance.boundary_in_m3 > 0 and balance.boundary_out_m3 > 0
    if "rain" in case:
        assert balance.rain_m3 > 0


@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (7, 1), (2, 2), (2, 3), (3, 2)])
def test_tiny_grids_conserve_water(shape):
    """Grids one or two cells wide run, with every edge free, and conserve water."""
    bed = np.linspace(0.0, 0.5, shape[0] * shape[1]).reshape(shape)
    rain = Rainfall([Hyetograph([0, 600], [100.0])], zone_index=np.zeros(shape, dtype=int))
    for edges in ({}, dict.fromkeys(("west", "east", "north", "south"))):
        sol = solve_flood(bed, DX, 1200.0, initial_depth_m=0.3, rainfall=rain,
                          free_outflow=edges)
        assert sol.mass_balance.rain_m3 == pytest.approx(100 / 6000 * bed.size * DX**2)
        assert abs(sol.mass_balance.relative_error) < 1e-12
        assert np.isfinite(sol.final_depth_m).all() and (sol.final_depth_m >= 0).all()
        assert (sol.mass_balance.outflow_m3 > 0) == bool(edges)


def test_free_outflow_drains_a_slope():
    """Water running down a slope leaves through a free edge and is stopped by a closed one."""
    bed = np.tile(5.0 - 0.01 * DX * np.arange(40), (5, 1))
    depth = np.zeros_like(bed)
    depth[:, :10] = 0.5
    closed = solve_flood(bed, DX, 1200.0, manning_n=0.03, initial_depth_m=depth)
    free = solve_flood(bed, DX, 1200.0, manning_n=0.03, initial_depth_m=depth,
                       free_outflow={"east": None})
    assert closed.mass_balance.outflow_m3 == 0.0
    assert free.mass_balance.outflow_m3 > 0.5 * depth.sum() * DX**2
    assert free.final_depth_m[:, -1].max() < closed.final_depth_m[:, -1].max()


def test_imposed_level_fills_and_holds():
    """An imposed level fills a flat basin up to it and its cells show the level."""
    bed = np.zeros((6, 30))
    stage = ImposedLevel(rows=np.arange(6), cols=np.zeros(6, dtype=int), times_s=[0, 600],
                         level_m=[0.0, 0.8])
    sol = solve_flood(bed, DX, 7200.0, manning_n=0.03, imposed_levels=[stage],
                      observation_rows=[3, 3], observation_cols=[0, 29],
                      series_interval_s=600.0)
    assert sol.observation_level_m[0, -1] == pytest.approx(0.8, abs=1e-12)
    assert np.abs(sol.final_depth_m - 0.8).max() < 0.01
    balance = sol.mass_balance
    net_in_m3 = balance.boundary_in_m3 - balance.boundary_out_m3
    assert net_in_m3 == pytest.approx(0.8 * bed.size * DX**2, rel=0.02)
    assert balance.boundary_out_m3 > 0  # the basin sloshes: water also goes back out


def test_infiltration_drains_a_puddle_at_its_rate():
    """Standing water on a permeable flat loses exactly its infiltration capacity."""
    depth = np.full((8, 8), 0.02)
    sol = solve_flood(np.zeros((8, 8)), DX, 1800.0, initial_depth_m=depth,
                      infiltration_mm_h=20.0)
    assert np.allclose(sol.final_depth_m, 0.02 - 0.01, atol=1e-12)
    assert sol.mass_balance.infiltration_m3 == pytest.approx(0.01 * 64 * DX**2, rel=1e-12)


def test_breach_and_opening_release_water_at_their_time():
    """Water held by a dyke or a wall passes only after the breach or the opening."""
    bed = np.zeros((5, 30))
    bed[:, 10] = 3.0  # the dyke
    depth = np.zeros_like(bed)
    depth[:, :10] = 2.0
    breach = BedChange(900.0, rows=np.arange(5), cols=np.full(5, 10), bed_m=0.0)
    sol = solve_flood(bed, DX, 1800.0, initial_depth_m=depth, bed_changes=[breach],
                      settings=SolverSettings(arrival_depth_m=0.01))
    beyond = sol.arrival_time_s[:, 11:]
    assert np.nanmin(beyond) > 900.0 and np.isfinite(beyond[:, 0]).all()
    assert sol.max_depth_m[:, 25].min() > 0.1

    wall = np.zeros_like(bed, dtype=bool)
    wall[:, 10] = True
    opened = solve_flood(np.zeros_like(bed), DX, 1800.0, initial_depth_m=depth, blocked=wall,
                         unblocks=[Unblock(600.0, rows=np.arange(5), cols=np.full(5, 10))],
                         settings=SolverSettings(arrival_depth_m=0.01))
    assert np.nanmin(opened.arrival_time_s[:, 11:]) > 600.0
    assert opened.max_depth_m[:, 25].min() > 0.1
    assert abs(opened.mass_balance.relative_error) < 1e-9


def test_outputs_describe_a_dam_break():
    """Maxima, arrival, velocity, snapshots and series are consistent with each other."""
    bed = np.zeros((10, 100))
    depth = np.zeros_like(bed)
    depth[:, :10] = 1.0
    sol = solve_flood(bed + 2.0, DX, 300.0, initial_depth_m=depth, snapshot_interval_s=60.0,
                      series_interval_s=15.0, observation_rows=[5, 5],
                      observation_cols=[5, 40], settings=SolverSettings(arrival_depth_m=0.05))
    assert sol.snapshot_times_s.tolist() == [0, 60, 120, 180, 240, 300]
    assert sol.snapshot_depth_m.shape == (6, 10, 100)
    assert sol.snapshot_depth_m.dtype == np.float32
    assert np.array_equal(sol.snapshot_depth_m[-1], sol.final_depth_m.astype(np.float32))
    assert np.array_equal(sol.snapshot_depth_m[0], depth.astype(np.float32))
    assert sol.observation_times_s.size == 21
    assert np.allclose(sol.observation_level_m, sol.observation_depth_m + 2.0)
    assert sol.observation_depth_m[1, 0] == 0.0 and sol.observation_depth_m[1, -1] > 0.05
    assert np.all(sol.max_depth_m >= sol.final_depth_m)
    assert np.all(sol.max_depth_m >= sol.snapshot_depth_m.max(axis=0) - 1e-6)
    arrival = sol.arrival_time_s[5]
    assert np.all(arrival[:10] == 0.0)  # wet from the start
    reached = np.isfinite(arrival)
    assert np.all(np.diff(arrival[reached]) >= 0)  # the front moves east
    assert np.isnan(arrival[~reached]).all() and (~reached).any()
    assert sol.max_velocity_ms[5, 12] > 0.5  # the bore
    assert np.all(sol.time_of_max_depth_s[sol.max_depth_m > 0] >= 0)
    assert np.isnan(sol.time_of_max_depth_s[sol.max_depth_m == 0]).all()
    assert sol.cell_updates_per_s > 0 and sol.kernel_wall_time_s > 0


def test_froude_limiter_slows_steep_streets():
    """On a steep street the Froude limiter caps the speed; switched off it does not."""
    bed = np.tile(20.0 - 0.15 * DX * np.arange(30), (3, 1))
    depth = np.zeros_like(bed)
    depth[:, :3] = 1.0
    capped = solve_flood(bed, DX, 120.0, manning_n=0.013, initial_depth_m=depth)
    free = solve_flood(bed, DX, 120.0, manning_n=0.013, initial_depth_m=depth,
                       settings=SolverSettings(froude_max=None))
    assert capped.max_velocity_ms.max() < free.max_velocity_ms.max()

    def froude(sol):
        wet = sol.max_depth_m > 0.05
        return (sol.max_velocity_ms[wet] / np.sqrt(9.81 * sol.max_depth_m[wet])).max()

    assert froude(capped) <= 1.0 + 1e-9 < 1.2 < froude(free)
    assert abs(capped.mass_balance.relative_error) < 1e-9


def test_dry_town_costs_little():
    """A dry 400 × 400 grid with a small wet patch only updates cells around the patch."""
    bed = np.zeros((400, 400))
    depth = np.zeros_like(bed)
    depth[200:205, 200:205] = 0.5
    sol = solve_flood(bed, DX, 300.0, initial_depth_m=depth)
    per_step = sol.cell_updates / sol.n_steps
    assert per_step < 0.01 * bed.size
    wet = sol.max_depth_m > 0
    rows, cols = np.nonzero(wet)
    box = (np.ptp(rows) + 3) * (np.ptp(cols) + 3)
    assert per_step <= box


def _busy_case() -> dict:
    """Every forcing at once, for the determinism tests."""
    inputs = _river_valley()
    ny, nx = inputs["bed_m"].shape
    inputs.update(
        infiltration_mm_h=5.0,
        free_outflow={"east": None, "north": 0.002},
        rainfall=Rainfall([Hyetograph([0, 300, 900], [30.0, 70.0]),
                           Hyetograph([0, 1200], [10.0])],
                          zone_index=(np.arange(nx)[None, :] // 30).repeat(ny, axis=0)),
        bed_changes=[BedChange(400.0, rows=[5, 6], cols=[20, 20], bed_m=8.0)],
        # a stage across the valley, inside the grid: it feeds water both ways, and its
        # faces are computed again (``_cut_faces``), on every thread's rows
        imposed_levels=[ImposedLevel(rows=np.arange(ny), cols=np.full(ny, 45),
                                     times_s=[0, 1200], level_m=[9.5, 9.9], name="stage")],
        observation_rows=[12, 3], observation_cols=[40, 50])
    return inputs


def _assert_identical(a, b):
    for name in ("max_depth_m", "max_velocity_ms", "arrival_time_s", "time_of_max_depth_s",
                 "final_depth_m", "snapshot_depth_m", "observation_level_m"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name
    assert a.mass_balance == b.mass_balance
    assert a.n_steps == b.n_steps


def test_same_inputs_same_results():
    """Two runs of the same inputs give bit-identical results."""
    first = solve_flood(duration_s=1200.0, **_busy_case())
    second = solve_flood(duration_s=1200.0, **_busy_case())
    _assert_identical(first, second)


@pytest.mark.skipif(numba.config.NUMBA_NUM_THREADS < 2, reason="one numba thread only")
def test_threads_do_not_change_results():
    """The one-thread sweep and the parallel passes on 2 threads give bit-identical results."""
    runs = [solve_flood(duration_s=1200.0, **_busy_case(),
                        settings=SolverSettings(n_threads=threads, parallel_min_cells=cells))
            for threads, cells in ((1, 0), (2, 10**9), (2, 0))]
    assert [run.n_threads for run in runs] == [1, 2, 2]
    _assert_identical(runs[0], runs[1])
    _assert_identical(runs[0], runs[2])


def _arrays(value) -> list[np.ndarray]:
    """The numpy arrays in ``value`` and in the tuples (named or not) it holds."""
    if isinstance(value, np.ndarray):
        return [value]
    if isinstance(value, tuple):
        return [a for item in value for a in _arrays(item)]
    return []


@pytest.mark.parametrize("sources", ["none", "rain", "rain and losses"])
def test_time_loop_arrays_never_share_memory(monkeypatch, sources):
    """No two arrays the compiled time loop receives overlap. The row loops are compiled
    with numba's ``noalias`` flag: LLVM takes it that the arrays they write do not
    overlap those they read, so overlapping ones would give wrong results. (Before the
    flag, the vector code checked at run time and took the scalar path: one placeholder
    shared by the rain and the water lost once made every cell cost 14 ns instead of 8.)"""
    from jumeau.flood import solver

    seen = []
    advance = solver._kernels.advance

    def spy(*args):
        seen.append(_arrays(args))
        return advance(*args)

    monkeypatch.setattr(solver._kernels, "advance", spy)
    case = _busy_case()
    if sources == "none":
        case.pop("rainfall", None)
    if sources != "rain and losses":
        case.pop("infiltration_mm_h", None)
        case.pop("drainage_mm_h", None)
    else:
        case["infiltration_mm_h"] = 5.0
    solve_flood(duration_s=120.0, **case)
    assert seen
    for arrays in seen:
        for i, a in enumerate(arrays):
            for b in arrays[i + 1:]:
                assert not np.shares_memory(a, b), (a.shape, b.shape)


def test_memory_estimate_refuses_huge_runs():
    """A run that cannot fit in memory is refused before anything is allocated."""
    small = estimate_memory_bytes((100, 100))
    assert estimate_memory_bytes((200, 100)) > 1.9 * small
    assert estimate_memory_bytes((100, 100), n_snapshots=10) > small + 10 * 4 * 100 * 100
    with pytest.raises(JumeauError) as err:  # a billion snapshots: refused, not allocated
        solve_flood(np.zeros((1000, 1000)), 1.0, 1e9, snapshot_interval_s=1.0)
    needed_gb = estimate_memory_bytes((1000, 1000), n_snapshots=10**9 + 1,
                                      n_observation_times=10**9 // 60 + 1) / 1e9
    assert f"the run needs {needed_gb:,.1f} GB of memory" in err.value.render("en")
    assert f"la simulation demande {fmt_number(needed_gb, 'fr', 1)} Go" in err.value.render("fr")


def _inflow(**change) -> Inflow:
    fields = dict(rows=[5], cols=[0], times_s=[0, 60, 120], discharge_m3s=[0, 1, 0],
                  name="river")
    return Inflow(**(fields | change))


BAD_INPUTS = [
    (dict(inflows=[_inflow(times_s=[0, 120, 60])]),
     "inflow 'river': times must be strictly increasing",
     "apport « river » : les temps doivent être strictement croissants"),
    (dict(inflows=[_inflow(times_s=[-10, 60, 120])]),
     "inflow 'river': negative or missing times", "apport « river » : temps négatifs"),
    (dict(inflows=[_inflow(discharge_m3s=[0, -2, 0])]),
     "inflow 'river': negative discharge (-2 m³/s)", "débit négatif (-2 m³/s)"),
    (dict(inflows=[_inflow(discharge_m3s=[0, 1])]),
     "inflow 'river': 3 discharge values expected, 2 given",
     "3 valeurs attendues (débit), 2 données"),
    (dict(inflows=[_inflow(rows=[5], cols=[12])]),
     "inflow 'river': cell (5, 12) outside the 10 × 12 grid",
     "cellule (5, 12) hors de la grille 10 × 12"),
    (dict(inflows=[_inflow(name="", rows=[2], cols=[2])]),
     "inflow #1: cell (2, 2) inside a building (blocked cell)", "apport n°1"),
    (dict(rainfall=Hyetograph([0, 600], [600.0])),
     "hyetograph #1: rate 600 mm/h outside 0–500 mm/h",
     "intensité 600 mm/h hors de 0–500 mm/h"),
    (dict(rainfall=Hyetograph([0, 600, 1200], [10.0])),
     "hyetograph #1: 2 rate values expected, 1 given", "2 valeurs attendues (intensité)"),
    (dict(rainfall=Rainfall([Hyetograph([0, 60], [1.0])], zone_index=np.full((10, 12), 3))),
     "rain zones: numbers between -1 and 0 expected", "zones de pluie"),
    (dict(observation_rows=[10], observation_cols=[0]),
     "observation point: cell (10, 0) outside the 10 × 12 grid", "point d'observation"),
    (dict(observation_rows=[2], observation_cols=[3]),
     "observation point: cell (2, 3) inside a building", "dans un bâtiment"),
    (dict(observation_rows=[1.5], observation_cols=[3]),
     "observation point: rows and columns must be integers", "doivent être entières"),
    (dict(imposed_levels=[ImposedLevel([0], [0], [0, 60], [1.0, np.nan], name="sea")]),
     "imposed level 'sea': missing or infinite level", "niveau imposé « sea »"),
    (dict(free_outflow={"est": None}), "unknown edge 'est'", "bord « est » inconnu"),
    (dict(free_outflow={"east": -0.01}), "edge 'east': the outflow slope must be positive",
     "la pente de sortie doit être positive"),
    (dict(manning_n=np.ones((3, 3))), "Manning coefficient: shape (3, 3) instead of (10, 12)",
     "coefficient de Manning : forme"),
    (dict(manning_n=0.0), "the Manning coefficient must be positive", "doit être positif"),
    (dict(initial_depth_m=-1.0), "initial water depth negative or missing",
     "hauteur d'eau initiale"),
    (dict(initial_depth_m=1.0, initial_level_m=2.0),
     "give the initial depth or the initial level, not both", "pas les deux"),
    (dict(infiltration_mm_h=-5.0), "infiltration must be zero or positive (mm/h)",
     "l'infiltration doit être positive"),
    (dict(drainage_mm_h=-1.0), "the drainage capacity must be zero or positive (mm/h)",
     "la capacité du réseau pluvial doit être positive"),
    (dict(duration_s=0.0), "duration: must be positive, not 0", "durée : doit être positive"),
    (dict(cell_size_m=np.nan), "cell size: must be positive, not nan", "taille de maille"),
    (dict(bed_changes=[BedChange(-5.0, [1], [1], 2.0)]),
     "bed change #1: time -5.0 negative or missing", "modification du lit n°1"),
    (dict(settings=SolverSettings(theta=0.3)), "solver setting theta out of range (0.5 – 1)",
     "réglage du solveur theta hors limites"),
    (dict(bed_m=np.full((10, 12), np.nan)),
     "bed elevation missing or infinite at (0, 1) (117 cells)", "altitude du lit absente"),
]


@pytest.mark.parametrize("change, english, french", BAD_INPUTS,
                         ids=[case[1][:40] for case in BAD_INPUTS])
def test_bad_inputs_are_named(change, english, french):
    """A mistake in the inputs raises a JumeauError saying what is wrong, in both languages."""
    blocked = np.zeros((10, 12), dtype=bool)
    blocked[2, 2:4] = True
    inputs = dict(bed_m=np.zeros((10, 12)), cell_size_m=DX, duration_s=60.0, blocked=blocked)
    if "bed_m" in change:
        blocked[0, 0] = True  # NaN under a building is fine, elsewhere it is not
    with pytest.raises(JumeauError) as err:
        solve_flood(**(inputs | change))
    assert english in err.value.render("en")
    assert french in err.value.render("fr")


def test_drainage_takes_its_capacity_and_is_reported_apart():
    """Rain on a closed sealed basin with a storm-water network: the network takes its
    capacity from the standing water, infiltration takes its own, and the mass balance
    closes with both terms kept apart."""
    shape = (10, 10)
    rain = Hyetograph([0.0, 3600.0], [50.0])
    drainage = np.full(shape, 20.0)
    drainage[:, 5:] = 0.0                        # half the basin has no network
    infiltration = np.where(drainage > 0, 0.0, 10.0)
    sol = solve_flood(np.zeros(shape), DX, 3600.0, rainfall=rain, drainage_mm_h=drainage,
                      infiltration_mm_h=infiltration, manning_n=0.05,
                      snapshot_interval_s=None)
    balance = sol.mass_balance
    half_m2 = 50 * DX**2
    assert balance.rain_m3 == pytest.approx(0.05 * 100 * DX**2, rel=1e-9)
    # Rain falls before the losses act in each step, so water stands on every cell
    # from the first step and each loss works at capacity for the whole hour.
    assert balance.drainage_m3 == pytest.approx(0.020 * half_m2, rel=1e-6)
    assert balance.infiltration_m3 == pytest.approx(0.010 * half_m2, rel=1e-6)
    assert balance.final_storage_m3 == pytest.approx(0.05 * 100 * DX**2 - 0.03 * half_m2,
                                                     rel=1e-6)
    assert balance.total_out_m3 == pytest.approx(
        balance.drainage_m3 + balance.infiltration_m3, rel=1e-12)
    assert abs(balance.relative_error) < 1e-9
    assert "drainage_m3" in balance.as_dict()



def test_numba_cache_goes_to_the_user_folder_when_the_package_is_read_only(monkeypatch,
                                                                          tmp_path):
    """A read-only package folder sends numba's cache to ~/.cache/jumeau/numba; the
    user's NUMBA_CACHE_DIR or a writable folder leave numba's choice."""
    from jumeau import _numba_cache

    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache")}
    assert _numba_cache.cache_dir_for(tmp_path, environ) is None  # writable
    monkeypatch.setattr(_numba_cache, "_writable", lambda folder: False)
    assert _numba_cache.cache_dir_for(tmp_path, environ) == tmp_path / "cache/jumeau/numba"
    assert _numba_cache.cache_dir_for(tmp_path, environ | {"NUMBA_CACHE_DIR": "x"}) is None



def test_row_loops_tell_llvm_their_arrays_do_not_overlap():
    """The row loops' options (``_KW_ROW``) make numba mark every pointer argument
    ``noalias``, which spares the vector loops their run-time overlap checks (on rows of
    8 cells, 305–316 ns a row and step against 471–475 ns); without them, it does not."""
    from jumeau.flood import _kernels

    def add_one(a, b):
        for j in range(a.size):
            b[j] = a[j] + 1.0

    assert _kernels.NOALIAS
    options = {k: v for k, v in _kernels._KW_ROW.items() if k != "cache"}
    plain = {k: v for k, v in _kernels._KW.items() if k != "cache"}
    x = np.arange(4.0)
    ir = {}
    for name, kw in (("row", options), ("plain", plain)):
        f = numba.njit(**kw)(add_one)
        f(x, np.empty(4))
        text = next(iter(f.inspect_llvm().values()))
        header = next(line for line in text.splitlines()
                      if line.startswith("define") and "add_one" in line)
        ir[name] = header
    # an array comes as (meminfo, parent, nitems, itemsize, data, shape, strides)
    data_noalias = re.compile(r"(ptr|double\*) noalias[^,]*%arg\.[ab]\.4\b")
    assert len(data_noalias.findall(ir["row"])) == 2
    assert not data_noalias.findall(ir["plain"])

def test_borrowed_views_share_their_arrays_memory():
    """The time loop's sweep works on borrowed views of its arrays (no reference count):
    a view reads and writes the array it comes from, whatever its shape and type."""
    from jumeau.flood._kernels import _borrowed

    @numba.njit
    def write_through(a, b):
        va = _borrowed(a)
        vb = _borrowed(b)
        va[1, 2] = 7.0
        vb[3] = np.float32(2.5)
        return va.shape[0] * 100 + va.shape[1], a[1, 2] + vb[0]

    a = np.zeros((3, 4))
    b = np.arange(5, dtype=np.float32)
    assert write_through(a, b) == (304, 7.0)
    assert a[1, 2] == 7.0 and b[3] == 2.5
