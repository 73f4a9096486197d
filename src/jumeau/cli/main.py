"""Entry point of the ``jumeau`` command, and the exit-code contract.

- 0: success;
- 1: a bug in jumeau (a request for a bug report; the traceback with ``-v``);
- 2: a user mistake (usage, input files, output folder), with a message naming the
  field and the fix, never a traceback;
- 130 / 143: interrupted by SIGINT (Ctrl-C) / SIGTERM, with one line saying so (the
  outputs are written all or nothing, so no partial output is left).

:func:`main` returns the code; the ``jumeau`` script exits with it.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Annotated

import typer

from jumeau import __version__
from jumeau.cli import console
from jumeau.cli.help import bilingual
from jumeau.errors import EXIT_USER_ERROR, JumeauError
from jumeau.i18n import LANGUAGES, Text, set_language

app = typer.Typer(
    name="jumeau", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help=bilingual("jumeau — le jumeau numérique ouvert des communes françaises.",
                   "jumeau — an open digital twin for French communes."),
    pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        console.stdout_write(f"jumeau {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    lang: Annotated[str, typer.Option("--lang", help=bilingual(
        "Langue des messages : fr | en (ou la variable JUMEAU_LANG).",
        "Language of the messages: fr | en (or the JUMEAU_LANG variable)."))] = "",
    verbose: Annotated[int, typer.Option("-v", "--verbose", count=True, show_default=False,
                                         help=bilingual("Plus de détails (et la trace "
                                                        "complète d'une erreur interne).",
                                                        "More detail (and the full traceback "
                                                        "of an internal error)."))] = 0,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help=bilingual(
        "Seulement les erreurs (ni progression ni notes).",
        "Errors only (no progress, no notes)."))] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help=bilingual("Affiche la version.",
                                                         "Show the version."))] = False,
) -> None:
    if lang:
        if lang not in LANGUAGES:
            raise JumeauError(Text("langue inconnue « {l} »", "unknown language '{l}'").format(
                l=lang), field="--lang", fix=Text("utilisez fr ou en", "use fr or en"))
        set_language(lang)
    console.set_verbosity(0 if quiet else 1 + verbose)


def _register() -> None:
    from jumeau.cli import data, territory

    app.add_typer(territory.app, name="territory")
    app.add_typer(data.app, name="data")
    for module in ("run", "compare", "validate", "demo", "kinds", "scenarios"):
        # A command module that fails to import is a bug to see, never a missing command.
        __import__(f"jumeau.cli.{module}", fromlist=["register"]).register(app)


_register()


EXIT_BUG = 1
EXIT_SIGINT = 128 + signal.SIGINT      # 130
EXIT_SIGTERM = 128 + signal.SIGTERM    # 143


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (see the module docstring)."""
    from jumeau.i18n import use_language

    args = list(sys.argv[1:] if argv is None else argv)
    # The language chosen for this call does not outlive it (main may be called in-process).
    with use_language(_default_language()), _signals_raise() as received:
        level = console.verbosity()
        try:
            return _main_in_language(args, received)
        finally:
            console.set_verbosity(level)


def _main_in_language(args: list[str], received: dict) -> int:
    from jumeau.cli.help import localise
    from jumeau.cli.usage import is_no_args_help, usage_error, usage_exception_types

    _preset_language(args)
    try:
        command = localise(typer.main.get_command(app))
        code = command.main(args=args, standalone_mode=False, prog_name="jumeau")
    except JumeauError as exc:
        return _user_error(exc)
    except KeyboardInterrupt:
        return _interrupted(received)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        return _interrupted(received)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_BUG
    except usage_exception_types() as exc:
        if is_no_args_help(exc):
            console.err.print(exc.ctx.get_help() + "\n", markup=False)
            return _user_error(JumeauError(
                Text("commande manquante", "missing command"),
                fix=Text("choisissez une des commandes ci-dessus, par ex. « {c} »",
                         "choose one of the commands above, e.g. '{c}'").format(
                    c=_first_command(exc.ctx))))
        if getattr(exc, "exit_code", EXIT_USER_ERROR) != EXIT_USER_ERROR:
            return _bug(exc, args)     # a click exception that is not a usage mistake
        return _user_error(usage_error(exc))
    except Exception as exc:  # noqa: BLE001 - anything else is a bug in jumeau
        return _bug(exc, args)
    if received:
        # typer turns KeyboardInterrupt into Exit(130), returned in non-standalone mode.
        return _interrupted(received)
    return code if isinstance(code, int) else 0


def _first_command(ctx) -> str:
    names = list(getattr(ctx.command, "commands", {}))
    return f"{ctx.command_path} {names[0]}" if names else ctx.command_path


def _user_error(exc: JumeauError) -> int:
    console.err.print(f"{Text('erreur', 'error')} : {exc}" if _fr() else f"error: {exc}",
                      markup=False, style="bold red")
    return EXIT_USER_ERROR


def _interrupted(received: dict) -> int:
    signum = received.get("signum", signal.SIGINT)
    name = signal.Signals(signum).name
    console.err.print(str(Text(
        "interrompu ({s}) : arrêt sans écrire de sortie partielle (les sorties s'écrivent "
        "en entier ou pas du tout)", "interrupted ({s}): stopped without writing a partial "
        "output (outputs are written whole or not at all)").format(s=name)), markup=False,
        style="bold red")
    return EXIT_SIGTERM if signum == signal.SIGTERM else EXIT_SIGINT


def _bug(exc: BaseException, args: list[str]) -> int:
    """An unexpected exception: a bug report request; the traceback with -v."""
    verbose = console.verbosity() >= 2 or any(a in ("-v", "--verbose") or (
        a.startswith("-v") and set(a[1:]) == {"v"}) for a in args)
    if verbose:
        import traceback

        console.err.print("".join(traceback.format_exception(exc)), markup=False)
    console.err.print(str(Text(
        "erreur interne de jumeau ({e}) : ce n'est pas votre faute, c'est un bogue.\n"
        "  → merci de le signaler aux développeurs de jumeau avec la commande lancée, "
        "la sortie de `jumeau -v {a}` (trace complète) et celle de "
        "`python -c \"import jumeau.versions as v; v.show_versions()\"`",
        "internal error in jumeau ({e}): not your fault, a bug.\n"
        "  → please report it to the jumeau developers with the command you ran, the "
        "output of `jumeau -v {a}` (full traceback) and that of "
        "`python -c \"import jumeau.versions as v; v.show_versions()\"`").format(
        e=f"{type(exc).__name__}: {exc}", a=" ".join(a for a in args if a not in ("-v",
                                                                             "--verbose")))),
        markup=False, style="bold red")
    return EXIT_BUG


class Terminated(KeyboardInterrupt):
    """Raised in the main thread when SIGTERM arrives, so that ``finally`` blocks (the
    removal of staging folders) run as for Ctrl-C."""


@contextlib.contextmanager
def _signals_raise() -> Iterator[dict]:
    """While the CLI runs, SIGINT and SIGTERM raise in the main thread; the first signal
    is recorded in the yielded dict, later ones are ignored so that clean-up completes."""
    received: dict = {}
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def handler(signum, _frame) -> None:
        if received:
            return
        received["signum"] = signum
        raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield received
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def _fr() -> bool:
    from jumeau.i18n import current_language

    return current_language() == "fr"


def _default_language() -> str:
    import os

    default = os.environ.get("JUMEAU_LANG", "fr")
    return default if default in LANGUAGES else "fr"


def _preset_language(argv: list[str]) -> None:
    """Honour --lang before parsing, so that even usage errors and --help are in that
    language (the last --lang given wins, as the command's own option does)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            set_language(argv[i + 1])
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            set_language(arg.split("=", 1)[1])


if __name__ == "__main__":
    sys.exit(main())
