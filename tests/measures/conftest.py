"""Fixtures of the measure tests: the tiny territory, loaded once."""

from __future__ import annotations

import pytest

from jumeau.io.manifest import load_territory


@pytest.fixture(scope="module")
def tiny(tiny_site):
    """The tiny territory of tests/tiny.py (600 × 400 m, 5 m DEM, 14 buildings, 3 roads)."""
    return load_territory(tiny_site)

