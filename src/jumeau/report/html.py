"""The report pages (see :mod:`jumeau.report`)."""

from __future__ import annotations

import base64
from html import escape

import numpy as np

from jumeau import __version__
from jumeau.i18n import Text, value_text
from jumeau.report import figures
from jumeau.report.districts import by_district, district_grid
from jumeau.scenario import kinds as kinds_module

T = {
    "report": Text("Rapport jumeau", "jumeau report"),
    "headline": Text("Les chiffres clés", "Key figures"),
    "map": Text("La carte", "The map"),
    "open_map": Text("Ouvrir la carte interactive (map.html)",
                     "Open the interactive map (map.html)"),
    "open_compare": Text("Ouvrir la carte de comparaison (map.html)",
                         "Open the comparison map (map.html)"),
    "districts": Text("Par secteur", "By district"),
    "districts_note": Text("Secteurs : carrés de 500 m nommés comme sur la carte (lettre = "
                           "colonne depuis l'ouest, chiffre = rangée depuis le nord).",
                           "Districts: 500 m squares named as on the map (letter = column "
                           "from the west, number = row from the north)."),
    "all": Text("Tous les indicateurs", "Every indicator"),
    "method": Text("Ce que le modèle représente, et ce qu'il laisse de côté",
                   "What the model represents, and what it leaves out"),
    "represents": Text("Représente", "Represents"),
    "leaves_out": Text("Laisse de côté", "Leaves out"),
    "uncertainty": Text("Incertitude", "Uncertainty"),
    "notes": Text("Notes du calcul", "Notes on this run"),
    "sources": Text("Données et reproductibilité", "Data and reproducibility"),
    "layer": Text("Couche", "Layer"), "source": Text("Source", "Source"),
    "date": Text("Date du fichier", "File date"),
    "version": Text("Calculé avec jumeau {v}, graine {s}. Le fichier scenario.resolved.yaml "
                    "permet de refaire le calcul à l'identique.",
                    "Computed with jumeau {v}, seed {s}. The file scenario.resolved.yaml "
                    "reproduces the run exactly."),
    "indicator": Text("Indicateur", "Indicator"), "value": Text("Valeur", "Value"),
    "baseline": Text("Référence", "Baseline"), "change": Text("Écart", "Change"),
    "better": Text("mieux", "better"), "worse": Text("moins bien", "worse"),
    "same": Text("inchangé", "unchanged"), "district": Text("Secteur", "District"),
    "count": Text("nombre", "count"),
    "variant": Text("Variante", "Variant"),
    "series": Text("Au fil du temps", "Over time"),
    "difference": Text("Différence avec la référence", "Difference with the baseline"),
    "diff_caption": Text("Vert : mieux qu'avec la référence ; rouge : moins bien.",
                         "Green: better than the baseline; red: worse."),
    "changes": Text("Ce qui change", "What changes"),
    "only_baseline": Text("seulement dans la référence", "in the baseline only"),
    "only_variant": Text("seulement dans la variante", "in the variant only"),
    "none": Text("aucune donnée par secteur pour ce calcul",
                 "no district figures for this run"),
}

CSS = """
@page{size:A4;margin:14mm 12mm}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;max-width:50rem;
margin:1.5rem auto;padding:0 1rem;line-height:1.4}
h1{font-size:1.5rem;margin:.2rem 0 .6rem} h2{font-size:1.15rem;margin:1.6rem 0 .5rem;
border-bottom:2px solid #0072B2;padding-bottom:.15rem} h3{font-size:1rem;margin:.8rem 0 .3rem}
.kicker{color:#555;font-size:.85rem;margin:0} .sub{color:#444;margin:.2rem 0}
.cards{display:flex;flex-wrap:wrap;gap:.6rem} .card{flex:1 1 8.5rem;border:1px solid #ccc;
border-radius:6px;padding:.5rem .7rem;break-inside:avoid}
.card .v{font-size:1.35rem;font-weight:700} .card .l{font-size:.85rem;color:#444}
.card .d{font-size:.85rem;margin-top:.2rem}
table{border-collapse:collapse;width:100%;font-size:.88rem;margin:.3rem 0 .6rem}
th,td{border-bottom:1px solid #ddd;padding:.22rem .4rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;white-space:nowrap} tr{break-inside:avoid}
thead{display:table-header-group}
.better{color:#1a7f37;font-weight:600} .worse{color:#b42318;font-weight:600}
.same{color:#666}
img{max-width:100%;height:auto;border:1px solid #ddd} figure{margin:0;break-inside:avoid}
figcaption{font-size:.82rem;color:#555} .note{font-size:.85rem;color:#555}
section{break-inside:auto} a{color:#0072B2}
@media print{a{color:#222;text-decoration:none} body{margin:0;max-width:none}}
"""


def _r(text: Text | str, lang: str) -> str:
    return escape(text.render(lang) if isinstance(text, Text) else str(text))


def _num(value: float, lang: str) -> str:
    return value_text(value, lang)


def _signed(value: float, lang: str) -> str:
    v = float(value)
    if not np.isfinite(v):
        return "—"
    return ("+" if v > 0 else "") + _num(v, lang)


def _png(data: bytes, alt: str) -> str:
    return (f'<img alt="{escape(alt)}" src="data:image/png;base64,'
            f'{base64.b64encode(data).decode("ascii")}">')


def _verdict(verdict: str | None, lang: str) -> str:
    if verdict is None:
        return ""
    arrow = {"better": "▲ ", "worse": "▼ ", "same": "= "}[verdict]
    return f'<span class="{verdict}">{arrow}{_r(T[verdict], lang)}</span>'


def _page(title: str, lang: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
            f"{body}</body></html>\n")


def _headline(rows: list, n: int = 5) -> list:
    """The declared headline indicators first, then others with a direction: five."""
    first = [r for r in rows if r[1]]
    rest = [r for r in rows if not r[1] and r[2]]
    return (first + rest)[:n]


def _method(kind_names, results: list[tuple[str, dict]], lang: str) -> str:
    parts = []
    for k in kind_names:
        kind = kinds_module.get(k)
        parts.append(f"<h3>{_r(kind.title, lang)}</h3><table>"
                     f"<tr><th>{_r(T['represents'], lang)}</th><td>{_r(kind.method, lang)}</td></tr>"
                     f"<tr><th>{_r(T['leaves_out'], lang)}</th><td>{_r(kind.limits, lang)}</td></tr>"
                     f"<tr><th>{_r(T['uncertainty'], lang)}</th><td>{_r(kind.uncertainty, lang)}"
                     "</td></tr></table>")
        for name, r in results:
            notes = list(dict.fromkeys(getattr(r.get(k), "notes", ()))) if r.get(k) else []
            if notes:
                who = f" — {escape(name)}" if len(results) > 1 else ""
                parts.append(f'<p class="note"><b>{_r(T["notes"], lang)}{who}</b> : '
                             + " ; ".join(_r(n, lang) for n in notes) + "</p>")
    return f"<section><h2>{_r(T['method'], lang)}</h2>{''.join(parts)}</section>"


def _sources(sources: list[tuple[str, str, str]], seed: int, lang: str) -> str:
    rows = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td><td>{escape(c)}</td></tr>"
                   for a, b, c in sources)
    return (f"<section><h2>{_r(T['sources'], lang)}</h2><table><thead><tr>"
            f"<th>{_r(T['layer'], lang)}</th><th>{_r(T['source'], lang)}</th>"
            f"<th>{_r(T['date'], lang)}</th></tr></thead>{rows}</table>"
            f'<p class="note">{_r(T["version"].format(v=__version__, s=seed), lang)}</p>'
            "</section>")


def _main_picture(run, lang: str, districts) -> tuple[bytes, str]:
    """The first declared grid with values, else the first flagged layer."""
    for kind_name, result in run.results.items():
        kind = kinds_module.get(kind_name)
        rasters = result.rasters()
        context = result.context() if hasattr(result, "context") else {}
        for out in kind.outputs_of("grid"):
            r = rasters.get(out.name)
            if r is not None and np.isfinite(r.values).any():
                label = f"{out.text(context).render(lang)} ({out.unit})" if out.unit else \
                    out.text(context).render(lang)
                return figures.map_png(run.territory, values=np.asarray(r.values, float),
                                       grid=r.grid, label=label, better=out.better,
                                       structures=run.territory.structures,
                                       districts=districts), label
    for kind_name, result in run.results.items():
        kind = kinds_module.get(kind_name)
        layers = result.layers()
        for out in kind.outputs_of("layer"):
            frame = layers.get(out.name)
            if out.key and frame is not None and len(frame):
                if out.flag and out.flag in frame.columns:
                    frame = frame[frame[out.flag].astype(bool).to_numpy()]
                return figures.map_png(run.territory, layer=frame,
                                       structures=run.territory.structures,
                                       districts=districts), out.label.render(lang)
    return figures.map_png(run.territory, structures=run.territory.structures,
                           districts=districts), ""


def _district_tables(runs: list, names: list[str], lang: str, districts) -> str:
    """Per district, for every layer that declares sums: the features that count and the
    first sum, per run (and the change, for two runs)."""
    html = []
    first = runs[0]
    for kind_name in first.results:
        kind = kinds_module.get(kind_name)
        for out in kind.outputs_of("layer"):
            sums = out.sum_columns()
            if not sums:
                continue
            shown = [("count", out.label, "")] + list(sums[:1 if len(names) > 1 else 2])
            frames = [by_district(r.results[kind_name].layers()[out.name], districts,
                                  tuple(c for c, *_ in sums), out.flag)
                      if kind_name in r.results else None for r in runs]
            table = None
            for name, f in zip(names, frames):
                if f is None:
                    continue
                f = f.set_index("district").reindex(columns=[c for c, *_ in shown]) \
                    .add_suffix(f"|{name}")
                table = f if table is None else table.join(f, how="outer")
            if table is None or not len(table):
                continue
            table = table.fillna(0.0)
            table = table.sort_values(f"count|{names[-1]}" if len(names) == 1 else
                                      f"count|{names[0]}", ascending=False).head(15)

            def title(label, unit):
                return _r(label, lang) + (f" ({escape(unit)})" if unit else "")

            head = "".join(f'<th class="n">{title(label, unit)}'
                           f"{('<br>' + escape(n)) if len(names) > 1 else ''}</th>"
                           for _c, label, unit in shown for n in names)
            if len(names) > 1:
                head += "".join(f'<th class="n">{_r(T["change"], lang)}<br>'
                                f"{title(label, unit)}</th>" for _c, label, unit in shown)
            body = []
            for district, row in table.iterrows():
                cells = "".join(f'<td class="n">{_num(row[f"{c}|{n}"], lang)}</td>'
                                for c, *_ in shown for n in names)
                if len(names) > 1:
                    cells += "".join(
                        f'<td class="n">{_signed(row[f"{c}|{names[-1]}"] - row[f"{c}|{names[0]}"], lang)}</td>'
                        for c, *_ in shown)
                body.append(f"<tr><td>{escape(str(district))}</td>{cells}</tr>")
            html.append(f"<h3>{_r(out.label, lang)}</h3><table><thead><tr>"
                        f"<th>{_r(T['district'], lang)}</th>{head}</tr></thead>"
                        f"{''.join(body)}</table>")
    if not html:
        html.append(f'<p class="note">{_r(T["none"], lang)}</p>')
    return (f"<section><h2>{_r(T['districts'], lang)}</h2>{''.join(html)}"
            f'<p class="note">{_r(T["districts_note"], lang)}</p></section>')


def variant_report(scenario, run, *, lang: str,
                   sources: list[tuple[str, str, str]] = (), extra: str = "") -> str:
    """The report of one run (one variant)."""
    title = scenario.spec.title or scenario.name
    districts = district_grid(run.territory)
    rows = [(ind, kinds_module.get(k).output(ind.name.split(".")[-1]).headline, ind.better)
            for k, ind in run.indicator_list()]
    cards = "".join(
        f'<div class="card"><div class="v">{_num(ind.value, lang)} {escape(ind.unit)}</div>'
        f'<div class="l">{_r(ind.label, lang)}</div></div>' for ind, *_ in _headline(rows))
    image, label = _main_picture(run, lang, districts)
    all_rows = "".join(f"<tr><td>{_r(ind.label, lang)}</td><td class=n>{_num(ind.value, lang)} "
                       f"{escape(ind.unit)}</td></tr>" for ind, *_ in rows)
    sub = f'<p class="sub">{_r(T["variant"], lang)} : {escape(run.name)}</p>' \
        if scenario.has_variants else ""
    body = (f'<p class="kicker">{_r(T["report"], lang)} — {escape(run.territory.name)}</p>'
            f"<h1>{escape(title)}</h1>{sub}"
            f"<section><h2>{_r(T['headline'], lang)}</h2><div class=cards>{cards}</div></section>"
            f"{extra}<section><h2>{_r(T['map'], lang)}</h2><figure>{_png(image, label)}"
            f"<figcaption>{escape(label)}</figcaption></figure>"
            f'<p><a href="map.html">{_r(T["open_map"], lang)}</a></p></section>'
            + _district_tables([run], [run.name], lang, districts)
            + f"<section><h2>{_r(T['all'], lang)}</h2><table>{all_rows}</table></section>"
            + _series_section([run], [run.name], lang)
            + _method(list(run.results), [(run.name, run.results)], lang)
            + _sources(list(sources), scenario.spec.seed, lang))
    return _page(title, lang, body)


def _series_section(runs: list, names: list[str], lang: str) -> str:
    parts = []
    last = runs[-1]
    for kind_name, result in last.results.items():
        kind = kinds_module.get(kind_name)
        series = result.series()
        for out in kind.outputs_of("series"):
            s = series.get(out.name)
            if s is None or not s.curves or len(s.x) < 2:
                continue
            base = runs[0].results.get(kind_name) if len(runs) > 1 else None
            other = base.series().get(out.name) if base is not None else None
            x_scale = {"s": 3600.0, "h": 1.0, "day": 1.0}[out.x_unit] if out.x_unit in (
                "s", "h", "day") else 1.0
            x_label = {"s": Text("heures", "hours"), "h": Text("heures", "hours"),
                       "day": Text("jours", "days")}.get(out.x_unit, Text("", ""))
            png = figures.series_png(
                np.asarray(s.x, float) / x_scale, s.curves, x_label=x_label.render(lang),
                y_label=f"{out.label.render(lang)}",
                others=other.curves if other is not None else None,
                x_other=np.asarray(other.x, float) / x_scale if other is not None else None,
                names=(names[0], names[-1]))
            parts.append(f"<figure>{_png(png, out.label.render(lang))}<figcaption>"
                         f"{_r(out.label, lang)}</figcaption></figure>")
    if not parts:
        return ""
    return f"<section><h2>{_r(T['series'], lang)}</h2>{''.join(parts)}</section>"


def comparison_report(scenario, runs, comparison, *, lang: str,
                      sources: list[tuple[str, str, str]] = (), extra: str = "") -> str:
    """The report comparing every variant with the baseline; ``extra`` (HTML sections,
    e.g. the risk and cost–benefit of :mod:`jumeau.report.risk`) follows the headline
    numbers."""
    title = scenario.spec.title or scenario.name
    base = runs[comparison.baseline]
    districts = district_grid(base.territory)
    names = list(runs)
    parts = [f'<p class="kicker">{_r(T["report"], lang)} — {escape(base.territory.name)}</p>'
             f"<h1>{escape(title)}</h1>"
             f'<p class="sub">{_r(T["baseline"], lang)} : {escape(comparison.baseline)} ; '
             f'{_r(T["variant"], lang)} : {escape(", ".join(comparison.variants))}</p>']
    first = next(iter(comparison.variants.values()), None)
    if first is not None:
        picks = _headline([(c, c.headline, c.better) for c in first.indicators])
        keys = [c.key for c, *_ in picks]
        head = "".join(f'<th class="n">{escape(n)}</th>' for n in names)
        body = []
        for key in keys:
            ref = next(c for c in first.indicators if c.key == key)
            cells = [f'<td class="n">{_num(ref.baseline, lang)}</td>']
            for v, vc in comparison.variants.items():
                c = next(c for c in vc.indicators if c.key == key)
                pct = f" ({_signed(c.change_pct, lang)} %)" if np.isfinite(c.change_pct) else ""
                cells.append(f'<td class="n">{_num(c.value, lang)}<br><small>'
                             f"{_signed(c.change, lang)}{pct} {_verdict(c.verdict, lang)}"
                             "</small></td>")
            body.append(f"<tr><td>{_r(ref.label, lang)}"
                        f"{(' (' + escape(ref.unit) + ')') if ref.unit else ''}</td>"
                        f"{''.join(cells)}</tr>")
        parts.append(f"<section><h2>{_r(T['headline'], lang)}</h2><table><thead><tr>"
                     f"<th>{_r(T['indicator'], lang)}</th>{head}</tr></thead>"
                     f"{''.join(body)}</table></section>")
        parts.append(extra)
        grid = next((g for g in first.grids if np.isfinite(g.difference).any()
                     and np.nanmax(np.abs(g.difference)) > 0), None)
        if grid is not None:
            label = f"{grid.label.render(lang)} ({grid.unit})" if grid.unit else \
                grid.label.render(lang)
            png = figures.map_png(runs[first.variant].territory, values=grid.difference,
                                  grid=grid.grid, label=label, diverging=True,
                                  better=grid.better,
                                  structures=runs[first.variant].territory.structures,
                                  districts=districts)
            parts.append(f"<section><h2>{_r(T['difference'], lang)}</h2><figure>"
                         f"{_png(png, label)}<figcaption>{escape(label)} — "
                         f"{escape(first.variant)} − {escape(comparison.baseline)}. "
                         f"{_r(T['diff_caption'], lang)}</figcaption></figure>"
                         f'<p><a href="map.html">{_r(T["open_compare"], lang)}</a></p></section>')
        else:
            image, label = _main_picture(runs[first.variant], lang, districts)
            parts.append(f"<section><h2>{_r(T['map'], lang)}</h2><figure>{_png(image, label)}"
                         f'</figure><p><a href="map.html">{_r(T["open_compare"], lang)}</a></p>'
                         "</section>")
        changes = []
        for v, vc in comparison.variants.items():
            for lc in vc.layers:
                if lc.baseline_only or lc.variant_only:
                    changes.append(f"<tr><td>{escape(v)}</td><td>{_r(lc.label, lang)}</td>"
                                   f'<td class="n">{lc.baseline_only}</td>'
                                   f'<td class="n">{lc.variant_only}</td></tr>')
        if changes:
            parts.append(f"<section><h2>{_r(T['changes'], lang)}</h2><table><thead><tr>"
                         f"<th>{_r(T['variant'], lang)}</th><th></th>"
                         f'<th class="n">{_r(T["only_baseline"], lang)}</th>'
                         f'<th class="n">{_r(T["only_variant"], lang)}</th></tr></thead>'
                         f"{''.join(changes)}</table></section>")
    for v in comparison.variants:
        parts.append(_district_tables([base, runs[v]], [comparison.baseline, v], lang, districts)
                     if len(comparison.variants) == 1 else "")
    rows = []
    for v, vc in comparison.variants.items():
        for c in vc.indicators:
            rows.append(f"<tr><td>{escape(v)}</td><td>{_r(c.label, lang)}</td>"
                        f'<td class="n">{_num(c.baseline, lang)} {escape(c.unit)}</td>'
                        f'<td class="n">{_num(c.value, lang)} {escape(c.unit)}</td>'
                        f'<td class="n">{_signed(c.change, lang)}</td>'
                        f"<td>{_verdict(c.verdict, lang)}</td></tr>")
    parts.append(f"<section><h2>{_r(T['all'], lang)}</h2><table><thead><tr>"
                 f"<th>{_r(T['variant'], lang)}</th><th>{_r(T['indicator'], lang)}</th>"
                 f'<th class="n">{_r(T["baseline"], lang)}</th>'
                 f'<th class="n">{_r(T["value"], lang)}</th>'
                 f'<th class="n">{_r(T["change"], lang)}</th><th></th></tr></thead>'
                 f"{''.join(rows)}</table></section>")
    if len(runs) == 2:
        parts.append(_series_section([base, runs[names[1]]], names, lang))
    kind_names = list(dict.fromkeys(k for r in runs.values() for k in r.results))
    parts.append(_method(kind_names, [(n, r.results) for n, r in runs.items()], lang))
    parts.append(_sources(list(sources), scenario.spec.seed, lang))
    return _page(title, lang, "".join(parts))

