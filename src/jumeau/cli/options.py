"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jumeau.errors import JumeauError
from jumeau.i18n import LANGUAGES, Text, set_language

Lang = Annotated[str | None, typer.Option("--lang", help="Langue des cartes et messages : "
                                                          "fr | en.")]
Out = Annotated[Path | None, typer.Option("--out", help="Dossier de sortie.")]
Tiles = Annotated[bool, typer.Option("--tiles", help="Ajoute des fonds de carte en ligne "
                                                     "(OpenStreetMap, IGN) en plus du fond "
                                                     "hors ligne.")]
Seed = Annotated[int | None, typer.Option("--seed", min=0, help="Remplace la graine du "
                                                                "scénario.")]


def apply_lang(lang: str | None) -> None:
    """Honour a command-level --lang."""
    if lang is None:
        return
    if lang not in LANGUAGES:
        raise JumeauError(Text("langue inconnue « {l} »", "unknown language '{l}'").format(
            l=lang), field="--lang", fix=Text("utilisez fr ou en", "use fr or en"))
    set_language(lang)
