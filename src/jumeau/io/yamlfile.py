"""YAML files that remember where each value came from.

Manifests and scenario files are written by hand; when one is wrong the user must be
told the file, the line and the field. :func:`read_yaml` returns the data and a map
from each key path (``("layers", "buildings", "path")``) to its line number, and
:func:`validation_error` turns a pydantic error into a :class:`JumeauError` that says
where the mistake is and, for a misspelt key, what was probably meant.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from jumeau.errors import JumeauError, did_you_mean
from jumeau.i18n import Text

Lines = dict[tuple, int]


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping key and sequence item."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    out = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "unhashable key", key_node.start_mark)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        loader._jumeau_marks[id(out), key] = key_node.start_mark.line + 1
    loader._jumeau_nodes[id(out)] = node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _walk(value: Any, path: tuple, marks: dict, lines: Lines, seq_line: int | None) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            line = marks.get((id(value), key))
            if line is not None:
                lines[path + (key,)] = line
            _walk(item, path + (key,), marks, lines, line)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict) and item:
                first = next(iter(item))
                lines[path + (i,)] = marks.get((id(item), first), seq_line or 0)
            elif seq_line is not None:
                lines[path + (i,)] = seq_line
            _walk(item, path + (i,), marks, lines, lines.get(path + (i,), seq_line))


def parse_yaml(text: str, path: Path) -> tuple[Any, Lines]:
    """Parse YAML ``text`` (read from ``path``) into data and key-path → line numbers."""
    loader = _LineLoader(text)
    loader._jumeau_marks = {}
    loader._jumeau_nodes = {}
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise JumeauError(
            Text("YAML invalide : {p}", "invalid YAML: {p}").format(p=problem), path=path,
            line=mark.line + 1 if mark is not None else None,
            fix=Text("vérifiez l'indentation (des espaces, pas de tabulations), les « : » et "
                     "les guillemets", "check indentation (spaces, not tabs), colons and quotes")
        ) from None
    finally:
        loader.dispose()
    lines: Lines = {}
    _walk(data, (), loader._jumeau_marks, lines, None)
    return data, lines


def read_yaml(path: Path) -> tuple[Any, Lines]:
    """Read a YAML file; errors name the file and line."""
    if not path.exists():
        raise JumeauError(Text("fichier introuvable", "file not found"), path=path,
                          fix=Text("vérifiez le chemin", "check the path"))
    if path.is_dir():
        raise JumeauError(Text("c'est un dossier, pas un fichier YAML",
                               "this is a folder, not a YAML file"), path=path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise JumeauError(Text("le fichier n'est pas en UTF-8", "the file is not UTF-8"),
                          path=path, fix=Text("enregistrez-le en UTF-8", "save it as UTF-8")
                          ) from None
    return parse_yaml(text, path)


def line_of(lines: Lines, loc: tuple) -> int | None:
    """Line of the deepest known prefix of ``loc``."""
    loc = tuple(loc)
    while loc:
        if loc in lines:
            return lines[loc]
        loc = loc[:-1]
    return None


def _allowed_keys(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names (and aliases) of the model reached by following ``loc``."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return _keys_of(current)
        current = _inner_model(fields[part].annotation)
        if current is None:
            return []
    return _keys_of(current)


def _keys_of(model: Any) -> list[str]:
    fields = getattr(model, "model_fields", None) or {}
    return [f.alias or name for name, f in fields.items()]


def _inner_model(annotation: Any) -> Any:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def validation_error(exc: ValidationError, model: type[BaseModel], lines: Lines,
                     path: Path, *, known_keys: dict[tuple, list[str]] | None = None
                     ) -> JumeauError:
    """The first pydantic error as a :class:`JumeauError` naming file, line and field."""
    err = exc.errors()[0]
    keys = _flat_keys(lines)
    # Drop the union-branch tags pydantic inserts into locations ("list[Layer]", "Layer").
    loc = tuple(p for p in err["loc"] if isinstance(p, int) or p in keys or not (
        "[" in p or p[:1].isupper()))
    field = ".".join(str(p) for p in loc) if loc else None
    line = line_of(lines, loc)
    kind = err["type"]
    fix = None
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = (known_keys or {}).get(loc[:-1]) or _allowed_keys(model, loc)
        hint = did_you_mean(key, allowed)
        message = Text("clé inconnue « {k} »", "unknown key '{k}'").format(k=key)
        fix = hint or Text("clés possibles : {a}", "allowed keys: {a}").format(
            a=", ".join(allowed) or "—")
    elif kind == "missing":
        message = Text("champ obligatoire manquant", "required field missing")
        fix = Text("ajoutez « {k}: … »", "add '{k}: …'").format(k=loc[-1] if loc else "?")
    elif kind == "literal_error":
        choices = re.findall(r"'([^']*)'", err.get("ctx", {}).get("expected", ""))
        message = Text("valeur « {v} » inconnue", "unknown value '{v}'").format(v=err["input"])
        fix = did_you_mean(str(err["input"]), choices) or Text(
            "valeurs possibles : {c}", "possible values: {c}").format(c=", ".join(choices))
    else:
        message = _translated(err)
        if "input" in err and not isinstance(err["input"], (dict, list)):
            message = message + Text(" (valeur lue : {v!r})", " (value read: {v!r})").format(
                v=err["input"])
    return JumeauError(message, path=path, line=line, field=field, fix=fix)


#: French versions of the pydantic messages users meet most.
_MESSAGES_FR = {
    "greater_than": "doit être strictement supérieur à {gt}",
    "greater_than_equal": "doit être supérieur ou égal à {ge}",
    "less_than": "doit être strictement inférieur à {lt}",
    "less_than_equal": "doit être inférieur ou égal à {le}",
    "float_parsing": "doit être un nombre",
    "float_type": "doit être un nombre",
    "int_parsing": "doit être un nombre entier",
    "int_type": "doit être un nombre entier",
    "int_from_float": "doit être un nombre entier",
    "bool_parsing": "doit être true ou false",
    "bool_type": "doit être true ou false",
    "string_type": "doit être un texte",
    "list_type": "doit être une liste [ … ]",
    "dict_type": "doit être un dictionnaire {{clé: valeur}}",
    "model_type": "doit être un dictionnaire {{clé: valeur}}",
    "model_attributes_type": "doit être un dictionnaire {{clé: valeur}}",
    "string_too_short": "ne doit pas être vide",
    "too_short": "contient trop peu d'éléments",
    "too_long": "contient trop d'éléments",
}


def _translated(err: dict) -> Text:
    """The pydantic message of ``err``, with a French version when known."""
    english = err["msg"]
    english = english.removeprefix("Value error, ")
    template = _MESSAGES_FR.get(err["type"])
    french = template.format(**err.get("ctx", {})) if template else english
    return Text(f"valeur refusée : {french}", f"invalid value: {english}")


def _flat_keys(lines: Lines) -> set:
    return {part for key in lines for part in key}
