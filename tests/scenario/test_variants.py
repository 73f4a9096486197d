"""Variants of one scenario, their comparison, `jumeau compare`, kinds that feed each other,
plugins — and the mistakes a user can make with them (exit 2, file, line, field, no output)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel, ConfigDict

from jumeau.cli.main import main
from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.scenario import kinds
from jumeau.scenario.runner import run
from jumeau.scenario.spec import read_scenario

FLOOD = {"duration_h": 0.5,
         "inflows": [{"point": [650300.0, 6600020.0],
                      "hydrograph": {"time_h": [0, 0.5], "discharge_m3s": [5, 5]}}],
         "outflow": {"east": None}}
STRONGER = {"flood": {"inflows": [{"point": [650300.0, 6600020.0],
                                   "hydrograph": {"time_h": [0, 0.5],
                                                  "discharge_m3s": [200, 200]}}]}}


def write(folder: Path, data: dict, name: str = "s.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def scenario(territory: Path, **extra) -> dict:
    return {"name": "crue", "title": "Crue", "territory": str(territory), "seed": 7,
            "simulate": {"flood": FLOOD}, **extra}


@pytest.fixture(scope="module")
def pair(tiny_site, tmp_path_factory):
    """A variants file (base, plus a stronger inflow) run once, with its outputs."""
    folder = tmp_path_factory.mktemp("pair")
    path = write(folder, scenario(tiny_site, variants={
        "base": None, "forte": {"title": "Débit ×40", "simulate": STRONGER}}))
    return run(read_scenario(path), out_dir=folder / "out"), folder


def test_variants_run_and_compare(pair):
    """Both variants run; the override is deep-merged (duration kept); more water is worse
    and the comparison says so."""
    result, _folder = pair
    assert list(result.variants) == ["base", "forte"]
    forte = result.scenario.variants["forte"].simulations["flood"]
    assert forte.duration_h == 0.5 and forte.inflows[0].hydrograph.discharge_m3s == [200, 200]
    delta = result.summary()["delta"]["forte"]
    base = result.variants["base"].indicators()
    strong = result.variants["forte"].indicators()
    assert delta["flooded_area_ha"] == pytest.approx(strong["flooded_area_ha"]
                                                     - base["flooded_area_ha"])
    assert delta["flooded_area_ha"] > 0
    vc = result.comparison.variants["forte"]
    area = next(c for c in vc.indicators if c.key == "flooded_area_ha")
    assert area.verdict == "worse"
    depth = next(g for g in vc.grids if g.key == "max_depth_m")
    assert depth.change is not None and (depth.change == 1).sum() > 0  # newly flooded cells
    assert (depth.change == -1).sum() == 0                               # none dried


def test_variant_outputs_are_laid_out(pair):
    """<variant>/ folders with their own files, comparaison/ with the deltas, grids, map
    and report."""
    result, folder = pair
    out = folder / "out"
    for v in ("base", "forte"):
        assert (out / v / "indicators.json").is_file() and (out / v / "map.html").is_file()
        data = json.loads((out / v / "indicators.json").read_text())
        assert data["variant"] == v
    comp = json.loads((out / "comparaison" / "indicators.json").read_text())
    assert comp["baseline"] == "base" and comp["delta"] == result.summary()["delta"]
    assert comp["better"]["damage_eur"] == "lower"
    assert (out / "comparaison" / "forte" / "max_depth_m_difference.tif").is_file()
    report = (out / "comparaison" / "report.html").read_text()
    assert "Crue" in report and "data:image/png;base64," in report and "moins bien" in report
    page = (out / "comparaison" / "map.html").read_text()
    assert page.count("<iframe") == 2 and "jumeau-map" not in page.split("<iframe")[0][:0]


def test_json_of_a_variants_run(pair, tiny_site, tmp_path, capsys):
    """`jumeau run --json` prints scenario, baseline, variants and delta."""
    _, folder = pair
    assert main(["run", str(folder / "s.yaml"), "--json", "--out", str(tmp_path / "o")]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"scenario", "baseline", "variants", "delta"}
    assert printed["baseline"] == "base" and set(printed["delta"]) == {"forte"}


def test_compare_equals_the_variants_file(pair, tiny_site, tmp_path, capsys):
    """`jumeau compare a.yaml b.yaml` gives the comparison of the equivalent variants file."""
    result, _ = pair
    a = write(tmp_path, scenario(tiny_site) | {"name": "base"}, "a.yaml")
    strong = json.loads(json.dumps(FLOOD))
    strong["inflows"] = STRONGER["flood"]["inflows"]
    b = write(tmp_path, scenario(tiny_site) | {"name": "forte", "simulate": {"flood": strong}},
              "b.yaml")
    assert main(["compare", str(a), str(b), "--json", "--out", str(tmp_path / "c")]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["baseline"] == "base"
    assert printed["delta"] == result.summary()["delta"]
    assert printed["variants"] == result.summary()["variants"]
    assert (tmp_path / "c" / "comparaison" / "report.html").is_file()


def test_a_file_without_variants_prints_as_before(tiny_site, tmp_path, capsys):
    """No `variants:`: the JSON has `scenario` and `indicators` only, files at the top."""
    path = write(tmp_path, scenario(tiny_site))
    assert main(["run", str(path), "--json", "--out", str(tmp_path / "o")]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {"scenario", "indicators"}
    assert (tmp_path / "o" / "map.html").is_file()
    assert not (tmp_path / "o" / "comparaison").exists()


# -- mistakes ------------------------------------------------------------------------

def refused(argv: list[str], out: Path, capsys, *fragments: str) -> str:
    """Run the CLI in English; exit 2, the fragments in the message, no output written."""
    assert main(["--lang", "en", *argv]) == 2
    err = capsys.readouterr().err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    assert "Traceback" not in err
    assert not out.exists()
    return err


@pytest.mark.parametrize("name", ["avec mur", "a/b", "comparaison", "-x"])
def test_variant_name_must_be_a_folder_name(name, tiny_site, tmp_path, capsys):
    """A variant name that is not a valid folder name is refused with its line."""
    path = write(tmp_path, scenario(tiny_site, variants={"base": None, name: None}))
    out = tmp_path / "o"
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1)
                if t.strip().startswith(f"{name}:") or t.strip().startswith(f"'{name}':"))
    refused(["run", str(path), "--out", str(out)], out, capsys, f"variants.{name}",
            f"line {line}", "folder")


def test_override_of_an_unknown_key(tiny_site, tmp_path, capsys):
    """A variant overriding a key the kind does not have: the variant's line and field."""
    path = write(tmp_path, scenario(tiny_site, variants={
        "base": None, "b": {"simulate": {"flood": {"duraton_h": 2}}}}))
    out = tmp_path / "o"
    err = refused(["run", str(path), "--out", str(out)], out, capsys,
                  "variants.b.simulate.flood.duraton_h", "did you mean 'duration_h'")
    line = next(i for i, t in enumerate(path.read_text().splitlines(), 1) if "duraton_h" in t)
    assert f"line {line}" in err


def test_compare_on_different_territories(tiny_site, tmp_path, capsys):
    """Comparing scenarios of two territories is refused."""
    a = write(tmp_path, scenario(tiny_site) | {"name": "a"}, "a.yaml")
    b = write(tmp_path, scenario(tiny_site) | {"name": "b", "territory": "demo",
                                               "simulate": {"exposure": {}}}, "b.yaml")
    out = tmp_path / "o"
    refused(["compare", str(a), str(b), "--out", str(out)], out, capsys,
            "not on the same territory", "b.yaml")


def test_measure_that_affects_no_kind(tiny_site, tmp_path, capsys):
    """A flood wall in a scenario that runs only the exposure overlay is refused."""
    path = write(tmp_path, scenario(tiny_site) | {"simulate": {"exposure": {}}, "measures": [
        {"type": "wall", "line": [[650100, 6600050], [650300, 6600050]],
         "crest_height_m": 1}]})
    out = tmp_path / "o"
    refused(["run", str(path), "--out", str(out)], out, capsys, "measures.0",
            "affects none of the scenario's simulations", "it affects: flood")


# -- kinds that feed each other, plugins ---------------------------------------------

class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float = 1.0


@dataclass(frozen=True)
class _Result:
    kind: str
    value: float
    seen: dict = field(default_factory=dict)
    seed: int = 0
    notes: tuple = ()

    def indicators(self):
        return {"total": self.value}

    def rasters(self):
        return {}

    def layers(self):
        return {}

    def tables(self):
        return {}

    def series(self):
        return {}

    def context(self):
        return {}


def _kind(name: str, uses: tuple[str, ...] = ()) -> kinds.Kind:
    def simulate(territory, params, *, seed=0, inputs=None):
        got = sum(float(v) for v in (inputs or {}).values())
        return _Result(name, params.value + got, dict(inputs or {}), seed)

    return kinds.Kind(name=name, title=Text(name, name), params=_Params, simulate=simulate,
                      outputs=(kinds.Output.indicator("total", "", Text("total", "total"),
                                                      "a number", headline=True),),
                      uses=uses, method=Text("m", "m"), limits=Text("l", "l"),
                      uncertainty=Text("u", "u"))


@pytest.fixture
def fake_kinds(monkeypatch):
    """Three test kinds: `source`, `user` (uses source.total), and a cycle `ping`/`pong`."""
    table = {k.name: k for k in (_kind("source"), _kind("user", ("source.total",)),
                                 _kind("ping", ("pong.total",)), _kind("pong", ("ping.total",)))}
    monkeypatch.setattr(kinds, "_kinds", lambda: table)
    return table


def test_a_kind_gets_what_it_uses(fake_kinds, tiny_site, tmp_path):
    """The runner runs the producer first and hands its output to the user."""
    path = write(tmp_path, {"name": "f", "territory": str(tiny_site),
                            "simulate": {"user": {"value": 2}, "source": {"value": 5}}})
    s = read_scenario(path)
    assert list(s.simulations) == ["source", "user"]
    result = run(s, write=False)
    assert result.results["user"].seen == {"source.total": 5.0}
    assert result.indicators()["user.total"] == 7.0   # names two kinds share are prefixed


def test_every_variant_gets_the_same_seeds(fake_kinds, tiny_site, tmp_path):
    """A kind's seed derives from the scenario's seed and the kind, not the variant: a
    variant differs from the baseline by its choices only."""
    from jumeau.scenario.runner import derive_seed

    path = write(tmp_path, {"name": "f", "territory": str(tiny_site), "seed": 11,
                            "simulate": {"source": {}},
                            "variants": {"a": None, "b": {"simulate": {"source": {"value": 2}}}}})
    runs = run(read_scenario(path), write=False).variants
    seeds = {v: r.results["source"].seed for v, r in runs.items()}
    assert seeds == {"a": derive_seed(11, "source"), "b": derive_seed(11, "source")}
    assert derive_seed(11, "source") != derive_seed(12, "source")


def test_a_user_without_its_producer(fake_kinds, tiny_site, tmp_path):
    """Naming a producer the scenario does not run: file, line, field and the fix."""
    path = write(tmp_path, {"name": "f", "territory": str(tiny_site),
                            "simulate": {"user": {"uses": ["source.total"]}}})
    with pytest.raises(JumeauError) as err:
        read_scenario(path)
    text = err.value.render("en")
    assert "does not run 'source'" in text and "simulate.user.uses.0" in text
    assert err.value.line == next(i for i, t in enumerate(path.read_text().splitlines(), 1)
                                  if "uses" in t)


def test_a_cycle_is_refused(fake_kinds, tiny_site, tmp_path):
    """ping uses pong which uses ping: refused, naming the cycle."""
    path = write(tmp_path, {"name": "f", "territory": str(tiny_site),
                            "simulate": {"ping": {}, "pong": {}}})
    with pytest.raises(JumeauError) as err:
        read_scenario(path)
    assert "cycle between simulations: ping → pong → ping" in err.value.render("en")
    assert err.value.line is not None


def test_a_plugin_that_fails_to_import(monkeypatch, tiny_site, tmp_path, capsys):
    """A broken plugin is reported with its name and cause (exit 2), never skipped."""
    broken = EntryPoint(name="broken", value="jumeau_no_such_module:KIND", group="jumeau.kinds")
    real = kinds.entry_points
    monkeypatch.setattr(kinds, "entry_points", lambda group: (
        [broken, *real(group=group)] if group == "jumeau.kinds" else real(group=group)))
    kinds.reset()
    try:
        path = write(tmp_path, scenario(tiny_site))
        out = tmp_path / "o"
        refused(["run", str(path), "--out", str(out)], out, capsys,
                "plugin 'broken'", "jumeau_no_such_module", "ModuleNotFoundError")
    finally:
        monkeypatch.undo()
        kinds.reset()
