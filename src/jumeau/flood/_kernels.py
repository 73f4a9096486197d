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

Active region
-------------
Work is limited to a column range per row. ``W`` (``w_lo, w_hi``) is the column range
of wet cells (``h > 0``) at the start of the step, ``W'`` (``wp_lo, wp_hi``) the one of
the previous step and ``F`` (``f_lo, f_hi``) the cells of point forcings (inflows,
imposed levels). ``U = W ∪ W' ∪ F`` per row, and the range ``R`` processed in row ``i``
is the hull of ``U`` over rows ``i - 1 .. i + 1`` grown by one column each side.
Including ``W'`` guarantees that a face which carried water in the previous step is
recomputed (and set back to zero) before it drops out of the region, so faces outside
the region always hold zero. Empty ranges are ``lo = nx, hi = -1``.

Determinism
-----------
Every pass is a loop over rows in which a row only writes its own cells, faces and
per-row accumulators; sums over rows are made serially afterwards, in row order. The
serial and parallel variants of a pass run the same per-row code, so results are
bit-for-bit identical whatever the number of threads.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

_INF = np.inf


# --------------------------------------------------------------------------- faces


@njit(cache=True)
def _pow_7_3(x):
    """``x ** (7/3)`` for ``x > 0``, to ~1e-14 relative: libm's cbrt and pow cost more
    than the rest of a face update; this is a bit-level first guess (Kahan) refined by
    two Halley steps, plain IEEE arithmetic, so identical on every machine."""
    bits = np.float64(x).view(np.int64)
    y = np.int64(bits // 3 + 0x2A9F7893782DA1CE).view(np.float64)
    y3 = y * y * y
    y = y * (y3 + 2.0 * x) / (2.0 * y3 + x)
    y3 = y * y * y
    y = y * (y3 + 2.0 * x) / (2.0 * y3 + x)
    return x * x * y


@njit(cache=True)
def _interior_flux(q0, q_prev, has_prev, q_next, has_next, h_flow, slope, n_face,
                   dt, g, theta, froude_max):
    """de Almeida et al. (2012) eq. 23 with Bates et al. (2010) friction, one face."""
    # θ-weighting with the two collinear neighbour faces; a neighbour that is a wall
    # (closed edge, blocked cell) is left out of the mean rather than counted as zero,
    # as landlab's OverlandFlow does, so walls do not add artificial damping.
    if has_prev and has_next:
        q_theta = theta * q0 + 0.5 * (1.0 - theta) * (q_prev + q_next)
    elif has_prev:
        q_theta = theta * q0 + (1.0 - theta) * q_prev
    elif has_next:
        q_theta = theta * q0 + (1.0 - theta) * q_next
    else:
        q_theta = q0
    h73 = _pow_7_3(h_flow)
    q = (q_theta - g * h_flow * dt * slope) / (1.0 + g * dt * n_face * n_face * abs(q0) / h73)
    q_cap = froude_max * h_flow * np.sqrt(g * h_flow)
    if q > q_cap:
        q = q_cap
    elif q < -q_cap:
        q = -q_cap
    return q


@njit(cache=True)
def _outflow_flux(q0_out, h_edge, slope_out, n_cell, dt, g, froude_max):
    """Outward discharge through a free edge: the momentum equation with the water
    surface slope replaced by the outward slope, so that steady flow tends to the
    Manning normal-depth discharge ``h^(5/3) S^(1/2) / n``; outflow only."""
    h73 = _pow_7_3(h_edge)
    q = (q0_out + g * h_edge * dt * slope_out) / (
        1.0 + g * dt * n_cell * n_cell * abs(q0_out) / h73)
    if q < 0.0:
        q = 0.0
    q_cap = froude_max * h_edge * np.sqrt(g * h_edge)
    if q > q_cap:
        q = q_cap
    return q


@njit(cache=True)
def _faces_row(i, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, edge_open,
               slope_w, slope_e, slope_n, slope_s, dt, params):
    """Momentum update of the faces owned by row ``i``: its x-faces and the y-faces
    on its northern side (plus the southern edge for the last row)."""
    dx, g, theta, _alpha, h_min, froude_max = params[0], params[1], params[2], params[3], \
        params[4], params[5]
    ny, nx = h.shape
    inv_dx = 1.0 / dx
    open_w, open_e, open_n, open_s = edge_open[0], edge_open[1], edge_open[2], edge_open[3]
    lo = r_lo[i]
    hi = r_hi[i]

    if lo <= hi:
        # interior x-faces of the cells lo..hi
        j0 = max(lo, 1)
        j1 = min(hi + 1, nx - 1)
        for j in range(j0, j1 + 1):
            zl = z[i, j - 1]
            zr = z[i, j]
            el = zl + h[i, j - 1]
            er = zr + h[i, j]
            h_flow = max(el, er) - max(zl, zr)
            q = 0.0
            if h_flow > h_min:
                has_prev = (j >= 2 and z[i, j - 2] < _INF) or (j == 1 and open_w)
                has_next = (j <= nx - 2 and z[i, j + 1] < _INF) or (j == nx - 1 and open_e)
                q = _interior_flux(qx[i, j], qx[i, j - 1], has_prev, qx[i, j + 1], has_next,
                                   h_flow, (er - el) * inv_dx, 0.5 * (n[i, j - 1] + n[i, j]),
                                   dt, g, theta, froude_max)
            qx_new[i, j] = q
        if lo == 0:
            q = 0.0
            if open_w and h[i, 0] > h_min:
                q = -_outflow_flux(-qx[i, 0], h[i, 0], slope_w[i], n[i, 0], dt, g, froude_max)
            qx_new[i, 0] = q
        if hi == nx - 1:
            q = 0.0
            if open_e and h[i, nx - 1] > h_min:
                q = _outflow_flux(qx[i, nx], h[i, nx - 1], slope_e[i], n[i, nx - 1], dt, g,
                                  froude_max)
            qx_new[i, nx] = q

    if i == 0:
        for j in range(lo, hi + 1):
            q = 0.0
            if open_n and h[0, j] > h_min:
                q = -_outflow_flux(-qy[0, j], h[0, j], slope_n[j], n[0, j], dt, g, froude_max)
            qy_new[0, j] = q
    else:
        # y-faces between rows i - 1 and i, over the hull of both rows' ranges
        y_lo = min(lo, r_lo[i - 1])
        y_hi = max(hi, r_hi[i - 1])
        for j in range(y_lo, y_hi + 1):
            zu = z[i - 1, j]
            zd = z[i, j]
            eu = zu + h[i - 1, j]
            ed = zd + h[i, j]
            h_flow = max(eu, ed) - max(zu, zd)
            q = 0.0
            if h_flow > h_min:
                has_prev = (i >= 2 and z[i - 2, j] < _INF) or (i == 1 and open_n)
                has_next = (i <= ny - 2 and z[i + 1, j] < _INF) or (i == ny - 1 and open_s)
                q = _interior_flux(qy[i, j], qy[i - 1, j], has_prev, qy[i + 1, j], has_next,
                                   h_flow, (ed - eu) * inv_dx, 0.5 * (n[i - 1, j] + n[i, j]),
                                   dt, g, theta, froude_max)
            qy_new[i, j] = q
    if i == ny - 1:
        for j in range(lo, hi + 1):
            q = 0.0
            if open_s and h[i, j] > h_min:
                q = _outflow_flux(qy[ny, j], h[i, j], slope_s[j], n[i, j], dt, g, froude_max)
            qy_new[ny, j] = q


# --------------------------------------------------------------------------- limiter


@njit(cache=True)
def _limiter_row(i, r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx):
    """Share of its outflows a cell can afford: 1, or (water held) / (water asked)."""
    k = dt / dx
    for j in range(r_lo[i], r_hi[i] + 1):
        out = 0.0
        f = qx_new[i, j]
        if f < 0.0:
            out -= f
        f = qx_new[i, j + 1]
        if f > 0.0:
            out += f
        f = qy_new[i, j]
        if f < 0.0:
            out -= f
        f = qy_new[i + 1, j]
        if f > 0.0:
            out += f
        asked = out * k
        held = h[i, j]
        ratio[i, j] = held / asked if asked > held else 1.0


# --------------------------------------------------------------------------- continuity


@njit(cache=True)
def _continuity_row(i, r_lo, r_hi, z, h, qx, qy, qx_new, qy_new, ratio, diag,
                    rain_rate_ms, zone, rain_by_zone, infiltration_ms, infiltration_on,
                    row_acc, new_lo, new_hi, dt, t_new, params, thresholds):
    """Depth update of row ``i`` from the limited face fluxes, sources and losses;
    writes back the limited fluxes of the faces the row owns and the diagnostics."""
    dx = params[0]
    arrival_depth, velocity_depth = thresholds[0], thresholds[1]
    max_depth, max_speed2, arrival, t_max = diag[0], diag[1], diag[2], diag[3]
    ny, nx = h.shape
    k = dt / dx
    lo = r_lo[i]
    hi = r_hi[i]
    outflow = 0.0
    rain = 0.0
    infiltrated = 0.0
    h_top = 0.0
    wet_lo = nx
    wet_hi = -1
    for j in range(lo, hi + 1):
        # Each face flux is scaled by the ratio of its donor cell; both cells sharing
        # a face compute the same product, so water is exchanged exactly.
        fw = qx_new[i, j]
        fw *= ratio[i, j - 1] if fw > 0.0 else ratio[i, j]
        fe = qx_new[i, j + 1]
        fe *= ratio[i, j] if fe > 0.0 else ratio[i, j + 1 if j + 1 < nx else j]
        fn = qy_new[i, j]
        fn *= ratio[i - 1, j] if fn > 0.0 else ratio[i, j]
        fs = qy_new[i + 1, j]
        fs *= ratio[i, j] if fs > 0.0 else ratio[i + 1 if i + 1 < ny else i, j]

        hn = h[i, j] + ((fw - fe) + (fn - fs)) * k
        if j == 0:
            outflow -= fw
        if j == nx - 1:
            outflow += fe
        if i == 0:
            outflow -= fn
        if i == ny - 1:
            outflow += fs

        if rain_rate_ms.shape[0] > 0 and z[i, j] < _INF:
            if rain_by_zone:
                zi = zone[i, j]
                add = rain_rate_ms[zi] * dt if zi >= 0 else 0.0
            else:
                add = rain_rate_ms[0] * dt
            hn += add
            rain += add
        if hn < 0.0:
            # only round-off can get here (the limiter caps outflows at the water held)
            hn = 0.0
        if infiltration_on and hn > 0.0:
            loss = infiltration_ms[i, j] * dt
            if loss > hn:
                loss = hn
            hn -= loss
            infiltrated += loss

        h[i, j] = hn
        qx[i, j] = fw
        qy[i, j] = fn
        if hn > 0.0:
            if j < wet_lo:
                wet_lo = j
            wet_hi = j
            if hn > h_top:
                h_top = hn
            if hn > max_depth[i, j]:
                max_depth[i, j] = hn
                t_max[i, j] = t_new
            if hn > arrival_depth and np.isnan(arrival[i, j]):
                arrival[i, j] = t_new
            if hn > velocity_depth:
                # squared speed, compared without dividing: (|2q| / 2h)² > max²
                qu = fw + fe
                qv = fn + fs
                q2 = qu * qu + qv * qv
                four_h2 = 4.0 * hn * hn
                if q2 > max_speed2[i, j] * four_h2:
                    max_speed2[i, j] = q2 / four_h2
        if j == hi:
            qx[i, j + 1] = fe
        if i == ny - 1:
            qy[ny, j] = fs

    row_acc[0, i] = outflow * dt * dx
    row_acc[1, i] = rain * dx * dx
    row_acc[2, i] = infiltrated * dx * dx
    row_acc[3, i] = h_top
    new_lo[i] = wet_lo
    new_hi[i] = wet_hi


# --------------------------------------------------------------------------- passes
# Each pass exists twice, serial and parallel, around the same per-row function: small
# active regions do not pay the thread start-up, large ones use every allowed core.


@njit(cache=True)
def _faces_serial(rows, n_rows, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, edge_open,
                  slope_w, slope_e, slope_n, slope_s, dt, params):
    for k in range(n_rows):
        _faces_row(rows[k], r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, edge_open,
                   slope_w, slope_e, slope_n, slope_s, dt, params)


@njit(cache=True, parallel=True)
def _faces_parallel(rows, n_rows, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, edge_open,
                    slope_w, slope_e, slope_n, slope_s, dt, params):
    for k in prange(n_rows):
        _faces_row(rows[k], r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new, edge_open,
                   slope_w, slope_e, slope_n, slope_s, dt, params)


@njit(cache=True)
def _limiter_serial(rows, n_rows, r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx):
    for k in range(n_rows):
        _limiter_row(rows[k], r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx)


@njit(cache=True, parallel=True)
def _limiter_parallel(rows, n_rows, r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx):
    for k in prange(n_rows):
        _limiter_row(rows[k], r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx)


@njit(cache=True)
def _continuity_serial(rows, n_rows, r_lo, r_hi, z, h, qx, qy, qx_new, qy_new, ratio, diag,
                       rain_rate_ms, zone, rain_by_zone, infiltration_ms, infiltration_on,
                       row_acc, new_lo, new_hi, dt, t_new, params, thresholds):
    for k in range(n_rows):
        _continuity_row(rows[k], r_lo, r_hi, z, h, qx, qy, qx_new, qy_new, ratio, diag,
                        rain_rate_ms, zone, rain_by_zone, infiltration_ms, infiltration_on,
                        row_acc, new_lo, new_hi, dt, t_new, params, thresholds)


@njit(cache=True, parallel=True)
def _continuity_parallel(rows, n_rows, r_lo, r_hi, z, h, qx, qy, qx_new, qy_new, ratio, diag,
                         rain_rate_ms, zone, rain_by_zone, infiltration_ms, infiltration_on,
                         row_acc, new_lo, new_hi, dt, t_new, params, thresholds):
    for k in prange(n_rows):
        _continuity_row(rows[k], r_lo, r_hi, z, h, qx, qy, qx_new, qy_new, ratio, diag,
                        rain_rate_ms, zone, rain_by_zone, infiltration_ms, infiltration_on,
                        row_acc, new_lo, new_hi, dt, t_new, params, thresholds)


# --------------------------------------------------------------------------- time loop


@njit(cache=True)
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


@njit(cache=True)
def advance(t_start, t_end, z, n, state, diag, wet, work_int, row_acc,
            stage_cells, stage_level_m, stage_rate_ms,
            inflow_cells, inflow_m3s, inflow_rate_m3s2,
            rain_rate_ms, zone, rain_by_zone, infiltration_ms, infiltration_on,
            edge_open, edge_slopes, params, thresholds, acc, counters, parallel_min_cells):
    """Advance the state from ``t_start`` to exactly ``t_end`` with adaptive steps.

    Forcings are given for this interval only: the imposed level of stage cell ``k`` at
    time ``t`` is ``stage_level_m[k] + stage_rate_ms[k] * (t - t_start)``, the discharge
    of inflow cell ``k`` is ``inflow_m3s[k] + inflow_rate_m3s2[k] * (t - t_start)`` and
    the rain rate of zone ``z`` is ``rain_rate_ms[z]`` (an empty array: no rain).

    ``acc`` accumulates volumes in m³: ``[inflow, rain, boundary_in, boundary_out,
    outflow, infiltration]``; ``counters`` accumulates ``[steps, cell_updates]``.
    """
    h, qx, qy, qx_new, qy_new, ratio = state
    w_lo, w_hi, wp_lo, wp_hi, f_lo, f_hi = wet
    u_lo, u_hi, r_lo, r_hi, rows, new_lo, new_hi = work_int
    slope_w, slope_e, slope_n, slope_s = edge_slopes
    dx, g, alpha, dt_max = params[0], params[1], params[3], params[6]
    ny, nx = h.shape
    area = dx * dx
    raining = rain_rate_ms.shape[0] > 0

    h_top = 0.0
    for i in range(ny):
        for j in range(w_lo[i], w_hi[i] + 1):
            if h[i, j] > h_top:
                h_top = h[i, j]

    t = t_start
    while t < t_end:
        # imposed levels, set at the start of the step
        for k in range(stage_cells.shape[0]):
            i = stage_cells[k, 0]
            j = stage_cells[k, 1]
            hn = stage_level_m[k] + stage_rate_ms[k] * (t - t_start) - z[i, j]
            if hn < 0.0:
                hn = 0.0
            change = (hn - h[i, j]) * area
            if change > 0.0:
                acc[2] += change
            else:
                acc[3] -= change
            h[i, j] = hn
            if hn > h_top:
                h_top = hn

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

        n_rows, n_cells = _active_ranges(wet, raining, u_lo, u_hi, r_lo, r_hi, rows, nx)
        if n_cells >= parallel_min_cells:
            _faces_parallel(rows, n_rows, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new,
                            edge_open, slope_w, slope_e, slope_n, slope_s, dt, params)
            _limiter_parallel(rows, n_rows, r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx)
            _continuity_parallel(rows, n_rows, r_lo, r_hi, z, h, qx, qy, qx_new, qy_new,
                                 ratio, diag, rain_rate_ms, zone, rain_by_zone,
                                 infiltration_ms, infiltration_on, row_acc, new_lo, new_hi,
                                 dt, t_new, params, thresholds)
        else:
            _faces_serial(rows, n_rows, r_lo, r_hi, z, n, h, qx, qy, qx_new, qy_new,
                          edge_open, slope_w, slope_e, slope_n, slope_s, dt, params)
            _limiter_serial(rows, n_rows, r_lo, r_hi, h, qx_new, qy_new, ratio, dt, dx)
            _continuity_serial(rows, n_rows, r_lo, r_hi, z, h, qx, qy, qx_new, qy_new,
                               ratio, diag, rain_rate_ms, zone, rain_by_zone,
                               infiltration_ms, infiltration_on, row_acc, new_lo, new_hi,
                               dt, t_new, params, thresholds)

        # serial reductions, in row order
        for i in range(ny):
            wp_lo[i] = w_lo[i]
            wp_hi[i] = w_hi[i]
            w_lo[i] = nx
            w_hi[i] = -1
        h_top = 0.0
        for k in range(n_rows):
            i = rows[k]
            if r_lo[i] <= r_hi[i]:
                acc[4] += row_acc[0, i]
                acc[1] += row_acc[1, i]
                acc[5] += row_acc[2, i]
                if row_acc[3, i] > h_top:
                    h_top = row_acc[3, i]
                w_lo[i] = new_lo[i]
                w_hi[i] = new_hi[i]
        counters[0] += 1
        counters[1] += n_cells
        t = t_new
    return t
