"""Expected annual damage: the integral of damage over annual exceedance probability.

A flood plan is judged on every flood it may meet, not on one. Given a few events of
known annual exceedance probability (Q10: 0.1, Q100: 0.01, Q1000: 0.001…) and the damage
each one does, the expected annual damage (EAD, *dommages moyens annuels*, DMA, in the
French guidance) is the area under the damage–probability curve::

    EAD = ∫₀¹ D(p) dp

computed by the trapezoidal rule between the events (:func:`scipy.integrate.trapezoid`),
with the two tails treated as the French guide to the cost–benefit analysis of flood
prevention projects does (CGDD, *Analyse multicritère des projets de prévention des
inondations — guide méthodologique 2018*, the "DMA" computation):

- **frequent tail**: no damage for floods more frequent than the most frequent event
  given (``p > p₁``: the curve starts at the first event, whose damage is the first that
  counts). Give a small, frequent event with no damage to make this exact.
- **rare tail** (``p < pₙ``), a parameter: ``"hold"`` keeps the rarest event's damage
  down to probability 0 (adds ``pₙ · Dₙ``: the rarer floods do at least that much), the
  default; ``"cut"`` stops the integral at ``pₙ`` (no damage counted beyond the rarest
  event: a lower bound).

The same integral gives residents affected per year, roads cut per year (km · year⁻¹)
or any other per-event quantity: it works on arrays whose first axis is the event, so
one call gives the commune's number, every building's (a map) or every district's.

Examples
--------
Three events, damage 100 €, 1 000 € and 5 000 €:

>>> round(float(expected_annual([0.1, 0.01, 0.001], [100, 1000, 5000], tail="cut")), 6)
76.5
>>> round(float(expected_annual([0.1, 0.01, 0.001], [100, 1000, 5000])), 6)  # + 0.001 × 5000
81.5
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
from scipy.integrate import trapezoid

from jumeau.errors import JumeauError
from jumeau.i18n import Text

Tail = Literal["hold", "cut"]
TAILS: tuple[str, ...] = ("hold", "cut")


def check_probabilities(probabilities: Sequence[float], *, field: str = "events",
                        names: Sequence[str] | None = None) -> np.ndarray:
    """The events' annual exceedance probabilities, checked.

    Parameters
    ----------
    probabilities
        One per event, listed from the most frequent to the rarest (increasing
        severity).
    field
        The scenario field the events come from (for the error message).
    names
        The events' names, for the error message.

    Returns
    -------
    numpy.ndarray
        The probabilities as floats.

    Raises
    ------
    JumeauError
        Fewer than two events, a probability outside (0, 1), or probabilities that do
        not decrease strictly from one event to the next.
    """
    p = np.asarray(probabilities, dtype=float)
    if p.ndim != 1 or p.size < 2:
        raise JumeauError(
            Text("il faut au moins deux événements pour calculer des dommages moyens "
                 "annuels (il y en a {n})", "expected annual damage needs at least two "
                 "events (there are {n})").format(n=int(p.size)), field=field,
            fix=Text("décrivez au moins deux crues de périodes de retour différentes "
                     "(par exemple Q10 et Q100)", "describe at least two floods of "
                     "different return periods (for instance Q10 and Q100)"))
    label = (lambda i: names[i]) if names is not None else (lambda i: str(i + 1))
    bad = np.flatnonzero(~((p > 0) & (p < 1)))
    if bad.size:
        i = int(bad[0])
        raise JumeauError(
            Text("la probabilité annuelle de l'événement « {e} » vaut {p} : elle doit être "
                 "strictement entre 0 et 1", "the annual probability of event '{e}' is {p}: "
                 "it must be strictly between 0 and 1").format(e=label(i), p=p[i]),
            field=f"{field}.{i}.annual_probability",
            fix=Text("une crue de période de retour T ans a une probabilité annuelle de "
                     "1/T (Q100 : 0.01)", "a flood of return period T years has an annual "
                     "probability of 1/T (Q100: 0.01)"))
    rising = np.flatnonzero(np.diff(p) >= 0)
    if rising.size:
        i = int(rising[0]) + 1
        raise JumeauError(
            Text("les événements doivent aller du plus fréquent au plus rare : « {e} » "
                 "({p}) n'est pas plus rare que « {f} » ({q})", "events must go from the "
                 "most frequent to the rarest: '{e}' ({p}) is not rarer than '{f}' ({q})"
                 ).format(e=label(i), p=p[i], f=label(i - 1), q=p[i - 1]),
            field=f"{field}.{i}.annual_probability",
            fix=Text("classez les événements par probabilité annuelle décroissante "
                     "(Q10 : 0.1, Q100 : 0.01, Q1000 : 0.001)", "list the events by "
                     "decreasing annual probability (Q10: 0.1, Q100: 0.01, Q1000: 0.001)"))
    return p


def expected_annual(probabilities: Sequence[float], values, *, tail: Tail = "hold",
                    field: str = "events") -> np.ndarray:
    """Expected annual value of a per-event quantity (damage, residents, km of road).

    Parameters
    ----------
    probabilities
        Annual exceedance probability of each event, from the most frequent to the
        rarest (strictly decreasing, each in (0, 1)).
    values
        The quantity for each event: an array whose first axis is the event (shape
        ``(n_events,)`` for the commune, ``(n_events, n_buildings)`` for a map…).
        NaN propagates (an unknown value gives an unknown expectation).
    tail
        ``"hold"``: the rarest event's value holds down to probability 0; ``"cut"``: the
        integral stops at the rarest event (module notes).
    field
        The scenario field of the events, for error messages.

    Returns
    -------
    numpy.ndarray
        The expected annual value, shape ``values.shape[1:]`` (a 0-d array for a
        single number), in the unit of ``values`` per year.

    Raises
    ------
    JumeauError
        Bad probabilities (:func:`check_probabilities`), a ``values`` array whose first
        axis is not one per event, or an unknown ``tail``.

    Examples
    --------
    Per building: two buildings, three events.

    >>> expected_annual([0.1, 0.01, 0.001], [[0, 100.0], [0, 1000.0], [200.0, 5000.0]],
    ...                 tail="cut").round(6).tolist()
    [0.9, 76.5]
    """
    p = check_probabilities(probabilities, field=field)
    v = np.asarray(values, dtype=float)
    if v.ndim == 0 or v.shape[0] != p.size:
        raise JumeauError(
            Text("il faut une valeur par événement ({n} événements, {m} valeurs)",
                 "one value per event is needed ({n} events, {m} values)").format(
                n=p.size, m=v.shape[0] if v.ndim else 1), field=field)
    if tail not in TAILS:
        raise JumeauError(
            Text("traitement de la queue rare inconnu « {t} »", "unknown rare-tail "
                 "treatment '{t}'").format(t=tail), field="tail",
            fix=Text("« hold » (dommage de l'événement le plus rare jusqu'à la probabilité "
                     "0) ou « cut » (arrêt à l'événement le plus rare)", "'hold' (the rarest "
                     "event's damage down to probability 0) or 'cut' (stop at the rarest "
                     "event)"))
    # probabilities ascending for the integral: from the rarest event to the most frequent
    area = trapezoid(v[::-1], p[::-1], axis=0)
    if tail == "hold":
        area = area + p[-1] * v[-1]
    return np.asarray(area, dtype=float)


def expected_annual_indicators(probabilities: Sequence[float],
                               per_event: Sequence[Mapping[str, float]], *,
                               tail: Tail = "hold", field: str = "events") -> dict[str, float]:
    """Expected annual value of every indicator the events share.

    Parameters
    ----------
    probabilities
        As in :func:`expected_annual`.
    per_event
        One ``{indicator: value}`` per event, in the same order.
    tail, field
        As in :func:`expected_annual`.

    Returns
    -------
    dict
        ``{indicator: expected annual value}`` for the indicators every event has
        (``damage_eur`` → the expected annual damage in € per year).

    Examples
    --------
    >>> out = expected_annual_indicators([0.1, 0.01], [{"damage_eur": 0, "roads_cut_km": 1},
    ...                                                {"damage_eur": 1e4, "roads_cut_km": 3}])
    >>> {k: round(v, 6) for k, v in out.items()}
    {'damage_eur': 550.0, 'roads_cut_km': 0.21}
    """
    names = [k for k in per_event[0] if all(k in e for e in per_event[1:])] if per_event else []
    return {k: float(expected_annual(probabilities, [e[k] for e in per_event], tail=tail,
                                     field=field))
            for k in names}
