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

Speed
-----
The inner loops run along a row with unsigned column indices (see below), are free of
branches (selects only) and compiled with ``error_model="numpy"`` (no division-by-zero
checks), so LLVM vectorises them. Reductions that would need re-associating
floating-point sums are kept out of them: rain is accounted from its total rate over
the grid, infiltration per cell, and the largest depth is an integer maximum over the
bit patterns of non-negative doubles (which order like the doubles). On one thread the
three passes of a step (faces, outflow limiter, continuity) are fused into one sweep
down the rows, so each row is still in cache for the next pass.

Active region
-------------
Work is limited to a column range per row. ``W`` (``w_lo, w_hi``) is the column range
of wet cells (``h > 0``) at the start of the step, ``W'`` (``wp_lo, wp_hi``) the one of
the previous step and ``F`` (``f_lo, f_hi``) the cells of point forcings (inflows,
imposed levels). ``U = W ∪ W' ∪ F`` per row, and the range ``R`` processed in row ``i``
is the hull of ``U`` over rows ``i - 1 .. i + 1`` grown by one column each side.
Including ``W'`` guarantees that a face which carried water in the previous step is
recomputed (and set back to zero) before it drops out of the region, so faces outside
the region always hold zero. Empty ranges are ``lo = nx, hi = -1``. While it rains,
every cell is active.

Determinism
-----------
Every pass works row by row, a row only writing its own cells, faces and per-row
results; sums over rows are made serially afterwards, in row order. The serial sweep
and the parallel passes call the same per-row functions in orders that respect their
dependencies, and the vector and scalar forms of a loop do the same IEEE operations
(no fast-math, no contraction), so results are bit-for-bit identical whatever the
number of threads.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

_INF = np.inf
_KW = {"cache": True, "error_model": "numpy"}


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


@njit(**_KW)
def _face_discharge(za, zb, ha, hb, na, nb, q0, q_prev, q_next, open_prev, open_next, dt,
                    params):
    """New discharge of one face between cells ``a`` and ``b`` (positive from ``a`` to
    ``b``): de Almeida et al. (2012) eq. 23 with Bates et al. (2010) friction and the
    Froude cap; 0 where the face flow depth is below ``h_min``. Free of branches.
    Returns the discharge and the face flow depth (1 where dry, to divide by)."""
    dx, g, theta, h_min, froude_max = params[0], params[1], params[2], params[4], params[5]
    ea = za + ha
    eb = zb + hb
    h_flow = max(ea, eb) - max(za, zb)
    wet = h_flow > h_min  # False for NaN: a blocked cell
    hs = h_flow if wet else 1.0
    # θ-weighting with the collinear neighbour faces; a neighbour that is a wall
    # (blocked cell, closed edge: always zero) is left out of the mean rather than
    # counted as zero, as in landlab's OverlandFlow, so walls add no damping.
    share = 0.5 if (open_prev and open_next) else 1.0
    q_theta = theta * q0 + (1.0 - theta) * share * (q_prev + q_next)
    q_theta = q_theta if (open_prev or open_next) else q0
    n_face = 0.5 * (na + nb)  # arithmetic mean of the two cells
    # (q_θ - g h dt ∂η/∂x) / (1 + g dt n² |q| / h^(7/3)), multiplied through by h² so
    # that one division remains
    h2 = hs * hs
    q = ((q_theta - hs * (eb - ea) * (g * dt / dx)) * h2
         / (h2 + g * dt * n_face * n_face * abs(q0) * _inv_cbrt(hs)))
    q_cap = froude_max * hs * np.sqrt(g * hs)
    q = min(max(q, -q_cap), q_cap)
    return (q if wet else 0.0), hs


@njit(**_KW)
def _x_faces(i, a, b, z, h, n, qx, qx_new, hx, dt, params):
    """Interior x-faces ``a..b`` of row ``i``, with ``2 <= a`` and ``b <= nx - 2`` (their
    neighbour faces are interior too)."""
    iu = np.uint64(i)
    for j in range(np.uint64(a), np.uint64(b) + _U1):
        qx_new[iu, j], hx[iu, j] = _face_discharge(
            z[iu, j - _U1], z[iu, j], h[iu, j - _U1], h[iu, j], n[iu, j - _U1], n[iu, j],
            qx[iu, j], qx[iu, j - _U1], qx[iu, j + _U1], z[iu, j - _U2] < _INF,
            z[iu, j + _U1] < _INF, dt, params)


@njit(**_KW)
def _x_face_at(i, j, z, h, n, qx, qx_new, hx, open_w, open_e, dt, params):
    """One interior x-face, any ``1 <= j <= nx - 1``, with the edges as neighbours."""
    nx = h.shape[1]
    open_prev = z[i, j - 2] < _INF if j >= 2 else open_w
    open_next = z[i, j + 1] < _INF if j <= nx - 2 else open_e
    qx_new[i, j], hx[i, j] = _face_discharge(
        z[i, j - 1], z[i, j], h[i, j - 1], h[i, j], n[i, j - 1], n[i, j], qx[i, j],
        qx[i, j - 1], qx[i, j + 1], open_prev, open_next, dt, params)


@njit(**_KW)
def _y_faces(i, a, b, z, h, n, qy, qy_new, hy, open_n, open_s, dt, params):
    """The y-faces ``a..b`` between rows ``i - 1`` and ``i`` (``1 <= i <= ny - 1``)."""
    ny = h.shape[0]
    # the rows beyond, whose cells tell whether the neighbour faces are walls; at the
    # edges the neighbour face is the edge itself (a valid row is still addressed)
    prev_is_row = i >= 2
    next_is_row = i <= ny - 2
    ip = np.uint64(i - 2 if prev_is_row else 0)
    inx = np.uint64(i + 1 if next_is_row else 0)
    iu = np.uint64(i)
    iu1 = np.uint64(i - 1)
    for j in range(np.uint64(a), np.uint64(b) + _U1):
        open_prev = (z[ip, j] < _INF) if prev_is_row else open_n
        open_next = (z[inx, j] < _INF) if next_is_row else open_s
        qy_new[iu, j], hy[iu, j] = _face_discharge(
            z[iu1, j], z[iu, j], h[iu1, j], h[iu, j], n[iu1, j], n[iu, j], qy[iu, j],
            qy[iu1, j], qy[iu + _U1, j], open_prev, open_next, dt, params)


@njit(**_KW)
def _outflow(q0_out, h_edge, slope_out, n_cell, dt, params):
    """Outward discharge through a free edge: the momentum equation with the water
    surface slope replaced by the outward slope, so that steady flow tends to the
    Manning normal-depth discharge ``h^(5/3) S^(1/2) / n``; outflow only."""
    g, h_min, froude_max = params[1], params[4], params[5]
    if not h_edge > h_min:
        return 0.0
    inv_h = 1.0 / h_edge
    friction = g * dt * n_cell * n_cell * abs(q0_out) * _inv_cbrt(h_edge) * inv_h * inv_h
    q = (q0_out + g * h_edge * dt * slope_out) / (1.0 + friction)
    q_cap = froude_max * h_edge * np.sqrt(g * h_edge)
    return min(max(q, 0.0), q_cap)


@njit(**_KW)
def _edge_depth(h_edge, params):
    """Flow depth of an edge face (that of its cell), 1 where it carries nothing."""
    return h_edge if h_edge > params[4] else 1.0


@njit(**_KW)
def _faces_row(i, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, hx, hy, edge_open,
               edge_slopes, dt, params):
    """Momentum update of the faces owned by row ``i``: the x-faces of its range and
    the y-faces on its northern side (plus the southern edge for the last row)."""
    ny, nx = h.shape
    open_w, open_e, open_n, open_s = edge_open[0], edge_open[1], edge_open[2], edge_open[3]
    slope_w, slope_e, slope_n, slope_s = edge_slopes
    lo = r_lo[i]
    hi = r_hi[i]

    if lo <= hi:
        # x-faces lo..hi + 1: faces 1 and nx - 1 have an edge as neighbour face
        a = max(lo, 2)
        b = min(hi + 1, nx - 2)
        if a <= b:
            _x_faces(i, a, b, z, h, n, qx, qx_new, hx, dt, params)
        if lo <= 1 and nx >= 2:
            _x_face_at(i, 1, z, h, n, qx, qx_new, hx, open_w, open_e, dt, params)
        if hi + 1 >= nx - 1 and nx >= 3:
            _x_face_at(i, nx - 1, z, h, n, qx, qx_new, hx, open_w, open_e, dt, params)
        if lo == 0:
            q = 0.0
            if open_w:
                q = -_outflow(-qx[i, 0], h[i, 0], slope_w[i], n[i, 0], dt, params)
            qx_new[i, 0] = q
            hx[i, 0] = _edge_depth(h[i, 0], params)
        if hi == nx - 1:
            q = 0.0
            if open_e:
                q = _outflow(qx[i, nx], h[i, nx - 1], slope_e[i], n[i, nx - 1], dt, params)
            qx_new[i, nx] = q
            hx[i, nx] = _edge_depth(h[i, nx - 1], params)

    if i == 0:
        for j in range(lo, hi + 1):
            q = 0.0
            if open_n:
                q = -_outflow(-qy[0, j], h[0, j], slope_n[j], n[0, j], dt, params)
            qy_new[0, j] = q
            hy[0, j] = _edge_depth(h[0, j], params)
    else:
        # y-faces between rows i - 1 and i, over the hull of both rows' ranges
        a = min(lo, r_lo[i - 1])
        b = max(hi, r_hi[i - 1])
        if a <= b:
            _y_faces(i, a, b, z, h, n, qy, qy_new, hy, open_n, open_s, dt, params)
    if i == ny - 1:
        for j in range(lo, hi + 1):
            q = 0.0
            if open_s:
                q = _outflow(qy[ny, j], h[i, j], slope_s[j], n[i, j], dt, params)
            qy_new[ny, j] = q
            hy[ny, j] = _edge_depth(h[i, j], params)


# --------------------------------------------------------------------------- limiter


@njit(**_KW)
def _limiter_row(i, r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx):
    """Share of its outflows each cell can afford: 1, or (water held) / (water asked).

    ``ratio`` has a one-cell halo of ones: cell ``(i, j)`` is ``ratio[i + 1, j + 1]``.
    """
    lo = r_lo[i]
    hi = r_hi[i]
    if lo > hi:
        return
    k_dt = dt / dx
    iu = np.uint64(i)
    for j in range(np.uint64(lo), np.uint64(hi) + _U1):
        asked = (max(-qx_new[iu, j], 0.0) + max(qx_new[iu, j + _U1], 0.0)
                 + max(-qy_new[iu, j], 0.0) + max(qy_new[iu + _U1, j], 0.0)) * k_dt
        held = h[iu, j]
        ratio[iu + _U1, j + _U1] = held / asked if asked > held else 1.0


# --------------------------------------------------------------------------- continuity


@njit(**_KW)
def _limited(q, ratio_low, ratio_high):
    """A face discharge scaled by the ratio of its donor cell: the low-index cell when
    it flows towards increasing index. Both cells of a face compute the same product,
    so water is exchanged exactly."""
    return q * (ratio_low if q > 0.0 else ratio_high)


@njit(**_KW)
def _continuity_cells(i, lo, hi, z, h, qx, qy, qx_new, qy_new, hx, hy, ratio, diag,
                      rain_uniform_ms, rain_ms, rain_by_cell, infiltration_ms, infiltrated,
                      infiltration_on, dt, k_dt, t_new, arrival_depth, velocity_depth):
    """Depth update of cells ``lo..hi`` of row ``i`` (limited fluxes, rain,
    infiltration, diagnostics); writes the limited discharge of each cell's western
    and northern faces. Returns the largest new depth, as the bits of a double (they
    order like non-negative doubles, and an integer maximum vectorises), and the first
    and one-past-last wet columns."""
    max_depth, max_speed2, arrival, t_max = diag
    iu = np.uint64(i)
    ir = iu + _U1  # the cell's row in the haloed ratio array
    none = np.uint64(h.shape[1])
    wet_lo = none
    wet_end = _U0
    top = np.int64(0)
    for j in range(np.uint64(lo), np.uint64(hi) + _U1):
        jr = j + _U1
        r_c = ratio[ir, jr]
        fw = _limited(qx_new[iu, j], ratio[ir, j], r_c)
        fe = _limited(qx_new[iu, j + _U1], r_c, ratio[ir, jr + _U1])
        fn = _limited(qy_new[iu, j], ratio[iu, jr], r_c)
        fs = _limited(qy_new[iu + _U1, j], r_c, ratio[ir + _U1, jr])
        hn = h[iu, j] + ((fw - fe) + (fn - fs)) * k_dt
        if rain_by_cell:
            hn += rain_ms[iu, j] * dt  # zero on blocked cells
        else:
            hn += rain_uniform_ms * dt if z[iu, j] < _INF else 0.0
        # only round-off can go below zero: the limiter caps outflows at the water held
        hn = max(hn, 0.0)
        if infiltration_on:
            loss = min(hn, infiltration_ms[iu, j] * dt)
            hn -= loss
            infiltrated[iu, j] += loss
        h[iu, j] = hn
        qx[iu, j] = fw
        qy[iu, j] = fn

        deeper = hn > max_depth[iu, j]
        max_depth[iu, j] = hn if deeper else max_depth[iu, j]
        t_max[iu, j] = t_new if deeper else t_max[iu, j]
        arrived = (hn > arrival_depth) and np.isnan(arrival[iu, j])
        arrival[iu, j] = t_new if arrived else arrival[iu, j]
        # squared speed from the mean of the face velocities (discharge over face flow
        # depth, which the Froude cap bounds), with a single division:
        # u = (fw / hw + fe / he) / 2 = nu / du, and the same for v
        hw = np.float64(hx[iu, j])
        he = np.float64(hx[iu, j + _U1])
        hnf = np.float64(hy[iu, j])
        hsf = np.float64(hy[iu + _U1, j])
        nu = fw * he + fe * hw
        du = 2.0 * hw * he
        nv = fn * hsf + fs * hnf
        dv = 2.0 * hnf * hsf
        a = nu * dv
        b = nv * du
        d = du * dv
        speed2 = (a * a + b * b) / (d * d)
        faster = (hn > velocity_depth) and (speed2 > max_speed2[iu, j])
        max_speed2[iu, j] = speed2 if faster else max_speed2[iu, j]
        is_wet = hn > 0.0
        wet_lo = min(wet_lo, j if is_wet else none)
        wet_end = max(wet_end, jr if is_wet else _U0)
        top = max(top, np.float64(hn).view(np.int64))
    return top, np.int64(wet_lo), np.int64(wet_end)


@njit(**_KW)
def _continuity_row(i, r_lo, r_hi, z, h, qx, qy, qx_new, qy_new, hx, hy, ratio, diag,
                    rain_uniform_ms, rain_ms, rain_by_cell, infiltration_ms, infiltrated,
                    infiltration_on, row_out, row_top, new_lo, new_hi, dt, t_new, params,
                    thresholds, edge_open):
    """Depth update of row ``i``; also writes back the limited discharge of the faces
    the row owns (its x-faces, its northern y-faces, the southern edge for the last
    row), and the per-row results: outflow volume, largest depth, wet range."""
    ny, nx = h.shape
    lo = r_lo[i]
    hi = r_hi[i]
    new_lo[i] = nx
    new_hi[i] = -1
    row_out[i] = 0.0
    row_top[i] = 0
    if lo > hi:
        return
    dx = params[0]
    top, wet_lo, wet_end = _continuity_cells(
        i, lo, hi, z, h, qx, qy, qx_new, qy_new, hx, hy, ratio, diag, rain_uniform_ms,
        rain_ms, rain_by_cell, infiltration_ms, infiltrated, infiltration_on, dt, dt / dx, t_new,
        thresholds[0], thresholds[1])
    qx[i, hi + 1] = _limited(qx_new[i, hi + 1], ratio[i + 1, hi + 1], ratio[i + 1, hi + 2])
    if i == ny - 1:
        for j in range(lo, hi + 1):
            qy[ny, j] = _limited(qy_new[ny, j], ratio[ny, j + 1], ratio[ny + 1, j + 1])

    # water out through free edges (the limited discharges, now in qx and qy)
    out = 0.0
    if lo == 0 and edge_open[0]:
        out -= qx[i, 0]
    if hi == nx - 1 and edge_open[1]:
        out += qx[i, nx]
    if i == 0 and edge_open[2]:
        for j in range(lo, hi + 1):
            out -= qy[0, j]
    if i == ny - 1 and edge_open[3]:
        for j in range(lo, hi + 1):
            out += qy[ny, j]
    row_out[i] = out * dt * dx
    row_top[i] = top
    new_lo[i] = wet_lo
    new_hi[i] = wet_end - 1


# --------------------------------------------------------------------------- passes
# On one thread, a single sweep down the rows does the three passes with a lag of one
# row each (faces of row m, limiter of row m - 1, continuity of row m - 2), so a row's
# data is still in cache when the next pass needs it. On several threads, chunks of
# rows sweep their faces and limiters, then update their depths. Both call the same
# per-row functions in orders that respect their dependencies, so they give the same
# bits.


@njit(**_KW)
def _step_serial(rows, n_rows, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, hx, hy, ratio,
                 diag, rain_uniform_ms, rain_ms, rain_by_cell, infiltration_ms, infiltrated,
                 infiltration_on, row_out, row_top, new_lo, new_hi, edge_open, edge_slopes,
                 dt, t_new, params, thresholds):
    """One step on one thread. Row ``i``'s continuity overwrites ``h[i]``, ``qx[i]`` and
    ``qy[i]``, which the faces of rows ``i``, ``i + 1`` and the limiter of row ``i``
    read: they run before it, one and two iterations earlier."""
    if n_rows == 0:
        return
    first = rows[0]
    last = rows[n_rows - 1]
    dx = params[0]
    k = 0  # next entry of rows for the faces
    c = 0  # next entry of rows for the continuity
    for m in range(first, last + 3):
        if k < n_rows and rows[k] == m:
            _faces_row(m, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, hx, hy, edge_open,
                       edge_slopes, dt, params)
            k += 1
        if first <= m - 1 <= last:
            _limiter_row(m - 1, r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx)
        if c < n_rows and rows[c] == m - 2:
            _continuity_row(m - 2, r_lo, r_hi, z, h, qx, qy, qx_new, qy_new, hx, hy, ratio,
                            diag, rain_uniform_ms, rain_ms, rain_by_cell, infiltration_ms,
                            infiltrated, infiltration_on, row_out, row_top, new_lo, new_hi,
                            dt, t_new, params, thresholds, edge_open)
            c += 1


@njit(parallel=True, **_KW)
def _step_parallel(rows, n_rows, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, hx, hy, ratio,
                   diag, rain_uniform_ms, rain_ms, rain_by_cell, infiltration_ms, infiltrated,
                   infiltration_on, row_out, row_top, new_lo, new_hi, edge_open, edge_slopes,
                   dt, t_new, params, thresholds, n_chunks):
    """One step on several threads: the rows are cut into ``n_chunks`` runs of about
    the same number of cells. First each chunk sweeps its faces and limiters (as the
    serial sweep does); the limiter of a chunk's last row needs the next chunk's first
    faces, so those few run next, serially; then each chunk updates its depths."""
    dx = params[0]
    bounds = np.empty(n_chunks + 1, dtype=np.int64)
    total = 0
    for k in range(n_rows):
        total += max(r_hi[rows[k]] - r_lo[rows[k]] + 1, 0)
    bounds[0] = 0
    chunk = 1
    done = 0
    for k in range(n_rows):
        if chunk < n_chunks and done * n_chunks >= chunk * total:
            bounds[chunk] = k
            chunk += 1
        done += max(r_hi[rows[k]] - r_lo[rows[k]] + 1, 0)
    for c in range(chunk, n_chunks + 1):
        bounds[c] = n_rows

    for c in prange(n_chunks):
        for k in range(bounds[c], bounds[c + 1]):
            m = rows[k]
            _faces_row(m, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, hx, hy, edge_open,
                       edge_slopes, dt, params)
            if k > bounds[c] and rows[k - 1] == m - 1:
                _limiter_row(m - 1, r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx)
    for c in range(n_chunks):
        if bounds[c + 1] > bounds[c]:
            _limiter_row(rows[bounds[c + 1] - 1], r_lo, r_hi, h, qx_new, qy_new, ratio, dt,
                         dx)
    for c in prange(n_chunks):
        for k in range(bounds[c], bounds[c + 1]):
            _continuity_row(rows[k], r_lo, r_hi, z, h, qx, qy, qx_new, qy_new, hx, hy, ratio,
                            diag, rain_uniform_ms, rain_ms, rain_by_cell, infiltration_ms,
                            infiltrated, infiltration_on, row_out, row_top, new_lo, new_hi,
                            dt, t_new, params, thresholds, edge_open)


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


@njit(**_KW)
def _impose_levels(t, t_start, z, h, diag, stage_cells, stage_level_m, stage_rate_ms, area,
                   arrival_depth, acc):
    """Set the depth of imposed-level cells to ``max(0, level(t) - bed)``, account the
    water added or removed and update their maxima; returns their largest depth."""
    max_depth, _, arrival, t_max = diag
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
        if hn > max_depth[i, j]:
            max_depth[i, j] = hn
            t_max[i, j] = t
        if hn > arrival_depth and np.isnan(arrival[i, j]):
            arrival[i, j] = t
    return h_top


@njit(**_KW)
def advance(t_start, t_end, z, n, state, diag, wet, work_int, row_out, row_top,
            stage_cells, stage_level_m, stage_rate_ms,
            inflow_cells, inflow_m3s, inflow_rate_m3s2,
            rain_uniform_ms, rain_ms, rain_by_cell, rain_volume_m3s,
            infiltration_ms, infiltrated, infiltration_on,
            edge_open, edge_slopes, params, thresholds, acc, counters,
            parallel_min_cells, n_threads):
    """Advance the state from ``t_start`` to exactly ``t_end`` with adaptive steps.

    Forcings are given for this interval only: the imposed level of stage cell ``k`` at
    time ``t`` is ``stage_level_m[k] + stage_rate_ms[k] * (t - t_start)``, the discharge
    of inflow cell ``k`` is ``inflow_m3s[k] + inflow_rate_m3s2[k] * (t - t_start)``, the
    rain rate is ``rain_ms`` per cell (zero on blocked cells) when ``rain_by_cell``,
    else ``rain_uniform_ms`` on every open cell; ``rain_volume_m3s`` is its total over
    the grid (0: no rain).

    ``acc`` accumulates volumes in m³: ``[inflow, rain, boundary_in, boundary_out,
    outflow]`` (infiltration is accumulated per cell, in m, in ``infiltrated``);
    ``counters`` accumulates ``[steps, cell_updates]``. Steps whose active region has
    at least ``parallel_min_cells`` cells run on ``n_threads`` threads.
    """
    h, qx, qy, qx_new, qy_new, hx, hy, ratio = state
    w_lo, w_hi, wp_lo, wp_hi, _, _ = wet
    u_lo, u_hi, r_lo, r_hi, rows, new_lo, new_hi = work_int
    dx, g, alpha, dt_max = params[0], params[1], params[3], params[6]
    ny, nx = h.shape
    area = dx * dx
    raining = rain_volume_m3s > 0.0

    h_top = 0.0
    for i in range(ny):
        for j in range(w_lo[i], w_hi[i] + 1):
            h_top = max(h_top, h[i, j])

    h_top = max(h_top, _impose_levels(t_start, t_start, z, h, diag, stage_cells,
                                      stage_level_m, stage_rate_ms, area, thresholds[0],
                                      acc))
    t = t_start
    while t < t_end:
        dt = dt_max
        if h_top > 0.0:
            dt = min(dt_max, alpha * dx / np.sqrt(g * h_top))
        if t + dt >= t_end - 1e-9 * dt:
            dt = t_end - t
            t_new = t_end
        else:
            t_new = t + dt

        # inflows: the exact volume of the linear hydrograph over the step
        for k in range(inflow_cells.shape[0]):
            i = inflow_cells[k, 0]
            j = inflow_cells[k, 1]
            q_a = inflow_m3s[k] + inflow_rate_m3s2[k] * (t - t_start)
            q_b = inflow_m3s[k] + inflow_rate_m3s2[k] * (t_new - t_start)
            volume = 0.5 * (q_a + q_b) * dt
            h[i, j] += volume / area
            acc[0] += volume
        acc[1] += rain_volume_m3s * dt

        n_rows, n_cells = _active_ranges(wet, raining, u_lo, u_hi, r_lo, r_hi, rows, nx)
        if n_cells >= parallel_min_cells:
            _step_parallel(rows, n_rows, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, hx, hy,
                           ratio, diag, rain_uniform_ms, rain_ms, rain_by_cell,
                           infiltration_ms, infiltrated, infiltration_on, row_out, row_top,
                           new_lo, new_hi, edge_open, edge_slopes, dt, t_new, params,
                           thresholds, n_threads)
        else:
            _step_serial(rows, n_rows, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, hx, hy,
                         ratio, diag, rain_uniform_ms, rain_ms, rain_by_cell, infiltration_ms,
                         infiltrated, infiltration_on, row_out, row_top, new_lo, new_hi,
                         edge_open, edge_slopes, dt, t_new, params, thresholds)

        # serial reductions, in row order
        for i in range(ny):
            wp_lo[i] = w_lo[i]
            wp_hi[i] = w_hi[i]
            w_lo[i] = nx
            w_hi[i] = -1
        top = np.int64(0)
        for k in range(n_rows):
            i = rows[k]
            if r_lo[i] <= r_hi[i]:
                acc[4] += row_out[i]
                top = max(top, row_top[i])
                w_lo[i] = new_lo[i]
                w_hi[i] = new_hi[i]
        h_top = np.int64(top).view(np.float64)
        h_top = max(h_top, _impose_levels(t_new, t_start, z, h, diag, stage_cells,
                                          stage_level_m, stage_rate_ms, area, thresholds[0],
                                          acc))
        counters[0] += 1
        counters[1] += n_cells
        t = t_new
    return t
