"""Entry point of the ``jumeau`` command."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from jumeau import __version__
from jumeau.cli import console
from jumeau.errors import EXIT_USER_ERROR, JumeauError
from jumeau.i18n import LANGUAGES, Text, set_language

app = typer.Typer(
    name="jumeau", no_args_is_help=True, add_completion=False, rich_markup_mode=None,
    help="jumeau — le jumeau numérique ouvert des communes françaises / an open digital twin "
         "for French communes.",
    pretty_exceptions_enable=False)


def _version(value: bool) -> None:
    if value:
        console.stdout_write(f"jumeau {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    lang: Annotated[str, typer.Option("--lang", help="Langue des messages : fr | en.")] = "",
    verbose: Annotated[int, typer.Option("-v", "--verbose", count=True,
                                         help="Plus de détails.")] = 0,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Seulement les erreurs.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Affiche la version.")] = False,
) -> None:
    """jumeau — le jumeau numérique ouvert des communes françaises."""
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
    for module in ("run", "compare", "validate", "demo", "kinds"):
        # A command module that fails to import is a bug to see, never a missing command.
        __import__(f"jumeau.cli.{module}", fromlist=["register"]).register(app)


_register()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user mistakes exit with code 2 and a message, never a traceback."""
    from jumeau.i18n import use_language

    # The language chosen for this call does not outlive it (main may be called in-process).
    with use_language(_default_language()):
        return _main_in_language(argv)


def _main_in_language(argv: list[str] | None) -> int:
    _preset_language(sys.argv[1:] if argv is None else argv)
    try:
        app(args=argv, standalone_mode=False, prog_name="jumeau")
    except JumeauError as exc:
        console.err.print(f"{Text('erreur', 'error')} : {exc}" if _fr() else f"error: {exc}",
                          markup=False, style="bold red")
        return EXIT_USER_ERROR
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        return 130
    except KeyboardInterrupt:
        return 130
    except SystemExit as exc:  # click usage errors in standalone_mode=False
        return int(exc.code or 0)
    except Exception as exc:
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            return exc.exit_code
        raise
    return 0


def _fr() -> bool:
    from jumeau.i18n import current_language

    return current_language() == "fr"


def _default_language() -> str:
    import os

    default = os.environ.get("JUMEAU_LANG", "fr")
    return default if default in LANGUAGES else "fr"


def _preset_language(argv: list[str]) -> None:
    """Honour --lang before parsing, so that even usage errors are in that language."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            set_language(argv[i + 1])
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            set_language(arg.split("=", 1)[1])


if __name__ == "__main__":
    sys.exit(main())
