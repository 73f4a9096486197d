"""Linear interpolation of scattered heights on a grid through their triangulation (TIN).

scipy's ``LinearNDInterpolator`` locates each grid cell by walking the triangulation;
on the nearly collinear vertices of digitised roads that walk can fall back to a brute
force search and take seconds or minutes. Here every triangle is rasterised instead:
each cell centre inside a triangle takes the barycentric mix of its three corners.
The cost is one pass over the triangles and the cells they cover; the result is exactly
the piecewise-linear (TIN) surface.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from scipy.spatial import Delaunay


@njit(cache=True, nogil=True)
def _rasterise(tri, px, py, pz, x0, y_top, res, ny, nx, out):  # pragma: no cover - compiled
    for t in range(tri.shape[0]):
        a, b, c = tri[t, 0], tri[t, 1], tri[t, 2]
        ax, ay, bx, by, cx, cy = px[a], py[a], px[b], py[b], px[c], py[c]
        det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy)
        if det == 0.0:
            continue
        # Columns and rows whose cell centres may fall in the triangle.
        j0 = max(0, int(np.ceil((min(ax, bx, cx) - x0) / res - 0.5)))
        j1 = min(nx - 1, int(np.floor((max(ax, bx, cx) - x0) / res - 0.5)))
        i0 = max(0, int(np.ceil((y_top - max(ay, by, cy)) / res - 0.5)))
        i1 = min(ny - 1, int(np.floor((y_top - min(ay, by, cy)) / res - 0.5)))
        for i in range(i0, i1 + 1):
            y = y_top - (i + 0.5) * res
            for j in range(j0, j1 + 1):
                x = x0 + (j + 0.5) * res
                l1 = ((by - cy) * (x - cx) + (cx - bx) * (y - cy)) / det
                l2 = ((cy - ay) * (x - cx) + (ax - cx) * (y - cy)) / det
                l3 = 1.0 - l1 - l2
                eps = -1e-12
                if l1 >= eps and l2 >= eps and l3 >= eps:
                    out[i, j] = l1 * pz[a] + l2 * pz[b] + l3 * pz[c]


def tin_grid(x: np.ndarray, y: np.ndarray, z: np.ndarray, x0: float, y_top: float,
             res: float, shape: tuple[int, int]) -> np.ndarray:
    """Values of the TIN of the points at the cell centres of a north-up grid.

    Cells outside the points' convex hull are NaN.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([0.0, 10, 0, 10]); y = np.array([0.0, 0, 10, 10])
    >>> g = tin_grid(x, y, x + 2 * y, 0.0, 10.0, 5.0, (2, 2))
    >>> g.tolist()
    [[17.5, 22.5], [7.5, 12.5]]
    """
    origin = np.array([x.mean(), y.mean()])
    pts = np.column_stack([x, y]) - origin
    tri = Delaunay(pts).simplices.astype(np.int64)
    out = np.full(shape, np.nan)
    _rasterise(tri, pts[:, 0].copy(), pts[:, 1].copy(), np.asarray(z, dtype=np.float64),
               x0 - origin[0], y_top - origin[1], float(res), shape[0], shape[1], out)
    return out
