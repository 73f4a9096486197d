"""``jumeau scenarios``: the ready scenarios shipped with jumeau."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from jumeau.cli import console
from jumeau.cli.help import bilingual
from jumeau.i18n import Text, current_language


def scenarios(
    as_json: Annotated[bool, typer.Option("--json", help=bilingual(
        "Une ligne JSON sur la sortie standard.", "One JSON line on standard output."))
    ] = False,
) -> None:
    """List the ready scenarios (``jumeau run NAME`` runs one from any folder)."""
    from jumeau.io.demo import ready_scenarios
    from jumeau.io.yamlfile import read_yaml

    rows = []
    for name, path in ready_scenarios().items():
        data, _lines = read_yaml(path)
        data = data if isinstance(data, dict) else {}
        rows.append({"name": name, "title": str(data.get("title", "")),
                     "territory": str(data.get("territory", "demo")),
                     "simulate": sorted(data.get("simulate") or {}),
                     "variants": list(data.get("variants") or {}), "path": str(path)})
    if as_json:
        console.stdout_write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    width = max((len(r["name"]) for r in rows), default=0)
    console.out.print(str(Text("Scénarios prêts (jumeau run NOM) :",
                               "Ready scenarios (jumeau run NAME):")), markup=False,
                      style="bold")
    for r in rows:
        kinds = ", ".join(r["simulate"])
        variants = (" — " + str(Text("variantes", "variants")) + " : " if current_language()
                    == "fr" else " — variants: ") + ", ".join(r["variants"]) if r["variants"] \
            else ""
        console.out.print(f"  {r['name']:<{width}}  {r['title']} [{kinds}]{variants}",
                          markup=False)
    console.info(Text("Fichiers dans {d}", "Files in {d}").format(
        d=rows[0]["path"].rsplit("/", 1)[0] if rows else "—"))


def register(app: typer.Typer) -> None:
    app.command("scenarios", help=bilingual(
        "Liste les scénarios prêts, que « jumeau run NOM » lance depuis n'importe quel "
        "dossier.", "List the ready scenarios, which 'jumeau run NAME' runs from any "
        "folder."))(scenarios)
