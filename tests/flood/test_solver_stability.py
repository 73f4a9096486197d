"""The flood solver stays stable in deep water and under strong inflows."""

from __future__ import annotations

import numpy as np
import pytest

from jumeau.flood import Inflow, SolverSettings, solve_flood

DX = 5.0


def test_deep_still_water_stays_still():
    """A 4 m deep lake with millimetre ripples and little friction calms down, not up."""
    rng = np.random.default_rng(0)
    depth = 4.0 + 1e-3 * rng.standard_normal((40, 40))
    sol = solve_flood(np.zeros((40, 40)), DX, 600.0, manning_n=0.03, initial_depth_m=depth,
                      snapshot_interval_s=None)
    # at θ = 0.7 and α = 0.7 the chequerboard mode grew to 8 m swings
    assert sol.max_depth_m.max() < 4.0 + 5e-3
    assert np.abs(sol.final_depth_m - depth.mean()).max() < 1e-3
    assert abs(sol.mass_balance.relative_error) < 1e-12


# A straight channel 40 m wide (closed sides), 800 m long, with a slightly rough bed
# (5 mm) so that water also moves across it, and a free outlet at the channel's slope.
SLOPE, MANNING_N, PEAK_M3S = 0.001, 0.035, 360.0
NY, NX = 8, 160


def _channel(inflow_cells: tuple[np.ndarray, np.ndarray]) -> dict:
    rng = np.random.default_rng(3)
    bed = (np.tile(100.0 - SLOPE * DX * np.arange(NX), (NY, 1))
           + 0.005 * rng.standard_normal((NY, NX)))
    rows, cols = inflow_cells
    series_rows, series_cols = np.mgrid[0:NY, 0:40]
    return dict(bed_m=bed, cell_size_m=DX, duration_s=7200.0, manning_n=MANNING_N,
                inflows=[Inflow(rows, cols, times_s=[0, 1e5], discharge_m3s=[PEAK_M3S] * 2)],
                free_outflow={"east": SLOPE}, snapshot_interval_s=None,
                observation_rows=series_rows.ravel(), observation_cols=series_cols.ravel(),
                series_interval_s=10.0)


NORMAL_DEPTH_M = (PEAK_M3S / (NY * DX) * MANNING_N / np.sqrt(SLOPE)) ** 0.6


def test_strong_edge_inflow_flows_at_normal_depth():
    """360 m³/s entering a dry channel on its west edge flows at Manning's normal depth
    right from the edge, without oscillating and without a spike while it fills."""
    sol = solve_flood(**_channel((np.arange(NY), np.zeros(NY, dtype=int))))
    last = sol.observation_depth_m[:, -120:]  # the last 20 minutes, every 10 s
    print(f"\nnormal depth {NORMAL_DEPTH_M:.3f} m; first 200 m: {last.min():.3f}–"
          f"{last.max():.3f} m, swing {np.ptp(last, axis=1).max():.4f} m, "
          f"max {sol.max_depth_m[:, :40].max():.3f} m ({sol.n_steps} steps)")
    assert np.abs(last / NORMAL_DEPTH_M - 1.0).max() < 0.03
    assert np.ptp(last, axis=1).max() < 0.05
    # the filling front is a little deeper than the steady flow; it was 18 m next to
    # the edge (the first step, 10 s long on the dry grid, brought 10 s of inflow at
    # once) and the cells near the edge then swung by 2 m
    assert sol.max_depth_m[:, :10].max() < 1.15 * NORMAL_DEPTH_M
    assert abs(sol.mass_balance.relative_error) < 1e-9


@pytest.mark.parametrize("shape", ["line", "point"])
def test_strong_interior_inflow_is_steady(shape):
    """The same discharge given inside the channel, across it or at a single cell, gives
    a steady flow at normal depth downstream; a single cell carries it on a mound."""
    if shape == "line":
        cells = (np.arange(NY), np.full(NY, 20))
    else:
        cells = (np.array([4]), np.array([20]))
    sol = solve_flood(**_channel(cells))
    last = sol.observation_depth_m.reshape(NY, 40, -1)[:, :, -120:]
    assert np.ptp(last, axis=2).max() < 0.05
    downstream = last[:, 25:]
    assert np.abs(downstream / NORMAL_DEPTH_M - 1.0).max() < 0.03
    steady = last[cells[0], cells[1]].mean()
    highest = sol.max_depth_m[cells].max()
    print(f"\n{shape}: source cells {steady:.2f} m at the end, {highest:.2f} m at most; "
          f"normal depth {NORMAL_DEPTH_M:.2f} m")
    # the water of 45 m³/s per cell across the channel leaves on a 0.5 m mound, that of
    # 360 m³/s through one cell's four faces on a 2 m mound (it was 36 m at the start,
    # then swung by 5 m)
    assert steady < (1.15 if shape == "line" else 1.5) * NORMAL_DEPTH_M
    assert highest < (1.3 if shape == "line" else 1.8) * NORMAL_DEPTH_M
    assert abs(sol.mass_balance.relative_error) < 1e-9


def _basin() -> dict:
    """Uneven ground, an inflow on the west edge, every edge free (the inflow faces are
    inflows, not outlets)."""
    rng = np.random.default_rng(5)
    y, x = np.mgrid[0:24, 0:30]
    bed = 0.3 * np.sin(x / 3.0) * np.cos(y / 5.0) + 0.002 * DX * x + 0.1 * rng.random((24, 30))
    inflow = Inflow(rows=[9, 10, 11, 12, 12], cols=[0, 0, 0, 0, 0], times_s=[0, 300, 900],
                    discharge_m3s=[0.0, 20.0, 5.0])
    return dict(bed_m=bed, cell_size_m=DX, duration_s=900.0, manning_n=0.03,
                inflows=[inflow], free_outflow=dict.fromkeys(("west", "east", "north", "south")),
                snapshot_interval_s=None, settings=SolverSettings(n_threads=1))


EDGE_TURNS = {
    # the grid turned so that the west edge becomes this edge: (bed, cells, back)
    "east": (lambda a: a[:, ::-1], lambda r, c: (r, 29 - c), lambda a: a[:, ::-1]),
    "north": (lambda a: a.T, lambda r, c: (c, r), lambda a: a.T),
    "south": (lambda a: a.T[::-1], lambda r, c: (29 - c, r), lambda a: a[::-1].T),
}


@pytest.mark.parametrize("edge", list(EDGE_TURNS))
def test_inflow_enters_through_any_edge(edge):
    """An inflow on the east, north or south edge gives the west edge's flood, turned."""
    west = solve_flood(**_basin())
    turn, move, back = EDGE_TURNS[edge]
    inputs = _basin()
    inflow = inputs["inflows"][0]
    rows, cols = move(np.asarray(inflow.rows), np.asarray(inflow.cols))
    inputs.update(bed_m=turn(inputs["bed_m"]),
                  inflows=[Inflow(rows, cols, inflow.times_s, inflow.discharge_m3s)])
    turned = solve_flood(**inputs)
    assert np.allclose(back(turned.final_depth_m), west.final_depth_m, rtol=0, atol=1e-9)
    assert np.allclose(back(turned.max_depth_m), west.max_depth_m, rtol=0, atol=1e-9)
    for sol in (west, turned):
        balance = sol.mass_balance
        assert balance.inflow_m3 == pytest.approx(0.5 * 20 * 300 + 0.5 * 25 * 600, rel=1e-12)
        assert 0 < balance.outflow_m3 < balance.inflow_m3
        assert abs(balance.relative_error) < 1e-12
