"""New development: what a housing project, a park or a de-sealed square changes.

The ``development`` kind takes the territory after the scenario's measures (add, remove
or change buildings, land cover, roads: :mod:`jumeau.measures`) and reports, against the
territory before them: residents, dwellings and floor area added; sealed surface, runoff
coefficient and runoff volume of a reference storm (SCS curve number or rational
method); green and tree-cover shares and residents near a park; new residents in each
flood zone and hazard class, with a warning where a PPRI usually forbids building;
household waste added; distances from new dwellings to the nearest school and bus stop.
"""

from jumeau.development.kind import KIND
from jumeau.development.params import DevelopmentParams
from jumeau.development.simulate import DevelopmentResult, simulate

__all__ = ["KIND", "DevelopmentParams", "DevelopmentResult", "simulate"]
