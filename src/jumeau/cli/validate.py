"""``jumeau validate SPEC``: check a scenario file without running it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jumeau.cli import console
from jumeau.cli.options import Lang, apply_lang
from jumeau.i18n import Text


def validate(
    spec: Annotated[list[Path], typer.Argument(help="Fichier(s) de scénario YAML.")],
    lang: Lang = None,
) -> None:
    """Vérifie un ou plusieurs scénarios sans les lancer (code 2 au premier problème) :
    le fichier, le territoire (fichiers, systèmes de coordonnées, colonnes, géométries),
    les mesures et les paramètres de chaque simulation sur ce territoire."""
    from jumeau.io.demo import resolve_scenario
    from jumeau.scenario.runner import check
    from jumeau.scenario.spec import read_scenario

    apply_lang(lang)
    for path in spec:
        scenario = read_scenario(resolve_scenario(path))
        with console.status(Text("Vérification de {f}", "Checking {f}").format(f=path)) as up:
            check(scenario, progress=lambda m: up(str(m)))
        kinds = ", ".join(scenario.kinds)
        text = Text("{f} : valide (« {n} », simulations : {k})",
                    "{f}: valid ('{n}', simulations: {k})").format(f=path, n=scenario.name,
                                                                    k=kinds)
        if scenario.has_variants:
            text = text + Text(" ; variantes : {v} (référence : {b})",
                               "; variants: {v} (baseline: {b})").format(
                v=", ".join(scenario.variants), b=scenario.baseline)
        console.out.print(str(text), markup=False)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
