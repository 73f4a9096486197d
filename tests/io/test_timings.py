"""Durations of earlier demo runs: read back per file and content, never an error."""

from __future__ import annotations

import json

import pytest

from jumeau.io.timings import (
    REFERENCE,
    read_timings,
    reference_key,
    timings_path,
    write_reference,
    write_timings,
)


@pytest.fixture
def scenarios(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("name: a\n")
    b.write_text("name: b\n")
    return a, b


def test_round_trip_and_edits(tmp_path, scenarios):
    """Durations come back for the files recorded; an edited file has none; later
    records keep the earlier ones."""
    a, b = scenarios
    file = tmp_path / "cache" / "timings.json"
    write_timings({a: 12.345}, file)
    write_timings({b: 3.0}, file)
    assert read_timings([a, b], file) == {a: 12.35, b: 3.0}
    a.write_text("name: a\nseed: 2\n")
    assert read_timings([a, b], file) == {b: 3.0}


def test_bad_or_missing_file_is_no_error(tmp_path, scenarios):
    """A missing or corrupt file gives no durations; an unwritable place writes nothing,
    leaves no temporary file and raises nothing."""
    a, _ = scenarios
    assert read_timings([a], tmp_path / "none.json") == {}
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert read_timings([a], bad) == {}
    write_timings({a: 1.0}, bad)  # replaced by a good file
    assert read_timings([a], bad) == {a: 1.0}
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be")
    write_timings({a: 1.0}, blocker / "jumeau" / "timings.json")
    assert blocker.read_text() == "a file where the cache folder should be"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml", "b.yaml", "bad.json",
                                                          "blocker"]


def test_path_follows_xdg_cache_home(monkeypatch, tmp_path):
    """The file sits in $XDG_CACHE_HOME/jumeau."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert timings_path() == tmp_path / "jumeau" / "timings.json"


def test_reference_stands_in_scaled_to_this_machine(tmp_path, scenarios):
    """A file not timed here takes its reference duration, times the median ratio of
    this machine's durations to the reference's; a local duration wins; an edited file
    has no reference."""
    a, b = scenarios
    c = tmp_path / "c.yaml"
    c.write_text("name: c\n")
    file = tmp_path / "timings.json"
    reference = tmp_path / "reference.json"
    write_timings({a: 10.0}, file)
    write_reference([a], file, reference)  # the reference machine timed a only
    assert read_timings([a, b], tmp_path / "none.json", reference) == {a: 10.0}
    reference.write_text(f'{{"{reference_key(a)}": 5.0, "{reference_key(b)}": 40.0, '
                         f'"{reference_key(c)}": 8.0}}')
    # this machine is twice as slow as the reference on a, the only file timed on both
    assert read_timings([a, b, c], file, reference) == {a: 10.0, b: 80.0, c: 16.0}
    assert read_timings([a, b], file, None) == {a: 10.0}
    b.write_text("name: b\nseed: 3\n")
    assert read_timings([a, b, c], file, reference) == {a: 10.0, c: 16.0}


def test_reference_covers_the_demo_as_it_is():
    """Every scenario ``jumeau demo`` runs has a reference duration for its current
    content, so that a newcomer's first run starts the longest ones first."""
    from jumeau.io.demo import scenarios_path
    from jumeau.scenario.spec import read_scenario

    demo = [f for f in sorted(scenarios_path().glob("*.yaml"))
            if (s := read_scenario(f)).spec.territory == "demo" and s.risk is None]
    known = json.loads(REFERENCE.read_text(encoding="utf-8"))
    stale = [f.name for f in demo if reference_key(f) not in known]
    assert len(demo) >= 10
    assert not stale, (f"{stale}: no reference duration for this content; run `jumeau "
                       "demo`, then `python -m jumeau.io.timings`")
