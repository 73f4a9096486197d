"""``jumeau demo``: every ready scenario on the demo territory, and an index page."""

from __future__ import annotations

from pathlib import Path

import typer

from jumeau.cli import console
from jumeau.cli.help import bilingual
from jumeau.cli.options import Lang, Out, Tiles, apply_lang
from jumeau.i18n import Text, current_language


def demo(out: Out = None, lang: Lang = None, tiles: Tiles = False,
         risk: bool = typer.Option(False, "--risk", help=bilingual(
                                   "Lance aussi les scénarios de risque (plusieurs crues × "
                                   "tirages : longs).", "Also run the risk scenarios (many "
                                   "floods × members: long)."))) -> None:
    """Lance tous les scénarios prêts sur le territoire de démonstration et écrit
    out/demo/index.html, qui relie leurs cartes et leurs rapports."""
    from jumeau.io.demo import scenarios_path
    from jumeau.io.outputs import write_text_atomic
    from jumeau.maps.index import index_page
    from jumeau.scenario.runner import run, sharing_results
    from jumeau.scenario.spec import read_scenario

    apply_lang(lang)
    root = Path(out) if out is not None else Path("out") / "demo"
    files = sorted(scenarios_path().glob("*.yaml"))
    scenarios = [read_scenario(f) for f in files]        # all validated before any work
    scenarios = [s for s in scenarios if s.spec.territory == "demo"]
    for s in scenarios:
        if s.risk is not None and not risk:  # many runs each: only when asked (issue 12)
            console.info(Text("  {n} : calcul de risque long, lancé seulement avec --risk "
                              "(ou jumeau run)", "  {n}: long risk computation, run only with "
                              "--risk (or jumeau run)").format(n=s.name))
    scenarios = [s for s in scenarios if risk or s.risk is None]
    done = []
    with console.progress_bar(len(scenarios), Text("Scénarios", "Scenarios")) as advance, \
            sharing_results():
        for scenario in scenarios:
            console.detail(scenario.name)
            result = run(scenario, out_dir=root / scenario.name, tiles=tiles,
                         progress=lambda msg, name=scenario.name: advance(
                             0, note=f"{name} : {msg}" if current_language() == "fr"
                             else f"{name}: {msg}"))
            done.append(result)
            advance()
    write_text_atomic(root / "index.html", index_page(done, lang=current_language()))
    for result in done:
        folder = result.out_dir / "comparaison" if result.comparison is not None \
            else result.out_dir
        console.info(f"  {result.scenario.name}: {folder / 'report.html'}")
    console.info(Text("{n} scénarios ; ouvrez {f}", "{n} scenarios; open {f}").format(
        n=len(done), f=root / "index.html"))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
