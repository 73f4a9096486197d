"""``jumeau demo``: every ready scenario on the demo territory, and an index page."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jumeau.cli import console
from jumeau.cli.help import bilingual
from jumeau.cli.options import Lang, Out, Tiles, apply_lang
from jumeau.i18n import Text, current_language

Names = Annotated[list[str] | None, typer.Argument(show_default=False, help=bilingual(
    "Seulement ces scénarios prêts (jumeau scenarios) ; aucun : tous.",
    "Only these ready scenarios (jumeau scenarios); none: all of them."))]


def demo(names: Names = None, out: Out = None, lang: Lang = None, tiles: Tiles = False,
         risk: bool = typer.Option(False, "--risk", help=bilingual(
                                   "Lance aussi les scénarios de risque (plusieurs crues × "
                                   "tirages : longs).", "Also run the risk scenarios (many "
                                   "floods × members: long)."))) -> None:
    """Lance tous les scénarios prêts sur le territoire de démonstration (ou ceux
    nommés) et écrit out/demo/index.html, qui relie leurs cartes et leurs rapports."""
    from jumeau.io.demo import ready_files
    from jumeau.io.outputs import write_text_atomic
    from jumeau.io.timings import read_timings, write_timings
    from jumeau.maps.index import index_page
    from jumeau.scenario.batch import run_files
    from jumeau.scenario.spec import read_scenario

    apply_lang(lang)
    root = Path(out) if out is not None else Path("out") / "demo"
    files = ready_files(names or [])
    scenarios = [read_scenario(f) for f in files]        # all validated before any work
    chosen = []
    for f, s in zip(files, scenarios):
        if s.spec.territory != "demo":
            continue
        # many runs each: only when asked (issue 12), by --risk or by name
        if s.risk is not None and not (risk or names):
            console.info(Text("  {n} : calcul de risque long, lancé seulement avec --risk "
                              "(ou jumeau run)", "  {n}: long risk computation, run only with "
                              "--risk (or jumeau run)").format(n=s.name))
            continue
        chosen.append((f, s.risk is not None))
    lang_now = current_language()
    last_time = read_timings(f for f, _ in chosen)  # longest first (jumeau.io.timings)
    with console.progress_bar(len(chosen), Text("Scénarios", "Scenarios")) as advance:
        def run(paths, workers=None):
            return run_files(paths, root, lang=lang_now, tiles=tiles, workers=workers,
                             progress=lambda note: advance(0, note=note),
                             done=lambda _name: advance(), seconds=last_time)

        # Scenarios run side by side on the machine's cores; risk scenarios spread their
        # own runs over every core, so they come after, alone.
        done = run([f for f, is_risk in chosen if not is_risk])
        done += run([f for f, is_risk in chosen if is_risk], workers=1)
    write_timings({d.path: d.seconds for d in done})
    territory = done[0].territory if done else ""
    write_text_atomic(root / "index.html", index_page([d.card for d in done],
                                                      territory=territory, lang=lang_now))
    for d in done:
        console.info(f"  {d.name}: {d.report}")
    console.info(Text("{n} scénarios ; ouvrez {f}", "{n} scenarios; open {f}").format(
        n=len(done), f=root / "index.html"))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
