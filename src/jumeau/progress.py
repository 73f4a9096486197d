"""Progress of long computations, reported to whoever is listening.

A simulation kind calls :func:`report` with the fraction done; the runner decides where
it goes (the CLI shows it next to the scenario's name) with :func:`reporting`. With no
listener, :func:`report` does nothing, so library users pay nothing for it.

Examples
--------
>>> seen = []
>>> with reporting(seen.append):
...     report(0.5)
>>> seen
[0.5]
>>> report(1.0)  # nobody listens: nothing happens
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

_listener: ContextVar[Callable[[float], None] | None] = ContextVar("jumeau_progress",
                                                                   default=None)


@contextlib.contextmanager
def reporting(listener: Callable[[float], None]) -> Iterator[None]:
    """Send the fractions reported inside the block to ``listener``."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def report(fraction: float) -> None:
    """Say that ``fraction`` (0–1) of the current computation is done."""
    listener = _listener.get()
    if listener is not None:
        listener(min(max(float(fraction), 0.0), 1.0))
