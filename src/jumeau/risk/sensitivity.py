"""Which uncertain input moves the headline number most: rank correlation, stated simply.

For each uncertain input, the Spearman rank correlation ρ between the values the members
drew and the headline number they gave (:func:`scipy.stats.spearmanr`): +1 when the
number always rises with the input, −1 when it always falls, near 0 when the input does
not move it (or moves it up and down). It needs no model of the response, only the
members already run, and Latin hypercube designs suit it (Helton & Davis 2003,
*Reliability Engineering & System Safety* 81: 23–69).

What it does not say: it ranks inputs by how consistently they push the number, not by
how much of its variance they explain, and it misses effects that only show when two
inputs move together. With few members, a small ρ can be chance: the sentence gives the
value below which that is so at the 5 % level.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats

from jumeau.i18n import Text, fmt_number


@dataclass(frozen=True)
class Influence:
    """One input's rank correlation with the headline number.

    Attributes
    ----------
    input
        The input's dotted path.
    rho
        Spearman's ρ (NaN when the input or the number did not vary).
    p_value
        Two-sided p-value of ρ = 0.
    """

    input: str
    rho: float
    p_value: float


def rank_correlations(inputs: Mapping[str, np.ndarray], output) -> list[Influence]:
    """Spearman's ρ of each input with ``output``, strongest first.

    Parameters
    ----------
    inputs
        ``{input: values drawn by the members}``, each of length N.
    output
        The headline number of each member, length N.

    Examples
    --------
    >>> x = {"q": np.array([1.0, 2, 3, 4]), "n": np.array([4.0, 1, 3, 2])}
    >>> [(i.input, round(i.rho, 2)) for i in rank_correlations(x, [10.0, 20, 30, 40])]
    [('q', 1.0), ('n', -0.4)]
    """
    y = np.asarray(output, dtype=float)
    out = []
    for name, values in inputs.items():
        x = np.asarray(values, dtype=float)
        ok = np.isfinite(x) & np.isfinite(y)
        if ok.sum() < 3 or np.ptp(x[ok]) == 0 or np.ptp(y[ok]) == 0:
            out.append(Influence(name, float("nan"), float("nan")))
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = stats.spearmanr(x[ok], y[ok])
        out.append(Influence(name, float(res.statistic), float(res.pvalue)))
    return sorted(out, key=lambda i: -abs(i.rho) if np.isfinite(i.rho) else 1.0)


def chance_level(n_members: int, alpha: float = 0.05) -> float:
    """|ρ| below which a correlation over ``n_members`` may be chance (two-sided
    ``alpha``; Student's t approximation of ρ's null distribution).

    Examples
    --------
    >>> round(chance_level(20), 2)
    0.44
    """
    if n_members < 4:
        return 1.0
    df = n_members - 2
    t = stats.t.ppf(1 - alpha / 2, df)
    return float(t / np.sqrt(df + t * t))


def sensitivity_sentence(influences: list[Influence], labels: Mapping[str, Text],
                         output_label: Text, n_members: int) -> Text:
    """The ranking in one or two plain sentences.

    Parameters
    ----------
    influences
        From :func:`rank_correlations`, strongest first.
    labels
        A readable name for each input (its path when missing).
    output_label
        The headline number's name.
    n_members
        Members behind the correlations.

    Examples
    --------
    >>> s = sensitivity_sentence([Influence("q", 0.9, 0.0), Influence("n", -0.2, 0.4)],
    ...                          {"q": Text("le débit", "the discharge")},
    ...                          Text("les dommages", "the damage"), 20)
    >>> print(s.render("en"))
    What moves the damage most: the discharge (rank correlation ρ = 0.90: they move \
together), then n (ρ = -0.20). Over 20 runs, |ρ| below 0.44 may be chance.
    """
    known = [i for i in influences if np.isfinite(i.rho)]

    def render(lang: str) -> str:
        out = output_label.render(lang)
        if not known:
            return ("Aucune entrée incertaine ne fait varier " + out + "." if lang == "fr"
                    else "No uncertain input moves " + out + ".")

        def name(i: Influence) -> str:
            return labels[i.input].render(lang) if i.input in labels else i.input

        def rho(i: Influence) -> str:
            return fmt_number(i.rho, lang, 2)

        top = known[0]
        if lang == "fr":
            way = "dans le même sens" if top.rho > 0 else "en sens inverse"
            text = (f"Ce qui fait le plus varier {out} : {name(top)} (corrélation de rang "
                    f"ρ = {rho(top)} : ils varient {way})")
            rest = ", ".join(f"{name(i)} (ρ = {rho(i)})" for i in known[1:3])
            text += (f", puis {rest}." if rest else ".")
            text += (f" Sur {n_members} tirages, un |ρ| inférieur à "
                     f"{fmt_number(chance_level(n_members), lang, 2)} peut être dû au hasard.")
        else:
            way = "together" if top.rho > 0 else "in opposite directions"
            text = (f"What moves {out} most: {name(top)} (rank correlation "
                    f"ρ = {rho(top)}: they move {way})")
            rest = ", ".join(f"{name(i)} (ρ = {rho(i)})" for i in known[1:3])
            text += (f", then {rest}." if rest else ".")
            text += (f" Over {n_members} runs, |ρ| below "
                     f"{fmt_number(chance_level(n_members), lang, 2)} may be chance.")
        return text

    return Text(render("fr"), render("en"))
