"""How sure the numbers are: percentile bands over an ensemble, and in plain words.

An ensemble of N members gives N values of every indicator. This module reduces them
to the 5 %, 50 % and 95 % values (:func:`percentiles`: the median and a band that 90 %
of the members fall within), turns a stack of grids into the probability that each
cell exceeds a threshold (:func:`exceedance_probability`: a map of "how likely is this
street to be under more than 30 cm of water"), and writes one sentence a reader can
take in (:func:`width_sentence`).

Percentiles use numpy's default linear interpolation between order statistics
(Hyndman & Fan 1996, definition 7); with 20 members the 5 % and 95 % values sit between
the first and second, and the 19th and 20th, sorted members.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from jumeau.i18n import Text, fmt_number

#: The percentiles reported (%).
LEVELS: tuple[float, float, float] = (5.0, 50.0, 95.0)

#: Relative half-widths (half the 5–95 % band over the median) below which a band is
#: called narrow, then moderate; wide above (assumption: a reader's scale, not a norm).
NARROW, MODERATE = 0.10, 0.30


@dataclass(frozen=True)
class Band:
    """The 5 / 50 / 95 % values of a quantity over an ensemble.

    Attributes
    ----------
    low
        5 % value (5 % of the members are below it).
    median
        50 % value.
    high
        95 % value.
    n_members
        Number of members with a value (NaN ones left out).
    """

    low: np.ndarray | float
    median: np.ndarray | float
    high: np.ndarray | float
    n_members: int

    @property
    def width(self):
        """``high − low``: 0 when every member agrees."""
        return np.asarray(self.high) - np.asarray(self.low)

    def as_dict(self) -> dict[str, float]:
        """``{"p5", "p50", "p95"}`` of a scalar band (for JSON)."""
        return {"p5": float(self.low), "p50": float(self.median), "p95": float(self.high)}


def percentiles(values, *, levels: Sequence[float] = LEVELS) -> Band:
    """The 5 / 50 / 95 % values over the first axis (the members).

    Parameters
    ----------
    values
        Array of shape ``(n_members, …)``; NaN (an unknown value) is left out.
    levels
        The three percentiles, low, median, high.

    Examples
    --------
    >>> b = percentiles([3.0, 1.0, 2.0, 5.0, 4.0])
    >>> float(b.low), float(b.median), float(b.high)
    (1.2, 3.0, 4.8)
    """
    v = np.asarray(values, dtype=float)
    if v.size == 0:  # no member, or no feature: nothing to rank
        empty = np.full(v.shape[1:], np.nan)
        return Band(float("nan") if v.ndim == 1 else empty, float("nan") if v.ndim == 1
                    else empty, float("nan") if v.ndim == 1 else empty, 0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN
        lo, mid, hi = np.nanpercentile(v, list(levels), axis=0)
    n = int(np.isfinite(v).any(axis=tuple(range(1, v.ndim))).sum()) if v.ndim > 1 else int(
        np.isfinite(v).sum())
    scalar = v.ndim == 1
    return Band(float(lo) if scalar else lo, float(mid) if scalar else mid,
                float(hi) if scalar else hi, n)


def indicator_bands(members: Sequence[Mapping[str, float | None]]) -> dict[str, Band]:
    """The band of every indicator the members report.

    Parameters
    ----------
    members
        One ``{indicator: value}`` per member (None: unknown).

    Examples
    --------
    >>> bands = indicator_bands([{"damage_eur": 10.0}, {"damage_eur": 10.0}])
    >>> bands["damage_eur"].as_dict()
    {'p5': 10.0, 'p50': 10.0, 'p95': 10.0}
    """
    names: dict[str, None] = {}
    for m in members:
        names.update(dict.fromkeys(m))
    return {k: percentiles([np.nan if m.get(k) is None else m[k] for m in members])
            for k in names}


def exceedance_probability(stack, threshold: float) -> np.ndarray:
    """Share of the members in which each cell exceeds ``threshold``.

    Parameters
    ----------
    stack
        Array ``(n_members, ny, nx)`` (max depth, night temperature…); NaN counts as
        not exceeding (a dry cell has no depth).
    threshold
        The value a cell must exceed (strictly).

    Returns
    -------
    numpy.ndarray
        Probability per cell, 0 … 1, shape ``(ny, nx)``.

    Examples
    --------
    >>> exceedance_probability([[0.0, 0.5], [0.2, np.nan], [0.4, 0.6], [0.0, 0.1]], 0.1)
    array([0.5, 0.5])
    """
    s = np.asarray(stack, dtype=float)
    with np.errstate(invalid="ignore"):
        return (s > threshold).mean(axis=0)


def _sig(value: float, lang: str, digits: int = 3) -> str:
    """``value`` with about ``digits`` significant figures, written for ``lang``."""
    if not np.isfinite(value):
        return "—"
    if value == 0:
        return "0"
    magnitude = int(np.floor(np.log10(abs(value))))
    decimals = max(0, digits - 1 - magnitude)
    rounded = round(value, decimals)
    decimals = next(d for d in range(decimals + 1) if abs(round(rounded, d) - rounded) < 1e-12
                    * max(1.0, abs(rounded)))
    return fmt_number(rounded, lang, decimals)


def width_sentence(band: Band, label: Text, unit: str = "") -> Text:
    """How wide a scalar band is, in one plain sentence (French and English).

    Examples
    --------
    >>> b = Band(low=80.0, median=100.0, high=130.0, n_members=20)
    >>> print(width_sentence(b, Text("dommages", "damage"), "€").render("en"))
    damage: between 80 and 130 € in 90 % of the 20 runs (median 100 €); a moderate band, \
from 20 % below to 30 % above the median.
    """
    lo, mid, hi = float(band.low), float(band.median), float(band.high)
    u = f" {unit}" if unit else ""

    def render(lang: str) -> str:
        name = label.render(lang)
        if not np.isfinite(mid):
            return (f"{name} : inconnu" if lang == "fr" else f"{name}: unknown")
        if hi == lo:
            return (f"{name} : {_sig(mid, lang)}{u}, la même valeur dans les "
                    f"{band.n_members} tirages (l'incertitude décrite ne le change pas)."
                    if lang == "fr" else
                    f"{name}: {_sig(mid, lang)}{u}, the same in all {band.n_members} runs "
                    f"(the uncertainty described does not change it).")
        head = (f"{name} : entre {_sig(lo, lang)} et {_sig(hi, lang)}{u} dans 90 % des "
                f"{band.n_members} tirages (médiane {_sig(mid, lang)}{u})" if lang == "fr"
                else f"{name}: between {_sig(lo, lang)} and {_sig(hi, lang)}{u} in 90 % of "
                f"the {band.n_members} runs (median {_sig(mid, lang)}{u})")
        if mid == 0:
            return head + "."
        below, above = (mid - lo) / abs(mid), (hi - mid) / abs(mid)
        half = (below + above) / 2
        word = ({"fr": "fourchette étroite", "en": "a narrow band"} if half < NARROW else
                {"fr": "fourchette moyenne", "en": "a moderate band"} if half < MODERATE
                else {"fr": "fourchette large", "en": "a wide band"})[lang]
        pct_lo = fmt_number(100 * below, lang)
        pct_hi = fmt_number(100 * above, lang)
        return (f"{head} ; {word}, de {pct_lo} % sous la médiane à {pct_hi} % au-dessus."
                if lang == "fr" else
                f"{head}; {word}, from {pct_lo} % below to {pct_hi} % above the median.")

    return Text(render("fr"), render("en"))
