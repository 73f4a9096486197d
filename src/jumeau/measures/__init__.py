"""Measures that change the territory before any simulation runs.

Each measure is a typed block of a scenario's ``measures:`` list (a pydantic model with
a ``type`` literal and ``apply(territory, *, seed=0) -> Territory``). It returns a
changed copy of the territory — never modifying its input — and records itself in the
``structures`` layer so that every map draws it. ``used_by`` names the simulation kinds
it affects (empty: every kind).

- :mod:`jumeau.measures.buildings`: add buildings (a file of footprints, or a polygon
  with a programme laid out by jumeau), remove buildings, change their use, storeys or
  ground-floor height.
- :mod:`jumeau.measures.roads`: close a street, add a street joined to the routable
  network.
- :mod:`jumeau.measures.landcover`: de-seal a surface, plant trees (a canopy share, a
  number of trees or a line along a street), create a park, cool roofs.
"""
