"""A 2D flood solver on a regular grid: the local inertial shallow-water equations.

The scheme is LISFLOOD-FP's "ACC" solver: the local inertial formulation of Bates,
Horritt & Fewtrell (2010) with the θ-weighted face discharges of de Almeida et al.
(2012), semi-implicit Manning friction, an adaptive time step and a Froude limiter.
:func:`solve_flood` is a pure function: grid arrays and forcings in, a
:class:`FloodSolution` out; the time loop runs in compiled numba kernels
(:mod:`jumeau.flood._kernels`) and only where water can still move (deeper than
``SolverSettings.flow_depth_min_m``, or draining) and one cell around.

Grid
----
Arrays are ``(ny, nx)``, row 0 is the northern row (as in a GeoTIFF), cells are square
with side ``cell_size_m``. Cells are addressed by integer ``rows`` and ``cols`` arrays;
translating geometries into cells is the caller's job.

Choices worth knowing
---------------------
- Face Manning coefficient: the arithmetic mean of the two cells' ``n``.
- Flow through a face only where the face flow depth
  ``max(eta_i, eta_j) - max(z_i, z_j)`` exceeds ``SolverSettings.flow_depth_min_m``.
- Outflows of a cell are scaled down, all by the same factor, when together they would
  take more water than the cell holds; both cells of a face use the same scaled
  discharge, so depths never go negative and water is conserved exactly.
- Blocked cells (buildings) exchange no water with their neighbours and receive no
  rain; water given on them (initial depth) is ignored.
- Edges are closed unless listed in ``free_outflow``; a free edge lets water out
  (never in) with the momentum equation in which the water surface slope is replaced
  by an outward slope: the slope given for that edge, or else the local bed slope from
  the inner neighbour to the edge cell, floored at
  ``SolverSettings.min_outflow_slope``. In steady flow this is Manning's normal-depth
  discharge ``h^(5/3) S^(1/2) / n``.
- Inflow hydrographs are linear between their points and zero outside them; the
  discharge is split equally between the cells of the inflow, and each step brings the
  exact volume of the linear hydrograph over the step. Cells on a grid edge take it
  through their edge face, as a given unit discharge (LISFLOOD-FP's QVAR boundary): the
  depth update brings it in, and the θ-weighting of the first interior faces sees it,
  so a river entering at an edge flows at its normal depth from the edge cells on. Of
  an inflow's cells, those on the edge holding most of them do so (their faces are
  then inflows even on a free edge, closed while the hydrograph is zero); the others
  get the water as a volume source, added to their depth after the depth update of
  each step. A source cell must pass its whole discharge to its neighbours, so its
  surface stands above theirs: 360 m³/s on one 5 m cell of a 4 m deep river stands
  about 2 m higher, 45 m³/s per cell on a line across the river 0.5 m. Give strong
  inflows on a line across the flow, or better on the grid edge.
- Imposed water levels are linear between their points and held constant before the
  first and after the last; at the start and after every step the depth of their
  cells is set to ``max(0, level - bed)`` and the water added or removed is accounted
  as boundary exchange (both ways: ``boundary_in_m3`` and ``boundary_out_m3``). A
  face next to such a cell leaves the face across the cell out of its θ-mean, as it
  leaves out a wall: water leaving a level on both sides (a line inside the grid)
  would otherwise have each face's discharge averaged with the opposite one, a head
  loss at the line that does not shrink with the cells (see "Imposed levels" in
  :mod:`jumeau.flood._kernels`).
- Hyetographs are piecewise constant: ``rate_mm_h[k]`` falls between ``times_s[k]`` and
  ``times_s[k + 1]``, nothing outside. Infiltration and the storm-water network remove
  up to their capacities from the water on a cell, every step: the kernel takes their
  sum, and the volume each cell lost is shared between the two by rate at the end.
- Bed changes and openings happen at their time, between two steps; the depth of water
  on a changed cell is kept (so water is conserved), which moves its surface with the
  bed. Events after the end of the simulation have no effect.
- Time steps end exactly on every forcing breakpoint, event, snapshot and series time.

Time step and stability
-----------------------
The step is ``dt = α dx / sqrt(g h_max)`` (``SolverSettings.courant``), shortened where
an inflow would add more than ``(α dx / dt)² / g`` of depth to its cell in one step
(such water would pile up: a dry start at the largest step once put 18 m of water
next to an edge inflow).

The θ-weighted scheme is not stable up to the usual 2D Courant limit. For the
chequerboard mode (depths alternating from cell to cell in both directions) the
θ-weighting keeps only ``2θ - 1`` of a face's discharge from one step to the next, and
a von Neumann analysis of the frictionless linear scheme on a square grid gives
amplification factors within 1 only for ``g h dt² / dx² <= θ / 2``, that is
``α <= sqrt(θ / 2)`` (0.59 at θ = 0.7, 0.71 at θ = 1; in 1D ``α <= sqrt(θ)``). Friction
damps the mode in shallow overland flow, which is why LISFLOOD-FP's usual α = 0.7
works on floodplains; in a deep river it hardly does (its damping grows with the
discharge over ``h^(7/3)``), and at α = 0.7 the cells of a 4 m deep channel flipped
between dry and 9 m every few steps (a still lake with millimetre ripples did the
same). By default α is 95 % of ``sqrt(θ / 2)``.

Limits
------
The local inertial equations leave out advection, which is small in the slow flows of
floodplains and streets but not in fast flow down steep slopes (Froude number above 1,
supercritical). There the Froude limiter holds each face at critical flow, and a wave
running down a slope piles up behind its front: with a level raised suddenly 1 m above
the bed at the top of a dry 2 % slope (5 m cells), the front was 1.64 m deep 320 m
down, and 2.74 m in the last cells before a free edge, whose discharge, in momentum
form (as LISFLOOD-FP's free boundary), takes some seconds to catch up; the flow then
settled at 1.0 m everywhere. Without the limiter the front reached 2.65 m and 4.97 m.
Read largest depths on steep ground, and in the last cells before a free edge, as
indicative; keep the area of interest a few cells away from the grid's edges.

Threads
-------
The time loop uses numba's thread pool for active regions of at least
``SolverSettings.parallel_min_cells`` cells, a single serial sweep below that and on
one thread. The number of threads is ``SolverSettings.n_threads``, never more than
``NUMBA_NUM_THREADS`` (numba's pool size, which defaults to the number of CPUs) nor the
CPUs this process may run on (``os.sched_getaffinity``). By default it is those CPUs
minus the tasks already running on the machine (``/proc/loadavg``), at least one,
decided again before each segment of the schedule (between two snapshots or series
times): every step waits for its slowest thread, and a thread that shares a core with
another busy program makes every step wait; when that program ends (another scenario
of ``jumeau demo``), the run takes the freed core. Results do not depend on the number
of threads.

References
----------
Bates, P. D., Horritt, M. S., & Fewtrell, T. J. (2010). A simple inertial formulation
of the shallow water equations for efficient two-dimensional flood inundation
modelling. Journal of Hydrology, 387, 33–45.

de Almeida, G. A. M., Bates, P., Freer, J. E., & Souvignet, M. (2012). Improving the
stability of a simple formulation of the shallow water equations for 2-D flood
modeling. Water Resources Research, 48, W05528.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from jumeau.errors import JumeauError, did_you_mean
from jumeau.flood import _kernels
from jumeau.i18n import Text, fmt_number
from jumeau.machine import allowed_cpus

EDGES = ("west", "east", "north", "south")
"""Names of the grid edges, in the order the kernels use."""

MAX_RAIN_RATE_MM_H = 500.0
"""Largest rainfall intensity accepted (mm/h), well above any hourly rain observed."""

_BYTES_PER_CELL = 4 * 8 + 5 * 4 + 8 + 1
"""Memory per cell at most: bed, depth, depth lost and loss rate (float64), Manning
coefficient and four diagnostics (float32), a float64 grid of headroom (the kept bed of
a run with events, or a result being converted at the end) and the blocked mask. The
work arrays are a few rows (see :mod:`jumeau.flood._kernels`)."""

_BYTES_PER_FACE = 8
"""Memory per face: its discharge (float64)."""

_MM_H_TO_M_S = 1.0 / 3.6e6


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Inflow:
    """A discharge hydrograph entering the grid at a set of cells.

    Parameters
    ----------
    rows, cols
        Cells receiving the water (a boundary segment or a single point); the discharge
        is split equally between them.
    times_s
        Times of the hydrograph points (s since the start, increasing, >= 0).
    discharge_m3s
        Discharge at those times (m³/s, >= 0); linear in between, zero outside.
    name
        A label used in error messages.
    """

    rows: ArrayLike
    cols: ArrayLike
    times_s: ArrayLike
    discharge_m3s: ArrayLike
    name: str = ""


@dataclass(frozen=True)
class ImposedLevel:
    """A water level imposed over time at a set of cells (river stage, sea level).

    Parameters
    ----------
    rows, cols
        Cells whose water surface is held at the level (usually along an edge).
    times_s
        Times of the level points (s since the start, increasing, >= 0).
    level_m
        Water surface elevation at those times (m, same datum as the bed); linear in
        between, held constant before the first and after the last point. Where the
        level is below the bed the cell is dry.
    name
        A label used in error messages.
    """

    rows: ArrayLike
    cols: ArrayLike
    times_s: ArrayLike
    level_m: ArrayLike
    name: str = ""


@dataclass(frozen=True)
class Hyetograph:
    """Rainfall intensity over time, piecewise constant.

    Parameters
    ----------
    times_s
        Interval bounds (s since the start, increasing, >= 0), one more than rates.
    rate_mm_h
        Intensity during each interval (mm/h, 0 to 500); no rain outside.
    name
        A label used in error messages.
    """

    times_s: ArrayLike
    rate_mm_h: ArrayLike
    name: str = ""


@dataclass(frozen=True)
class Rainfall:
    """Rain on the grid: one hyetograph everywhere, or one per zone.

    Parameters
    ----------
    hyetographs
        The hyetographs; with no ``zone_index`` there must be exactly one.
    zone_index
        ``(ny, nx)`` integers: the hyetograph falling on each cell, ``-1`` for none.
    """

    hyetographs: Sequence[Hyetograph]
    zone_index: ArrayLike | None = None


@dataclass(frozen=True)
class BedChange:
    """New bed elevations at some cells from a given time (breach, wall, dyke raise).

    Parameters
    ----------
    time_s
        When the change happens (s since the start, >= 0).
    rows, cols
        The cells changed.
    bed_m
        Their new bed elevation (m): one value, or one per cell.
    """

    time_s: float
    rows: ArrayLike
    cols: ArrayLike
    bed_m: ArrayLike


@dataclass(frozen=True)
class Unblock:
    """Blocked cells opened to the flow at a given time (a wall or gate giving way).

    Parameters
    ----------
    time_s
        When the cells open (s since the start, >= 0).
    rows, cols
        The cells opened; they keep the bed given in ``bed_m`` (or by a
        :class:`BedChange`) and start dry.
    """

    time_s: float
    rows: ArrayLike
    cols: ArrayLike


@dataclass(frozen=True)
class SolverSettings:
    """Numerical settings of the flood solver; the defaults suit urban floods at 1–10 m.

    Parameters
    ----------
    theta
        Weight of a face's own discharge against its two neighbours, 0.5 to 1 (de
        Almeida et al. 2012, 0.7 recommended; 1 gives the original Bates et al. 2010
        scheme).
    courant
        α in ``dt = α dx / sqrt(g h_max)``, at most 1. In deep water with little
        friction the scheme is stable only for ``α <= sqrt(theta / 2)`` (0.59 at
        θ = 0.7; see the module notes): None, the default, takes 95 % of that. Larger
        values (LISFLOOD-FP's usual 0.7) hold where friction is strong, shallow
        overland flow, but make deep channels oscillate.
    max_time_step_s
        Largest time step (s), used while the grid is dry or very shallow.
    flow_depth_min_m
        Face flow depth below which a face carries no water (m, at least 1e-6: the
        friction factor is computed in float32).
    froude_max
        Largest Froude number of a face flow (discharge capped at
        ``Fr h sqrt(g h)``); None switches the limiter off.
    min_outflow_slope
        Smallest outward slope of a free edge when the local bed slope is used (m/m).
    arrival_depth_m
        Depth at which water is counted as arrived (m), for ``arrival_time_s``.
    velocity_min_depth_m
        Depth below which no velocity is computed (m): speeds of thin films are noise.
    gravity_ms2
        Gravitational acceleration (m/s²).
    n_threads
        Threads for the time loop; None: the allowed CPUs that are not busy (see the
        module notes).
    parallel_min_cells
        Active cells from which a step runs on several threads (on two cores, two
        threads win from about 3 000 cells).
    local_time_steps
        Let the cells shallow enough take twice the step of the deepest ones (see the
        module notes of :mod:`jumeau.flood._kernels`, "Local time steps").
    """

    theta: float = 0.7
    courant: float | None = None
    max_time_step_s: float = 10.0
    flow_depth_min_m: float = 1e-3
    froude_max: float | None = 1.0
    min_outflow_slope: float = 1e-3
    arrival_depth_m: float = 0.05
    velocity_min_depth_m: float = 0.01
    gravity_ms2: float = 9.81
    n_threads: int | None = None
    parallel_min_cells: int = 4_000
    local_time_steps: bool = False


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True)
class MassBalance:
    """Where the water of a run came from and went; every run reports it."""

    inflow_m3: float
    """Water brought by the inflow hydrographs."""
    rain_m3: float
    """Rain fallen on open cells."""
    boundary_in_m3: float
    """Water added to hold the imposed levels."""
    boundary_out_m3: float
    """Water removed to hold the imposed levels."""
    outflow_m3: float
    """Water gone out through the free edges."""
    infiltration_m3: float
    """Water infiltrated into the ground."""
    initial_storage_m3: float
    """Water on the grid at the start."""
    final_storage_m3: float
    """Water on the grid at the end."""
    drainage_m3: float = 0.0
    """Water taken by the storm-water network."""

    @property
    def total_in_m3(self) -> float:
        """All water that entered: inflows, rain and imposed levels."""
        return self.inflow_m3 + self.rain_m3 + self.boundary_in_m3

    @property
    def total_out_m3(self) -> float:
        """All water that left: free edges, infiltration, drains and imposed levels."""
        return (self.outflow_m3 + self.infiltration_m3 + self.drainage_m3
                + self.boundary_out_m3)

    @property
    def error_m3(self) -> float:
        """Water created (> 0) or lost (< 0) by the computation."""
        return (self.final_storage_m3 - self.initial_storage_m3
                - self.total_in_m3 + self.total_out_m3)

    @property
    def relative_error(self) -> float:
        """``error_m3`` over the largest of water entered, initial and final storage."""
        scale = max(self.total_in_m3, self.initial_storage_m3, self.final_storage_m3)
        if scale == 0.0:
            return 0.0 if self.error_m3 == 0.0 else math.inf
        return self.error_m3 / scale

    def as_dict(self) -> dict[str, float]:
        """All terms, the error and the relative error, by name."""
        names = ("inflow_m3", "rain_m3", "boundary_in_m3", "boundary_out_m3", "outflow_m3",
                 "infiltration_m3", "drainage_m3", "initial_storage_m3", "final_storage_m3",
                 "error_m3", "relative_error")
        return {name: float(getattr(self, name)) for name in names}


@dataclass(frozen=True)
class FloodSolution:
    """What a flood run produced; grids are ``(ny, nx)``, row 0 north."""

    max_depth_m: NDArray[np.float64]
    """Largest water depth reached in each cell (m)."""
    max_velocity_ms: NDArray[np.float64]
    """Largest cell speed (m/s): the norm of the mean velocities of the cell's two x-faces
    and two y-faces (face discharge over face flow depth); 0 where the depth never
    exceeded ``velocity_min_depth_m``."""
    arrival_time_s: NDArray[np.float64]
    """First time the depth exceeded ``arrival_depth_m`` (s); NaN where it never did."""
    time_of_max_depth_s: NDArray[np.float64]
    """Time the largest depth was reached (s); NaN where the cell stayed dry."""
    final_depth_m: NDArray[np.float64]
    """Water depth at the end (m)."""
    snapshot_times_s: NDArray[np.float64]
    """Times of the depth snapshots (s), every ``snapshot_interval_s`` from 0."""
    snapshot_depth_m: NDArray[np.float32]
    """Depth at each snapshot time (m), ``(n_snapshots, ny, nx)``."""
    observation_times_s: NDArray[np.float64]
    """Times of the observation series (s), every ``series_interval_s`` from 0."""
    observation_depth_m: NDArray[np.float64]
    """Depth at each observation point (m), ``(n_points, n_times)``."""
    observation_level_m: NDArray[np.float64]
    """Water surface elevation at each observation point (m), ``(n_points, n_times)``;
    the bed where dry."""
    mass_balance: MassBalance
    """Volumes in and out, storage and the conservation error."""
    n_steps: int
    """Number of time steps (a local step counts once)."""
    cell_updates: int
    """Cells updated, summed over the steps and sub-steps (the work done; dry regions
    cost nothing)."""
    kernel_wall_time_s: float
    """Wall time spent in the compiled time loop (s); the first run of a process also
    pays numba's compilation or cache loading."""
    n_threads: int
    """Most threads the time loop ran on (it decides again before each segment)."""
    n_local_steps: int = 0
    """Of the steps, those taken as local steps (``SolverSettings.local_time_steps``)."""

    @property
    def cell_updates_per_s(self) -> float:
        """Throughput of the time loop (cell updates per second of wall time)."""
        return self.cell_updates / self.kernel_wall_time_s if self.kernel_wall_time_s else 0.0


# --------------------------------------------------------------------------- memory


def estimate_memory_bytes(shape: tuple[int, int], n_snapshots: int = 0,
                          n_observation_points: int = 0,
                          n_observation_times: int = 0) -> int:
    """Memory a run needs, in bytes, before anything is allocated.

    Parameters
    ----------
    shape
        Grid shape ``(ny, nx)``.
    n_snapshots
        Number of depth snapshots kept (float32 grids).
    n_observation_points, n_observation_times
        Size of the observation series.

    Returns
    -------
    int
        Bytes: working arrays, results and snapshots.

    Examples
    --------
    >>> estimate_memory_bytes((1000, 1000), n_snapshots=10) // 1_000_000
    117
    """
    ny, nx = int(shape[0]), int(shape[1])
    cells = ny * nx
    faces = ny * (nx + 1) + (ny + 1) * nx
    return int(cells * _BYTES_PER_CELL + faces * _BYTES_PER_FACE
               + (4 * cells + 8) * n_snapshots
               + (16 * n_observation_points + 8) * n_observation_times + 128 * (ny + nx))


def available_memory_bytes() -> int:
    """Memory this process can still use (MemAvailable of /proc/meminfo, else the free
    physical pages)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 2**62


# --------------------------------------------------------------------------- solver


def solve_flood(
    bed_m: ArrayLike,
    cell_size_m: float,
    duration_s: float,
    *,
    manning_n: ArrayLike = 0.03,
    blocked: ArrayLike | None = None,
    initial_depth_m: ArrayLike | None = None,
    initial_level_m: ArrayLike | None = None,
    inflows: Sequence[Inflow] = (),
    imposed_levels: Sequence[ImposedLevel] = (),
    rainfall: Rainfall | Hyetograph | None = None,
    infiltration_mm_h: ArrayLike = 0.0,
    drainage_mm_h: ArrayLike = 0.0,
    bed_changes: Sequence[BedChange] = (),
    unblocks: Sequence[Unblock] = (),
    free_outflow: Mapping[str, float | None] | None = None,
    observation_rows: ArrayLike = (),
    observation_cols: ArrayLike = (),
    snapshot_interval_s: float | None = 600.0,
    series_interval_s: float = 60.0,
    settings: SolverSettings | None = None,
    progress: Callable[[float], None] | None = None,
) -> FloodSolution:
    """Run the local inertial flood model on a grid.

    Parameters
    ----------
    bed_m
        Bed elevation ``(ny, nx)`` (m); may be NaN on blocked cells only.
    cell_size_m
        Side of the square cells (m).
    duration_s
        Simulated time (s).
    manning_n
        Manning coefficient (s/m^(1/3)), one value or one per cell.
    blocked
        ``(ny, nx)`` booleans: cells closed to the water (buildings).
    initial_depth_m, initial_level_m
        Water at the start: a depth (m, one value or per cell) or a water surface
        elevation (m, per cell or one value; the depth is ``max(0, level - bed)``), not
        both. Default: dry.
    inflows
        Discharge hydrographs (:class:`Inflow`).
    imposed_levels
        Imposed water levels (:class:`ImposedLevel`).
    rainfall
        Rain (:class:`Rainfall`, or a single :class:`Hyetograph` falling everywhere).
    infiltration_mm_h
        Infiltration capacity (mm/h), one value or one per cell (0 on sealed ground).
    drainage_mm_h
        Capacity of the storm-water network (mm/h), one value or one per cell: water
        standing on a cell leaves at this rate on top of the infiltration, and is
        reported apart in the mass balance.
    bed_changes, unblocks
        Events changing the ground during the run (:class:`BedChange`,
        :class:`Unblock`).
    free_outflow
        Edges letting water out, ``{"east": None, "south": 0.002}``: the edge name and
        its outward slope (m/m), or None for the local bed slope. Others are closed.
    observation_rows, observation_cols
        Cells whose depth and level are recorded every ``series_interval_s``.
    snapshot_interval_s
        Period of the depth snapshots (s); None for none.
    series_interval_s
        Period of the observation series (s).
    settings
        Numerical settings (:class:`SolverSettings`).
    progress
        Called with the fraction of the simulated time done, as the run goes.

    Returns
    -------
    FloodSolution
        Maxima, arrival times, final depth, snapshots, series, mass balance and the
        cost of the run.

    Raises
    ------
    JumeauError
        When an input is invalid (the message names it) or the run would not fit in
        memory.

    Examples
    --------
    A 2 m column of water collapsing in a closed box conserves its volume:

    >>> import numpy as np
    >>> depth = np.zeros((20, 40)); depth[:, :5] = 2.0
    >>> sol = solve_flood(np.zeros((20, 40)), 5.0, 120.0, initial_depth_m=depth)
    >>> bool(abs(sol.mass_balance.relative_error) < 1e-12)
    True
    """
    problem = _prepare(
        bed_m, cell_size_m, duration_s, manning_n=manning_n, blocked=blocked,
        initial_depth_m=initial_depth_m, initial_level_m=initial_level_m, inflows=inflows,
        imposed_levels=imposed_levels, rainfall=rainfall,
        infiltration_mm_h=infiltration_mm_h, drainage_mm_h=drainage_mm_h,
        bed_changes=bed_changes, unblocks=unblocks, free_outflow=free_outflow,
        observation_rows=observation_rows, observation_cols=observation_cols,
        snapshot_interval_s=snapshot_interval_s, series_interval_s=series_interval_s,
        settings=SolverSettings() if settings is None else settings)
    run = _allocate(problem)
    kernel_time_s = _loop(problem, run, progress)
    return _collect(problem, run, kernel_time_s)


# --------------------------------------------------------------------------- steps


@dataclass
class _Problem:
    """The inputs of a run, checked and in the form the kernels take (step 1)."""

    shape: tuple[int, int]
    dx: float
    duration_s: float
    settings: SolverSettings
    z: NDArray[np.float64]
    """Bed, +inf on blocked cells (changed in place by events)."""
    z_open: NDArray[np.float64] | None
    """The bed of every cell, blocked or not, kept only when events change the ground."""
    n: NDArray[np.float32]
    depth0: NDArray[np.float64]
    loss_ms: NDArray[np.float64] | None
    """Infiltration plus drainage rate (m/s), None where nothing is ever lost."""
    drainage_mm_h: NDArray[np.float64] | None
    """Drainage capacity as given (a value or a grid), None when there is none."""
    edges: dict[str, float | None]
    obs_cells: NDArray[np.int64]
    inflow_cells: NDArray[np.int64]
    inflow_edge: NDArray[np.int64]
    inflow_owner: NDArray[np.int64]
    inflow_curves: list
    stage_cells: NDArray[np.int64]
    stage_owner: NDArray[np.int64]
    stage_curves: list
    hyetographs: list
    zone: NDArray[np.int32] | None
    events: list
    schedule: NDArray[np.float64]
    snapshot_times: NDArray[np.float64]
    snapshot_at: NDArray[np.int64]
    series_times: NDArray[np.float64]
    series_at: NDArray[np.int64]


@dataclass
class _Run:
    """The arrays of a run (step 2), as tuples in the order the kernels take them (see
    :func:`jumeau.flood._kernels.advance`)."""

    grid: tuple
    state: tuple
    work: tuple
    slots: tuple
    diag: tuple
    lost_m: NDArray[np.float64] | None
    wet: tuple
    work_int: tuple
    per_row: tuple
    phys: _kernels.Physics
    n_threads: int
    acc: NDArray[np.float64] = field(default_factory=lambda: np.zeros(5))
    threads_used: int = 1
    counters: NDArray[np.int64] = field(default_factory=lambda: np.zeros(3, np.int64))
    initial_storage_m3: float = 0.0
    snapshots: NDArray[np.float32] | None = None
    obs_depth: NDArray[np.float64] | None = None
    obs_level: NDArray[np.float64] | None = None


def _prepare(bed_m, cell_size_m, duration_s, *, manning_n, blocked, initial_depth_m,
             initial_level_m, inflows, imposed_levels, rainfall, infiltration_mm_h,
             drainage_mm_h, bed_changes, unblocks, free_outflow, observation_rows,
             observation_cols, snapshot_interval_s, series_interval_s,
             settings) -> _Problem:
    """Check every input, refuse a run that would not fit in memory, and put the inputs
    in the form the kernels take; allocates nothing large before the memory check."""
    _check_settings(settings)
    cell_size_m = _positive(cell_size_m, Text("taille de maille", "cell size"))
    duration_s = _positive(duration_s, Text("durée", "duration"))
    bed = np.asarray(bed_m, dtype=np.float64)
    if bed.ndim != 2 or bed.shape[0] < 1 or bed.shape[1] < 1:
        raise JumeauError(Text("le MNT doit être une grille 2D, pas de forme {s}",
                               "the bed must be a 2D grid, not of shape {s}").format(
                                   s=bed.shape))
    shape = bed.shape

    # sizes first: refuse before allocating anything large
    n_snapshots = (0 if snapshot_interval_s is None else _count_times(
        duration_s, snapshot_interval_s, Text("intervalle des instantanés",
                                              "snapshot interval")))
    n_series = _count_times(duration_s, series_interval_s,
                            Text("intervalle des séries", "series interval"))
    needed = estimate_memory_bytes(shape, n_snapshots, np.size(observation_rows), n_series)
    available = available_memory_bytes()
    if needed > available:
        def gb(value: int, lang: str) -> str:
            return fmt_number(value / 1e9, lang, decimals=1)

        raise JumeauError(
            Text(f"la simulation demande {gb(needed, 'fr')} Go de mémoire, "
                 f"{gb(available, 'fr')} Go sont disponibles",
                 f"the run needs {gb(needed, 'en')} GB of memory, "
                 f"{gb(available, 'en')} GB are available"),
            fix=Text("agrandir la maille, réduire l'emprise ou espacer les instantanés",
                     "use larger cells, a smaller extent or fewer snapshots"))

    blocked_mask = (np.zeros(shape, dtype=bool) if blocked is None
                    else _grid(blocked, shape, Text("cellules bloquées", "blocked cells"),
                               dtype=bool))
    bad_bed = ~np.isfinite(bed) & ~blocked_mask
    if bad_bed.any():
        i, j = np.argwhere(bad_bed)[0]
        raise JumeauError(Text(
            "altitude du lit absente ou infinie en ({i}, {j}) ({k} cellules)",
            "bed elevation missing or infinite at ({i}, {j}) ({k} cells)").format(
                i=i, j=j, k=int(bad_bed.sum())),
            fix=Text("boucher les trous du MNT ou bloquer ces cellules",
                     "fill the holes of the DEM or block these cells"))
    del bad_bed
    # float32: a Manning coefficient is known to two digits
    n_grid = _grid(manning_n, shape, Text("coefficient de Manning", "Manning coefficient"),
                   dtype=np.float32)
    if not (np.isfinite(n_grid) & (n_grid > 0) | blocked_mask).all():
        raise JumeauError(Text("le coefficient de Manning doit être positif",
                               "the Manning coefficient must be positive"))
    depth0 = _initial_depth(bed, blocked_mask, initial_depth_m, initial_level_m)
    loss_ms, drainage_mm_h = _loss_rates(infiltration_mm_h, drainage_mm_h, shape)
    snapshot_times = np.arange(n_snapshots) * float(snapshot_interval_s or 0.0)
    series_times = np.arange(n_series) * float(series_interval_s)
    edges = _edges(free_outflow)
    obs_cells = _cells(observation_rows, observation_cols, shape, blocked_mask,
                       Text("point d'observation", "observation point"))

    inflow_cells, inflow_edge, inflow_owner, inflow_curves = _inflows(inflows, shape,
                                                                      blocked_mask)
    stage_cells, stage_owner, stage_curves = _stages(imposed_levels, shape, blocked_mask)
    hyetographs, zone = _rainfall(rainfall, shape)
    events = _events(bed_changes, unblocks, shape)

    # ---- schedule: every step ends exactly on these times
    marks = [np.array([0.0, duration_s]), snapshot_times, series_times]
    marks += [c[0] for c in inflow_curves] + [c[0] for c in stage_curves]
    marks += [np.asarray(hy[0]) for hy in hyetographs]
    marks += [np.array([e[0] for e in events])]
    schedule = _schedule(np.concatenate(marks), duration_s)

    z = np.where(blocked_mask, np.inf, bed)
    # the bed of blocked cells, used when they open: kept only when events may need it
    z_open = np.array(bed) if events else None
    return _Problem(
        shape=shape, dx=cell_size_m, duration_s=duration_s, settings=settings, z=z,
        z_open=z_open, n=n_grid, depth0=depth0, loss_ms=loss_ms, drainage_mm_h=drainage_mm_h,
        edges=edges, obs_cells=obs_cells, inflow_cells=inflow_cells,
        inflow_edge=inflow_edge, inflow_owner=inflow_owner, inflow_curves=inflow_curves,
        stage_cells=stage_cells, stage_owner=stage_owner, stage_curves=stage_curves,
        hyetographs=hyetographs, zone=zone, events=events, schedule=schedule,
        snapshot_times=snapshot_times, snapshot_at=_indices_in(schedule, snapshot_times),
        series_times=series_times, series_at=_indices_in(schedule, series_times))


def _loss_rates(infiltration_mm_h: ArrayLike, drainage_mm_h: ArrayLike,
                shape: tuple[int, int]) -> tuple[NDArray | None, NDArray | None]:
    """The loss rate per cell in m/s (infiltration and drainage act together on
    standing water), None where nothing is ever lost, and the drainage capacity as
    given (mm/h, a value or a grid; None when there is none), to share the losses out at
    the end. Float64: volumes drained are compared with hand-computed ones."""
    rates = []
    for value, what, message in (
            (infiltration_mm_h, Text("infiltration", "infiltration"),
             Text("l'infiltration doit être positive ou nulle (mm/h)",
                  "infiltration must be zero or positive (mm/h)")),
            (drainage_mm_h, Text("drainage", "drainage"),
             Text("la capacité du réseau pluvial doit être positive ou nulle (mm/h)",
                  "the drainage capacity must be zero or positive (mm/h)"))):
        arr = np.asarray(value, dtype=np.float64)
        if arr.ndim and arr.shape != shape:
            raise JumeauError(Text(f"{what.fr} : forme {arr.shape} au lieu de {shape}",
                                   f"{what.en}: shape {arr.shape} instead of {shape}"))
        if not (np.isfinite(arr) & (arr >= 0)).all():
            raise JumeauError(message)
        rates.append(arr if (arr > 0).any() else None)
    infiltration, drainage = rates
    if infiltration is None and drainage is None:
        return None, None
    loss_ms = np.zeros(shape)
    for rate in rates:
        if rate is not None:
            loss_ms += rate
    loss_ms *= _MM_H_TO_M_S
    return loss_ms, drainage


def _allocate(problem: _Problem) -> _Run:
    """The state, work rows and diagnostics of a run (step 2); see the module notes of
    :mod:`jumeau.flood._kernels` for which arrays are float32 and why."""
    settings = problem.settings
    ny, nx = problem.shape
    h = problem.depth0
    n_threads = _thread_limit(settings.n_threads)  # the most it may use (work rows)
    face_rows, ratio_rows = _kernels.work_rows(n_threads)
    # work rows: new discharges, face flow depths (1 where dry), limiter ratios (with a
    # halo of ones)
    work = (np.zeros((face_rows, nx + 1)), np.zeros((face_rows, nx)),
            np.ones((face_rows, nx + 1), dtype=np.float32),
            np.ones((face_rows, nx), dtype=np.float32), np.ones((ratio_rows, nx + 2)))
    slots = (*_kernels.serial_slots(ny), np.zeros(ny + 1, dtype=np.int64),
             np.zeros(ny + 2, dtype=np.int64), np.zeros(n_threads + 1, dtype=np.int64))
    # largest depth (rounded up), largest squared speed (the kernels avoid square
    # roots), arrival time, time of the largest depth
    max_depth = _f32_up_grid(h)
    arrival = np.full(problem.shape, np.nan, dtype=np.float32)
    arrival[h > settings.arrival_depth_m] = 0.0
    time_of_max = np.full(problem.shape, np.nan, dtype=np.float32)
    time_of_max[h > 0] = 0.0
    diag = (max_depth, np.full(problem.shape, 0.0, dtype=np.float32), arrival, time_of_max)

    empty_lo = np.full(ny, nx, dtype=np.int64)
    empty_hi = np.full(ny, -1, dtype=np.int64)
    w_lo, w_hi = _wet_ranges(h)
    f_lo, f_hi = empty_lo.copy(), empty_hi.copy()
    for cells in (problem.inflow_cells, problem.stage_cells):
        for i, j in cells:
            f_lo[i] = min(f_lo[i], j)
            f_hi[i] = max(f_hi[i], j)
    froude = math.inf if settings.froude_max is None else float(settings.froude_max)
    phys = _kernels.Physics(
        dx=float(problem.dx), g=float(settings.gravity_ms2), theta=float(settings.theta),
        alpha=courant_number(settings), h_min=float(settings.flow_depth_min_m),
        froude_max=froude, dt_max=float(settings.max_time_step_s),
        arrival_depth=float(settings.arrival_depth_m),
        velocity_depth=float(settings.velocity_min_depth_m),
        local_steps=bool(settings.local_time_steps))
    n_obs = len(problem.obs_cells)
    return _Run(
        grid=(problem.z, problem.n, *_kernels.cut_faces(problem.stage_cells, ny, nx)),
        state=(h, np.full((ny, nx + 1), 0.0), np.full((ny + 1, nx), 0.0)),
        work=work, slots=slots, diag=diag,
        lost_m=None if problem.loss_ms is None else np.full(problem.shape, 0.0),
        wet=(w_lo, w_hi, empty_lo.copy(), empty_hi.copy(), f_lo, f_hi),
        work_int=tuple(np.zeros(ny + (k in (9, 10)), dtype=np.int64) for k in range(14)),
        per_row=(np.zeros(ny), np.zeros(ny, dtype=np.int64)),
        phys=phys, n_threads=n_threads,
        initial_storage_m3=float(h.sum()) * problem.dx**2,
        snapshots=np.zeros((problem.snapshot_times.size, ny, nx), dtype=np.float32),
        obs_depth=np.zeros((n_obs, problem.series_times.size)),
        obs_level=np.zeros((n_obs, problem.series_times.size)))


def _loop(problem: _Problem, run: _Run, progress: Callable[[float], None] | None) -> float:
    """Run the schedule's segments through the compiled time loop (step 3): forcings
    of each segment, events between them, snapshots and series at their times. Returns
    the wall time spent in the kernels (s)."""
    settings = problem.settings
    z = problem.z
    schedule = problem.schedule
    # placeholders of one row for the sources a run does not have (the kernels read
    # them at row 0); written, so that their pages are mapped (see _kernels, "Speed").
    # Each its own array: the continuity loop writes lost_m and reads the rain, and
    # LLVM's runtime overlap check sends a loop whose arrays share memory down its
    # scalar path (one shared placeholder once made every cell cost 14 ns, not 8)
    nx = problem.shape[1]
    no_grid = np.full((1, nx), 0.0)
    lost_m = run.lost_m if run.lost_m is not None else np.full((1, nx), 0.0)
    # float64 like the loss rates of a run that has some: one compiled time loop for
    # both (a float32 placeholder made numba compile a second one, 10 s more here)
    loss_ms = problem.loss_ms if problem.loss_ms is not None else np.full((1, nx), 0.0)

    previous_threads = numba.get_num_threads()
    kernel_time = 0.0
    event_k = _apply_events(problem.events, 0, 0.0, z, problem.z_open)
    edge_faces, rain_cells = _ground(problem)
    _record(problem, run, 0)
    try:
        for k in range(schedule.size - 1):
            threads = min(run.n_threads, _thread_count(settings.n_threads))
            numba.set_num_threads(threads)
            run.threads_used = max(run.threads_used, threads)
            # on one thread the fused serial sweep is always the faster
            parallel_min_cells = int(settings.parallel_min_cells) if threads > 1 else 2**62
            t_a, t_b = float(schedule[k]), float(schedule[k + 1])
            t_mid = 0.5 * (t_a + t_b)
            inflow_q, inflow_rate = _inflow_at(problem.inflow_curves, problem.inflow_owner,
                                               t_a, t_mid)
            stage_level, stage_rate = _stage_at(problem.stage_curves, problem.stage_owner,
                                                t_a, t_mid)
            forcing, rain_grid = _rain_forcing(problem, rain_cells, t_mid, no_grid)
            started = time.perf_counter()
            _kernels.advance(
                t_a, t_b, run.grid, run.state, run.work, run.slots, run.diag,
                (rain_grid, loss_ms, lost_m), run.wet, run.work_int, run.per_row,
                (problem.stage_cells, stage_level, stage_rate),
                (problem.inflow_cells, problem.inflow_edge, inflow_q, inflow_rate),
                edge_faces, forcing, run.phys, run.acc, run.counters, parallel_min_cells,
                threads)
            kernel_time += time.perf_counter() - started
            if event_k < len(problem.events) and problem.events[event_k][0] <= t_b + 1e-9:
                event_k = _apply_events(problem.events, event_k, t_b, z, problem.z_open)
                edge_faces, rain_cells = _ground(problem)
            _record(problem, run, k + 1)
            if progress is not None:
                progress(t_b / problem.duration_s)
    finally:
        numba.set_num_threads(previous_threads)
    return kernel_time


def _record(problem: _Problem, run: _Run, k: int) -> None:
    """Snapshots and observation series due at the end of segment ``k``."""
    h = run.state[0]
    obs_r, obs_c = problem.obs_cells[:, 0], problem.obs_cells[:, 1]
    for s in np.flatnonzero(problem.snapshot_at == k):
        run.snapshots[s] = h
    for s in np.flatnonzero(problem.series_at == k):
        run.obs_depth[:, s] = h[obs_r, obs_c]
        run.obs_level[:, s] = problem.z[obs_r, obs_c] + h[obs_r, obs_c]


def _ground(problem: _Problem) -> tuple[NDArray, NDArray]:
    """What depends on the ground, recomputed after events: the edge faces (their
    outflow slopes) and the number of open cells of each rain zone (index 0: cells in
    no zone)."""
    z = problem.z
    slopes = _edge_slopes(z, problem.dx, problem.edges, problem.settings.min_outflow_slope)
    faces = _edge_faces(problem.shape, slopes, problem.inflow_cells, problem.inflow_edge)
    open_cells = np.isfinite(z)
    if problem.zone is not None:
        counts = np.bincount(problem.zone[open_cells] + 1,
                             minlength=len(problem.hyetographs) + 1)
    else:
        counts = np.array([0, open_cells.sum()])
    return faces, counts.astype(np.float64)


def _rain_forcing(problem: _Problem, rain_cells: NDArray, t_mid: float,
                  no_grid: NDArray) -> tuple[_kernels.Forcing, NDArray]:
    """Rain over a segment: the uniform rate, or the rate per cell when by zone (m/s,
    zero on blocked cells), and the total over the grid (m³/s); the loss flag rides
    along. The rates stay float64: a rain total is compared with hand-computed ones."""
    rates = _rain_at(problem.hyetographs, t_mid)
    by_zone = problem.zone is not None
    volume = float(np.sum(rates * rain_cells)) * problem.dx**2  # no BLAS call
    losses_on = problem.loss_ms is not None
    if not by_zone or volume == 0.0:
        uniform = float(rates[1]) if not by_zone else 0.0
        return _kernels.Forcing(uniform, False, volume, losses_on), no_grid
    grid = rates[problem.zone + 1]
    grid[~np.isfinite(problem.z)] = 0.0
    return _kernels.Forcing(0.0, True, volume, losses_on), grid


def _collect(problem: _Problem, run: _Run, kernel_time_s: float) -> FloodSolution:
    """The solution (step 4): diagnostics as float64 grids, the mass balance. The work
    arrays are let go first, so the results do not add to the peak memory."""
    h = run.state[0]
    dx2 = problem.dx**2
    acc, counters = run.acc, run.counters
    lost_m = run.lost_m
    if lost_m is None:
        lost_m3 = drained_m3 = 0.0
    else:
        lost_m3 = float(lost_m.sum()) * dx2
        drained_m3 = 0.0
        if problem.drainage_mm_h is not None:
            drained_m3 = _drained_m(lost_m, problem.drainage_mm_h, problem.loss_ms) * dx2
    balance = MassBalance(
        inflow_m3=float(acc[0]), rain_m3=float(acc[1]), boundary_in_m3=float(acc[2]),
        boundary_out_m3=float(acc[3]), outflow_m3=float(acc[4]),
        infiltration_m3=lost_m3 - drained_m3, drainage_m3=drained_m3,
        initial_storage_m3=run.initial_storage_m3, final_storage_m3=float(h.sum()) * dx2)
    max_depth, speed2, arrival, time_of_max = run.diag
    run.state = run.work = run.diag = run.grid = run.lost_m = None
    problem.z = problem.z_open = problem.n = problem.loss_ms = problem.drainage_mm_h = None
    # one grid at a time: each float32 grid goes as its name is rebound
    max_depth = max_depth.astype(np.float64)
    max_velocity = np.sqrt(speed2, out=speed2).astype(np.float64)
    del speed2
    arrival = arrival.astype(np.float64)
    time_of_max = time_of_max.astype(np.float64)
    return FloodSolution(
        max_depth_m=max_depth, max_velocity_ms=max_velocity, arrival_time_s=arrival,
        time_of_max_depth_s=time_of_max, final_depth_m=h,
        snapshot_times_s=problem.snapshot_times, snapshot_depth_m=run.snapshots,
        observation_times_s=problem.series_times, observation_depth_m=run.obs_depth,
        observation_level_m=run.obs_level, mass_balance=balance,
        n_steps=int(counters[0]), cell_updates=int(counters[1]),
        n_local_steps=int(counters[2]),
        kernel_wall_time_s=kernel_time_s, n_threads=run.threads_used)


def _drained_m(lost_m: NDArray, drainage_mm_h: NDArray, loss_ms: NDArray,
               rows_per_block: int = 256) -> float:
    """Depth drained, summed over the cells: the depth each cell lost, shared by rate
    (infiltration and drainage worked on the same water), a block of rows at a time."""
    drainage = np.broadcast_to(drainage_mm_h, lost_m.shape)
    total = 0.0
    for start in range(0, lost_m.shape[0], rows_per_block):
        rows = slice(start, start + rows_per_block)
        rate = drainage[rows] * _MM_H_TO_M_S
        share = np.divide(rate, loss_ms[rows], out=np.zeros_like(rate),
                          where=loss_ms[rows] > 0)
        total += float(np.sum(lost_m[rows] * share))
    return total


def _f32_up_grid(h: NDArray[np.float64], rows_per_block: int = 256) -> NDArray[np.float32]:
    """``h`` as float32 rounded up (as the kernels record the largest depth), a block of
    rows at a time so that no float64 temporary is the size of the grid."""
    out = h.astype(np.float32)
    for start in range(0, h.shape[0], rows_per_block):
        block = out[start:start + rows_per_block]
        low = block.astype(np.float64) < h[start:start + rows_per_block]
        block[low] = np.nextafter(block[low], np.float32(np.inf))
    return out


# --------------------------------------------------------------------------- helpers


def _thread_limit(requested: int | None) -> int:
    """The most threads a run may use: as asked, within numba's pool and the CPUs."""
    limit = max(1, min(numba.config.NUMBA_NUM_THREADS, allowed_cpus()))
    return limit if requested is None else max(1, min(int(requested), limit))


def kernels_cached() -> bool:
    """Whether numba's cache holds the time loop compiled from this source: the first
    run on a machine compiles it, about 20 s in each process (True where numba's cache
    cannot be read: nothing is then reordered for it)."""
    try:
        return bool(_kernels.advance._cache._cache_file._load_index())
    except Exception:  # noqa: BLE001 - numba's private cache API; unknown counts as cached
        return True


def _thread_count(requested: int | None) -> int:
    """Threads for the time loop now: as asked, within numba's pool and the allowed
    CPUs; by default the allowed CPUs not already busy with other work."""
    limit = _thread_limit(requested)
    if requested is not None:
        return limit
    return max(1, min(limit, allowed_cpus() - _other_runnable_tasks()))


def _other_runnable_tasks() -> int:
    """Tasks running or ready to run on the machine besides this one, right now (from
    /proc/loadavg; 0 where unknown). A step of the solver waits for its slowest thread,
    so a thread sharing its core with another busy program slows every step."""
    try:
        with open("/proc/loadavg", encoding="ascii") as loadavg:
            running = int(loadavg.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return 0
    return max(0, running - 1)


def courant_number(settings: SolverSettings) -> float:
    """α of the time step ``dt = α dx / sqrt(g h_max)``: the one set, else 95 % of the
    stability limit ``sqrt(theta / 2)`` of the scheme in deep water (module notes).

    Examples
    --------
    >>> round(courant_number(SolverSettings()), 3)
    0.562
    """
    if settings.courant is not None:
        return float(settings.courant)
    return 0.95 * math.sqrt(float(settings.theta) / 2.0)


def _check_settings(s: SolverSettings) -> None:
    checks = [
        (0.5 <= s.theta <= 1.0, "theta", "0.5 – 1"),
        (s.courant is None or 0.0 < s.courant <= 1.0, "courant", "]0, 1]"),
        (s.max_time_step_s > 0, "max_time_step_s", "> 0"),
        # The friction factor and the speed are float32: below a micrometre their
        # subnormals would matter.
        (s.flow_depth_min_m >= 1e-6, "flow_depth_min_m", ">= 1e-6"),
        (s.froude_max is None or s.froude_max > 0, "froude_max", "> 0"),
        (s.min_outflow_slope > 0, "min_outflow_slope", "> 0"),
        (s.arrival_depth_m > 0, "arrival_depth_m", "> 0"),
        (s.velocity_min_depth_m > 0, "velocity_min_depth_m", "> 0"),
        (s.gravity_ms2 > 0, "gravity_ms2", "> 0"),
        (s.n_threads is None or s.n_threads >= 1, "n_threads", ">= 1"),
        (s.parallel_min_cells >= 0, "parallel_min_cells", ">= 0"),
    ]
    for ok, name, bounds in checks:
        if not ok:
            raise JumeauError(Text("réglage du solveur {n} hors limites ({b})",
                                   "solver setting {n} out of range ({b})").format(
                                       n=name, b=bounds))


def _positive(value: float, what: Text) -> float:
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise JumeauError(Text(f"{what.fr} : doit être positive, pas {value:g}",
                               f"{what.en}: must be positive, not {value:g}"))
    return value


def _grid(value: ArrayLike, shape: tuple[int, int], what: Text, dtype: type = np.float64
          ) -> NDArray:
    """A per-cell array from one value or a grid of the right shape (always a copy)."""
    arr = np.asarray(value, dtype=dtype)
    if arr.ndim == 0:
        return np.full(shape, arr, dtype=dtype)
    if arr.shape != shape:
        raise JumeauError(Text(f"{what.fr} : forme {arr.shape} au lieu de {shape}",
                               f"{what.en}: shape {arr.shape} instead of {shape}"))
    return arr.copy()


def _initial_depth(bed: NDArray, blocked: NDArray, depth_m: ArrayLike | None,
                   level_m: ArrayLike | None) -> NDArray[np.float64]:
    shape = bed.shape
    if depth_m is not None and level_m is not None:
        raise JumeauError(Text("donner la hauteur initiale ou le niveau initial, pas les deux",
                               "give the initial depth or the initial level, not both"))
    if depth_m is not None:
        depth = _grid(depth_m, shape, Text("hauteur initiale", "initial depth"))
    elif level_m is not None:
        level = _grid(level_m, shape, Text("niveau initial", "initial level"))
        with np.errstate(invalid="ignore"):
            depth = np.where(level > bed, level - bed, 0.0)
    else:
        return np.zeros(shape)
    depth[blocked] = 0.0
    if not (np.isfinite(depth) & (depth >= 0)).all():
        raise JumeauError(Text("hauteur d'eau initiale négative ou absente",
                               "initial water depth negative or missing"))
    return np.ascontiguousarray(depth)


def _label(kind: Text, name: str, index: int) -> Text:
    tag = f"« {name} »" if name else f"n°{index + 1}"
    tag_en = f"'{name}'" if name else f"#{index + 1}"
    return Text(f"{kind.fr} {tag}", f"{kind.en} {tag_en}")


def _cells(rows: ArrayLike, cols: ArrayLike, shape: tuple[int, int], blocked: NDArray,
           what: Text) -> NDArray[np.int64]:
    """``(k, 2)`` cell indices, checked to be on the grid and not blocked."""
    r = np.atleast_1d(np.asarray(rows))
    c = np.atleast_1d(np.asarray(cols))
    if r.shape != c.shape or r.ndim != 1:
        raise JumeauError(Text(f"{what.fr} : lignes et colonnes de tailles différentes",
                               f"{what.en}: rows and columns differ in size"))
    if r.size and not (np.issubdtype(r.dtype, np.integer) and np.issubdtype(c.dtype,
                                                                              np.integer)):
        raise JumeauError(Text(f"{what.fr} : lignes et colonnes doivent être entières",
                               f"{what.en}: rows and columns must be integers"))
    r = r.astype(np.int64)
    c = c.astype(np.int64)
    outside = (r < 0) | (r >= shape[0]) | (c < 0) | (c >= shape[1])
    if outside.any():
        k = int(np.flatnonzero(outside)[0])
        raise JumeauError(Text(
            f"{what.fr} : cellule ({r[k]}, {c[k]}) hors de la grille {shape[0]} × {shape[1]}",
            f"{what.en}: cell ({r[k]}, {c[k]}) outside the {shape[0]} × {shape[1]} grid"))
    inside_building = blocked[r, c]
    if inside_building.any():
        k = int(np.flatnonzero(inside_building)[0])
        raise JumeauError(Text(
            f"{what.fr} : cellule ({r[k]}, {c[k]}) dans un bâtiment (cellule bloquée)",
            f"{what.en}: cell ({r[k]}, {c[k]}) inside a building (blocked cell)"))
    return np.ascontiguousarray(np.stack([r, c], axis=1))


def _times(times_s: ArrayLike, what: Text, min_points: int = 2) -> NDArray[np.float64]:
    t = np.atleast_1d(np.asarray(times_s, dtype=np.float64))
    if t.ndim != 1 or t.size < min_points:
        raise JumeauError(Text(f"{what.fr} : il faut au moins {min_points} instants",
                               f"{what.en}: at least {min_points} times are needed"))
    if not np.isfinite(t).all() or (t < 0).any():
        raise JumeauError(Text(f"{what.fr} : temps négatifs ou absents",
                               f"{what.en}: negative or missing times"))
    if (np.diff(t) <= 0).any():
        raise JumeauError(Text(f"{what.fr} : les temps doivent être strictement croissants",
                               f"{what.en}: times must be strictly increasing"))
    return t


def _values(values: ArrayLike, n: int, what: Text, quantity: Text) -> NDArray[np.float64]:
    v = np.atleast_1d(np.asarray(values, dtype=np.float64))
    if v.shape != (n,):
        raise JumeauError(Text(f"{what.fr} : {n} valeurs attendues ({quantity.fr}), "
                               f"{v.size} données",
                               f"{what.en}: {n} {quantity.en} values expected, {v.size} given"))
    if not np.isfinite(v).all():
        raise JumeauError(Text(f"{what.fr} : {quantity.fr} absent(e) ou infini(e)",
                               f"{what.en}: missing or infinite {quantity.en}"))
    return v


def _inflows(inflows: Sequence[Inflow], shape: tuple[int, int], blocked: NDArray):
    """Inflow cells sorted by row and column (the kernels group a cell's entries), the
    edge each enters through (-1: a volume source), its inflow and the curves (times,
    discharge per cell)."""
    cells, edge, owner, curves = [], [], [], []
    for k, inflow in enumerate(inflows):
        what = _label(Text("apport", "inflow"), inflow.name, k)
        c = _cells(inflow.rows, inflow.cols, shape, blocked, what)
        if len(c) == 0:
            raise JumeauError(Text(f"{what.fr} : aucune cellule", f"{what.en}: no cell"))
        t = _times(inflow.times_s, what)
        q = _values(inflow.discharge_m3s, t.size, what, Text("débit", "discharge"))
        if (q < 0).any():
            raise JumeauError(Text(f"{what.fr} : débit négatif ({q.min():g} m³/s)",
                                   f"{what.en}: negative discharge ({q.min():g} m³/s)"))
        cells.append(c)
        edge.append(_entry_edge(c, shape))
        owner.append(np.full(len(c), k))
        curves.append((t, q / len(c)))
    cells, edge, owner = _stack_cells(cells), _stack_owner(edge), _stack_owner(owner)
    order = np.lexsort((cells[:, 1], cells[:, 0]))
    return np.ascontiguousarray(cells[order]), edge[order], owner[order], curves


def _entry_edge(cells: NDArray[np.int64], shape: tuple[int, int]) -> NDArray[np.int64]:
    """Where each cell of one inflow takes its water in: the grid edge holding most of
    the inflow's cells (ties: in ``EDGES`` order), by its edge face, for the cells on
    that edge; -1 (a volume source) for the others, and for all when none is on an
    edge."""
    ny, nx = shape
    rows, cols = cells[:, 0], cells[:, 1]
    on_edge = [cols == 0, cols == nx - 1, rows == 0, rows == ny - 1]
    best = int(np.argmax([on.sum() for on in on_edge]))
    return np.where(on_edge[best], best, -1).astype(np.int64)


def _edge_faces(shape: tuple[int, int], slopes: tuple[NDArray, ...], cells: NDArray,
                edge: NDArray) -> NDArray[np.float64]:
    """The edge faces as the kernels take them, ``faces[edge, field, k]`` (see
    :func:`jumeau.flood._kernels.advance`): the outward slope of free faces (``slopes``
    is 0 on closed edges), the inflow faces (their discharge set by the kernels every
    step) and whether the θ-weighting sees each face open or as a wall."""
    ny, nx = shape
    faces = np.zeros((4, 3, max(ny, nx)))
    faces[:, _kernels._INFLOW] = -1.0
    for e, slope in enumerate(slopes):
        faces[e, _kernels._SLOPE, : slope.size] = slope
    for (i, j), e in zip(cells, edge, strict=True):
        if e >= 0:
            k = i if e < 2 else j
            faces[e, _kernels._SLOPE, k] = 0.0
            faces[e, _kernels._INFLOW, k] = 0.0
    faces[:, _kernels._BEYOND] = np.where(
        (faces[:, _kernels._SLOPE] > 0.0) | (faces[:, _kernels._INFLOW] >= 0.0), 0.0, np.inf)
    return faces


def _stages(levels: Sequence[ImposedLevel], shape: tuple[int, int], blocked: NDArray):
    cells, owner, curves = [], [], []
    for k, stage in enumerate(levels):
        what = _label(Text("niveau imposé", "imposed level"), stage.name, k)
        c = _cells(stage.rows, stage.cols, shape, blocked, what)
        if len(c) == 0:
            raise JumeauError(Text(f"{what.fr} : aucune cellule", f"{what.en}: no cell"))
        t = _times(stage.times_s, what, min_points=1)
        level = _values(stage.level_m, t.size, what, Text("niveau", "level"))
        cells.append(c)
        owner.append(np.full(len(c), k))
        curves.append((t, level))
    return _stack_cells(cells), _stack_owner(owner), curves


def _stack_cells(cells: list[NDArray]) -> NDArray[np.int64]:
    if not cells:
        return np.zeros((0, 2), dtype=np.int64)
    return np.ascontiguousarray(np.concatenate(cells), dtype=np.int64)


def _stack_owner(owner: list[NDArray]) -> NDArray[np.int64]:
    return np.concatenate(owner).astype(np.int64) if owner else np.zeros(0, dtype=np.int64)


def _rainfall(rainfall: Rainfall | Hyetograph | None, shape: tuple[int, int]):
    if rainfall is None:
        return [], None
    if isinstance(rainfall, Hyetograph):
        rainfall = Rainfall((rainfall,))
    hyetographs = []
    for k, hy in enumerate(rainfall.hyetographs):
        what = _label(Text("hyétogramme", "hyetograph"), hy.name, k)
        t = _times(hy.times_s, what)
        rate = _values(hy.rate_mm_h, t.size - 1, what, Text("intensité", "rate"))
        if ((rate < 0) | (rate > MAX_RAIN_RATE_MM_H)).any():
            bad = rate[(rate < 0) | (rate > MAX_RAIN_RATE_MM_H)][0]
            raise JumeauError(Text(
                f"{what.fr} : intensité {bad:g} mm/h hors de 0–{MAX_RAIN_RATE_MM_H:g} mm/h",
                f"{what.en}: rate {bad:g} mm/h outside 0–{MAX_RAIN_RATE_MM_H:g} mm/h"))
        hyetographs.append((t, rate * _MM_H_TO_M_S))
    if rainfall.zone_index is None:
        if len(hyetographs) != 1:
            raise JumeauError(Text(
                "pluie : {n} hyétogrammes sans carte de zones (il en faut un seul)",
                "rainfall: {n} hyetographs without a zone map (give exactly one)").format(
                    n=len(hyetographs)))
        return hyetographs, None
    zone = np.asarray(rainfall.zone_index)
    if zone.shape != shape or not np.issubdtype(zone.dtype, np.integer):
        raise JumeauError(Text(f"zones de pluie : il faut une grille d'entiers {shape}",
                               f"rain zones: an integer grid {shape} is needed"))
    if zone.size and (zone.min() < -1 or zone.max() >= len(hyetographs)):
        raise JumeauError(Text(
            f"zones de pluie : numéros entre -1 et {len(hyetographs) - 1} attendus",
            f"rain zones: numbers between -1 and {len(hyetographs) - 1} expected"))
    return hyetographs, np.ascontiguousarray(zone, dtype=np.int32)


def _events(changes: Sequence[BedChange], unblocks: Sequence[Unblock],
            shape: tuple[int, int]) -> list[tuple[float, NDArray, NDArray | None]]:
    """Events as ``(time_s, cells, new_bed or None for an opening)``, sorted by time
    (stable: at equal times, bed changes before openings, each in given order)."""
    no_block = np.zeros(shape, dtype=bool)
    events = []
    for k, change in enumerate(changes):
        what = _label(Text("modification du lit", "bed change"), "", k)
        t = _event_time(change.time_s, what)
        c = _cells(change.rows, change.cols, shape, no_block, what)
        bed = np.broadcast_to(np.asarray(change.bed_m, dtype=np.float64), (len(c),)) \
            if np.ndim(change.bed_m) == 0 else _values(change.bed_m, len(c), what,
                                                         Text("altitude", "elevation"))
        if not np.isfinite(bed).all():
            raise JumeauError(Text(f"{what.fr} : altitude absente ou infinie",
                                   f"{what.en}: missing or infinite elevation"))
        events.append((t, c, np.array(bed)))
    for k, opening in enumerate(unblocks):
        what = _label(Text("ouverture", "opening"), "", k)
        t = _event_time(opening.time_s, what)
        events.append((t, _cells(opening.rows, opening.cols, shape, no_block, what), None))
    events.sort(key=lambda e: e[0])
    return events


def _event_time(time_s: float, what: Text) -> float:
    t = float(time_s)
    if not (math.isfinite(t) and t >= 0):
        raise JumeauError(Text(f"{what.fr} : instant {t} négatif ou absent",
                               f"{what.en}: time {t} negative or missing"))
    return t


def _apply_events(events: list, k: int, t: float, z: NDArray, z_open: NDArray) -> int:
    """Apply the events due at ``t`` (in place on ``z``); returns the next event index."""
    while k < len(events) and events[k][0] <= t + 1e-9:
        _, cells, bed = events[k]
        r, c = cells[:, 0], cells[:, 1]
        if bed is None:
            z[r, c] = z_open[r, c]
            if not np.isfinite(z[r, c]).all():
                raise JumeauError(Text(
                    "ouverture de cellules sans altitude du lit (NaN dans le MNT)",
                    "opening cells with no bed elevation (NaN in the DEM)"))
        else:
            z_open[r, c] = bed
            z[r, c] = np.where(np.isinf(z[r, c]), np.inf, bed)
        k += 1
    return k


def _edges(free_outflow: Mapping[str, float | None] | None) -> dict[str, float | None]:
    edges = dict(free_outflow or {})
    for name, slope in edges.items():
        if name not in EDGES:
            hint = did_you_mean(str(name), EDGES)
            raise JumeauError(
                Text(f"bord « {name} » inconnu (west, east, north, south)",
                     f"unknown edge '{name}' (west, east, north, south)"), fix=hint)
        if slope is not None and not (math.isfinite(slope) and slope > 0):
            raise JumeauError(Text(f"bord « {name} » : la pente de sortie doit être positive",
                                   f"edge '{name}': the outflow slope must be positive"))
    return edges


def _edge_slopes(z: NDArray, dx: float, edges: Mapping[str, float | None],
                 min_slope: float) -> tuple[NDArray, ...]:
    """Outward slope of each free edge cell (west, east: per row; north, south: per
    column)."""
    ny, nx = z.shape

    def local(edge: NDArray, inner: NDArray) -> NDArray:
        with np.errstate(invalid="ignore"):
            s = (inner - edge) / dx
        return np.where(np.isfinite(s), np.maximum(s, min_slope), min_slope)

    pairs = {
        "west": (z[:, 0], z[:, 1] if nx > 1 else z[:, 0]),
        "east": (z[:, -1], z[:, -2] if nx > 1 else z[:, -1]),
        "north": (z[0, :], z[1, :] if ny > 1 else z[0, :]),
        "south": (z[-1, :], z[-2, :] if ny > 1 else z[-1, :]),
    }
    out = []
    for name in EDGES:
        edge, inner = pairs[name]
        if name not in edges:
            out.append(np.zeros(edge.size))
        elif edges[name] is not None:
            out.append(np.full(edge.size, float(edges[name])))
        else:
            out.append(np.ascontiguousarray(local(edge, inner)))
    return tuple(out)


def _count_times(duration_s: float, interval_s: float, what: Text) -> int:
    """How many of ``0, interval, 2 interval, ...`` fall within the duration."""
    interval_s = _positive(interval_s, what)
    return math.floor(duration_s / interval_s + 1e-9) + 1


def _schedule(marks: NDArray, duration_s: float) -> NDArray[np.float64]:
    """Sorted times in ``[0, duration]`` where steps must end, merging near-duplicates."""
    marks = np.sort(marks[(marks >= 0) & (marks <= duration_s)])
    keep = np.concatenate([[True], np.diff(marks) > 1e-6])
    marks = marks[keep]
    marks[-1] = duration_s
    return marks


def _indices_in(schedule: NDArray, times: NDArray) -> NDArray[np.int64]:
    """Index in ``schedule`` of each time (nearest, they were merged into it)."""
    k = np.clip(np.searchsorted(schedule, times), 1, max(schedule.size - 1, 1))
    left = schedule[k - 1]
    right = schedule[np.minimum(k, schedule.size - 1)]
    return np.where(np.abs(times - left) <= np.abs(right - times), k - 1, k).astype(np.int64)


def _wet_ranges(h: NDArray) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """First and last wet column of each row (``nx`` and -1 for a dry row)."""
    nx = h.shape[1]
    wet = h > 0
    any_wet = wet.any(axis=1)
    lo = np.where(any_wet, wet.argmax(axis=1), nx).astype(np.int64)
    hi = np.where(any_wet, nx - 1 - wet[:, ::-1].argmax(axis=1), -1).astype(np.int64)
    return lo, hi


def _piece(times: NDArray, t_mid: float) -> int:
    """Index of the interval of ``times`` holding ``t_mid``; -1 before, len - 1 after."""
    return int(np.searchsorted(times, t_mid, side="right")) - 1


def _inflow_at(curves, owner: NDArray, t_a: float, t_mid: float
               ) -> tuple[NDArray, NDArray]:
    """Per inflow cell: discharge at ``t_a`` and its rate of change over the segment."""
    q0 = np.zeros(len(curves))
    rate = np.zeros(len(curves))
    for k, (t, q) in enumerate(curves):
        p = _piece(t, t_mid)
        if 0 <= p < t.size - 1:
            rate[k] = (q[p + 1] - q[p]) / (t[p + 1] - t[p])
            q0[k] = q[p] + rate[k] * (t_a - t[p])
    return q0[owner], rate[owner]


def _stage_at(curves, owner: NDArray, t_a: float, t_mid: float) -> tuple[NDArray, NDArray]:
    """Per imposed-level cell: the level at ``t_a`` and its rate of change."""
    level0 = np.zeros(len(curves))
    rate = np.zeros(len(curves))
    for k, (t, level) in enumerate(curves):
        p = _piece(t, t_mid)
        if p < 0:
            level0[k] = level[0]
        elif p >= t.size - 1:
            level0[k] = level[-1]
        else:
            rate[k] = (level[p + 1] - level[p]) / (t[p + 1] - t[p])
            level0[k] = level[p] + rate[k] * (t_a - t[p])
    return level0[owner], rate[owner]


def _rain_at(hyetographs, t_mid: float) -> NDArray[np.float64]:
    """Rain rate (m/s) over the segment: 0 first (cells in no zone), then each zone."""
    rates = np.zeros(max(len(hyetographs), 1) + 1)
    for k, (t, rate) in enumerate(hyetographs):
        p = _piece(t, t_mid)
        if 0 <= p < t.size - 1:
            rates[k + 1] = rate[p]
    return rates
