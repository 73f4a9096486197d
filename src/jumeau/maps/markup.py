"""Safe text for the page: HTML escaping, JSON for inline scripts, legend and panels.

The rule of the map code: every string that reaches the page — data values, layer
names, titles, legend labels — is HTML-escaped here, in Python; the runtime script only
concatenates those strings with its own constant markup. Data embedded in a
``<script>`` is JSON with ``<``, ``>`` and ``&`` written as ``\\u003c``… so that no value
can close the script element.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

from jumeau.i18n import Text
from jumeau.maps.styles import render


def escape(text: str) -> str:
    """HTML-escape ``text`` for element content and quoted attributes.

    Examples
    --------
    >>> escape('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(text), quote=True)


_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_safe(json_text: str) -> str:
    """Make JSON text safe inside a ``<script>`` element (it stays the same JSON)."""
    for char, code in _SCRIPT_SAFE:  # str.replace is much faster than translate on MBs
        json_text = json_text.replace(char, code)
    return json_text


def js_json(value: object) -> str:
    """``value`` as compact JSON that is safe inside a ``<script>`` element.

    Examples
    --------
    >>> js_json({"name": "</script>"})
    '{"name":"\\\\u003c/script\\\\u003e"}'
    """
    return script_safe(json.dumps(value, ensure_ascii=False, separators=(",", ":"),
                                  allow_nan=False))


def swatch(kind: str, color: str, stroke: str | None = None, weight_px: float = 1.0) -> str:
    """A legend swatch: ``polygon``, ``line``, ``point`` or ``raster``.

    ``color`` and ``stroke`` were validated by :func:`jumeau.maps.styles.check_color`.
    """
    if kind == "line":
        width = max(2.0, min(weight_px, 8.0))
        return (f'<span class="jm-swatch jm-swatch-line" '
                f'style="border-top-color:{color};border-top-width:{width:g}px"></span>')
    if kind == "point":
        return (f'<span class="jm-swatch jm-swatch-point" '
                f'style="background:{color};border-color:{stroke or color}"></span>')
    border = f";border-color:{stroke}" if stroke else f";border-color:{color}"
    return f'<span class="jm-swatch jm-swatch-{kind}" style="background:{color}{border}"></span>'


def legend_block(key: str, title: str | None, rows: Sequence[tuple[str, str]], kind: str, *,
                 stroke: str | None = None, weight_px: float = 1.0) -> str:
    """One layer's legend: a title (unescaped text) and (colour, label) rows.

    ``key`` ties the block to its layer, so that it shows only while the layer does.
    """
    parts = [f'<div class="jm-legend-block" data-layer="{escape(key)}">']
    if title:
        parts.append(f'<div class="jm-legend-title">{escape(title)}</div>')
    for color, label in rows:
        parts.append(f'<div class="jm-legend-row">{swatch(kind, color, stroke, weight_px)}'
                     f"<span>{escape(label)}</span></div>")
    parts.append("</div>")
    return "".join(parts)


def indicators_panel(items: Sequence[tuple[Text | str, Text | str]], lang: str,
                     heading: Text) -> str:
    """The key-figures panel: a heading and one (label, value) row per indicator."""
    rows = "".join(
        f'<div class="jm-indicator"><div class="jm-indicator-value">{escape(render(v, lang))}'
        f'</div><div class="jm-indicator-label">{escape(render(k, lang))}</div></div>'
        for k, v in items)
    return f'<div class="jm-panel-title">{escape(heading.render(lang))}</div>{rows}'
