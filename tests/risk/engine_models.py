"""Run functions for the engine tests, importable by Dask worker processes."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.risk.sampling import parse_inputs

INPUTS = parse_inputs({"flood.inflows.0.hydrograph.discharge_m3s": {"scale_pct": 20},
                       "flood.manning.default": {"min": 0.03, "max": 0.08}})


def cheap_flood(territory, member):
    """A cheap stand-in for a flood run: depth grid from the member's draws and its own
    seeded noise, plus the worker's process id and the territory's identity."""
    rng = np.random.default_rng(member.seed)
    q = member.values["flood.inflows.0.hydrograph.discharge_m3s"]
    n = member.values["flood.manning.default"]
    depth = np.clip(territory["ground"] * q * (0.05 / n) + rng.normal(0, 0.05, (6, 5)), 0, None)
    indicators = {"damage_eur": float(1e5 * depth.sum()), "max_depth_m": float(depth.max())}
    return indicators, depth, os.getpid(), id(territory)


def failing_member(territory, member):
    """Fails like a user mistake on member 3."""
    if member.index == 3:
        raise JumeauError(Text("débit négatif", "negative discharge"),
                          field="simulate.flood.inflows.0.hydrograph")
    return cheap_flood(territory, member)


def dies_once(marker, task):
    """Kills its worker process the first time it runs (a crash), then succeeds."""
    marker = Path(marker)
    if task == 1 and not marker.exists():
        marker.write_text("died once")
        os._exit(1)
    return task * 10


