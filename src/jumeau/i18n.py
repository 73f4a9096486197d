"""Bilingual user-facing text.

Everything a user reads (CLI messages, map legends, report labels) is a :class:`Text`
holding a French and an English version. The language is chosen once per run
(``--lang``, or the ``JUMEAU_LANG`` environment variable) and French is the default.

Examples
--------
>>> from jumeau.i18n import Text, use_language
>>> t = Text(fr="{n} bâtiments", en="{n} buildings").format(n=3)
>>> with use_language("en"):
...     str(t)
'3 buildings'
>>> t.render("fr")
'3 bâtiments'
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from dataclasses import dataclass

LANGUAGES = ("fr", "en")

_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("jumeau_lang", default=None)


def current_language() -> str:
    """The language user-facing text is rendered in: set by :func:`use_language`,
    else ``JUMEAU_LANG``, else French."""
    lang = _language.get() or os.environ.get("JUMEAU_LANG", "fr")
    return lang if lang in LANGUAGES else "fr"


def set_language(lang: str) -> None:
    """Set the language for the rest of this context (the CLI calls it once)."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _language.set(lang)


@contextlib.contextmanager
def use_language(lang: str) -> Iterator[None]:
    """Render text in ``lang`` inside a ``with`` block."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    token = _language.set(lang)
    try:
        yield
    finally:
        _language.reset(token)


@dataclass(frozen=True)
class Text:
    """A piece of user-facing text in French and English.

    ``format`` fills ``{placeholders}`` in both versions; ``str()`` renders the
    current language.
    """

    fr: str
    en: str

    def format(self, **params: object) -> Text:
        """Fill placeholders in both versions; a :class:`Text` parameter is rendered in
        each version's own language."""
        fr = {k: v.fr if isinstance(v, Text) else v for k, v in params.items()}
        en = {k: v.en if isinstance(v, Text) else v for k, v in params.items()}
        return Text(self.fr.format(**fr), self.en.format(**en))

    def render(self, lang: str | None = None) -> str:
        return self.en if (lang or current_language()) == "en" else self.fr

    def __str__(self) -> str:
        return self.render()

    def __add__(self, other: Text | str) -> Text:
        if isinstance(other, Text):
            return Text(self.fr + other.fr, self.en + other.en)
        return Text(self.fr + other, self.en + other)


def fmt_number(value: float, lang: str | None = None, decimals: int = 0) -> str:
    """Format a number the way readers of ``lang`` expect (``12 345,6`` in French)."""
    text = f"{value:,.{decimals}f}"
    if (lang or current_language()) == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def value_text(value: float, lang: str | None = None, unit: str = "") -> str:
    """A figure as maps, reports and the CLI show it: no decimals for whole numbers and
    from 100 up, 2 below 10, else 1; ``—`` when unknown; the unit after it.

    Examples
    --------
    >>> value_text(2.314, "fr", "km"), value_text(1234.5, "en"), value_text(float("nan"))
    ('2,31 km', '1,234', '—')
    """
    v = float(value)
    if v != v or v in (float("inf"), float("-inf")):
        return "—"
    decimals = 0 if v.is_integer() or abs(v) >= 100 else (2 if abs(v) < 10 else 1)
    return f"{fmt_number(v, lang, decimals)} {unit}".strip()


def number_text(value: float, decimals: int | None = None) -> Text:
    """A number as a :class:`Text`, written the French and the English way (0,3 / 0.3).

    ``decimals`` defaults to as few as write the value (up to 2).

    Examples
    --------
    >>> number_text(0.25).render("fr"), number_text(1.0).render("en")
    ('0,25', '1')
    """
    if decimals is None:
        decimals = next((d for d in range(3) if abs(round(value, d) - value) < 1e-9), 2)
    return Text(fmt_number(value, "fr", decimals), fmt_number(value, "en", decimals))
