"""Measures that change the territory before any simulation runs (shared by every kind)."""
