"""The runner: scenario → territory → measures → simulations → outputs.

A thin chain of named steps, each replaceable (like pvlib's ``ModelChain``):
:func:`load_territory` (cached per process), :func:`apply_measures`,
:func:`simulate`, and :func:`write_outputs`. :func:`run` chains them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jumeau.errors import JumeauError
from jumeau.i18n import Text, current_language
from jumeau.io import manifest, outputs
from jumeau.progress import reporting
from jumeau.scenario import registry
from jumeau.scenario.result import Result, indicator_dict
from jumeau.scenario.spec import Scenario
from jumeau.territory.model import Territory

_CACHE: dict[tuple, Territory] = {}


@dataclass(frozen=True)
class RunOutput:
    """What a run produced.

    Attributes
    ----------
    scenario
        The validated scenario (seed resolved).
    territory
        The territory the simulations ran on (measures applied).
    results
        Simulation kind → its result.
    out_dir
        Where the outputs were written (None when not written).
    files
        The files written, relative to ``out_dir``.
    """

    scenario: Scenario
    territory: Territory
    results: dict[str, Result]
    out_dir: Path | None
    files: tuple[str, ...]

    def indicators(self) -> dict[str, float | None]:
        """All indicators of the run, ``{name: value}`` (kind-prefixed on a clash)."""
        return flat_indicators(self.results)


def flat_indicators(results: dict[str, Result]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for kind, result in results.items():
        for name, value in indicator_dict(result.indicators()).items():
            out[f"{kind}.{name}" if name in out else name] = value
    return out


def derive_seed(seed: int, *keys: str) -> int:
    """A seed for one part of a run, derived from the scenario's seed and a name."""
    spawn = tuple(int.from_bytes(hashlib.sha256(k.encode()).digest()[:4], "little") for k in keys)
    return int(np.random.SeedSequence(seed, spawn_key=spawn).generate_state(1)[0])


def load_territory(source: str | Path, progress=None) -> Territory:
    """Load a territory once per process (keyed by manifest path and modification time)."""
    path = manifest.resolve_manifest(source).resolve()
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _CACHE:
        _CACHE[key] = manifest.load_territory(path, progress=progress)
    return _CACHE[key]


def check_needs(scenario: Scenario, territory: Territory) -> None:
    """Fail before any work when a simulation lacks an input."""
    for kind in scenario.simulations:
        registry.get(kind).check(territory)


def apply_measures(territory: Territory, scenario: Scenario) -> Territory:
    """Apply the scenario's measures in order; an error names the measure at fault."""
    for i, measure in enumerate(scenario.measures):
        try:
            territory = measure.apply(territory)
        except JumeauError as err:
            # Measures name their own field ("measures.wall.line"): add the index.
            last = err.field.rsplit(".", 1)[-1] if err.field else ""
            err.field = f"measures.{i}" + (f".{last}" if last else "")
            raise scenario.locate(err) from None
    return territory


def simulate(territory: Territory, scenario: Scenario, progress=None) -> dict[str, Result]:
    """Run every requested simulation, each with its own derived seed.

    ``progress(kind, done)`` hears of each simulation as it starts (``done`` None) and
    of the fraction it has done, when the kind reports it (:mod:`jumeau.progress`).
    """
    results = {}
    for name, params in scenario.simulations.items():
        if progress:
            progress(name, None)
        kind = registry.get(name)
        try:
            listening = (reporting(functools.partial(progress, name)) if progress
                         else contextlib.nullcontext())
            with listening:
                results[name] = kind.run(territory, params,
                                         seed=derive_seed(scenario.spec.seed, name))
        except JumeauError as err:
            raise scenario.locate(err) from None
    return results


def write_outputs(out_dir: Path, scenario: Scenario, territory: Territory,
                  results: dict[str, Result], *, lang: str, tiles: bool = False,
                  map_html: str | None = None) -> tuple[str, ...]:
    """Write map.html, indicators (JSON, CSV), layers.gpkg, rasters, tables, the resolved
    scenario — all or nothing."""
    from jumeau.versions import versions

    rows = [(kind, ind) for kind, r in results.items() for ind in r.indicators()]
    with outputs.staged(out_dir) as stage:
        stage.write_json("indicators.json", {
            "scenario": scenario.name,
            "title": scenario.spec.title,
            "territory": territory.name,
            "seed": scenario.spec.seed,
            "indicators": flat_indicators(results),
            "units": {ind.name: ind.unit for _, ind in rows},
            "labels": {ind.name: ind.label.render(lang) for _, ind in rows},
            "notes": [n.render(lang) for r in results.values()
                      for n in getattr(r, "notes", ())],
        })
        stage.write_text("indicators.csv", outputs.indicators_csv(rows, lang))
        layers = {}
        for kind, r in results.items():
            for name, frame in r.layers().items():
                layers[name if name not in layers else f"{kind}_{name}"] = frame
        if any(len(f) for f in layers.values()):
            outputs.write_layers(stage.path("layers.gpkg"), layers)
        for r in results.values():
            for name, raster in r.rasters().items():
                outputs.write_raster(stage.path(f"{name}.tif"), raster)
            for name, table in r.tables().items():
                stage.write_text(f"{name}.csv", table.to_csv(index=False))
        resolved = scenario.resolved()
        resolved["territory_sources"] = dict(territory.sources)
        resolved["versions"] = versions()
        stage.write_text("scenario.resolved.yaml", outputs.yaml_dump(resolved))
        if map_html is not None:
            stage.write_text("map.html", map_html)
        files = tuple(stage.names)
    return files


def render_map(scenario: Scenario, territory: Territory, results: dict[str, Result], *,
               lang: str, tiles: bool) -> str:
    """The scenario's interactive map (one self-contained HTML document)."""
    from jumeau.maps.scenario import scenario_map

    return scenario_map(scenario, territory, results, lang=lang, tiles=tiles)


def run(scenario: Scenario, *, out_dir: Path | None = None, lang: str | None = None,
        tiles: bool = False, progress=None, write: bool = True) -> RunOutput:
    """Run a validated scenario and write its outputs (default ``out/<name>/``)."""
    lang = lang or current_language()
    say = progress or (lambda _msg: None)
    say(Text("chargement du territoire", "loading the territory"))
    territory = load_territory(scenario.territory_source())
    try:
        check_needs(scenario, territory)
    except JumeauError as err:
        raise scenario.locate(err) from None
    territory = apply_measures(territory, scenario)
    results = simulate(territory, scenario, progress=lambda k, done: say(
        Text("simulation « {k} »", "simulation '{k}'").format(k=k) if done is None else
        Text("simulation « {k} » : {p} %", "simulation '{k}': {p} %").format(
            k=k, p=round(100 * done))))
    files: tuple[str, ...] = ()
    target = None
    if write:
        target = Path(out_dir) if out_dir is not None else Path("out") / scenario.name
        say(Text("carte et fichiers de sortie", "map and output files"))
        html = render_map(scenario, territory, results, lang=lang, tiles=tiles)
        files = write_outputs(target, scenario, territory, results, lang=lang, tiles=tiles,
                              map_html=html)
    return RunOutput(scenario=scenario, territory=territory, results=results, out_dir=target,
                     files=files)
