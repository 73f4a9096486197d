"""Measures: changes applied to a copy of the territory before simulating.

A measure is anything with ``apply(territory, *, seed=0) -> Territory`` (the
:class:`Measure` protocol); in scenario files each is a small typed block with a
``type``::

    measures:
      - type: wall
        line: [[651020, 6600410], [651400, 6600390]]
        crest_height_m: 1.2

Measure types are pydantic models (``extra="forbid"``, units in field names) found
through the ``jumeau.measures`` entry-point group (:func:`types`). ``used_by`` names the
kinds a measure affects (empty: every kind): a variant whose measures affect none of
its simulations is refused.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel

from jumeau.territory.model import Territory


@runtime_checkable
class Measure(Protocol):
    """Anything that turns a territory into a changed territory."""

    def apply(self, territory: Territory, *, seed: int = 0) -> Territory:
        """Return a new territory with the change applied (never modify the input)."""


def register(name: str):
    """Class decorator kept for readability: it names a measure's ``type``.

    Registration itself is the ``jumeau.measures`` entry point of the package.
    """

    def deco(model: type[BaseModel]) -> type[BaseModel]:
        model.measure_type = name  # type: ignore[attr-defined]
        return model

    return deco


def types() -> dict[str, type[BaseModel]]:
    """Every installed measure type, by name."""
    from jumeau.scenario.kinds import measure_types

    return measure_types()


def used_by(measure: object) -> tuple[str, ...]:
    """The kinds a measure affects (empty: every kind)."""
    return tuple(getattr(measure, "used_by", ()))
