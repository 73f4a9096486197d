"""Measures: changes applied to the territory before simulating.

A measure is anything with ``apply(territory) -> Territory`` (the :class:`Measure`
protocol); in scenario files each is a small typed block with a ``type``::

    measures:
      - type: wall
        line: [[651020, 6600410], [651400, 6600390]]
        crest_height_m: 1.2

Measure types register themselves with :func:`register`; each is a pydantic model
(``extra="forbid"``, units in field names) with an ``apply`` method.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from jumeau.territory.model import Territory


@runtime_checkable
class Measure(Protocol):
    """Anything that turns a territory into a changed territory."""

    def apply(self, territory: Territory) -> Territory:
        """Return a new territory with the change applied (never modify the input)."""


_TYPES: dict[str, type[BaseModel]] = {}


def register(name: str):
    """Class decorator: make a measure model available under ``type: name``."""

    def deco(model: type[BaseModel]) -> type[BaseModel]:
        _TYPES[name] = model
        return model

    return deco


def types() -> dict[str, type[BaseModel]]:
    """Every registered measure type."""
    import importlib

    for module in ("jumeau.flood.measures",):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return dict(_TYPES)


def apply_all(territory: Territory, measures: list[Measure]) -> Territory:
    """Apply measures in order."""
    for measure in measures:
        territory = measure.apply(territory)
    return territory
