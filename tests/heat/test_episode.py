"""Heatwave days (Météo-France IBM), the NWS heat index and the diurnal cycle."""

from __future__ import annotations

import numpy as np
import pytest

from jumeau.heat import episode


def test_heatwave_days_need_both_three_day_means():
    """A day counts when a 3-day window has mean Tmin and mean Tmax at the thresholds."""
    tmin = np.array([19, 21, 22, 21, 19, 22, 22, 22.0])
    tmax = np.array([30, 32, 33, 31, 32, 30, 30, 30.0])
    # Windows: (1-3) means 20.67/31.67 no; (2-4) 21.33/32 yes; (3-5) 20.67 no;
    # (5-7) Tmin 21 but Tmax 30.67 no; (6-8) Tmax 30 no.
    assert episode.heatwave_days(tmin, tmax, 21, 31).tolist() == [
        False, True, True, True, False, False, False, False]


def test_short_episode_has_no_heatwave_day():
    """Fewer than three days cannot make a 3-day window."""
    assert not episode.heatwave_days(np.array([25, 25.0]), np.array([40, 40.0]), 21, 31).any()


def test_reference_episodes_reach_their_thresholds():
    """The 2003-like weeks are heatwaves under their département's thresholds."""
    for ref in episode.REFERENCE_EPISODES.values():
        _, lo, hi = episode.THRESHOLDS[ref.departement]
        assert episode.heatwave_days(np.array(ref.tmin_c), np.array(ref.tmax_c), lo, hi).all()
        assert len(ref.dates) == len(ref.tmin_c) == len(ref.tmax_c)
        assert all(a <= b for a, b in zip(ref.tmin_c, ref.tmax_c))


def test_thresholds_of_the_issue():
    """Paris 21 / 31 °C and Rhône 20 / 34 °C."""
    assert episode.THRESHOLDS["75"][1:] == (21.0, 31.0)
    assert episode.THRESHOLDS["69"][1:] == (20.0, 34.0)


def test_heat_index_matches_the_nws_table():
    """90 °F at 60 % is 100 °F in the NWS table (within 1 °F); 100 °F at 40 % is 109 °F."""
    f = lambda c: c * 1.8 + 32
    assert f(episode.heat_index_c((90 - 32) / 1.8, 60)) == pytest.approx(100, abs=1)
    assert f(episode.heat_index_c((100 - 32) / 1.8, 40)) == pytest.approx(109, abs=1)


def test_heat_index_is_refused_outside_its_validity_range():
    """Below 26.7 °C or under 40 % humidity the heat index is NaN."""
    hi = episode.heat_index_c(np.array([25.0, 30.0, 30.0]), np.array([60.0, 30.0, 60.0]))
    assert np.isnan(hi[0]) and np.isnan(hi[1]) and np.isfinite(hi[2])


def test_diurnal_cycle_reaches_the_minimum_and_maximum():
    """The hourly weight is 0 at 05:00 and 1 at 16:00 each day, within [0, 1]."""
    w, night, day = episode.hourly_weights(3)
    assert w[5] == pytest.approx(0) and w[16] == pytest.approx(1)
    assert w[24 + 5] == pytest.approx(0) and w[24 + 16] == pytest.approx(1)
    assert w.min() >= 0 and w.max() <= 1
    assert night[17] == 1 and day[17] == 0 and night[3] == 0 and day[24 + 3] == 0
