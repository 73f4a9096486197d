"""Shared console, verbosity and progress display for every command."""

from __future__ import annotations

import contextlib
import re
import sys
import time
from collections.abc import Iterator

from rich.console import Console

from jumeau.i18n import Text

#: stdout carries results (tables, JSON); stderr carries progress and messages.
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

_verbosity = {"level": 1}


def set_verbosity(level: int) -> None:
    """0 = quiet (errors only), 1 = normal, 2 = verbose."""
    _verbosity["level"] = level


def verbosity() -> int:
    return _verbosity["level"]


def info(message: Text | str) -> None:
    """A progress or status line on stderr (hidden with -q)."""
    if verbosity() >= 1:
        err.print(str(message), markup=False)


def detail(message: Text | str) -> None:
    """A detail line on stderr (shown with -v)."""
    if verbosity() >= 2:
        err.print(str(message), markup=False, style="dim")


class PlainProgress:
    """Progress as plain timestamped lines on stderr, for logs and pipes (no terminal).

    One line per step, and for a step that reports a percentage (``… : 37 %``), one line
    each time it crosses a multiple of ``every_pct``.

    Examples
    --------
    >>> lines = []
    >>> p = PlainProgress("Scénario", write=lines.append, clock=lambda: "12:00:00")
    >>> for msg in ("chargement", "simulation : 3 %", "simulation : 9 %",
    ...             "simulation : 12 %", "simulation : 100 %", "carte"):
    ...     p(msg)
    >>> lines
    ['[12:00:00] Scénario — chargement', '[12:00:00] Scénario — simulation : 3 %', '[12:00:00] Scénario — simulation : 12 %', '[12:00:00] Scénario — simulation : 100 %', '[12:00:00] Scénario — carte']
    """

    _PERCENT = re.compile(r"^(?P<step>.*?)\s*:?\s*(?P<pct>\d+(?:[.,]\d+)?)\s*%\s*$")

    def __init__(self, label: Text | str, *, every_pct: float = 10.0, write=None,
                 clock=None) -> None:
        self.label = str(label)
        self.every_pct = every_pct
        self._write = write or (lambda line: err.print(line, markup=False, highlight=False))
        self._clock = clock or (lambda: time.strftime("%H:%M:%S"))
        self._step: str | None = None
        self._bucket = -1.0

    def __call__(self, message: Text | str) -> None:
        message = str(message)
        hit = self._PERCENT.match(message)
        step = hit.group("step") if hit else message
        if hit:
            bucket = float(hit.group("pct").replace(",", ".")) // self.every_pct
            if step == self._step and bucket <= self._bucket:
                return
            self._bucket = bucket
        elif step == self._step:
            return
        else:
            self._bucket = -1.0
        self._step = step
        self.line(message)

    def line(self, message: str) -> None:
        text = f"{self.label} — {message}" if self.label else message
        self._write(f"[{self._clock()}] {text}")


def _plain() -> bool:
    """Progress goes as plain lines: stderr is not a terminal (a log, a pipe, CI)."""
    return not err.is_terminal


@contextlib.contextmanager
def status(message: Text | str) -> Iterator:
    """A spinner with a live message while work runs; without a terminal, plain
    timestamped lines (one per step, every 10 % of a simulation); nothing when quiet."""
    if verbosity() < 1:
        yield lambda _msg: None
        return
    if _plain():
        plain = PlainProgress(message)
        plain.line(str(Text("début", "start")))
        yield plain
        return
    with err.status(str(message)) as spinner:
        yield lambda msg: spinner.update(f"{message} — {msg}")


def progress_bar(total: int, label: Text | str):
    """A rich progress bar context; yields ``advance(n=1, note=None)``: ``n`` steps more,
    and ``note`` (if given) shown after the label. Without a terminal, plain timestamped
    lines (one per note step and per item done); nothing when quiet."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    @contextlib.contextmanager
    def _bar() -> Iterator:
        if verbosity() < 1:
            yield lambda n=1, note=None: None
            return
        if _plain():
            plain = PlainProgress(label)
            done = [0]

            def advance_plain(n: float = 1, note: Text | str | None = None) -> None:
                if n:
                    done[0] += n
                    plain.line(f"{done[0]:g}/{total}")
                if note is not None:
                    plain(note)

            yield advance_plain
            return
        with Progress(TextColumn("{task.description}"), BarColumn(),
                      TextColumn("{task.percentage:>3.0f} %"), TimeElapsedColumn(),
                      console=err, transient=True) as prog:
            task = prog.add_task(str(label), total=total)

            def advance(n: float = 1, note: Text | str | None = None) -> None:
                description = str(label) if note is None else f"{label} — {note}"
                prog.update(task, advance=n, description=description)

            yield advance

    return _bar()


def stdout_write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
