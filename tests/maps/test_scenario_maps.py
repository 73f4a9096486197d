"""Scenario maps (exposure, flood) written by `jumeau run`, opened offline in Chromium."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jumeau.cli.main import main

pytestmark = pytest.mark.browser

X0, Y0 = 650_000.0, 6_600_000.0


def run_scenario(tmp_path: Path, tiny_site: Path, simulate: str, lang: str = "fr") -> Path:
    spec = tmp_path / "s.yaml"
    spec.write_text(f"name: essai\ntitle: Essai\nterritory: {tiny_site}\nsimulate:\n{simulate}",
                    encoding="utf-8")
    out = tmp_path / "out"
    assert main(["-q", "--lang", lang, "run", str(spec), "--out", str(out)]) == 0
    return out / "map.html"


FLOOD = f"""  flood:
    duration_h: 1
    inflows:
      - line: [[{X0 + 2}, {Y0 + 2}], [{X0 + 2}, {Y0 + 38}]]
        hydrograph: {{time_h: [0, 0.3, 1], discharge_m3s: [0, 150, 150]}}
    outflow: {{east: null}}
    snapshot_interval_min: 10
    observation_points: [{{name: quai, point: [650200, 6600050]}}]
"""


def result_layer_counts(page) -> dict:
    """Features per vector layer drawn from the results (background layers left out)."""
    return {k: n for k, n in layer_keys(page).items()
            if not k.startswith("background") and n >= 0}


def layer_keys(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(Object.entries(jumeau.layers)
        .map(([k, l]) => [k, l.getLayers ? l.getLayers().length : -1]))""")


def test_flood_map_offline(tmp_path, tiny_site, offline_browser, artifacts):
    """A flood map: no request, no error, the animation, flooded buildings and a chart."""
    html = run_scenario(tmp_path, tiny_site, FLOOD)
    page = offline_browser.open(html)
    assert offline_browser.requests == []
    assert offline_browser.errors == []
    text = page.inner_text("body")
    for words in ("Hauteur d'eau maximale (m)", "Bâtiments inondés", "Progression de l'eau",
                  "Points d'observation", "Chiffres clés", "bâtiments inondés"):
        assert words in text, words
    # Switched on, the animation has one frame per 10 minutes (7 for 1 h) and a slider.
    assert page.query_selector("input[type=range]") is None      # off when the map opens
    page.get_by_text("Progression de l'eau", exact=True).click()
    slider = page.wait_for_selector("input[type=range]", timeout=5000)
    assert slider is not None and slider.get_attribute("max") == "6"
    # Flooded buildings are drawn as features of a result layer (not the background):
    # as many as the run counted, and the one observation point is drawn.
    indicators = json.loads((html.parent / "indicators.json").read_text())["indicators"]
    assert indicators["flooded_buildings"] > 0
    results = result_layer_counts(page)
    assert indicators["flooded_buildings"] in results.values(), results
    assert 1 in results.values()  # the observation point "quai"
    page.screenshot(path=str(artifacts / "flood_map.png"))


def test_exposure_map_in_english(tmp_path, tiny_site, offline_browser, artifacts):
    """An exposure map in English: legends and figures translated, data names escaped."""
    html = run_scenario(tmp_path, tiny_site, "  exposure: {}\n", lang="en")
    source = html.read_text(encoding="utf-8")
    # The school's name carries markup in the tiny site's data: never raw in the page.
    assert "<b>des Saules</b>" not in source
    page = offline_browser.open(html)
    assert offline_browser.requests == [] and offline_browser.errors == []
    text = page.inner_text("body")
    for words in ("Exposed buildings", "Key figures", "buildings in the flood zone"):
        assert words in text, words
    # The exposed buildings are drawn from the results, as many as the run counted.
    indicators = json.loads((html.parent / "indicators.json").read_text())["indicators"]
    exposed = indicators["buildings_exposed"]
    assert exposed > 0 and exposed in result_layer_counts(page).values()
    assert page.evaluate("() => document.querySelectorAll('b').length") == \
        page.evaluate("() => document.querySelectorAll('.legend b, .leaflet-control b').length")
    page.screenshot(path=str(artifacts / "exposure_map_en.png"))
