"""The comparison page and the report in headless Chromium, offline, as an official opens
them: both panes draw, panning one moves the other, nothing leaves the page."""

from __future__ import annotations

import pytest
import yaml

from jumeau.scenario.runner import run
from jumeau.scenario.spec import read_scenario

pytestmark = pytest.mark.browser

INFLOW = {"point": [650300.0, 6600020.0], "hydrograph": {"time_h": [0, 0.5],
                                                         "discharge_m3s": [5, 5]}}


@pytest.fixture(scope="module")
def compared(tiny_site, tmp_path_factory):
    """A flood with two variants on the tiny site (a stronger river in the second)."""
    folder = tmp_path_factory.mktemp("compare")
    strong = dict(INFLOW, hydrograph={"time_h": [0, 0.5], "discharge_m3s": [200, 200]})
    spec = {"name": "crue", "title": "Crue <b>test</b>", "territory": str(tiny_site),
            "simulate": {"flood": {"duration_h": 0.5, "inflows": [INFLOW],
                                   "outflow": {"east": None},
                                   "observation_points": [{"name": "Quai",
                                                           "point": [650280, 6600045]}]}},
            "variants": {"base": None, "forte": {"simulate": {"flood": {"inflows": [strong]}}}}}
    path = folder / "crue.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    run(read_scenario(path), out_dir=folder / "out")
    return folder / "out"


def _rendered(frame):
    frame.wait_for_function("() => window.jumeau && window.jumeau.rendered === true",
                            timeout=30_000)


CENTER = "() => { const c = jumeau.map.getCenter(); return [c.lat, c.lng, jumeau.map.getZoom()]; }"


def test_comparison_panes_draw_and_move_together(compared, offline_browser, artifacts):
    """Two panes draw; the variant pane opens on the difference; panning the left pane
    moves the right one; no request leaves the page; no console error."""
    page = offline_browser.context.new_page()
    offline_browser.watch(page)
    page.goto((compared / "comparaison" / "map.html").resolve().as_uri())
    left = page.frame_locator("iframe.left")
    frames = [f for f in page.frames if f != page.main_frame]
    assert len(frames) == 2
    for frame in frames:
        _rendered(frame)
        drawn = frame.evaluate("""() => document.querySelectorAll(
            '.leaflet-overlay-pane path, img.leaflet-image-layer').length""")
        assert drawn > 10
    left_frame, right_frame = frames
    legend = right_frame.inner_text("#jm-legend")
    assert "Différence : hauteur d'eau maximale" in legend
    # The title from the scenario file is text, not markup.
    assert page.locator("h1 b").count() == 0 and "Crue <b>test</b>" in page.inner_text("h1")
    before = right_frame.evaluate(CENTER)
    left_frame.evaluate("() => jumeau.map.panBy([160, -90], {animate: false})")
    target = left_frame.evaluate(CENTER)
    assert target[:2] != before[:2]
    right_frame.wait_for_function(
        "([lat, lng]) => { const c = jumeau.map.getCenter();"
        " return Math.abs(c.lat - lat) < 1e-7 && Math.abs(c.lng - lng) < 1e-7; }",
        arg=target[:2], timeout=5000)
    right_frame.evaluate("() => jumeau.map.setZoom(jumeau.map.getZoom() + 1, {animate: false})")
    left_frame.wait_for_function(f"() => jumeau.map.getZoom() === {target[2] + 1}",
                                 timeout=5000)
    assert left.locator(".leaflet-container").count() == 1
    page.screenshot(path=artifacts / "comparison.png")
    assert offline_browser.requests == []
    assert offline_browser.errors == []


@pytest.mark.parametrize("report", ["comparaison/report.html", "forte/report.html"])
def test_report_opens_offline(compared, offline_browser, artifacts, report):
    """The report opens with no network, its images decode, it has its sections."""
    page = offline_browser.context.new_page()
    offline_browser.watch(page)
    page.goto((compared / report).resolve().as_uri())
    page.wait_for_load_state("load")
    images = page.evaluate("""() => [...document.images].map(
        i => i.complete && i.naturalWidth > 0)""")
    assert images and all(images)
    text = page.inner_text("body")
    for heading in ("Les chiffres clés", "Par secteur", "Ce que le modèle représente",
                    "Données et reproductibilité"):
        assert heading in text
    assert page.title() == "Crue <b>test</b>"
    page.pdf(path=str(artifacts / f"report-{report.split('/')[0]}.pdf"), format="A4")
    assert offline_browser.requests == []
    assert offline_browser.errors == []
