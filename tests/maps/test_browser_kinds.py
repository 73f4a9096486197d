"""Every installed kind's map and report, written from its declared example on the tiny
territory, open offline in headless Chromium with no error and draw result layers."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml

from jumeau.scenario import kinds
from jumeau.scenario.runner import run
from jumeau.scenario.spec import read_scenario

pytestmark = pytest.mark.browser

KINDS = sorted(kinds.kinds())

# Overlay layers of a map, and those that are the twin's own background.
LAYERS = """() => ({overlays: document.querySelectorAll(
                      '.leaflet-control-layers-overlays label').length,
                    background: Object.keys(jumeau.layers)
                      .filter(k => k.startsWith('background-')).length})"""


@pytest.fixture(scope="module")
def written(tiny_site, tmp_path_factory):
    """name → (output folder, whether the run has results to draw) of the kind's example
    run on the tiny territory."""
    folders = {}
    for name in KINDS:
        kind = kinds.get(name)
        folder = tmp_path_factory.mktemp(name)
        spec = {"name": name, "title": f"Exemple {name}", "territory": str(tiny_site),
                "seed": 1, "simulate": {name: json.loads(json.dumps(dict(kind.example)))}}
        path = folder / "s.yaml"
        path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
        result = run(read_scenario(path), out_dir=folder / "out").results[name]
        drawable = any(len(f) for k, f in result.layers().items() if k != "structures") or \
            any(np.any(np.nan_to_num(r.values) != 0) for r in result.rasters().values())
        folders[name] = (folder / "out", drawable)
    return folders


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_map_opens_offline(name, written, offline_browser, artifacts):
    """The kind's drawer adds layers to the map; nothing errs, nothing leaves the page."""
    folder, drawable = written[name]
    page = offline_browser.open(folder / "map.html")
    counts = page.evaluate(LAYERS)
    if drawable:  # results to draw: the drawer added layers beyond the twin's background
        assert counts["overlays"] > counts["background"], counts
    assert page.locator("#jm-indicators").count() == 1
    page.screenshot(path=artifacts / f"kind-{name}.png")
    assert offline_browser.requests == []
    assert offline_browser.errors == []


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_report_opens_offline(name, written, offline_browser):
    """The kind's report opens offline, its images decode, its method is stated."""
    page = offline_browser.context.new_page()
    offline_browser.watch(page)
    page.goto((written[name][0] / "report.html").resolve().as_uri())
    page.wait_for_load_state("load")
    assert all(page.evaluate("() => [...document.images].map(i => i.complete && "
                             "i.naturalWidth > 0)"))
    assert kinds.get(name).method.fr[:40] in page.inner_text("body")
    assert offline_browser.requests == []
    assert offline_browser.errors == []
