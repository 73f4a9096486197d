"""How map layers are coloured: small frozen style objects.

A layer is drawn with a :class:`Style` (vectors) or a :data:`RasterStyle` (grids).
Colours are either one colour, a :class:`Graduated` scale (classes of a number, with
a unit) or a :class:`Categorical` table (value → colour and label). The same scale
objects serve vectors and rasters, and each one knows its legend rows.

Examples
--------
>>> from jumeau.i18n import Text
>>> from jumeau.maps.palettes import blues
>>> depth = Graduated(edges=(0.01, 0.5, 1.0, 2.0), colors=blues(4), unit="m")
>>> [label for _, label in depth.legend_rows("fr")]
['0,01 – 0,5', '0,5 – 1', '1 – 2', '≥ 2']
>>> depth.classify([0.0, 0.3, 5.0]).tolist()
[-1, 0, 3]
>>> use = Categorical({"residential": ("#1b9e77", Text("habitation", "housing"))})
>>> Style(color=use, column="use", weight_px=0.5).fill_opacity
0.6
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
import pandas as pd

from jumeau.i18n import Text, fmt_number

_COLOR = re.compile(r"^(#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|[a-zA-Z]{3,30})$")
_DASH = re.compile(r"^[0-9]+(\.[0-9]+)?([ ,][0-9]+(\.[0-9]+)?)*$")

#: Shown for values a table does not list, and for missing values.
OTHER = Text("autre", "other")
NO_DATA = Text("sans donnée", "no data")


def check_color(color: str) -> str:
    """Return ``color`` if it is a CSS hex colour or colour name, else raise ValueError.

    Colours end up in inline styles and scripts, so only these two plain forms are
    accepted (no ``rgb(…)``, nothing that could close an attribute).

    Examples
    --------
    >>> check_color("#08519c")
    '#08519c'
    """
    if not isinstance(color, str) or not _COLOR.match(color):
        raise ValueError(f"not a colour: {color!r} (use '#rrggbb' or a CSS colour name)")
    return color


def render(text: Text | str, lang: str) -> str:
    """``text`` in ``lang`` (a plain string is the same in both languages)."""
    return text.render(lang) if isinstance(text, Text) else str(text)


def _auto_decimals(values: Sequence[float]) -> int:
    """Fewest decimals (up to 3) that write every finite value exactly."""
    finite = [v for v in values if math.isfinite(v)]
    for d in range(4):
        if all(abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v)) for v in finite):
            return d
    return 3


@dataclass(frozen=True)
class Graduated:
    """A scale of classes of a number, one colour each (for depth, heat, density…).

    Parameters
    ----------
    edges
        Lower edge of each class, increasing. The last class is open above; the first
        edge may be ``-inf`` for a class open below.
    colors
        One colour per class (``len(colors) == len(edges)``), e.g. from
        :mod:`jumeau.maps.palettes`.
    unit
        Unit of the value, shown in the legend title: ``"m"``, ``"°C"``, ``"m/s"``.
    labels
        Legend labels replacing the automatic ones (``"0,5 – 1"``, ``"≥ 2"``).
    decimals
        Decimals of the automatic labels (default: as few as write the edges exactly).
    below
        Colour of values under ``edges[0]``; None leaves them out (e.g. dry cells).
    missing
        Colour of missing values (NaN); None leaves them out.
    title
        What the value is, for the legend title (``Text("Hauteur d'eau", "Water
        depth")``); default: the layer name. The unit is appended.

    Examples
    --------
    >>> g = Graduated(edges=(-float("inf"), 30, 35), colors=("#ffffb2", "#fd8d3c", "#bd0026"),
    ...               unit="°C")
    >>> [label for _, label in g.legend_rows("en")]
    ['< 30', '30 – 35', '≥ 35']
    """

    edges: tuple[float, ...]
    colors: tuple[str, ...]
    unit: Text | str = ""
    labels: tuple[Text | str, ...] | None = None
    decimals: int | None = None
    below: str | None = None
    missing: str | None = None
    title: Text | str | None = None

    def __post_init__(self) -> None:
        edges = tuple(float(e) for e in self.edges)
        colors = tuple(check_color(c) for c in self.colors)
        if not edges or len(edges) != len(colors):
            raise ValueError(f"Graduated needs one colour per class: {len(edges)} edges, "
                             f"{len(colors)} colours")
        if any(b <= a for a, b in zip(edges, edges[1:])) or any(
                math.isnan(e) or e == math.inf for e in edges) or -math.inf in edges[1:]:
            raise ValueError(f"Graduated edges must be finite and increasing: {edges}")
        if self.labels is not None and len(self.labels) != len(edges):
            raise ValueError("Graduated needs one label per class")
        for c in (self.below, self.missing):
            if c is not None:
                check_color(c)
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "colors", colors)
        if self.labels is not None:
            object.__setattr__(self, "labels", tuple(self.labels))

    @property
    def n_classes(self) -> int:
        """Number of drawn classes, including ``below`` and ``missing`` when coloured."""
        return len(self.colors) + 2

    def classify(self, values: Sequence[float] | np.ndarray | pd.Series) -> np.ndarray:
        """Class of each value: ``0 … len(edges)-1``, ``len(edges)`` below the first edge,
        ``len(edges)+1`` missing; -1 where that class is not drawn."""
        v = np.asarray(values)
        if v.dtype.kind in "biuf":
            v = v.astype(float, copy=False)
        else:  # text, objects, pandas' nullable types: what is not a number is missing
            v = pd.to_numeric(pd.Series(v.astype(object).ravel()), errors="coerce").to_numpy(
                dtype=float, na_value=np.nan).reshape(v.shape)
        n = len(self.edges)
        out = np.digitize(v, self.edges) - 1
        out[out < 0] = n if self.below is not None else -1
        out[np.isnan(v)] = n + 1 if self.missing is not None else -1
        return out.astype(np.int64)

    def class_colors(self) -> list[str | None]:
        """Colour of every class index returned by :meth:`classify` (None: not drawn)."""
        return [*self.colors, self.below, self.missing]

    def legend_title(self, name: Text | str, lang: str) -> str:
        """Legend title: the scale's title (else the layer name) and the unit,
        ``"Hauteur d'eau max (m)"``."""
        unit = render(self.unit, lang)
        what = render(self.title if self.title is not None else name, lang)
        return f"{what} ({unit})" if unit else what

    def legend_rows(self, lang: str) -> list[tuple[str, str]]:
        """(colour, label) of every drawn class, lowest first."""
        def num(x: float) -> str:
            d = self.decimals if self.decimals is not None else _auto_decimals([x])
            return fmt_number(x, lang, d)

        rows = []
        if self.below is not None and math.isfinite(self.edges[0]):
            rows.append((self.below, f"< {num(self.edges[0])}"))
        for i, (lo, color) in enumerate(zip(self.edges, self.colors)):
            if self.labels is not None:
                label = render(self.labels[i], lang)
            elif i + 1 == len(self.edges):
                label = f"≥ {num(lo)}"
            elif not math.isfinite(lo):
                label = f"< {num(self.edges[i + 1])}"
            else:
                label = f"{num(lo)} – {num(self.edges[i + 1])}"
            rows.append((color, label))
        if self.missing is not None:
            rows.append((self.missing, NO_DATA.render(lang)))
        return rows


@dataclass(frozen=True)
class Categorical:
    """A table of values (classes, codes, kinds) with a colour and a label each.

    Parameters
    ----------
    classes
        Value → (colour, label), in legend order. Values are compared as they are in
        the data (strings for a text column, integers for a raster of codes).
    other
        Colour of values the table does not list and of missing values; None leaves
        them out.
    other_label
        Legend label of ``other``.
    title
        What the classes are, for the legend title; default: the layer name.

    Examples
    --------
    >>> hazard = Categorical({"faible": ("#fecc5c", Text("faible", "low")),
    ...                       "fort": ("#e31a1c", Text("fort", "high"))})
    >>> hazard.classify(["fort", "inconnu"]).tolist()
    [1, -1]
    """

    classes: Mapping[object, tuple[str, Text | str]] = field(default_factory=dict)
    other: str | None = None
    other_label: Text | str = OTHER
    title: Text | str | None = None

    def __post_init__(self) -> None:
        items = tuple(self.classes.items()) if isinstance(self.classes, Mapping) else tuple(
            self.classes)
        if not items:
            raise ValueError("Categorical needs at least one class")
        for _, (color, _label) in items:
            check_color(color)
        if self.other is not None:
            check_color(self.other)
        # A tuple of pairs keeps the object immutable and hashable.
        object.__setattr__(self, "classes", items)

    @property
    def values(self) -> tuple[object, ...]:
        return tuple(value for value, _ in self.classes)

    def classify(self, values: Sequence[object] | np.ndarray | pd.Series) -> np.ndarray:
        """Position of each value in the table, ``len(classes)`` for others (-1 when
        others are not drawn)."""
        lookup = {value: i for i, (value, _) in enumerate(self.classes)}
        fallback = len(self.classes) if self.other is not None else -1
        array = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
        if array.dtype.kind in "biuf" and all(
                isinstance(k, (int, float, np.integer, np.floating)) for k in lookup):
            # numbers against numbers (class grids, animation frames of millions of
            # cells): a sorted search; 0.10–0.18 s for 4.8 million cells against 0.54 s
            # for a lookup per value
            keys = np.array(list(lookup), dtype=float)
            order = np.argsort(keys)
            keys, index = keys[order], np.array(list(lookup.values()), dtype=np.int64)[order]
            v = array.astype(float, copy=False).ravel()
            at = np.minimum(np.searchsorted(keys, v), len(keys) - 1)
            found = keys[at] == v  # False for NaN
            return np.where(found, index[at], fallback).astype(np.int64)
        series = pd.Series(np.asarray(array, dtype=object).ravel())
        return series.map(lookup).fillna(fallback).to_numpy(dtype=np.int64)

    def class_colors(self) -> list[str | None]:
        """Colour of every class index returned by :meth:`classify` (None: not drawn)."""
        return [color for _, (color, _label) in self.classes] + [self.other]

    def legend_title(self, name: Text | str, lang: str) -> str:
        """Legend title: the scale's title, else the layer name."""
        return render(self.title if self.title is not None else name, lang)

    def legend_rows(self, lang: str) -> list[tuple[str, str]]:
        """(colour, label) of every drawn class, in table order."""
        rows = [(color, render(label, lang)) for _, (color, label) in self.classes]
        if self.other is not None:
            rows.append((self.other, render(self.other_label, lang)))
        return rows


#: How a raster is coloured: classes of a number or a table of codes.
RasterStyle: TypeAlias = Graduated | Categorical


@dataclass(frozen=True)
class Style:
    """How a vector layer (polygons, lines or points) is drawn.

    Parameters
    ----------
    color
        One colour, or a :class:`Graduated` / :class:`Categorical` scale read from
        ``column``. It fills polygons and points and colours lines.
    column
        The column the scale reads (required with a scale).
    stroke
        Outline colour of polygons and points; None uses ``color`` (or the class
        colour).
    weight_px
        Line width, or outline width of polygons and points, in screen pixels.
    opacity
        Opacity of lines and outlines (0–1).
    fill_opacity
        Opacity of polygon and point fills (0–1).
    radius_px
        Radius of points drawn as circles.
    dash
        SVG dash pattern of lines, e.g. ``"6 4"``; None for solid lines.
    label
        Legend label of a single-colour layer (default: the layer name).

    Examples
    --------
    >>> Style(color="#3182bd", weight_px=3).opacity
    1.0
    """

    color: str | Graduated | Categorical = "#3b6ea5"
    column: str | None = None
    stroke: str | None = None
    weight_px: float = 1.0
    opacity: float = 1.0
    fill_opacity: float = 0.6
    radius_px: float = 6.0
    dash: str | None = None
    label: Text | str | None = None

    def __post_init__(self) -> None:
        if isinstance(self.color, str):
            check_color(self.color)
        elif not isinstance(self.color, Graduated | Categorical):
            raise TypeError("Style.color must be a colour, a Graduated or a Categorical")
        elif self.column is None:
            raise ValueError("a Style with a colour scale needs the `column` it reads")
        if self.stroke is not None:
            check_color(self.stroke)
        if self.dash is not None and not _DASH.match(self.dash):
            raise ValueError(f"not a dash pattern: {self.dash!r} (e.g. '6 4')")
        for name in ("opacity", "fill_opacity"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"Style.{name} must be between 0 and 1")
        if self.weight_px < 0 or self.radius_px < 0:
            raise ValueError("Style widths and radius must be positive")

    @property
    def scale(self) -> Graduated | Categorical | None:
        """The colour scale, or None for a single colour."""
        return None if isinstance(self.color, str) else self.color

    def classify(self, frame: pd.DataFrame) -> np.ndarray:
        """Class index of each row (all 0 for a single colour; -1 = not drawn)."""
        if self.scale is None:
            return np.zeros(len(frame), dtype=np.int64)
        if self.column not in frame.columns:
            raise KeyError(self.column)
        return self.scale.classify(frame[self.column])

    def path_options(self) -> list[dict[str, object] | None]:
        """Leaflet path options of every class index (None: class not drawn)."""
        colors = [self.color] if self.scale is None else self.scale.class_colors()
        out: list[dict[str, object] | None] = []
        for color in colors:
            if color is None:
                out.append(None)
                continue
            options: dict[str, object] = {
                "color": self.stroke or color, "weight": self.weight_px,
                "opacity": self.opacity, "fillColor": color,
                "fillOpacity": self.fill_opacity, "radius": self.radius_px,
            }
            if self.dash:
                options["dashArray"] = self.dash
            out.append(options)
        return out

    def legend_title(self, name: Text | str, lang: str) -> str:
        """Legend title of a layer drawn with this style."""
        return render(name, lang) if self.scale is None else self.scale.legend_title(name, lang)

    def legend_rows(self, name: Text | str, lang: str) -> list[tuple[str, str]]:
        """(colour, label) legend rows."""
        if self.scale is None:
            return [(self.color, render(self.label if self.label is not None else name, lang))]
        return self.scale.legend_rows(lang)


@dataclass(frozen=True)
class Field:
    """One row of a tooltip: a column, its label and how its values are written.

    Parameters
    ----------
    column
        Column of the layer.
    label
        What the reader sees, ``Text("Hauteur", "Height")``.
    unit
        Appended to numbers, ``"m"``.
    decimals
        Decimals of numbers (default: 0 for whole numbers, else 1).
    labels
        Value → label, for coded columns (``"residential"`` → ``"habitation"``).

    Examples
    --------
    >>> Field("height_m", Text("Hauteur", "Height"), unit="m", decimals=1).format(
    ...     [7.25], "fr")
    ['7,2 m']
    """

    column: str
    label: Text | str
    unit: Text | str = ""
    decimals: int | None = None
    labels: Mapping[object, Text | str] | None = None

    def format(self, values: Sequence[object] | np.ndarray | pd.Series, lang: str) -> list[str]:
        """Each value as the reader sees it ("" for missing values), not yet escaped."""
        yes, no = (Text("oui", "yes").render(lang), Text("non", "no").render(lang))
        unit = render(self.unit, lang)
        out = []
        for value in (values.tolist() if hasattr(values, "tolist") else list(values)):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                out.append("")
            elif self.labels is not None and value in self.labels:
                out.append(render(self.labels[value], lang))
            elif isinstance(value, bool | np.bool_):
                out.append(yes if value else no)
            elif isinstance(value, int | float | np.number):
                v = float(value)
                d = self.decimals if self.decimals is not None else (0 if v.is_integer() else 1)
                out.append(fmt_number(v, lang, d) + (f" {unit}" if unit else ""))
            else:
                out.append(str(value))
        return out


def as_fields(tooltip: Mapping[str, Text | str] | Sequence[Field] | None) -> list[Field]:
    """Tooltip rows from a ``{column: label}`` mapping or a list of :class:`Field`."""
    if tooltip is None:
        return []
    if isinstance(tooltip, Mapping):
        return [Field(column, label) for column, label in tooltip.items()]
    return [f if isinstance(f, Field) else Field(*f) for f in tooltip]
