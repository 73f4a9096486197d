"""The flood solver against an analytical solution and a reference benchmark (EA test 4
with one step for every cell and with local time steps, which take most of its steps
there; the two analytical cases keep one step: their water is too evenly deep)."""

from __future__ import annotations

import numpy as np
import pytest

from jumeau.flood import ImposedLevel, Inflow, SolverSettings, solve_flood


def test_moving_front_over_a_flat_plane():
    """Hunter et al. (2005) front on a flat plane: depth within 5 cm, front within 10 %."""
    manning_n, speed_ms, duration_s, dx = 0.01, 1.0, 3600.0, 10.0
    ny, nx = 3, 500  # a 5 km channel, three cells wide, closed on its sides

    def exact_depth_m(x_m: np.ndarray, t_s: float) -> np.ndarray:
        reach = np.clip(speed_ms * t_s - x_m, 0.0, None)
        return ((7 / 3) * manning_n**2 * speed_ms**2 * reach) ** (3 / 7)

    # upstream, h(0, t) = [(7/3) n² u³ t]^(3/7), sampled densely where it rises fastest
    times_s = np.concatenate([[0.0], np.geomspace(0.1, duration_s, 400)])
    upstream = ImposedLevel(rows=np.arange(ny), cols=np.zeros(ny, dtype=int), times_s=times_s,
                            level_m=exact_depth_m(np.zeros(1), 1.0)[0] * times_s ** (3 / 7))
    sol = solve_flood(np.zeros((ny, nx)), dx, duration_s, manning_n=manning_n,
                      imposed_levels=[upstream])

    x_m = np.arange(nx) * dx
    depth = sol.final_depth_m[1]
    near = x_m <= 0.75 * speed_ms * duration_s
    error_m = np.abs(depth - exact_depth_m(x_m, duration_s))[near]
    front_m = x_m[np.flatnonzero(depth > 0.01).max()]
    print(f"\nmoving front: largest depth error {error_m.max():.3f} m for x <= "
          f"{0.75 * speed_ms * duration_s:g} m, front at {front_m:g} m "
          f"(exact {speed_ms * duration_s:g} m)")
    assert error_m.max() < 0.05
    assert abs(front_m - speed_ms * duration_s) < 0.1 * speed_ms * duration_s
    assert np.all(depth[x_m > 1.1 * speed_ms * duration_s] == 0.0)
    assert abs(sol.mass_balance.relative_error) < 1e-9



def test_moving_front_both_ways_from_a_level_inside_the_grid():
    """The same front driven from a line of imposed cells in the middle of the channel:
    it runs both ways as it runs from the end. A face next to the line must leave the
    face across it out of its θ-mean; averaged with it (water leaving both ways, so of
    opposite sign) the front lay 22 cm off and 19 % short."""
    manning_n, speed_ms, duration_s, dx = 0.01, 1.0, 3600.0, 10.0
    ny, half = 3, 450
    nx = 2 * half + 1

    def exact_depth_m(x_m: np.ndarray, t_s: float) -> np.ndarray:
        reach = np.clip(speed_ms * t_s - x_m, 0.0, None)
        return ((7 / 3) * manning_n**2 * speed_ms**2 * reach) ** (3 / 7)

    times_s = np.concatenate([[0.0], np.geomspace(0.1, duration_s, 400)])
    line = ImposedLevel(rows=np.arange(ny), cols=np.full(ny, half), times_s=times_s,
                        level_m=exact_depth_m(np.zeros(1), 1.0)[0] * times_s ** (3 / 7))
    sol = solve_flood(np.zeros((ny, nx)), dx, duration_s, manning_n=manning_n,
                      imposed_levels=[line])

    depth = sol.final_depth_m[1]
    x_m = np.abs(np.arange(nx) - half) * dx
    near = x_m <= 0.75 * speed_ms * duration_s
    error_m = np.abs(depth - exact_depth_m(x_m, duration_s))[near]
    east, west = depth[half:], depth[half::-1]
    front_m = np.flatnonzero(east > 0.01).max() * dx
    print(f"\nfront from a line inside: largest depth error {error_m.max():.3f} m, front "
          f"at {front_m:g} m (exact {speed_ms * duration_s:g} m)")
    assert error_m.max() < 0.05
    assert abs(front_m - speed_ms * duration_s) < 0.1 * speed_ms * duration_s
    assert np.array_equal(east, west)
    assert abs(sol.mass_balance.relative_error) < 1e-9


@pytest.mark.parametrize("local_steps", [False, True])
def test_water_from_a_level_line_does_not_depend_on_theta(local_steps):
    """A level held 30 cm above a 2 % slope along a line across the grid feeds water
    both ways. Left out of the θ-means next to the line, the faces across it no longer
    damp the flow: θ = 0.7 lets in what θ = 1 does (it let in 10 % less), with one step
    everywhere and with local steps (a deep channel along the northern rows sets the
    step, so the sheet of water takes twice as long ones)."""
    n, dx = 60, 10.0
    rows, cols = np.mgrid[0:n, 0:n]
    bed = 10.0 - 0.02 * (cols + 0.5) * dx - np.where(rows < 4, 4.0, 0.0)
    line = ImposedLevel(rows=np.arange(4, n), cols=np.full(n - 4, 15), times_s=[0.0],
                        level_m=[bed[10, 15] + 0.3])
    water_m3 = {}
    for theta in (0.7, 1.0):
        sol = solve_flood(bed, dx, 1200.0, initial_depth_m=np.where(rows < 4, 4.0, 0.0),
                          imposed_levels=[line], free_outflow={"east": None},
                          snapshot_interval_s=None,
                          settings=SolverSettings(theta=theta, local_time_steps=local_steps))
        water_m3[theta] = sol.mass_balance.boundary_in_m3
        assert abs(sol.mass_balance.relative_error) < 1e-9
    assert water_m3[0.7] == pytest.approx(water_m3[1.0], rel=5e-3)

def test_uniform_channel_reaches_normal_depth():
    """Steady flow down a channel with a free outlet settles at Manning's normal depth."""
    dx, slope, manning_n, discharge_m3s = 10.0, 0.001, 0.03, 6.0
    ny, nx = 3, 150
    bed = np.tile(10.0 - slope * dx * np.arange(nx), (ny, 1))
    inflow = Inflow(rows=np.arange(ny), cols=np.zeros(ny, dtype=int), times_s=[0, 1e5],
                    discharge_m3s=[discharge_m3s, discharge_m3s])
    sol = solve_flood(bed, dx, 4 * 3600.0, manning_n=manning_n, inflows=[inflow],
                      free_outflow={"east": None}, snapshot_interval_s=None)
    unit_discharge = discharge_m3s / (ny * dx)
    normal_depth_m = (unit_discharge * manning_n / np.sqrt(slope)) ** 0.6
    # from the inflow cells (the water enters through their edge faces) to the outlet
    depth = sol.final_depth_m
    print(f"\nnormal depth {normal_depth_m:.4f} m, simulated {depth.min():.4f}–"
          f"{depth.max():.4f} m")
    assert np.abs(depth - normal_depth_m).max() < 1e-3
    assert abs(sol.mass_balance.relative_error) < 1e-9


#: EA test 4 output points (x, y in m) and the reference: peak depth (m) and arrival
#: time of 1 cm (min) from a landlab OverlandFlow run of the same case, closed edges.
EA4_POINTS = [
    ((50, 1000), 0.317, 9.5),
    ((100, 1000), 0.264, 15.7),
    ((200, 1000), 0.217, 30.0),
    ((300, 1000), 0.190, 45.6),
    ((400, 1000), 0.170, 62.1),
    ((300, 1300), 0.174, 59.5),
]


@pytest.mark.slow
@pytest.mark.parametrize("local", [False, True], ids=["global", "local"])
def test_environment_agency_test_4(local):
    """EA 2D benchmark test 4 (flood on a plain): peaks within 3 cm, arrivals within 5 min."""
    dx = 5.0
    width_m, length_m = 1000.0, 2000.0  # x from 0 to 1000 (west to east), y from 0 to 2000
    ny, nx = int(length_m / dx), int(width_m / dx)
    # 20 m opening centred on y = 1000 on the west edge; row 0 is the northern row
    opening = np.arange(int((length_m - 1010) / dx), int((length_m - 990) / dx))
    inflow = Inflow(rows=opening, cols=np.zeros(opening.size, dtype=int),
                    times_s=[0, 300, 3600, 14400, 18000], discharge_m3s=[0, 0, 20, 20, 0],
                    name="EA test 4")
    sol = solve_flood(np.zeros((ny, nx)), dx, 5 * 3600.0, manning_n=0.05, inflows=[inflow],
                      snapshot_interval_s=None,
                      settings=SolverSettings(arrival_depth_m=0.01, local_time_steps=local))

    print(f"\nEA test 4 ({sol.n_steps} steps, {sol.n_local_steps} local, "
          f"{sol.kernel_wall_time_s:.1f} s)")
    print(f"{'point (x, y)':<14}{'peak (m)':>10}{'ref':>8}{'arrival (min)':>15}{'ref':>8}")
    failures = []
    for (x, y), ref_peak, ref_arrival in EA4_POINTS:
        row, col = int((length_m - y) / dx), int(x / dx)
        peak = sol.max_depth_m[row, col]
        arrival = sol.arrival_time_s[row, col] / 60.0
        print(f"{f'({x}, {y})':<14}{peak:>10.3f}{ref_peak:>8.3f}{arrival:>15.1f}"
              f"{ref_arrival:>8.1f}")
        if not (abs(peak - ref_peak) < 0.03 and abs(arrival - ref_arrival) < 5.0):
            failures.append((x, y))
    assert not failures
    assert (sol.n_local_steps > sol.n_steps / 2) == local
    balance = sol.mass_balance
    assert balance.inflow_m3 == pytest.approx(20 * (3300 / 2 + 10800 + 3600 / 2), rel=1e-12)
    assert abs(balance.relative_error) < 1e-9
