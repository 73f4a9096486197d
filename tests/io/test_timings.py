"""Durations of earlier demo runs: read back per file and content, never an error."""

from __future__ import annotations

import pytest

from jumeau.io.timings import read_timings, timings_path, write_timings


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
