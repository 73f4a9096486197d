"""Maps load nothing from outside the page unless online tiles were asked for."""

from __future__ import annotations

import pytest

from jumeau.maps import LEAFLET_VERSION, external_references
from jumeau.maps.offline import leaflet_css, leaflet_js


@pytest.mark.parametrize("html, found", [
    ('<script src="https://cdn.jsdelivr.net/npm/leaflet.js"></script>',
     ["https://cdn.jsdelivr.net/npm/leaflet.js"]),
    ('<link rel="stylesheet" href="http://example.org/a.css">', ["http://example.org/a.css"]),
    ('<img src="//example.org/x.png">', ["//example.org/x.png"]),
    ('<img srcset="data:image/png;base64,AA== 1x, https://example.org/x2.png 2x">',
     ["https://example.org/x2.png"]),
    ("<style>.a{background:url('https://example.org/bg.png')}</style>",
     ["https://example.org/bg.png"]),
    ('<style>@import "https://example.org/more.css";</style>', ["https://example.org/more.css"]),
    ('<div style="background:url(images/layers.png)"></div>', ["images/layers.png"]),
    ('<script>L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png")</script>',
     ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]),
    ('<svg><image href="https://example.org/i.png"/></svg>', ["https://example.org/i.png"]),
    ('<object data="https://example.org/o.svg"></object>', ["https://example.org/o.svg"]),
])
def test_external_references_finds_resources(html, found):
    """Each kind of outside resource reference is reported."""
    assert external_references(html) == found


@pytest.mark.parametrize("html", [
    '<a href="https://leafletjs.com">Leaflet</a>',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    "<style>.b{behavior:url(#default#VML)}</style>",
    "<script>// see https://example.org for details\nvar a = 1;</script>",
    '<script>x.innerHTML = \'<a href="https://leafletjs.com">L</a>\';</script>',
    '<script>document.createElementNS("http://www.w3.org/2000/svg", "svg")</script>',
    "<p>https://example.org is only text</p>",
])
def test_external_references_ignores_what_loads_nothing(html):
    """Hyperlinks, data URIs, fragments, comments and XML namespaces are not references."""
    assert external_references(html) == []


def test_inlined_leaflet_is_self_contained():
    """Leaflet's inlined CSS and JS refer to nothing outside (images became data URIs)."""
    css, js = leaflet_css(), leaflet_js()
    assert f"Leaflet {LEAFLET_VERSION}" in js
    assert "sourceMappingURL" not in js
    assert "images/layers.png" not in css and "data:image/png;base64," in css
    assert external_references(f"<style>{css}</style><script>{js}</script>") == []


def test_map_without_tiles_is_self_contained(synthetic, small_territory):
    """A whole map (background, results, animation, charts) has no outside reference."""
    builder, _ = synthetic.example_map(small_territory)
    page = builder.to_html()
    assert external_references(page) == []
    assert "cdn." not in page and "jquery" not in page.lower() and "bootstrap" not in page


def test_tiles_are_the_only_outside_references(synthetic, small_territory):
    """With tiles=True the only references are the IGN and OSM tile templates."""
    builder, _ = synthetic.example_map(small_territory, tiles=True)
    hosts = sorted({ref.split("/")[2] for ref in external_references(builder.to_html())})
    assert hosts == ["data.geopf.fr", "tile.openstreetmap.org"]
