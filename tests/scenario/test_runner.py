"""The runner: outputs written all or nothing, reproducible, and the kinds' contract."""

from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import pytest
import yaml

from jumeau.cli.main import main
from jumeau.errors import JumeauError
from jumeau.scenario.runner import derive_seed, run
from jumeau.scenario.spec import read_scenario


def scenario_file(folder: Path, territory: Path, simulate: str = "exposure: {}",
                  name: str = "essai") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"name: {name}\ntitle: Essai\nterritory: {territory}\nseed: 5\n"
                    f"simulate:\n  {simulate}\n", encoding="utf-8")
    return path


def test_run_writes_every_output(tmp_path, tiny_site, capsys):
    """map.html, indicators (JSON, CSV), layers.gpkg, tables, resolved scenario."""
    spec = scenario_file(tmp_path, tiny_site)
    out = tmp_path / "out"
    assert main(["run", str(spec), "--out", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["scenario"] == "essai"
    names = sorted(p.name for p in out.iterdir())
    assert names == [".jumeau-output", "exposure_by_zone.csv", "indicators.csv",
                     "indicators.json", "layers.gpkg", "map.html", "report.html",
                     "scenario.resolved.yaml"]
    data = json.loads((out / "indicators.json").read_text())
    assert data["indicators"] == printed["indicators"]
    assert data["units"]["roads_exposed_km"] == "km"
    resolved = yaml.safe_load((out / "scenario.resolved.yaml").read_text())
    assert resolved["seed"] == 5 and resolved["versions"]["jumeau"]
    assert resolved["simulate"]["exposure"] == {"scenarios": None, "headline_scenario": None}
    layers = set(pyogrio.list_layers(out / "layers.gpkg")[:, 0])
    assert {"exposed_buildings", "exposed_roads", "flood_zones"} <= layers
    assert not list(tmp_path.glob(".out.partial*"))


def test_exposure_figures_on_the_tiny_site(tmp_path, tiny_site):
    """Known answer: the medium zone holds 8 houses + the school, 20 residents, 1 facility."""
    result = run(read_scenario(scenario_file(tmp_path, tiny_site)), write=False)
    ind = result.indicators()
    assert ind["buildings_exposed"] == 9
    assert ind["dwellings_exposed"] == 8
    assert ind["critical_facilities_exposed"] == 1        # the school, not the fire station
    # Cell c0 (20 people) holds 4 of the 8 exposed houses and 2 more dry ones… all houses
    # of a cell share its population equally (same floor area): 2 × (20/8 × 4)... computed:
    t = result.territory
    exposed = result.results["exposure"].buildings
    exposed = exposed[exposed["scenario"] == "moyen"]
    assert ind["residents_exposed"] == round(exposed["residents"].sum())
    assert exposed["residents"].sum() == pytest.approx(
        t.buildings["population"].to_numpy()[:8].sum())
    # Roads: the quay (560 m) in the 1-2 m class, and 2 × 70 m of street across the zones.
    by_zone = result.results["exposure"].by_zone.set_index(["scenario", "hazard"])
    assert by_zone.loc[("moyen", "fort"), "roads_km"] == pytest.approx(0.560 + 0.025, abs=1e-6)
    assert by_zone.loc[("moyen", "total"), "roads_km"] == pytest.approx(0.655, abs=1e-6)


def test_same_seed_same_outputs(tmp_path, tiny_site):
    """Two runs of one scenario give byte-identical indicators and maps."""
    spec = scenario_file(tmp_path, tiny_site)
    for name in ("a", "b"):
        assert main(["-q", "run", str(spec), "--out", str(tmp_path / name)]) == 0
    for f in ("indicators.json", "indicators.csv", "map.html", "exposure_by_zone.csv"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_failed_run_leaves_nothing(tmp_path, tiny_site, monkeypatch):
    """A failure while writing outputs leaves no file in the output folder."""
    from jumeau.io import outputs

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(outputs, "write_layers", broken)
    out = tmp_path / "out"
    with pytest.raises(OSError):
        run(read_scenario(scenario_file(tmp_path, tiny_site)), out_dir=out)
    assert not out.exists()
    assert not list(tmp_path.glob(".out.partial*"))


def test_missing_input_fails_early(tmp_path):
    """A kind lacking an input says what to add to the manifest (exit code 2)."""
    (tmp_path / "t").mkdir()
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tiny import write_tiny_site

    manifest = write_tiny_site(tmp_path / "t")
    text = manifest.read_text().split("  flood_zones:")[0] + \
        "  dem:         {path: mnt.tif}\n"
    manifest.write_text(text)
    with pytest.raises(JumeauError) as err:
        run(read_scenario(scenario_file(tmp_path, manifest)), write=False)
    message = err.value.render("en")
    assert "simulation 'exposure' needs flood zones" in message
    assert "add a `flood_zones:` layer to the territory manifest" in message


def test_derived_seeds_are_stable_and_distinct():
    """Seeds derived from (seed, name) are reproducible and differ between names."""
    assert derive_seed(42, "flood") == derive_seed(42, "flood")
    assert derive_seed(42, "flood") != derive_seed(42, "heat")
    assert derive_seed(42, "flood") != derive_seed(43, "flood")


def test_unknown_headline_scenario(tmp_path, tiny_site, capsys):
    """A flood-zone scenario the data does not have: named, with the available ones."""
    spec = scenario_file(tmp_path, tiny_site, simulate="exposure: {headline_scenario: moyn}")
    assert main(["--lang", "en", "run", str(spec), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "unknown flood-zone scenario 'moyn'" in err and "did you mean 'moyen'?" in err
    assert "line 6" in err and not (tmp_path / "o").exists()
