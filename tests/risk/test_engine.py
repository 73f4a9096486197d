"""The engine of many runs (jumeau.scenario.engine): serial, local Dask workers, and a
real ``dask scheduler`` + 2 ``dask worker`` processes over TCP on 127.0.0.1."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from jumeau.errors import JumeauError
from jumeau.risk.bands import exceedance_probability, indicator_bands
from jumeau.risk.sampling import draw_members
from jumeau.scenario.engine import SCHEDULER_ENV, Engine, run_many

# The run functions live in a module of their own that the Dask workers import by name:
# local workers get this process's sys.path, the `dask worker` processes PYTHONPATH.
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from engine_models import INPUTS, cheap_flood, dies_once, failing_member

TERRITORY = {"ground": np.linspace(0, 1, 30).reshape(6, 5)}


def _summary(results):
    """Percentiles of every indicator and the probability map: what a report shows."""
    bands = indicator_bands([r[0] for r in results])
    prob = exceedance_probability(np.stack([r[1] for r in results]), 0.3)
    return {k: (b.low, b.median, b.high) for k, b in bands.items()}, prob


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A real Dask cluster: `dask scheduler` and two `dask worker` processes on
    127.0.0.1, started here and stopped at the end of the module."""
    from distributed import Client

    dask = Path(sys.executable).with_name("dask")
    cmd = [str(dask)] if dask.exists() else [sys.executable, "-m", "dask"]
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("dask")
    env = {**os.environ, "NUMBA_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    commands = [cmd + ["scheduler", "--host", "127.0.0.1", "--port", str(port),
                       "--no-dashboard"]]
    commands += [cmd + ["worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                        "--nworkers", "1", "--memory-limit", "1GB", "--no-dashboard"]] * 2
    with contextlib.ExitStack() as stack:
        procs = []
        for i, command in enumerate(commands):
            log = stack.enter_context(open(logs / f"process{i}.log", "w"))
            procs.append(subprocess.Popen(command, env=env, stdout=log,
                                          stderr=subprocess.STDOUT))
            stack.callback(_stop, procs[-1])
        deadline = time.monotonic() + 60
        while True:
            try:
                with Client(address, timeout="5s", set_as_default=False) as client:
                    client.wait_for_workers(2, timeout=60)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield address


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_same_percentiles_serial_local_and_tcp_cluster(dask_cluster):
    """Same seed, same percentiles and probability map: serially, on 2 local workers and
    on a real scheduler + 2 workers over TCP; the territory reaches each worker once."""
    members = draw_members(INPUTS, 12, seed=42)
    done = []
    serial = run_many(cheap_flood, members, shared=TERRITORY, engine=Engine(workers=1))
    local = run_many(cheap_flood, members, shared=TERRITORY, engine=Engine(workers=2),
                     names=[f"membre {m.index}" for m in members],
                     progress=lambda d, n, name: done.append((d, n, name)))
    remote = run_many(cheap_flood, members, shared=TERRITORY,
                      engine=Engine(scheduler=dask_cluster))
    ref_bands, ref_prob = _summary(serial)
    for results in (local, remote):
        bands, prob = _summary(results)
        assert bands == ref_bands                      # bit-identical, not approximately
        assert np.array_equal(prob, ref_prob)
        assert all(np.array_equal(a[1], b[1]) for a, b in zip(serial, results, strict=True))
        pids = {r[2] for r in results}
        assert len(pids) == 2 and os.getpid() not in pids   # really on two other processes
        # one territory object per worker, reused by all its runs
        assert len({(r[2], r[3]) for r in results}) == 2
    assert ref_bands["damage_eur"][0] < ref_bands["damage_eur"][2]
    assert [d for d, _, _ in done] == list(range(1, 13))
    assert sorted(name for *_, name in done) == sorted(f"membre {i}" for i in range(12))


def test_user_error_stops_the_run_with_its_message(dask_cluster):
    """A member failing for a user reason stops everything with that member's message."""
    members = draw_members(INPUTS, 8, seed=1)
    names = [f"Q100 / membre {m.index}" for m in members]
    for engine in (Engine(workers=1), Engine(scheduler=dask_cluster)):
        with pytest.raises(JumeauError) as info:
            run_many(failing_member, members, shared=TERRITORY, engine=engine, names=names)
        assert info.value.field == "simulate.flood.inflows.0.hydrograph"
        assert info.value.render("en") == ("field 'simulate.flood.inflows.0.hydrograph': "
                                           "run 'Q100 / membre 3': negative discharge")


def test_a_dead_worker_is_retried(dask_cluster, tmp_path):
    """A worker process that dies mid-run has its task rerun by Dask; the batch succeeds."""
    marker = tmp_path / "died"
    out = run_many(dies_once, [0, 1, 2, 3], shared=str(marker),
                   engine=Engine(scheduler=dask_cluster))
    assert out == [0, 10, 20, 30]
    assert marker.read_text() == "died once"


def test_member_too_big_for_a_worker(dask_cluster):
    """A run whose memory estimate exceeds a worker's limit is refused before starting."""
    with pytest.raises(JumeauError) as info:
        run_many(cheap_flood, draw_members(INPUTS, 2, seed=0), shared=TERRITORY,
                 engine=Engine(scheduler=dask_cluster), memory_bytes=5_000_000_000)
    text = info.value.render("en")
    assert "needs 5.0 GB" in text and "only has 1.0 GB" in text
    assert info.value.field == "--scheduler"


def test_unreachable_scheduler(monkeypatch):
    """An unreachable scheduler (flag or JUMEAU_SCHEDULER) names the address and the fix."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(JumeauError) as info:
        run_many(cheap_flood, [0, 1], engine=Engine(scheduler=address, connect_timeout_s=1))
    text = info.value.render("en")
    assert address in text and "dask scheduler" in text and info.value.field == "--scheduler"
    monkeypatch.setenv(SCHEDULER_ENV, address)
    with pytest.raises(JumeauError, match="127.0.0.1"):
        run_many(cheap_flood, [0, 1], engine=Engine(connect_timeout_s=1))


def test_workers_setting():
    """One run is serial by default; --workers 0 is refused."""
    assert Engine().local_workers(1) == 1
    assert Engine(workers=8).local_workers(3) == 3
    with pytest.raises(JumeauError):
        Engine(workers=0).local_workers(4)
