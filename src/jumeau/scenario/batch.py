"""Several scenario files at once, one worker process per core (``jumeau demo``).

Each scenario is run and written by :func:`jumeau.scenario.runner.run`, exactly as
``jumeau run`` does; only where it runs changes. On a machine with several cores the
scenarios are spread over worker processes (``spawn``: a fresh interpreter each), so
that a waste optimisation, a report being drawn and a flood advance at the same time
instead of one after the other. Results do not depend on it: each scenario derives its
seeds from its own file, and the flood solver gives the same numbers on any number of
threads.

- **Longest first.** Groups start in decreasing order of their expected duration: the
  seconds each scenario took last time, when the caller knows them
  (:mod:`jumeau.io.timings` for ``jumeau demo``: this machine's, else those of a
  reference machine for the ready scenarios), else the number of simulations. A
  long flood started last would otherwise end alone on one core.
- **One worker compiles.** On a first run, kinds whose kernels are not compiled yet
  (:attr:`jumeau.scenario.kinds.Kind.kernels_cached`) would compile them in every
  worker at once; instead the longest group that needs them starts beside the group
  that can work longest without them (:func:`compile_once`), which then finds them in
  the cache.
- **Shared work stays together.** Scenarios that share a simulation (the same
  territory, measures, parameters and seed: :func:`jumeau.scenario.runner.work_keys`)
  go to the same worker, in order, inside :func:`~jumeau.scenario.runner.sharing_results`,
  so that work is still done once.
- **Progress.** Workers send their progress notes to this process, which shows them
  (``progress(note)``) and counts finished scenarios (``done(name)``).
- **Errors.** A scenario's :class:`~jumeau.errors.JumeauError` stops the batch and is
  raised here unchanged (exit code 2); any other exception in a worker is raised here as
  :class:`WorkerError` with the worker's traceback (a bug, exit code 1). A worker that
  dies without a word (killed) is a :class:`WorkerError` too.
- **Interruption.** Ctrl-C or SIGTERM here stops every worker with SIGTERM; a worker
  leaves its staging folder behind it (outputs are written whole or not at all) and
  exits. Scenarios finished before stay written.

One worker (one core, or one group of scenarios) runs in this process, serially. Each
worker's flood solver takes the cores the other workers leave idle
(``flood.solver._thread_count``), so a lone long flood still gets every core.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import signal
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from jumeau.errors import JumeauError
from jumeau.scenario.engine import Engine

#: How often the parent looks at its workers while no message comes (s).
_POLL_S = 0.2


@dataclass(frozen=True)
class Done:
    """What the index page needs of a finished scenario (small, sent between processes).

    Attributes
    ----------
    name
        The scenario's name.
    path
        Its file.
    seconds
        How long it took to run and write (wall time, in its worker).
    card
        Its card for the index page (:func:`jumeau.maps.index.card`).
    report
        Its main report: ``comparaison/report.html`` with variants, else ``report.html``.
    territory
        The name of the territory it ran on.
    """

    name: str
    path: Path
    seconds: float
    card: str
    report: Path
    territory: str


class WorkerError(RuntimeError):
    """A bug (not a user mistake) in a worker process. The message is one line (the
    exception in the worker); the worker's traceback is its cause, so it shows where a
    traceback is shown (``jumeau -v``), as :mod:`concurrent.futures` does."""


class _RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker, as text."""

    def __str__(self) -> str:
        return self.args[0]


def groups(files: Sequence[Path], seconds: Mapping[Path, float] | None = None,
           scenarios: Sequence | None = None) -> list[list[int]]:
    """Indices of ``files`` grouped so that scenarios sharing work are together, the
    longest groups first: by the ``seconds`` a file took last time where known, else by
    its number of simulations (times the seconds per simulation of the known ones).
    ``scenarios`` are the files already read, if the caller has them.

    Examples
    --------
    >>> from jumeau.io.demo import scenarios_path
    >>> files = sorted(scenarios_path().glob("crue-centennale*.yaml"))
    >>> [[files[i].stem for i in g] for g in groups(files)]
    [['crue-centennale-mur', 'crue-centennale']]
    """
    from jumeau.scenario.runner import work_keys
    from jumeau.scenario.spec import read_scenario

    if scenarios is None:
        scenarios = [read_scenario(f) for f in files]
    owner: dict[str, int] = {}
    parent = list(range(len(files)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, scenario in enumerate(scenarios):
        for key in work_keys(scenario):
            if key in owner:
                parent[root(i)] = root(owner[key])
            else:
                owner[key] = i
    members: dict[int, list[int]] = {}
    for i in range(len(files)):
        members.setdefault(root(i), []).append(i)
    cost = _costs(files, scenarios, seconds)
    return sorted(members.values(), key=lambda g: (-sum(cost[i] for i in g), g[0]))


def _costs(files: Sequence[Path], scenarios: Sequence, seconds: Mapping[Path, float] | None
           ) -> list[float]:
    """Expected seconds of each file: known from an earlier run, else its number of
    simulations times the seconds per simulation of the known ones."""
    size = [sum(len(v.simulations) for v in s.variants.values()) for s in scenarios]
    known = {i: float(seconds[Path(f)]) for i, f in enumerate(files)
             if seconds and Path(f) in seconds}
    per_simulation = (sum(known.values()) / max(sum(size[i] for i in known), 1)) if known \
        else 1.0
    return [known.get(i, size[i] * per_simulation) for i in range(len(files))]


def run_files(files: Sequence[Path], root: Path, *, lang: str, tiles: bool = False,
              workers: int | None = None, progress: Callable[[str], None] | None = None,
              done: Callable[[str], None] | None = None,
              seconds: Mapping[Path, float] | None = None) -> list[Done]:
    """Run every scenario file into ``root / <name>``; returns them in ``files`` order.

    ``workers`` defaults to one per allowed CPU, at most one per group
    (:meth:`jumeau.scenario.engine.Engine.local_workers`); 1 runs everything in this
    process.
    ``seconds`` are the durations of earlier runs, for the order (:func:`groups`).
    """
    from jumeau.scenario.spec import read_scenario

    files = [Path(f) for f in files]
    scenarios = [read_scenario(f) for f in files]
    plan = groups(files, seconds, scenarios)
    n = Engine(workers=workers).local_workers(len(plan))
    cold = _cold_kinds() if n > 1 else set()
    if cold:
        plan = compile_once(plan, [set(s.kinds) for s in scenarios], cold,
                            _costs(files, scenarios, seconds))
    say = progress or (lambda _note: None)
    finished = done or (lambda _name: None)
    if n == 1:
        out = {}
        for group in plan:
            for i, item in _run_group(files, group, root, lang, tiles,
                                      lambda kind, msg: (say if kind == "note"
                                                         else finished)(msg)):
                out[i] = item
        return [out[i] for i in range(len(files))]
    return _in_workers(files, plan, n, root, lang, tiles, say, finished)


def compile_once(plan: list[list[int]], kinds: Sequence[set[str]], cold: set[str],
                 cost: Sequence[float]) -> list[list[int]]:
    """``plan`` reordered for a first run, when kinds must compile their kernels
    (``cold``): the group that can work longest without them (those of its files that
    need none first) starts second, beside the longest group that needs them, so that
    one worker compiles while the other works and the kernels are in the cache when it
    needs them (a first ``jumeau demo`` compiled the flood kernels in both workers at
    once). ``kinds[i]`` are the kinds file ``i`` runs, ``cost[i]`` its expected seconds.

    Examples
    --------
    >>> kinds = [{"flood"}, {"flood"}, {"waste", "flood"}, {"waste"}]
    >>> compile_once([[2, 3], [0], [1]], kinds, {"flood"}, [30, 25, 20, 20])
    [[0], [3, 2], [1]]
    >>> compile_once([[2, 3], [0], [1]], kinds, set(), [30, 25, 20, 20])
    [[2, 3], [0], [1]]
    """
    def needs(i: int) -> bool:
        return bool(kinds[i] & cold)

    ordered = [sorted(g, key=needs) for g in plan]  # stable: files needing none first
    free = [sum(cost[i] for i in g if not needs(i)) for g in ordered]
    best = max(range(len(plan)), key=lambda k: (free[k], -k), default=None)
    first = next((k for k, g in enumerate(plan) if k != best and any(map(needs, g))), None)
    if best is None or first is None or free[best] == 0.0:
        return plan
    return [plan[first], ordered[best],
            *(g for k, g in enumerate(plan) if k not in (first, best))]


def _cold_kinds() -> set[str]:
    """The installed kinds whose compiled kernels are not in the cache yet."""
    from jumeau.scenario.kinds import kinds

    return {name for name, kind in kinds().items()
            if kind.kernels_cached is not None and not kind.kernels_cached()}


def _run_group(files, group, root, lang, tiles, send):
    """Run one group in order, sharing identical work; yields ``(index, Done)``."""
    from jumeau.maps.index import card
    from jumeau.scenario.runner import run, sharing_results
    from jumeau.scenario.spec import read_scenario

    with sharing_results():
        for i in group:
            scenario = read_scenario(files[i])
            name = scenario.name

            def note(msg, name=name):
                send("note", f"{name} : {msg}" if lang == "fr" else f"{name}: {msg}")

            started = time.perf_counter()
            result = run(scenario, out_dir=Path(root) / name, lang=lang, tiles=tiles,
                         progress=note)
            folder = result.out_dir / "comparaison" if result.comparison is not None \
                else result.out_dir
            send("done", name)
            yield i, Done(name=name, path=files[i], seconds=time.perf_counter() - started,
                          card=card(result, lang), report=folder / "report.html",
                          territory=result.territory.name)


# --------------------------------------------------------------------------- workers


def _in_workers(files, plan, n, root, lang, tiles, say, finished) -> list[Done]:
    ctx = mp.get_context("spawn")
    tasks, events = ctx.Queue(), ctx.Queue()
    for group in plan:
        tasks.put(group)
    for _ in range(n):
        tasks.put(None)
    procs = [ctx.Process(target=_worker, args=(files, root, lang, tiles, tasks, events),
                         name=f"jumeau-worker-{k}") for k in range(n)]
    out: dict[int, Done] = {}
    try:
        for p in procs:
            p.start()
        while len(out) < len(files):
            try:
                kind, *payload = events.get(timeout=_POLL_S)
            except queue.Empty:
                dead = [p for p in procs if p.exitcode not in (None, 0)]
                if dead:
                    raise WorkerError(
                        f"worker {dead[0].name} stopped (exit code {dead[0].exitcode}) "
                        "before finishing its scenarios") from None
                continue
            if kind == "note":
                say(payload[0])
            elif kind == "done":
                finished(payload[0])
            elif kind == "result":
                out[payload[0]] = payload[1]
            elif kind == "error":
                raise payload[0]
            elif kind == "bug":
                summary, remote = payload
                raise WorkerError(summary) from _RemoteTraceback(remote)
        for p in procs:  # each has its end-of-work marker: let it exit by itself
            p.join(timeout=30)
        return [out[i] for i in range(len(files))]
    finally:
        _stop(procs)
        tasks.cancel_join_thread()
        events.cancel_join_thread()


def _stop(procs) -> None:
    """Stop the workers still running (SIGTERM: each removes its staging folder)."""
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=30)
        if p.is_alive():
            p.kill()
            p.join()


def _worker(files, root, lang, tiles, tasks, events) -> None:
    """A worker's life: run the groups it is given until told to stop (``None``)."""
    from jumeau.cli import console
    from jumeau.i18n import set_language

    def on_sigterm(_signum, _frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: let clean-up complete
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    parent = os.getppid()

    def send(kind, msg):
        if os.getppid() != parent:  # the parent died without stopping us: stop too
            raise KeyboardInterrupt
        events.put((kind, msg))

    try:
        set_language(lang)
        console.set_verbosity(0)  # this process speaks through ``events`` only
        while (group := tasks.get()) is not None:
            for i, item in _run_group(files, group, root, lang, tiles, send):
                events.put(("result", i, item))
    except KeyboardInterrupt:
        os._exit(128 + signal.SIGINT)  # staging removed on the way here; no traceback
    except JumeauError as err:
        events.put(("error", err))
    except Exception as exc:  # noqa: BLE001 - reported to the parent as a bug
        events.put(("bug", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # nothing left to clean up
    events.close()
    events.join_thread()
