"""Keeping a map self-contained: inlined static assets and a check for outside references.

A ``map.html`` must open on a laptop with no network. Leaflet and jumeau's small
runtime are read from :mod:`jumeau.maps` package data and inlined; images they refer
to become ``data:`` URIs. :func:`external_references` lists whatever in a page would
still be loaded from elsewhere: the tests assert it is empty unless online tiles were
asked for.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from html.parser import HTMLParser
from importlib import resources

#: Leaflet version inlined in every map.
LEAFLET_VERSION = "1.9.4"

_SOURCE_MAP = re.compile(r"^\s*(//|/\*)[#@] sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"@import\s+(?:url\(\s*)?['\"]?([^'\")\s;]+)", re.IGNORECASE)
_JS_URL = re.compile(r"https?://[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s\"'`)]*")
_JS_HYPERLINK = re.compile(r"href=\\?[\"']?$", re.IGNORECASE)
#: XML namespaces look like URLs but are never fetched.
_NAMESPACES = ("http://www.w3.org/",)


def _static(*parts: str) -> bytes:
    return resources.files("jumeau.maps").joinpath("static", *parts).read_bytes()


def _data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@cache
def leaflet_css() -> str:
    """Leaflet's stylesheet with its images inlined as ``data:`` URIs."""
    css = _static("leaflet", "leaflet.css").decode("utf-8")

    def inline(match: re.Match) -> str:
        target = match.group(2)
        if target.startswith("images/"):
            png = _static("leaflet", *target.split("/"))
            return f'url("{_data_uri(png, "image/png")}")'
        return match.group(0)

    return _SOURCE_MAP.sub("", _CSS_URL.sub(inline, css))


@cache
def leaflet_js() -> str:
    """Leaflet's minified script, without its source-map comment."""
    return _SOURCE_MAP.sub("", _static("leaflet", "leaflet.js").decode("utf-8"))


@cache
def runtime_js() -> str:
    """jumeau's map runtime (styling, tooltips, legend, time slider)."""
    return _static("jumeau-map.js").decode("utf-8")


@cache
def runtime_css() -> str:
    """jumeau's map stylesheet (panels, legend, tooltips)."""
    return _static("jumeau-map.css").decode("utf-8")


def _is_external(target: str) -> bool:
    """Whether a resource reference would be loaded from outside the page."""
    t = target.strip().lower()
    return bool(t) and not t.startswith(("data:", "blob:", "#", "about:", "javascript:"))


class _References(HTMLParser):
    """Collects resource references from markup, stylesheets and scripts."""

    #: Attributes whose value the browser fetches, by tag (``*``: any tag).
    FETCHED = {
        "*": ("src", "srcset", "poster", "background"),
        "link": ("href",),
        "object": ("data",),
        "image": ("href", "xlink:href"),
        "use": ("href", "xlink:href"),
        "feimage": ("href", "xlink:href"),
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        fetched = self.FETCHED["*"] + self.FETCHED.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name in fetched:
                # srcset: "url 1x, url 2x" (a data URI holds commas, never ", ")
                targets = [part.split()[0] for part in re.split(r",\s+", value.strip())
                           if part.strip()] if name == "srcset" else [value]
                self.found += [v for v in targets if _is_external(v)]
            elif name == "style":
                self._css(value)
        if tag in ("script", "style"):
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "style":
            self._css(data)
        elif self._in == "script":
            self._js(data)

    def _css(self, css: str) -> None:
        self.found += [m.group(2) for m in _CSS_URL.finditer(css) if _is_external(m.group(2))]
        self.found += [m.group(1) for m in _CSS_IMPORT.finditer(css) if _is_external(m.group(1))]

    def _js(self, js: str) -> None:
        # A URL that opens a string literal (a tile template, an image source, a fetch)
        # counts; URLs in comments do not, nor hyperlinks in generated markup
        # (href="…"), which load nothing.
        for match in _JS_URL.finditer(js):
            url, start = match.group(0), match.start()
            before = js[max(0, start - 8):start]
            if url.startswith(_NAMESPACES):
                continue
            if _JS_HYPERLINK.search(before):
                continue
            if before.endswith(("\"", "'", "`", "(")):
                self.found.append(url)


def external_references(html: str) -> list[str]:
    """Resources a page would load from outside itself, in document order.

    Looks at fetched attributes (``script src``, ``link href``, ``img src``,
    ``srcset``, ``object data``, SVG ``image href``…), at ``url(…)`` and ``@import`` in
    stylesheets and ``style`` attributes, and at URLs written in scripts (tile URL
    templates, image sources). ``data:`` and ``blob:`` URIs and ``#fragments`` are part
    of the page; hyperlinks (``<a href>``, also inside scripts) load nothing and are
    not listed. A relative path counts: the file would be missing next to a copied map.

    Parameters
    ----------
    html
        A whole HTML document.

    Returns
    -------
    list of str
        The references found; empty for a self-contained page.

    Examples
    --------
    >>> external_references('<script src="https://cdn.example.org/leaflet.js"></script>')
    ['https://cdn.example.org/leaflet.js']
    >>> external_references('<a href="https://leafletjs.com">Leaflet</a><img src="data:,">')
    []
    """
    parser = _References()
    parser.feed(html)
    parser.close()
    return parser.found
