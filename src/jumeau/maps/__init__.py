"""Self-contained, offline, interactive maps of a territory and its results.

Build a map with :class:`MapBuilder`, colour layers with :class:`Style`,
:class:`Graduated` and :class:`Categorical` (palettes in :mod:`jumeau.maps.palettes`),
write :meth:`MapBuilder.to_html` with :mod:`jumeau.io`. The page inlines Leaflet and
works with no network; :func:`external_references` checks that it loads nothing from
elsewhere.

Examples
--------
>>> from jumeau.maps import Graduated, MapBuilder, Style, blues, external_references
"""

from jumeau.maps.builder import CANVAS_ABOVE_FEATURES, MapBuilder
from jumeau.maps.icons import ICONS
from jumeau.maps.markup import escape
from jumeau.maps.offline import LEAFLET_VERSION, external_references
from jumeau.maps.palettes import HAZARD, OKABE_ITO, blues, okabe_ito, puor, ylorrd
from jumeau.maps.styles import Categorical, Field, Graduated, RasterStyle, Style

__all__ = [
    "CANVAS_ABOVE_FEATURES",
    "HAZARD",
    "ICONS",
    "LEAFLET_VERSION",
    "OKABE_ITO",
    "Categorical",
    "Field",
    "Graduated",
    "MapBuilder",
    "RasterStyle",
    "Style",
    "blues",
    "escape",
    "external_references",
    "okabe_ito",
    "puor",
    "ylorrd",
]
