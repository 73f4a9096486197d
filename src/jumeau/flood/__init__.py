"""Flood simulation: a 2D local inertial shallow-water solver and its forcings."""

from jumeau.flood.solver import (
    BedChange,
    FloodSolution,
    Hyetograph,
    ImposedLevel,
    Inflow,
    MassBalance,
    Rainfall,
    SolverSettings,
    Unblock,
    estimate_memory_bytes,
    solve_flood,
)

__all__ = [
    "BedChange",
    "FloodSolution",
    "Hyetograph",
    "ImposedLevel",
    "Inflow",
    "MassBalance",
    "Rainfall",
    "SolverSettings",
    "Unblock",
    "estimate_memory_bytes",
    "solve_flood",
]

