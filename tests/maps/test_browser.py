"""Open written maps in headless Chromium, with the network blocked, as an official would."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TEXT = {
    "fr": {"legend": "Hauteur d'eau max (m)", "layers": "Bâtiments", "zoom": "Zoom avant",
           "play": "Lecture", "pause": "Pause", "figures": "Chiffres clés", "axis": "temps (h)",
           "t0": "t = 0 min", "t1": "t = 30 min"},
    "en": {"legend": "Max water depth (m)", "layers": "Buildings", "zoom": "Zoom in",
           "play": "Play", "pause": "Pause", "figures": "Key figures", "axis": "time (h)",
           "t0": "t = 0 min", "t1": "t = 30 min"},
}

# Page position (x, y) of the centre of the first feature of a layer that matches.
FEATURE_XY = """([key, needle]) => {
  const map = map_jumeau, layer = jumeau.layers[key];
  let target = null;
  layer.eachLayer(f => {
    if (!target && (f.feature.properties.v || []).some(v => v.indexOf(needle) >= 0)) target = f;
  });
  const at = target.getCenter ? target.getCenter() : target.getLatLng();
  const p = map.latLngToContainerPoint(at), box = map.getContainer().getBoundingClientRect();
  return [p.x + box.left, p.y + box.top];
}"""

# Drawn SVG paths of a layer's features.
DRAWN = """key => jumeau.layers[key].getLayers()
                 .filter(f => f._path && f._path.isConnected).length"""


def write_map(synthetic, tmp_path, territory, lang, renderer="auto"):
    builder, expected = synthetic.example_map(territory, lang=lang, renderer=renderer)
    path = tmp_path / "map.html"
    path.write_text(builder.to_html(), encoding="utf-8")
    return path, expected


def hover_xss_building(page, synthetic):
    """Move the mouse over the building whose name is markup; return its tooltip text."""
    x, y = page.evaluate(FEATURE_XY, ["background-buildings", "&lt;script&gt;"])
    page.mouse.move(x, y)
    tooltip = page.wait_for_selector(".leaflet-tooltip", timeout=5000)
    return tooltip


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_map_opens_offline_and_shows_everything(tmp_path, small_territory, offline_browser,
                                                artifacts, synthetic, lang):
    """A map opens with no network: layers drawn, legends in the language, data as text."""
    path, expected = write_map(synthetic, tmp_path, small_territory, lang)
    page = offline_browser.open(path)
    words = TEXT[lang]

    # Every feature of every vector layer is an SVG path in the page.
    drawn = {key: page.evaluate(DRAWN, key) for key in
             ("background-buildings", "background-roads", "layer-1", "layer-4")}
    assert drawn == {"background-buildings": expected["buildings"],
                     "background-roads": expected["roads"], "layer-1": expected["reached"],
                     "layer-4": expected["points"]}
    assert expected["reached"] > 0
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() == sum(
        drawn.values())
    assert page.locator(".leaflet-jm-water-pane path").count() == 2  # river and stream
    # Relief, depth grid and animation frame: three decoded images.
    images = page.evaluate("""() => [...document.querySelectorAll('img.leaflet-image-layer')]
                              .map(i => i.complete && i.naturalWidth > 0)""")
    assert images == [True, True, True]

    # Words in the reader's language.
    assert words["legend"] in page.inner_text("#jm-legend")
    assert words["layers"] in page.inner_text(".leaflet-control-layers")
    assert words["figures"] in page.inner_text("#jm-indicators")
    assert page.get_attribute(".leaflet-control-zoom-in", "title") == words["zoom"]
    assert page.locator(".leaflet-control-scale-line").count() == 1  # metric only

    # A building named with markup shows that markup as text, and runs nothing.
    tooltip = hover_xss_building(page, synthetic)
    assert synthetic.XSS_NAME in tooltip.text_content()
    assert tooltip.query_selector("script, img") is None
    assert page.evaluate("typeof window.__xss") == "undefined"

    # The time slider plays and tells the time.
    player = page.locator(".jm-player")
    assert words["t0"] in player.inner_text()
    page.click(".jm-play")
    page.wait_for_function("() => jumeau.layers['layer-3'].player.frame() >= 1")
    assert words["pause"] in page.inner_text(".jm-play")
    page.click(".jm-play")
    assert words["play"] in page.inner_text(".jm-play")
    page.evaluate("() => jumeau.layers['layer-3'].player.show(1)")
    assert words["t1"] in player.inner_text()

    # A click on an observation point opens its chart; its name stays text.
    page.mouse.move(5, 400)
    x, y = page.evaluate(FEATURE_XY, ["layer-4", "Jaurès"])
    page.mouse.click(x, y)
    popup = page.wait_for_selector(".leaflet-popup-content svg.jm-chart", timeout=5000)
    content = page.locator(".leaflet-popup-content")
    assert "École <i>Jaurès</i>" in content.inner_text()
    assert content.locator("i").count() == 0
    assert words["axis"] in popup.text_content()

    # Turning the depth grid off hides its legend.
    page.locator(".leaflet-control-layers-overlays label", has_text=synthetic.DEPTH_NAME.render(
        lang)).locator("input").click()
    assert page.locator('[data-layer="layer-2"]').is_hidden()

    page.wait_for_timeout(400)  # let the popup finish fading in for the screenshot
    page.screenshot(path=artifacts / ("map.png" if lang == "fr" else f"map_{lang}.png"))
    assert offline_browser.requests == []
    assert offline_browser.errors == []


def test_canvas_map_draws_and_escapes(tmp_path, small_territory, offline_browser, artifacts,
                                      synthetic):
    """With the canvas renderer (large maps) features are painted and tooltips still escape."""
    path, _ = write_map(synthetic, tmp_path, small_territory, "fr", renderer="canvas")
    page = offline_browser.open(path)
    assert page.locator(".leaflet-overlay-pane path").count() == 0
    painted = page.evaluate("""() => {
      const c = document.querySelector('.leaflet-overlay-pane canvas');
      const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
      return n / (c.width * c.height);
    }""")
    assert painted > 0.02
    tooltip = hover_xss_building(page, synthetic)
    assert synthetic.XSS_NAME in tooltip.text_content()
    assert page.evaluate("typeof window.__xss") == "undefined"
    page.screenshot(path=artifacts / "map_canvas.png")
    assert offline_browser.requests == []
    assert offline_browser.errors == []


def test_blocked_requests_are_recorded(tmp_path, offline_browser):
    """The blocking fixture itself works: a page asking the network is caught."""
    page_path = tmp_path / "online.html"
    page_path.write_text('<!DOCTYPE html><img src="https://tile.openstreetmap.org/0/0/0.png">'
                         '<script>window.jumeau = {rendered: true};</script>', encoding="utf-8")
    page = offline_browser.open(page_path)
    page.wait_for_load_state("load")
    assert offline_browser.requests == ["https://tile.openstreetmap.org/0/0/0.png"]
