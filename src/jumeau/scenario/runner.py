"""The runner: scenario → territory → (per variant) measures → simulations → outputs.

A thin chain of named steps, each replaceable (like pvlib's ``ModelChain``):
:func:`load_territory` (once per process), :func:`apply_measures` (on each variant's own
copy), :func:`simulate` (kinds in dependency order, each handed the outputs it uses),
:func:`jumeau.scenario.compare.compare` (every variant against the baseline) and
:func:`write_outputs`. :func:`run` chains them.

Results are keyed by (variant, kind). Identical work — the same territory, measures,
parameters and seed — is done once per run, and once across runs inside
:func:`sharing_results` (``jumeau demo``: the 100-year flood is also the baseline of the
wall scenario).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jumeau.errors import JumeauError
from jumeau.i18n import Text, current_language
from jumeau.io import manifest
from jumeau.progress import reporting
from jumeau.scenario import kinds as kinds_module
from jumeau.scenario.result import Indicator, Result, json_number
from jumeau.scenario.spec import Scenario, Variant
from jumeau.territory.model import Territory

_TERRITORIES: dict[tuple, Territory] = {}
#: Results shared across runs inside :func:`sharing_results` (key: territory, measures,
#: kind, parameters, seed, inputs).
_SHARED: OrderedDict[str, Result] | None = None
_RESULTS_KEPT = 12


@contextlib.contextmanager
def sharing_results():
    """Inside the block, runs reuse the results of identical work done by earlier runs."""
    global _SHARED
    previous, _SHARED = _SHARED, OrderedDict()
    try:
        yield
    finally:
        _SHARED = previous


@dataclass(frozen=True)
class VariantRun:
    """One variant's run.

    Attributes
    ----------
    name
        The variant's name.
    territory
        The territory its simulations ran on (its measures applied).
    results
        Kind → result, in run order.
    keys
        (kind, output name) → its name in flat tables and files (the output's own name,
        or ``kind.name`` when two kinds of the scenario declare the same name).
    """

    name: str
    territory: Territory
    results: dict[str, Result]
    keys: dict[tuple[str, str], str]

    def indicator_list(self) -> list[tuple[str, Indicator]]:
        """(kind, indicator with its declared unit, label and direction), in order."""
        rows = []
        for kind_name, result in self.results.items():
            kind = kinds_module.get(kind_name)
            values = result.indicators()
            context = result.context() if hasattr(result, "context") else {}
            for out in kind.outputs_of("indicator"):
                rows.append((kind_name, Indicator(
                    self.keys[(kind_name, out.name)], values[out.name], out.unit,
                    out.text(context), out.better)))
        return rows

    def indicators(self) -> dict[str, float | None]:
        """``{name: value}`` of every indicator (None when unknown)."""
        return {ind.name: json_number(ind.value) for _, ind in self.indicator_list()}


@dataclass(frozen=True)
class RunOutput:
    """What a run produced.

    Attributes
    ----------
    scenario
        The validated scenario (seed resolved).
    variants
        Variant name → its run, the baseline first.
    comparison
        Every variant against the baseline (None without variants).
    out_dir
        Where the outputs were written (None when not written).
    files
        The files written, relative to ``out_dir``.
    """

    scenario: Scenario
    variants: dict[str, VariantRun]
    comparison: object | None
    out_dir: Path | None
    files: tuple[str, ...]
    #: Risk figures over events and members (:mod:`jumeau.scenario.risk_runner`), if any.
    risk: object | None = None

    @property
    def baseline(self) -> VariantRun:
        return self.variants[self.scenario.baseline]

    # The baseline's territory and results (the whole run for a file without variants).
    @property
    def territory(self) -> Territory:
        return self.baseline.territory

    @property
    def results(self) -> dict[str, Result]:
        return self.baseline.results

    def indicators(self) -> dict[str, float | None]:
        """The baseline's indicators, ``{name: value}``."""
        return self.baseline.indicators()

    def table(self, lang: str | None = None):
        """The indicators as a table: one column per variant and, with variants, the
        change of each against the baseline (a pandas DataFrame, for notebooks)."""
        import pandas as pd

        lang = lang or current_language()
        rows = {}
        for name, v in self.variants.items():
            for _, ind in v.indicator_list():
                label = ind.label.render(lang) + (f" ({ind.unit})" if ind.unit else "")
                rows.setdefault(label, {})[name] = ind.value
        frame = pd.DataFrame.from_dict(rows, orient="index")[list(self.variants)]
        if self.comparison is not None:
            word = Text("écart", "change").render(lang)
            for name in self.comparison.variants:
                frame[f"{word} {name}"] = frame[name] - frame[self.scenario.baseline]
        return frame

    def page(self, name: str = "map.html", variant: str | None = None) -> HtmlPage:
        """A written page (``map.html``, ``report.html``) to show in a notebook: the
        comparison's when there are variants, else the run's (or a variant's)."""
        from jumeau.scenario.spec import COMPARISON_DIR

        if self.out_dir is None:
            raise ValueError("this run wrote no files (run(..., write=True))")
        folder = self.out_dir
        if variant is not None:
            folder = folder / variant
        elif self.comparison is not None:
            folder = folder / COMPARISON_DIR
        return HtmlPage(folder / name)

    def summary(self) -> dict:
        """What ``jumeau run --json`` prints."""
        if not self.scenario.has_variants:
            out = {"scenario": self.scenario.name, "indicators": self.indicators()}
        else:
            out = {"scenario": self.scenario.name, "baseline": self.scenario.baseline,
                   "variants": {n: v.indicators() for n, v in self.variants.items()},
                   "delta": self.comparison.delta() if self.comparison else {}}
        if self.risk is not None:
            out["risk"] = self.risk.summary()
        return out


@dataclass(frozen=True)
class HtmlPage:
    """A self-contained page written by a run, shown inline by Jupyter."""

    path: Path
    height_px: int = 620

    def _repr_html_(self) -> str:
        import html

        text = Path(self.path).read_text(encoding="utf-8")
        return (f'<iframe srcdoc="{html.escape(text, quote=True)}" style="width:100%;'
                f'height:{self.height_px}px;border:1px solid #ccc"></iframe>')


def output_keys(kind_names: list[str]) -> dict[tuple[str, str], str]:
    """(kind, output) → flat name; names two kinds share get the ``kind.`` prefix, and
    so do all of their outputs of the same type."""
    seen: dict[tuple[str, str], list[str]] = {}
    for k in kind_names:
        for out in kinds_module.get(k).outputs:
            seen.setdefault((out.type, out.name), []).append(k)
    keys = {}
    for k in kind_names:
        for out in kinds_module.get(k).outputs:
            clash = len(seen[(out.type, out.name)]) > 1
            keys[(k, out.name)] = f"{k}.{out.name}" if clash else out.name
    return keys


def derive_seed(seed: int, *keys: str) -> int:
    """A seed for one part of a run, derived from the scenario's seed and names.

    Every variant derives its seeds the same way (from the kind's name, not the
    variant's), so differences between variants come from their choices.

    Examples
    --------
    >>> derive_seed(42, "flood") == derive_seed(42, "flood")
    True
    """
    spawn = tuple(int.from_bytes(hashlib.sha256(k.encode()).digest()[:4], "little") for k in keys)
    return int(np.random.SeedSequence(seed, spawn_key=spawn).generate_state(1)[0])


def load_territory(source: str | Path, progress=None) -> Territory:
    """Load a territory once per process (keyed by manifest path and modification time)."""
    path = manifest.resolve_manifest(source).resolve()
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _TERRITORIES:
        _TERRITORIES[key] = manifest.load_territory(path, progress=progress)
    return _TERRITORIES[key]


def clear_cache() -> None:
    """Forget loaded territories (and results shared by :func:`sharing_results`)."""
    _TERRITORIES.clear()
    if _SHARED is not None:
        _SHARED.clear()


def check_needs(scenario: Scenario, territory: Territory) -> None:
    """Fail before any work when a simulation lacks an input."""
    for variant in scenario.variants.values():
        for kind in variant.simulations:
            try:
                kinds_module.get(kind).check(territory)
            except JumeauError as err:
                raise scenario.locate(err, variant.name) from None


def check(scenario: Scenario, *, progress=None) -> Territory:
    """Everything that can be checked without simulating: the territory loads (files,
    CRS, columns, geometries), every kind has what it needs, every variant's measures
    apply, and each kind's ``precheck`` accepts its parameters on that territory
    (geometry inside the DEM, series values). Returns the loaded territory.

    Raises
    ------
    JumeauError
        The first problem, located in the scenario file where it can be.
    """
    say = progress or (lambda _msg: None)
    say(Text("chargement du territoire", "loading the territory"))
    base = load_territory(scenario.territory_source())
    check_needs(scenario, base)
    for name, v in scenario.variants.items():
        territory = apply_measures(base, scenario, name)
        for kind_name, params in v.simulations.items():
            precheck = kinds_module.get(kind_name).precheck
            if precheck is None:
                continue
            say(Text("vérification « {k} »", "checking '{k}'").format(k=kind_name))
            try:
                precheck(territory, params)
            except JumeauError as err:
                raise scenario.locate(err, v.name) from None
    return base


def apply_measures(territory: Territory, scenario: Scenario, variant: str | None = None
                   ) -> Territory:
    """Apply a variant's measures in order to a copy; an error names the measure."""
    v = scenario.variants[variant or scenario.baseline]
    for i, (measure, where) in enumerate(v.measures):
        try:
            territory = measure.apply(territory, seed=derive_seed(scenario.spec.seed,
                                                                  "measure", str(i)))
        except JumeauError as err:
            # Measures name their own field ("measures.wall.line"): say which one.
            last = err.field.rsplit(".", 1)[-1] if err.field else ""
            err.field = where + (f".{last}" if last else "")
            raise scenario.locate(err) from None
    return territory


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _territory_key(scenario: Scenario, variant: Variant, source: Path) -> str:
    """What a variant's territory is made of: the manifest, the measures and the seed."""
    return _key(str(source), source.stat().st_mtime_ns,
                [m.model_dump(mode="json") for m, _ in variant.measures], scenario.spec.seed)


def _simulation_key(territory_key: str, kind: str, params, seed: int,
                    used: list[str]) -> str:
    """What a simulation depends on: its territory, parameters, seed and inputs' keys."""
    return _key(territory_key, kind, params.model_dump(mode="json"), seed, used)


def work_keys(scenario: Scenario) -> set[str]:
    """The keys of the simulations of ``scenario`` that use no other kind's output.

    Two scenarios that share a key do that work once when they run in one process
    inside :func:`sharing_results`; :mod:`jumeau.scenario.batch` keeps them together.
    Reads no territory (only the manifest's path and date).
    """
    source = manifest.resolve_manifest(scenario.territory_source()).resolve()
    keys = set()
    for v in scenario.variants.values():
        territory_key = _territory_key(scenario, v, source)
        for name, params in v.simulations.items():
            if not v.uses.get(name):
                keys.add(_simulation_key(territory_key, name, params,
                                         derive_seed(scenario.spec.seed, name), []))
    return keys


def _output_value(result: Result, producer: str, name: str):
    out = kinds_module.get(producer).output(name)
    source = {"indicator": result.indicators, "grid": result.rasters, "layer": result.layers,
              "table": result.tables, "series": result.series}[out.type]()
    return source[name]


def simulate(territory: Territory, scenario: Scenario, variant: str | None = None,
             progress=None, *, territory_key: str = "",
             cache: OrderedDict | None = None) -> dict[str, Result]:
    """Run a variant's simulations in dependency order, each with its derived seed and
    the outputs of the kinds it uses.

    ``progress(kind, done)`` hears of each simulation as it starts (``done`` None) and
    of the fraction it has done, when the kind reports it (:mod:`jumeau.progress`).
    """
    v: Variant = scenario.variants[variant or scenario.baseline]
    results: dict[str, Result] = {}
    keys: dict[str, str] = {}
    for name, params in v.simulations.items():
        kind = kinds_module.get(name)
        inputs = {}
        for used in v.uses.get(name, ()):
            producer, output = used.split(".", 1)
            inputs[used] = _output_value(results[producer], producer, output)
        seed = derive_seed(scenario.spec.seed, name)
        key = _simulation_key(territory_key, name, params, seed,
                              [keys[u.split(".")[0]] for u in v.uses.get(name, ())]) \
            if territory_key else ""
        keys[name] = key
        if key and cache is not None and key in cache:
            cache.move_to_end(key)
            results[name] = cache[key]
            continue
        if progress:
            progress(name, None)
        try:
            listening = (reporting(functools.partial(progress, name)) if progress
                         else contextlib.nullcontext())
            with listening:
                results[name] = kind.simulate(territory, params, seed=seed, inputs=inputs)
        except JumeauError as err:
            raise scenario.locate(err, v.name) from None
        if key and cache is not None:
            cache[key] = results[name]
            while len(cache) > _RESULTS_KEPT:
                cache.popitem(last=False)
    return results


def run_variants(scenario: Scenario, *, progress=None) -> dict[str, VariantRun]:
    """Every variant of the scenario on its own copy of the territory (loaded once)."""
    say = progress or (lambda _msg: None)
    say(Text("chargement du territoire", "loading the territory"))
    base = load_territory(scenario.territory_source())
    check_needs(scenario, base)
    source = manifest.resolve_manifest(scenario.territory_source()).resolve()
    runs = {}
    keys = output_keys(scenario.kinds)
    cache = _SHARED if _SHARED is not None else OrderedDict()
    for name, v in scenario.variants.items():
        territory = apply_measures(base, scenario, name)
        territory_key = _territory_key(scenario, v, source)
        prefix = f"{name} · " if scenario.has_variants else ""

        def listen(kind, done, prefix=prefix):
            say(Text("{v}simulation « {k} »", "{v}simulation '{k}'").format(v=prefix, k=kind)
                if done is None else
                Text("{v}simulation « {k} » : {p} %", "{v}simulation '{k}': {p} %").format(
                    v=prefix, k=kind, p=round(100 * done)))

        results = simulate(territory, scenario, name, progress=listen,
                           territory_key=territory_key, cache=cache)
        runs[name] = VariantRun(name=name, territory=territory, results=results, keys=keys)
    return runs


def write_outputs(out_dir: Path, scenario: Scenario, runs: dict[str, VariantRun],
                  comparison, *, lang: str, tiles: bool = False, progress=None, risk=None,
                  force: bool = False) -> tuple[str, ...]:
    """Write every variant's files (``<variant>/`` when the file has variants), the
    comparison (``comparaison/``) and the reports — all or nothing."""
    from jumeau.io import outputs
    from jumeau.maps.scenario import comparison_map, scenario_map, variant_builder
    from jumeau.report import comparison_report, variant_report

    say = progress or (lambda _msg: None)
    sources = outputs.source_table(
        manifest.resolve_manifest(scenario.territory_source()), next(iter(runs.values()))
        .territory)
    extra = ""
    if risk is not None:  # issue 12: the risk section of the reports, risque/
        from jumeau.report.risk import risk_section

        extra = risk_section(scenario, risk, lang=lang)
    builders = {}  # each run's map layers, built once for its map and the comparison's
    with outputs.staged(out_dir, force=force) as stage:
        for name, run_ in runs.items():
            folder = f"{name}/" if scenario.has_variants else ""
            say(Text("{v}carte, rapport et fichiers", "{v}map, report and files").format(
                v=f"{name} · " if scenario.has_variants else ""))
            builders[name] = variant_builder(scenario, run_, lang=lang, tiles=tiles)
            outputs.write_variant(
                stage, folder, scenario, run_, lang=lang,
                map_html=scenario_map(scenario, run_, lang=lang, tiles=tiles,
                                      builder=builders[name]),
                report_html=variant_report(scenario, run_, lang=lang, sources=sources,
                                           extra="" if comparison is not None else extra))
        if risk is not None:
            from jumeau.io.risk_outputs import write_risk
            from jumeau.maps.risk import risk_map

            territories = {n: r.territory for n, r in runs.items()}
            grids = _grids(runs)
            write_risk(stage, scenario, territories, risk, grids, lang=lang,
                       map_html=risk_map(scenario, territories, risk, grids, lang=lang,
                                         tiles=tiles))
        if comparison is not None:
            say(Text("comparaison avec la référence", "comparison with the baseline"))
            outputs.write_comparison(
                stage, scenario, runs, comparison, lang=lang,
                map_html=comparison_map(scenario, runs, comparison, lang=lang, tiles=tiles,
                                        builders=builders),
                report_html=comparison_report(scenario, runs, comparison, lang=lang,
                                              sources=sources, extra=extra))
        files = tuple(stage.names)
    return files


def _grids(runs: dict[str, VariantRun]) -> dict:
    """Flat grid name → the terrain it lies on (from the baseline's results)."""
    run_ = next(iter(runs.values()))
    out = {}
    for kind_name, result in run_.results.items():
        for name, raster in result.rasters().items():
            out[run_.keys.get((kind_name, name), name)] = raster.grid
    return out


def run(scenario: Scenario, *, out_dir: Path | None = None, lang: str | None = None,
        tiles: bool = False, progress=None, write: bool = True, engine=None,
        force: bool = False) -> RunOutput:
    """Run a validated scenario and write its outputs (default ``out/<name>/``).

    The output folder is checked before any simulation (:func:`jumeau.io.outputs.
    check_target`); ``force`` lets a folder of other files be replaced whole.

    A scenario with events, uncertain inputs or costs also runs every (variant, event,
    member) through ``engine`` (:class:`jumeau.scenario.engine.Engine`; default: serial
    for one run, else the machine's cores) and adds the risk figures
    (:mod:`jumeau.scenario.risk_runner`)."""
    from jumeau.io import outputs
    from jumeau.scenario.compare import compare

    lang = lang or current_language()
    target = None
    if write:
        target = Path(out_dir) if out_dir is not None else Path("out") / scenario.name
        outputs.check_target(target, force=force)
    runs = run_variants(scenario, progress=progress)
    comparison = compare(runs, scenario.baseline) if scenario.has_variants else None
    risk = None
    if scenario.risk is not None:
        from jumeau.scenario.risk_runner import run_risk

        risk = run_risk(scenario, {n: r.territory for n, r in runs.items()}, engine=engine,
                        progress=progress)
    files: tuple[str, ...] = ()
    if write:
        files = write_outputs(target, scenario, runs, comparison, lang=lang, tiles=tiles,
                              progress=progress, risk=risk, force=force)
    return RunOutput(scenario=scenario, variants=runs, comparison=comparison,
                     out_dir=target, files=files, risk=risk)
