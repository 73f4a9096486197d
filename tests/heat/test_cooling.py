"""The InVEST Urban Cooling equations: hand-computed tiny grids and an independent
reference implementation on a few hundred thousand cells."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import fftconvolve

from jumeau.heat import cooling


def _model(shape, cell=10.0, cool=20.0, mix=10.0, valid=None):
    v = np.ones(shape, bool) if valid is None else valid
    return cooling.UrbanCooling(v, cell, cool, mix)


def test_uniform_land_cover_gives_uniform_temperature():
    """With one cooling capacity everywhere T = T_ref + (1 − CC)·UHI in every cell."""
    m = _model((30, 40))
    cc = np.full((30, 40), 0.3)
    hm, _ = m.heat_mitigation(cc, np.zeros((30, 40), bool))
    t = m.air_temperature(hm, 30.0, 3.0)
    np.testing.assert_allclose(t, 30.0 + 0.7 * 3.0, atol=1e-6)


def test_temperature_stays_between_reference_and_reference_plus_uhi():
    """T_ref ≤ T ≤ T_ref + UHI_max for any land cover."""
    rng = np.random.default_rng(3)
    m = _model((50, 60), cool=50.0, mix=30.0)
    cc = rng.random((50, 60))
    green = rng.random((50, 60)) < 0.4
    hm, _ = m.heat_mitigation(cc, green)
    t = m.air_temperature(hm, 25.0, 4.0)
    assert t.min() >= 25.0 - 1e-9 and t.max() <= 29.0 + 1e-9
    assert t.max() - t.min() > 0.1


def test_mixing_on_a_three_cell_strip_by_hand():
    """On 1 × 3 cells with a 1-cell mixing distance the weights are e^0, e^-1, e^-2."""
    m = _model((1, 3), cell=10.0, cool=10.0, mix=10.0)
    hm = np.array([[0.0, 0.5, 1.0]])            # T_nomix = 30 + (1 − HM)·2 = 32, 31, 30
    t = m.air_temperature(hm, 30.0, 2.0)
    e1, e2 = np.exp(-1), np.exp(-2)
    expected = [(32 + 31 * e1 + 30 * e2) / (1 + e1 + e2), (32 * e1 + 31 + 30 * e1) / (1 + 2 * e1),
                (32 * e2 + 31 * e1 + 30) / (1 + e1 + e2)]
    np.testing.assert_allclose(t[0], expected, atol=1e-6)  # single-precision FFTs


def test_park_term_by_hand_and_the_two_hectare_rule():
    """A 20 × 20 park of 10 m cells (4 ha) replaces HM by the park term next to it; a 1 ha
    park does not."""
    shape = (40, 40)
    big = np.zeros(shape, bool)
    big[10:30, 0:20] = True                      # 400 cells = 4 ha
    cc = np.where(big, 0.8, 0.1)
    m = _model(shape, cell=10.0, cool=250.0, mix=10.0)
    hm, park = m.heat_mitigation(cc, big)
    # The park term at (20, 22): CC of green cells weighted by exp(−d/25 cells) over the
    # whole grid (the kernel reaches 125 cells), divided by the weights of all cells.
    rows, cols = np.mgrid[0:40, 0:40]
    d = np.hypot(rows - 20, cols - 22)
    w = np.exp(-d / 25)
    expected = (w * np.where(big, cc, 0.0)).sum() / w.sum()
    green_in_reach = (big & (d <= 25)).sum()
    assert green_in_reach > 200                  # more than 2 ha within d_cool
    assert park[20, 22] == pytest.approx(expected, abs=1e-6)
    assert hm[20, 22] == pytest.approx(expected) and expected > 0.1
    small = np.zeros(shape, bool)
    small[15:25, 0:10] = True                    # 100 cells = 1 ha
    hm_small, park_small = m.heat_mitigation(np.where(small, 0.8, 0.0), small)
    assert park_small[20, 12] > 0.01             # a park term above CC exists…
    assert hm_small[20, 12] == 0.0               # …but under 2 ha it is not used


def test_a_park_cools_around_it_less_with_distance():
    """East of a park the air is cooler near it and warms with distance."""
    shape = (60, 120)
    park = np.zeros(shape, bool)
    park[20:40, 0:30] = True
    m = _model(shape, cell=10.0, cool=200.0, mix=50.0)
    hm, _ = m.heat_mitigation(np.where(park, 0.9, 0.05), park)
    t = m.air_temperature(hm, 30.0, 3.0)
    east = t[30, 30:100]
    assert np.all(np.diff(east) >= -1e-6) and east[-1] - east[0] > 0.5


def test_weights_are_rescaled_to_sum_to_one():
    """Weights 3 / 1 / 1 give the same cooling capacity as 0.6 / 0.2 / 0.2."""
    shade, albedo, eti = np.array([0.5, 0.2]), np.array([0.1, 0.3]), np.array([0.9, 0.4])
    a = cooling.cooling_capacity_day(shade, albedo, eti, (3, 1, 1))
    b = cooling.cooling_capacity_day(shade, albedo, eti, (0.6, 0.2, 0.2))
    np.testing.assert_allclose(a, b)
    np.testing.assert_allclose(a, [0.6 * 0.5 + 0.2 * 0.1 + 0.2 * 0.9, 0.12 + 0.06 + 0.08])


def test_eti_is_kc_times_et0_over_its_maximum():
    """ETI = kc·ET0 / max(ET0), and kc with a uniform ET0."""
    np.testing.assert_allclose(cooling.evapotranspiration_index(np.array([0.5, 1.0]),
                                                                np.array([2.0, 4.0])), [0.25, 1.0])
    np.testing.assert_allclose(cooling.evapotranspiration_index(np.array([0.7]), 5.0), [0.7])


def test_night_model_uses_building_intensity_only():
    """CC at night is 1 − building_intensity, whatever the shade, albedo or kc."""
    np.testing.assert_allclose(cooling.cooling_capacity_night(np.array([0.0, 0.25, 1.0])),
                               [1.0, 0.75, 0.0])


def test_invalid_cells_are_left_out_and_get_nan():
    """Cells without data are NaN and do not pull their neighbours' averages."""
    valid = np.ones((10, 10), bool)
    valid[:, :5] = False
    m = _model((10, 10), valid=valid)
    out = m.average(np.where(valid, 2.0, 1000.0), "mix")
    assert np.isnan(out[:, :5]).all()
    np.testing.assert_allclose(out[:, 5:], 2.0)


def _reference_ucm(cc, green, t_ref, uhi, cell, d_cool, d_mix):
    """InVEST's equations written from their statement, on scipy's own FFT convolution."""
    def exp_kernel(d_px):
        n = 5 * d_px
        y, x = np.mgrid[-n:n + 1, -n:n + 1]
        dist = np.sqrt(x * x + y * y)
        k = np.exp(-dist / d_px) * (dist <= n)
        return k / k.sum()

    def avg(signal, kernel):
        ones = np.ones_like(signal)
        return fftconvolve(signal, kernel, mode="same") / fftconvolve(ones, kernel, mode="same")

    dc, dm = round(d_cool / cell), round(d_mix / cell)
    y, x = np.mgrid[-dc:dc + 1, -dc:dc + 1]
    disk = (np.sqrt(x * x + y * y) <= dc).astype(float)
    green_cells = avg(green.astype(float), disk) * disk.sum()
    park = avg(np.where(green, cc, 0.0), exp_kernel(dc))
    hm = np.where((cc >= park) | (green_cells < 2e4 / cell ** 2), cc, park)
    return avg(t_ref + (1 - hm) * uhi, exp_kernel(dm))


def test_matches_an_independent_implementation_on_300k_cells():
    """On a synthetic 600 × 500 land cover (10 m) the model equals the reference within
    0.01 °C, by day and by night."""
    rng = np.random.default_rng(42)
    shape = (600, 500)
    # Blobs of land-cover classes: smoothed noise cut into 6 classes.
    noise = fftconvolve(rng.standard_normal(shape), np.ones((81, 81)), mode="same")
    classes = np.digitize(noise, np.quantile(noise, [0.2, 0.4, 0.55, 0.7, 0.85]))
    shade = np.array([0.0, 0.0, 0.1, 0.4, 0.9, 0.0])[classes]
    albedo = np.array([0.12, 0.2, 0.18, 0.2, 0.17, 0.08])[classes]
    kc = np.array([0.1, 0.0, 0.5, 0.9, 1.0, 1.05])[classes]
    green = np.array([0, 0, 0, 1, 1, 0], bool)[classes]
    intensity = np.array([0.4, 0.8, 0.15, 0.0, 0.0, 0.0])[classes]
    m = cooling.UrbanCooling(np.ones(shape, bool), 10.0, 450.0, 500.0)
    cc_day = cooling.cooling_capacity_day(shade, albedo, kc, (0.6, 0.2, 0.2))
    hm, _ = m.heat_mitigation(cc_day, green)
    ours = m.air_temperature(hm, 31.0, 3.0)
    ref = _reference_ucm(0.6 * shade + 0.2 * albedo + 0.2 * kc, green, 31.0, 3.0, 10.0, 450, 500)
    assert np.abs(ours - ref).max() < 0.01
    hm_n, _ = m.heat_mitigation(cooling.cooling_capacity_night(intensity), green)
    ours_n = m.air_temperature(hm_n, 21.0, 4.0)
    ref_n = _reference_ucm(1 - intensity, green, 21.0, 4.0, 10.0, 450, 500)
    assert np.abs(ours_n - ref_n).max() < 0.01
    assert ours.max() - ours.min() > 0.2        # the test land cover has contrasts
