"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jumeau.cli.help import bilingual
from jumeau.errors import JumeauError
from jumeau.i18n import LANGUAGES, Text, set_language

Lang = Annotated[str | None, typer.Option("--lang", help=bilingual(
    "Langue des cartes et messages : fr | en.", "Language of maps and messages: fr | en."))]
Out = Annotated[Path | None, typer.Option("--out", help=bilingual(
    "Dossier de sortie.", "Output folder."))]
Tiles = Annotated[bool, typer.Option("--tiles", help=bilingual(
    "Ajoute des fonds de carte en ligne (OpenStreetMap, IGN) en plus du fond hors ligne.",
    "Add online background maps (OpenStreetMap, IGN) to the offline one."))]
Force = Annotated[bool, typer.Option("--force", help=bilingual(
    "Remplace un dossier de sortie qui contient d'autres fichiers (ils sont supprimés).",
    "Replace an output folder that holds other files (they are deleted)."))]
Seed = Annotated[int | None, typer.Option("--seed", min=0, help=bilingual(
    "Remplace la graine du scénario (un entier ≥ 0).",
    "Replace the scenario's seed (a whole number ≥ 0)."))]


def apply_lang(lang: str | None) -> None:
    """Honour a command-level --lang."""
    if lang is None:
        return
    if lang not in LANGUAGES:
        raise JumeauError(Text("langue inconnue « {l} »", "unknown language '{l}'").format(
            l=lang), field="--lang", fix=Text("utilisez fr ou en", "use fr or en"))
    set_language(lang)
