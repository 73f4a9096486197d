"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The team's shared data folder, beside the repository (absent in a user's clone).
SHARED = ROOT.parent / "shared" / "data"
MANIFESTS = ROOT / "tests" / "manifests"


@pytest.fixture
def shared_data() -> Path:
    """The shared data folder; skips the test only when it is absent (a user's clone)."""
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail("../shared/data must be present under CI")
        pytest.skip("../shared/data is absent (a user's clone)")
    return SHARED


@pytest.fixture(scope="session")
def tiny_site(tmp_path_factory) -> Path:
    """A tiny territory written in jumeau's input formats (see tests/tiny.py): its
    manifest, written once per session."""
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from tiny import write_tiny_site

    return write_tiny_site(tmp_path_factory.mktemp("tiny"))


@pytest.fixture
def manifest(shared_data: Path):
    """Path of a test manifest for a real data set (they point into ../shared/data)."""
    return lambda name: MANIFESTS / f"{name}.yaml"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests never touch the network: connecting anywhere but loopback fails loudly."""
    real_connect = socket.socket.connect

    def guarded(sock: socket.socket, address) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1")
                                      or sock.family == socket.AF_UNIX):
            return real_connect(sock, address)
        raise RuntimeError(f"network access attempted in a test: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _french_by_default():
    """Every test starts in the default language, whatever the previous one set."""
    from jumeau.i18n import use_language

    with use_language("fr"):
        yield


@pytest.fixture
def fr():
    """Render user-facing text in French for the test."""
    from jumeau.i18n import use_language

    with use_language("fr"):
        yield


@pytest.fixture
def en():
    """Render user-facing text in English for the test."""
    from jumeau.i18n import use_language

    with use_language("en"):
        yield
