"""Command-line usage mistakes (unknown command or option, missing argument, bad value)
as :class:`~jumeau.errors.JumeauError`, in the user's language.

typer ≥ 0.25 raises the exceptions of its vendored copy of click (``typer._click``),
which are not subclasses of click's; :func:`usage_exception_types` lists both.
"""

from __future__ import annotations

import re
from typing import Any

from jumeau.errors import JumeauError, did_you_mean
from jumeau.i18n import Text


def usage_exception_types() -> tuple[type, ...]:
    """The usage-error classes typer may raise: its vendored click's, and click's."""
    types: list[type] = []
    try:
        from typer._click import exceptions as vendored

        types.append(vendored.ClickException)
    except ImportError:  # typer < 0.25 uses click itself
        pass
    try:
        import click

        types.append(click.exceptions.ClickException)
    except ImportError:
        pass
    return tuple(types)


def is_no_args_help(exc: BaseException) -> bool:
    """True for the "no argument given, here is the help" error of a group."""
    return type(exc).__name__ == "NoArgsIsHelpError"


def usage_error(exc: Any) -> JumeauError:
    """A click/typer usage exception as a bilingual error naming the option and the fix."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "jumeau"
    see_help = Text("voyez « {c} --help »", "see '{c} --help'").format(c=command)
    name = type(exc).__name__
    if name == "NoSuchOption":
        option = exc.option_name
        known = _options(ctx)
        return JumeauError(Text("option inconnue « {o} »", "unknown option '{o}'").format(
            o=option), field=option, fix=did_you_mean(option, known) or Text(
            "options de « {c} » : {k} ({h})", "options of '{c}': {k} ({h})").format(
            c=command, k=", ".join(known) or "—", h=see_help))
    if name == "MissingParameter":
        param = getattr(exc, "param", None)
        label = _param_label(param)
        if getattr(param, "param_type_name", "") == "option":
            message = Text("option obligatoire manquante", "missing required option")
        else:
            message = Text("argument manquant", "missing argument")
        return JumeauError(message, field=label,
                           fix=Text("par exemple : {e} ({h})", "for example: {e} ({h})").format(
                               e=_example(command, label), h=see_help))
    if name == "BadParameter":
        return _bad_parameter(exc, command, see_help)
    message = str(getattr(exc, "message", "") or exc)
    hit = re.match(r"No such command '(.*)'\.", message)
    if hit:
        commands = list(getattr(ctx.command, "commands", {})) if ctx is not None else []
        return JumeauError(Text("commande inconnue « {c} »", "unknown command '{c}'").format(
            c=hit.group(1)), fix=did_you_mean(hit.group(1), commands) or Text(
            "commandes : {k}", "commands: {k}").format(k=", ".join(commands) or "—"))
    if message.startswith("Missing command"):
        commands = list(getattr(ctx.command, "commands", {})) if ctx is not None else []
        return JumeauError(Text("commande manquante", "missing command"),
                           fix=Text("commandes : {k}", "commands: {k}").format(
                               k=", ".join(commands) or "—"))
    hit = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if hit:
        return JumeauError(Text("argument(s) en trop : {a}", "unexpected extra argument(s): "
                                "{a}").format(a=hit.group(1)),
                           fix=Text("retirez-les, ou mettez entre guillemets un chemin qui "
                                    "contient des espaces ({h})", "remove them, or quote a path "
                                    "that holds spaces ({h})").format(h=see_help))
    hit = re.match(r"Option '(.*)' requires an argument\.", message) or re.match(
        r"(\S+) option requires an argument", message)
    if hit:
        return JumeauError(Text("l'option {o} attend une valeur", "option {o} needs a value"
                                ).format(o=hit.group(1)), field=hit.group(1),
                           fix=Text("écrivez « {o} VALEUR »", "write '{o} VALUE'").format(
                               o=hit.group(1)))
    return JumeauError(Text("utilisation incorrecte de la commande", "incorrect usage: {m}"
                            ).format(m=message), fix=see_help)


def _bad_parameter(exc: Any, command: str, see_help: Text) -> JumeauError:
    param = getattr(exc, "param", None)
    label = _param_label(param)
    cause = exc.__cause__
    errors = cause.errors() if hasattr(cause, "errors") else []
    if errors:
        from jumeau.io.yamlfile import describe_error

        message, fix = describe_error(errors[0])
    else:
        message = Text("valeur refusée", "invalid value: {m}").format(m=getattr(exc, "message",
                                                                              exc))
        fix = see_help
    value = errors[0].get("input") if errors else None
    if value is not None:
        message = message + Text(" (lu « {v} »)", " (read '{v}')").format(v=value)
    return JumeauError(message, field=label, fix=fix)


def _param_label(param: Any) -> str:
    if param is None:
        return "?"
    opts = getattr(param, "opts", None) or []
    if getattr(param, "param_type_name", "") == "option" and opts:
        return max(opts, key=len)
    return str(getattr(param, "name", "?")).upper()


def _example(command: str, label: str) -> str:
    examples = {"SPEC": "scenarios/exposition.yaml", "SOURCE": "demo"}
    return f"{command} {examples.get(label, label)}"


def _options(ctx: Any) -> list[str]:
    if ctx is None:
        return []
    names: list[str] = []
    for param in ctx.command.get_params(ctx):
        if getattr(param, "param_type_name", "") == "option":
            names.extend(o for o in param.opts if o.startswith("--"))
    return names
