"""Fixtures shared by the I/O tests."""

from __future__ import annotations

from pathlib import Path

import pytest

#: The team's shared data folder, beside the repository (absent in a user's clone).
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """The shared data folder; skips the test when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared/data is absent (a user's clone)")
    return SHARED
