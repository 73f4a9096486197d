"""Fixtures for the scenario tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tiny import write_tiny_site  # noqa: E402


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory) -> Path:
    """The tiny territory's manifest (written once per session)."""
    return write_tiny_site(tmp_path_factory.mktemp("tiny"))
