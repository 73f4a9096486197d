"""Cost–benefit of a measure, as a PAPI file shows it: NPV, benefit/cost ratio, payback.

France's flood-prevention programmes (PAPI) must show, for each structural measure, the
average annual damage it avoids (*dommages moyens annuels évités*, from several return
periods: :mod:`jumeau.risk.ead`) set against what it costs, both discounted over its
lifetime (CGDD, *Analyse multicritère des projets de prévention des inondations — guide
méthodologique 2018*, Théma Balises, March 2018; Cerema, *L'évaluation socio-économique
des projets de prévention des inondations*, Mémento du maire, fiche DGp10, December 2021).
With ``B`` the EAD avoided (€/year), ``I`` the investment (year 0), ``U`` the yearly upkeep,
``r`` the discount rate and ``T`` the lifetime (years 1 … T)::

    PV(benefits) = B · A(r, T)           A(r, T) = Σₜ₌₁ᵀ (1 + r)⁻ᵗ
    PV(costs)    = I + U · A(r, T)
    NPV          = PV(benefits) − PV(costs)       (VAN, valeur actualisée nette)
    B/C          = PV(benefits) / PV(costs)
    payback year = the first year t at which −I + (B − U) · A(r, t) ≥ 0

All of it is computed for each member of an ensemble (the EAD avoided of member *i* is
the baseline's EAD of member *i* minus the variant's, the two drawn alike), so the NPV
gets the same 5 / 50 / 95 % band as every other number, and the share of members in
which the measure pays for itself within its lifetime.

Discount rate
-------------
The default, :data:`DEFAULT_DISCOUNT_RATE` = 2.5 % a year (constant euros), is the
risk-free discount rate of the official French guidance on evaluating public
investments: the report of the mission chaired by Émile Quinet, *L'évaluation
socioéconomique des investissements publics* (Commissariat général à la stratégie et à
la prospective, now France Stratégie, September 2013), which sets 2.5 % up to 2070
(1.5 % beyond) plus a risk premium of 2 % × β for projects whose benefits follow the
economy (4.5 % for β = 1); the 2018 CGDD guide to the cost–benefit analysis of flood-
prevention projects applies that framework to PAPI measures. Lifetimes here stay within
2070's horizon, so one constant rate applies. The 2021 revision of the rate (France
Stratégie, *Guide de l'évaluation socioéconomique des investissements publics —
complément opérationnel I : révision du taux d'actualisation*, J. Ni and J. Maurice,
October 2021) lowered the risk-free rate to 1.2 % (3.2 % with the β = 1 premium): a
lower rate weighs the later years of avoided damage more and raises the NPV. Set
``discount_rate`` to test either; the report states the rate used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

#: Default discount rate (per year, constant euros): Quinet 2013's risk-free rate
#: (module notes).
DEFAULT_DISCOUNT_RATE = 0.025


class Cost(BaseModel):
    """What a measure costs (the ``cost:`` block of a variant)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    investment_eur: float = Field(ge=0, description="Building it, paid in year 0 (€, HT).")
    upkeep_eur_per_year: float = Field(0.0, ge=0, description="Maintenance, every year of "
                                                              "its life (€/year).")
    lifetime_years: int = Field(50, ge=1, le=200, description="Years it works (default "
                                "50 years: the analysis period the CGDD 2018 guide "
                                "suggests for structural measures; assumption when the "
                                "measure's own is unknown).")


def annuity_factor(rate: float, years):
    """``Σₜ₌₁ᵀ (1 + r)⁻ᵗ``: today's value of 1 € a year for ``years`` years.

    Examples
    --------
    >>> round(annuity_factor(0.025, 50), 4)
    28.3623
    >>> annuity_factor(0.0, 10)
    10.0
    """
    t = np.asarray(years, dtype=float)
    if rate == 0:
        return t if t.ndim else float(t)
    out = (1 - (1 + rate) ** -t) / rate
    return out if np.ndim(out) else float(out)


@dataclass(frozen=True)
class CostBenefit:
    """The cost–benefit of one measure, per member of the ensemble (arrays of length N,
    or scalars for one run).

    Attributes
    ----------
    ead_avoided_eur_per_year
        Expected annual damage avoided (baseline − variant).
    pv_benefits_eur
        Discounted EAD avoided over the lifetime.
    pv_costs_eur
        Investment plus discounted upkeep.
    npv_eur
        Net present value, benefits − costs.
    benefit_cost_ratio
        Benefits / costs (inf when the measure costs nothing).
    payback_year
        First year at which the discounted benefits have paid the costs (NaN: not
        within the lifetime).
    cost
        The measure's cost.
    discount_rate
        The rate used.
    """

    ead_avoided_eur_per_year: np.ndarray
    pv_benefits_eur: np.ndarray
    pv_costs_eur: np.ndarray
    npv_eur: np.ndarray
    benefit_cost_ratio: np.ndarray
    payback_year: np.ndarray
    cost: Cost
    discount_rate: float

    @property
    def share_paying_off(self) -> float:
        """Share of the members whose NPV is positive."""
        return float(np.mean(np.atleast_1d(self.npv_eur) > 0))


def cost_benefit(ead_baseline_eur, ead_variant_eur, cost: Cost, *,
                 discount_rate: float = DEFAULT_DISCOUNT_RATE) -> CostBenefit:
    """The NPV, benefit/cost ratio and payback year of a measure (module notes).

    Parameters
    ----------
    ead_baseline_eur, ead_variant_eur
        Expected annual damage without and with the measure (€/year), one per member
        (paired: member *i* of both drew the same inputs) or one number each.
    cost
        The measure's investment, upkeep and lifetime.
    discount_rate
        Per year (default: :data:`DEFAULT_DISCOUNT_RATE`).

    Examples
    --------
    A 1 M€ wall with 10 k€/year of upkeep over 50 years that avoids 60 k€ of damage a
    year, at 2.5 %:

    >>> cb = cost_benefit(100_000.0, 40_000.0, Cost(investment_eur=1e6,
    ...                   upkeep_eur_per_year=1e4, lifetime_years=50))
    >>> round(float(cb.npv_eur)), round(float(cb.benefit_cost_ratio), 2), int(cb.payback_year)
    (418116, 1.33, 29)
    """
    if not 0 <= discount_rate < 1:
        from jumeau.errors import JumeauError
        from jumeau.i18n import Text

        raise JumeauError(Text("taux d'actualisation {r} hors de [0, 1)",
                               "discount rate {r} outside [0, 1)").format(r=discount_rate),
                          field="discount_rate",
                          fix=Text("un taux annuel, par exemple 0.025 pour 2,5 %",
                                   "a yearly rate, for instance 0.025 for 2.5 %"))
    avoided = np.asarray(ead_baseline_eur, float) - np.asarray(ead_variant_eur, float)
    a = annuity_factor(discount_rate, cost.lifetime_years)
    pv_b = avoided * a
    pv_c = np.full_like(avoided, cost.investment_eur + cost.upkeep_eur_per_year * a)
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(pv_c > 0, pv_b / np.where(pv_c > 0, pv_c, 1.0), np.inf)
    payback = payback_year(avoided - cost.upkeep_eur_per_year, cost.investment_eur,
                           discount_rate, cost.lifetime_years)
    return CostBenefit(avoided, pv_b, pv_c, pv_b - pv_c, bcr, payback, cost,
                       float(discount_rate))


def payback_year(net_eur_per_year, investment_eur: float, rate: float, lifetime_years: int):
    """First year ``t`` (1 … lifetime) with ``−I + N · A(r, t) ≥ 0``, NaN if none.

    Parameters
    ----------
    net_eur_per_year
        Yearly net benefit ``N`` (benefits − upkeep), scalar or per member.
    investment_eur
        ``I``, paid in year 0.
    rate
        Discount rate.
    lifetime_years
        Last year counted.

    Examples
    --------
    >>> payback_year(100.0, 1000.0, 0.0, 50), payback_year(100.0, 1000.0, 0.0, 5)
    (10.0, nan)
    """
    n = np.asarray(net_eur_per_year, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if investment_eur == 0:
            t = np.where(n >= 0, 0.0, np.nan)
        elif rate == 0:
            t = np.ceil(investment_eur / n)
        else:
            # A(r, t) ≥ I/N  ⇔  (1 + r)^-t ≤ 1 − r I / N
            share = 1 - rate * investment_eur / n
            t = np.ceil(-np.log(share) / np.log1p(rate) - 1e-9)
        t = np.where((n > 0) & np.isfinite(t) & (t <= lifetime_years) | (t == 0), t, np.nan)
    return t if t.ndim else float(t)
