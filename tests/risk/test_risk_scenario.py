"""Risk scenarios end to end on the tiny territory: events, members, costs, outputs, and
bad input (exit code 2 with the field and the fix)."""

from __future__ import annotations

import json
import socket

import pytest
import yaml

from jumeau.cli.main import main
from jumeau.scenario.engine import Engine
from jumeau.scenario.runner import run
from jumeau.scenario.spec import read_scenario

X0, Y0 = 650_000.0, 6_600_000.0
INFLOW = {"point": [650300.0, 6600020.0]}


def _event(q):
    return {"flood": {"inflows": [{**INFLOW, "hydrograph": {"time_h": [0, 0.5],
                                                            "discharge_m3s": [q, q]}}]}}


def scenario_file(tmp_path, tiny_site, **changes):
    """A flood risk scenario on the tiny site: Q10 and Q100, a wall along the river."""
    data = {
        "name": "risque-essai", "title": "Risque", "territory": str(tiny_site), "seed": 3,
        "simulate": {"flood": {"duration_h": 0.5, "outflow": {"east": None},
                               **_event(150.0)["flood"]}},
        "events": [{"name": "Q10", "annual_probability": 0.1, "simulate": _event(100.0)},
                   {"name": "Q100", "annual_probability": 0.01}],
        "variants": {
            "sans-mur": {},
            "avec-mur": {"measures": [{"type": "wall", "line": [[X0 + 20, Y0 + 48],
                                                                [X0 + 580, Y0 + 48]],
                                       "crest_height_m": 1.0}],
                         "cost": {"investment_eur": 20000, "upkeep_eur_per_year": 100,
                                  "lifetime_years": 30}}},
    }
    data.update(changes)
    path = tmp_path / "risque.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def test_ead_of_a_flood_pair_by_hand(tmp_path, tiny_site):
    """Without uncertainty, each variant's EAD is the trapezoid of its two floods' damage,
    and the wall's cost–benefit follows from the two EADs."""
    result = run(read_scenario(scenario_file(tmp_path, tiny_site)), write=False,
                 engine=Engine(workers=1))
    for v in ("sans-mur", "avec-mur"):
        vr = result.risk.variants[v]
        d10 = vr.per_event["Q10"]["damage_eur"].median
        d100 = vr.per_event["Q100"]["damage_eur"].median
        # (0.1 − 0.01)(D10 + D100)/2 + 0.01 D100 (rare tail held)
        assert vr.annual["damage_eur"].median == pytest.approx(
            0.09 * (d10 + d100) / 2 + 0.01 * d100)
        assert vr.annual["damage_eur"].width == 0
    base = result.risk.variants["sans-mur"]
    assert base.per_event["Q100"]["damage_eur"].median > base.per_event["Q10"][
        "damage_eur"].median > 0
    cb = result.risk.cost_benefit["avec-mur"]
    avoided = (base.annual["damage_eur"].median
               - result.risk.variants["avec-mur"].annual["damage_eur"].median)
    assert cb.ead_avoided_eur_per_year.tolist() == pytest.approx([avoided])
    factor = sum(1.025 ** -t for t in range(1, 31))
    assert cb.npv_eur.tolist() == pytest.approx([avoided * factor - 20000 - 100 * factor])


def test_members_outputs_and_report(tmp_path, tiny_site, capsys):
    """With members: bands, EAD per building, probability grids, PAPI table in the
    comparison report, and the risk figures in --json."""
    spec = scenario_file(tmp_path, tiny_site, members=3, uncertain={
        "flood.inflows.0.hydrograph.discharge_m3s": {"scale_pct": 30},
        "damage_scale": {"min": 0.5, "max": 1.5}})
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--json", "--workers", "1"]) == 0
    risk = json.loads(capsys.readouterr().out)["risk"]
    assert risk["members"] == 3 and risk["runs"] == 12
    band = risk["variants"]["sans-mur"]["annual"]["damage_eur"]
    assert band["p5"] < band["p50"] < band["p95"]
    assert set(risk["cost_benefit"]) == {"avec-mur"}
    assert [i["input"] for i in risk["sensitivity"]["inputs"]] != []
    files = sorted(p.name for p in (out / "risque").iterdir())
    assert {"risk.json", "risk.csv", "ead.gpkg", "map.html",
            "probability_sans-mur_Q100_max_depth_m.tif"} <= set(files)
    report = (out / "comparaison" / "report.html").read_text()
    assert "Analyse coûts–bénéfices (présentation PAPI)" in report
    assert "Valeur actualisée nette" in report and "rapport Quinet" in report
    import geopandas as gpd

    ead = gpd.read_file(out / "risque" / "ead.gpkg", layer="ead_buildings_sans-mur")
    assert (ead["damage_eur_per_year_p50"] >= 0).all() and len(ead) > 0


@pytest.mark.parametrize("changes, field, words", [
    ({"events": [{"name": "Q10", "annual_probability": 1.5},
                 {"name": "Q100", "annual_probability": 0.01}]},
     "events.0.annual_probability", "strictly between 0 and 1"),
    ({"events": [{"name": "Q100", "annual_probability": 0.01},
                 {"name": "Q10", "annual_probability": 0.1}]},
     "events.1.annual_probability", "from the most frequent to the rarest"),
    ({"events": [{"name": "Q100", "annual_probability": 0.01}]},
     "events", "at least two events"),
    ({"uncertain": {"flood.manning.default": {"min": 0.08, "max": 0.03}}},
     "uncertain.flood.manning.default.min", "above the maximum"),
    ({"members": 0}, "members", ""),
])
def test_bad_risk_input_exit_code_2(tmp_path, tiny_site, capsys, changes, field, words):
    """Bad probabilities, one event, min > max: exit code 2, the field and the fix."""
    spec = scenario_file(tmp_path, tiny_site, **changes)
    assert main(["--lang", "en", "validate", str(spec)]) == 2
    err = capsys.readouterr().err
    assert field in err and words in err and "risque.yaml" in err


def test_unreachable_scheduler_exit_code_2(tmp_path, tiny_site, capsys):
    """An unreachable --scheduler: exit code 2, the address and how to start one."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    spec = scenario_file(tmp_path, tiny_site)
    address = f"tcp://127.0.0.1:{port}"
    assert main(["--lang", "en", "run", str(spec), "--out", str(tmp_path / "o"),
                 "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert address in err and "dask scheduler" in err
    assert not (tmp_path / "o").exists()
