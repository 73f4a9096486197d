"""``jumeau territory …``: inspect a territory."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from jumeau.cli import console
from jumeau.cli.help import bilingual
from jumeau.i18n import Text, current_language, fmt_number

app = typer.Typer(no_args_is_help=True, help=bilingual("Inspecter un territoire.",
                                                      "Inspect a territory."))

LAYER_LABELS = {
    "buildings": Text("bâtiments", "buildings"), "roads": Text("tronçons de route", "road "
                                                               "segments"),
    "water": Text("eau (cours, surfaces)", "water (streams, surfaces)"),
    "vegetation": Text("végétation / occupation du sol", "vegetation / land cover"),
    "flood_zones": Text("zones inondables", "flood zones"),
    "population": Text("carreaux INSEE", "INSEE cells"),
    "boundary": Text("limite communale", "boundary"),
    "facilities": Text("équipements", "facilities"),
    "structures": Text("ouvrages (murs, digues)", "structures (walls, levees)"),
}


@app.command("info", help=bilingual(
    "Chiffres clés d'un territoire : couches, population, MNT, réseau routier.",
    "Key figures of a territory: layers, population, DEM, road network."))
def info(
    source: Annotated[str, typer.Argument(help=bilingual(
        "demo, un manifeste YAML, ou un dossier qui contient territory.yaml",
        "demo, a YAML manifest, or a folder holding territory.yaml"))],
    as_json: Annotated[bool, typer.Option("--json", help=bilingual(
        "Une ligne JSON sur la sortie standard.", "One JSON line on standard output."))
    ] = False,
) -> None:
    """Key figures of a territory: layers, population, DEM, road network."""
    from jumeau.io.manifest import load_territory

    with console.status(Text("Chargement du territoire", "Loading the territory")) as update:
        territory = load_territory(source, progress=update)
        summary = territory.summary()
    if as_json:
        console.stdout_write(json.dumps(summary, ensure_ascii=False) + "\n")
        return
    console.out.print(render_summary(summary), markup=False)


def render_summary(s: dict) -> str:
    """A readable multi-line summary in the current language."""
    lang = current_language()
    n = lambda v, d=0: fmt_number(v, lang, d)
    x0, y0, x1, y1 = s["extent"]
    lines = [
        f"{Text('Territoire', 'Territory')} : {s['name']}" if lang == "fr"
        else f"Territory: {s['name']}",
        _kv(Text("Système de coordonnées", "Coordinate system"), f"{s['crs']} ({s['crs_name']})"),
        _kv(Text("Emprise", "Extent"), f"{n(x0)} – {n(x1)} E, {n(y0)} – {n(y1)} N "
            f"({n((x1 - x0) / 1000, 1)} × {n((y1 - y0) / 1000, 1)} km)"),
        str(Text("Couches :", "Layers:")),
    ]
    for name, count in s["layers"].items():
        if count:
            src = s["sources"].get(name, "")
            lines.append(f"  {LAYER_LABELS[name]!s:<34} {n(count):>9}   {src}")
    pop = _kv(Text("Population", "Population"), f"{n(s['population'])} " +
              str(Text("habitants", "residents")))
    if s.get("population_75p") is not None:
        pop += f" ({Text('dont', 'of whom')} {n(s['population_75p'])} " + str(
            Text("de 75 ans ou plus", "aged 75 or over")) + ")"
    lines.append(pop)
    dem = s["dem"]
    if dem is None:
        lines.append(_kv(Text("MNT", "DEM"), str(Text("aucun", "none"))))
    else:
        kind = {"raster": Text("mesuré ({s})", "measured ({s})"),
                "points": Text("interpolé de points cotés ({s})", "interpolated from elevation "
                               "points ({s})"),
                "derived": Text("dérivé des altitudes des couches vecteur", "derived from the "
                                "heights of vector layers")}[dem["method"]].format(s=dem["source"])
        lines.append(_kv(Text("MNT", "DEM"), f"{dem['shape'][1]} × {dem['shape'][0]} " + str(
            Text("cellules de", "cells of")) + f" {n(dem['resolution_m'], 1)} m, {kind}, "
            f"{n(dem['elevation_min_m'], 1)} – {n(dem['elevation_max_m'], 1)} m"))
    net = s["network"]
    if net is None:
        lines.append(_kv(Text("Réseau routier", "Road network"), str(Text("aucun", "none"))))
    else:
        lines.append(_kv(Text("Réseau routier", "Road network"), f"{n(net['nodes'])} " + str(
            Text("nœuds", "nodes")) + f", {n(net['edges'])} " + str(Text("arcs orientés",
                                                                         "directed edges"))
            + f", {n(net['components'])} " + str(
                Text("composante connexe", "connected component") if net["components"] == 1
                else Text("composantes connexes", "connected components"))))
    if s["notes"]:
        lines.append(str(Text("Notes :", "Notes:")))
        lines.extend(f"  - {note}" for note in s["notes"])
    return "\n".join(lines)


def _kv(key: Text, value: str) -> str:
    return f"{key} : {value}" if current_language() == "fr" else f"{key}: {value}"
