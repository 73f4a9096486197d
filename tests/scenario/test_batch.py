"""Several scenarios side by side in worker processes (``jumeau demo``): same files as one
after the other, shared work kept together, errors and signals handled like ``jumeau run``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from jumeau.errors import JumeauError
from jumeau.scenario.batch import WorkerError, compile_once, groups, run_files

FLOOD = """\
name: {name}
territory: demo
seed: 7
simulate:
  flood:
    duration_h: {hours}
    inflows:
      - name: La Rive (amont)
        line: [[649802.5, 6601278.6], [649802.5, 6601198.6]]
        hydrograph: {{time_h: [0, {hours}], discharge_m3s: [300, 300]}}
    initial_water:
      - {{on_water: true, depth_m: 1.5}}
    outflow: {{east: 0.001}}
"""
EXPOSURE = """\
name: {name}
territory: demo
seed: 7
simulate:
  exposure: {{}}
"""


def write(folder: Path, name: str, template: str, **fields) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(template.format(name=name, **fields), encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path) -> list[Path]:
    """A short flood, the same flood under another name, and an exposure study."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    return [write(folder, "crue-a", FLOOD, hours=0.1),
            write(folder, "exposition", EXPOSURE),
            write(folder, "crue-b", FLOOD, hours=0.1)]


def test_groups_keep_shared_work_together(files):
    """The two identical floods are one group (run once, in one process); the exposure
    study, sharing nothing, is another; the larger group comes first."""
    assert groups(files) == [[0, 2], [1]]


def test_longest_groups_start_first(files):
    """Durations of an earlier run order the groups; a file without one counts its
    simulations at the known seconds per simulation."""
    assert groups(files, {files[1]: 100.0, files[0]: 10.0}) == [[1], [0, 2]]
    assert groups(files, {files[0]: 30.0, files[1]: 20.0}) == [[0, 2], [1]]


def test_one_worker_compiles_on_a_first_run():
    """With the flood kernels not compiled yet, the longest flood group starts beside the
    group that works longest without a flood (its waste-only file first): one worker
    compiles while the other works, then finds the kernels in the cache."""
    kinds = [{"waste"}, {"waste", "flood"}, {"flood"}, {"heat"}, {"flood"}]
    cost = [23.0, 23.0, 34.0, 3.0, 25.0]
    plan = [[1, 0], [2], [4], [3]]  # longest first, as groups() orders them
    assert compile_once(plan, kinds, {"flood"}, cost) == [[2], [0, 1], [4], [3]]
    # warm kernels, nothing without a flood, or no flood at all: the order is kept
    assert compile_once(plan, kinds, set(), cost) == plan
    assert compile_once([[2], [4]], kinds, {"flood"}, cost) == [[2], [4]]
    assert compile_once([[0], [3]], kinds, {"flood"}, cost) == [[0], [3]]


def test_flood_kernels_are_known_cold_in_an_empty_cache(tmp_path):
    """The flood kind tells an empty numba cache (a first run) from a filled one."""
    code = ("from jumeau.scenario.kinds import get; "
            "print(get('flood').kernels_cached())")
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / "numba"))
    cold = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, check=True).stdout.split()[-1]
    assert cold == "False"
    from jumeau.flood import solve_flood
    from jumeau.scenario.kinds import get

    solve_flood([[0.0, 0.0], [0.0, 0.0]], 5.0, 1.0)  # compiled or loaded: in the cache now
    assert get("flood").kernels_cached() is True


def indicators(folder: Path) -> dict:
    """The figures of ``indicators.json`` (without the scenario's name)."""
    data = json.loads((folder / "indicators.json").read_text())
    data.pop("scenario")
    return data


def test_workers_write_what_one_process_writes(files, tmp_path):
    """Two workers write the same indicators as one process, report progress and every
    scenario's end, and return the scenarios in the files' order."""
    notes, ended = [], []
    one = run_files(files, tmp_path / "one", lang="fr", workers=1)
    two = run_files(files, tmp_path / "two", lang="fr", workers=2, progress=notes.append,
                    done=ended.append)
    assert [d.name for d in two] == [d.name for d in one] == ["crue-a", "exposition",
                                                              "crue-b"]
    assert sorted(ended) == ["crue-a", "crue-b", "exposition"]
    assert any(n.startswith("crue-a : simulation « flood » : ") for n in notes)
    for d in two:
        a = indicators(tmp_path / "one" / d.name)
        assert a == indicators(tmp_path / "two" / d.name) and a
        assert d.report == tmp_path / "two" / d.name / "report.html" and d.report.exists()
        assert d.territory == one[0].territory and "<h2>" in d.card
        assert d.path == files[[f.stem for f in files].index(d.name)] and d.seconds > 0
    assert indicators(tmp_path / "two" / "crue-b") == indicators(tmp_path / "two" / "crue-a")


def test_user_mistake_in_a_worker_is_raised_as_is(files, tmp_path):
    """A scenario whose output folder is a file fails in its worker; the error comes back
    unchanged (file and fix), the other workers are stopped, no staging is left."""
    root = tmp_path / "out"
    root.mkdir()
    (root / "exposition").write_text("not a folder")
    with pytest.raises(JumeauError) as err:
        run_files(files, root, lang="fr", workers=2)
    assert "exposition" in err.value.render("fr") and "solution" in err.value.render("fr")
    assert not [p for p in root.iterdir() if p.name.startswith(".")]


def test_bug_in_a_worker_is_one_line_with_its_traceback_as_cause(files, tmp_path):
    """An exception in a worker that is not a user mistake (here an unknown language)
    comes back as a WorkerError of one line; the worker's traceback is its cause, for
    ``jumeau -v``; nothing is written."""
    with pytest.raises(WorkerError) as err:
        run_files(files, tmp_path / "out", lang="xx", workers=2)
    assert str(err.value).startswith("ValueError: language must be one of")
    assert "\n" not in str(err.value)
    cause = str(err.value.__cause__)
    assert cause.startswith("Traceback (most recent call last)") and "set_language" in cause
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


LAUNCHER = """
import sys
from pathlib import Path
import jumeau.io.demo
jumeau.io.demo.scenarios_path = lambda: Path(sys.argv[1])
from jumeau.cli.main import main
sys.exit(main(["--lang", "fr", "demo", "--out", sys.argv[2]]))
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state


@pytest.mark.parametrize(("sig", "code", "name"), [(signal.SIGINT, 130, "SIGINT"),
                                                   (signal.SIGTERM, 143, "SIGTERM")])
def test_signal_stops_every_worker(tmp_path, sig, code, name):
    """A signal to ``jumeau demo`` mid-flood: its exit code and one line, every worker
    gone, no staging folder, the interrupted scenarios not written."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    write(folder, "crue-longue", FLOOD, hours=24)
    write(folder, "crue-longue-bis", FLOOD.replace("seed: 7", "seed: 8"), hours=24)
    out = tmp_path / "demo"
    proc = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(folder), str(out)],
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "NUMBA_NUM_THREADS": "1"})
    lines, end = [], time.monotonic() + 180
    while time.monotonic() < end:
        lines.append(proc.stderr.readline())
        if "simulation « flood » : " in lines[-1] or not lines[-1]:
            break
    assert "simulation « flood » : " in lines[-1], "".join(lines)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    workers = [int(p) for p in children
               if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert f"interrompu ({name})" in err and "Traceback" not in err
    assert workers and not any(_alive(p) for p in workers)
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []
