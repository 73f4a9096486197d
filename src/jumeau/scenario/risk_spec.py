"""The risk part of a scenario file: events, uncertain inputs, members and costs.

::

    simulate:
      flood: {…}                      # shared block: also the reference run (maps, report)
    events:                           # return periods, from the most frequent to the rarest
      - {name: Q10,  annual_probability: 0.1,  simulate: {flood: {inflows: […]}}}
      - {name: Q100, annual_probability: 0.01}           # no override: the shared block
      - {name: Q1000, annual_probability: 0.001, simulate: {flood: {inflows: […]}}}
    uncertain:                        # dotted paths into the simulate block
      flood.inflows.0.hydrograph.discharge_m3s: {scale_pct: 20}
      flood.manning.default: {min: 0.03, max: 0.08}
      damage_scale: {min: 0.7, max: 1.3}                # every damage in € × this factor
    members: 20                       # Latin hypercube members (jumeau.risk.sampling)
    risk: {rare_tail: hold, discount_rate: 0.025}
    variants:
      sans-mur: {}
      avec-mur:
        measures: […]
        cost: {investment_eur: 1.5e6, upkeep_eur_per_year: 15000, lifetime_years: 50}

Events' ``simulate`` blocks are deep-merged over the variant's block, the way variants
merge over the shared one; each member's draws are then written in
(:func:`jumeau.risk.sampling.apply_member`) and the result validated by the kind's
parameter model, so a draw that makes no sense (a negative roughness) is an error naming
the uncertain input. ``damage_scale`` is not a path: it multiplies every damage in euros
of a member — exact, since damage is proportional to the depth–damage curves' values.

:func:`split` takes these keys out of the file's data before the rest is validated
(:func:`jumeau.scenario.spec.read_scenario`), and :func:`run_parameters` builds the typed
parameters of one (variant, event, member) run.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.io.yamlfile import Lines, line_of, validation_error
from jumeau.risk.ead import check_probabilities
from jumeau.risk.economics import DEFAULT_DISCOUNT_RATE, Cost
from jumeau.risk.sampling import Distribution, Member, apply_member, parse_distribution

#: Keys of a scenario file this module owns.
TOP_KEYS = ("events", "uncertain", "members", "risk")
#: The uncertain input that scales every damage in euros (not a path into simulate).
DAMAGE_SCALE = "damage_scale"


class EventSpec(BaseModel):
    """One event: its name, annual exceedance probability and overrides."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=40,
                      description="Short name (Q10, Q100…), used in tables and file names.")
    annual_probability: float = Field(description="Probability that the event is reached "
                                                  "or exceeded in a year (1 / return period).")
    title: str = ""
    simulate: dict[str, dict[str, Any] | None] = Field(default_factory=dict)


class RiskSettings(BaseModel):
    """The ``risk:`` block: how annual figures and the cost–benefit are computed."""

    model_config = ConfigDict(extra="forbid")

    rare_tail: Literal["hold", "cut"] = Field(
        "hold", description="Beyond the rarest event: hold its damage down to probability "
                            "0, or cut the integral there (jumeau.risk.ead).")
    discount_rate: float = Field(DEFAULT_DISCOUNT_RATE, ge=0, lt=1, description=(
        "Per year; default 2.5 % (Quinet 2013, jumeau.risk.economics)."))
    map_event: str | None = Field(None, description="Event whose probability-of-flooding "
                                  "map is shown first (default: the one nearest 1/100).")


class RiskBlock(BaseModel):
    """The risk keys of a scenario file, validated together."""

    model_config = ConfigDict(extra="forbid")

    events: list[EventSpec] | None = None
    uncertain: dict[str, Any] | None = None
    members: int = Field(1, ge=1, le=10_000, description="Latin hypercube members.")
    risk: RiskSettings = RiskSettings()


@dataclass
class RiskPlan:
    """A scenario's validated risk part.

    Attributes
    ----------
    events
        The events, most frequent first (empty: the shared block is the only event).
    uncertain
        Uncertain inputs by dotted path (``damage_scale`` included).
    members
        Members per (variant, event).
    settings
        Rare tail, discount rate, map event.
    costs
        Variant name → its cost (variants without ``cost:`` have none).
    """

    events: list[EventSpec]
    uncertain: dict[str, Distribution]
    members: int
    settings: RiskSettings
    costs: dict[str, Cost] = field(default_factory=dict)

    @property
    def probabilities(self) -> list[float]:
        return [e.annual_probability for e in self.events]

    def map_event(self) -> str | None:
        """The event shown first on maps (``risk.map_event`` or the nearest 1/100)."""
        if not self.events:
            return None
        if self.settings.map_event:
            return self.settings.map_event
        import math

        return min(self.events, key=lambda e: abs(math.log(e.annual_probability / 0.01))).name


def split(data: dict, lines: Lines, path: Path) -> tuple[dict, RiskPlan | None]:
    """Take the risk keys out of a scenario file's data and validate them.

    Returns
    -------
    (dict, RiskPlan or None)
        The data without them (for the rest of the validation) and the plan (None when
        the file has none of them).

    Raises
    ------
    JumeauError
        With the file, line and field: bad probabilities, one event only, a bad
        distribution, a bad cost.
    """
    if not isinstance(data, dict):
        return data, None
    has_cost = any(isinstance(v, dict) and "cost" in v
                   for v in (data.get("variants") or {}).values())
    if not has_cost and not any(k in data for k in TOP_KEYS):
        return data, None
    rest = copy.copy(data)
    block = {k: rest.pop(k) for k in TOP_KEYS if k in rest}
    try:
        risk = RiskBlock.model_validate(block)
    except ValidationError as exc:
        raise validation_error(exc, RiskBlock, lines, path) from None
    events = risk.events or []
    if risk.events is not None:
        try:
            check_probabilities([e.annual_probability for e in events], field="events",
                                names=[e.name for e in events])
        except JumeauError as err:
            raise _located(err, lines, path) from None
        names = [e.name for e in events]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise JumeauError(Text("deux événements s'appellent « {n} »",
                                       "two events are named '{n}'").format(n=name),
                                  path=path, line=line_of(lines, ("events", i, "name")),
                                  field=f"events.{i}.name")
        if risk.risk.map_event is not None and risk.risk.map_event not in names:
            raise JumeauError(Text("événement « {n} » inconnu", "unknown event '{n}'").format(
                n=risk.risk.map_event), path=path, field="risk.map_event",
                line=line_of(lines, ("risk", "map_event")),
                fix=Text("événements : {e}", "events: {e}").format(e=", ".join(names)))
    uncertain = {}
    for key, spec in (risk.uncertain or {}).items():
        try:
            uncertain[str(key)] = parse_distribution(spec, field=f"uncertain.{key}")
        except JumeauError as err:
            raise _located(err, lines, path) from None
    costs = {}
    variants = rest.get("variants")
    if isinstance(variants, dict):
        rest["variants"] = variants = dict(variants)
        for name, v in variants.items():
            if isinstance(v, dict) and "cost" in v:
                v = dict(v)
                raw = v.pop("cost")
                variants[name] = v
                try:
                    costs[name] = Cost.model_validate(raw)
                except ValidationError as exc:
                    sub = {k[3:]: n for k, n in lines.items()
                           if k[:3] == ("variants", name, "cost")}
                    err = validation_error(exc, Cost, sub, path)
                    err.field = f"variants.{name}.cost" + (f".{err.field}" if err.field
                                                            else "")
                    err.line = err.line or line_of(lines, ("variants", name, "cost"))
                    raise err from None
    return rest, RiskPlan(events=events, uncertain=uncertain, members=risk.members,
                          settings=risk.risk, costs=costs)


def _located(err: JumeauError, lines: Lines, path: Path) -> JumeauError:
    err.path = path
    if err.field:
        loc = tuple(int(p) if p.isdigit() else p for p in err.field.split("."))
        err.line = line_of(lines, loc) or line_of(lines, loc[:2]) or line_of(lines, loc[:1])
    return err


def run_parameters(scenario, variant: str, event: EventSpec | None, member: Member | None,
                   plan: RiskPlan) -> dict[str, BaseModel]:
    """The typed parameters of one run: the variant's block, the event's overrides
    deep-merged over it, the member's draws written in, validated by each kind.

    Raises
    ------
    JumeauError
        A draw or an override the kind refuses, naming the event or the uncertain input.
    """
    from jumeau.io.references import resolve
    from jumeau.scenario import kinds as kinds_module
    from jumeau.scenario.spec import deep_merge

    spec = scenario.spec
    v = scenario.variants[variant]
    raw = {k: dict(p or {}) for k, p in spec.simulate.items()}
    for k, over in v.overrides.items():
        raw[k] = deep_merge(raw.get(k, {}), over)
    if event is not None:
        for k, over in event.simulate.items():
            if k not in raw:
                raise JumeauError(
                    Text("l'événement « {e} » règle « {k} », que le scénario ne simule pas",
                         "event '{e}' sets '{k}', which the scenario does not simulate"
                         ).format(e=event.name, k=k), path=scenario.path,
                    field=f"events.{_event_index(plan, event)}.simulate.{k}")
            raw[k] = deep_merge(raw[k], over or {})
    paths = {p: d for p, d in plan.uncertain.items() if p != DAMAGE_SCALE}
    if member is not None and paths:
        defaults = {k: p.model_dump(mode="python") for k, p in v.simulations.items()}
        unknown = [p for p in paths if p.split(".", 1)[0] not in raw]
        if unknown:
            raise JumeauError(
                Text("« {p} » ne commence pas par une simulation du scénario ({k})",
                     "'{p}' does not start with a simulation of the scenario ({k})").format(
                    p=unknown[0], k=", ".join(raw)), path=scenario.path,
                field=f"uncertain.{unknown[0]}")
        raw = apply_member(raw, paths, member, defaults=defaults)
    out = {}
    for name in v.simulations:               # the variant's run order
        params = dict(raw[name])
        params.pop("uses", None)
        model = kinds_module.get(name).params
        try:
            typed = model.model_validate(params, context={"scenario_dir": scenario.path.parent})
        except ValidationError as exc:
            err = validation_error(exc, model, {}, scenario.path)
            where = (f"uncertain ({', '.join(paths)})" if member is not None and paths
                     else f"events.{_event_index(plan, event)}.simulate.{name}"
                     if event is not None else f"simulate.{name}")
            err.message = Text("{w} : ", "{w}: ").format(w=where) + (
                err.message if isinstance(err.message, Text)
                else Text(str(err.message), str(err.message)))
            err.field = f"simulate.{name}" + (f".{err.field}" if err.field else "")
            raise err from None
        resolve(typed)
        out[name] = typed
    return out


def _event_index(plan: RiskPlan, event: EventSpec | None) -> int:
    return next(i for i, e in enumerate(plan.events) if e is event) if event else 0
