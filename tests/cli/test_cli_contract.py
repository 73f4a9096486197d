"""The command line's contract: exit codes, bug reports, help in the user's language,
progress without a terminal, ready scenarios by name, every pydantic error translated."""

from __future__ import annotations

import re
import typing

import pytest
import typer
from pydantic_core.core_schema import ErrorType

from jumeau.cli import console
from jumeau.cli.help import commands, english_of
from jumeau.cli.main import app, main

#: Words that betray English in French text, and French in English text.
ENGLISH_WORDS = re.compile(r"\b(the|Show|this|message|and exit|Usage|Commands|default|"
                           r"required|Output|Replace|file)\b")
FRENCH_WORDS = re.compile(r"\b(le|la|les|des|du|une|fichier|dossier|Affiche|Commandes|"
                          r"Utilisation|défaut|obligatoire)\b|[éèàç]")


def help_pages(lang: str, capsys) -> dict[str, str]:
    """``--help`` of every command, in ``lang``."""
    root = typer.main.get_command(app)
    pages = {}
    paths = [[]] + [[name] for name in getattr(root, "commands", {})]
    for name, cmd in getattr(root, "commands", {}).items():
        paths += [[name, sub] for sub in getattr(cmd, "commands", {})]
    for path in paths:
        assert main(["--lang", lang, *path, "--help"]) == 0
        pages[" ".join(path) or "jumeau"] = capsys.readouterr().out
    return pages


def test_every_help_string_has_its_english():
    """Each command's and option's help has an English version (no French left in
    English help)."""
    root = typer.main.get_command(app)
    missing = []
    for cmd in commands(root):
        texts = [cmd.help] + [getattr(p, "help", None) for p in cmd.params]
        missing += [t for t in texts if t and english_of(t) is None]
    assert missing == []


def test_help_in_french_has_no_english(capsys):
    """French help, typer's own lines included, holds no English word."""
    for name, page in help_pages("fr", capsys).items():
        assert "Utilisation :" in page and "Affiche cette aide et quitte." in page, name
        assert not ENGLISH_WORDS.findall(page.replace("JUMEAU_LANG", "")), (name, page)


def test_help_in_english_has_no_french(capsys, monkeypatch):
    """--lang en and JUMEAU_LANG=en both give English help, without French."""
    for name, page in help_pages("en", capsys).items():
        assert "Usage:" in page, name
        assert not FRENCH_WORDS.findall(page.replace("demo", "")), (name, page)
    monkeypatch.setenv("JUMEAU_LANG", "en")
    assert main(["run", "--help"]) == 0
    assert "Output folder." in capsys.readouterr().out


def test_bug_exits_1_with_a_report_request(monkeypatch, capsys):
    """An unexpected exception: exit 1, a bug-report request, the traceback only with -v."""
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("jumeau.io.demo.ready_scenarios", broken)
    assert main(["scenarios"]) == 1
    err = capsys.readouterr().err
    assert "erreur interne de jumeau (RuntimeError: boom)" in err
    assert "signaler" in err and "Traceback" not in err
    assert main(["-v", "scenarios"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: boom" in err


def test_progress_lines_without_a_terminal(tiny_site, tmp_path, capsys):
    """Piped, a run prints timestamped progress lines on stderr; -q silences them."""
    spec = tmp_path / "s.yaml"
    spec.write_text(f"name: essai\nterritory: {tiny_site}\nsimulate:\n  exposure: {{}}\n",
                    encoding="utf-8")
    assert not console.err.is_terminal
    assert main(["run", str(spec), "--out", str(tmp_path / "a")]) == 0
    lines = capsys.readouterr().err.splitlines()
    steps = [ln for ln in lines if re.match(r"\[\d\d:\d\d:\d\d\] Scénario « essai » — ", ln)]
    assert len(steps) >= 3, lines
    assert any("chargement du territoire" in ln for ln in steps)
    assert main(["-q", "run", str(spec), "--out", str(tmp_path / "b")]) == 0
    assert capsys.readouterr().err == ""


def test_plain_progress_every_ten_percent():
    """A simulation reporting every 1 % gives one line per 10 % (and one per step)."""
    lines = []
    plain = console.PlainProgress("S", write=lines.append, clock=lambda: "t")
    plain("chargement")
    for pct in range(101):
        plain(f"simulation « flood » : {pct} %")
    plain("carte")
    assert len(lines) == 1 + 11 + 1


def test_ready_scenarios_listed_and_found_by_name(tmp_path, monkeypatch, capsys):
    """`jumeau scenarios` lists the shipped files; `validate NAME` finds one anywhere."""
    assert main(["scenarios", "--json"]) == 0
    import json

    names = {s["name"] for s in json.loads(capsys.readouterr().out)}
    assert {"exposition", "crue-centennale"} <= names
    monkeypatch.chdir(tmp_path)
    assert main(["-q", "validate", "exposition"]) == 0
    assert "exposition" in capsys.readouterr().out
    assert main(["validate", "expositon"]) == 2
    assert "vouliez-vous dire « exposition »" in capsys.readouterr().err


def test_every_pydantic_error_type_is_translated():
    """Each pydantic error type a validator can raise has a French message and a fix in
    both languages, or is one the messages handle specially."""
    from jumeau.io.yamlfile import PYDANTIC_MESSAGES

    special = {"missing", "extra_forbidden", "literal_error", "value_error",
               "assertion_error"}
    internal = {"no_such_attribute", "needs_python_object", "recursion_loop",
                "recursion_depth_exceeded", "get_attribute_error", "default_factory_not_called",
                "missing_sentinel_error", "ellipsis_error", "is_instance_of",
                "is_subclass_of", "callable_type", "dataclass_exact_type"}
    untranslated = set(typing.get_args(ErrorType)) - set(PYDANTIC_MESSAGES) - special - internal
    assert untranslated == set()


@pytest.mark.parametrize("kind", sorted(__import__("jumeau.io.yamlfile", fromlist=["x"])
                                        .PYDANTIC_MESSAGES))
def test_pydantic_messages_render(kind):
    """Every translated type renders in both languages, even without its context."""
    from jumeau.io.yamlfile import describe_error

    message, fix = describe_error({"type": kind, "msg": "Input should be …", "ctx": {}})
    assert message.fr.startswith("valeur refusée : ") and fix.fr and fix.en
    assert "Input should" not in message.fr + fix.fr


def test_plugin_that_fails_to_import(monkeypatch, tmp_path, tiny_site, capsys):
    """A kind whose entry point fails to import: exit 2, naming it and the cause."""
    from importlib.metadata import EntryPoint

    from jumeau.scenario import kinds

    real = kinds.entry_points
    broken = EntryPoint("canicule", "jumeau_inexistant.kind:KIND", kinds.KINDS_GROUP)

    def fake(group):
        found = list(real(group=group))
        return found + [broken] if group == kinds.KINDS_GROUP else found

    monkeypatch.setattr(kinds, "entry_points", fake)
    kinds.reset()
    try:
        spec = tmp_path / "s.yaml"
        spec.write_text(f"name: e\nterritory: {tiny_site}\nsimulate:\n  exposure: {{}}\n",
                        encoding="utf-8")
        assert main(["validate", str(spec)]) == 2
        err = capsys.readouterr().err
        assert "« canicule »" in err and "ne s'importe pas" in err and "→ solution" in err
        assert "Traceback" not in err
    finally:
        monkeypatch.undo()
        kinds.reset()


def test_demo_runs_only_the_scenarios_named(tmp_path, capsys, monkeypatch):
    """`jumeau demo NAME...` runs those ready scenarios only, and its index links them
    only; names that are no ready scenario exit 2 before any work, all of them named,
    with the closest ready one, and nothing is written."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))  # its durations
    out = tmp_path / "demo"
    assert main(["-q", "demo", "exposition.yaml", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["exposition", "index.html"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "exposition/report.html" in index and "crue-centennale" not in index
    capsys.readouterr()
    bad = tmp_path / "bad"
    assert main(["demo", "exposition", "crue-centenale", "nulle", "--out", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "pas de scénario prêt de ce nom : crue-centenale, nulle" in err
    assert "vouliez-vous dire « crue-centennale »" in err
    assert not bad.exists()
