"""Fixtures for map tests: a small synthetic territory and an offline headless Chromium.

Browser fixtures (reuse them for any page jumeau writes):

- ``offline_browser`` — a Chromium with a fresh profile in which every request that
  is not ``file:``, ``data:``, ``about:`` or ``blob:`` is aborted and recorded
  (``.requests``), and console errors and page errors are collected (``.errors``).
  ``offline_browser.open(path)`` loads a map and waits until it has drawn.
- ``artifacts`` — ``tests/artifacts/`` (git-ignored) for screenshots.

Without ``/usr/bin/chromium`` (or the browser named by ``JUMEAU_CHROMIUM``) or the
playwright package, browser tests are skipped with the reason — except when
``CI=true``, where they fail: CI must run them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).parent
#: Debian's Chromium; another build can be named with JUMEAU_CHROMIUM.
CHROMIUM = Path(os.environ.get("JUMEAU_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")
VIEWPORT = {"width": 1280, "height": 800}


def _load_synthetic():
    # Loaded by path under a unique name: test folders are not packages, and another
    # folder may have its own helper module.
    name = "jumeau_tests_maps_synthetic"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "synthetic.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def synthetic():
    """The synthetic-territory module (``tests/maps/synthetic.py``)."""
    return _load_synthetic()


@pytest.fixture(scope="session")
def small_territory(synthetic):
    """20 buildings (one named with markup), a few roads, a river, a sloping DEM."""
    return synthetic.make_territory(20)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """tests/artifacts/, created on demand (git-ignored)."""
    path = HERE.parent / "artifacts"
    path.mkdir(exist_ok=True)
    return path


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} — browser tests must run when CI=true", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def playwright_session():
    """The playwright driver (skip, or fail under CI=true, without it or Chromium)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install 'jumeau[test]')")
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        yield p


@dataclass
class OfflineBrowser:
    """A Chromium context that lets nothing leave the machine."""

    context: object
    requests: list[str] = field(default_factory=list)
    """URLs the page tried to reach (all aborted)."""
    errors: list[str] = field(default_factory=list)
    """Console errors and uncaught page errors."""

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def watch(self, page) -> None:
        page.on("console", lambda m: self.errors.append(f"console: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))

    def open(self, path: Path, *, timeout_ms: float = 30_000):
        """Load a jumeau page and wait until its map has drawn; return the page."""
        page = self.context.new_page()
        self.watch(page)
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("() => window.jumeau && window.jumeau.rendered === true",
                               timeout=timeout_ms)
        return page


@pytest.fixture
def offline_browser(playwright_session, tmp_path_factory):
    """Headless Chromium, fresh profile, every network request blocked and recorded."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    context = playwright_session.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
        viewport=VIEWPORT, service_workers="block")
    browser = OfflineBrowser(context)
    context.route("**/*", browser._route)
    try:
        yield browser
    finally:
        context.close()
