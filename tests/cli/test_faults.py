"""Faults around a real ``jumeau run`` subprocess: signals mid-simulation and mid-write,
SIGKILL then the next run, two runs into one folder at once.

The runs write slowly on request (``JUMEAU_TEST_SLOW_WRITE``: each staged file waits
0.4 s and is logged to that file), so that a signal surely lands while files are written.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

LAUNCHER = """
import os, sys, time
log = os.environ.get("JUMEAU_TEST_SLOW_WRITE")
if log:
    from jumeau.io import outputs
    real = outputs.Staging.path
    def slow(self, name):
        with open(log, "a") as f:
            f.write(name + "\\n")
        time.sleep(0.4)
        return real(self, name)
    outputs.Staging.path = slow
from jumeau.cli.main import main
sys.exit(main(sys.argv[1:]))
"""

SCENARIO = """\
name: panne
territory: {territory}
seed: 1
simulate:
{simulate}"""
EXPOSURE = "  exposure: {}\n"
FLOOD = """\
  flood:
    duration_h: 24
    inflows:
      - point: [650300.0, 6600020.0]
        hydrograph: {time_h: [0, 24], discharge_m3s: [20, 20]}
    outflow: {east: null}
"""


def start(tmp_path: Path, simulate: str, *extra: str, slow_log: Path | None = None
          ) -> subprocess.Popen:
    spec = tmp_path / "s.yaml"
    if not spec.exists():
        spec.write_text(SCENARIO.format(territory=TINY[0], simulate=simulate), encoding="utf-8")
    env = {**os.environ, "OMP_NUM_THREADS": "1", "NUMBA_NUM_THREADS": "1"}
    env.pop("JUMEAU_TEST_SLOW_WRITE", None)
    if slow_log is not None:
        env["JUMEAU_TEST_SLOW_WRITE"] = str(slow_log)
    return subprocess.Popen(
        [sys.executable, "-c", LAUNCHER, "--lang", "fr", "run", str(spec), "--out",
         str(tmp_path / "out"), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=env)


TINY: list[Path] = []


@pytest.fixture(autouse=True)
def _tiny(tiny_site):
    TINY[:] = [tiny_site]


def wait_for(predicate, timeout_s: float = 120.0) -> None:
    end = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.05)


def wait_for_line(proc: subprocess.Popen, text: str, timeout_s: float = 120.0) -> list[str]:
    """Read stderr until a line holds ``text``; the lines read."""
    lines = []
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"{text!r} never came: {''.join(lines)}")


def leftovers(tmp_path: Path) -> list[str]:
    """Staging folders, lock files or probes left next to the output folder."""
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".out", ".jumeau")))


@pytest.mark.parametrize(("sig", "code", "name"), [(signal.SIGINT, 130, "SIGINT"),
                                                   (signal.SIGTERM, 143, "SIGTERM")])
def test_signal_mid_simulation(tmp_path, sig, code, name):
    """A signal during the simulation: its exit code, one line, no output, no leftover."""
    proc = start(tmp_path, FLOOD)
    wait_for_line(proc, "simulation « flood » : ")
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code
    assert f"interrompu ({name}) : arrêt sans écrire de sortie partielle" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_mid_write(tmp_path, sig, code):
    """A signal while the output files are written: nothing appears, the staging folder
    is removed, and a previous output is left as it was."""
    previous = tmp_path / "out"
    previous.mkdir()
    (previous / ".jumeau-output").write_text("jumeau\n")
    (previous / "indicators.json").write_text('{"ancien": true}\n')
    log = tmp_path / "written.log"
    proc = start(tmp_path, EXPOSURE, slow_log=log)
    wait_for(lambda: log.exists() and len(log.read_text().splitlines()) >= 2)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code and "interrompu" in err and "Traceback" not in err
    assert sorted(p.name for p in previous.iterdir()) == [".jumeau-output", "indicators.json"]
    assert json.loads((previous / "indicators.json").read_text()) == {"ancien": True}
    assert leftovers(tmp_path) == []


def test_sigkill_mid_write_then_next_run_cleans_up(tmp_path):
    """SIGKILL while writing leaves a staging folder; the next run removes it and writes
    a complete output."""
    log = tmp_path / "written.log"
    proc = start(tmp_path, EXPOSURE, slow_log=log)
    wait_for(lambda: log.exists() and len(log.read_text().splitlines()) >= 2)
    proc.kill()
    proc.wait(timeout=30)
    assert not (tmp_path / "out").exists()
    assert any(name.startswith(".out.partial-") for name in leftovers(tmp_path))
    again = start(tmp_path, EXPOSURE)
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert leftovers(tmp_path) == []
    assert complete(tmp_path / "out")


def complete(out: Path) -> dict:
    """The output's seed, after checking that it holds every file a run writes, all
    from the same run."""
    names = {p.name for p in out.iterdir()}
    assert {".jumeau-output", "indicators.json", "indicators.csv", "map.html",
            "report.html", "scenario.resolved.yaml"} <= names, names
    indicators = json.loads((out / "indicators.json").read_text(encoding="utf-8"))
    resolved = yaml.safe_load((out / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    assert indicators["seed"] == resolved["seed"]
    return indicators["seed"]


def test_concurrent_runs_into_one_folder(tmp_path):
    """Two runs writing to one folder at once both succeed; the folder ends as one
    complete output (one run's files only), with nothing left beside it."""
    log = tmp_path / "written.log"
    first = start(tmp_path, EXPOSURE, "--seed", "11", slow_log=log)
    second = start(tmp_path, EXPOSURE, "--seed", "22", slow_log=log)
    results = [p.communicate(timeout=180) for p in (first, second)]
    assert first.returncode == 0 and second.returncode == 0, results
    assert complete(tmp_path / "out") in (11, 22)
    assert leftovers(tmp_path) == []
