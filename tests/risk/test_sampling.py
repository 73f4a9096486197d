"""Latin hypercube members (jumeau.risk.sampling): coverage, reproducibility, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from jumeau.errors import JumeauError
from jumeau.risk.sampling import (
    Member,
    Normal,
    Percent,
    Triangular,
    Uniform,
    apply_member,
    draw_member,
    draw_members,
    member_seed,
    parse_inputs,
)
from jumeau.scenario.runner import derive_seed

INPUTS = parse_inputs({
    "flood.inflows.0.hydrograph.discharge_m3s": {"scale_pct": 20},
    "flood.manning.default": {"min": 0.03, "max": 0.08},
    "flood.duration_h": {"min": 5, "mode": 6, "max": 8},
    "heatwave.day.uhi_max_c": {"mean": 3, "sd": 0.5},
    "heatwave.day.t_ref_c": {"value": 30, "scale_pct": 5},
})


def test_parsed_forms():
    """Each scenario form gives its distribution."""
    kinds = [type(d) for d in INPUTS.values()]
    assert kinds == [Percent, Uniform, Triangular, Normal, Percent]
    assert INPUTS["flood.inflows.0.hydrograph.discharge_m3s"].relative
    assert not INPUTS["heatwave.day.t_ref_c"].relative
    assert INPUTS["heatwave.day.uhi_max_c"].bounds() == (1.5, 4.5)


@pytest.mark.parametrize("n", [7, 20])
def test_members_cover_each_range_one_per_stratum(n):
    """Every input's N equal-probability strata hold exactly one member each."""
    members = draw_members(INPUTS, n, seed=42)
    cdfs = {
        "flood.inflows.0.hydrograph.discharge_m3s": stats.uniform(0.8, 0.4).cdf,
        "flood.manning.default": stats.uniform(0.03, 0.05).cdf,
        "flood.duration_h": stats.triang(c=1 / 3, loc=5, scale=3).cdf,
        "heatwave.day.uhi_max_c": stats.truncnorm(-3, 3, loc=3, scale=0.5).cdf,
        "heatwave.day.t_ref_c": stats.uniform(28.5, 3).cdf,
    }
    for path, cdf in cdfs.items():
        values = np.array([m.values[path] for m in members])
        lo, hi = INPUTS[path].bounds()
        assert np.all((values >= lo) & (values <= hi))
        strata = np.floor(cdf(values) * n + 1e-9).astype(int)
        assert sorted(strata.tolist()) == list(range(n)), path


def test_member_alone_and_seeds():
    """Member i rebuilt alone equals the ensemble's; seeds derive from spec seed and index."""
    members = draw_members(INPUTS, 10, seed=42)
    assert draw_member(INPUTS, 10, 42, 6) == members[6]
    assert members[3].seed == member_seed(42, 3) == derive_seed(42, "member", "3")
    assert draw_members(INPUTS, 10, seed=42) == members
    assert draw_members(INPUTS, 10, seed=43)[0].values != members[0].values
    assert len({m.seed for m in members}) == 10


def test_apply_member_scales_sets_and_uses_defaults():
    """A member's draws scale lists, replace numbers and reach defaults left unwritten."""
    block = {"flood": {"duration_h": 6, "inflows": [
        {"hydrograph": {"time_h": [0, 2], "discharge_m3s": [70, 360]}}]}}
    inputs = parse_inputs({"flood.inflows.0.hydrograph.discharge_m3s": {"scale_pct": 20},
                           "flood.manning.default": {"min": 0.03, "max": 0.08},
                           "flood.thresholds.car_m": {"scale_pct": 10}})
    member = Member(0, 1, {"flood.inflows.0.hydrograph.discharge_m3s": 1.1,
                           "flood.manning.default": 0.04, "flood.thresholds.car_m": 0.5})
    out = apply_member(block, inputs, member,
                       defaults={"flood": {"thresholds": {"car_m": 0.3}}})
    assert out["flood"]["inflows"][0]["hydrograph"]["discharge_m3s"] == pytest.approx([77, 396])
    assert out["flood"]["manning"] == {"default": 0.04}
    assert out["flood"]["thresholds"]["car_m"] == pytest.approx(0.15)
    assert block["flood"]["inflows"][0]["hydrograph"]["discharge_m3s"] == [70, 360]


def test_apply_member_unknown_path():
    """A path that leads nowhere names the uncertain field and the missing key."""
    inputs = parse_inputs({"flood.inflows.3.hydrograph.discharge_m3s": {"scale_pct": 20}})
    with pytest.raises(JumeauError) as info:
        apply_member({"flood": {"inflows": []}}, inputs,
                     Member(0, 0, {"flood.inflows.3.hydrograph.discharge_m3s": 1.0}))
    assert info.value.field == "uncertain.flood.inflows.3.hydrograph.discharge_m3s"


@pytest.mark.parametrize("spec, field, words", [
    ({"min": 0.08, "max": 0.03}, "uncertain.x.min", "above the maximum"),
    ({"min": 5, "mode": 9, "max": 8}, "uncertain.x.mode", "mode"),
    ({"mean": 3, "sd": 0}, "uncertain.x.sd", "bad distribution"),
    ({"mean": 3, "sd": 1, "min": 4, "max": 2}, "uncertain.x.min", "above the maximum"),
    ({"scale_pct": 120}, "uncertain.x.scale_pct", "bad distribution"),
    ({"low": 1, "high": 2}, "uncertain.x", "bad distribution"),
    (0.05, "uncertain.x", "range or a distribution"),
])
def test_bad_distributions(spec, field, words):
    """min > max and other malformed distributions name the field and the fix."""
    with pytest.raises(JumeauError) as info:
        parse_inputs({"x": spec})
    assert info.value.field.startswith(field)
    assert words in info.value.render("en")
