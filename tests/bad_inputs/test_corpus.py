"""Every case of the bad-input corpus, through ``jumeau validate`` and ``jumeau run``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from corpus_cases import CASES

from jumeau.cli.main import main

#: English that must never appear in a French message (pydantic, click, GDAL, PyYAML).
ENGLISH = ("Input should", "Value error", "should be", "must be", "not found", "Invalid",
           "No such", "Missing", "Usage:", "Try '", "error:", "unable to", "cannot",
           "duplicate key", "found character")

RUNS = [(case, command) for case in CASES for command in case.commands]
# Cases that build their whole command line run once.
RUNS = [(c, cmd) for c, cmd in RUNS if cmd in ("validate", "run", "compare", "-")]


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its content (None for folders)."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def test_corpus_is_large_enough():
    """The corpus holds at least 60 distinct cases (the issue's floor)."""
    names = [case.name for case in CASES]
    assert len(names) == len(set(names)) and len(names) >= 60


@pytest.mark.parametrize(("case", "command"), RUNS,
                         ids=[f"{c.name}-{cmd}" for c, cmd in RUNS])
def test_bad_input(case, command, tmp_path, tiny_site, capsys):
    """The case exits with its code and French message (field, fix), no traceback, no
    output written or left behind."""
    folder = tmp_path / "case"
    folder.mkdir()
    args = case.build(folder, tiny_site, command)
    before = _snapshot(folder)
    code = main(["--lang", "fr", *args])
    stdout, err = capsys.readouterr()
    assert code == case.code, err
    assert "Traceback" not in err and "Error" not in err
    assert stdout == ""
    for fragment in case.fragments:
        assert fragment in err, (fragment, err)
    assert "→ solution" in err or case.code != 2, "no fix line"
    message = err[err.index("erreur :"):]
    assert not [w for w in ENGLISH if w in message], message
    assert _snapshot(folder) == before, "files were written or left behind"
