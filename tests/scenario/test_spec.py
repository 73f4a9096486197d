"""Scenario files: validation, and a clear message for each kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from jumeau.cli.main import main
from jumeau.scenario.spec import read_scenario

GOOD = """name: crue-test
title: "Crue : quels bâtiments ?"
territory: {territory}
seed: 7
measures: []
simulate:
  exposure:
    headline_scenario: moyen
"""


def write(folder: Path, text: str, name: str = "s.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def good(tmp_path, tiny_site) -> str:
    return GOOD.format(territory=str(tiny_site))


def test_valid_scenario_resolves_defaults(tmp_path, good):
    """A valid file gives typed parameters with every default filled in."""
    s = read_scenario(write(tmp_path, good))
    assert s.name == "crue-test" and s.spec.seed == 7
    resolved = s.resolved()
    assert resolved["simulate"]["exposure"] == {"scenarios": None, "headline_scenario": "moyen"}
    assert read_scenario(write(tmp_path, good), seed=3).spec.seed == 3


MISTAKES = {
    "typo at top level": (
        lambda g: g.replace("seed: 7", "seeed: 7"),
        ["line 4", "unknown key 'seeed'", "did you mean 'seed'?"]),
    "wrong type": (
        lambda g: g.replace("seed: 7", "seed: seven"),
        ["line 4", "field 'seed'", "must be a whole number", "(value read: seven)"]),
    "negative seed": (
        lambda g: g.replace("seed: 7", "seed: -7"),
        ["line 4", "field 'seed'", "greater than or equal to 0"]),
    "unknown simulation kind": (
        lambda g: g.replace("  exposure:", "  exposur:"),
        ["line 7", "unknown simulation kind 'exposur'", "did you mean 'exposure'?"]),
    "typo in simulation parameter": (
        lambda g: g.replace("headline_scenario", "headline_scenaro"),
        ["line 8", "field 'simulate.exposure.headline_scenaro'",
         "did you mean 'headline_scenario'?"]),
    "wrong type in simulation parameter": (
        lambda g: g.replace("headline_scenario: moyen", "scenarios: moyen"),
        ["line 8", "field 'simulate.exposure.scenarios'", "must be a list"]),
    "missing name": (
        lambda g: g.replace("name: crue-test\n", ""),
        ["field 'name'", "required field missing", "add 'name: …'"]),
    "name unusable as a folder": (
        lambda g: g.replace("name: crue-test", "name: ../crue test"),
        ["line 1", "field 'name'", "characters that are not allowed", "it names a folder"]),
    "missing territory file": (
        lambda g: g.replace("territory: ", "territory: nowhere/").split("\n", 3)[0] + "\n"
        + "\n".join(g.replace("territory: ", "territory: ./nowhere-").split("\n")[1:]),
        ["line 3", "field 'territory'", "territory not found"]),
    "nothing to simulate": (
        lambda g: g.split("simulate:")[0] + "simulate: {}\n",
        ["field 'simulate'", "too few items (at least 1"]),
    "unknown measure type": (
        lambda g: g.replace("measures: []", "measures:\n  - {type: mur}"),
        ["line 6", "unknown measure type 'mur'"]),
    "measure without type": (
        lambda g: g.replace("measures: []", "measures:\n  - {height_m: 1}"),
        ["line 6", "every measure needs a `type`"]),
    "invalid YAML": (
        lambda g: g.replace("measures: []", "measures: [\n  - a: b: c"),
        ["invalid YAML", "line 6"]),
    "not a mapping": (lambda g: "- just\n- a list\n", ["must be a YAML mapping"]),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
@pytest.mark.parametrize("command", ["validate", "run"])
def test_mistakes_give_clear_messages_and_no_output(tmp_path, good, capsys, case, command):
    """Each mistake: exit 2, file + line + field + fix, no traceback, no output files."""
    change, expected = MISTAKES[case]
    spec = write(tmp_path, change(good))
    out = tmp_path / "out"
    args = ["--lang", "en", command, str(spec)] + (["--out", str(out)] if command == "run"
                                                   else [])
    code = main(args)
    stdout, err = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in err and stdout == ""
    assert f"file {spec}" in err
    for piece in expected:
        assert piece in err, (piece, err)
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.partial")]


def test_missing_scenario_file(tmp_path, capsys):
    """A scenario file that does not exist."""
    code = main(["--lang", "en", "validate", str(tmp_path / "nope.yaml")])
    assert code == 2 and "file not found" in capsys.readouterr().err


def test_french_messages(tmp_path, good, capsys):
    """Messages are French by default."""
    spec = write(tmp_path, good.replace("seed: 7", "seeed: 7"))
    assert main(["validate", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "ligne 4" in err and "clé inconnue « seeed »" in err and "vouliez-vous dire" in err


def test_validate_ok(tmp_path, good, capsys):
    """A valid file: exit 0 and a one-line confirmation."""
    assert main(["--lang", "en", "validate", str(write(tmp_path, good))]) == 0
    assert "valid ('crue-test', simulations: exposure)" in capsys.readouterr().out
