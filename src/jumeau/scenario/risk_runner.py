"""Risk over many runs: every (variant, event, member) through the engine, then reduced.

For a scenario with ``events:``, ``uncertain:`` / ``members:`` or variant costs
(:mod:`jumeau.scenario.risk_spec`), :func:`run_risk`:

1. builds one :class:`RunTask` per variant × event × member, with its typed parameters
   (validated here, in this process: a bad draw fails before any work) and its seed —
   the member's, derived from the scenario's seed and the member's index, the same for
   every variant and event, so that member *i* of two variants drew the same inputs;
2. runs them through :func:`jumeau.scenario.engine.run_many` (serially or over Dask),
   the variants' territories sent once per worker; each run comes back reduced
   (:class:`RunSummary`: indicators, per-feature values, "above threshold" masks);
3. reduces them (:class:`RiskResult`): the 5 / 50 / 95 % values of every indicator per
   event; per member, the expected annual value over the events (damage: the EAD)
   and its band; EAD per building and per district; the probability that each cell is
   flooded, per event; the cost–benefit of each variant with a cost against the
   baseline, member by member; which uncertain input moves the baseline's EAD most.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from pydantic import BaseModel

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.risk.bands import Band, exceedance_probability, percentiles
from jumeau.risk.ead import expected_annual
from jumeau.risk.economics import CostBenefit, cost_benefit
from jumeau.risk.sampling import Member, draw_members
from jumeau.risk.sensitivity import Influence, rank_correlations
from jumeau.scenario import kinds as kinds_module
from jumeau.scenario.engine import Engine, run_many
from jumeau.scenario.risk_spec import DAMAGE_SCALE, RiskPlan, run_parameters

#: Units of indicators that add up over a year (their expected annual value makes sense:
#: € of damage, counts of buildings or people, km of road, ha of land).
ANNUAL_UNITS = ("€", "", "km", "ha")


@dataclass(frozen=True)
class RunTask:
    """One run: a variant, an event, a member."""

    variant: str
    event: str | None
    member: int | None
    seed: int
    simulations: dict[str, BaseModel]
    uses: dict[str, tuple[str, ...]]
    keys: dict[tuple[str, str], str]
    damage_scale: float = 1.0

    @property
    def name(self) -> str:
        parts = [self.variant, self.event, None if self.member is None else f"#{self.member}"]
        return " / ".join(p for p in parts if p)


@dataclass(frozen=True)
class RunSummary:
    """What comes back from a run: small enough for hundreds of runs.

    Attributes
    ----------
    indicators
        Flat name → value (NaN: unknown).
    features
        Layer → its key, flag and summed columns per feature (no geometry).
    masks
        Grid → cells above the grid's declared threshold.
    """

    indicators: dict[str, float]
    features: dict[str, pd.DataFrame]
    masks: dict[str, np.ndarray]


def run_task(territories: dict, task: RunTask) -> RunSummary:
    """Run one (variant, event, member) and reduce it (pure; runs on a worker)."""
    from jumeau.scenario.runner import _output_value, derive_seed

    territory = territories[task.variant]
    results = {}
    for name, params in task.simulations.items():
        inputs = {}
        for used in task.uses.get(name, ()):
            producer, output = used.split(".", 1)
            inputs[used] = _output_value(results[producer], producer, output)
        results[name] = kinds_module.get(name).simulate(
            territory, params, seed=derive_seed(task.seed, name), inputs=inputs)
    return summarize(results, task.keys, task.damage_scale)


def summarize(results: dict, keys: dict[tuple[str, str], str], damage_scale: float = 1.0
              ) -> RunSummary:
    """The indicators, per-feature values and threshold masks of a run's results."""
    indicators, features, masks = {}, {}, {}
    for kind_name, result in results.items():
        kind = kinds_module.get(kind_name)
        context = result.context() if hasattr(result, "context") else {}
        values = result.indicators()
        for out in kind.outputs_of("indicator"):
            v = values.get(out.name)
            v = float("nan") if v is None else float(v)
            indicators[keys[(kind_name, out.name)]] = v * (damage_scale if out.unit == "€"
                                                            else 1.0)
        layers = None
        for out in kind.outputs_of("layer"):
            sums = [c for c, *_ in out.sum_columns()]
            if out.key is None or not sums:
                continue
            layers = layers if layers is not None else result.layers()
            frame = layers[out.name]
            cols = [out.key] + ([out.flag] if out.flag else []) + [c for c in sums
                                                                  if c in frame.columns]
            table = pd.DataFrame(frame[cols]).reset_index(drop=True)
            for c in sums:
                if c.endswith("_eur") and c in table:
                    table[c] = table[c].astype(float) * damage_scale
            features[keys[(kind_name, out.name)]] = table
        rasters = None
        for out in kind.outputs_of("grid"):
            if out.threshold is None:
                continue
            rasters = rasters if rasters is not None else result.rasters()
            threshold = (context.get(out.threshold) if isinstance(out.threshold, str)
                         else out.threshold)
            if threshold is None:
                continue
            with np.errstate(invalid="ignore"):
                masks[keys[(kind_name, out.name)]] = np.asarray(
                    rasters[out.name].values, float) > float(threshold)
    return RunSummary(indicators, features, masks)


# --------------------------------------------------------------------------- result


@dataclass
class VariantRisk:
    """One variant's risk figures.

    Attributes
    ----------
    name
        The variant.
    per_event
        Event → indicator → its band over the members.
    annual
        Indicator → band of its expected annual value (empty without events).
    annual_members
        Indicator → expected annual value of each member.
    features
        Layer → per feature: expected annual value of each summed column, its p5 /
        p50 / p95 over the members (``damage_eur_p50``…); None without events.
    probability
        Event → grid → probability that a cell is above the grid's threshold.
    """

    name: str
    per_event: dict[str, dict[str, Band]]
    annual: dict[str, Band]
    annual_members: dict[str, np.ndarray]
    features: dict[str, pd.DataFrame]
    probability: dict[str, dict[str, np.ndarray]]


@dataclass
class RiskResult:
    """The risk figures of a scenario (see the module docstring).

    Attributes
    ----------
    plan
        The scenario's events, inputs, members, settings and costs.
    variants
        Variant → its figures, the baseline first.
    cost_benefit
        Variant with a cost → its cost–benefit against the baseline.
    sensitivity
        Uncertain inputs ranked by their rank correlation with the baseline's EAD (or
        its first headline indicator without events).
    sensitivity_output
        The indicator the sensitivity is about.
    inputs
        Uncertain input → value drawn by each member.
    n_runs
        Runs made.
    wall_time_s
        Time the runs took.
    engine
        Where they ran, in words.
    """

    plan: RiskPlan
    variants: dict[str, VariantRisk]
    cost_benefit: dict[str, CostBenefit]
    sensitivity: list[Influence]
    sensitivity_output: str | None
    inputs: dict[str, np.ndarray]
    n_runs: int
    wall_time_s: float
    engine: str
    events: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """The figures as plain JSON values (``jumeau run --json``, ``risk.json``)."""
        def band(b: Band) -> dict:
            return {k: _json(v) for k, v in b.as_dict().items()}

        out: dict = {
            "events": [{"name": e.name, "annual_probability": e.annual_probability}
                       for e in self.plan.events],
            "members": self.plan.members, "runs": self.n_runs,
            "rare_tail": self.plan.settings.rare_tail,
            "discount_rate": self.plan.settings.discount_rate,
            "uncertain": {k: v.model_dump(mode="json") | {"type": type(v).__name__}
                          for k, v in self.plan.uncertain.items()},
            "variants": {}}
        for name, vr in self.variants.items():
            out["variants"][name] = {
                "annual": {k: band(b) for k, b in vr.annual.items()},
                "per_event": {e: {k: band(b) for k, b in ind.items()}
                              for e, ind in vr.per_event.items()}}
        out["cost_benefit"] = {v: {
            "investment_eur": cb.cost.investment_eur,
            "upkeep_eur_per_year": cb.cost.upkeep_eur_per_year,
            "lifetime_years": cb.cost.lifetime_years,
            "ead_avoided_eur_per_year": band(percentiles(cb.ead_avoided_eur_per_year)),
            "pv_benefits_eur": band(percentiles(cb.pv_benefits_eur)),
            "pv_costs_eur": _json(float(np.atleast_1d(cb.pv_costs_eur)[0])),
            "npv_eur": band(percentiles(cb.npv_eur)),
            "benefit_cost_ratio": band(percentiles(cb.benefit_cost_ratio)),
            "payback_year": band(percentiles(cb.payback_year)),
            "share_paying_off": cb.share_paying_off} for v, cb in self.cost_benefit.items()}
        out["sensitivity"] = {"output": self.sensitivity_output,
                              "inputs": [{"input": i.input, "rho": _json(i.rho),
                                          "p_value": _json(i.p_value)}
                                         for i in self.sensitivity]}
        return out


def _json(v) -> float | None:
    v = float(v)
    return v if np.isfinite(v) else None


# --------------------------------------------------------------------------- running


def build_tasks(scenario, plan: RiskPlan) -> tuple[list[RunTask], list[Member] | None]:
    """Every (variant, event, member) run with its typed parameters."""
    from jumeau.scenario.runner import output_keys

    seed = scenario.spec.seed
    keys = output_keys(scenario.kinds)
    members = (draw_members(plan.uncertain, plan.members, seed)
               if plan.uncertain or plan.members > 1 else None)
    events = plan.events or [None]
    tasks = []
    for vname, v in scenario.variants.items():
        for event in events:
            for member in (members or [None]):
                params = run_parameters(scenario, vname, event, member, plan)
                scale = member.values.get(DAMAGE_SCALE, 1.0) if member else 1.0
                tasks.append(RunTask(
                    variant=vname, event=event.name if event else None,
                    member=member.index if member else None,
                    seed=member.seed if member else seed, simulations=params,
                    uses=v.uses, keys=keys, damage_scale=scale))
    return tasks, members


def run_risk(scenario, territories: dict, *, engine: Engine | None = None,
             progress: Callable | None = None) -> RiskResult:
    """Run and reduce every (variant, event, member) of a scenario (module notes).

    Parameters
    ----------
    scenario
        A validated scenario whose ``risk`` plan is set.
    territories
        Variant → its territory, measures applied.
    engine
        Where the runs go (default: serial for one run, else local workers).
    progress
        Called with a :class:`~jumeau.i18n.Text` after each run.
    """
    plan: RiskPlan = scenario.risk
    tasks, members = build_tasks(scenario, plan)
    engine = engine or Engine()
    say = progress or (lambda _m: None)
    memory = _memory_estimate(scenario, territories)

    def tick(done, total, name):
        say(Text("risque : {d}/{n} calculs ({r})", "risk: {d}/{n} runs ({r})").format(
            d=done, n=total, r=name))

    start = time.perf_counter()
    try:
        summaries = run_many(run_task, tasks, shared=territories, engine=engine,
                             names=[t.name for t in tasks], progress=tick,
                             memory_bytes=memory)
    except JumeauError as err:
        raise scenario.locate(err) from None
    wall = time.perf_counter() - start
    address = engine.scheduler_address()
    where = (address if address else "serial" if engine.local_workers(len(tasks)) == 1
             else f"{engine.local_workers(len(tasks))} local workers")
    return reduce_runs(scenario, plan, tasks, summaries, members, n_runs=len(tasks),
                       wall_time_s=wall, engine=where)


def _memory_estimate(scenario, territories: dict) -> int | None:
    """Peak memory of one flood run (the solver's own estimate), when the scenario has
    one and the territory a terrain; None otherwise."""
    if "flood" not in scenario.simulations:
        return None
    from jumeau.flood import estimate_memory_bytes

    t = next(iter(territories.values()))
    try:
        grid = t.require_terrain()
    except JumeauError:
        return None
    p = scenario.simulations["flood"]
    snaps = int(p.duration_h * 60 / p.snapshot_interval_min) + 1
    series = int(p.duration_h * 60 / p.series_interval_min) + 1
    return estimate_memory_bytes(grid.shape, snaps, len(p.observation_points), series)


def reduce_runs(scenario, plan: RiskPlan, tasks: list[RunTask], summaries: list[RunSummary],
                members: list[Member] | None, *, n_runs: int, wall_time_s: float,
                engine: str) -> RiskResult:
    """Bands, annual values, maps and cost–benefit from the runs' summaries."""
    events = [e.name for e in plan.events] or [None]
    n_members = len(members) if members else 1
    by = {(t.variant, t.event, t.member if t.member is not None else 0): s
          for t, s in zip(tasks, summaries, strict=True)}
    units = _units(scenario)
    variants = {}
    for vname in scenario.variants:
        runs = [[by[(vname, e, m)] for m in range(n_members)] for e in events]
        per_event = {}
        probability = {}
        for e, row in zip(events, runs, strict=True):
            names = list(row[0].indicators)
            per_event[e or "—"] = {k: percentiles([r.indicators[k] for r in row])
                                   for k in names}
            probability[e or "—"] = {g: exceedance_probability(
                np.stack([r.masks[g] for r in row]).astype(float), 0.5)
                for g in row[0].masks}
        annual, annual_members, features = {}, {}, {}
        if plan.events:
            p = plan.probabilities
            tail = plan.settings.rare_tail
            for k in runs[0][0].indicators:
                if units.get(k) not in ANNUAL_UNITS:
                    continue
                values = np.array([[r.indicators[k] for r in row] for row in runs])
                annual_members[k] = expected_annual(p, values, tail=tail)
                annual[k] = percentiles(annual_members[k])
            for layer in runs[0][0].features:
                features[layer] = _annual_features(runs, layer, p, tail)
        variants[vname] = VariantRisk(vname, per_event, annual, annual_members, features,
                                      probability)
    base = scenario.baseline
    cbs = {}
    if plan.events:
        for vname, cost in plan.costs.items():
            if vname == base:
                continue
            cbs[vname] = cost_benefit(variants[base].annual_members["damage_eur"],
                                      variants[vname].annual_members["damage_eur"], cost,
                                      discount_rate=plan.settings.discount_rate)
    inputs = ({k: np.array([m.values[k] for m in members]) for k in plan.uncertain}
              if members else {})
    output = ("damage_eur" if "damage_eur" in variants[base].annual_members else
              next(iter(variants[base].annual_members), None))
    if output is not None:
        y = variants[base].annual_members[output]
    else:
        output = next(iter(variants[base].per_event[events[0] or "—"]), None)
        y = np.array([by[(base, events[0], m)].indicators[output] for m in range(n_members)]
                     ) if output else np.zeros(0)
    sens = rank_correlations(inputs, y) if inputs and output else []
    return RiskResult(plan, variants, cbs, sens, output, inputs, n_runs, wall_time_s, engine,
                      events=[e for e in events if e])


def _units(scenario) -> dict[str, str]:
    from jumeau.scenario.runner import output_keys

    keys = output_keys(scenario.kinds)
    return {keys[(k, o.name)]: o.unit for k in scenario.kinds
            for o in kinds_module.get(k).outputs_of("indicator")}


def _annual_features(runs: list[list[RunSummary]], layer: str, p: list[float], tail: str
                     ) -> pd.DataFrame:
    """Per feature of ``layer``: the expected annual value of each summed column,
    member by member, as p5 / p50 / p95 (features absent from a run count 0)."""
    frames = [r.features[layer] for row in runs for r in row]
    key = frames[0].columns[0]
    flag = None
    value_cols = [c for c in frames[0].columns[1:] if frames[0][c].dtype != bool]
    if len(frames[0].columns) > 1 and frames[0][frames[0].columns[1]].dtype == bool:
        flag = frames[0].columns[1]
    ids = pd.Index(pd.unique(pd.concat([f[key] for f in frames], ignore_index=True)))
    n_e, n_m = len(runs), len(runs[0])
    out = pd.DataFrame({key: ids})
    for c in value_cols:
        cube = np.zeros((n_e, n_m, len(ids)))
        for i, row in enumerate(runs):
            for j, r in enumerate(row):
                f = r.features[layer]
                counted = f[f[flag].astype(bool)] if flag else f
                pos = ids.get_indexer(counted[key])
                cube[i, j, pos] = counted[c].to_numpy(float)
        annual = expected_annual(p, cube, tail=tail)           # (n_members, n_features)
        band = percentiles(annual)
        out[f"{c}_per_year_p5"] = band.low
        out[f"{c}_per_year_p50"] = band.median
        out[f"{c}_per_year_p95"] = band.high
    return out
