"""``--help`` in the user's language, typer's own lines included.

Help strings are written in French where commands are declared. :func:`bilingual`
records the English version next to the French one at that place
(``help=bilingual("Dossier de sortie.", "Output folder.")``); :data:`CATALOGUE` holds the
English of strings declared without it. :func:`localise` then walks the click command
tree built from the typer app, swaps every help string for the current language's, and
gives each command a context whose formatter writes typer's own words (``Usage:``,
``Options``, ``[default: …]``, ``Show this message and exit.``) in that language too.

Examples
--------
>>> english_of(bilingual("Graine du générateur.", "Seed of the generator."))
'Seed of the generator.'
>>> english_of("Pas encore traduit.") is None
True
"""

from __future__ import annotations

import re
from typing import Any

from jumeau.i18n import current_language

#: English versions of French help strings, keyed by the French text (whitespace folded).
_ENGLISH: dict[str, str] = {}

#: Help strings declared without their English version (modules the CLI imports as is).
CATALOGUE: dict[str, str] = {
    "jumeau — le jumeau numérique ouvert des communes françaises.":
        "jumeau — an open digital twin for French communes.",
    "Lance un scénario : carte, indicateurs et couches dans out/<nom>/.":
        "Run a scenario: map, indicators and layers in out/<name>/.",
    "Fichier de scénario YAML.": "Scenario YAML file.",
    "Fichier de scénario YAML, ou le nom d'un scénario prêt (jumeau scenarios).":
        "Scenario YAML file, or the name of a ready scenario (jumeau scenarios).",
    "Affiche les indicateurs en JSON sur la sortie standard.":
        "Print the indicators as JSON on standard output.",
    "Vérifie un ou plusieurs scénarios sans les lancer (code 2 au premier problème) : le "
    "fichier, le territoire (fichiers, systèmes de coordonnées, colonnes, géométries), les "
    "mesures et les paramètres de chaque simulation sur ce territoire.":
        "Check one or more scenarios without running them (exit code 2 at the first "
        "problem): the file, the territory (files, coordinate systems, columns, "
        "geometries), the measures and each simulation's parameters on that territory.",
    "Fichier(s) de scénario YAML.": "Scenario YAML file(s).",
    "Lance tous les scénarios prêts sur le territoire de démonstration (ou ceux nommés) "
    "et écrit out/demo/index.html, qui relie leurs cartes et leurs rapports.":
        "Run every ready scenario on the demo territory (or those named) and write "
        "out/demo/index.html, which links their maps and reports.",
    "Fichiers de scénario YAML (le premier est la référence).":
        "Scenario YAML files (the first is the baseline).",
    "Affiche les indicateurs et les écarts en JSON.":
        "Print the indicators and the changes as JSON.",
    "Compare des scénarios sur un même territoire : chaque fichier devient une variante, "
    "le premier est la référence.":
        "Compare scenarios on one territory: each file becomes a variant, the first one "
        "is the baseline.",
}

#: typer's and click's own words, French first.
_TYPER_WORDS = {
    "Usage: ": "Utilisation : ",
    "Arguments": "Arguments",
    "Options": "Options",
    "Commands": "Commandes",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "COMMAND [ARGS]...": "COMMANDE [ARGUMENTS]...",
}
_METAVARS_FR = {"<str>": "<texte>", "<int>": "<entier>", "<int range>": "<entier>",
                "<float>": "<nombre>", "<float range>": "<nombre>", "<path>": "<chemin>",
                "<bool>": "<booléen>", "<choice>": "<choix>",
                "<list[Path]>": "<chemins>", "<list[str]>": "<noms>"}


def _key(text: str) -> str:
    return " ".join(text.split())


def bilingual(fr: str, en: str) -> str:
    """Record ``en`` as the English of the French help ``fr``, and return ``fr``."""
    _ENGLISH[_key(fr)] = en
    return fr


def english_of(fr: str) -> str | None:
    """The English version of a French help string, or None when none is known."""
    key = _key(fr)
    if key in _ENGLISH:
        return _ENGLISH[key]
    return next((en for f, en in CATALOGUE.items() if _key(f) == key), None)


def translate(text: str | None, lang: str | None = None) -> str | None:
    """``text`` (French) in ``lang``; French text without a known English stays French."""
    if text is None or (lang or current_language()) == "fr":
        return text
    return english_of(text) or text


def commands(root: Any) -> list[Any]:
    """Every command of the click tree under ``root`` (``root`` first)."""
    out = [root]
    for sub in getattr(root, "commands", {}).values():
        out.extend(commands(sub))
    return out


def localise(root: Any, lang: str | None = None) -> Any:
    """Put the help of every command and parameter under ``root`` in ``lang``."""
    lang = lang or current_language()
    for command in commands(root):
        if not hasattr(command, "_jumeau_fr"):
            command._jumeau_fr = (command.help, command.short_help,
                                  [getattr(p, "help", None) for p in command.params])
        help_fr, short_fr, params_fr = command._jumeau_fr
        command.help = translate(help_fr, lang)
        command.short_help = translate(short_fr, lang)
        for param, text in zip(command.params, params_fr):
            if hasattr(param, "help"):
                param.help = translate(text, lang)
        command.context_class = _context_class(type(command).context_class, lang)
    return root


_CONTEXTS: dict[tuple, type] = {}


def _context_class(base: type, lang: str) -> type:
    """A context class of ``base`` whose help formatter writes typer's words in ``lang``."""
    base = getattr(base, "_jumeau_base", base)
    key = (base, lang)
    if key not in _CONTEXTS:
        formatter = _formatter_class(base.formatter_class, lang)
        _CONTEXTS[key] = type(f"Localised{base.__name__}", (base,),
                              {"formatter_class": formatter, "_jumeau_base": base})
    return _CONTEXTS[key]


def _formatter_class(base: type, lang: str) -> type:
    if lang != "fr":
        return base

    class FrenchHelpFormatter(base):  # type: ignore[misc, valid-type]
        """click's help formatter writing its own words in French."""

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            args = args.replace("COMMAND [ARGS]...", _TYPER_WORDS["COMMAND [ARGS]..."])
            super().write_usage(prog, args, prefix or _TYPER_WORDS["Usage: "])

        def write_heading(self, heading: str) -> None:
            self.write(f"{'':>{self.current_indent}}{_TYPER_WORDS.get(heading, heading)} :\n")

        def write_dl(self, rows, *args, **kwargs) -> None:
            super().write_dl([(french_term(t), french_help(h)) for t, h in rows],
                             *args, **kwargs)

    return FrenchHelpFormatter


def french_term(term: str) -> str:
    """An option's term (``--seed <int range>``) with French metavars."""
    for en, fr in _METAVARS_FR.items():
        term = term.replace(en, fr)
    return term


def french_help(text: str) -> str:
    """typer's additions to an option's help (``[default: 42]``) in French."""
    text = text.replace("Show this message and exit.", _TYPER_WORDS[
        "Show this message and exit."])
    text = re.sub(r"default: ", "défaut : ", text)
    text = text.replace("[required]", "[obligatoire]").replace("; required]",
                                                              "; obligatoire]")
    return re.sub(r"\bx>=(\S+?)\]", r"≥ \1]", text)
