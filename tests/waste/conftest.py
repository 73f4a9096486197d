"""Fixtures of the waste tests (helpers in waste_town.py)."""

from __future__ import annotations

import pytest
from waste_town import grid_town

from jumeau.territory.model import Territory


@pytest.fixture
def town() -> Territory:
    """The grid town, every street two-way."""
    return grid_town()
