"""Shared console, verbosity and progress display for every command."""

from __future__ import annotations

import contextlib
import sys
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


@contextlib.contextmanager
def status(message: Text | str) -> Iterator:
    """A spinner with a live message while work runs (nothing when quiet or piped)."""
    if verbosity() < 1 or not err.is_terminal:
        yield lambda _msg: None
        return
    with err.status(str(message)) as spinner:
        yield lambda msg: spinner.update(f"{message} — {msg}")


def progress_bar(total: int, label: Text | str):
    """A rich progress bar context; yields ``advance(n=1, note=None)``: ``n`` steps more,
    and ``note`` (if given) shown after the label."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    @contextlib.contextmanager
    def _bar() -> Iterator:
        if verbosity() < 1 or not err.is_terminal:
            yield lambda n=1, note=None: None
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
