"""A scenario's maps: one per variant, and the comparison page.

Each kind's declaration names its drawer (``Kind.draw``), which adds the kind's layers;
this module assembles the page. The comparison page shows two synchronised maps side by
side — the baseline and a variant, each with its own measures — the variant's pane
opening on the difference layers. It stays one offline, self-contained file: each pane
is a map page embedded in the comparison page, and the panes follow each other through
messages inside the page.
"""

from __future__ import annotations

import html as _html

import numpy as np

from jumeau.i18n import Text, value_text
from jumeau.maps.builder import MapBuilder
from jumeau.maps.markup import escape
from jumeau.maps.palettes import puor
from jumeau.maps.styles import Categorical, Graduated, Style
from jumeau.scenario import kinds as kinds_module


def indicator_items(indicators, lang: str) -> list[tuple[Text, str]]:
    """(label, formatted value with unit) of indicators (NaN left out)."""
    items = []
    for ind in indicators:
        v = float(ind.value)
        if v != v:
            continue
        items.append((ind.label, value_text(v, lang, ind.unit)))
    return items


def variant_builder(scenario, run, *, lang: str, tiles: bool = False,
                    title: str | None = None, compact: bool = False) -> MapBuilder:
    """A map builder holding the twin's background and every kind's layers of one run."""
    title = title or scenario.spec.title or scenario.name
    builder = MapBuilder(run.territory, title=title, lang=lang, tiles=tiles, compact=compact)
    builder.add_basemap()
    # The measures in force: the territory's, or a kind's own `structures` layer, which
    # holds them plus what its parameters add (a flood's breaches).
    structures = run.territory.structures
    for kind_name, result in run.results.items():
        kind = kinds_module.get(kind_name)
        draw = kind.drawer()
        if draw is not None:
            draw(builder, result, run.territory, kind, lang)
        if any(o.name == "structures" for o in kind.outputs_of("layer")):
            structures = result.layers()["structures"]
    builder.add_structures(structures)
    items = indicator_items([ind for _, ind in run.indicator_list()], lang)
    if items:
        builder.add_indicators(items[:4] if compact else items[:8])
    return builder


def scenario_map(scenario, run, *, lang: str, tiles: bool = False,
                 builder: MapBuilder | None = None) -> str:
    """The self-contained HTML map of one variant's run; ``builder``: the run's
    :func:`variant_builder`, when the caller already has it."""
    title = scenario.spec.title or scenario.name
    if scenario.has_variants:
        title = f"{title} — {run.name}"
    builder = builder or variant_builder(scenario, run, lang=lang, tiles=tiles)
    return builder.copy(title=title, compact=False).to_html()


#: Classes of the "newly / no longer" masks of a comparison.
CHANGE_CLASSES = Categorical({
    1: ("#d7301f", Text("nouvellement au-dessus du seuil", "newly above the threshold")),
    -1: ("#1a9850", Text("plus au-dessus du seuil", "no longer above the threshold"))},
    title=Text("Changement", "Change"))


def difference_scale(values: np.ndarray, unit: str, better: str | None) -> Graduated | None:
    """A diverging scale centred on 0 for a difference grid (None when all zero).

    Colours say better / worse when the output has a better direction (green better),
    else orange / purple.
    """
    finite = np.abs(values[np.isfinite(values)])
    if not finite.size or float(finite.max()) == 0.0:
        return None
    top = float(np.quantile(finite[finite > 0], 0.98)) if (finite > 0).any() else 1.0
    top = top or float(finite.max())
    steps = (-1.0, -0.5, -0.2, -0.05, 0.05, 0.2, 0.5)
    edges = tuple(-float("inf") if s == -1.0 else s * top for s in steps)
    if better == "lower":       # a decrease is better: green below 0
        colors = ("#1a9850", "#66bd63", "#a6d96a", "#d9ef8b", "#fee08b", "#f46d43", "#d73027")
    elif better == "higher":
        colors = ("#d73027", "#f46d43", "#fdae61", "#fee08b", "#d9ef8b", "#66bd63", "#1a9850")
    else:
        colors = puor(7)
    colors = colors[:3] + ("#ffffff",) + colors[4:]
    return Graduated(edges=edges, colors=colors, unit=unit)


def add_differences(builder: MapBuilder, comparison, *, lang: str) -> None:
    """Difference grids (diverging, centred on 0; the first one shown), presence masks
    and layer changes of one variant against the baseline."""
    first = True
    for g in comparison.grids:
        style = difference_scale(g.difference, g.unit, g.better)
        if style is None:
            continue
        values = np.where(np.abs(g.difference) < style.edges[4], np.nan, g.difference)
        builder.add_raster(values, g.grid, name=Text("Différence : {l}", "Difference: {l}"
                                                     ).format(l=g.label), style=style,
                           opacity=0.8, show=first)
        if g.change is not None and g.change.any():
            builder.add_raster(np.where(g.change != 0, g.change, np.nan).astype(float), g.grid,
                               name=Text("Changement : {l}", "Change: {l}").format(l=g.label),
                               style=CHANGE_CLASSES, opacity=0.8, show=False)
        first = False
    status = Categorical({
        "baseline_only": ("#1a9850", Text("seulement dans la référence",
                                          "in the baseline only")),
        "variant_only": ("#d7301f", Text("seulement dans la variante", "in the variant only"))},
        title=Text("Changement", "Change"))
    for lc in comparison.layers:
        if not len(lc.frame):
            continue
        geom = lc.frame.geom_type.iloc[0]
        adder = builder.add_points if "Point" in geom else (
            builder.add_lines if "Line" in geom else builder.add_polygons)
        adder(lc.frame, name=Text("Changement : {l}", "Change: {l}").format(l=lc.label),
              style=Style(color=status, column="status", weight_px=3.0, fill_opacity=0.9),
              tooltip={"id": Text("Identifiant", "Id"), "status": Text("État", "Status")},
              show=True)


def comparison_map(scenario, runs, comparison, *, lang: str, tiles: bool = False,
                   builders: dict[str, MapBuilder] | None = None) -> str:
    """The comparison page: baseline and variant side by side, panes synchronised;
    ``builders``: the runs' :func:`variant_builder` by name, when the caller already has
    them (the scenario maps did), so that no layer is built twice."""
    title = scenario.spec.title or scenario.name

    def pane(name: str, pane_title: str) -> MapBuilder:
        built = (builders or {}).get(name) or variant_builder(scenario, runs[name],
                                                              lang=lang, tiles=tiles)
        return built.copy(title=pane_title, compact=True)

    left = pane(comparison.baseline,
                f"{comparison.baseline} ({_t(REFERENCE, lang)})").to_html()
    panes = []
    for name, vc in comparison.variants.items():
        builder = pane(name, name)
        # The difference is the default view; the variant's own layers stay in the list.
        builder.hide_results(keep=(MEASURES,))
        add_differences(builder, vc, lang=lang)
        _series_pairs(builder, vc, runs[name], comparison.baseline, lang)
        panes.append((name, builder.to_html()))
    options = "".join(f'<option value="{i}">{escape(n)}</option>'
                      for i, (n, _) in enumerate(panes))
    frames = "".join(
        f'<iframe class="pane right" data-index="{i}" title="{escape(n)}" '
        f'srcdoc="{_html.escape(page, quote=True)}"{"" if i == 0 else " hidden"}></iframe>'
        for i, (n, page) in enumerate(panes))
    return COMPARISON_PAGE.format(
        lang=lang, title=escape(title), baseline=escape(comparison.baseline),
        reference=escape(_t(REFERENCE, lang)), variant_label=escape(_t(VARIANT, lang)),
        options=options, help=escape(_t(HELP, lang)),
        left=_html.escape(left, quote=True), frames=frames)


def _series_pairs(builder: MapBuilder, vc, run, baseline: str, lang: str) -> None:
    """Charts with both runs on the points that a series' curves are named after (a
    layer of the same kind keyed by those names, e.g. observation points)."""
    for pair in vc.series:
        kind = kinds_module.get(pair.kind)
        layers = run.results[pair.kind].layers()
        curves = {str(c) for c in pair.variant.curves}
        frame = None
        for out in kind.outputs_of("layer"):
            f = layers.get(out.name)
            if out.key and f is not None and len(f) and out.key in f.columns and \
                    curves <= set(f[out.key].astype(str)):
                frame = f.assign(_curve=f[out.key].astype(str)).set_index("_curve", drop=False)
                break
        if frame is None or not curves:
            continue
        scale = {"s": 1.0, "h": 3600.0, "day": 86400.0}.get(pair.x_unit, 1.0)
        xv = np.asarray(pair.variant.x, float) * scale
        xb = np.asarray(pair.baseline.x, float) * scale
        unit = f" ({pair.unit})" if pair.unit and f"({pair.unit}" not in pair.label.fr else ""
        builder.add_series(frame, {c: (xv, y) for c, y in pair.variant.curves.items()},
                           name=Text("Comparaison : {l}", "Comparison: {l}").format(
                               l=pair.label), y_label=pair.label + unit,
                           label_column="_curve",
                           compare={c: (xb, y) for c, y in pair.baseline.curves.items()},
                           names=(baseline, vc.variant), show=False)


REFERENCE = Text("référence", "baseline")
MEASURES = Text("Mesures", "Measures")
VARIANT = Text("Variante", "Variant")
HELP = Text("Les deux cartes bougent ensemble. À droite, la différence avec la référence "
            "(vert = mieux, rouge = moins bien) ; le menu des couches montre le reste.",
            "Both maps move together. On the right, the difference with the baseline "
            "(green = better, red = worse); the layer menu shows the rest.")


def _t(text: Text, lang: str) -> str:
    return text.render(lang)


COMPARISON_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
html,body{{margin:0;height:100%;font-family:system-ui,-apple-system,"Segoe UI",sans-serif}}
header{{display:flex;gap:1rem;align-items:center;padding:.4rem .8rem;background:#f4f4f4;
border-bottom:1px solid #ccc;font-size:.95rem;flex-wrap:wrap}}
header h1{{font-size:1.05rem;margin:0}} header .help{{color:#555;font-size:.85rem}}
main{{display:flex;height:calc(100% - 3.2rem)}}
.side{{flex:1;display:flex;flex-direction:column;min-width:0}}
.side h2{{font-size:.9rem;margin:0;padding:.2rem .6rem;background:#fafafa;
border-bottom:1px solid #ddd}}
iframe.pane{{flex:1;border:0;width:100%}} .side + .side{{border-left:3px solid #333}}
</style></head><body>
<header><h1>{title}</h1>
<label>{variant_label} : <select id="jm-variant">{options}</select></label>
<span class="help">{help}</span></header>
<main>
<div class="side"><h2>{baseline} — {reference}</h2>
<iframe class="pane left" title="{baseline}" srcdoc="{left}"></iframe></div>
<div class="side" id="jm-right"><h2 id="jm-right-title"></h2>{frames}</div>
</main>
<script>
(function () {{
  "use strict";
  var frames = Array.prototype.slice.call(document.querySelectorAll("iframe.pane"));
  var select = document.getElementById("jm-variant");
  var title = document.getElementById("jm-right-title");
  function visible() {{ return frames.filter(function (f) {{ return !f.hidden; }}); }}
  function show() {{
    var i = select.value;
    frames.forEach(function (f) {{
      if (f.classList.contains("right")) {{ f.hidden = f.getAttribute("data-index") !== i; }}
    }});
    title.textContent = select.options[select.selectedIndex].text;
  }}
  select.addEventListener("change", function () {{ show(); relay(last, null); }});
  var last = null;
  function relay(view, from) {{
    if (!view) {{ return; }}
    last = view;
    visible().forEach(function (f) {{
      if (f.contentWindow !== from) {{
        f.contentWindow.postMessage({{jumeau: "setview", lat: view.lat, lng: view.lng,
                                     zoom: view.zoom}}, "*");
      }}
    }});
  }}
  window.addEventListener("message", function (e) {{
    var d = e.data;
    if (d && d.jumeau === "view") {{ relay(d, e.source); }}
  }});
  show();
  window.jumeauCompare = {{frames: frames, select: select}};
}}());
</script>
</body></html>
"""
