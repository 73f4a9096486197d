"""Waste collection: collection points from buildings, rounds optimised on the road
network with PyVRP, a simulated day (simpy), km, hours, tonnes, CO2 and euros.

The kind is declared in :mod:`jumeau.waste.kind` (``KIND``, entry point ``waste``);
:func:`simulate` is its pure entry; :func:`~jumeau.waste.solver.solve_routing` is the
PyVRP wrapper, also used by ``benchmarks/routing.py``.
"""

from jumeau.waste.kind import KIND
from jumeau.waste.params import WasteParams
from jumeau.waste.simulate import WasteResult, simulate
from jumeau.waste.solver import RoutingProblem, RoutingSolution, solve_routing

__all__ = ["KIND", "RoutingProblem", "RoutingSolution", "WasteParams", "WasteResult",
           "simulate", "solve_routing"]
