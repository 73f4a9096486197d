"""Errors a user can fix, reported as a clear message and exit code 2.

A :class:`JumeauError` names what went wrong, where (file, line, field) and how to fix
it, in the user's language. The CLI prints it without a traceback; anything else that
escapes is a bug in jumeau and is reported as such.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from jumeau.i18n import Text

EXIT_USER_ERROR = 2

_LABELS = {
    "file": Text("fichier", "file"),
    "line": Text("ligne", "line"),
    "field": Text("champ", "field"),
    "fix": Text("solution", "fix"),
}


class JumeauError(Exception):
    """A problem with the user's input or environment, not a bug in jumeau.

    Parameters
    ----------
    message
        What is wrong, as a :class:`~jumeau.i18n.Text` (or a plain string).
    path
        The file concerned, if any.
    field
        The field, column, layer or key concerned, if any.
    fix
        What the user should do about it.
    line
        The line in ``path``, when known (scenario and manifest files).
    """

    exit_code = EXIT_USER_ERROR

    def __init__(
        self,
        message: Text | str,
        *,
        path: str | Path | None = None,
        field: str | None = None,
        fix: Text | str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.field = field
        self.fix = fix
        self.line = line
        super().__init__(self.render("en"))

    def render(self, lang: str | None = None) -> str:
        """The whole message: what, where and the fix, in ``lang``."""

        def txt(value: Text | str) -> str:
            return value.render(lang) if isinstance(value, Text) else str(value)

        parts = []
        if self.path is not None:
            where = f"{txt(_LABELS['file'])} {self.path}"
            if self.line is not None:
                where += f", {txt(_LABELS['line'])} {self.line}"
            parts.append(where)
        if self.field is not None:
            parts.append(f"{txt(_LABELS['field'])} « {self.field} »" if (lang or _lang()) == "fr"
                         else f"{txt(_LABELS['field'])} '{self.field}'")
        head = " — ".join(parts)
        body = txt(self.message)
        text = f"{head} : {body}" if head and (lang or _lang()) == "fr" else (
            f"{head}: {body}" if head else body)
        if self.fix is not None:
            text += f"\n  → {txt(_LABELS['fix'])} : {txt(self.fix)}" if (lang or _lang()) == "fr" \
                else f"\n  → {txt(_LABELS['fix'])}: {txt(self.fix)}"
        return text

    def __str__(self) -> str:
        return self.render()


def _lang() -> str:
    from jumeau.i18n import current_language

    return current_language()


def did_you_mean(word: str, choices: Iterable[str]) -> Text | None:
    """A "did you mean …?" hint for a misspelt ``word``, or None when nothing is close."""
    by_lower = {str(c).lower(): str(c) for c in choices}
    close = difflib.get_close_matches(str(word).lower(), list(by_lower), n=1, cutoff=0.6)
    if not close:
        return None
    return Text("vouliez-vous dire « {w} » ?", "did you mean '{w}'?").format(
        w=by_lower[close[0]])


class InvalidValue(ValueError):
    """A value a parameter model refuses, raised from a pydantic validator.

    pydantic keeps the exception, so :func:`jumeau.io.yamlfile.validation_error` can
    report its message and fix in the user's language, with the file, line and field.

    Examples
    --------
    >>> err = InvalidValue(Text("un débit par instant", "one discharge per time"))
    >>> str(err)
    'one discharge per time'
    """

    def __init__(self, message: Text, fix: Text | None = None) -> None:
        self.message = message
        self.fix = fix
        super().__init__(message.en)
