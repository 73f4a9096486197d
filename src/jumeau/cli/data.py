"""``jumeau data …``: the embedded demo territory."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jumeau.cli import console
from jumeau.cli.help import bilingual
from jumeau.i18n import Text

app = typer.Typer(no_args_is_help=True, help=bilingual("Données embarquées.",
                                                      "Embedded data."))


@app.command("demo", help=bilingual(
    "(Re)génère le territoire de démonstration synthétique, à l'identique pour une graine.",
    "(Re)generate the synthetic demo territory, identical for a given seed."))
def demo(
    seed: Annotated[int, typer.Option(min=0, help=bilingual(
        "Graine du générateur.", "Seed of the generator."))] = 42,
    out: Annotated[Path | None, typer.Option(help=bilingual(
        "Dossier de sortie (par défaut : le dossier data/demo du dépôt).",
        "Output folder (default: the repository's data/demo folder)."))] = None,
) -> None:
    """(Re)generate the synthetic demo territory, identical for a given seed."""
    from jumeau.io.demo import demo_path, write_demo

    target = out or demo_path()
    with console.status(Text("Génération du territoire de démonstration",
                             "Generating the demo territory")):
        written = write_demo(target, seed=seed)
    console.info(Text("{n} fichiers écrits dans {d}", "{n} files written to {d}").format(
        n=len(written), d=target))
