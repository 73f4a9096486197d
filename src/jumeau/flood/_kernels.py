"""Compiled time loop of the local inertial flood solver (numba).

This module holds the numerical loops only; :mod:`jumeau.flood.solver` validates the
inputs, prepares the arrays and turns the state into results.

Grid and sign conventions
-------------------------
Cells are ``(row, col)``, row 0 is the northern row (GeoTIFF order). Unit-width
discharges (m²/s) live on faces:

- ``qx[i, j]`` (shape ``(ny, nx + 1)``) is the face between cells ``(i, j - 1)`` and
  ``(i, j)``, positive towards increasing ``j`` (east);
- ``qy[i, j]`` (shape ``(ny + 1, nx)``) is the face between cells ``(i - 1, j)`` and
  ``(i, j)``, positive towards increasing ``i`` (south).

Blocked cells (buildings) carry a bed of ``+inf`` in the bed array given to the
kernels: the face flow depth ``max(eta) - max(z)`` is then ``inf - inf = NaN``, which
fails the ``> h_min`` test, so no face of a blocked cell ever carries water, without a
mask lookup in the hot loop.

Arrays and precision
--------------------
The state that carries the physics is float64: depth ``h``, bed ``z``, discharges
``qx``, ``qy``, the depth lost per cell (``lost_m``) and the loss rates (the volumes
drained are checked against hand-computed ones): the mass balance adds up millions of
small terms and is exact to round-off. What only scales a term or records a result is
float32: the Manning coefficient (known to two digits), the face flow depths that serve
the speed, the friction factor and the Froude cap of a face (:func:`_face_discharge`:
they scale or bound the float64 momentum numerator, twice the vector lanes and a cheap
division), the speed of a cell, computed from its four limited discharges rounded to
float32 (3e-7 relative: it is only recorded), and the four diagnostics (largest depth
rounded up, so it bounds every depth reached; largest squared speed; arrival time; time
of the largest depth: 1e-7 relative, far below what they are read for).

Work arrays (the new discharges before the limiter, the face flow depths, the limiter
ratios) are not grids: they hold a few rows, ``slot`` arrays saying which row of them
row ``i`` of the grid uses. On one thread a ring of four rows is enough, because a
step is one sweep down the rows with a lag of one row per pass (see :func:`_sweep`),
and the work rows never leave the first-level caches. The memory of a run is then
about 53 bytes per cell (``solver.estimate_memory_bytes``).

Speed
-----
The inner loops run along a row with unsigned column indices (see below), are free of
branches (selects only) and compiled with ``error_model="numpy"`` (no division-by-zero
checks), so LLVM vectorises them (AVX-512 ``zmm`` code on the machines we measured).
Reductions that would need re-associating floating-point sums are kept out of them:
rain is accounted from its total rate over the grid, losses per cell, and the largest
depth is an integer maximum over the bit patterns of non-negative doubles (which order
like the doubles).

Conditions inside the row loops combine with ``&`` and ``|``, not ``and`` and ``or``:
Python's short-circuit is a branch, which LLVM turns into masked loads and stores
where a plain load and a select do. Three such conditions in :func:`_continuity_cells`
(arrival, fastest speed, active cell) cost 3.5 ns a cell against 2.6 without (500 × 500
cells, one thread).

A branch inside a loop (``if step.losses_on``) becomes masked loads and stores, whose
masked-off lanes still carry addresses; where those addresses fall outside mapped
memory, the processor takes a slow assist on each of them. On the dam break of
``benchmarks/flood.py`` (one thread), a 1 × 1 placeholder for the losses of a run
without any (its row ``i`` far past its end) gave 65 M cell updates/s, a placeholder of
the grid's size from ``np.zeros`` (pages not yet mapped) 24, and one written when
allocated 100. So a run without losses or rain by cell passes placeholders of one row,
read at row 0, and the grids the loop reads are written when allocated (``np.full``).

numba counts the references to the arrays a function is given: an atomic increment
and decrement per array and call, which together cost more than updating a short
row. It optimises the counting away only in simple functions that call nothing taking
arrays. So each loop over a row is such a function, and the code around them is
written out in :func:`_sweep`, which is called once per step (or per chunk of rows);
helpers called per row or per face take scalars only. :func:`_sweep` itself passes the
row loops borrowed views of its arrays (:func:`_borrowed`: no reference count, so the
counting of each call tests a null pointer instead of an atomic operation): on channels
of 8 to 512 cells, 340–360 ns per visited row and step against 390–400 ns, and the
demo's 100-year flood 6 % faster, with the same bits. LLVM, for its part, vectorises
a loop only when it knows that the arrays it writes do not overlap those it reads:
each must come in as an argument of the loop's function, not as a layer of a stacked
array nor as one of two arrays picked per row. Left to itself it checks that at run
time, before each vector loop: some 230 instructions per loop and row. The row loops
are compiled with numba's ``noalias`` flag instead (:data:`NOALIAS`), which tells LLVM
that their arguments share no memory, as they never do (a test checks every array the
time loop gets): on channels of 8 to 512 cells, 178–194 ns per visited row and step
against 309–323 ns, the same bits. Scalars travel in
two named tuples, :class:`Physics` (the constants of a run) and :class:`Step` (those
of one step), so every call of :func:`_sweep` has the same types and numba compiles it
once.

Active region
-------------
Work is limited to a column range per row. ``W`` (``w_lo, w_hi``) is the column range
of active cells at the start of the step, ``W'`` (``wp_lo, wp_hi``) the one of the
previous step and ``F`` (``f_lo, f_hi``) the cells of point forcings (inflows,
imposed levels). ``U = W ∪ W' ∪ F`` per row, and the range ``R`` processed in row ``i``
is the hull of ``U`` over rows ``i - 1 .. i + 1`` grown by one column each side.
Including ``W'`` guarantees that a face which carried water in the previous step is
recomputed (and set back to zero) before it drops out of the region, so faces outside
the region always hold zero; a face that carries water has both its cells in their
rows' ranges, so the limiter ratios read from the work rows outside a range (left from
an earlier row, finite) only ever multiply zero. Empty ranges are ``lo = nx, hi = -1``.
While it rains, every cell is active.

A cell is active while its water can still move: deeper than ``h_min``, or draining
(``h > 0`` on a cell with a loss rate). A face whose two cells hold ``h_min`` or less
carries nothing (its flow depth is at most the larger of the two depths), so a cell
outside ``R`` (``h <= h_min``, not draining, no active cell within one row and column,
its faces zero) would come out of a step unchanged: leaving it out gives the same bits.
Such films are what receding water leaves behind, and rain on sealed ground: leaving
them out saves 8 % of the cell updates of the demo's 100-year flood, 6 % of its 50 mm
storm. The initial ``W`` takes every cell holding water; the first step sorts them
out.

Local time steps
----------------
The step is set by the deepest cell, ``dt = α dx / sqrt(g h_max)``, yet a cell a quarter
as deep could take twice that. In a storm, the river (2–3 m) sets the step of a town
covered by centimetres of water. With ``Physics.local_steps``, a step may be a *local
step* of ``Δ = 2 δ`` (``δ`` the global step, or less at the end of an interval):

- **Fine cells** are the active cells deeper than ``h_split = (α dx / Δ)² / g`` (a
  quarter of the deepest when ``Δ = 2 δ``) and the cells of point forcings; one column
  range per row (:func:`_local_ranges`), as the kernels visit cells. A face is *fine*
  when one of its cells is (for a y-face, when it lies within the hull of both rows'
  ranges), *coarse* otherwise: its flow depth is then at most ``h_split``
  (``max(η) - max(z) <= max(h)``), so ``Δ`` meets its CFL condition.
- **First sub-step**: the whole active region; a fine face takes ``δ``, a coarse face
  ``Δ``; the limiter and the depth update weigh each face's discharge by 1 (fine) or 2
  (coarse: it moves its water for both sub-steps at once); a fine cell's rain and
  losses are those of ``δ``, a coarse cell's of ``Δ``.
- **Second sub-step**: only the fine faces are computed again (``δ``), over the cells
  they touch; coarse faces weigh 0 and keep their discharge; fine cells get their
  second ``δ`` of rain and losses.

Both cells of a face apply the same limited discharge times the same weight, so water
is exchanged exactly, as in a global step; the limiter of each sub-step caps what a
cell gives at what it holds (a coarse cell's coarse faces count for both sub-steps in
the first), so depths stay non-negative. Point sources and imposed levels act between
the two sub-steps, as between two global steps. A local step is taken only when the
step doubles (``LOCAL_STEP_MIN``: an inflow or the end of an interval may cut it) and
the second sub-step updates at most ``LOCAL_SHARE_MAX`` of the cells of the first.

The row loops compute the weights of each cell (:func:`_weights`) only in rows with a
fine face; a global step passes None for them, and numba compiles the loops without. In
the first sub-step, a row with no fine face runs the loops of a global step of ``Δ``:
the same bits as weights of 2 on the scale of ``δ`` (both are exact scalings by 2). On
the demo's storms the cell updates fall by about half, the time loop by 1.7×; the
largest depths move less from those of global steps than halving the global step moves
them (``benchmarks/flood.py --lts``).

Imposed levels
--------------
The θ-mean of a face (``θ q + (1 - θ)(q_prev + q_next) / 2``) leaves out a neighbour
face that is a wall, and also one across an imposed-level cell (:func:`cut_faces`,
:func:`_cut_faces`): the level resets that cell's depth every step, so the faces on
either side of it are not one flow. Where water leaves a level both ways (a line of
imposed cells inside the grid) the two faces carry discharges of opposite signs, and
the mean took ``1 - θ`` of each face's momentum every step: a head loss at the line
that does not vanish as the cells shrink (the step shrinks with them). On a 2 % slope
with a level 1 m above the bed along a line across the grid, 30 minutes, the water
entering fell short of that at θ = 1 by 15 % at 10 m cells, 21 % at 5 m and 24 % at
2.5 m; with the faces across the line left out, θ = 0.7 and θ = 1 agree within 0.01 %
at every cell size. Hunter et al.'s moving front, driven from a line in the middle of a
channel instead of from its end, lay 22 cm off the exact depths with its front 19 %
short; it is now 3.5 cm off with its front 8 % short (3,300 m against 3,600 m), as
when driven from the end. The faces of a row next to such cells are computed again
after the row loops; rows without them pay two loads.

Determinism
-----------
Every pass works row by row, a row only writing its own cells, faces and per-row
results; sums over rows are made serially afterwards, in row order. The serial sweep
and the parallel passes run the same code (:func:`_sweep`) in orders that respect its
dependencies, and the vector and scalar forms of a loop do the same IEEE operations
(no fast-math, no contraction, no libm function but the correctly rounded square
root), so results are bit-for-bit identical whatever the number of threads.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit, prange
from numba.core import cgutils
from numba.extending import intrinsic
from numba.np.arrayobj import make_array

from jumeau import _numba_cache  # noqa: F401  (sets the cache folder first)

_INF = np.inf


@intrinsic
def _borrowed(typingctx, arr):
    """The same array without a reference count: a view of its memory, valid while the
    array it comes from lives, that numba neither counts nor frees (its ``meminfo`` and
    ``parent`` are null, which numba's ``NRT_incref`` and ``NRT_decref`` skip). Only
    :func:`_sweep` makes them, for the row loops it calls; none leaves it."""
    def codegen(context, builder, sig, args):
        src = make_array(sig.args[0])(context, builder, value=args[0])
        dst = make_array(sig.return_type)(context, builder)
        for name in ("data", "shape", "strides", "itemsize", "nitems"):
            setattr(dst, name, getattr(src, name))
        dst.meminfo = cgutils.get_null_value(dst.meminfo.type)
        dst.parent = cgutils.get_null_value(dst.parent.type)
        return dst._getvalue()
    return arr(arr), codegen
_KW = {"cache": True, "error_model": "numpy"}
#: for the per-face helpers, which LLVM must inline to vectorise the row loops
_KW_INLINE = {**_KW, "inline": "always"}


def _noalias_option() -> bool:
    """Let ``@njit`` take numba's ``noalias`` flag (see "Speed" in the module notes).

    numba sets the flag itself for the kernels of ``prange`` loops it has proven free
    of aliasing; it marks every pointer argument of a function ``noalias`` for LLVM,
    but is not among the options ``@njit`` accepts, so it is added to the CPU target's
    options here. False (the loops are then compiled without it, as correct and slower)
    when this numba has no such flag."""
    try:
        from numba.core.compiler import Flags
        from numba.core.cpu import CPUTargetOptions
        from numba.core.options import TargetOptions
    except ImportError:  # pragma: no cover - another numba layout
        return False
    if not isinstance(getattr(Flags, "noalias", None), property):
        return False  # pragma: no cover
    if not hasattr(CPUTargetOptions, "noalias"):
        CPUTargetOptions.noalias = TargetOptions.Mapping("noalias")
    return True


#: numba's ``noalias`` flag is available (:func:`_noalias_option`)
NOALIAS = _noalias_option()
#: for the row loops, which are only ever given arrays that share no memory (a test
#: checks it): LLVM then needs no run-time overlap checks before their vector loops
_KW_ROW = {**_KW, "noalias": True} if NOALIAS else _KW

# Fields of the edge-face array ``edges[edge, field, k]`` (edges in ``EDGES`` order, ``k``
# the row for west and east, the column for north and south; see :func:`advance`)
_SLOPE = 0  # outward slope of a free outflow face, 0 elsewhere
_INFLOW = 1  # unit discharge entering through an inflow face (m²/s), -1 elsewhere
_BEYOND = 2  # "bed beyond" the face for the θ-weighting: 0 if open (free or inflow), inf

#: Rows of a ring of work rows (see "Arrays and precision"); the ratio ring has two more,
#: the rows of ones north and south of the grid.
RING = 4
#: Work rows a boundary between two chunks of rows keeps, for faces and for ratios (see
#: :func:`_step_parallel`).
BOUNDARY_FACE_ROWS = 5
BOUNDARY_RATIO_ROWS = 6


class Physics(NamedTuple):
    """Constants of a run, as the kernels take them."""

    dx: float
    """Cell size (m)."""
    g: float
    """Gravity (m/s²)."""
    theta: float
    """θ of the face discharges."""
    alpha: float
    """α of the time step."""
    h_min: float
    """Face flow depth below which a face is dry (m)."""
    froude_max: float
    """Froude cap (inf: none)."""
    dt_max: float
    """Largest time step (s)."""
    arrival_depth: float
    """Depth counted as arrived (m)."""
    velocity_depth: float
    """Depth below which no speed is recorded (m)."""
    local_steps: bool
    """Whether cells shallow enough take one step where the deepest take two (see
    "Local time steps")."""


class Step(NamedTuple):
    """Scalars of one time step (or sub-step of a local step), as the kernels take
    them."""

    dt: float
    """Length of the step of the cells (s): their rain and losses."""
    t_new: float
    """Time at its end (s), recorded as the time of a largest depth or of an arrival."""
    rain_uniform_ms: float
    """Rain rate on every open cell when not ``rain_by_cell`` (m/s)."""
    rain_by_cell: bool
    """Whether the rain rate is read per cell."""
    losses_on: bool
    """Whether some cell loses water (infiltration and drainage)."""
    k_flux: float
    """A face discharge times this (and its weight in a local step) is the depth it
    moves: the step (the fine step in a local step) over the cell size (s/m)."""
    sub: int
    """0: a global step; 1 or 2: a sub-step of a local step (see "Local time steps")."""
    dt_fine: float
    """The fine step of a local step (s); the step otherwise."""


class Forcing(NamedTuple):
    """Scalars of the grid-wide forcings over a segment of the schedule."""

    rain_uniform_ms: float
    """Rain rate on every open cell when not ``rain_by_cell`` (m/s)."""
    rain_by_cell: bool
    """Whether the rain rate is read per cell (``rain_ms``)."""
    rain_volume_m3s: float
    """Rain over the whole grid (m³/s; 0: no rain)."""
    losses_on: bool
    """Whether some cell loses water."""


# --------------------------------------------------------------------------- faces
# Column indices in the inner loops are unsigned: numba then skips its negative-index
# wrap-around, which would otherwise turn every load into a gather and stop LLVM from
# vectorising. Rows are addressed with indices known to be valid.

_U0 = np.uint64(0)
_U1 = np.uint64(1)
_U2 = np.uint64(2)


@njit(**_KW)
def _inv_cbrt(x):
    """``x ** (-1/3)`` for ``x > 0`` to 3e-10 relative, without a libm call (cbrt and pow
    cost more than the rest of a face update and do not vectorise): a first guess from
    the exponent bits (3 % off), then three Newton steps, which need no division. The
    friction term does not need more digits than that; it is plain IEEE arithmetic, so
    the same on every machine."""
    high = np.uint32(np.float64(x).view(np.uint64) >> np.uint64(32))
    y = np.uint64(np.uint64(np.uint32(0x553EF0FF) - high // np.uint32(3))
                  << np.uint64(32)).view(np.float64)
    x3 = x * (1.0 / 3.0)
    y = y * (4.0 / 3.0 - x3 * y * y * y)
    y = y * (4.0 / 3.0 - x3 * y * y * y)
    y = y * (4.0 / 3.0 - x3 * y * y * y)
    return y


_F32_THIRD = np.float32(1.0 / 3.0)
_F32_FOUR_THIRDS = np.float32(4.0 / 3.0)


@njit(**_KW_INLINE)
def _inv_cbrt32(x):
    """``x ** (-1/3)`` for a float32 ``x > 0``, in float32, to 1.2e-5 relative: the
    first guess from the exponent bits (3.4 % off at most; the constant minimises that
    error over [1, 8)) and two Newton steps (a third gives 2e-7, and changed the
    benchmark depths by 5e-8 m: not worth its cost in the friction term, which n, known
    to two digits, scales)."""
    y = np.uint32(np.uint32(0x54A232A3) - np.float32(x).view(np.uint32) // np.uint32(3)).view(
        np.float32)
    x3 = x * _F32_THIRD
    y = y * (_F32_FOUR_THIRDS - x3 * y * y * y)
    y = y * (_F32_FOUR_THIRDS - x3 * y * y * y)
    return y


@njit(**_KW_INLINE)
def _face_discharge(za, zb, ha, hb, na, nb, q0, q_prev, q_next, open_prev, open_next, dt,
                    phys):
    """New discharge of one face between cells ``a`` and ``b`` (positive from ``a`` to
    ``b``): de Almeida et al. (2012) eq. 23 with Bates et al. (2010) friction and the
    Froude cap; 0 where the face flow depth is below ``h_min``. Free of branches.
    Returns the discharge and the face flow depth (1 where dry, to divide by).

    The water surface difference, the depths and the momentum numerator are float64;
    the friction factor and the Froude cap only scale or bound it and are float32
    (twice the vector lanes, and a float32 division and square root cost a fraction of
    float64 ones): they carry 1e-5 relative, far below what n or the cap are known to.
    Flow depths below a micrometre (``h_min`` set that low) would see the friction of
    the 1e-20 m²/s floor on ``|q|`` and float32 subnormals."""
    g = phys.g
    theta = phys.theta
    ea = za + ha
    eb = zb + hb
    h_flow = max(ea, eb) - max(za, zb)
    wet = h_flow > phys.h_min  # False for NaN: a blocked cell
    hs = h_flow if wet else 1.0
    # θ-weighting with the collinear neighbour faces; a neighbour that is a wall
    # (blocked cell, closed edge: always zero) is left out of the mean rather than
    # counted as zero, as in landlab's OverlandFlow, so walls add no damping.
    share = 0.5 if (open_prev and open_next) else 1.0
    q_theta = theta * q0 + (1.0 - theta) * share * (q_prev + q_next)
    q_theta = q_theta if (open_prev or open_next) else q0
    numerator = q_theta - hs * (eb - ea) * (g * dt / phys.dx)
    # q = numerator / (1 + g dt n² |q| / h^(7/3)); the factor 1 / (...) multiplied
    # through by h² so that one division remains, in float32
    hs32 = np.float32(hs)
    n_face = np.float32(0.5) * (na + nb)  # arithmetic mean of the two cells
    h2 = hs32 * hs32
    # |q| + 1e-20 m²/s (which adds nothing to h² in float32) never becomes a float32
    # subnormal, which the processor handles many times slower
    q_abs32 = np.float32(abs(q0) + 1e-20)
    factor = h2 / (h2 + np.float32(g * dt) * n_face * n_face * q_abs32 * _inv_cbrt32(hs32))
    q = numerator * np.float64(factor)
    q_cap = np.float64(np.float32(phys.froude_max) * hs32 * np.sqrt(np.float32(g) * hs32))
    q = min(max(q, -q_cap), q_cap)
    return (q if wet else 0.0), hs


@njit(**_KW)
def _outflow(q0_out, h_edge, slope_out, n_cell, dt, phys):
    """Outward discharge through a free edge: the momentum equation with the water
    surface slope replaced by the outward slope, so that steady flow tends to the
    Manning normal-depth discharge ``h^(5/3) S^(1/2) / n``; outflow only."""
    g = phys.g
    if not h_edge > phys.h_min:
        return 0.0
    n_cell = np.float64(n_cell)
    inv_h = 1.0 / h_edge
    friction = g * dt * n_cell * n_cell * abs(q0_out) * _inv_cbrt(h_edge) * inv_h * inv_h
    q = (q0_out + g * h_edge * dt * slope_out) / (1.0 + friction)
    q_cap = phys.froude_max * h_edge * np.sqrt(g * h_edge)
    return min(max(q, 0.0), q_cap)


@njit(**_KW)
def _edge_depth(h_edge, phys):
    """Flow depth of an edge face (that of its cell), 1 where it carries nothing."""
    return h_edge if h_edge > phys.h_min else 1.0


@njit(**_KW)
def _edge_face(q_in, slope, q0_out, h_edge, n_cell, dt, phys):
    """Outward discharge of an edge face and its flow depth (1 where it carries
    nothing), from its ``_INFLOW`` and ``_SLOPE`` fields. An inflow face gives its
    inflow (negative), its flow depth being at least the critical depth
    ``(q² / g)^(1/3)`` (the water enters at Froude 1 at most, like the flow the Froude
    cap allows elsewhere); a free face lets water out (:func:`_outflow`); any other is
    a wall."""
    if q_in > 0.0:
        critical = 1.0 / _inv_cbrt(q_in * q_in / phys.g)
        return -q_in, _edge_depth(max(h_edge, critical), phys)
    if q_in == 0.0:
        return 0.0, _edge_depth(h_edge, phys)
    q = _outflow(q0_out, h_edge, slope, n_cell, dt, phys) if slope > 0.0 else 0.0
    return q, _edge_depth(h_edge, phys)


@njit(**_KW)
def _f32_up(x):
    """``x >= 0`` as the smallest float32 not below it (float32 rounds to nearest, which
    may be below): a recorded maximum then bounds every value it saw."""
    r = np.float32(x)
    bits = r.view(np.int32)
    return np.int32(bits + 1).view(np.float32) if np.float64(r) < x else r


# --------------------------------------------------------------------------- row loops
# Simple functions calling nothing that takes arrays, so that numba drops its reference
# counting (see "Speed" in the module notes). ``s`` is the work row of a grid row.


@njit(**_KW)
def _face_step(j, dt, local):
    """The step of face ``j`` and whether it is computed (else set to zero in the work
    rows): ``dt`` and yes in a global step (``local`` None, which numba compiles to
    just that), else from :func:`_local_faces`."""
    if local is None:
        return dt, True
    fine_lo, fine_hi, dt_fine, dt_coarse, coarse_kept = local
    fine = (fine_lo <= j) & (j <= fine_hi)
    return (dt_fine if fine else dt_coarse), fine | coarse_kept


@njit(**_KW_ROW)
def _x_faces(i, s, a, b, z, h, n, qx, qx_new, hx, dt, phys, local):
    """Interior x-faces ``a..b`` of row ``i`` (work row ``s``), with
    ``2 <= a <= b <= nx - 2`` (their neighbour faces are interior too). ``local`` is
    None in a global step (numba then compiles the loop without what follows), else
    the faces' steps in a local one (:func:`_local_faces`)."""
    iu = np.uint64(i)
    su = np.uint64(s)
    for j in range(np.uint64(a), np.uint64(b) + _U1):
        dt_j, kept = _face_step(j, dt, local)
        q, hf = _face_discharge(
            z[iu, j - _U1], z[iu, j], h[iu, j - _U1], h[iu, j], n[iu, j - _U1], n[iu, j],
            qx[iu, j], qx[iu, j - _U1], qx[iu, j + _U1], z[iu, j - _U2] < _INF,
            z[iu, j + _U1] < _INF, dt_j, phys)
        qx_new[su, j] = q if kept else 0.0
        hx[su, j] = hf if kept else np.float32(1.0)


@njit(**_KW_ROW)
def _y_faces(i, s, a, b, z, h, n, qy, qy_new, hy, dt, phys, local):
    """The y-faces ``a..b`` between rows ``i - 1`` and ``i`` (work row ``s``),
    ``2 <= i <= ny - 2`` (their neighbour faces are walls where the cells of rows
    ``i - 2`` and ``i + 1`` are blocked); ``local`` as for :func:`_x_faces`."""
    iu = np.uint64(i)
    iu1 = np.uint64(i - 1)
    ip = np.uint64(i - 2)
    inx = np.uint64(i + 1)
    su = np.uint64(s)
    for j in range(np.uint64(a), np.uint64(b) + _U1):
        dt_j, kept = _face_step(j, dt, local)
        q, hf = _face_discharge(
            z[iu1, j], z[iu, j], h[iu1, j], h[iu, j], n[iu1, j], n[iu, j], qy[iu, j],
            qy[iu1, j], qy[inx, j], z[ip, j] < _INF, z[inx, j] < _INF, dt_j, phys)
        qy_new[su, j] = q if kept else 0.0
        hy[su, j] = hf if kept else np.float32(1.0)


@njit(**_KW_ROW)
def _limiter_row(i, s, s_next, r, lo, hi, h, qx_new, qy_new, ratio, k_dt, local):
    """Share of its outflows each cell of row ``i`` can afford: 1, or (water held) /
    (water asked), into ratio row ``r``. ``s`` and ``s_next`` are the work rows of
    rows ``i`` and ``i + 1``; ratio rows have a one-column halo of ones: cell ``j`` is
    column ``j + 1``. In a local step (``local`` not None, :func:`_local_cells`) each
    face counts with its weight (:func:`_weights`)."""
    iu = np.uint64(i)
    su = np.uint64(s)
    sn = np.uint64(s_next)
    ru = np.uint64(r)
    for j in range(np.uint64(lo), np.uint64(hi) + _U1):
        c_w = c_e = c_n = c_s = 1.0
        if local is not None:
            c_w, c_e, c_n, c_s, _ = _weights(j, local)
        asked = (max(-qx_new[su, j], 0.0) * c_w + max(qx_new[su, j + _U1], 0.0) * c_e
                 + max(-qy_new[su, j], 0.0) * c_n + max(qy_new[sn, j], 0.0) * c_s) * k_dt
        held = h[iu, j]
        ratio[ru, j + _U1] = held / asked if asked > held else 1.0


@njit(**_KW)
def _limited(q, ratio_low, ratio_high):
    """A face discharge scaled by the ratio of its donor cell: the low-index cell when
    it flows towards increasing index. Both cells of a face compute the same product,
    so water is exchanged exactly."""
    return q * (ratio_low if q > 0.0 else ratio_high)


@njit(**_KW_ROW)
def _continuity_cells(i, s, s_next, r_prev, r, r_next, lo, hi, z, h, qx, qy, qx_new,
                      qy_new, hx, hy, ratio, max_depth, max_speed2, arrival, t_max,
                      rain_ms, loss_ms, lost_m, step, phys, local):
    """Depth update of cells ``lo..hi`` of row ``i`` (limited fluxes, rain, losses,
    diagnostics); writes the limited discharge of each cell's western and northern
    faces. ``s``, ``s_next`` are the work rows of rows ``i`` and ``i + 1``, ``r_prev``,
    ``r``, ``r_next`` the ratio rows of rows ``i - 1 .. i + 1``. Returns the largest new
    depth, as the bits of a double (they order like non-negative doubles, and an
    integer maximum vectorises), and the first and one-past-last active columns. The
    diagnostics are separate arrays, not layers of one: LLVM then checks that they do
    not overlap the arrays written, and vectorises."""
    iu = np.uint64(i)
    su = np.uint64(s)
    sn = np.uint64(s_next)
    rp = np.uint64(r_prev)
    rc = np.uint64(r)
    rn = np.uint64(r_next)
    dt = step.dt
    k_dt = step.k_flux
    rain_rate = step.rain_uniform_ms
    t_new = np.float32(step.t_new)
    t_fine = np.float32(step.t_new - step.dt_fine) if step.sub == 1 else t_new
    arrival_depth = phys.arrival_depth
    velocity_depth = phys.velocity_depth
    h_min = phys.h_min
    none = np.uint64(h.shape[1])
    # Rows of the per-cell sources: a run without losses (or without rain by cell) gives
    # a placeholder of one row, read at row 0 (see "Speed" in the module notes)
    il = iu if step.losses_on else _U0
    ir = iu if step.rain_by_cell else _U0
    wet_lo = none
    wet_end = _U0
    top = np.int64(0)
    for j in range(np.uint64(lo), np.uint64(hi) + _U1):
        jr = j + _U1
        c_w = c_e = c_n = c_s = 1.0
        dt_c = dt
        t_c = t_new
        if local is not None:
            c_w, c_e, c_n, c_s, fine = _weights(j, local)
            # the cell's own step: its rain, losses and the time recorded
            dt_c = step.dt_fine if fine else step.dt_fine * local[6]
            t_c = t_fine if fine else t_new
        r_c = ratio[rc, jr]
        fw = _limited(qx_new[su, j], ratio[rc, j], r_c)
        fe = _limited(qx_new[su, j + _U1], r_c, ratio[rc, jr + _U1])
        fn = _limited(qy_new[su, j], ratio[rp, jr], r_c)
        fs = _limited(qy_new[sn, j], r_c, ratio[rn, jr])
        hn = h[iu, j] + ((fw * c_w - fe * c_e) + (fn * c_n - fs * c_s)) * k_dt
        if step.rain_by_cell:
            hn += rain_ms[ir, j] * dt_c  # zero on blocked cells
        else:
            hn += rain_rate * dt_c if z[iu, j] < _INF else 0.0
        # only round-off can go below zero: the limiter caps outflows at the water held
        hn = max(hn, 0.0)
        if step.losses_on:
            loss = min(hn, np.float64(loss_ms[il, j]) * dt_c)
            hn -= loss
            lost_m[il, j] += loss
        h[iu, j] = hn
        # a face the sub-step leaves alone (weight 0) keeps its discharge
        qx[iu, j] = fw if c_w != 0.0 else qx[iu, j]
        qy[iu, j] = fn if c_n != 0.0 else qy[iu, j]

        hn32 = _f32_up(hn)
        deeper = hn32 > max_depth[iu, j]
        max_depth[iu, j] = max(max_depth[iu, j], hn32)
        t_max[iu, j] = t_c if deeper else t_max[iu, j]
        arrived = (hn > arrival_depth) & np.isnan(arrival[iu, j])
        arrival[iu, j] = t_c if arrived else arrival[iu, j]
        # squared speed from the mean of the face velocities (discharge over face flow
        # depth, which the Froude cap bounds): u = (fw / hw + fe / he) / 2 with one
        # division, and the same for v; in float32, half the cost of float64, and it
        # only records a result (see "Arrays and precision")
        hw = hx[su, j]
        he = hx[su, j + _U1]
        hnf = hy[su, j]
        hsf = hy[sn, j]
        u = (np.float32(fw) * he + np.float32(fe) * hw) / (np.float32(2.0) * hw * he)
        v = (np.float32(fn) * hsf + np.float32(fs) * hnf) / (np.float32(2.0) * hnf * hsf)
        speed2 = u * u + v * v
        faster = (hn > velocity_depth) & (speed2 > max_speed2[iu, j])
        max_speed2[iu, j] = speed2 if faster else max_speed2[iu, j]
        # a cell stays in the active region while its water can still move: deeper
        # than h_min (no face between two cells holding less carries anything), or
        # draining away; a film left on sealed ground drops out (see "Active region")
        active = (hn > h_min) | ((hn > 0.0) & (loss_ms[il, j] > 0.0))
        wet_lo = min(wet_lo, j if active else none)
        wet_end = max(wet_end, jr if active else _U0)
        top = max(top, np.float64(hn).view(np.int64))
    return top, np.int64(wet_lo), np.int64(wet_end)


# --------------------------------------------------------------------------- sweep


#: Bounds of an empty range of columns, unsigned, for the comparisons of the row loops.
_EMPTY_LO = np.uint64(1) << np.uint64(62)
_EMPTY_HI = np.uint64(0)


@njit(**_KW)
def _bounds(lo, hi):
    """``lo..hi`` as unsigned bounds (an empty range as one no column is in)."""
    if lo > hi:
        return _EMPTY_LO, _EMPTY_HI
    return np.uint64(lo), np.uint64(hi)


@njit(**_KW)
def _coarse_weight(sub):
    """Weight of a coarse face in a sub-step of a local step: 2 in the first (it moves
    water for both sub-steps), 0 in the second (left alone)."""
    return 2.0 if sub == 1 else 0.0


@njit(**_KW)
def _local_faces(lo, hi, step):
    """What :func:`_x_faces` and :func:`_y_faces` need in a local step: the fine faces
    ``lo..hi``, the fine and coarse steps, and whether coarse faces are computed (first
    sub-step) or set to zero in the work rows (second)."""
    a, b = _bounds(lo, hi)
    return a, b, step.dt_fine, step.dt, step.sub == 1


@njit(**_KW)
def _local_cells(i, f_lo, f_hi, g_lo, g_hi, step):
    """What :func:`_limiter_row` and :func:`_continuity_cells` need in a local step for
    row ``i`` (see :func:`_weights`)."""
    x_lo, x_hi = _bounds(f_lo[i], f_hi[i] + 1 if f_lo[i] <= f_hi[i] else -1)
    n_lo, n_hi = _bounds(g_lo[i], g_hi[i])
    s_lo, s_hi = _bounds(g_lo[i + 1], g_hi[i + 1])
    c_lo, c_hi = _bounds(f_lo[i], f_hi[i])
    return x_lo, x_hi, n_lo, n_hi, s_lo, s_hi, _coarse_weight(step.sub), c_lo, c_hi


@njit(**_KW)
def _has_fine_face(i, f_lo, f_hi, g_lo, g_hi):
    """Whether a face of a cell of row ``i`` is fine in a local step."""
    return f_lo[i] <= f_hi[i] or g_lo[i] <= g_hi[i] or g_lo[i + 1] <= g_hi[i + 1]


@njit(**_KW_INLINE)
def _weights(j, local):
    """Weights of the western, eastern, northern and southern faces of cell ``j`` in a
    sub-step of a local step (1 for a fine face, :func:`_coarse_weight` for a coarse
    one), and whether the cell is fine."""
    x_lo, x_hi, n_lo, n_hi, s_lo, s_hi, coarse, c_lo, c_hi = local
    j1 = j + _U1
    c_w = 1.0 if (x_lo <= j) & (j <= x_hi) else coarse
    c_e = 1.0 if (x_lo <= j1) & (j1 <= x_hi) else coarse
    c_n = 1.0 if (n_lo <= j) & (j <= n_hi) else coarse
    c_s = 1.0 if (s_lo <= j) & (j <= s_hi) else coarse
    return c_w, c_e, c_n, c_s, (c_lo <= j) & (j <= c_hi)


@njit(**_KW_INLINE)
def _x_face_at(i, j, cut, z, h, n, qx, edges, dt, phys):
    """Discharge and flow depth of x-face ``j`` of row ``i`` (``1 <= j <= nx - 1``), one
    face at a time: those next to the edges, whose neighbour face lies beyond the grid
    (``edges``), and those next to an imposed-level cell (``cut``, see
    :func:`cut_faces`; 0 for none), whose neighbour face across that cell is left out of
    the θ-mean and counts as zero, as a wall's does."""
    nx = h.shape[1]
    zp = z[i, j - 2] if j >= 2 else edges[0, _BEYOND, i]
    zn = z[i, j + 1] if j <= nx - 2 else edges[1, _BEYOND, i]
    return _face_discharge(
        z[i, j - 1], z[i, j], h[i, j - 1], h[i, j], n[i, j - 1], n[i, j], qx[i, j],
        0.0 if cut & 1 else qx[i, j - 1], 0.0 if cut & 2 else qx[i, j + 1],
        (zp < _INF) and (cut & 1) == 0, (zn < _INF) and (cut & 2) == 0, dt, phys)


@njit(**_KW_INLINE)
def _y_face_at(i, j, cut, z, h, n, qy, edges, dt, phys):
    """Discharge and flow depth of the y-face between rows ``i - 1`` and ``i`` at column
    ``j`` (``1 <= i <= ny - 1``), one face at a time, as :func:`_x_face_at`."""
    ny = h.shape[0]
    zp = z[i - 2, j] if i >= 2 else edges[2, _BEYOND, j]
    zn = z[i + 1, j] if i <= ny - 2 else edges[3, _BEYOND, j]
    return _face_discharge(
        z[i - 1, j], z[i, j], h[i - 1, j], h[i, j], n[i - 1, j], n[i, j], qy[i, j],
        0.0 if cut & 1 else qy[i - 1, j], 0.0 if cut & 2 else qy[i + 1, j],
        (zp < _INF) and (cut & 1) == 0, (zn < _INF) and (cut & 2) == 0, dt, phys)


@njit(**_KW)
def _cut_faces(i, s, lo, hi, xl, xh, gl, gh, sub, z, h, n, qx, qy, qx_new, qy_new, hx, hy,
               r_lo, r_hi, grid, edges, dt_fine, dt_coarse, phys):
    """The faces of row ``i`` next to an imposed-level cell, computed again with the
    face across that cell left out of their θ-mean, as a wall is (``grid[2:6]``, see
    :func:`cut_faces`). The level resets the cell's depth every step, so the faces on
    either side of it do not carry each other's momentum; water leaving the cell both
    ways would otherwise average out each face's discharge (see "Imposed levels" in the
    module notes). A face left out counts as zero in the mean, as a wall's discharge
    is. Called after the row's faces, in the same state, with the same steps: ``xl..xh``
    and ``gl..gh`` are the fine x- and y-faces of the row."""
    x_ptr, x_code, y_ptr, y_code = grid[2], grid[3], grid[4], grid[5]
    for k in range(x_ptr[i], x_ptr[i + 1]):  # interior faces only, by construction
        j = x_code[k] >> 2
        cut = x_code[k] & 3
        if lo > hi or not lo <= j <= hi + 1:
            continue
        fine = xl <= j <= xh
        if sub == 2 and not fine:
            continue  # left at zero by the row's loop
        qx_new[s, j], hx[s, j] = _x_face_at(i, j, cut, z, h, n, qx, edges,
                                            dt_fine if fine else dt_coarse, phys)
    if y_ptr[i + 1] == y_ptr[i]:  # none (always so in row 0, whose faces are edges)
        return
    a = min(lo, r_lo[i - 1])  # the y-faces computed: over the hull of both rows
    b = max(hi, r_hi[i - 1])
    for k in range(y_ptr[i], y_ptr[i + 1]):
        j = y_code[k] >> 2
        cut = y_code[k] & 3
        if not a <= j <= b:
            continue
        fine = gl <= j <= gh
        if sub == 2 and not fine:
            continue
        qy_new[s, j], hy[s, j] = _y_face_at(i, j, cut, z, h, n, qy, edges,
                                            dt_fine if fine else dt_coarse, phys)


@njit(**_KW)
def _sweep(ranges, k0, k1, passes, slots, grid, state, work, diag, sources, per_row, edges,
           step, phys):
    """The passes of a step over the rows ``rows[k0:k1]``, down the rows with a lag of
    one row each, so that a row's data is still in cache when the next pass needs it:
    at row ``m``, the faces of row ``m``, the limiter of row ``m - 1`` and the
    continuity of row ``m - 2``, each only within its bounds in ``passes``
    (``faces_first, faces_last, limiter_first, limiter_last, continuity_first,
    continuity_last``, row numbers).

    Faces: row ``i`` owns its x-faces and the y-faces on its northern side (plus the
    southern edge for the last row). Limiter: it needs the faces of rows ``i`` and
    ``i + 1``. Continuity: row ``i`` overwrites ``h[i]``, ``qx[i]`` and ``qy[i]``, which
    the faces of rows ``i`` and ``i + 1`` and the limiters of rows ``i - 1 .. i + 1``
    read; it also writes back the limited discharge of the faces the row owns, and the
    per-row results: outflow volume, largest depth, wet range.

    ``ranges`` is ``(rows, r_lo, r_hi, f_lo, f_hi, g_lo, g_hi)``: the rows to visit, the
    cells of each, and for a sub-step of a local step (``step.sub`` 1 or 2), the fine
    cells of each row and the fine y-faces north of each row (``g`` has ``ny + 1``
    entries, the last for the southern edge); ``slots`` ``(face_slot, ratio_slot)``:
    the work row of the faces of row ``i`` is ``face_slot[i]`` (``0 <= i <= ny``), that
    of its ratios ``ratio_slot[i + 1]`` (``-1 <= i <= ny``); ``grid`` is ``(z, n)``,
    ``state`` ``(h, qx, qy)``, ``work`` ``(qx_new, qy_new, hx, hy, ratio)``, ``diag``
    ``(max_depth, max_speed2, arrival, t_max)``, ``sources`` ``(rain_ms, loss_ms,
    lost_m)``, ``per_row`` ``(row_out, row_top, new_lo, new_hi)``.

    In a local step, a fine face takes the fine step, a coarse one twice that
    (``step.dt``), computed in the first sub-step only; the second sub-step recomputes
    the fine faces and sets the others to zero in the work rows. The limiter and the
    continuity weigh each face (:func:`_weights`). A global step passes None for what
    is local, and numba compiles the row loops without it.
    """
    if k1 <= k0:
        return
    rows, r_lo, r_hi = ranges[0], ranges[1], ranges[2]
    f_lo, f_hi, g_lo, g_hi = (_borrowed(ranges[3]), _borrowed(ranges[4]),
                              _borrowed(ranges[5]), _borrowed(ranges[6]))
    f_first, f_last, l_first, l_last, c_first, c_last = passes
    face_slot, ratio_slot = slots
    z, n = _borrowed(grid[0]), _borrowed(grid[1])
    x_ptr, y_ptr = grid[2], grid[4]
    h, qx, qy = _borrowed(state[0]), _borrowed(state[1]), _borrowed(state[2])
    qx_new, qy_new, hx, hy, ratio = (_borrowed(work[0]), _borrowed(work[1]),
                                     _borrowed(work[2]), _borrowed(work[3]),
                                     _borrowed(work[4]))
    max_depth, max_speed2, arrival, t_max = (_borrowed(diag[0]), _borrowed(diag[1]),
                                             _borrowed(diag[2]), _borrowed(diag[3]))
    rain_ms, loss_ms, lost_m = (_borrowed(sources[0]), _borrowed(sources[1]),
                                _borrowed(sources[2]))
    row_out, row_top, new_lo, new_hi = per_row
    ny, nx = h.shape
    dx = phys.dx
    sub = step.sub
    local = sub != 0
    dt_fine = step.dt_fine  # the step of a fine face (of every face in a global step)
    dt_coarse = step.dt
    # a row of the first sub-step with no fine face is a global step of dt_coarse: the
    # same bits (weights of 2 on the fine step's scale are a factor of 2 on the coarse
    # one's, exact), without the weights
    coarse_step = Step(dt_coarse, step.t_new, step.rain_uniform_ms, step.rain_by_cell,
                       step.losses_on, dt_coarse / dx, 0, dt_coarse)
    one32 = np.float32(1.0)
    first = rows[k0]
    last = rows[k1 - 1]
    k = k0  # next entry of rows for the faces
    c = k0  # next entry of rows for the continuity
    for m in range(first, last + 3):
        if k < k1 and rows[k] == m:
            k += 1
            i = m
            lo = r_lo[i]
            hi = r_hi[i]
            s = face_slot[i]
            # fine x-faces of the row: those of its fine cells (all in a global step)
            xl = f_lo[i] if local else 0
            xh = f_hi[i] + 1 if local else nx
            if xl > xh - 1:  # no fine cell (empty ranges must leave the coarse parts whole)
                xl, xh = nx + 1, nx
            if f_first <= i <= f_last:
                if lo <= hi:
                    # x-faces lo..hi + 1; faces 1 and nx - 1 have an edge face as neighbour
                    a = max(lo, 2)
                    b = min(hi + 1, nx - 2)
                    if a <= b and local and (xl <= xh or sub == 2):
                        _x_faces(i, s, a, b, z, h, n, qx, qx_new, hx, dt_fine, phys,
                                 _local_faces(xl, xh, step))
                    elif a <= b:
                        _x_faces(i, s, a, b, z, h, n, qx, qx_new, hx,
                                 dt_coarse if local else dt_fine, phys, None)
                    # faces 1 and nx - 1 (next to the edges) and the edge faces 0 and nx
                    for kind in range(4):
                        if kind == 0:
                            j = 1
                            wanted = lo <= 1 and nx >= 2
                        elif kind == 1:
                            j = nx - 1
                            wanted = hi + 1 >= nx - 1 and nx >= 3
                        elif kind == 2:
                            j = 0
                            wanted = lo == 0
                        else:
                            j = nx
                            wanted = hi == nx - 1
                        if not wanted:
                            continue
                        fine = xl <= j <= xh
                        if sub == 2 and not fine:
                            qx_new[s, j] = 0.0
                            hx[s, j] = one32
                            continue
                        dt = dt_fine if fine else dt_coarse
                        if kind <= 1:
                            qx_new[s, j], hx[s, j] = _x_face_at(i, j, 0, z, h, n, qx, edges,
                                                                dt, phys)
                        elif kind == 2:
                            q, hx[s, 0] = _edge_face(edges[0, _INFLOW, i], edges[0, _SLOPE, i],
                                                     -qx[i, 0], h[i, 0], n[i, 0], dt, phys)
                            qx_new[s, 0] = -q
                        else:
                            qx_new[s, nx], hx[s, nx] = _edge_face(
                                edges[1, _INFLOW, i], edges[1, _SLOPE, i], qx[i, nx],
                                h[i, nx - 1], n[i, nx - 1], dt, phys)
                # fine y-faces north of the row
                gl = g_lo[i] if local else 0
                gh = g_hi[i] if local else nx - 1
                if gl > gh:
                    gl, gh = nx, nx - 1
                if i == 0:
                    for j in range(lo, hi + 1):
                        fine = gl <= j <= gh
                        if sub == 2 and not fine:
                            qy_new[s, j] = 0.0
                            hy[s, j] = one32
                            continue
                        q, hy[s, j] = _edge_face(edges[2, _INFLOW, j], edges[2, _SLOPE, j],
                                                 -qy[0, j], h[0, j], n[0, j],
                                                 dt_fine if fine else dt_coarse, phys)
                        qy_new[s, j] = -q
                else:
                    # y-faces between rows i - 1 and i, over the hull of both rows' ranges
                    a = min(lo, r_lo[i - 1])
                    b = max(hi, r_hi[i - 1])
                    if a <= b and 2 <= i <= ny - 2 and local and (gl <= gh or sub == 2):
                        _y_faces(i, s, a, b, z, h, n, qy, qy_new, hy, dt_fine, phys,
                                 _local_faces(gl, gh, step))
                    elif a <= b and 2 <= i <= ny - 2:
                        _y_faces(i, s, a, b, z, h, n, qy, qy_new, hy,
                                 dt_coarse if local else dt_fine, phys, None)
                    else:  # next to the northern or southern edge, whose faces say
                        for j in range(a, b + 1):
                            fine = gl <= j <= gh
                            if sub == 2 and not fine:
                                qy_new[s, j] = 0.0
                                hy[s, j] = one32
                                continue
                            qy_new[s, j], hy[s, j] = _y_face_at(
                                i, j, 0, z, h, n, qy, edges, dt_fine if fine else dt_coarse,
                                phys)
                if x_ptr[i + 1] > x_ptr[i] or y_ptr[i + 1] > y_ptr[i]:
                    _cut_faces(i, s, lo, hi, xl, xh, gl, gh, sub, z, h, n, qx, qy, qx_new,
                               qy_new, hx, hy, r_lo, r_hi, grid, edges, dt_fine, dt_coarse,
                               phys)
                if i == ny - 1:
                    s_edge = face_slot[ny]
                    el = g_lo[ny] if local else 0
                    eh = g_hi[ny] if local else nx - 1
                    for j in range(lo, hi + 1):
                        fine = el <= j <= eh
                        if sub == 2 and not fine:
                            qy_new[s_edge, j] = 0.0
                            hy[s_edge, j] = one32
                            continue
                        qy_new[s_edge, j], hy[s_edge, j] = _edge_face(
                            edges[3, _INFLOW, j], edges[3, _SLOPE, j], qy[ny, j], h[i, j],
                            n[i, j], dt_fine if fine else dt_coarse, phys)

        i = m - 1
        if l_first <= i <= l_last and 0 <= i < ny and r_lo[i] <= r_hi[i]:
            if local and (sub == 2 or _has_fine_face(i, f_lo, f_hi, g_lo, g_hi)):
                _limiter_row(i, face_slot[i], face_slot[i + 1], ratio_slot[i + 1], r_lo[i],
                             r_hi[i], h, qx_new, qy_new, ratio, step.k_flux,
                             _local_cells(i, f_lo, f_hi, g_lo, g_hi, step))
            else:
                _limiter_row(i, face_slot[i], face_slot[i + 1], ratio_slot[i + 1], r_lo[i],
                             r_hi[i], h, qx_new, qy_new, ratio,
                             coarse_step.k_flux if local else step.k_flux, None)

        if c < k1 and rows[c] == m - 2:
            c += 1
            i = m - 2
            if not c_first <= i <= c_last:
                continue
            lo = r_lo[i]
            hi = r_hi[i]
            new_lo[i] = nx
            new_hi[i] = -1
            row_out[i] = 0.0
            row_top[i] = 0
            if lo > hi:
                continue
            s = face_slot[i]
            rc = ratio_slot[i + 1]
            if local and (sub == 2 or _has_fine_face(i, f_lo, f_hi, g_lo, g_hi)):
                top, wet_lo, wet_end = _continuity_cells(
                    i, s, face_slot[i + 1], ratio_slot[i], rc, ratio_slot[i + 2], lo, hi, z,
                    h, qx, qy, qx_new, qy_new, hx, hy, ratio, max_depth, max_speed2, arrival,
                    t_max, rain_ms, loss_ms, lost_m, step, phys,
                    _local_cells(i, f_lo, f_hi, g_lo, g_hi, step))
            else:
                top, wet_lo, wet_end = _continuity_cells(
                    i, s, face_slot[i + 1], ratio_slot[i], rc, ratio_slot[i + 2], lo, hi, z,
                    h, qx, qy, qx_new, qy_new, hx, hy, ratio, max_depth, max_speed2, arrival,
                    t_max, rain_ms, loss_ms, lost_m, coarse_step if local else step, phys, None)
            # weights of the faces on the edges of the grid (1 in a global step)
            xl = f_lo[i] if local else 0
            xh = f_hi[i] + 1 if local else nx
            coarse = _coarse_weight(sub)
            w_west = 1.0 if (not local or xl <= 0 <= xh) else coarse
            w_east = 1.0 if (not local or xl <= nx <= xh) else coarse
            w_last = 1.0 if (not local or xl <= hi + 1 <= xh) else coarse
            if w_last != 0.0:
                qx[i, hi + 1] = _limited(qx_new[s, hi + 1], ratio[rc, hi + 1],
                                         ratio[rc, hi + 2])
            if i == ny - 1:
                s_edge = face_slot[ny]
                r_in = ratio_slot[ny]
                r_out = ratio_slot[ny + 1]
                for j in range(lo, hi + 1):
                    if not local or g_lo[ny] <= j <= g_hi[ny] or sub == 1:
                        qy[ny, j] = _limited(qy_new[s_edge, j], ratio[r_in, j + 1],
                                             ratio[r_out, j + 1])
            # water out through free faces (the limited discharges, now in qx and qy),
            # each with its weight; the inflow faces are accounted as inflows
            out = 0.0
            if lo == 0 and edges[0, _SLOPE, i] > 0.0:
                out -= qx[i, 0] * w_west
            if hi == nx - 1 and edges[1, _SLOPE, i] > 0.0:
                out += qx[i, nx] * w_east
            if i == 0:
                for j in range(lo, hi + 1):
                    w = 1.0 if (not local or g_lo[0] <= j <= g_hi[0]) else coarse
                    out -= qy[0, j] * w if edges[2, _SLOPE, j] > 0.0 else 0.0
            if i == ny - 1:
                for j in range(lo, hi + 1):
                    w = 1.0 if (not local or g_lo[ny] <= j <= g_hi[ny]) else coarse
                    out += qy[ny, j] * w if edges[3, _SLOPE, j] > 0.0 else 0.0
            row_out[i] = out * (dt_fine if local else step.dt) * dx
            row_top[i] = top
            new_lo[i] = wet_lo
            new_hi[i] = wet_end - 1


# --------------------------------------------------------------------------- passes
# On one thread, a single sweep over all the rows does the three passes. On several
# threads, each chunk of rows runs the same sweep over its own rows, leaving the
# continuity of the two rows each side of a boundary between chunks (and the limiter
# of the row before it) for a short serial pass afterwards: the rows a chunk updates
# are then never read by another chunk, and the faces and ratios those deferred rows
# need stay in work rows of their own. Both orders respect the dependencies of the
# sweep, so they give the same bits.

#: Fewest rows between two boundaries between chunks (their deferred rows and own work
#: rows must not overlap).
_MIN_CHUNK_ROWS = 8


def cut_faces(cells: np.ndarray, ny: int, nx: int) -> tuple[np.ndarray, ...]:
    """The faces next to imposed-level ``cells`` (``(k, 2)`` rows and columns) whose
    θ-mean leaves out the face across such a cell: ``(x_ptr, x_code, y_ptr, y_code)``,
    the rest of ``grid`` for :func:`_cut_faces`. The x-faces of row ``i`` are
    ``x_code[x_ptr[i]:x_ptr[i + 1]]``, the y-faces north of row ``i`` likewise; a code
    is ``4 * column + cut``, ``cut`` 1 where the previous face (west, north) is across
    an imposed cell, 2 where the next one is, 3 for both. Empty without such cells.

    >>> x_ptr, x_code, y_ptr, y_code = cut_faces(np.array([[1, 2]]), 3, 5)
    >>> x_ptr.tolist(), [(int(c) >> 2, int(c) & 3) for c in x_code]
    ([0, 0, 2, 2], [(2, 2), (3, 1)])
    >>> y_ptr.tolist(), [(int(c) >> 2, int(c) & 3) for c in y_code]
    ([0, 0, 1, 2, 2], [(2, 2), (2, 1)])
    """
    cells = np.asarray(cells, dtype=np.int64).reshape(-1, 2)
    r, c = cells[:, 0], cells[:, 1]

    def table(rows, cols, cut, n_rows):
        key = rows * (nx + 1) + cols  # row-major, one entry per face
        order = np.argsort(key, kind="stable")
        key, cut = key[order], cut[order]
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if key.size else key
        code = np.bitwise_or.reduceat(cut, first) if key.size else key
        key = key[first]
        ptr = np.searchsorted(key // (nx + 1), np.arange(n_rows + 1)).astype(np.int64)
        return ptr, (4 * (key % (nx + 1)) + code).astype(np.int64)

    # x-face j lies between cells j - 1 and j: the face east of a cell has it as the
    # previous face's far side, the face west of it as the next one's
    east, west = c + 1 <= nx - 1, c >= 1
    x_ptr, x_code = table(np.r_[r[east], r[west]], np.r_[c[east] + 1, c[west]],
                          np.r_[np.ones(east.sum(), np.int64), np.full(west.sum(), 2)],
                          ny)
    # y-face (i, j) lies between rows i - 1 and i (the faces of the edges have no mean)
    south, north = r + 1 <= ny - 1, r >= 1
    y_ptr, y_code = table(np.r_[r[south] + 1, r[north]], np.r_[c[south], c[north]],
                          np.r_[np.ones(south.sum(), np.int64), np.full(north.sum(), 2)],
                          ny + 1)
    return x_ptr, x_code, y_ptr, y_code


@njit(**_KW)
def serial_slots(ny):
    """Work rows of the one-thread sweep: a ring of ``RING`` rows for the faces, and for
    the ratios, after the two rows of ones (north and south of the grid)."""
    face_slot = np.empty(ny + 1, dtype=np.int64)
    ratio_slot = np.empty(ny + 2, dtype=np.int64)
    for i in range(ny + 1):
        face_slot[i] = i % RING
    ratio_slot[0] = 0
    ratio_slot[ny + 1] = 1
    for i in range(ny):
        ratio_slot[i + 1] = 2 + i % RING
    return face_slot, ratio_slot


def work_rows(n_threads):
    """Work rows needed on ``n_threads`` threads: ``(faces, ratios)``."""
    return (RING * n_threads + BOUNDARY_FACE_ROWS * (n_threads - 1),
            2 + RING * n_threads + BOUNDARY_RATIO_ROWS * (n_threads - 1))


@njit(**_KW)
def _chunk_starts(rows, n_rows, r_lo, r_hi, n_chunks, starts):
    """Cut the visited rows into at most ``n_chunks`` runs of about the same number of
    cells, each at least ``_MIN_CHUNK_ROWS`` rows long; ``starts`` gets the entry of
    ``rows`` where each run starts, then ``n_rows``. Returns the number of runs."""
    total = 0
    for k in range(n_rows):
        total += max(r_hi[rows[k]] - r_lo[rows[k]] + 1, 0)
    starts[0] = 0
    n_runs = 1
    done = 0
    last_row = rows[n_rows - 1]
    for k in range(n_rows):
        if (n_runs < n_chunks and done * n_chunks >= n_runs * total
                and rows[k] - rows[starts[n_runs - 1]] >= _MIN_CHUNK_ROWS
                and last_row + 1 - rows[k] >= _MIN_CHUNK_ROWS):
            starts[n_runs] = k
            n_runs += 1
        done += max(r_hi[rows[k]] - r_lo[rows[k]] + 1, 0)
    starts[n_runs] = n_rows
    return n_runs


@njit(**_KW)
def _parallel_slots(rows, starts, n_runs, ny, face_slot, ratio_slot):
    """Work rows of the chunked sweep: a ring per chunk, and rows of their own for the
    rows around each boundary (faces of rows ``B - 2 .. B + 2``, ratios of rows
    ``B - 3 .. B + 2``, ``B`` the first row of the next chunk)."""
    ratio_slot[0] = 0
    ratio_slot[ny + 1] = 1
    run = 0
    for i in range(ny + 1):
        while run + 1 < n_runs and i >= rows[starts[run + 1]]:
            run += 1
        face_slot[i] = RING * run + i % RING
        if i < ny:
            ratio_slot[i + 1] = 2 + RING * run + i % RING
    for b in range(1, n_runs):
        boundary = rows[starts[b]]
        for d in range(BOUNDARY_FACE_ROWS):
            face_slot[boundary - 2 + d] = (RING * n_runs + BOUNDARY_FACE_ROWS * (b - 1) + d)
        for d in range(BOUNDARY_RATIO_ROWS):
            ratio_slot[boundary - 3 + d + 1] = (2 + RING * n_runs
                                                + BOUNDARY_RATIO_ROWS * (b - 1) + d)


@njit(parallel=True, **_KW)
def _step_parallel(ranges, n_rows, slots, grid, state, work, diag, sources, per_row, edges,
                   step, phys, n_chunks, starts):
    """One step on several threads: each chunk of rows sweeps its rows, but for the
    continuity of the rows ``B - 2 .. B + 1`` around each boundary ``B`` (the first row
    of a chunk) and the limiter of row ``B - 1``, which need faces of both chunks;
    those run afterwards, serially."""
    rows = ranges[0]
    face_slot, ratio_slot = slots
    ny = state[0].shape[0]
    n_runs = _chunk_starts(rows, n_rows, ranges[1], ranges[2], n_chunks, starts)
    _parallel_slots(rows, starts, n_runs, ny, face_slot, ratio_slot)
    big = np.int64(ny + 2)
    for c in prange(n_runs):
        k0 = starts[c]
        k1 = starts[c + 1]
        start = rows[k0]
        stop = rows[k1 - 1]
        limiter_last = stop
        continuity_first = start
        continuity_last = stop
        if c > 0:
            continuity_first = start + 2
        if c < n_runs - 1:
            limiter_last = rows[k1] - 2
            continuity_last = rows[k1] - 3
        passes = (np.int64(-big), big, np.int64(-big), np.int64(limiter_last),
                  np.int64(continuity_first), np.int64(continuity_last))
        _sweep(ranges, k0, k1, passes, slots, grid, state, work, diag, sources, per_row,
               edges, step, phys)
    for b in range(1, n_runs):
        boundary = rows[starts[b]]
        k0 = np.searchsorted(rows[:n_rows], boundary - 2)
        k1 = np.searchsorted(rows[:n_rows], boundary + 2)
        passes = (big, np.int64(-big), np.int64(boundary - 1), np.int64(boundary - 1),
                  np.int64(boundary - 2), np.int64(boundary + 1))
        _sweep(ranges, np.int64(k0), np.int64(k1), passes, slots, grid, state, work, diag,
               sources, per_row, edges, step, phys)


@njit(**_KW)
def _run_pass(ranges, n_rows, n_cells, slots, grid, state, work, diag, sources, per_row,
              edges, step, phys, parallel_min_cells, n_threads, starts):
    """One step (or sub-step) over the rows of ``ranges``: on ``n_threads`` threads when
    it updates at least ``parallel_min_cells`` cells, else in one sweep on this thread.
    ``slots`` is ``(serial, parallel)``, each ``(face_slot, ratio_slot)``."""
    serial, parallel = slots
    if n_cells >= parallel_min_cells:
        _step_parallel(ranges, n_rows, parallel, grid, state, work, diag, sources, per_row,
                       edges, step, phys, n_threads, starts)
    elif n_rows > 0:
        ny = state[0].shape[0]
        everything = (np.int64(-1), np.int64(ny + 1), np.int64(-1), np.int64(ny + 1),
                      np.int64(-1), np.int64(ny + 1))
        _sweep(ranges, np.int64(0), n_rows, everything, serial, grid, state, work, diag,
               sources, per_row, edges, step, phys)


@njit(**_KW)
def _gather(ranges, n_rows, per_row, w_lo, w_hi, acc, top):
    """The per-row results of a pass, in row order: the outflow volume into ``acc[4]``,
    the largest depth (as bits, returned with ``top``), and each visited row's wet range
    merged into ``w_lo, w_hi``."""
    rows, r_lo, r_hi = ranges[0], ranges[1], ranges[2]
    row_out, row_top, new_lo, new_hi = per_row
    for k in range(n_rows):
        i = rows[k]
        if r_lo[i] <= r_hi[i]:
            acc[4] += row_out[i]
            top = max(top, row_top[i])
            w_lo[i] = min(w_lo[i], new_lo[i])
            w_hi[i] = max(w_hi[i], new_hi[i])
    return top


# --------------------------------------------------------------------------- time loop


@njit(**_KW)
def _active_ranges(wet, full, u_lo, u_hi, r_lo, r_hi, rows, nx):
    """Fill the per-row ranges ``R`` and the list of rows to visit; returns
    ``(n_rows, n_cells)``."""
    w_lo, w_hi, wp_lo, wp_hi, f_lo, f_hi = wet
    ny = w_lo.shape[0]
    for i in range(ny):
        if full:
            u_lo[i] = 0
            u_hi[i] = nx - 1
        else:
            u_lo[i] = min(w_lo[i], wp_lo[i], f_lo[i])
            u_hi[i] = max(w_hi[i], wp_hi[i], f_hi[i])
    n_rows = 0
    n_cells = 0
    for i in range(ny):
        lo = u_lo[i]
        hi = u_hi[i]
        if i > 0:
            lo = min(lo, u_lo[i - 1])
            hi = max(hi, u_hi[i - 1])
        if i < ny - 1:
            lo = min(lo, u_lo[i + 1])
            hi = max(hi, u_hi[i + 1])
        if lo <= hi:
            lo = max(lo - 1, 0)
            hi = min(hi + 1, nx - 1)
            n_cells += hi - lo + 1
        else:
            lo = nx
            hi = -1
        r_lo[i] = lo
        r_hi[i] = hi
        # a row is visited when it has cells to update or owns y-faces of the row above
        if lo <= hi or (i > 0 and r_lo[i - 1] <= r_hi[i - 1]):
            rows[n_rows] = i
            n_rows += 1
    return n_rows, n_cells


#: A local step is taken when the cells its second sub-step updates are at most this
#: share of those of the first: otherwise two global steps cost about as much.
LOCAL_SHARE_MAX = 0.75
#: ... and when its step is at least this many global steps.
LOCAL_STEP_MIN = 1.9


@njit(**_KW)
def _deep_range(h, i, lo, hi, h_split):
    """First and last columns of ``lo..hi`` in row ``i`` deeper than ``h_split``
    (``nx, -1`` if none)."""
    iu = np.uint64(i)
    none = np.uint64(h.shape[1])
    first = none
    end = _U0
    for j in range(np.uint64(lo), np.uint64(hi) + _U1):
        deep = h[iu, j] > h_split
        first = min(first, j if deep else none)
        end = max(end, j + _U1 if deep else _U0)
    return np.int64(first), np.int64(end) - 1


@njit(**_KW)
def _local_ranges(h, rows, n_rows, r_lo, r_hi, f_lo, f_hi, h_split, lts):
    """The fine cells of a local step, per row: those of the active region deeper than
    ``h_split`` and the cells of point forcings, as one range (``fine_lo, fine_hi``);
    the fine y-faces north of each row (``g_lo, g_hi``, ``ny + 1`` entries: a face
    between two rows is fine when a cell of either row is, the hull of both rows'
    ranges; the last entry is the southern edge), and the cells the second sub-step
    updates, those touching a fine face (``r2_lo, r2_hi``), with the rows it visits.
    ``lts`` is ``(fine_lo, fine_hi, g_lo, g_hi, r2_lo, r2_hi, rows2)``. Returns the
    number of rows the second sub-step visits and the number of cells it updates."""
    fine_lo, fine_hi, g_lo, g_hi, r2_lo, r2_hi, rows2 = lts
    ny, nx = h.shape
    for i in range(ny):
        fine_lo[i] = nx
        fine_hi[i] = -1
    for k in range(n_rows):
        i = rows[k]
        if r_lo[i] > r_hi[i]:
            continue
        a, b = _deep_range(h, i, r_lo[i], r_hi[i], h_split)
        fine_lo[i] = min(a, f_lo[i])
        fine_hi[i] = max(b, f_hi[i])
    g_lo[0] = fine_lo[0]
    g_hi[0] = fine_hi[0]
    for i in range(1, ny):
        g_lo[i] = min(fine_lo[i - 1], fine_lo[i])
        g_hi[i] = max(fine_hi[i - 1], fine_hi[i])
    g_lo[ny] = fine_lo[ny - 1]
    g_hi[ny] = fine_hi[ny - 1]
    n_rows2 = 0
    n_cells2 = 0
    for i in range(ny):
        lo = nx
        hi = -1
        if fine_lo[i] <= fine_hi[i]:
            lo = max(fine_lo[i] - 1, 0)
            hi = min(fine_hi[i] + 1, nx - 1)
        for e in (i, i + 1):
            if g_lo[e] <= g_hi[e]:
                lo = min(lo, g_lo[e])
                hi = max(hi, g_hi[e])
        r2_lo[i] = lo
        r2_hi[i] = hi
        if lo <= hi:
            n_cells2 += hi - lo + 1
        if lo <= hi or (i > 0 and r2_lo[i - 1] <= r2_hi[i - 1]):
            rows2[n_rows2] = i
            n_rows2 += 1
    return n_rows2, n_cells2


@njit(**_KW)
def _record(diag, i, j, hn, t, arrival_depth):
    """Largest depth, its time and the arrival time of a cell whose depth was set (as
    :func:`_continuity_cells` records them)."""
    max_depth, _, arrival, t_max = diag
    hn32 = _f32_up(hn)
    if hn32 > max_depth[i, j]:
        max_depth[i, j] = hn32
        t_max[i, j] = np.float32(t)
    if hn > arrival_depth and np.isnan(arrival[i, j]):
        arrival[i, j] = np.float32(t)


@njit(**_KW)
def _impose_levels(t, t_start, z, h, diag, stage, area, arrival_depth, acc):
    """Set the depth of imposed-level cells to ``max(0, level(t) - bed)``, account the
    water added or removed and update their maxima; returns their largest depth."""
    stage_cells, stage_level_m, stage_rate_ms = stage
    h_top = 0.0
    for k in range(stage_cells.shape[0]):
        i = stage_cells[k, 0]
        j = stage_cells[k, 1]
        hn = max(stage_level_m[k] + stage_rate_ms[k] * (t - t_start) - z[i, j], 0.0)
        change = (hn - h[i, j]) * area
        if change > 0.0:
            acc[2] += change
        else:
            acc[3] -= change
        h[i, j] = hn
        h_top = max(h_top, hn)
        _record(diag, i, j, hn, t, arrival_depth)
    return h_top


@njit(**_KW)
def _inflow_time_step(dt, t, t_start, inflow_cells, inflow_m3s, inflow_rate_m3s2, area,
                      courant_length, g):
    """The time step shortened, if needed, so that the depth ``d = s dt`` an inflow
    adds to its cell in one step (``s``: the cell's largest inflow over the step, in m/s
    of depth) itself meets the CFL condition, ``g d dt² <= (α dx)²``: water arriving
    faster than the step lets it spread would pile up (a dry start at the largest step
    put metres of water on one cell). Inflow cells are sorted, so the entries of one
    cell are adjacent."""
    c2 = courant_length * courant_length
    n_in = inflow_cells.shape[0]
    k = 0
    while k < n_in:
        i = inflow_cells[k, 0]
        j = inflow_cells[k, 1]
        q_max = 0.0
        while k < n_in and inflow_cells[k, 0] == i and inflow_cells[k, 1] == j:
            q_a = inflow_m3s[k] + inflow_rate_m3s2[k] * (t - t_start)
            q_max += max(q_a, q_a + inflow_rate_m3s2[k] * dt)  # linear: largest at an end
            k += 1
        s = q_max / area
        if g * s * dt * dt * dt > c2:  # False for s = 0
            # shorter, so s (the largest inflow) still bounds; the cube root to 3e-10,
            # with plain arithmetic (libm's differs between machines)
            dt = 1.0 / _inv_cbrt(c2 / (g * s))
    return dt


@njit(**_KW)
def _inflow_discharge(k, t, t_new, t_start, inflow_m3s, inflow_rate_m3s2):
    """Mean discharge of inflow entry ``k`` over a step (m³/s): exact for the linear
    hydrograph."""
    q_a = inflow_m3s[k] + inflow_rate_m3s2[k] * (t - t_start)
    q_b = inflow_m3s[k] + inflow_rate_m3s2[k] * (t_new - t_start)
    return 0.5 * (q_a + q_b)


@njit(**_KW)
def _edge_inflows(t, t_new, dt, t_start, inflow_cells, inflow_edge, inflow_m3s,
                  inflow_rate_m3s2, edges, dx, acc):
    """Before a step: the unit discharge of each inflow face (m²/s), from the inflow
    entries entering through it, and their volume."""
    for k in range(inflow_cells.shape[0]):
        e = inflow_edge[k]
        if e >= 0:
            edges[e, _INFLOW, inflow_cells[k, 0] if e < 2 else inflow_cells[k, 1]] = 0.0
    for k in range(inflow_cells.shape[0]):
        e = inflow_edge[k]
        if e >= 0:
            q = _inflow_discharge(k, t, t_new, t_start, inflow_m3s, inflow_rate_m3s2)
            edges[e, _INFLOW, inflow_cells[k, 0] if e < 2 else inflow_cells[k, 1]] += q / dx
            acc[0] += q * dt


@njit(**_KW)
def _volume_inflows(t, t_new, dt, t_start, h, diag, w_lo, w_hi, inflow, area, arrival_depth,
                    acc):
    """After a step: add the volume sources (inflow entries inside the grid) to their
    cells' depth, as an inflow face would in the depth update, and update their maxima
    and wet ranges; returns their largest depth."""
    inflow_cells, inflow_edge, inflow_m3s, inflow_rate_m3s2 = inflow
    h_top = 0.0
    for k in range(inflow_cells.shape[0]):
        if inflow_edge[k] >= 0:
            continue
        i = inflow_cells[k, 0]
        j = inflow_cells[k, 1]
        volume = _inflow_discharge(k, t, t_new, t_start, inflow_m3s, inflow_rate_m3s2) * dt
        h[i, j] += volume / area
        acc[0] += volume
        hn = h[i, j]
        h_top = max(h_top, hn)
        if hn > 0.0:
            w_lo[i] = min(w_lo[i], j)
            w_hi[i] = max(w_hi[i], j)
        _record(diag, i, j, hn, t_new, arrival_depth)
    return h_top


@njit(**_KW)
def advance(t_start, t_end, grid, state, work, slots, diag, sources, wet, work_int, per_row,
            stage, inflow, edges, forcing, phys, acc, counters, parallel_min_cells,
            n_threads):
    """Advance the state from ``t_start`` to exactly ``t_end`` with adaptive steps.

    ``grid`` is ``(z, n)``, ``state`` ``(h, qx, qy)``, ``work`` the work rows
    ``(qx_new, qy_new, hx, hy, ratio)``, ``slots`` ``(face_slot, ratio_slot,
    parallel_face_slot, parallel_ratio_slot, starts)`` (see :func:`_sweep`;
    ``serial_slots`` gives the first two, the others are set here), ``diag``
    ``(max_depth, max_speed2, arrival, t_max)``, ``sources`` ``(rain_ms, loss_ms,
    lost_m)``, ``wet`` the six wet ranges and ``work_int`` fourteen integer rows (seven
    of ``ny`` for the active region, see the module notes, and those of a local step,
    see :func:`_local_ranges`: ``g_lo`` and ``g_hi`` of ``ny + 1``), ``per_row``
    ``(row_out, row_top)``.

    Forcings are given for this interval only: the imposed level of stage cell ``k``
    (``stage = (cells, level_m, rate_ms)``) at time ``t`` is ``level_m[k] + rate_ms[k]
    * (t - t_start)``; the discharge of inflow entry ``k`` (``inflow = (cells, edge,
    m3s, rate_m3s2)``) is ``m3s[k] + rate_m3s2[k] * (t - t_start)``; the rain rate
    (``forcing``, a :class:`Forcing`) is ``rain_ms`` per cell (zero on blocked cells)
    when ``rain_by_cell``, else ``rain_uniform_ms`` on every open cell, and
    ``rain_volume_m3s`` is its total over the grid (0: no rain). ``loss_ms`` is the
    loss rate per cell (infiltration and drainage), applied when ``losses_on``; the
    depth each cell lost accumulates in ``lost_m``.

    Inflow cells are sorted by row and column. ``edge[k]`` is the edge (index in
    ``EDGES`` order: west, east, north, south) through whose face the water of entry
    ``k`` enters, or -1 for a volume source, added to the cell's depth after the depth
    update of each step (so the faces of a step never see the water it brings, as for
    an inflow face). ``edges[e, field, k]`` describes face ``k`` (the row for west and
    east, the column for north and south) of edge ``e``: ``_SLOPE``, its outward slope
    if it is a free outflow face, else 0; ``_INFLOW``, the unit discharge entering
    through it (m²/s, set here every step) if it is an inflow face, else -1;
    ``_BEYOND``, the "bed beyond" it seen by the θ-weighting of the faces behind it: 0
    if it is open (free or inflow), +inf if it is a wall.

    ``acc`` accumulates volumes in m³: ``[inflow, rain, boundary_in, boundary_out,
    outflow]``; ``counters`` accumulates ``[steps, cell_updates, local_steps]``. Steps
    whose active region has at least ``parallel_min_cells`` cells run on ``n_threads``
    threads, the others in one sweep on this thread (:func:`_run_pass`).
    """
    z = grid[0]
    h = state[0]
    face_slot, ratio_slot, par_face_slot, par_ratio_slot, starts = slots
    w_lo, w_hi, wp_lo, wp_hi, _, _ = wet
    u_lo, u_hi, r_lo, r_hi, rows, new_lo, new_hi = work_int[:7]
    fine_lo, fine_hi, g_lo, g_hi, r2_lo, r2_hi, rows2 = work_int[7:]
    lts = (fine_lo, fine_hi, g_lo, g_hi, r2_lo, r2_hi, rows2)
    f_lo, f_hi = wet[4], wet[5]
    row_out, row_top = per_row
    per_row = (row_out, row_top, new_lo, new_hi)
    inflow_cells, inflow_edge, inflow_m3s, inflow_rate_m3s2 = inflow
    dx, g, alpha, dt_max = phys.dx, phys.g, phys.alpha, phys.dt_max
    ny, nx = h.shape
    area = dx * dx
    raining = forcing.rain_volume_m3s > 0.0
    ranges = (rows, r_lo, r_hi, fine_lo, fine_hi, g_lo, g_hi)
    ranges2 = (rows2, r2_lo, r2_hi, fine_lo, fine_hi, g_lo, g_hi)
    # the work rows of the serial sweep and of the chunked one
    pass_slots = ((face_slot, ratio_slot), (par_face_slot, par_ratio_slot))

    h_top = 0.0
    for i in range(ny):
        for j in range(w_lo[i], w_hi[i] + 1):
            h_top = max(h_top, h[i, j])

    h_top = max(h_top, _impose_levels(t_start, t_start, z, h, diag, stage, area,
                                      phys.arrival_depth, acc))
    t = t_start
    while t < t_end:
        dt = dt_max
        if h_top > 0.0:
            dt = min(dt_max, alpha * dx / np.sqrt(g * h_top))
        n_rows, n_cells = _active_ranges(wet, raining, u_lo, u_hi, r_lo, r_hi, rows, nx)
        # a local step: twice the step where the cells are shallow enough (see "Local
        # time steps"), when the cells needing the short one are few enough
        local = False
        n_rows2 = 0
        n_cells2 = 0
        if phys.local_steps and n_cells > 0 and dt < dt_max:
            big = min(2.0 * dt, dt_max)
            # inflows enter at each sub-step (through fine faces, or added between the
            # sub-steps): the fine step is what must meet their condition
            big = 2.0 * min(0.5 * big, _inflow_time_step(
                big, t, t_start, inflow_cells, inflow_m3s, inflow_rate_m3s2, area,
                alpha * dx, g))
            if t + big >= t_end - 1e-9 * big:
                big = t_end - t
            # only when the step doubles (not when an inflow or the end of the interval
            # cuts it: the fine cells would then take steps shorter than a global one)
            if big >= LOCAL_STEP_MIN * dt:
                h_split = (alpha * dx / big) ** 2 / g
                n_rows2, n_cells2 = _local_ranges(h, rows, n_rows, r_lo, r_hi, f_lo, f_hi,
                                                  h_split, lts)
                local = n_cells2 <= LOCAL_SHARE_MAX * n_cells
                if local:
                    dt = big
                else:
                    n_rows2 = 0
                    n_cells2 = 0
        if not local:
            dt = _inflow_time_step(dt, t, t_start, inflow_cells, inflow_m3s,
                                   inflow_rate_m3s2, area, alpha * dx, g)
        if t + dt >= t_end - 1e-9 * dt:
            dt = t_end - t
            t_new = t_end
        else:
            t_new = t + dt
        fine_dt = 0.5 * dt if local else dt
        step = Step(dt, t_new, forcing.rain_uniform_ms, forcing.rain_by_cell,
                    forcing.losses_on, fine_dt / dx, 1 if local else 0, fine_dt)

        _edge_inflows(t, t_new, dt, t_start, inflow_cells, inflow_edge, inflow_m3s,
                      inflow_rate_m3s2, edges, dx, acc)
        acc[1] += forcing.rain_volume_m3s * dt

        _run_pass(ranges, n_rows, n_cells, pass_slots, grid, state, work, diag, sources,
                  per_row, edges, step, phys, parallel_min_cells, n_threads, starts)
        # serial reductions, in row order (merged into empty ranges: the new ones)
        for i in range(ny):
            wp_lo[i] = w_lo[i]
            wp_hi[i] = w_hi[i]
            w_lo[i] = nx
            w_hi[i] = -1
        top = _gather(ranges, n_rows, per_row, w_lo, w_hi, acc, np.int64(0))
        t_sources = t  # start of the interval the point sources are added for
        if local:
            # point sources and imposed levels between the sub-steps, as between two
            # global steps (their cells are fine)
            t_sources = t + fine_dt
            top = max(top, np.float64(max(
                _volume_inflows(t, t_sources, fine_dt, t_start, h, diag, w_lo, w_hi, inflow,
                                area, phys.arrival_depth, acc),
                _impose_levels(t_sources, t_start, z, h, diag, stage, area,
                               phys.arrival_depth, acc))).view(np.int64))
            # second sub-step: the fine faces again, and the cells they touch
            step2 = Step(dt, t_new, forcing.rain_uniform_ms, forcing.rain_by_cell,
                         forcing.losses_on, fine_dt / dx, 2, fine_dt)
            _run_pass(ranges2, n_rows2, n_cells2, pass_slots, grid, state, work, diag,
                      sources, per_row, edges, step2, phys, parallel_min_cells, n_threads,
                      starts)
            top = _gather(ranges2, n_rows2, per_row, w_lo, w_hi, acc, top)
        h_top = np.int64(top).view(np.float64)
        h_top = max(h_top, _volume_inflows(t_sources, t_new,
                                           t_new - t_sources if local else dt, t_start, h,
                                           diag, w_lo, w_hi, inflow, area,
                                           phys.arrival_depth, acc))
        h_top = max(h_top, _impose_levels(t_new, t_start, z, h, diag, stage, area,
                                          phys.arrival_depth, acc))
        counters[0] += 1
        counters[1] += n_cells + n_cells2
        counters[2] += 1 if local else 0
        t = t_new
    return t
