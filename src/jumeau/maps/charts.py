"""Tiny inline SVG line charts for popups (a value over time at one place).

Written as SVG text in Python: no chart library in the page, nothing to load, the
same bytes for the same series.
"""

from __future__ import annotations

import math

import numpy as np

from jumeau.i18n import fmt_number
from jumeau.maps import labels
from jumeau.maps.markup import escape

WIDTH_PX, HEIGHT_PX = 280, 160
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 10, 10, 34


def nice_ticks(lo: float, hi: float, n: int = 4) -> np.ndarray:
    """About ``n`` round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi].

    Examples
    --------
    >>> nice_ticks(0.0, 1.37).tolist()
    [0.0, 0.5, 1.0, 1.5]
    """
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return np.array([0.0, 1.0])
    if hi <= lo:
        lo, hi = (lo - 0.5, hi + 0.5) if lo == 0 else (lo - abs(lo) * 0.1, hi + abs(hi) * 0.1)
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    stop = math.ceil(hi / step) * step
    ticks = np.arange(start, stop + step / 2, step)
    return np.round(ticks, 10)


def _decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def time_unit(span_s: float) -> tuple[float, labels.Text]:
    """Seconds per unit and unit label for a time axis spanning ``span_s`` seconds."""
    if span_s <= 90 * 60:
        return 60.0, labels.UNIT_MIN
    if span_s <= 72 * 3600:
        return 3600.0, labels.UNIT_H
    return 86400.0, labels.UNIT_DAY


def line_chart(times_s: np.ndarray, values: np.ndarray, *, y_label: str, lang: str,
               color: str = "#08519c", label: str = "",
               others: tuple[tuple[np.ndarray, np.ndarray, str, str], ...] = ()) -> str:
    """An SVG line chart of ``values`` against time, with axes labelled in ``lang``.

    Parameters
    ----------
    times_s
        Times since the start of the simulation, in seconds (increasing).
    values
        One value per time; NaN breaks the line.
    y_label
        Label of the value axis with its unit, already in ``lang`` (escaped here).
    lang
        ``"fr"`` or ``"en"``: decimal separator and axis words.
    color
        Colour of the line (validated by the caller).
    label
        Name of the line, shown in a legend when there are ``others``.
    others
        More lines on the same axes: ``(times_s, values, color, label)`` each (the
        baseline and a variant of a comparison).

    Examples
    --------
    >>> svg = line_chart(np.array([0, 3600, 7200]), np.array([0.0, 0.8, 0.3]),
    ...                  y_label="Hauteur d'eau (m)", lang="fr")
    >>> "temps (h)" in svg and "0,5" in svg
    True
    """
    t = np.asarray(times_s, dtype=float)
    y = np.asarray(values, dtype=float)
    if t.shape != y.shape or t.ndim != 1 or len(t) == 0:
        raise ValueError("a series needs as many times as values (1-D, not empty)")
    lines = [(t, y, color, label)] + [(np.asarray(a, float), np.asarray(b, float), c, n)
                                      for a, b, c, n in others]
    t_all = np.concatenate([line[0] for line in lines])
    y_all = np.concatenate([line[1] for line in lines])
    per, unit = time_unit(float(np.nanmax(t_all) - np.nanmin(t_all)))
    finite_all = np.isfinite(y_all)
    ylo = float(np.nanmin(y_all[finite_all])) if finite_all.any() else 0.0
    yhi = float(np.nanmax(y_all[finite_all])) if finite_all.any() else 1.0
    xt = nice_ticks(float(np.nanmin(t_all / per)), float(np.nanmax(t_all / per)))
    yt = nice_ticks(min(ylo, 0.0) if ylo >= 0 else ylo, yhi)
    w, h = WIDTH_PX - _LEFT - _RIGHT, HEIGHT_PX - _TOP - _BOTTOM

    def px(v: np.ndarray) -> np.ndarray:
        return _LEFT + (v - xt[0]) / (xt[-1] - xt[0]) * w

    def py(v: np.ndarray) -> np.ndarray:
        return _TOP + h - (v - yt[0]) / (yt[-1] - yt[0]) * h

    parts = [f'<svg class="jm-chart" width="{WIDTH_PX}" height="{HEIGHT_PX}" '
             f'viewBox="0 0 {WIDTH_PX} {HEIGHT_PX}" role="img" aria-label="{escape(y_label)}">']
    xd, yd = _decimals(float(xt[1] - xt[0])), _decimals(float(yt[1] - yt[0]))
    for v in yt:
        yy = float(py(np.array(v)))
        parts.append(f'<line x1="{_LEFT}" x2="{_LEFT + w}" y1="{yy:.1f}" y2="{yy:.1f}" '
                     f'class="jm-grid"/>')
        parts.append(f'<text x="{_LEFT - 4}" y="{yy + 3:.1f}" text-anchor="end">'
                     f"{escape(fmt_number(float(v), lang, yd))}</text>")
    for v in xt:
        xx = float(px(np.array(v)))
        parts.append(f'<line x1="{xx:.1f}" x2="{xx:.1f}" y1="{_TOP + h}" y2="{_TOP + h + 3}" '
                     f'class="jm-axis"/>')
        parts.append(f'<text x="{xx:.1f}" y="{_TOP + h + 14}" text-anchor="middle">'
                     f"{escape(fmt_number(float(v), lang, xd))}</text>")
    parts.append(f'<line x1="{_LEFT}" x2="{_LEFT + w}" y1="{_TOP + h}" y2="{_TOP + h}" '
                 f'class="jm-axis"/>')
    parts.append(f'<text x="{_LEFT + w / 2:.1f}" y="{HEIGHT_PX - 4}" text-anchor="middle" '
                 f'class="jm-axis-label">'
                 f'{escape(labels.TIME_AXIS.format(unit=unit.render(lang)).render(lang))}</text>')
    for i, (lt, ly, lcolor, lname) in enumerate(lines):
        x, finite = lt / per, np.isfinite(ly)
        dash = ' stroke-dasharray="5,3"' if i > 0 else ""
        # Break the line at missing values: one polyline per finite run.
        runs = np.split(np.arange(len(ly)), np.flatnonzero(np.diff(finite.astype(int)) != 0)
                        + 1)
        for run in runs:
            if not len(run) or not finite[run[0]]:
                continue
            pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(px(x[run]), py(ly[run])))
            parts.append(f'<polyline points="{pts}" fill="none" stroke="{lcolor}" '
                         f'stroke-width="2" stroke-linejoin="round"{dash}/>')
        if others:
            yy = _TOP + 10 + 12 * i
            parts.append(f'<line x1="{_LEFT + 6}" x2="{_LEFT + 22}" y1="{yy}" y2="{yy}" '
                         f'stroke="{lcolor}" stroke-width="2"{dash}/>'
                         f'<text x="{_LEFT + 26}" y="{yy + 3}">{escape(lname)}</text>')
    parts.append("</svg>")
    caption = escape(y_label)
    if finite_all.any():
        top = labels.MAXIMUM.format(value=fmt_number(yhi, lang, max(yd, 1))).render(lang)
        caption += f' <span class="jm-chart-max">({escape(top)})</span>'
    return f'<div class="jm-chart-caption">{caption}</div>' + "".join(parts)
