"""Simulation kinds: what each one needs, uses and gives, declared once.

A kind is one package and one entry point (group ``jumeau.kinds``) whose value is a
:class:`Kind`. The declaration names every output once — its name with its unit, label,
meaning, type (indicator, grid, layer, table, series) and, for indicators, which
direction is better — in the style of landlab's component metadata. Results then
supply values only; outputs, maps, reports, comparisons and the README's lists read
these declarations (see ``docs/adding-a-kind.md``).

Measure types register the same way (group ``jumeau.measures``). A plugin that fails to
import is an error naming the entry point and the cause, never silently skipped.

Examples
--------
>>> from jumeau.scenario.kinds import Output
>>> out = Output.indicator("damage_eur", "€", Text("dommages", "damage"), "building damage",
...                        better="lower")
>>> out.type, out.better
('indicator', 'lower')
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from importlib.metadata import entry_points
from typing import Literal

from pydantic import BaseModel

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.territory.model import Territory

OutputType = Literal["indicator", "grid", "layer", "table", "series"]
Better = Literal["lower", "higher"] | None


@dataclass(frozen=True)
class Need:
    """A territory input a kind requires: a layer name, ``"terrain"`` or ``"landcover"``."""

    layer: str
    why: Text


@dataclass(frozen=True)
class Output:
    """One output of a kind, declared once.

    Attributes
    ----------
    name
        Machine name, with its unit where it has one (``damage_eur``, ``max_depth_m``).
    type
        ``indicator``, ``grid``, ``layer``, ``table`` or ``series``.
    unit
        Unit symbol for display (``"€"``, ``"m"``, ``""`` for counts).
    label
        What it is, for people; may hold ``{placeholders}`` filled from the result's
        ``context()`` (the run's own thresholds).
    doc
        One line on what it is (README, report).
    better
        Indicators and grids: ``"lower"`` or ``"higher"`` is better, or None.
    headline
        Indicators: one of the (up to five) headline numbers of the report.
    threshold
        Grids: a number, or a key of the result's ``context()``, above which a cell
        counts (flooded, hot) — the "newly / no longer" masks of a comparison.
    key
        Layers: the column identifying a feature across variants (``building_id``).
    flag
        Layers: a boolean column saying which features count (``flooded``); None: all.
    sums
        Layers: numeric columns added up per district in reports, as ``(column, label,
        unit)``.
    classes
        Grids of classes: value → label (legends).
    x_unit
        Series: unit of the x axis (``"s"``, ``"h"``, ``"day"``).
    """

    name: str
    type: OutputType
    unit: str = ""
    label: Text = Text("", "")
    doc: str = ""
    better: Better = None
    headline: bool = False
    threshold: float | str | None = None
    key: str | None = None
    flag: str | None = None
    sums: tuple[str, ...] = ()
    classes: Mapping[int, Text] | None = None
    x_unit: str = "s"

    @classmethod
    def indicator(cls, name: str, unit: str, label: Text, doc: str, *, better: Better = None,
                  headline: bool = False) -> Output:
        """A headline number."""
        return cls(name, "indicator", unit, label, doc, better=better, headline=headline)

    @classmethod
    def grid(cls, name: str, unit: str, label: Text, doc: str, *, better: Better = None,
             threshold: float | str | None = None,
             classes: Mapping[int, Text] | None = None) -> Output:
        """A result grid (GeoTIFF)."""
        return cls(name, "grid", unit, label, doc, better=better, threshold=threshold,
                   classes=classes)

    @classmethod
    def layer(cls, name: str, label: Text, doc: str, *, key: str | None = None,
              flag: str | None = None, sums: tuple = ()) -> Output:
        """A vector layer (GeoPackage table); ``sums`` holds ``(column, label, unit)``
        triples (or bare column names)."""
        return cls(name, "layer", "", label, doc, key=key, flag=flag, sums=tuple(sums))

    def sum_columns(self) -> tuple[tuple[str, Text, str], ...]:
        """``(column, label, unit)`` of the columns summed per district."""
        out = []
        for item in self.sums:
            if isinstance(item, str):
                out.append((item, Text(item, item), ""))
            else:
                column, label, *unit = item
                out.append((column, label, unit[0] if unit else ""))
        return tuple(out)

    @classmethod
    def table(cls, name: str, label: Text, doc: str) -> Output:
        """A detail table (CSV)."""
        return cls(name, "table", "", label, doc)

    @classmethod
    def series(cls, name: str, unit: str, label: Text, doc: str, *,
               x_unit: str = "s", better: Better = None) -> Output:
        """Values along time (or days) for named curves (charts)."""
        return cls(name, "series", unit, label, doc, better=better, x_unit=x_unit)

    def text(self, context: Mapping[str, object] | None = None) -> Text:
        """The label with its placeholders filled from a result's context."""
        if context and "{" in self.label.fr + self.label.en:
            from jumeau.i18n import number_text

            values = {k: number_text(v) if isinstance(v, (int, float)) and not isinstance(
                v, bool) else v for k, v in context.items()}
            try:
                return self.label.format(**values)
            except (KeyError, IndexError):
                return self.label
        return self.label


@dataclass(frozen=True)
class Kind:
    """A simulation kind (see the module docstring and ``docs/adding-a-kind.md``)."""

    name: str
    title: Text
    params: type[BaseModel]
    simulate: Callable
    outputs: tuple[Output, ...]
    needs: tuple[Need, ...] = ()
    #: ``"producer.output"`` values this kind can use when the scenario runs the producer.
    uses: tuple[str, ...] = ()
    #: ``"module:function"`` drawing the kind's map layers (imported only to draw a map).
    draw: str | None = None
    method: Text = Text("", "")
    limits: Text = Text("", "")
    uncertainty: Text = Text("", "")
    #: Parameters that run on the test suite's tiny territory in a few seconds.
    example: Mapping[str, object] = field(default_factory=dict)
    #: ``precheck(territory, params)``: every check of the parameters against the
    #: territory that needs no simulation (geometry inside the DEM, series values …),
    #: raising :class:`~jumeau.errors.JumeauError`; ``jumeau validate`` runs it.
    precheck: Callable | None = None
    #: ``kernels_cached()``: whether the kind's compiled kernels are in numba's cache; a
    #: kind whose first run compiles for many seconds declares it, so that
    #: :mod:`jumeau.scenario.batch` lets one worker compile while another does other work.
    kernels_cached: Callable[[], bool] | None = None

    def output(self, name: str) -> Output:
        """The declared output ``name``."""
        for out in self.outputs:
            if out.name == name:
                return out
        raise KeyError(f"{self.name} declares no output {name!r}")

    def outputs_of(self, type_: OutputType) -> tuple[Output, ...]:
        return tuple(o for o in self.outputs if o.type == type_)

    def drawer(self) -> Callable | None:
        """The map drawer ``draw(builder, result, territory, kind, lang)``, if any."""
        if self.draw is None:
            return None
        module, _, name = self.draw.partition(":")
        return getattr(import_module(module), name)

    def check(self, territory: Territory) -> None:
        """Fail early, with the fix, when the territory lacks an input this kind needs."""
        for need in self.needs:
            if not territory.has(need.layer):
                what = {"terrain": "dem:", "landcover": "landcover:"}.get(
                    need.layer, f"{need.layer}:")
                raise JumeauError(
                    Text("la simulation « {k} » a besoin de {w} : le territoire « {t} » n'en a "
                         "pas", "simulation '{k}' needs {w}: territory '{t}' has none").format(
                        k=self.name, w=need.why, t=territory.name),
                    field=f"simulate.{self.name}",
                    fix=Text("ajoutez une couche `{l}` au manifeste du territoire",
                             "add a `{l}` layer to the territory manifest").format(l=what))


# -- discovery ------------------------------------------------------------------------

KINDS_GROUP = "jumeau.kinds"
MEASURES_GROUP = "jumeau.measures"


def _plugin_error(group: str, ep, exc: BaseException) -> JumeauError:
    return JumeauError(
        Text("le module d'extension « {n} » ({v}, groupe {g}) ne s'importe pas : {e}",
             "plugin '{n}' ({v}, group {g}) fails to import: {e}").format(
            n=ep.name, v=ep.value, g=group, e=f"{type(exc).__name__}: {exc}"),
        field=f"entry-points.{group}.{ep.name}",
        fix=Text("installez ce qui lui manque, ou désinstallez le paquet qui le déclare",
                 "install what it lacks, or uninstall the package that declares it"))


def _load(group: str) -> dict[str, object]:
    found: dict[str, object] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        try:
            found[ep.name] = ep.load()
        except Exception as exc:  # any import failure of a plugin is reported, never skipped
            raise _plugin_error(group, ep, exc) from exc
    return found


@functools.cache
def _kinds() -> dict[str, Kind]:
    found = _load(KINDS_GROUP)
    for name, kind in found.items():
        if not isinstance(kind, Kind) or kind.name != name:
            raise JumeauError(
                Text("le module d'extension « {n} » ne déclare pas un type de simulation",
                     "plugin '{n}' does not declare a simulation kind").format(n=name),
                field=f"entry-points.{KINDS_GROUP}.{name}",
                fix=Text("sa valeur doit être un jumeau.scenario.kinds.Kind nommé « {n} »",
                         "its value must be a jumeau.scenario.kinds.Kind named '{n}'").format(
                    n=name))
    return found  # type: ignore[return-value]


@functools.cache
def _measures() -> dict[str, type[BaseModel]]:
    return _load(MEASURES_GROUP)  # type: ignore[return-value]


def kinds() -> dict[str, Kind]:
    """Every installed simulation kind, by name."""
    return dict(_kinds())


def get(name: str) -> Kind:
    """The kind ``name``."""
    return _kinds()[name]


def measure_types() -> dict[str, type[BaseModel]]:
    """Every installed measure type, by its ``type:`` name."""
    return dict(_measures())


def reset() -> None:
    """Forget what was discovered (tests that install or break a plugin)."""
    _kinds.cache_clear()
    _measures.cache_clear()


def markdown(lang: str = "en") -> str:
    """Every installed kind's outputs as a Markdown list (the README's reference list)."""
    better = {"lower": {"en": "lower is better", "fr": "plus bas = mieux"},
              "higher": {"en": "higher is better", "fr": "plus haut = mieux"}}
    plural = {"indicator": ("indicators", "indicateurs"), "grid": ("grids", "grilles"),
              "layer": ("layers", "couches"), "table": ("tables", "tableaux"),
              "series": ("series", "séries")}
    lines = []
    for name, kind in sorted(kinds().items()):
        lines.append(f"- **`{name}`** — {kind.title.render(lang)}")
        for type_, words in plural.items():
            outs = kind.outputs_of(type_)
            if not outs:
                continue
            lines.append(f"  - {words[0] if lang == 'en' else words[1]}:")
            for o in outs:
                unit = f" ({o.unit})" if o.unit else ""
                way = f" — {better[o.better][lang]}" if o.better else ""
                lines.append(f"    - `{o.name}`{unit}: {o.doc}{way}")
    return "\n".join(lines) + "\n"
