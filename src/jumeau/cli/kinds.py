"""``jumeau kinds``: the installed simulation kinds and every output they declare."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from jumeau.cli import console
from jumeau.cli.help import bilingual
from jumeau.cli.options import Lang, apply_lang
from jumeau.i18n import current_language


def list_kinds(
    as_json: Annotated[bool, typer.Option("--json", help=bilingual("En JSON.",
                                                                   "As JSON."))] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help=bilingual(
        "En Markdown (liste du README).", "As Markdown (the README's list)."))] = False,
    lang: Lang = None,
) -> None:
    """Liste les types de simulation installés et leurs sorties déclarées."""
    from jumeau.scenario import kinds

    apply_lang(lang)
    lang_ = current_language()
    if markdown:
        console.stdout_write(kinds.markdown(lang_))
        return
    table = {name: {"title": k.title.render(lang_), "uses": list(k.uses),
                    "outputs": [{"name": o.name, "type": o.type, "unit": o.unit,
                                 "label": o.label.render(lang_), "doc": o.doc,
                                 "better": o.better} for o in k.outputs]}
             for name, k in sorted(kinds.kinds().items())}
    if as_json:
        console.stdout_write(json.dumps(table, ensure_ascii=False, indent=1) + "\n")
        return
    for name, k in table.items():
        console.out.print(f"{name} — {k['title']}", markup=False, style="bold")
        for o in k["outputs"]:
            unit = f" ({o['unit']})" if o["unit"] else ""
            console.out.print(f"  [{o['type']}] {o['name']}{unit} : {o['label']}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("kinds", help=bilingual(
        "Liste les types de simulation installés et leurs sorties déclarées.",
        "List the installed simulation kinds and the outputs they declare."))(list_kinds)
