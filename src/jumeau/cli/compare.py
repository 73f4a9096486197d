"""``jumeau compare A.yaml B.yaml [C.yaml …]``: compare separate scenario files.

The files must share a territory; each becomes a variant named after its scenario, the
first one the baseline, and the comparison goes through the same machinery as a file
with ``variants:`` (same outputs, same JSON).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from jumeau.cli import console
from jumeau.cli.options import Force, Lang, Out, Seed, Tiles, apply_lang
from jumeau.i18n import Text


def compare(
    specs: Annotated[list[Path], typer.Argument(help="Fichiers de scénario YAML (le premier "
                                                     "est la référence).")],
    out: Out = None,
    seed: Seed = None,
    as_json: Annotated[bool, typer.Option("--json", help="Affiche les indicateurs et les "
                                                         "écarts en JSON.")] = False,
    lang: Lang = None,
    tiles: Tiles = False,
    force: Force = False,
) -> None:
    """Compare des scénarios sur un même territoire : chaque fichier devient une variante,
    le premier est la référence."""
    from jumeau.cli.run import print_indicators
    from jumeau.scenario.combine import combine
    from jumeau.scenario.runner import run as run_scenario
    from jumeau.scenario.spec import read_scenario

    apply_lang(lang)
    scenario = combine([read_scenario(p, seed=seed) for p in specs])
    with console.status(Text("Comparaison « {n} »", "Comparison '{n}'").format(
            n=scenario.name)) as up:
        result = run_scenario(scenario, out_dir=out, tiles=tiles,
                              progress=lambda m: up(str(m)), force=force)
    if as_json:
        console.stdout_write(json.dumps(result.summary(), ensure_ascii=False) + "\n")
        return
    print_indicators(result)
    console.info(Text("Résultats dans {d} (ouvrez map.html ou report.html dans un navigateur)",
                      "Results in {d} (open map.html or report.html in a browser)").format(
        d=result.out_dir / "comparaison"))


def register(app: typer.Typer) -> None:
    app.command("compare")(compare)
