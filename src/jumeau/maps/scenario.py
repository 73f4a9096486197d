"""A scenario's map: the twin's background, then each simulation's own layers.

Each simulation kind has a drawing function registered in :data:`DRAWERS`
(``jumeau.maps.exposure.draw``, ``jumeau.maps.flood.draw`` …) that adds its layers and
returns its headline numbers; this module only assembles the page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from jumeau.i18n import Text, fmt_number
from jumeau.maps.builder import MapBuilder

#: simulation kind → module holding its ``draw(builder, result, territory, lang)``.
DRAWERS = {"exposure": "jumeau.maps.exposure", "flood": "jumeau.maps.flood"}


def drawer(kind: str) -> Callable | None:
    module = DRAWERS.get(kind)
    if module is None:
        return None
    return importlib.import_module(module).draw


def indicator_items(result, lang: str) -> list[tuple[Text, str]]:
    """(label, formatted value with unit) of a result's headline numbers."""
    items = []
    for ind in result.indicators():
        v = float(ind.value)
        if v != v:
            continue
        text = fmt_number(v, lang, 0 if v.is_integer() else (2 if abs(v) < 10 else 1))
        items.append((ind.label, f"{text} {ind.unit}".strip()))
    return items


def scenario_map(scenario, territory, results: dict, *, lang: str, tiles: bool = False) -> str:
    """The self-contained HTML map of a scenario run."""
    title = scenario.spec.title or scenario.name
    builder = MapBuilder(territory, title=title, lang=lang, tiles=tiles)
    builder.add_basemap()
    items: list[tuple[Text, str]] = []
    for kind, result in results.items():
        draw = drawer(kind)
        if draw is not None:
            draw(builder, result, territory, lang)
        items.extend(indicator_items(result, lang))
    if items:
        builder.add_indicators(items[:8])
    return builder.to_html()
