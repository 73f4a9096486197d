"""``jumeau run SPEC``: run one scenario file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from jumeau.cli import console
from jumeau.cli.help import bilingual
from jumeau.cli.options import Force, Lang, Out, Seed, Tiles, apply_lang
from jumeau.i18n import Text, current_language, value_text


def run(
    spec: Annotated[Path, typer.Argument(help="Fichier de scénario YAML.")],
    out: Out = None,
    seed: Seed = None,
    as_json: Annotated[bool, typer.Option("--json", help="Affiche les indicateurs en JSON sur "
                                                         "la sortie standard.")] = False,
    lang: Lang = None,
    tiles: Tiles = False,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help=bilingual(
            "Ordonnanceur Dask existant (tcp://hôte:8786) pour les calculs multiples (crues, "
            "tirages) ; défaut : $JUMEAU_SCHEDULER, sinon les cœurs de cette machine.",
            "An existing Dask scheduler (tcp://host:8786) for many runs (floods, members); "
            "default: $JUMEAU_SCHEDULER, else this machine's cores."))] = None,
    workers: Annotated[int | None, typer.Option(
        "--workers", min=1, help=bilingual(
            "Processus de calcul locaux pour les calculs multiples (1 : en série ; défaut : "
            "un par cœur).", "Local worker processes for many runs (1: serial; default: one "
            "per core)."))] = None,
    force: Force = False,
) -> None:
    """Lance un scénario : carte, indicateurs et couches dans out/<nom>/."""
    from jumeau.io.demo import resolve_scenario
    from jumeau.scenario.engine import Engine
    from jumeau.scenario.runner import run as run_scenario
    from jumeau.scenario.spec import read_scenario

    apply_lang(lang)
    scenario = read_scenario(resolve_scenario(spec), seed=seed)
    engine = Engine(workers=workers, scheduler=scheduler)
    with console.status(Text("Scénario « {n} »", "Scenario '{n}'").format(n=scenario.name)) as up:
        result = run_scenario(scenario, out_dir=out, tiles=tiles, progress=lambda m: up(str(m)),
                              engine=engine, force=force)
    if as_json:
        console.stdout_write(json.dumps(result.summary(), ensure_ascii=False) + "\n")
        return
    print_indicators(result)
    where = result.out_dir / "comparaison" if result.comparison is not None else result.out_dir
    console.info(Text("Résultats dans {d} (ouvrez map.html ou report.html dans un navigateur)",
                      "Results in {d} (open map.html or report.html in a browser)").format(
        d=where))


def print_indicators(result) -> None:
    """The indicators on stdout: a column per variant with the change against the
    baseline, when there are variants."""
    lang = current_language()
    sep = " : " if lang == "fr" else ": "
    title = result.scenario.spec.title or result.scenario.name
    console.out.print(title, markup=False, style="bold")
    if result.comparison is None:
        for _, ind in result.baseline.indicator_list():
            unit = f" {ind.unit}" if ind.unit else ""
            console.out.print(f"  {ind.label.render(lang)}{sep}{value_text(ind.value, lang)}"
                              f"{unit}", markup=False)
        for r in result.results.values():
            for note in getattr(r, "notes", ()):
                console.detail(f"  · {note.render(lang)}")
        return
    words = {"better": Text("mieux", "better"), "worse": Text("moins bien", "worse"),
             "same": Text("inchangé", "unchanged")}
    for name, vc in result.comparison.variants.items():
        console.out.print(str(Text("  {v} comparé à {b} :", "  {v} against {b}:").format(
            v=name, b=result.comparison.baseline)), markup=False, style="bold")
        for c in vc.indicators:
            unit = f" {c.unit}" if c.unit else ""
            change = "" if c.change != c.change else (
                ("+" if c.change > 0 else "") + value_text(c.change, lang))
            verdict = f" ({words[c.verdict].render(lang)})" if c.verdict else ""
            console.out.print(f"    {c.label.render(lang)}{sep}{value_text(c.baseline, lang)} → "
                              f"{value_text(c.value, lang)}{unit} [{change}]{verdict}",
                              markup=False)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
