"""Simulation kinds register themselves here, with what they need and what they give.

A kind is a :class:`SimulationKind`: a name (the key under ``simulate:`` in a scenario
file), a pydantic model of its parameters, the territory inputs it needs, the indicators
it produces, and a pure function ``run(territory, params, seed) -> Result``.
Missing inputs fail early with a message that says what to add to the manifest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.territory.model import Territory


@dataclass(frozen=True)
class Need:
    """A territory input a kind requires: a layer name or ``"terrain"``."""

    layer: str
    why: Text


@dataclass(frozen=True)
class Output:
    """An indicator a kind produces: machine name (with unit), unit, one-line meaning."""

    name: str
    unit: str
    doc: str


@dataclass(frozen=True)
class SimulationKind:
    """A registered simulation kind (see the module docstring)."""

    name: str
    title: Text
    params: type[BaseModel]
    run: Callable
    needs: tuple[Need, ...] = ()
    outputs: tuple[Output, ...] = ()
    #: Parameters that run on the test suite's tiny territory (for the contract test).
    example: tuple[tuple[str, object], ...] = ()

    def check(self, territory: Territory, *, where: str = "") -> None:
        """Fail early, with the fix, when the territory lacks an input this kind needs."""
        for need in self.needs:
            if not territory.has(need.layer):
                what = "dem:" if need.layer == "terrain" else f"{need.layer}:"
                raise JumeauError(
                    Text("la simulation « {k} » a besoin de {w} : le territoire « {t} » n'en a "
                         "pas", "simulation '{k}' needs {w}: territory '{t}' has none").format(
                        k=self.name, w=need.why, t=territory.name),
                    field=f"simulate.{self.name}",
                    fix=Text("ajoutez une couche `{l}` au manifeste du territoire",
                             "add a `{l}` layer to the territory manifest").format(l=what))


_KINDS: dict[str, SimulationKind] = {}


def register(kind: SimulationKind) -> SimulationKind:
    """Add a kind to the registry (called by each simulation package on import)."""
    _KINDS[kind.name] = kind
    return kind


def kinds() -> dict[str, SimulationKind]:
    """Every registered kind, by name (imports the simulation packages first)."""
    _load_builtin()
    return dict(_KINDS)


def get(name: str) -> SimulationKind:
    return kinds()[name]


def _load_builtin() -> None:
    import importlib

    for module in ("jumeau.exposure", "jumeau.flood.simulate"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
