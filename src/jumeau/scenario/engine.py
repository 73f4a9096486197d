"""Many independent runs — events, members, variants — serially or over Dask.

:func:`run_many` calls a pure function once per task and returns the results in the
tasks' order. Where the runs go:

- **serially**, in this process: for one run, or when asked (``workers=1``);
- on a **local Dask cluster** (:class:`distributed.LocalCluster`) of worker *processes*
  on this machine's cores, bound to 127.0.0.1, one thread each, a memory limit each:
  the default for several runs (``workers=None``), or ``workers=N``;
- on an **existing Dask cluster**: ``scheduler="tcp://host:8786"`` (or the
  ``JUMEAU_SCHEDULER`` environment variable) sends the same work to a scheduler started
  with ``dask scheduler`` and workers started with ``dask worker`` — by hand on a few
  office machines, by dask-jobqueue on an HPC queue, or by dask-kubernetes.

What it guarantees:

- **Same results, whatever the engine.** Each task carries everything random about it
  (its seed is derived from the scenario's seed and the task's name, never from the
  worker or the order of completion), the function is pure, and the results come back
  in the tasks' order: a run on 8 workers is bit-identical to the serial run.
- **The territory travels once per worker**, not once per task: it is scattered to
  every worker with ``broadcast=True`` and the tasks receive the worker's local copy.
- **Progress per finished run**: ``progress(done, total, name)``.
- **Memory**: each local worker gets a memory limit (by default the machine's memory
  shared among the workers); a task whose own estimate (``memory_bytes``) exceeds the
  smallest worker's limit is refused before anything starts, with the figures and the
  fix. A worker that exceeds its limit is restarted by its nanny.
- **Failures**: a worker that dies (killed, out of memory) has its tasks rerun on
  another by Dask (up to ``distributed.scheduler.allowed-failures`` times, 3 by
  default); a run that fails for a user reason (:class:`~jumeau.errors.JumeauError`)
  stops the whole batch with that run's message; an unreachable scheduler is a
  :class:`~jumeau.errors.JumeauError` naming the address and the fix.

Threads: local workers start with ``NUMBA_NUM_THREADS=1`` (and one BLAS / OpenMP
thread), so N workers on N cores do not fight over them. The flood solver's results do
not depend on its thread count (:mod:`jumeau.flood._kernels`), so this changes speed,
not numbers.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from jumeau.errors import JumeauError
from jumeau.i18n import Text, fmt_number
from jumeau.machine import allowed_cpus

T = TypeVar("T")
R = TypeVar("R")

#: The environment variable naming an existing Dask scheduler.
SCHEDULER_ENV = "JUMEAU_SCHEDULER"

#: Environment of local worker processes: one thread each for numba, OpenMP and BLAS.
WORKER_ENV = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1"}

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Engine:
    """Where runs go (module notes).

    Attributes
    ----------
    workers
        Local worker processes: None for one per allowed CPU (at most one per run,
        serial for a single run), 1 for serial in this process.
    scheduler
        Address of an existing Dask scheduler (``tcp://host:8786``); None to read
        ``JUMEAU_SCHEDULER``, and failing that to use local workers.
    memory_limit_bytes
        Memory limit of each local worker (None: the machine's memory divided among
        the workers, Dask's ``"auto"``).
    connect_timeout_s
        How long to try reaching a scheduler before giving up.
    """

    workers: int | None = None
    scheduler: str | None = None
    memory_limit_bytes: int | None = None
    connect_timeout_s: float = 5.0

    def scheduler_address(self) -> str | None:
        """The scheduler to use, from the setting or ``JUMEAU_SCHEDULER``."""
        return self.scheduler or os.environ.get(SCHEDULER_ENV) or None

    def local_workers(self, n_tasks: int) -> int:
        """Local worker processes for ``n_tasks`` runs (1 means serial)."""
        if self.workers is not None:
            if self.workers < 1:
                raise JumeauError(Text("il faut au moins un processus de calcul (--workers)",
                                       "at least one worker is needed (--workers)"),
                                  field="--workers", fix=Text("--workers 1 ou plus",
                                                              "--workers 1 or more"))
            return min(self.workers, max(1, n_tasks))
        return max(1, min(allowed_cpus(), n_tasks))


def run_many(fn: Callable[[Any, T], R], tasks: Sequence[T], *, shared: Any = None,
             engine: Engine | None = None, names: Sequence[str] | None = None,
             progress: Progress | None = None, memory_bytes: int | None = None) -> list[R]:
    """Run ``fn(shared, task)`` for every task and return the results in order.

    Parameters
    ----------
    fn
        A pure function (module-level, picklable), ``fn(shared, task) -> result``.
        Keep results small (indicators, per-building arrays, masks): they all come
        back to this process.
    tasks
        One item per run; each must carry its own seed.
    shared
        The large input every run reads (the territory): sent once to each worker.
    engine
        Where to run (default: :class:`Engine()`).
    names
        A readable name per task, for progress and error messages (default ``run i``).
    progress
        Called as ``progress(done, total, name)`` after each run finishes.
    memory_bytes
        Estimated peak memory of one run, checked against each worker's limit.

    Returns
    -------
    list
        ``[fn(shared, task) for task in tasks]``, bit-identical whatever the engine.

    Raises
    ------
    JumeauError
        A run's own error (prefixed with its name), an unreachable scheduler, a run
        that would not fit in a worker's memory, or a run that kept killing workers.
    """
    engine = engine or Engine()
    tasks = list(tasks)
    names = list(names) if names is not None else [f"run {i}" for i in range(len(tasks))]
    if len(names) != len(tasks):
        raise ValueError("one name per task is needed")
    if not tasks:
        return []
    address = engine.scheduler_address()
    if address is None and engine.local_workers(len(tasks)) == 1:
        return _serial(fn, tasks, shared, names, progress)
    with _Connection(engine, address, len(tasks)) as client:
        _check_memory(client, memory_bytes, address)
        return _distributed(client, fn, tasks, shared, names, progress)


# --------------------------------------------------------------------------- serial


def _serial(fn, tasks, shared, names, progress) -> list:
    out = []
    for i, (task, name) in enumerate(zip(tasks, names, strict=True)):
        try:
            out.append(fn(shared, task))
        except JumeauError as err:
            raise _named(err, name, len(tasks)) from None
        if progress:
            progress(i + 1, len(tasks), name)
    return out


# --------------------------------------------------------------------------- Dask


class _Connection:
    """A Dask client on an existing scheduler or on a local cluster it starts (and
    stops)."""

    def __init__(self, engine: Engine, address: str | None, n_tasks: int):
        self.engine, self.address, self.n_tasks = engine, address, n_tasks
        self.cluster = None

    def __enter__(self):
        from distributed import Client, LocalCluster

        if self.address is not None:
            try:
                self.client = Client(self.address, timeout=f"{self.engine.connect_timeout_s}s",
                                     set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise _unreachable(self.address, exc) from None
            return self.client
        n = self.engine.local_workers(self.n_tasks)
        self.cluster = LocalCluster(
            n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
            # no dashboard; the scheduler's small HTTP server on a free local port
            dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
            silence_logs=logging.ERROR,
            memory_limit=(self.engine.memory_limit_bytes
                          if self.engine.memory_limit_bytes is not None else "auto"),
            env=dict(WORKER_ENV))
        self.client = Client(self.cluster, set_as_default=False)
        return self.client

    def __exit__(self, *exc):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False


def _distributed(client, fn, tasks, shared, names, progress) -> list:
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    token = uuid.uuid4().hex[:8]
    # wrapped in a list: scattering a dict or a list would scatter its items one by one
    remote_shared = (client.scatter([shared], broadcast=True, hash=False)[0]
                     if shared is not None else None)
    futures = [client.submit(_call, fn, remote_shared, task, key=f"jumeau-{token}-{i}",
                             pure=False, retries=0)
               for i, task in enumerate(tasks)]
    position = {f.key: i for i, f in enumerate(futures)}
    results: list = [None] * len(tasks)
    try:
        for done, future in enumerate(as_completed(futures, loop=client.loop), 1):
            i = position[future.key]
            try:
                out = future.result()
            except KilledWorker:
                raise _killed(names[i], client) from None
            if isinstance(out, _Failure):
                raise _named(out.error(), names[i], len(tasks))
            results[i] = out
            if progress:
                progress(done, len(tasks), names[i])
    finally:
        client.cancel([f for f in futures if not f.done()])
        if remote_shared is not None:
            client.cancel(remote_shared)
    return results


@dataclass(frozen=True)
class _Failure:
    """A run's JumeauError, carried back from a worker as a value (its fields intact)."""

    message: Any
    path: str | None
    field: str | None
    fix: Any
    line: int | None

    def error(self) -> JumeauError:
        return JumeauError(self.message, path=self.path, field=self.field, fix=self.fix,
                           line=self.line)


def _call(fn, shared, task):
    """Run one task on a worker; a user error comes back as a value, other exceptions
    travel as Dask carries them (with their traceback: they are bugs)."""
    try:
        return fn(shared, task)
    except JumeauError as err:
        return _Failure(err.message, str(err.path) if err.path else None, err.field,
                        err.fix, err.line)


# --------------------------------------------------------------------------- checks


def _check_memory(client, memory_bytes: int | None, address: str | None) -> None:
    """Refuse before starting when one run needs more than a worker may use."""
    if not memory_bytes:
        return
    limits = [w.get("memory_limit") or 0 for w in client.scheduler_info()["workers"].values()]
    limits = [m for m in limits if m > 0]
    if not limits or memory_bytes <= min(limits):
        return
    gb = min(limits) / 1e9
    need = memory_bytes / 1e9
    fix = (Text("demandez moins de processus (--workers) pour donner plus de mémoire à "
                "chacun, ou agrandissez la maille du calcul",
                "ask for fewer workers (--workers) so each gets more memory, or use larger "
                "cells") if address is None else
           Text("lancez les workers avec plus de mémoire (dask worker --memory-limit), ou "
                "agrandissez la maille du calcul", "start the workers with more memory "
                "(dask worker --memory-limit), or use larger cells"))
    raise JumeauError(
        Text("un calcul demande {n} Go de mémoire, un worker n'en a que {g} Go",
             "one run needs {n} GB of memory, a worker only has {g} GB").format(
            n=Text(fmt_number(need, "fr", 1), fmt_number(need, "en", 1)),
            g=Text(fmt_number(gb, "fr", 1), fmt_number(gb, "en", 1))),
        field="--workers" if address is None else "--scheduler", fix=fix)


def _named(err: JumeauError, name: str, total: int) -> JumeauError:
    """The run's error, saying which run it was (when there were several)."""
    if total > 1:
        head = Text("calcul « {n} » : ", "run '{n}': ").format(n=name)
        err.message = head + (err.message if isinstance(err.message, Text)
                              else Text(str(err.message), str(err.message)))
        Exception.__init__(err, err.render("en"))
    return err


def _killed(name: str, client) -> JumeauError:
    return JumeauError(
        Text("le calcul « {n} » a fait s'arrêter plusieurs workers de suite (mémoire "
             "dépassée ou plantage)", "run '{n}' made several workers stop in a row "
             "(memory exceeded or a crash)").format(n=name), field="--workers",
        fix=Text("demandez moins de processus (--workers) pour donner plus de mémoire à "
                 "chacun, ou lancez le calcul seul (--workers 1) pour voir son erreur",
                 "ask for fewer workers (--workers) so each gets more memory, or run it "
                 "alone (--workers 1) to see its error"))


def _unreachable(address: str, exc: BaseException) -> JumeauError:
    return JumeauError(
        Text("impossible de joindre l'ordonnanceur Dask {a} ({e})",
             "cannot reach the Dask scheduler {a} ({e})").format(
            a=address, e=type(exc).__name__), field="--scheduler",
        fix=Text("démarrez-le (`dask scheduler` sur la machine voulue, puis `dask worker "
                 "{a}` sur chaque machine de calcul), vérifiez l'adresse et le port, ou "
                 "retirez --scheduler (et {v}) pour calculer sur cette machine",
                 "start it (`dask scheduler` on the chosen machine, then `dask worker {a}` "
                 "on each computing machine), check the address and port, or leave out "
                 "--scheduler (and {v}) to compute on this machine").format(
            a=address, v=SCHEDULER_ENV))


__all__ = ["SCHEDULER_ENV", "Engine", "run_many"]
