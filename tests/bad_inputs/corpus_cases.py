"""The bad-input corpus: every way a user can get an input wrong, and what jumeau says.

Each :class:`Case` builds a small set of files in a fresh folder (from the tiny site of
``tests/tiny.py``) and returns the command line; it expects an exit code and fragments
of the French message (the field, the mistake, and the fix). ``test_corpus.py`` runs
every case through ``jumeau validate`` and ``jumeau run``.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from affine import Affine

#: Commands a case runs through: both, or one (options only one command has).
BOTH = ("validate", "run")


@dataclass(frozen=True)
class Case:
    """One bad input.

    ``build(folder, tiny, command)`` writes the files under ``folder`` and returns the
    arguments after ``jumeau --lang fr`` (``tiny`` is the tiny site's manifest).
    """

    name: str
    build: Callable[[Path, Path, str], list[str]]
    fragments: tuple[str, ...]
    code: int = 2
    commands: tuple[str, ...] = BOTH
    #: The case needs the real data extracts (../shared/data).
    shared: bool = False


# -- helpers --------------------------------------------------------------------------

BASE = """\
name: essai
title: "Essai"
territory: {territory}
seed: 1
simulate:
  flood:
    duration_h: 0.5
    inflows:
      - point: [650300.0, 6600020.0]
        hydrograph: {{time_h: [0, 0.5], discharge_m3s: [5, 5]}}
    outflow: {{east: null}}
"""


def site(folder: Path, tiny: Path) -> Path:
    """A copy of the tiny site in ``folder/site``; returns its manifest."""
    target = folder / "site"
    shutil.copytree(tiny.parent, target)
    return target / "territory.yaml"


def spec(folder: Path, text: str, name: str = "s.yaml", encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding)
    return path


def command_args(command: str, path: Path, folder: Path) -> list[str]:
    """``validate PATH`` or ``run PATH --out folder/out``."""
    return [command, str(path)] + (["--out", str(folder / "out")] if command == "run"
                                   else [])


def scenario_case(change: Callable[[str], str]) -> Callable:
    """A case: the base scenario on the tiny site, changed by ``change``."""

    def build(folder: Path, tiny: Path, command: str) -> list[str]:
        return command_args(command, spec(folder, change(BASE.format(territory=tiny))),
                            folder)

    return build


def flood_block(block: str) -> Callable:
    """A case: the base scenario whose ``flood:`` block is ``block`` (indented 4)."""

    def change(text: str) -> str:
        head = text.split("  flood:\n")[0]
        return head + "  flood:\n" + block

    return scenario_case(change)


def manifest_case(change: Callable[[Path, str], str | None]) -> Callable:
    """A case: the base scenario on a copy of the tiny site whose files or manifest
    ``change(site_folder, manifest_text)`` alters (returning the new manifest text, or
    None to keep it)."""

    def build(folder: Path, tiny: Path, command: str) -> list[str]:
        manifest = site(folder, tiny)
        text = change(manifest.parent, manifest.read_text(encoding="utf-8"))
        if text is not None:
            manifest.write_text(text, encoding="utf-8")
        return command_args(command, spec(folder, BASE.format(territory=manifest)), folder)

    return build


def replace_layer(line_start: str, new_line: str) -> Callable:
    """Change the manifest line that starts with ``line_start``."""

    def change(_site: Path, text: str) -> str:
        lines = [new_line if ln.strip().startswith(line_start) else ln
                 for ln in text.splitlines()]
        return "\n".join(lines) + "\n"

    return change


def write_dem(path: Path, *, crs: str | None = "EPSG:2154", transform=None,
              values: np.ndarray | None = None) -> None:
    values = values if values is not None else np.full((80, 120), 100.0, np.float32)
    profile = dict(driver="GTiff", width=values.shape[1], height=values.shape[0], count=1,
                   dtype="float32", nodata=-99999,
                   transform=transform or Affine(5, 0, 650_000, 0, -5, 6_600_400))
    if crs:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype(np.float32), 1)


def buildings_file(site_dir: Path, frame: gpd.GeoDataFrame, name: str = "bati.gpkg") -> str:
    frame.to_file(site_dir / name)
    return name


def tiny_buildings(site_dir: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(site_dir / "bdtopo.gpkg", layer="batiment")


# -- file-level changes ---------------------------------------------------------------

def _drop(suffix: str, stem: str = "tri_env") -> Callable:
    def change(site_dir: Path, _text: str) -> None:
        (site_dir / f"{stem}{suffix}").unlink()

    return change


def _corrupt(name: str, *, truncate: bool) -> Callable:
    def change(site_dir: Path, _text: str) -> None:
        path = site_dir / name
        data = path.read_bytes()
        if truncate:
            path.write_bytes(data[: len(data) // 3])
        else:
            rng = np.random.default_rng(0)
            path.write_bytes(data[:100] + rng.bytes(len(data) - 100))

    return change


def _tri_without_attributes(site_dir: Path, _text: str) -> None:
    frame = gpd.read_file(site_dir / "tri_env.shp")
    for suffix in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
        (site_dir / f"tri_env{suffix}").unlink(missing_ok=True)
    frame[["geometry"]].assign(fid=range(len(frame))).to_file(site_dir / "tri_env.shp")


def _zip_layer(site_dir: Path, text: str) -> str:
    with zipfile.ZipFile(site_dir / "tri.zip", "w") as z:
        for suffix in (".shp", ".shx", ".dbf", ".prj"):
            z.write(site_dir / f"tri_env{suffix}", f"tri_env{suffix}")
    return text.replace("{path: tri_env.shp", "{path: tri.zip")


def _zip_dem(site_dir: Path, text: str) -> str:
    with zipfile.ZipFile(site_dir / "mnt.zip", "w") as z:
        z.write(site_dir / "mnt.tif", "mnt.tif")
    return text.replace("{path: mnt.tif}", "{path: mnt.zip}")


def _dem_geographic(site_dir: Path, text: str) -> None:
    write_dem(site_dir / "mnt.tif", crs="EPSG:4326",
              transform=Affine(0.0001, 0, -1.5, 0, -0.0001, 47.5))


def _dem_no_crs(site_dir: Path, text: str) -> None:
    write_dem(site_dir / "mnt.tif", crs=None)


def _dem_elsewhere(site_dir: Path, text: str) -> None:
    write_dem(site_dir / "mnt.tif", transform=Affine(5, 0, 700_000, 0, -5, 6_700_400))


def _dem_all_nodata(site_dir: Path, text: str) -> None:
    write_dem(site_dir / "mnt.tif", values=np.full((80, 120), -99999.0, np.float32))


def _dem_text(site_dir: Path, text: str) -> None:
    (site_dir / "mnt.tif").write_text("ceci n'est pas un MNT\n", encoding="utf-8")


def _empty_geometries(site_dir: Path, text: str) -> str:
    b = tiny_buildings(site_dir)
    b["geometry"] = [shapely.Polygon()] * len(b)
    name = buildings_file(site_dir, b)
    return text.replace("{path: bdtopo.gpkg, layer: batiment, schema: bdtopo}",
                        f"{{path: {name}, schema: bdtopo}}")


def _huge_coordinate(site_dir: Path, text: str) -> str:
    b = tiny_buildings(site_dir)
    b.loc[0, "geometry"] = shapely.box(1e12, 1e12, 1e12 + 10, 1e12 + 10)
    name = buildings_file(site_dir, b)
    return text.replace("{path: bdtopo.gpkg, layer: batiment, schema: bdtopo}",
                        f"{{path: {name}, schema: bdtopo}}")


def _roads_as_polygons(site_dir: Path, text: str) -> str:
    b = tiny_buildings(site_dir)
    name = buildings_file(site_dir, b, "routes.gpkg")
    return text.replace("{path: bdtopo.gpkg, layer: troncon_de_route, schema: bdtopo}",
                        f"{{path: {name}, columns: {{road_id: cleabs}}}}")


def _shifted_roads(site_dir: Path, text: str) -> str:
    r = gpd.read_file(site_dir / "bdtopo.gpkg", layer="troncon_de_route")
    r["geometry"] = r.geometry.translate(50_000, 0)
    r.to_file(site_dir / "routes.gpkg")
    return text.replace("{path: bdtopo.gpkg, layer: troncon_de_route, schema: bdtopo}",
                        "{path: routes.gpkg, schema: bdtopo, layer: routes}")


def _scenario_as_territory(folder: Path, tiny: Path, command: str) -> list[str]:
    other = spec(folder, BASE.format(territory=tiny), "autre.yaml")
    return command_args(command, spec(folder, BASE.format(territory=other)), folder)


def _manifest_text(text: str) -> Callable:
    def change(_site: Path, _old: str) -> str:
        return text

    return change


MINI_MANIFEST = """name: Mini
layers:
  buildings: {path: bdtopo.gpkg, layer: batiment, schema: bdtopo}
  dem: {path: mnt.tif}
"""


# -- usage ------------------------------------------------------------------------------

def _argv(*args: str) -> Callable:
    return lambda folder, tiny, command: list(args)


def _cmd(*args: str) -> Callable:
    return lambda folder, tiny, command: [command, *args]


def _missing_file(folder: Path, tiny: Path, command: str) -> list[str]:
    return command_args(command, folder / "absent.yaml", folder)


def _folder_as_spec(folder: Path, tiny: Path, command: str) -> list[str]:
    (folder / "dossier.yaml").mkdir()
    return command_args(command, folder / "dossier.yaml", folder)


def _run_with(*options: str) -> Callable:
    def build(folder: Path, tiny: Path, command: str) -> list[str]:
        return [command, str(spec(folder, BASE.format(territory=tiny))), *options]

    return build


def _out_is_file(folder: Path, tiny: Path, command: str) -> list[str]:
    (folder / "out").write_text("un fichier\n", encoding="utf-8")
    return command_args(command, spec(folder, BASE.format(territory=tiny)), folder)


def _out_foreign(folder: Path, tiny: Path, command: str) -> list[str]:
    (folder / "out").mkdir()
    (folder / "out" / "notes.txt").write_text("à garder\n", encoding="utf-8")
    return command_args(command, spec(folder, BASE.format(territory=tiny)), folder)


def _out_under_file(folder: Path, tiny: Path, command: str) -> list[str]:
    (folder / "f").write_text("x\n", encoding="utf-8")
    return [command, str(spec(folder, BASE.format(territory=tiny))), "--out",
            str(folder / "f" / "out")]


def _out_unwritable(folder: Path, tiny: Path, command: str) -> list[str]:
    return [command, str(spec(folder, BASE.format(territory=tiny))), "--out",
            "/proc/jumeau-sortie"]


# -- variants ---------------------------------------------------------------------------

def _variants(block: str) -> Callable:
    return scenario_case(lambda text: text + "variants:\n" + block)


def _compare_territories(folder: Path, tiny: Path, command: str) -> list[str]:
    other = site(folder, tiny)
    a = spec(folder, BASE.format(territory=tiny), "a.yaml")
    b = spec(folder, BASE.format(territory=other).replace("name: essai", "name: autre"),
             "b.yaml")
    return ["compare", str(a), str(b), "--out", str(folder / "out")]


def _compare_one(folder: Path, tiny: Path, command: str) -> list[str]:
    a = spec(folder, BASE.format(territory=tiny), "a.yaml")
    return ["compare", str(a), str(folder / "absent.yaml"), "--out", str(folder / "out")]


# -- the corpus ---------------------------------------------------------------------------

FIX = "→ solution"

CASES: list[Case] = [
    # Usage of the command line.
    Case("no argument", _argv(), ("commande manquante", FIX), commands=("-",)),
    Case("unknown command", _argv("frobnicate"), ("commande inconnue « frobnicate »", FIX),
         commands=("-",)),
    Case("misspelt command", _argv("valdate", "x.yaml"), ("vouliez-vous dire « validate »",),
         commands=("-",)),
    Case("unknown language", _argv("--lang", "de", "validate", "x.yaml"),
         ("langue inconnue « de »", "utilisez fr ou en"), commands=("-",)),
    Case("missing scenario argument", _cmd(), ("argument manquant", "SPEC", FIX)),
    Case("unknown option", _run_with("--bogus"), ("option inconnue « --bogus »", FIX)),
    Case("misspelt option", _run_with("--seeed", "3"),
         ("option inconnue « --seeed »", "vouliez-vous dire « --seed »"), commands=("run",)),
    Case("negative --seed", _run_with("--seed", "-1"),
         ("champ « --seed »", "supérieur ou égal à 0", FIX), commands=("run",)),
    Case("text --seed", _run_with("--seed", "abc"),
         ("champ « --seed »", "nombre entier", "lu « abc »", FIX), commands=("run",)),
    Case("--out without value", _run_with("--out"), ("l'option --out attend une valeur", FIX),
         commands=("run",)),
    Case("extra argument", _run_with("autre.yaml"), ("argument(s) en trop : autre.yaml", FIX),
         commands=("run",)),
    Case("scenario file not found", _missing_file,
         ("fichier introuvable", "scénario prêt", FIX)),
    Case("folder given as scenario", _folder_as_spec, ("c'est un dossier", FIX)),
    # YAML itself.
    Case("tab in YAML", scenario_case(lambda t: t.replace("  flood:", "\tflood:")),
         ("YAML invalide", "tabulation", FIX)),
    Case("empty scenario file", scenario_case(lambda t: ""), ("le fichier est vide", FIX)),
    Case("only comments", scenario_case(lambda t: "# rien\n"), ("le fichier est vide", FIX)),
    Case("not a mapping", scenario_case(lambda t: "- une\n- liste\n"),
         ("dictionnaire YAML", FIX)),
    Case("cp1252 file", lambda folder, tiny, command: command_args(
        command, spec(folder, BASE.format(territory=tiny).replace('"Essai"', '"Crue été"'),
                      encoding="cp1252"), folder), ("n'est pas en UTF-8", FIX)),
    Case("BOM then a typo on line 4", scenario_case(
        lambda t: "\ufeff" + t.replace("seed: 1", "seeed: 1")),
        ("ligne 4", "clé inconnue « seeed »", "vouliez-vous dire « seed »")),
    Case("duplicate key", scenario_case(lambda t: t.replace("seed: 1", "seed: 1\nseed: 2")),
         ("ligne 5", "la clé « seed » apparaît deux fois", FIX)),
    Case("duplicate nested key", flood_block(
        "    duration_h: 0.5\n    duration_h: 1\n"),
        ("la clé « duration_h » apparaît deux fois",)),
    Case("unclosed bracket", scenario_case(lambda t: t.replace("[5, 5]", "[5, 5")),
         ("YAML invalide", FIX)),
    Case("colon in a value", scenario_case(lambda t: t.replace('title: "Essai"',
                                                               "title: Crue: été")),
         ("YAML invalide", "ligne 2", "entre guillemets")),
    # Numbers: NaN, inf, empty, text.
    Case(".nan duration", scenario_case(lambda t: t.replace("duration_h: 0.5",
                                                            "duration_h: .nan")),
         ("champ « simulate.flood.duration_h »", "nombre fini", FIX)),
    Case(".inf duration", scenario_case(lambda t: t.replace("duration_h: 0.5",
                                                            "duration_h: .inf")),
         ("simulate.flood.duration_h", "nombre fini", FIX)),
    Case("'nan' text in a discharge", scenario_case(
        lambda t: t.replace("discharge_m3s: [5, 5]", "discharge_m3s: [5, nan]")),
        ("simulate.flood.inflows.0.hydrograph.discharge_m3s.1", "nombre fini", FIX)),
    Case(".nan in a time list", scenario_case(
        lambda t: t.replace("time_h: [0, 0.5]", "time_h: [0, .nan]")),
        ("simulate.flood.inflows.0.hydrograph.time_h.1", "nombre fini", FIX)),
    Case("1e400 (infinite) coordinate", scenario_case(
        lambda t: t.replace("650300.0", "1e400")),
        ("simulate.flood.inflows.0.point.0", "nombre fini", FIX)),
    Case("empty string duration", scenario_case(
        lambda t: t.replace("duration_h: 0.5", 'duration_h: ""')),
        ("simulate.flood.duration_h", "doit être un nombre", 'valeur lue : ""', FIX)),
    Case("null duration", scenario_case(
        lambda t: t.replace("duration_h: 0.5", "duration_h:")),
        ("simulate.flood.duration_h", "doit être un nombre", FIX)),
    Case("unit in a number", scenario_case(
        lambda t: t.replace("duration_h: 0.5", "duration_h: 6 h")),
        ("simulate.flood.duration_h", "doit être un nombre", "sans guillemets ni unité")),
    Case("decimal comma", scenario_case(
        lambda t: t.replace("duration_h: 0.5", "duration_h: 0,5")),
        ("simulate.flood.duration_h", "doit être un nombre", "point décimal")),
    Case("empty seed", scenario_case(lambda t: t.replace("seed: 1", 'seed: ""')),
         ("champ « seed »", "nombre entier", FIX)),
    Case("huge seed", scenario_case(lambda t: t.replace("seed: 1", "seed: 1e400")),
         ("champ « seed »", "nombre entier", FIX)),
    # The scenario's fields.
    Case("typo at top level", scenario_case(lambda t: t.replace("seed: 1", "seeed: 1")),
         ("ligne 4", "clé inconnue « seeed »", "vouliez-vous dire « seed »")),
    Case("seed as a word", scenario_case(lambda t: t.replace("seed: 1", "seed: sept")),
         ("ligne 4", "champ « seed »", "nombre entier", "valeur lue : sept", FIX)),
    Case("negative seed", scenario_case(lambda t: t.replace("seed: 1", "seed: -7")),
         ("champ « seed »", "supérieur ou égal à 0", FIX)),
    Case("missing name", scenario_case(lambda t: t.replace("name: essai\n", "")),
         ("champ « name »", "champ obligatoire manquant", "ajoutez « name: … »")),
    Case("name unusable as a folder", scenario_case(
        lambda t: t.replace("name: essai", "name: ../essai 2")),
        ("champ « name »", "caractères non permis", "nom de dossier")),
    Case("unknown simulation kind", scenario_case(lambda t: t.replace("  flood:", "  flod:")),
         ("type de simulation inconnu « flod »", "vouliez-vous dire « flood »")),
    Case("nothing to simulate", scenario_case(lambda t: t.split("simulate:")[0]
                                              + "simulate: {}\n"),
         ("champ « simulate »", "trop peu d'éléments", FIX)),
    Case("missing territory", scenario_case(
        lambda t: t.replace("territory: ", "territory: ./nulle-part/")),
        ("champ « territory »", "territoire introuvable", FIX)),
    Case("scenario named as territory", _scenario_as_territory,
         ("est un scénario, pas un manifeste", FIX)),
    Case("unknown measure type", scenario_case(
        lambda t: t.replace("simulate:", "measures:\n  - {type: mur}\nsimulate:")),
        ("type de mesure inconnu « mur »", "types de mesure : ", "wall")),
    Case("measure without type", scenario_case(
        lambda t: t.replace("simulate:", "measures:\n  - {crest_height_m: 1}\nsimulate:")),
        ("champ « measures.0 »", "`type`", FIX)),
    Case("wall outside the territory", scenario_case(lambda t: t.replace(
        "simulate:", "measures:\n  - {type: wall, line: [[0, 0], [10, 10]], "
        "crest_height_m: 1}\nsimulate:")), ("measures.0", "en dehors", FIX)),
    Case("wall with two crests", scenario_case(lambda t: t.replace(
        "simulate:", "measures:\n  - {type: wall, line: [[650100, 6600100], [650200, "
        "6600100]], crest_height_m: 1, crest_z_m: 103}\nsimulate:")),
        ("measures.0", "soit `crest_height_m`", FIX)),
    # The flood block.
    Case("negative duration", scenario_case(
        lambda t: t.replace("duration_h: 0.5", "duration_h: -6")),
        ("simulate.flood.duration_h", "strictement supérieur à 0", FIX)),
    Case("duration too long", scenario_case(
        lambda t: t.replace("duration_h: 0.5", "duration_h: 1000")),
        ("simulate.flood.duration_h", "inférieur ou égal à 240", FIX)),
    Case("typo in a flood parameter", scenario_case(
        lambda t: t.replace("duration_h", "durration_h")),
        ("simulate.flood.durration_h", "clé inconnue",
         "vouliez-vous dire « duration_h »")),
    Case("one discharge missing", scenario_case(
        lambda t: t.replace("discharge_m3s: [5, 5]", "discharge_m3s: [5]")),
        ("simulate.flood.inflows.0.hydrograph", "un débit par temps", FIX)),
    Case("times not increasing", scenario_case(
        lambda t: t.replace("time_h: [0, 0.5]", "time_h: [0.5, 0]")),
        ("simulate.flood.inflows.0.hydrograph.time_h", "strictement croissants", FIX)),
    Case("negative discharge", scenario_case(
        lambda t: t.replace("discharge_m3s: [5, 5]", "discharge_m3s: [5, -5]")),
        ("simulate.flood.inflows.0.hydrograph", "positifs ou nuls", FIX)),
    Case("inflow with line and point", scenario_case(lambda t: t.replace(
        "- point: [650300.0, 6600020.0]",
        "- point: [650300.0, 6600020.0]\n        line: [[650000, 6600010], [650000, 6600030]]")),
        ("simulate.flood.inflows.0", "soit `line`, soit `point`", FIX)),
    Case("inflow outside the DEM", scenario_case(
        lambda t: t.replace("650300.0, 6600020.0", "640300.0, 6600020.0")),
        ("simulate.flood.inflows.0", "en dehors de la grille du MNT", FIX)),
    Case("observation point outside the DEM", flood_block(
        "    duration_h: 0.5\n    inflows:\n      - point: [650300.0, 6600020.0]\n"
        "        hydrograph: {time_h: [0, 0.5], discharge_m3s: [5, 5]}\n"
        "    observation_points: [{name: Loin, point: [0, 0]}]\n"),
        ("simulate.flood.observation_points.0", "en dehors de la grille du MNT", FIX)),
    Case("rain rate in m/s", flood_block(
        "    duration_h: 1\n    rain: {time_h: [0, 1], rate_mm_h: [5000]}\n"),
        ("simulate.flood.rain", "entre 0 et 500 mm/h", "mm par heure")),
    Case("rain rates per time", flood_block(
        "    duration_h: 1\n    rain: {time_h: [0, 1], rate_mm_h: [50, 50]}\n"),
        ("simulate.flood.rain", "une intensité par intervalle", FIX)),
    Case("unknown Manning surface", scenario_case(
        lambda t: t + "    manning: {forrest: 0.1}\n"),
        ("simulate.flood.manning", "surface inconnue « forrest »", FIX)),
    Case("Manning's n above 1", scenario_case(lambda t: t + "    manning: {forest: 5}\n"),
         ("simulate.flood.manning", "entre 0 et 1", FIX)),
    Case("damage table not found", scenario_case(
        lambda t: t + "    damage_table: courbes.csv\n"),
        ("simulate.flood.damage_table", "courbes.csv", FIX)),
    Case("nothing brings water", flood_block("    duration_h: 1\n"),
         ("simulate.flood", "rien n'apporte d'eau", "donnez `inflows`")),
    Case("unknown outflow edge", scenario_case(
        lambda t: t.replace("outflow: {east: null}", "outflow: {up: null}")),
        ("simulate.flood.outflow", "valeur « up » inconnue", "valeurs possibles")),
    Case("misspelt buildings mode", scenario_case(lambda t: t + "    buildings: bloked\n"),
         ("simulate.flood.buildings", "valeur « bloked » inconnue",
          "vouliez-vous dire « blocked »")),
    Case("list instead of a mapping", scenario_case(
        lambda t: t.replace("outflow: {east: null}", "outflow: [east]")),
        ("simulate.flood.outflow", "dictionnaire", FIX)),
    Case("mapping instead of a list", scenario_case(
        lambda t: t.replace("time_h: [0, 0.5]", "time_h: {a: 0}")),
        ("simulate.flood.inflows.0.hydrograph.time_h", "liste", FIX)),
    # Variants (issue 8).
    Case("variant name not a folder name", _variants("  avec mur: {}\n"),
         ("variants", FIX)),
    Case("variant named like the comparison folder", _variants(
        "  base: {}\n  comparaison: {}\n"), ("comparaison", FIX)),
    Case("variant overrides an unknown key", _variants(
        "  base: {}\n  longue:\n    simulate: {flood: {duree_h: 2}}\n"),
        ("variants.longue", "duree_h", FIX)),
    Case("variant with an unknown field", _variants("  base: {}\n  autre: {mesures: []}\n"),
         ("variants.autre.mesures", "clé inconnue", FIX)),
    Case("variant simulating an unknown kind", _variants(
        "  base: {}\n  autre:\n    simulate: {canicule: {}}\n"),
        ("canicule", FIX)),
    Case("variant with a bad value", _variants(
        "  base: {}\n  autre:\n    simulate: {flood: {duration_h: -1}}\n"),
        ("duration_h", "strictement supérieur à 0", FIX)),
    Case("a use the kind does not declare", scenario_case(
        lambda t: t + "    uses: [exposure.buildings_exposed]\n"),
        ("simulate.flood.uses.0", "ne sait pas utiliser", FIX)),
    Case("comparing scenarios on different territories", _compare_territories,
         ("territ", FIX), commands=("compare",)),
    Case("comparing with a missing file", _compare_one, ("absent.yaml", FIX),
         commands=("compare",)),
    # The territory manifest and its files.
    Case("manifest layer file missing", manifest_case(replace_layer(
        "buildings:", "  buildings: {path: absent.gpkg, schema: bdtopo}")),
        ("absent.gpkg", "fichier introuvable", FIX)),
    Case("shapefile without .dbf", manifest_case(_drop(".dbf")),
         ("tri_env.dbf", "il manque ses attributs", FIX)),
    Case("shapefile without .shx", manifest_case(_drop(".shx")),
         ("tri_env.shx", "son index", FIX)),
    Case("shapefile without .prj", manifest_case(_drop(".prj")),
         ("tri_env.shp", "pas de système de coordonnées", ".prj", FIX)),
    Case("flood zones without attributes", manifest_case(_tri_without_attributes),
         ("tri_env.shp", "sans scénario, aléa ni hauteur", FIX)),
    Case("corrupt shapefile", manifest_case(_corrupt("tri_env.shp", truncate=False)),
         ("tri_env.shp", FIX)),
    Case("truncated shapefile", manifest_case(_corrupt("tri_env.shp", truncate=True)),
         ("tri_env.shp", FIX)),
    Case("corrupt GeoPackage", manifest_case(_corrupt("carreaux.gpkg", truncate=False)),
         ("carreaux.gpkg", "illisible ou corrompu", FIX)),
    Case("truncated GeoPackage", manifest_case(_corrupt("carreaux.gpkg", truncate=True)),
         ("carreaux.gpkg", FIX)),
    Case("corrupt GeoTIFF", manifest_case(_corrupt("mnt.tif", truncate=False)),
         ("mnt.tif", FIX)),
    Case("truncated GeoTIFF", manifest_case(_corrupt("mnt.tif", truncate=True)),
         ("mnt.tif", FIX)),
    Case("text file named .tif", manifest_case(_dem_text), ("mnt.tif", "MNT illisible", FIX)),
    Case("zip given as a layer", manifest_case(_zip_layer), ("tri.zip", "archive", FIX)),
    Case("zip given as the DEM", manifest_case(_zip_dem), ("mnt.zip", "archive", FIX)),
    Case("DEM in geographic coordinates", manifest_case(_dem_geographic),
         ("mnt.tif", "coordonnées géographiques", "resolution_m", FIX)),
    Case("DEM without a CRS", manifest_case(_dem_no_crs),
         ("mnt.tif", "pas de système de coordonnées", FIX)),
    Case("DEM elsewhere", manifest_case(_dem_elsewhere), ("mnt.tif", FIX)),
    Case("DEM all nodata", manifest_case(_dem_all_nodata),
         ("mnt.tif", "aucune valeur", FIX)),
    Case("buildings all with empty geometries", manifest_case(_empty_geometries),
         ("bati.gpkg", "aucune géométrie utilisable", FIX)),
    Case("a huge coordinate", manifest_case(_huge_coordinate),
         ("bati.gpkg", "hors de la zone d'usage", FIX)),
    Case("roads that are polygons", manifest_case(_roads_as_polygons),
         ("routes.gpkg", "géométries inattendues", FIX)),
    Case("layer far from the others", manifest_case(_shifted_roads),
         ("routes.gpkg", "ne recouvre pas", FIX)),
    Case("GeoPackage layer misspelt", manifest_case(lambda s, t: t.replace(
        "layer: batiment", "layer: batiments")),
        ("bdtopo.gpkg", "couche « batiments » absente", "batiment")),
    Case("generic column not in the file", manifest_case(lambda s, t: t.replace(
        "{path: bdtopo.gpkg, layer: batiment, schema: bdtopo}",
        "{path: bdtopo.gpkg, layer: batiment, columns: {height_m: HAUTEURR}}")),
        ("HAUTEURR", "absente du fichier", "vouliez-vous dire « hauteur »")),
    Case("manifest typo", manifest_case(lambda s, t: t.replace("layers:", "layerz:")),
         ("territory.yaml", "clé inconnue « layerz »", "vouliez-vous dire « layers »")),
    Case("manifest in degrees", manifest_case(lambda s, t: t.replace(
        "layers:", "crs: EPSG:4326\nlayers:")), ("champ « crs »", "n'est pas projeté", FIX)),
    Case("manifest unknown CRS", manifest_case(lambda s, t: t.replace(
        "layers:", "crs: EPSG:99999\nlayers:")), ("champ « crs »", "inconnu", FIX)),
    Case("manifest extent reversed", manifest_case(lambda s, t: t.replace(
        "layers:", "extent: [650600, 6600400, 650000, 6600000]\nlayers:")),
        ("champ « extent »", "xmin < xmax", FIX)),
    Case("manifest unknown schema", manifest_case(lambda s, t: t.replace(
        "schema: insee_grid", "schema: insee")),
        ("layers.population.schema", "valeur « insee » inconnue",
         "vouliez-vous dire « insee_grid »")),
    Case("manifest DEM with two sources", manifest_case(lambda s, t: t.replace(
        "{path: mnt.tif}", "{path: mnt.tif, derive: true}")),
        ("layers.dem", "une seule source", FIX)),
    Case("empty manifest", manifest_case(lambda s, t: ""), ("territory.yaml", "vide", FIX)),
    Case("manifest with .nan", manifest_case(lambda s, t: t.replace(
        "{path: mnt.tif}", "{path: mnt.tif, resolution_m: .nan}")),
        ("layers.dem.resolution_m", "nombre fini", FIX)),
    Case("flood without a DEM", manifest_case(lambda s, t: "\n".join(
        ln for ln in t.splitlines() if "dem:" not in ln) + "\n"),
        ("simulate.flood", "a besoin", "dem:", FIX)),
    # The output folder (run only).
    Case("--out is a file", _out_is_file, ("--out", "est un fichier", FIX),
         commands=("run",)),
    Case("--out holds other files", _out_foreign,
         ("--out", "d'autres fichiers", "--force"), commands=("run",)),
    Case("--out under a file", _out_under_file, ("--out", "passe par un fichier", FIX),
         commands=("run",)),
    Case("--out not writable", _out_unwritable, ("--out", "impossible d'écrire", FIX),
         commands=("run",)),
]
