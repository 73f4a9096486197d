"""Local time steps: cells a quarter as deep as the deepest take steps twice as long.

The case is the demo's storms in small: a river 2 m deep sets the step of a valley that
the rain covers with centimetres of water. The verification tests of
``test_solver_verification.py`` run with local steps too.
"""

from __future__ import annotations

import numpy as np
import pytest

from jumeau.flood import SolverSettings, solve_flood
from jumeau.flood.solver import Hyetograph, courant_number


def _storm(**settings):
    """A river along the rows, 50 mm/h of rain for 30 min on a valley sloping to it and
    west, two buildings, infiltration, a free western edge; one hour."""
    ny, nx = 90, 120
    y, x = np.mgrid[0:ny, 0:nx]
    bed = (0.05 * x + 0.02 * np.abs(y - 45) * 5
           + 0.2 * np.sin(x / 9.0) * np.cos(y / 11.0))
    bed[42:48, :] -= 2.5  # the river
    depth = np.zeros((ny, nx))
    depth[42:48, :] = 2.0
    blocked = np.zeros((ny, nx), dtype=bool)
    blocked[10:14, 30:40] = True
    blocked[70:76, 80:86] = True
    return solve_flood(bed, 5.0, 3600.0, manning_n=0.03, blocked=blocked,
                       initial_depth_m=depth, infiltration_mm_h=5.0,
                       rainfall=Hyetograph(times_s=[0, 1800], rate_mm_h=[50.0]),
                       free_outflow={"west": None}, snapshot_interval_s=None,
                       series_interval_s=600.0,
                       settings=SolverSettings(**{"n_threads": 1, **settings}))


@pytest.fixture(scope="module")
def runs():
    return {"global": _storm(), "local": _storm(local_time_steps=True),
            # the global scheme's own step error: the same run with half the step
            "half": _storm(courant=0.5 * courant_number(SolverSettings()))}


def test_local_steps_halve_the_work(runs):
    """Nearly every step is local, each as long as two global ones, and the cell
    updates fall by more than 40 %."""
    local, glob = runs["local"], runs["global"]
    print(f"\nglobal: {glob.n_steps} steps, {glob.cell_updates:,} cell updates; local: "
          f"{local.n_steps} steps ({local.n_local_steps} local), "
          f"{local.cell_updates:,} cell updates")
    assert glob.n_local_steps == 0
    assert local.n_local_steps > 0.95 * local.n_steps
    assert local.n_steps < 0.52 * glob.n_steps
    assert local.cell_updates < 0.6 * glob.cell_updates


def test_local_steps_conserve_water_exactly(runs):
    """Both cells of a face apply the same weighted discharge: the mass balance closes
    to round-off, with the same rain as global steps, and no depth goes negative."""
    local, glob = runs["local"], runs["global"]
    assert abs(local.mass_balance.relative_error) < 1e-12
    assert local.mass_balance.rain_m3 == pytest.approx(glob.mass_balance.rain_m3, rel=1e-12)
    assert local.final_depth_m.min() >= 0.0
    assert np.isfinite(local.max_velocity_ms).all()


def test_local_steps_stay_within_the_schemes_own_step_error(runs):
    """The largest depths differ from those of global steps by less than halving the
    global step changes them."""
    glob = runs["global"].max_depth_m
    local = np.abs(runs["local"].max_depth_m - glob)
    half = np.abs(runs["half"].max_depth_m - glob)
    wet = glob > 0.01
    print(f"\n|local - global|: largest {local.max():.4f} m, 99th percentile "
          f"{np.quantile(local[wet], 0.99):.4f} m; |half step - global|: "
          f"{half.max():.4f} m, {np.quantile(half[wet], 0.99):.4f} m")
    assert 0 < local.max() < half.max()
    assert np.quantile(local[wet], 0.99) < np.quantile(half[wet], 0.99)


def test_local_steps_give_the_same_bits_on_any_number_of_threads(runs):
    two = _storm(local_time_steps=True, n_threads=2, parallel_min_cells=500)
    one = runs["local"]
    for name in ("max_depth_m", "final_depth_m", "max_velocity_ms", "arrival_time_s",
                 "time_of_max_depth_s"):
        assert np.array_equal(getattr(one, name), getattr(two, name), equal_nan=True), name
    assert one.mass_balance == two.mass_balance
