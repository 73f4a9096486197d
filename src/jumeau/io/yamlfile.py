"""YAML files that remember where each value came from.

Manifests and scenario files are written by hand; when one is wrong the user must be
told the file, the line and the field. :func:`read_yaml` returns the data and a map
from each key path (``("layers", "buildings", "path")``) to its line number, and
:func:`validation_error` turns a pydantic error into a :class:`JumeauError` that says
where the mistake is and, for a misspelt key, what was probably meant.
"""

from __future__ import annotations

import math
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
                None, None, f"duplicate key '{key}'", key_node.start_mark)
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
            Text("YAML invalide : ", "invalid YAML: ") + yaml_problem(problem), path=path,
            line=mark.line + 1 if mark is not None else None,
            fix=Text("vérifiez l'indentation (des espaces, pas de tabulations), les « : » et "
                     "les guillemets", "check indentation (spaces, not tabs), colons and quotes")
        ) from None
    finally:
        loader.dispose()
    lines: Lines = {}
    _walk(data, (), loader._jumeau_marks, lines, None)
    if data is None:
        raise JumeauError(Text("le fichier est vide", "the file is empty"), path=path,
                          fix=Text("écrivez-y au moins `name:` (voir les exemples du README)",
                                   "write at least `name:` in it (see the README's examples)"))
    _check_finite(data, (), lines, path)
    return data, lines


def _check_finite(value: Any, loc: tuple, lines: Lines, path: Path) -> None:
    """Refuse ``.nan`` and ``.inf``: no quantity of a scenario or manifest is infinite or
    unknown, and a NaN would travel silently into the results."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(
        value, list) else ()
    for key, item in items:
        if isinstance(item, float) and not math.isfinite(item):
            where = loc + (key,)
            raise JumeauError(
                Text("valeur refusée : doit être un nombre fini (lu {v})",
                     "invalid value: must be a finite number (read {v})").format(v=item),
                path=path, line=line_of(lines, where),
                field=".".join(str(p) for p in where),
                fix=Text(*_NUMBER_FIX))
        _check_finite(item, loc + (key,), lines, path)


#: PyYAML's problems, in both languages (the English one is PyYAML's own).
_YAML_PROBLEMS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"found character '\\t' that cannot start any token"),
     "une tabulation là où YAML attend des espaces"),
    (re.compile(r"duplicate key '?(?P<k>.*?)'?$"),
     "la clé « {k} » apparaît deux fois (la seconde remplacerait la première)"),
    (re.compile(r"unhashable key"), "une clé est une liste ou un dictionnaire"),
    (re.compile(r"mapping values are not allowed here"),
     "un « : » inattendu (une valeur qui contient « : » doit être entre guillemets)"),
    (re.compile(r"could not find expected ':'"), "il manque un « : » après une clé"),
    (re.compile(r"did not find expected key"), "une clé est attendue ici (indentation ?)"),
    (re.compile(r"did not find expected '-' indicator"),
     "un élément de liste « - » est attendu ici (indentation ?)"),
    (re.compile(r"did not find expected node content"), "une valeur est attendue ici"),
    (re.compile(r"expected <block end>, but found '(?P<k>.*)'"),
     "indentation incohérente (trouvé « {k} »)"),
    (re.compile(r"expected ',' or '[\]}]', but got '(?P<k>.*)'"),
     "une liste ou un dictionnaire entre crochets n'est pas fermé (trouvé « {k} »)"),
    (re.compile(r"found unexpected end of stream"),
     "fin du fichier inattendue (guillemet ou crochet non fermé ?)"),
    (re.compile(r"found unknown escape character"),
     "séquence d'échappement inconnue (écrivez les chemins Windows entre apostrophes "
     "'…' plutôt qu'entre guillemets)"),
    (re.compile(r"found undefined alias '?(?P<k>[^']*)'?"), "alias « {k} » non défini"),
    (re.compile(r"found unexpected ':'"), "un « : » inattendu"),
    (re.compile(r"special characters are not allowed"), "caractère de contrôle interdit"),
    (re.compile(r"found a tab character"), "une tabulation là où YAML attend des espaces"),
]


def yaml_problem(problem: str) -> Text:
    """A PyYAML problem message in both languages (French from :data:`_YAML_PROBLEMS`,
    else a plain French description: no English inside French text)."""
    for pattern, french in _YAML_PROBLEMS:
        hit = pattern.search(problem)
        if hit:
            return Text(french.format(**hit.groupdict()), problem)
    return Text("syntaxe incorrecte", problem)


def read_yaml(path: Path) -> tuple[Any, Lines]:
    """Read a YAML file; errors name the file and line."""
    if not path.exists():
        raise JumeauError(Text("fichier introuvable", "file not found"), path=path,
                          fix=Text("vérifiez le chemin", "check the path"))
    if path.is_dir():
        raise JumeauError(Text("c'est un dossier, pas un fichier YAML",
                               "this is a folder, not a YAML file"), path=path,
                          fix=Text("donnez le chemin du fichier .yaml", "give the path of the "
                                   ".yaml file"))
    try:
        # utf-8-sig: a byte-order mark (Windows editors add one) is not part of the text.
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise JumeauError(Text("le fichier n'est pas en UTF-8", "the file is not UTF-8"),
                          path=path, fix=Text("enregistrez-le en UTF-8", "save it as UTF-8")
                          ) from None
    except OSError as exc:
        from jumeau.io.outputs import os_reason

        raise JumeauError(Text("fichier illisible ({e})", "unreadable file ({e})").format(
            e=os_reason(exc)), path=path,
            fix=Text("vérifiez ses droits de lecture", "check its read permissions")) from None
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
    """The first pydantic error as a :class:`JumeauError` naming file, line and field,
    with a message and a fix in both languages."""
    errors = exc.errors()
    # A misspelt key also makes the key it meant "missing": report the misspelling.
    err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    keys = _flat_keys(lines)
    # Drop the union-branch tags pydantic inserts into locations ("list[Layer]", "Layer").
    loc = tuple(p for p in err["loc"] if isinstance(p, int) or p in keys or not (
        "[" in p or p[:1].isupper()))
    field = ".".join(str(p) for p in loc) if loc else None
    line = line_of(lines, loc)
    kind = err["type"]
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
        message, fix = describe_error(err)
        if "input" in err and not isinstance(err["input"], (dict, list)):
            message = message + Text(" (valeur lue : {v})", " (value read: {v})").format(
                v=_shown(err["input"]))
    return JumeauError(message, path=path, line=line, field=field, fix=fix)


def _shown(value: Any) -> str:
    """A value as the user wrote it (``""`` for an empty string, ``null`` for None)."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return f'"{value}"' if value.strip() != value or not value else value
    return repr(value) if not isinstance(value, float) else str(value)


_NUMBER_FIX = ("écrivez un nombre, avec un point décimal (1.5), sans guillemets ni unité",
               "write a number, with a decimal point (1.5), without quotes or unit")
_INT_FIX = ("écrivez un nombre entier, par ex. 42", "write a whole number, e.g. 42")
_LIST_FIX = ("écrivez une liste : [a, b] ou une ligne « - a » par élément",
             "write a list: [a, b] or one '- a' line per item")
_DICT_FIX = ("écrivez des paires « clé: valeur », indentées sous ce champ",
             "write 'key: value' pairs, indented under this field")
_TEXT_FIX = ("mettez la valeur entre guillemets", "put the value in quotes")
_DATE_FIX = ("écrivez une date AAAA-MM-JJ (heure : AAAA-MM-JJTHH:MM)",
             "write a date YYYY-MM-DD (time: YYYY-MM-DDTHH:MM)")
_DOC_FIX = ("voyez la description de ce champ dans le README", "see this field's description "
            "in the README")

#: Every pydantic error type a user can meet: French message, English message, fix
#: (French, English). Placeholders come from the error's ``ctx``.
PYDANTIC_MESSAGES: dict[str, tuple[str, str, tuple[str, str]]] = {
    "greater_than": ("doit être strictement supérieur à {gt}", "must be greater than {gt}",
                     ("donnez une valeur plus grande que {gt}", "give a value above {gt}")),
    "greater_than_equal": ("doit être supérieur ou égal à {ge}",
                           "must be greater than or equal to {ge}",
                           ("donnez une valeur d'au moins {ge}", "give a value of at least {ge}")),
    "less_than": ("doit être strictement inférieur à {lt}", "must be less than {lt}",
                  ("donnez une valeur plus petite que {lt}", "give a value below {lt}")),
    "less_than_equal": ("doit être inférieur ou égal à {le}", "must be less than or equal to "
                        "{le}", ("donnez une valeur d'au plus {le}",
                                 "give a value of at most {le}")),
    "multiple_of": ("doit être un multiple de {multiple_of}", "must be a multiple of "
                    "{multiple_of}", ("arrondissez au multiple de {multiple_of} le plus proche",
                                      "round to the nearest multiple of {multiple_of}")),
    "finite_number": ("doit être un nombre fini (ni .nan ni .inf)", "must be a finite number "
                      "(not .nan nor .inf)", _NUMBER_FIX),
    "float_type": ("doit être un nombre", "must be a number", _NUMBER_FIX),
    "float_parsing": ("doit être un nombre", "must be a number", _NUMBER_FIX),
    "int_type": ("doit être un nombre entier", "must be a whole number", _INT_FIX),
    "int_parsing": ("doit être un nombre entier", "must be a whole number", _INT_FIX),
    "int_from_float": ("doit être un nombre entier, sans décimales", "must be a whole number, "
                       "without decimals", _INT_FIX),
    "int_parsing_size": ("est un nombre entier trop grand", "is too large a whole number",
                         ("donnez un nombre plus petit", "give a smaller number")),
    "decimal_type": ("doit être un nombre", "must be a number", _NUMBER_FIX),
    "decimal_parsing": ("doit être un nombre", "must be a number", _NUMBER_FIX),
    "decimal_max_digits": ("a trop de chiffres", "has too many digits", _NUMBER_FIX),
    "decimal_max_places": ("a trop de décimales", "has too many decimals", _NUMBER_FIX),
    "decimal_whole_digits": ("a trop de chiffres avant la virgule", "has too many digits "
                             "before the decimal point", _NUMBER_FIX),
    "complex_type": ("doit être un nombre", "must be a number", _NUMBER_FIX),
    "complex_str_parsing": ("doit être un nombre", "must be a number", _NUMBER_FIX),
    "fraction_type": ("doit être un nombre", "must be a number", _NUMBER_FIX),
    "fraction_parsing": ("doit être un nombre", "must be a number", _NUMBER_FIX),
    "bool_type": ("doit être true ou false", "must be true or false",
                  ("écrivez true ou false", "write true or false")),
    "bool_parsing": ("doit être true ou false", "must be true or false",
                     ("écrivez true ou false", "write true or false")),
    "string_type": ("doit être un texte", "must be a text", _TEXT_FIX),
    "string_unicode": ("doit être un texte lisible (UTF-8)", "must be readable text (UTF-8)",
                       ("enregistrez le fichier en UTF-8", "save the file as UTF-8")),
    "string_not_ascii": ("ne doit contenir que des caractères ASCII (sans accent)",
                         "must hold ASCII characters only (no accent)",
                         ("retirez les accents et symboles", "remove accents and symbols")),
    "string_too_short": ("ne doit pas être vide (au moins {min_length} caractère(s))",
                         "must not be empty (at least {min_length} character(s))",
                         ("écrivez une valeur", "write a value")),
    "string_too_long": ("est trop long (au plus {max_length} caractères)",
                        "is too long (at most {max_length} characters)",
                        ("raccourcissez-le", "shorten it")),
    "string_pattern_mismatch": ("contient des caractères non permis",
                                "holds characters that are not allowed",
                                ("suivez le format {pattern}", "follow the format {pattern}")),
    "bytes_type": ("doit être un texte", "must be a text", _TEXT_FIX),
    "bytes_too_short": ("est trop court", "is too short", ("allongez-le", "lengthen it")),
    "bytes_too_long": ("est trop long", "is too long", ("raccourcissez-le", "shorten it")),
    "bytes_invalid_encoding": ("n'est pas un texte valide", "is not valid text", _TEXT_FIX),
    "list_type": ("doit être une liste [ … ]", "must be a list [ … ]", _LIST_FIX),
    "tuple_type": ("doit être une liste [ … ]", "must be a list [ … ]", _LIST_FIX),
    "set_type": ("doit être une liste [ … ]", "must be a list [ … ]", _LIST_FIX),
    "frozen_set_type": ("doit être une liste [ … ]", "must be a list [ … ]", _LIST_FIX),
    "deque_type": ("doit être une liste [ … ]", "must be a list [ … ]", _LIST_FIX),
    "iterable_type": ("doit être une liste [ … ]", "must be a list [ … ]", _LIST_FIX),
    "iteration_error": ("n'a pas pu être parcouru comme une liste", "could not be read as a "
                        "list", _LIST_FIX),
    "set_item_not_hashable": ("contient un élément qui n'est pas une valeur simple",
                              "holds an item that is not a plain value", _LIST_FIX),
    "too_short": ("contient trop peu d'éléments (au moins {min_length}, lu {actual_length})",
                  "has too few items (at least {min_length}, found {actual_length})",
                  ("ajoutez des éléments", "add items")),
    "too_long": ("contient trop d'éléments (au plus {max_length}, lu {actual_length})",
                 "has too many items (at most {max_length}, found {actual_length})",
                 ("retirez des éléments", "remove items")),
    "dict_type": ("doit être un dictionnaire {{clé: valeur}}", "must be a mapping "
                  "{{key: value}}", _DICT_FIX),
    "mapping_type": ("doit être un dictionnaire {{clé: valeur}}", "must be a mapping "
                     "{{key: value}}", _DICT_FIX),
    "frozen_dict_type": ("doit être un dictionnaire {{clé: valeur}}", "must be a mapping "
                         "{{key: value}}", _DICT_FIX),
    "ordered_dict_type": ("doit être un dictionnaire {{clé: valeur}}", "must be a mapping "
                          "{{key: value}}", _DICT_FIX),
    "counter_type": ("doit être un dictionnaire {{clé: nombre}}", "must be a mapping "
                     "{{key: number}}", _DICT_FIX),
    "model_type": ("doit être un dictionnaire {{clé: valeur}}", "must be a mapping "
                   "{{key: value}}", _DICT_FIX),
    "model_attributes_type": ("doit être un dictionnaire {{clé: valeur}}", "must be a "
                              "mapping {{key: value}}", _DICT_FIX),
    "dataclass_type": ("doit être un dictionnaire {{clé: valeur}}", "must be a mapping "
                       "{{key: value}}", _DICT_FIX),
    "dataclass_exact_type": ("doit être un dictionnaire {{clé: valeur}}", "must be a mapping "
                             "{{key: value}}", _DICT_FIX),
    "named_tuple_type": ("doit être une liste [ … ]", "must be a list [ … ]", _LIST_FIX),
    "arguments_type": ("doit être une liste ou un dictionnaire", "must be a list or a mapping",
                       _DOC_FIX),
    "invalid_key": ("contient une clé qui n'est pas un texte", "holds a key that is not a text",
                    ("écrivez les clés comme du texte", "write keys as text")),
    "none_required": ("doit rester vide (null)", "must be empty (null)",
                      ("retirez cette valeur", "remove this value")),
    "enum": ("valeur inconnue", "unknown value",
             ("valeurs possibles : {expected}", "possible values: {expected}")),
    "union_tag_invalid": ("type « {tag} » inconnu", "unknown type '{tag}'",
                          ("types possibles : {expected_tags}",
                           "possible types: {expected_tags}")),
    "union_tag_not_found": ("il manque la clé « {discriminator} »",
                            "the key '{discriminator}' is missing",
                            ("ajoutez « {discriminator}: … »", "add '{discriminator}: …'")),
    "date_type": ("doit être une date", "must be a date", _DATE_FIX),
    "date_parsing": ("doit être une date", "must be a date", _DATE_FIX),
    "date_from_datetime_parsing": ("doit être une date", "must be a date", _DATE_FIX),
    "date_from_datetime_inexact": ("doit être une date sans heure", "must be a date without "
                                   "a time", _DATE_FIX),
    "date_past": ("doit être une date passée", "must be a date in the past", _DATE_FIX),
    "date_future": ("doit être une date future", "must be a date in the future", _DATE_FIX),
    "time_type": ("doit être une heure", "must be a time", _DATE_FIX),
    "time_parsing": ("doit être une heure", "must be a time", _DATE_FIX),
    "datetime_type": ("doit être une date et une heure", "must be a date and time",
                      _DATE_FIX),
    "datetime_parsing": ("doit être une date et une heure", "must be a date and time",
                         _DATE_FIX),
    "datetime_object_invalid": ("n'est pas une date valide", "is not a valid date",
                                _DATE_FIX),
    "datetime_from_date_parsing": ("doit être une date et une heure", "must be a date and "
                                   "time", _DATE_FIX),
    "datetime_past": ("doit être dans le passé", "must be in the past", _DATE_FIX),
    "datetime_future": ("doit être dans le futur", "must be in the future", _DATE_FIX),
    "timezone_naive": ("ne doit pas avoir de fuseau horaire", "must have no time zone",
                       _DATE_FIX),
    "timezone_aware": ("doit avoir un fuseau horaire", "must have a time zone", _DATE_FIX),
    "timezone_offset": ("a un fuseau horaire inattendu", "has an unexpected time zone",
                        _DATE_FIX),
    "time_delta_type": ("doit être une durée", "must be a duration",
                        ("écrivez une durée en secondes", "write a duration in seconds")),
    "time_delta_parsing": ("doit être une durée", "must be a duration",
                           ("écrivez une durée en secondes", "write a duration in seconds")),
    "url_type": ("doit être une adresse web", "must be a web address",
                 ("écrivez une adresse https://…", "write an https://… address")),
    "url_parsing": ("n'est pas une adresse web valide", "is not a valid web address",
                    ("écrivez une adresse https://…", "write an https://… address")),
    "url_syntax_violation": ("n'est pas une adresse web valide", "is not a valid web address",
                             ("écrivez une adresse https://…", "write an https://… address")),
    "url_too_long": ("est une adresse web trop longue", "is too long a web address",
                     ("raccourcissez-la", "shorten it")),
    "url_scheme": ("a un protocole non permis", "has a scheme that is not allowed",
                   ("protocoles possibles : {expected_schemes}",
                    "allowed schemes: {expected_schemes}")),
    "uuid_type": ("doit être un identifiant UUID", "must be a UUID", _DOC_FIX),
    "uuid_parsing": ("doit être un identifiant UUID", "must be a UUID", _DOC_FIX),
    "uuid_version": ("n'est pas un UUID de la bonne version", "is not a UUID of the right "
                     "version", _DOC_FIX),
    "json_invalid": ("n'est pas du JSON valide", "is not valid JSON", _DOC_FIX),
    "json_type": ("doit être du JSON", "must be JSON", _DOC_FIX),
    "frozen_field": ("ne peut pas être changé", "cannot be changed",
                     ("retirez ce champ", "remove this field")),
    "frozen_instance": ("ne peut pas être changé", "cannot be changed",
                        ("retirez ce champ", "remove this field")),
    "unexpected_keyword_argument": ("clé inattendue", "unexpected key",
                                    ("retirez cette clé", "remove this key")),
    "unexpected_positional_argument": ("valeur en trop", "unexpected value",
                                       ("retirez cette valeur", "remove this value")),
    "missing_argument": ("champ obligatoire manquant", "required field missing",
                         ("ajoutez ce champ", "add this field")),
    "missing_keyword_only_argument": ("champ obligatoire manquant", "required field missing",
                                      ("ajoutez ce champ", "add this field")),
    "missing_positional_only_argument": ("valeur obligatoire manquante",
                                         "required value missing",
                                         ("ajoutez cette valeur", "add this value")),
    "multiple_argument_values": ("donné deux fois", "given twice",
                                 ("ne le donnez qu'une fois", "give it once")),
}

#: Fixes for patterns of the models (the pattern itself means little to a user).
_PATTERN_FIXES = {
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$": Text(
        "utilisez des lettres sans accent, des chiffres, « - », « _ » ou « . », sans espace, "
        "en commençant par une lettre ou un chiffre (c'est un nom de dossier)",
        "use unaccented letters, digits, '-', '_' or '.', no space, starting with a letter "
        "or digit (it names a folder)"),
}

#: Messages of validators that raise a plain ValueError in English, translated.
VALIDATOR_MESSAGES: dict[str, tuple[Text, Text | None]] = {
    "times must be >= 0 h": (Text("les temps doivent être positifs ou nuls (h)",
                                  "times must be >= 0 h"),
                             Text("commencez à 0 h", "start at 0 h")),
    "times must increase strictly": (
        Text("les temps doivent être strictement croissants", "times must increase strictly"),
        Text("rangez les temps dans l'ordre, sans doublon", "sort the times, without "
             "repeats")),
    "give one discharge per time": (
        Text("il faut un débit par temps (autant de valeurs dans discharge_m3s que dans "
             "time_h)", "give one discharge per time (as many values in discharge_m3s as in "
             "time_h)"),
        Text("ajoutez ou retirez des valeurs pour que les deux listes aient la même longueur",
             "add or remove values so that both lists have the same length")),
    "discharges must be >= 0 m3/s": (
        Text("les débits doivent être positifs ou nuls (m³/s)", "discharges must be >= 0 "
             "m3/s"), Text("corrigez les débits négatifs", "fix the negative discharges")),
    "give one level per time": (
        Text("il faut un niveau par temps (autant de valeurs dans level_m que dans time_h)",
             "give one level per time (as many values in level_m as in time_h)"),
        Text("ajoutez ou retirez des valeurs pour que les deux listes aient la même longueur",
             "add or remove values so that both lists have the same length")),
    "give either `line` or `point`": (
        Text("donnez soit `line`, soit `point`", "give either `line` or `point`"),
        Text("gardez un seul des deux", "keep exactly one of them")),
    "give one rate per interval: len(rate_mm_h) = len(time_h) - 1": (
        Text("il faut une intensité par intervalle : rate_mm_h a une valeur de moins que "
             "time_h", "give one rate per interval: rate_mm_h has one value less than "
             "time_h"),
        Text("ajoutez ou retirez des valeurs", "add or remove values")),
    "rain rates must be between 0 and 500 mm/h (is it in mm/h?)": (
        Text("les intensités de pluie doivent être entre 0 et 500 mm/h",
             "rain rates must be between 0 and 500 mm/h"),
        Text("vérifiez l'unité : des mm par heure", "check the unit: mm per hour")),
    "give either `polygon` or `on_water: true`": (
        Text("donnez soit `polygon`, soit `on_water: true`",
             "give either `polygon` or `on_water: true`"),
        Text("gardez un seul des deux", "keep exactly one of them")),
    "give either `level_m` or `depth_m`": (
        Text("donnez soit `level_m`, soit `depth_m`", "give either `level_m` or `depth_m`"),
        Text("gardez un seul des deux", "keep exactly one of them")),
    "matrix must have one row per depth class and one column per velocity class": (
        Text("la matrice doit avoir une ligne par classe de hauteur et une colonne par "
             "classe de vitesse", "matrix must have one row per depth class and one column "
             "per velocity class"),
        Text("lignes = len(depth_edges_m) + 1, colonnes = len(velocity_edges_ms) + 1",
             "rows = len(depth_edges_m) + 1, columns = len(velocity_edges_ms) + 1")),
    "classes are 1 (faible) to 4 (très fort)": (
        Text("les classes vont de 1 (faible) à 4 (très fort)",
             "classes are 1 (low) to 4 (very high)"),
        Text("n'utilisez que 1, 2, 3 ou 4", "use only 1, 2, 3 or 4")),
    "nothing brings water: give `inflows`, `levels`, `rain`, `initial_water` or `breaches`": (
        Text("rien n'apporte d'eau", "nothing brings water"),
        Text("donnez `inflows`, `levels`, `rain`, `initial_water` ou `breaches`",
             "give `inflows`, `levels`, `rain`, `initial_water` or `breaches`")),
    "give either `crest_height_m` (above the ground) or `crest_z_m`": (
        Text("donnez soit `crest_height_m` (au-dessus du sol), soit `crest_z_m` (altitude)",
             "give either `crest_height_m` (above the ground) or `crest_z_m`"),
        Text("gardez un seul des deux", "keep exactly one of them")),
    "give either `polygon` or `building_ids`": (
        Text("donnez soit `polygon`, soit `building_ids`",
             "give either `polygon` or `building_ids`"),
        Text("gardez un seul des deux", "keep exactly one of them")),
    "give exactly one of `path`, `points` or `derive: true`": (
        Text("donnez une seule source parmi `path`, `points` ou `derive: true`",
             "give exactly one of `path`, `points` or `derive: true`"),
        Text("gardez une seule de ces clés", "keep exactly one of these keys")),
    "extent must be [xmin, ymin, xmax, ymax] with xmin < xmax, ymin < ymax": (
        Text("l'emprise doit être [xmin, ymin, xmax, ymax] avec xmin < xmax et ymin < ymax",
             "extent must be [xmin, ymin, xmax, ymax] with xmin < xmax, ymin < ymax"),
        Text("vérifiez l'ordre des quatre nombres", "check the order of the four numbers")),
}
_VALIDATOR_PATTERNS: list[tuple[re.Pattern, Text, Text | None]] = [
    (re.compile(r"file not found: (?P<f>.*) \(paths are relative to the scenario\)"),
     Text("fichier introuvable : {f}", "file not found: {f}"),
     Text("vérifiez le chemin (il est relatif au fichier de scénario)",
          "check the path (it is relative to the scenario file)")),
    (re.compile(r"unknown surface '(?P<k>[^']*)'.*; surfaces: (?P<s>.*)"),
     Text("surface inconnue « {k} »", "unknown surface '{k}'"),
     Text("{hint}surfaces possibles : {s}", "{hint}possible surfaces: {s}")),
    (re.compile(r"Manning's n for '(?P<k>[^']*)' must be between 0 and 1 s/m\^\(1/3\)"),
     Text("le coefficient de Manning de « {k} » doit être entre 0 et 1 s/m^(1/3)",
          "Manning's n for '{k}' must be between 0 and 1 s/m^(1/3)"),
     Text("valeurs usuelles : 0,02 (route) à 0,10 (forêt)",
          "usual values: 0.02 (road) to 0.10 (forest)")),
]


def describe_error(err: dict) -> tuple[Text, Text]:
    """Message and fix of one pydantic error (``ValidationError.errors()`` item), in both
    languages.

    Examples
    --------
    >>> msg, fix = describe_error({"type": "greater_than", "msg": "Input should be greater "
    ...                            "than 0", "ctx": {"gt": 0}})
    >>> msg.render("fr"), fix.render("en")
    ('valeur refusée : doit être strictement supérieur à 0', 'give a value above 0')
    """
    kind = err["type"]
    ctx = {k: (", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
           for k, v in (err.get("ctx") or {}).items()}
    if kind in ("value_error", "assertion_error"):
        return _validator_message(err)
    if kind in PYDANTIC_MESSAGES:
        fr, en, (fix_fr, fix_en) = PYDANTIC_MESSAGES[kind]
        message = Text(fr, en).format(**_defaults(ctx, fr + en))
        fix = Text(fix_fr, fix_en).format(**_defaults(ctx, fix_fr + fix_en))
        if kind == "string_pattern_mismatch" and ctx.get("pattern") in _PATTERN_FIXES:
            fix = _PATTERN_FIXES[ctx["pattern"]]
        return Text("valeur refusée : ", "invalid value: ") + message, fix
    return (Text("valeur refusée (erreur « {t} »)", "invalid value: {m}").format(
        t=kind, m=err.get("msg", kind)), Text(*_DOC_FIX))


def _defaults(ctx: dict, template: str) -> dict:
    """``ctx`` with a placeholder for every name ``template`` uses (pydantic may omit one)."""
    names = set(re.findall(r"(?<!\{)\{(\w+)\}", template))
    return {**{n: "?" for n in names}, **ctx}


def _validator_message(err: dict) -> tuple[Text, Text]:
    from jumeau.errors import InvalidValue

    error = (err.get("ctx") or {}).get("error")
    if isinstance(error, InvalidValue):
        return (Text("valeur refusée : ", "invalid value: ") + error.message,
                error.fix or Text(*_DOC_FIX))
    english = str(error) if error is not None else err.get("msg", "").removeprefix(
        "Value error, ").removeprefix("Assertion failed, ")
    # The English message stays the validator's own, word for word.
    if english in VALIDATOR_MESSAGES:
        message, fix = VALIDATOR_MESSAGES[english]
        return Text(f"valeur refusée : {message.fr}", f"invalid value: {english}"), \
            fix or Text(*_DOC_FIX)
    for pattern, message, fix in _VALIDATOR_PATTERNS:
        hit = pattern.fullmatch(english)
        if hit:
            found = hit.groupdict()
            close = re.search(r"did you mean '([^']*)'", english)
            hint = Text("vouliez-vous dire « {w} » ? ", "did you mean '{w}'? ").format(
                w=close.group(1)) if close else Text("", "")
            fix = (fix or Text(*_DOC_FIX))
            fix = Text(fix.fr.format(hint=hint.fr, **found), fix.en.format(hint=hint.en,
                                                                             **found))
            return (Text("valeur refusée : " + message.format(**found).fr,
                         f"invalid value: {english}"), fix)
    # A validator of a plugin, in English only: say so rather than mix languages.
    return (Text("valeur refusée (message du module en anglais : voir --lang en)",
                 "invalid value: {m}").format(m=english), Text(*_DOC_FIX))


def _flat_keys(lines: Lines) -> set:
    return {part for key in lines for part in key}
