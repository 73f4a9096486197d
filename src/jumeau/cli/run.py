"""``jumeau run SPEC``: run one scenario file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from jumeau.cli import console
from jumeau.cli.options import Lang, Out, Seed, Tiles, apply_lang
from jumeau.i18n import Text, current_language, fmt_number


def run(
    spec: Annotated[Path, typer.Argument(help="Fichier de scénario YAML.")],
    out: Out = None,
    seed: Seed = None,
    as_json: Annotated[bool, typer.Option("--json", help="Affiche les indicateurs en JSON sur "
                                                         "la sortie standard.")] = False,
    lang: Lang = None,
    tiles: Tiles = False,
) -> None:
    """Lance un scénario : carte, indicateurs et couches dans out/<nom>/."""
    from jumeau.io.demo import resolve_scenario
    from jumeau.scenario.runner import run as run_scenario
    from jumeau.scenario.spec import read_scenario

    apply_lang(lang)
    scenario = read_scenario(resolve_scenario(spec), seed=seed)
    with console.status(Text("Scénario « {n} »", "Scenario '{n}'").format(n=scenario.name)) as up:
        result = run_scenario(scenario, out_dir=out, tiles=tiles, progress=lambda m: up(str(m)))
    if as_json:
        console.stdout_write(json.dumps({"scenario": scenario.name,
                                         "indicators": result.indicators()},
                                        ensure_ascii=False) + "\n")
        return
    print_indicators(result)
    console.info(Text("Résultats dans {d} (ouvrez map.html dans un navigateur)",
                      "Results in {d} (open map.html in a browser)").format(d=result.out_dir))


def print_indicators(result) -> None:
    lang = current_language()
    title = result.scenario.spec.title or result.scenario.name
    console.out.print(title, markup=False, style="bold")
    for r in result.results.values():
        for ind in r.indicators():
            value = "—" if ind.value != ind.value else fmt_number(
                ind.value, lang, 0 if float(ind.value).is_integer() else 2)
            unit = f" {ind.unit}" if ind.unit else ""
            console.out.print(f"  {ind.label.render(lang)} : {value}{unit}" if lang == "fr"
                              else f"  {ind.label.render(lang)}: {value}{unit}", markup=False)
        for note in getattr(r, "notes", ()):
            console.detail(f"  · {note.render(lang)}")


def register(app: typer.Typer) -> None:
    app.command("run")(run)
