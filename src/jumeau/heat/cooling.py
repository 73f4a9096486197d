"""The InVEST Urban Cooling Model (UCM), as its current code computes it, on FFTs.

Equations (InVEST ``urban_cooling_model.py``, release 3.15 onwards; Natural Capital
Project, user guide "Urban Cooling"), per pixel *i* of a land-cover grid of cell size *c*:

- Cooling capacity, day ("factors"):
  ``CC = w_shade·shade + w_albedo·albedo + w_eti·ETI`` with ``ETI = kc·ET0 / max(ET0)``
  and the weights rescaled to sum to 1 (defaults 0.6 / 0.2 / 0.2).
- Cooling capacity, night ("intensity"): ``CC = 1 − building_intensity``.
- Park term: ``CC_park = Σ_j g_j·CC_j·k(d_ij) / Σ_j k(d_ij)`` over valid pixels *j*, with the
  exponential kernel ``k(d) = exp(−d / d_cool)`` truncated at ``5·d_cool`` and ``g_j`` 1
  on green pixels, 0 elsewhere (non-green pixels count as 0, InVEST ``cc_masked_green_areas``).
- Green area within ``d_cool``: a disk kernel (``d ≤ d_cool``) summed over valid pixels and
  corrected at the edges (the sum over the valid part of the disk, scaled to the whole
  disk), in pixels, against the 2 ha threshold ``2e4 / c²``.
- ``HM = CC`` where ``CC ≥ CC_park`` or the green area is under 2 ha, else ``CC_park``.
- ``T_nomix = T_ref + (1 − HM)·UHI_max``; ``T = Σ_j T_nomix_j·k(d_ij) / Σ_j k(d_ij)`` with
  the same normalised exponential kernel over the mixing distance.

Distances are in whole pixels, as in InVEST: ``d_cool`` and the mixing distance are rounded
to the nearest number of cells, and kernel weights are computed between cell centres.
The InVEST user guide calls the mixing kernel Gaussian; its code (which we follow) uses
the exponential kernel above.

Every convolution is one FFT product on a padded grid shared by all kernels, so a day and
a night on a million pixels cost about 17 FFTs. Cells outside the data (``valid`` False)
are left out of every sum and get NaN.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import fft

#: Green area above which a green space cools its surroundings (InVEST: 2 ha).
PARK_AREA_M2 = 2e4


def exponential_kernel(distance_px: int) -> np.ndarray:
    """Normalised ``exp(−d / distance_px)`` kernel, zero beyond ``5·distance_px`` pixels.

    Parameters
    ----------
    distance_px
        Decay distance in pixels (> 0).

    Examples
    --------
    >>> k = exponential_kernel(2)
    >>> k.shape, round(float(k.sum()), 12)
    ((21, 21), 1.0)
    """
    if distance_px < 1:
        raise ValueError("the decay distance must be at least one pixel")
    reach = 5 * distance_px
    d = _distances(reach)
    k = np.where(d <= reach, np.exp(-d / distance_px), 0.0)
    return k / k.sum()


def disk_kernel(radius_px: int) -> np.ndarray:
    """Unnormalised disk kernel: 1 where the centre distance is at most ``radius_px``."""
    return (_distances(max(radius_px, 0)) <= radius_px).astype(float)


def _distances(apothem: int) -> np.ndarray:
    r = np.arange(-apothem, apothem + 1, dtype=float)
    return np.hypot(r[:, None], r[None, :])


def _window_sums(kernel: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Sum of the kernel's weights that fall inside a grid of ``shape``, at every cell.

    The convolution of a grid of ones with the kernel, read from the kernel's integral
    image (four look-ups per cell instead of two FFTs).
    """
    a = kernel.shape[0] // 2
    integral = np.zeros((kernel.shape[0] + 1, kernel.shape[1] + 1))
    integral[1:, 1:] = kernel.cumsum(0).cumsum(1)

    def bounds(n):
        i = np.arange(n)
        return np.maximum(-a, -i) + a, np.minimum(a, n - 1 - i) + a + 1

    r0, r1 = bounds(shape[0])
    c0, c1 = bounds(shape[1])
    return (integral[np.ix_(r1, c1)] - integral[np.ix_(r0, c1)] - integral[np.ix_(r1, c0)]
            + integral[np.ix_(r0, c0)])


def cooling_capacity_day(shade: np.ndarray, albedo: np.ndarray, eti: np.ndarray,
                         weights: tuple[float, float, float] = (0.6, 0.2, 0.2)) -> np.ndarray:
    """Daytime cooling capacity from shade, albedo and the evapotranspiration index.

    The weights (shade, albedo, ETI) are rescaled to sum to 1, as InVEST does.

    Examples
    --------
    >>> float(cooling_capacity_day(np.array(1.0), np.array(0.0), np.array(0.0), (3, 1, 1)))
    0.6
    """
    w = np.asarray(weights, dtype=float)
    if (w < 0).any() or w.sum() <= 0:
        raise ValueError("weights must be >= 0 and not all zero")
    w = w / w.sum()
    return w[0] * shade + w[1] * albedo + w[2] * eti


def evapotranspiration_index(kc: np.ndarray, et0_mm: np.ndarray | float) -> np.ndarray:
    """``ETI = kc·ET0 / max(ET0)`` (the maximum over the grid's valid cells)."""
    et0 = np.asarray(et0_mm, dtype=float)
    top = float(np.nanmax(et0))
    if not top > 0:
        raise ValueError("reference evapotranspiration must be > 0 somewhere")
    return kc * et0 / top


def cooling_capacity_night(building_intensity: np.ndarray) -> np.ndarray:
    """Night-time cooling capacity, ``1 − building_intensity``."""
    return 1.0 - building_intensity


@dataclass
class UrbanCooling:
    """The spatial operators of the UCM on one grid, prepared once for many runs.

    Parameters
    ----------
    valid
        Bool grid: cells with data (False cells are left out and get NaN).
    cell_m
        Cell size (m).
    cooling_distance_m
        ``d_cool``: reach of green spaces (InVEST ``green_area_cooling_distance``).
    mixing_distance_m
        Air mixing distance (InVEST ``t_air_average_radius``).
    workers
        Threads for the FFTs (None: one).
    """

    valid: np.ndarray
    cell_m: float
    cooling_distance_m: float = 450.0
    mixing_distance_m: float = 500.0
    workers: int | None = None
    _fft: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self.valid = np.asarray(self.valid, dtype=bool)
        self.cool_px = int(round(self.cooling_distance_m / self.cell_m))
        self.mix_px = int(round(self.mixing_distance_m / self.cell_m))
        if self.cool_px < 1 or self.mix_px < 1:
            raise ValueError("cooling and mixing distances must be at least one cell")
        self.kernels = {"cool": exponential_kernel(self.cool_px),
                        "mix": exponential_kernel(self.mix_px),
                        "disk": disk_kernel(self.cool_px)}
        half = max(k.shape[0] for k in self.kernels.values()) // 2
        ny, nx = self.valid.shape
        # A grid without gaps runs its FFTs in single precision (twice as fast; errors
        # ~1e-6 of the signal) and gets its normalisers from the kernels' integral images;
        # a grid with gaps, whose normalisers can be tiny, stays in double precision.
        self._full = bool(self.valid.all())
        self._dtype = np.float32 if self._full else np.float64
        self._shape = (fft.next_fast_len(ny + 2 * half, real=True),
                       fft.next_fast_len(nx + 2 * half, real=True))
        self._kfft = {name: self._kernel_fft(k) for name, k in self.kernels.items()}
        if self._full:
            self._norm = {name: _window_sums(k, (ny, nx)) for name, k in self.kernels.items()}
        else:
            valid_f = self._forward(self.valid.astype(float))
            self._norm = {name: self._inverse(valid_f, name) for name in self._kfft}

    # -- FFT plumbing ---------------------------------------------------------------------
    def _kernel_fft(self, kernel: np.ndarray) -> np.ndarray:
        """FFT of a kernel placed with its centre at the origin (circular convention)."""
        a = kernel.shape[0] // 2
        padded = np.zeros(self._shape, dtype=self._dtype)
        padded[: 2 * a + 1, : 2 * a + 1] = kernel
        padded = np.roll(padded, (-a, -a), axis=(0, 1))
        return fft.rfft2(padded, workers=self.workers)

    def _forward(self, grid: np.ndarray) -> np.ndarray:
        padded = np.zeros(self._shape, dtype=self._dtype)
        ny, nx = grid.shape
        padded[:ny, :nx] = np.where(self.valid, grid, 0.0)
        return fft.rfft2(padded, workers=self.workers)

    def _inverse(self, spectrum: np.ndarray, kernel: str) -> np.ndarray:
        # The padding (≥ the kernel's half width on each side) keeps the circular
        # convolution free of wrap-around on the data cells.
        ny, nx = self.valid.shape
        out = fft.irfft2(spectrum * self._kfft[kernel], s=self._shape, workers=self.workers)
        return out[:ny, :nx].astype(float)

    def average(self, grid: np.ndarray, kernel: str) -> np.ndarray:
        """Kernel-weighted average of ``grid`` over valid cells (edges and gaps left out).

        ``kernel`` is ``"cool"`` (exponential, ``d_cool``), ``"mix"`` (exponential, mixing
        distance) or ``"disk"``.
        """
        total = self._inverse(self._forward(grid), kernel)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = total / self._norm[kernel]
        return np.where(self.valid, out, np.nan)

    # -- the model ------------------------------------------------------------------------
    def green_area_px(self, green: np.ndarray) -> np.ndarray:
        """Green cells within ``d_cool`` of each cell, corrected at the grid's edges."""
        return self.average(green.astype(float), "disk") * self.kernels["disk"].sum()

    def park_threshold_px(self) -> float:
        """The 2 ha threshold in cells."""
        return PARK_AREA_M2 / self.cell_m ** 2

    def heat_mitigation(self, cc: np.ndarray, green: np.ndarray,
                        green_area_px: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Heat mitigation index HM and the park term CC_park.

        Parameters
        ----------
        cc
            Cooling capacity per cell.
        green
            Bool grid of green cells (``green_area`` of the biophysical table).
        green_area_px
            :meth:`green_area_px` of ``green``, when already computed.
        """
        green = np.asarray(green, dtype=bool)
        if green_area_px is None:
            green_area_px = self.green_area_px(green)
        cc_park = self.average(np.where(green, cc, 0.0), "cool")
        # Rounding keeps FFT noise (~1e-12) from flipping exact ties at the threshold.
        small = np.round(green_area_px, 6) < self.park_threshold_px()
        hm = np.where((cc >= cc_park) | small, cc, cc_park)
        return np.where(self.valid, hm, np.nan), cc_park

    def air_temperature(self, hm: np.ndarray, t_ref_c: float, uhi_max_c: float) -> np.ndarray:
        """Air temperature after mixing: ``T_ref + mix((1 − HM)·UHI_max)``.

        The kernel is normalised over valid cells, so the constant ``T_ref`` passes
        through the mixing unchanged and is added afterwards.
        """
        return t_ref_c + self.anomaly(hm, uhi_max_c)

    def anomaly(self, hm: np.ndarray, uhi_max_c: float) -> np.ndarray:
        """Mixed air-temperature anomaly over the rural reference, ``mix((1 − HM)·UHI_max)``."""
        return self.average((1.0 - np.nan_to_num(hm)) * uhi_max_c, "mix")
