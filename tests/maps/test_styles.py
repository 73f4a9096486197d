"""Style objects, palettes, time labels and charts: the small pieces maps are made of."""

from __future__ import annotations

import doctest
import importlib
import math
import re

import numpy as np
import pytest

from jumeau.i18n import Text
from jumeau.maps import Categorical, Field, Graduated, Style, blues, okabe_ito, puor, ylorrd
from jumeau.maps.charts import line_chart, nice_ticks
from jumeau.maps.labels import time_label
from jumeau.maps.styles import check_color


def test_graduated_classes_and_labels():
    """Values fall in [edge, next edge); the top class is open; labels say so."""
    scale = Graduated(edges=(0.01, 0.5, 1.0), colors=blues(3), unit="m")
    assert scale.classify([0.0, 0.01, 0.49, 0.5, 7.0, np.nan]).tolist() == [-1, 0, 0, 1, 2, -1]
    assert [label for _, label in scale.legend_rows("fr")] == ["0,01 – 0,5", "0,5 – 1", "≥ 1"]
    assert scale.legend_title(Text("Hauteur d'eau max", "Max water depth"), "en") == \
        "Max water depth (m)"


def test_graduated_below_missing_and_open_first_class():
    """Colours for values below the scale and for missing values get legend rows."""
    scale = Graduated(edges=(-math.inf, 30.0), colors=("#fee08b", "#d73027"), unit="°C",
                      missing="#cccccc")
    assert scale.classify([12.0, 31.0, np.nan]).tolist() == [0, 1, 3]
    assert [label for _, label in scale.legend_rows("fr")] == ["< 30", "≥ 30", "sans donnée"]
    shifted = Graduated(edges=(1.0,), colors=("#000000",), below="#ffffff")
    assert shifted.classify([0.5]).tolist() == [1]
    assert [label for _, label in shifted.legend_rows("en")] == ["< 1", "≥ 1"]


@pytest.mark.parametrize("kwargs", [
    {"edges": (1.0, 0.5), "colors": ("#000000", "#ffffff")},
    {"edges": (0.0, 1.0), "colors": ("#000000",)},
    {"edges": (0.0, math.nan), "colors": ("#000000", "#ffffff")},
    {"edges": (0.0,), "colors": ("red;background:url(https://x)",)},
])
def test_graduated_rejects_bad_scales(kwargs):
    """Unordered edges, a missing colour or a non-colour are refused."""
    with pytest.raises(ValueError):
        Graduated(**kwargs)


def test_categorical_table():
    """Known values get their class, others the 'other' class or nothing."""
    table = Categorical({"fort": ("#e31a1c", Text("fort", "high")),
                         "faible": ("#fecc5c", Text("faible", "low"))}, other="#bbbbbb")
    assert table.classify(["faible", "fort", "inconnu", None]).tolist() == [1, 0, 2, 2]
    assert table.legend_rows("en") == [("#e31a1c", "high"), ("#fecc5c", "low"),
                                       ("#bbbbbb", "other")]
    strict = Categorical({1: ("#000000", "un")})
    assert strict.classify(np.array([1, 2])).tolist() == [0, -1]
    hash(strict)  # frozen and hashable


@pytest.mark.parametrize("other", [None, "#bbbbbb"])
def test_categorical_numbers_take_the_class_of_an_equal_value(other):
    """Number grids (a fast sorted search) get the classes a lookup per value gives:
    equal numbers of any type match, anything else (other numbers, NaN) is 'other'."""
    table = Categorical({3: ("#000000", "trois"), -1: ("#111111", "moins un"),
                         2.5: ("#222222", "deux et demi"), 7: ("#333333", "sept")},
                        other=other)
    rest = 4 if other else -1
    values = np.array([[3.0, 2.5, -1.0, 7.0], [np.nan, 0.0, 8.0, 3.0000001]])
    assert table.classify(values).tolist() == [0, 2, 1, 3, rest, rest, rest, rest]
    ints = np.array([7, 3, 5, -1, -2], dtype=np.int16)
    assert table.classify(ints).tolist() == [3, 0, rest, 1, rest]
    assert table.classify(ints).tolist() == table.classify(ints.astype(object)).tolist()
    assert table.classify(np.array([True, False])).tolist() == [rest, rest]
    assert Categorical({1: ("#000000", "un")}).classify(np.array([True])).tolist() == [0]


def test_style_needs_a_column_for_a_scale():
    """A coloured scale without the column it reads is a mistake caught early."""
    with pytest.raises(ValueError, match="column"):
        Style(color=Graduated((0.0,), ("#000000",)))
    with pytest.raises(ValueError, match="dash"):
        Style(dash="4 4; stroke: red")
    with pytest.raises(ValueError):
        Style(fill_opacity=1.5)


def test_style_path_options_follow_classes():
    """Each class gets Leaflet options with its colour; undrawn classes get None."""
    style = Style(color=Graduated((0.0, 1.0), ("#111111", "#222222")), column="v",
                  stroke="#ffffff", weight_px=2, dash="4 2")
    options = style.path_options()
    assert [o and o["fillColor"] for o in options] == ["#111111", "#222222", None, None]
    assert options[0]["color"] == "#ffffff" and options[0]["dashArray"] == "4 2"


@pytest.mark.parametrize("color", ["#abc", "#A1B2C3", "#a1b2c3d4", "steelblue"])
def test_plain_colours_are_accepted(color):
    """Hex colours and CSS colour names are accepted as they are."""
    assert check_color(color) == color


@pytest.mark.parametrize("color", ["rgb(1,2,3)", "#12345", "red\" onload=\"x", "", "url(x)"])
def test_other_colour_forms_are_refused(color):
    """Anything else, which could break out of a style attribute, is refused."""
    with pytest.raises(ValueError):
        check_color(color)


def test_field_formats_values_in_the_language():
    """Tooltip values: numbers with the local separator and unit, codes as labels."""
    field = Field("use", "Usage", labels={"residential": Text("habitation", "housing")})
    assert field.format(["residential", "other", "", None], "fr") == ["habitation", "other", "",
                                                                      ""]
    height = Field("h", "Hauteur", unit="m")
    assert height.format([12.0, 1234.56, np.nan], "fr") == ["12 m", "1\u202f234,6 m", ""]
    assert Field("b", "B").format([True, False], "en") == ["yes", "no"]


@pytest.mark.parametrize("palette", [blues, ylorrd, puor])
def test_brewer_palettes_have_the_asked_number_of_colours(palette):
    """ColorBrewer palettes give n distinct hex colours for 1 to 9 classes."""
    for n in range(1, 10):
        colors = palette(n)
        assert len(colors) == len(set(colors)) == n
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colors)
    with pytest.raises(ValueError):
        palette(10)


def test_sequential_palettes_darken():
    """Blues and YlOrRd go from light to dark, so order reads without hue."""
    def lightness(color: str) -> float:
        r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for colors in (blues(7), ylorrd(7)):
        values = [lightness(c) for c in colors]
        assert values == sorted(values, reverse=True)
    assert okabe_ito(3) == ("#0072B2", "#E69F00", "#009E73")


@pytest.mark.parametrize("seconds, fr, en", [
    (0, "t = 0 min", "t = 0 min"), (45, "t = 45 s", "t = 45 s"),
    (1800, "t = 30 min", "t = 30 min"), (3600, "t = 1 h", "t = 1 h"),
    (5400, "t = 1 h 30", "t = 1 h 30 min"), (3900, "t = 1 h 05", "t = 1 h 05 min"),
    (2 * 86400 + 7200, "t = 2 j 2 h", "t = 2 d 2 h"),
])
def test_time_labels_read_naturally(seconds, fr, en):
    """Slider times are written as people say them, in each language."""
    assert (time_label(seconds, "fr"), time_label(seconds, "en")) == (fr, en)


def test_nice_ticks_cover_the_range():
    """Ticks are round numbers that cover the data."""
    ticks = nice_ticks(0.13, 1.87)
    assert ticks[0] <= 0.13 and ticks[-1] >= 1.87 and 3 <= len(ticks) <= 6
    step = np.diff(ticks)
    assert np.allclose(step, step[0])
    assert round(step[0] / 10 ** math.floor(math.log10(step[0])), 6) in (1, 2, 5)
    assert nice_ticks(0.0, 1.37).tolist() == [0.0, 0.5, 1.0, 1.5]
    assert nice_ticks(2.0, 2.0).tolist() != [2.0]


def test_chart_breaks_at_missing_values_and_escapes_labels():
    """A series with a gap draws two lines; the axis label is escaped."""
    svg = line_chart(np.arange(6) * 3600.0, np.array([0, 1, np.nan, 2, 1, 0.5]),
                     y_label="Niveau <b>(m)</b>", lang="fr")
    assert svg.count("<polyline") == 2
    assert "<b>" not in svg and "Niveau &lt;b&gt;(m)&lt;/b&gt;" in svg
    assert "max. 2,0" in svg


@pytest.mark.parametrize("module", ["styles", "palettes", "offline", "markup", "raster",
                                    "geojson", "labels", "charts", "icons", "builder"])
def test_docstring_examples_run(module):
    """The examples in the docstrings of jumeau.maps run and print what they show."""
    mod = importlib.import_module(f"jumeau.maps.{module}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
