"""The risk section of a report: annual figures with their bands, the cost–benefit of
each measure as a PAPI analysis shows it, the band in words, and the sensitivity.

Presentation only: it reads a :class:`jumeau.scenario.risk_runner.RiskResult`.
"""

from __future__ import annotations

import io
from html import escape

import numpy as np

from jumeau.i18n import Text, fmt_number
from jumeau.risk.bands import percentiles, width_sentence
from jumeau.risk.sensitivity import sensitivity_sentence
from jumeau.scenario import kinds as kinds_module

T = {
    "risk": Text("Le risque sur une année moyenne", "Risk over an average year"),
    "intro": Text(
        "{n} calculs : {v} variante(s) × {e} crue(s) de période de retour différente × {m} "
        "tirage(s) des entrées incertaines. Les chiffres « par an » intègrent les crues "
        "selon leur probabilité annuelle (méthode des trapèzes, dommages moyens annuels du "
        "guide AMC inondation) ; entre crochets, la fourchette qui contient 90 % des "
        "tirages (5 % – 95 %).",
        "{n} runs: {v} variant(s) × {e} flood(s) of different return periods × {m} draw(s) "
        "of the uncertain inputs. The 'per year' figures weigh the floods by their annual "
        "probability (trapezoidal rule, expected annual damage as in the French flood "
        "cost–benefit guide); in brackets, the band holding 90 % of the draws (5 % – 95 %)."),
    "indicator": Text("Par an", "Per year"),
    "events": Text("Par crue (médiane [5 % – 95 %])", "Per flood (median [5 % – 95 %])"),
    "papi": Text("Analyse coûts–bénéfices (présentation PAPI)",
                 "Cost–benefit analysis (as in a PAPI file)"),
    "row_investment": Text("Investissement (année 0)", "Investment (year 0)"),
    "row_upkeep": Text("Entretien par an", "Upkeep per year"),
    "row_life": Text("Durée de vie", "Lifetime"),
    "row_rate": Text("Taux d'actualisation", "Discount rate"),
    "row_costs": Text("Coûts actualisés (C)", "Discounted costs (C)"),
    "row_dma": Text("Dommages moyens annuels évités", "Expected annual damage avoided"),
    "row_benefits": Text("Bénéfices actualisés (B = dommages évités)",
                         "Discounted benefits (B = damage avoided)"),
    "row_npv": Text("Valeur actualisée nette (VAN = B − C)", "Net present value (NPV = B − C)"),
    "row_bc": Text("Rapport bénéfices / coûts (B/C)", "Benefit / cost ratio (B/C)"),
    "row_payback": Text("Année de retour sur investissement", "Payback year"),
    "row_share": Text("Part des tirages où la mesure est rentable (VAN > 0)",
                      "Share of draws in which the measure pays off (NPV > 0)"),
    "never": Text("pas dans la durée de vie", "not within the lifetime"),
    "rate_note": Text(
        "Taux d'actualisation par défaut 2,5 %/an : taux sans risque du rapport Quinet "
        "(« L'évaluation socioéconomique des investissements publics », CGSP / France "
        "Stratégie, 2013), cadre repris par le guide AMC des projets de prévention des "
        "inondations (CGDD, 2018). La révision de 2021 (France Stratégie) le ramène à "
        "1,2 % (3,2 % avec prime de risque) : à tester avec risk: {discount_rate: …}.",
        "Default discount rate 2.5 %/year: the risk-free rate of the Quinet report "
        "('L'évaluation socioéconomique des investissements publics', CGSP / France "
        "Stratégie, 2013), the framework of the French guide to the cost–benefit analysis "
        "of flood-prevention projects (CGDD, 2018). Its 2021 revision (France Stratégie) "
        "lowers it to 1.2 % (3.2 % with the risk premium): test it with risk: "
        "{discount_rate: …}."),
    "how_sure": Text("Ce que disent les fourchettes", "What the bands say"),
    "chart": Text("Dommages par crue : médiane et fourchette 5–95 %",
                  "Damage per flood: median and 5–95 % band"),
    "value": Text("Valeur", "Value"), "variant": Text("Variante", "Variant"),
    "years": Text("ans", "years"),
}


def _r(t: Text | str, lang: str) -> str:
    return escape(t.render(lang) if isinstance(t, Text) else str(t))


def _n(v: float, lang: str, decimals: int = 0) -> str:
    v = float(v)
    return "—" if not np.isfinite(v) else fmt_number(v, lang, decimals)


def _band(b, lang: str, decimals: int = 0) -> str:
    return (f"{_n(b.median, lang, decimals)} <small>[{_n(b.low, lang, decimals)} – "
            f"{_n(b.high, lang, decimals)}]</small>")


def _decimals(unit: str) -> int:
    return 2 if unit in ("km", "ha") else 1 if unit == "" else 0


def risk_section(scenario, risk, *, lang: str) -> str:
    """The HTML section (a ``<section>`` or several) for a report."""
    labels, units = _declarations(scenario)
    names = list(risk.variants)
    n_events = max(1, len(risk.plan.events))
    parts = [f"<section><h2>{_r(T['risk'], lang)}</h2><p class=\"note\">"
             + _r(T["intro"].format(n=risk.n_runs, v=len(names), e=n_events,
                                    m=risk.plan.members), lang) + "</p>"]
    base = risk.variants[scenario.baseline]
    if base.annual:
        head = "".join(f'<th class="n">{escape(n)}</th>' for n in names)
        rows = []
        for k in base.annual:
            unit = units.get(k, "")
            u = f" ({escape(unit)}/{'an' if lang == 'fr' else 'year'})" if unit else ""
            cells = "".join(f'<td class="n">{_band(risk.variants[n].annual[k], lang, _decimals(unit))}'
                            "</td>" for n in names)
            rows.append(f"<tr><td>{_r(labels.get(k, k), lang)}{u}</td>{cells}</tr>")
        parts.append(f"<table><thead><tr><th>{_r(T['indicator'], lang)}</th>{head}</tr>"
                     f"</thead>{''.join(rows)}</table>")
    parts.append(_events_table(scenario, risk, labels, units, lang))
    chart = _chart(risk, lang)
    if chart:
        parts.append(chart)
    parts.append("</section>")
    if risk.cost_benefit:
        parts.append(_papi(risk, lang))
    sentences = []
    if "damage_eur" in base.annual:
        for n in names:
            sentences.append(width_sentence(risk.variants[n].annual["damage_eur"], Text(
                f"{n} — dommages moyens annuels", f"{n} — expected annual damage"), "€/an"
                if lang == "fr" else "€/year").render(lang))
    for v, cb in risk.cost_benefit.items():
        sentences.append(width_sentence(percentiles(cb.npv_eur), Text(
            f"{v} — valeur actualisée nette", f"{v} — net present value"), "€").render(lang))
    if risk.sensitivity:
        out_label = labels.get(risk.sensitivity_output, Text(risk.sensitivity_output or "",
                                                             risk.sensitivity_output or ""))
        if risk.plan.events and risk.sensitivity_output:
            out_label = Text("les {x} par an de « {b} »", "{x} per year of '{b}'").format(
                x=out_label, b=scenario.baseline)
        input_labels = {k: Text(k, k) for k in risk.inputs}
        sentences.append(sensitivity_sentence(risk.sensitivity, input_labels, out_label,
                                              risk.plan.members).render(lang))
    if sentences:
        parts.append(f"<section><h2>{_r(T['how_sure'], lang)}</h2>"
                     + "".join(f"<p>{escape(s)}</p>" for s in sentences) + "</section>")
    return "".join(parts)


def _declarations(scenario) -> tuple[dict, dict]:
    from jumeau.scenario.runner import output_keys

    kinds = scenario.kinds
    keys = output_keys(kinds)
    labels, units = {}, {}
    for k in kinds:
        for o in kinds_module.get(k).outputs_of("indicator"):
            labels[keys[(k, o.name)]] = Text(o.label.fr.split(" (")[0], o.label.en.split(" (")[0])
            units[keys[(k, o.name)]] = o.unit
    return labels, units


def _events_table(scenario, risk, labels, units, lang) -> str:
    base = risk.variants[scenario.baseline]
    events = list(base.per_event)
    picks = [k for k in ("damage_eur", "flooded_buildings", "residents_affected",
                         "roads_cut_km") if k in base.per_event[events[0]]]
    if not picks:
        return ""
    head = "".join(f'<th class="n">{escape(e)}</th>' for e in events)
    rows = []
    for n, vr in risk.variants.items():
        for k in picks:
            unit = units.get(k, "")
            cells = "".join(f'<td class="n">{_band(vr.per_event[e][k], lang, _decimals(unit))}'
                            "</td>" for e in events)
            rows.append(f"<tr><td>{escape(n)}</td><td>{_r(labels.get(k, k), lang)}"
                        f"{(' (' + escape(unit) + ')') if unit else ''}</td>{cells}</tr>")
    return (f"<h3>{_r(T['events'], lang)}</h3><table><thead><tr><th>{_r(T['variant'], lang)}"
            f"</th><th></th>{head}</tr></thead>{''.join(rows)}</table>")


def _papi(risk, lang: str) -> str:
    rows = []
    names = list(risk.cost_benefit)
    head = "".join(f'<th class="n">{escape(n)}</th>' for n in names)

    def row(label, cells):
        return f"<tr><td>{_r(label, lang)}</td>{''.join(cells)}</tr>"

    cbs = [risk.cost_benefit[n] for n in names]
    rows.append(row(T["row_investment"], [f'<td class="n">{_n(c.cost.investment_eur, lang)} €'
                                          "</td>" for c in cbs]))
    rows.append(row(T["row_upkeep"], [f'<td class="n">{_n(c.cost.upkeep_eur_per_year, lang)} '
                                      "€</td>" for c in cbs]))
    rows.append(row(T["row_life"], [f'<td class="n">{c.cost.lifetime_years} '
                                    f"{_r(T['years'], lang)}</td>" for c in cbs]))
    rows.append(row(T["row_rate"], [f'<td class="n">{_n(100 * c.discount_rate, lang, 1)} %'
                                    "</td>" for c in cbs]))
    rows.append(row(T["row_costs"], [f'<td class="n">{_n(np.atleast_1d(c.pv_costs_eur)[0], lang)}'
                                     " €</td>" for c in cbs]))
    rows.append(row(T["row_dma"], [f'<td class="n">{_band(percentiles(c.ead_avoided_eur_per_year), lang)}'
                                   " €</td>" for c in cbs]))
    rows.append(row(T["row_benefits"], [f'<td class="n">{_band(percentiles(c.pv_benefits_eur), lang)}'
                                        " €</td>" for c in cbs]))
    rows.append(row(T["row_npv"], [f'<td class="n"><b>{_band(percentiles(c.npv_eur), lang)}'
                                   " €</b></td>" for c in cbs]))
    rows.append(row(T["row_bc"], [f'<td class="n"><b>{_band(percentiles(c.benefit_cost_ratio), lang, 2)}'
                                  "</b></td>" for c in cbs]))
    pay = []
    for c in cbs:
        years = np.atleast_1d(c.payback_year)
        if np.isfinite(years).any():
            b = percentiles(years)
            pay.append(f'<td class="n">{_band(b, lang)}</td>')
        else:
            pay.append(f'<td class="n">{_r(T["never"], lang)}</td>')
    rows.append(row(T["row_payback"], pay))
    rows.append(row(T["row_share"], [f'<td class="n">{_n(100 * c.share_paying_off, lang)} %'
                                     "</td>" for c in cbs]))
    return (f"<section><h2>{_r(T['papi'], lang)}</h2><table><thead><tr><th></th>{head}</tr>"
            f"</thead>{''.join(rows)}</table><p class=\"note\">{_r(T['rate_note'], lang)}</p>"
            "</section>")


def _chart(risk, lang: str) -> str:
    """Damage per event with its 5–95 % band, one line per variant (a PNG figure)."""
    import base64

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    events = risk.plan.events
    if len(events) < 2:
        return ""
    x = [1 / e.annual_probability for e in events]
    fig, ax = plt.subplots(figsize=(6.4, 3.4), dpi=110)
    try:
        colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7"]
        for i, (name, vr) in enumerate(risk.variants.items()):
            bands = [vr.per_event[e.name].get("damage_eur") for e in events]
            if any(b is None for b in bands):
                return ""
            mid = np.array([b.median for b in bands]) / 1e6
            lo = np.array([b.low for b in bands]) / 1e6
            hi = np.array([b.high for b in bands]) / 1e6
            c = colors[i % len(colors)]
            ax.fill_between(x, lo, hi, color=c, alpha=0.2, linewidth=0)
            ax.plot(x, mid, "o-", color=c, label=name)
        ax.set_xscale("log")
        ax.set_xticks(x, [e.name for e in events])
        ax.minorticks_off()
        ax.set_xlabel("période de retour" if lang == "fr" else "return period")
        ax.set_ylabel("dommages (M€)" if lang == "fr" else "damage (M€)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    finally:
        plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode()
    alt = _r(T["chart"], lang)
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{alt}">'
            f"<figcaption>{alt}</figcaption></figure>")
