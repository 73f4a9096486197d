"""Build one self-contained, offline, interactive map of a territory and its results.

:class:`MapBuilder` collects layers — the twin's own background, result polygons, lines,
points, grids, an animation over time, time series at points, the headline numbers —
and writes them as a single HTML document (:meth:`MapBuilder.to_html`) with Leaflet
and everything else inlined: it opens from a USB key, on a laptop with no network.

Presentation only: values arrive computed; the builder classifies them into the
colours of a style, reprojects and writes. Every string from the data or the caller is
HTML-escaped (:mod:`jumeau.maps.markup`).

folium provides the document and the map element. Layers are *not* written with
folium's templates: branca renders each template's output again as a Jinja template,
so a data value such as ``{{ … }}`` would be evaluated (and folium's ``GeoJsonTooltip``
does not escape values). Layer scripts are written here as plain text instead.
"""

from __future__ import annotations

import copy
import html as _html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from pyproj import CRS, Transformer

from jumeau.i18n import LANGUAGES, Text, current_language
from jumeau.maps import basemap, labels
from jumeau.maps.charts import line_chart
from jumeau.maps.geojson import bounds_latlon, feature_collection, to_lonlat, usable
from jumeau.maps.icons import icon_svg
from jumeau.maps.markup import escape, indicators_panel, js_json, legend_block
from jumeau.maps.offline import leaflet_css, leaflet_js, runtime_css, runtime_js
from jumeau.maps.raster import (
    MAX_SIZE_PX,
    class_frames,
    class_image,
    hillshade_image,
    mercator_grid,
)
from jumeau.maps.styles import Categorical, Field, RasterStyle, Style, as_fields, render
from jumeau.territory.model import Territory
from jumeau.territory.terrain import Terrain

#: Above this many vector features, Leaflet draws on a canvas instead of SVG elements.
CANVAS_ABOVE_FEATURES = 3000

# Panes, bottom to top (Leaflet: tiles 200, vectors 400, markers 600, tooltips 650).
_PANES = ({"name": "jm-relief", "z": 210, "events": False},
          {"name": "jm-water", "z": 220, "events": False},
          {"name": "jm-rasters", "z": 350, "events": False})

_SERIES_STYLE = Style(color="#08519c", stroke="#ffffff", weight_px=2.0, fill_opacity=0.95,
                      radius_px=7.0)

Bounds = tuple[tuple[float, float], tuple[float, float]]


class _Raw(Element):
    """Text written as is (never parsed as a template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: object) -> str:
        return self._text


class _Block(MacroElement):
    """Markup for the page body and a script for the map, written as plain text."""

    def __init__(self, key: str, *, html: str = "", script: str = "") -> None:
        super().__init__()
        self._name = "jumeau"
        self._id = key
        self.html, self.script = html, script

    def render(self, **kwargs: object) -> None:
        figure = self.get_root()
        if self.html:
            figure.html.add_child(_Raw(self.html), name=self.get_name())
        if self.script:
            figure.script.add_child(_Raw(self.script), name=self.get_name())


class _OfflineMap(folium.Map):
    """A folium map that links no CDN: Leaflet is inlined by :class:`MapBuilder`."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []


@dataclass
class _Layer:
    """A layer ready to be written: its factory in the runtime and its JSON."""

    key: str
    name: str  # escaped: the layer control shows it as HTML
    factory: str
    spec: dict
    data: str | None = None  # script-safe JSON text (GeoJSON)
    overlay: bool = True
    legend: str = ""
    bounds: Bounds | None = None
    n_features: int = 0


class MapBuilder:
    """A map of one territory and its results, written as one offline HTML file.

    Parameters
    ----------
    territory
        The twin: its extent frames the map; :meth:`add_basemap` draws its layers.
    title
        Shown at the top of the map and as the page title.
    lang
        ``"fr"`` or ``"en"`` for every label, legend and number; default: the current
        language (:func:`jumeau.i18n.current_language`, French unless set).
    tiles
        Also offer online base maps (Plan IGN, OpenStreetMap) in the layer control.
        They are never required: the map opens on the twin's own background.
    renderer
        ``"svg"``, ``"canvas"`` or ``"auto"`` (canvas above
        :data:`CANVAS_ABOVE_FEATURES` vector features, which keeps large maps fluid).
    compact
        A map for a narrow pane (a comparison): the layer list folds into a button.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> from jumeau.i18n import Text
    >>> from jumeau.territory import Territory
    >>> from jumeau.maps import Graduated, MapBuilder, Style, blues
    >>> zone = gpd.GeoDataFrame({"depth_m": [0.7]}, crs=2154,
    ...                         geometry=[shapely.box(652000, 6862000, 652100, 6862100)])
    >>> builder = MapBuilder(Territory("Exemple"), title="Crue de 1982", lang="fr")
    >>> depth = Graduated(edges=(0.01, 0.5, 1.0), colors=blues(3), unit="m")
    >>> builder.add_polygons(zone, name=Text("Hauteur d'eau max", "Max water depth"),
    ...                      style=Style(color=depth, column="depth_m"))
    'layer-1'
    >>> page = builder.to_html()  # the caller writes it to disk
    >>> "Hauteur d&#x27;eau max (m)" in page
    True
    """

    def __init__(self, territory: Territory, *, title: Text | str, lang: str | None = None,
                 tiles: bool = False, renderer: str = "auto", compact: bool = False) -> None:
        lang = lang or current_language()
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
        if renderer not in ("auto", "svg", "canvas"):
            raise ValueError(f"renderer must be 'auto', 'svg' or 'canvas', not {renderer!r}")
        self.territory = territory
        self.lang = lang
        self.title = render(title, lang)
        self.tiles = tiles
        self.renderer = renderer
        self.compact = compact
        self._background: list[_Layer] = []
        self._layers: list[_Layer] = []
        self._indicators: list[tuple[Text | str, Text | str]] = []

    def copy(self, *, title: Text | str | None = None,
             compact: bool | None = None) -> MapBuilder:
        """An independent builder holding the same layers (built once: the copy shares
        their GeoJSON text), with another title or layout. A compact copy keeps the
        first four indicators. Adding layers to the copy, or hiding them, leaves this
        builder as it is."""
        other = copy.copy(self)
        if title is not None:
            other.title = render(title, self.lang)
        if compact is not None:
            other.compact = compact
        other._background = list(self._background)
        other._layers = [replace(layer, spec=dict(layer.spec)) for layer in self._layers]
        other._indicators = list(self._indicators[:4] if other.compact
                                 else self._indicators)
        return other

    # -- helpers ------------------------------------------------------------------------
    def _text(self, text: Text | str) -> str:
        return render(text, self.lang)

    def _key(self) -> str:
        return f"layer-{len(self._layers) + 1}"

    def _add(self, layer: _Layer, *, background: bool = False) -> str:
        (self._background if background else self._layers).append(layer)
        return layer.key

    # -- vectors ------------------------------------------------------------------------
    def _vector(self, kind: str, frame: gpd.GeoDataFrame, *, key: str, name: Text | str,
                style: Style, tooltip: Mapping[str, Text | str] | Sequence[Field] | None,
                show: bool, icon: str | None = None, options: list | None = None,
                legend: str | None = None, pane: str | None = None,
                background: bool = False, extra: Sequence[dict] | None = None) -> _Layer:
        if not isinstance(frame, gpd.GeoDataFrame):
            raise TypeError("a vector layer must be a GeoDataFrame")
        classes = style.classify(frame)
        keep = np.flatnonzero(usable(frame) & (classes >= 0))  # positions in `frame`
        frame, classes = frame.iloc[keep], classes[keep]
        fields = as_fields(tooltip)
        missing = [f.column for f in fields if f.column not in frame.columns]
        if missing:
            raise KeyError(f"tooltip columns not in the layer: {missing}")
        columns = [[escape(v) for v in f.format(frame[f.column], self.lang)] for f in fields]
        rows = list(zip(*columns)) if columns else [()] * len(frame)
        properties = []
        for position, cls, row in zip(keep.tolist(), classes.tolist(), rows):
            props: dict[str, object] = dict(extra[position]) if extra is not None else {}
            if style.scale is not None:
                props["s"] = cls
            if fields:
                values = list(row)
                while values and not values[-1]:
                    values.pop()  # trailing empty values: nothing to show, fewer bytes
                props["v"] = values
            properties.append(props)
        geoms = to_lonlat(frame.geometry.values, frame.crs or self.territory.crs)
        spec: dict[str, object] = {
            "key": key, "kind": kind, "show": show, "background": background,
            "styles": options if options is not None else style.path_options(),
        }
        if pane:
            spec["pane"] = pane
        if fields:
            spec["fields"] = [escape(self._text(f.label)) for f in fields]
        if icon is not None:
            size = int(round(2 * style.radius_px + 6))
            spec["icon"], spec["iconSize"] = icon_svg(icon, size), size
        if legend is None:
            legend_rows = style.legend_rows(name, self.lang)
            if isinstance(style.scale, Categorical):
                present = set(classes.tolist())
                legend_rows = [r for i, r in enumerate(legend_rows) if i in present]
            legend = legend_block(key, None if style.scale is None else style.legend_title(
                name, self.lang), legend_rows, kind, stroke=style.stroke,
                weight_px=style.weight_px)
        return _Layer(key=key, name=escape(self._text(name)), factory="vector", spec=spec,
                      data=feature_collection(geoms, properties), legend=legend,
                      bounds=bounds_latlon(geoms), n_features=len(geoms))

    def add_polygons(self, frame: gpd.GeoDataFrame, *, name: Text | str, style: Style,
                     tooltip: Mapping[str, Text | str] | Sequence[Field] | None = None,
                     show: bool = True) -> str:
        """Add a polygon layer (buildings by depth, flood zones, districts…).

        Parameters
        ----------
        frame
            Polygons in any CRS (the territory's when unset). Only the style column and
            the tooltip columns are written.
        name
            Layer name in the layer control and the legend title (with the unit of a
            :class:`~jumeau.maps.styles.Graduated` scale).
        style
            Colours: one colour, or a scale read from ``style.column``; rows a scale
            leaves out (e.g. below its first class) are not drawn.
        tooltip
            ``{column: label}`` or :class:`~jumeau.maps.styles.Field` rows shown on hover.
        show
            Whether the layer is on when the map opens.

        Returns
        -------
        str
            The layer's key in the page (``jumeau.layers[key]``).

        Examples
        --------
        >>> builder.add_polygons(buildings, name=Text("Bâtiments touchés", "Buildings hit"),
        ...                      style=Style(color="#e31a1c"),
        ...                      tooltip={"name": Text("Nom", "Name")})  # doctest: +SKIP
        'layer-1'
        """
        return self._add(self._vector("polygon", frame, key=self._key(), name=name, style=style,
                                      tooltip=tooltip, show=show))

    def add_lines(self, frame: gpd.GeoDataFrame, *, name: Text | str, style: Style,
                  tooltip: Mapping[str, Text | str] | Sequence[Field] | None = None,
                  show: bool = True) -> str:
        """Add a line layer (impassable roads, collection rounds, a wall…).

        Same parameters as :meth:`add_polygons`; ``style.weight_px`` is the line width.

        Examples
        --------
        >>> builder.add_lines(closed_roads, name=Text("Routes coupées", "Roads cut"),
        ...                   style=Style(color="#d7301f", weight_px=4))  # doctest: +SKIP
        'layer-2'
        """
        return self._add(self._vector("line", frame, key=self._key(), name=name, style=style,
                                      tooltip=tooltip, show=show))

    def add_points(self, frame: gpd.GeoDataFrame, *, name: Text | str, style: Style,
                   tooltip: Mapping[str, Text | str] | Sequence[Field] | None = None,
                   show: bool = True, icon: str | None = None) -> str:
        """Add a point layer (facilities, collection points…).

        Same parameters as :meth:`add_polygons`, and:

        icon
            None draws circles of ``style.radius_px`` (fast, also on a canvas); a name
            of :data:`jumeau.maps.icons.ICONS` (``"square"``, ``"triangle"``, ``"star"``…)
            draws that inline SVG symbol.

        Examples
        --------
        >>> builder.add_points(schools, name=Text("Écoles", "Schools"),
        ...                    style=Style(color="#0072B2"), icon="square")  # doctest: +SKIP
        'layer-3'
        """
        return self._add(self._vector("point", frame, key=self._key(), name=name, style=style,
                                      tooltip=tooltip, show=show, icon=icon))

    def hide_results(self, *, keep: Sequence[Text | str] = ()) -> None:
        """Start with every result layer added so far switched off (they stay in the
        layer list), except those named in ``keep``."""
        kept = {escape(self._text(k)) for k in keep}
        for layer in self._layers:
            if layer.name not in kept:
                layer.spec["show"] = False

    def add_structures(self, structures: gpd.GeoDataFrame, *, show: bool = True) -> list[str]:
        """Draw the measures in force (walls, new buildings, trees, closed streets…),
        coloured by ``kind``: lines, areas and points, each as one layer.

        Examples
        --------
        >>> builder.add_structures(territory.structures)  # doctest: +SKIP
        ['layer-7']
        """
        if structures is None or not len(structures):
            return []
        keys = []
        types = shapely.get_type_id(structures.geometry.values)
        name = Text("Mesures", "Measures")
        tooltip = [Field("name", Text("Mesure", "Measure")),
                   Field("kind", Text("Type", "Type"),
                         labels={k: label for k, (_, label) in basemap.STRUCTURES.classes})]
        frame = structures[["kind", "name", "geometry"]]
        for ids, adder, style in (
                ((3, 6), self.add_polygons, Style(color=basemap.STRUCTURES, column="kind",
                                                  fill_opacity=0.35, weight_px=2.5)),
                ((1, 2, 5), self.add_lines, Style(color=basemap.STRUCTURES, column="kind",
                                                  weight_px=5.0)),
                ((0, 4), self.add_points, Style(color=basemap.STRUCTURES, column="kind",
                                                radius_px=6.0))):
            part = frame[np.isin(types, ids)]
            if len(part):
                keys.append(adder(part, name=name, style=style, tooltip=tooltip, show=show))
        return keys

    # -- background ---------------------------------------------------------------------
    def add_basemap(self, *, relief: bool = True, water: bool = True, roads: bool = True,
                    buildings: bool = True) -> None:
        """Draw the twin's own background: relief, water, roads and buildings.

        The relief is the terrain's hillshade, warped to Web Mercator; roads are grey
        lines whose width follows their class; buildings and roads have tooltips.
        Layers the territory does not hold are skipped. Nothing here needs a network.
        """
        t = self.territory
        if relief and t.terrain is not None:
            target = mercator_grid(t.terrain)
            self._add(_Layer(
                key="background-relief", name=escape(self._text(labels.RELIEF)), factory="image",
                spec={"key": "background-relief", "url": hillshade_image(t.terrain, target),
                      "bounds": target.bounds_latlon, "opacity": 1.0, "pane": "jm-relief",
                      "show": True}, bounds=target.bounds_latlon), background=True)
        if water and len(t.water):
            kinds = shapely.get_type_id(t.water.geometry.values)
            areas = t.water[np.isin(kinds, (3, 6))]
            lines = t.water[np.isin(kinds, (1, 2, 5))]
            name = labels.WATER
            if len(areas):
                self._add(self._vector(
                    "polygon", areas, key="background-water", name=name, style=basemap.WATER,
                    tooltip=None, show=True, pane="jm-water"), background=True)
            if len(lines):
                self._add(self._vector(
                    "line", lines, key="background-waterways", name=name,
                    style=basemap.WATER_LINES, tooltip=None, show=True, pane="jm-water",
                    legend="" if len(areas) else None), background=True)
        if roads and len(t.roads):
            legend = legend_block("background-roads", None,
                                  [("#a8a8a8", self._text(labels.ROADS))], "line", weight_px=3)
            self._add(self._vector(
                "line", t.roads, key="background-roads", name=labels.ROADS, style=basemap.ROADS,
                tooltip=basemap.ROAD_TOOLTIP, show=True, options=basemap.road_options(),
                legend=legend, background=True), background=True)
        if buildings and len(t.buildings):
            self._add(self._vector(
                "polygon", t.buildings, key="background-buildings", name=labels.BUILDINGS,
                style=basemap.BUILDINGS, tooltip=basemap.BUILDING_TOOLTIP, show=True,
                background=True), background=True)

    # -- grids --------------------------------------------------------------------------
    def _raster_legend(self, key: str, name: Text | str, style: RasterStyle,
                       classes: np.ndarray) -> str:
        rows = style.legend_rows(self.lang)
        if isinstance(style, Categorical):
            present = set(np.unique(classes).tolist())
            rows = [r for i, r in enumerate(rows) if i in present]
        return legend_block(key, style.legend_title(name, self.lang), rows, "raster")

    @staticmethod
    def _check_grid(shape: tuple[int, ...], grid: Terrain) -> None:
        if tuple(shape) != tuple(grid.shape):
            raise ValueError(f"values of shape {tuple(shape)} do not fit the grid "
                             f"{tuple(grid.shape)}")

    def add_raster(self, values: np.ndarray, grid: Terrain, *, name: Text | str,
                   style: RasterStyle, opacity: float = 0.7, show: bool = True,
                   max_size_px: int = MAX_SIZE_PX) -> str:
        """Add a grid of values (max depth, night temperature…) as a coloured image.

        Parameters
        ----------
        values
            2-D array on ``grid`` (row 0 north); NaN and values a scale leaves out are
            transparent.
        grid
            The grid the values live on (its transform and CRS place them).
        name
            Layer name and legend title.
        style
            A :class:`~jumeau.maps.styles.Graduated` or
            :class:`~jumeau.maps.styles.Categorical` scale.
        opacity
            Opacity of the image over the background (0–1).
        show
            Whether the layer is on when the map opens.
        max_size_px
            Longest side of the image; larger grids are coarsened when warped.

        Examples
        --------
        >>> builder.add_raster(result.max_depth_m, territory.terrain,
        ...                    name=Text("Hauteur d'eau max", "Max water depth"),
        ...                    style=Graduated((0.01, 0.5, 1, 2), blues(4),
        ...                                    unit="m"))  # doctest: +SKIP
        'layer-4'
        """
        values = np.asarray(values)
        self._check_grid(values.shape, grid)
        classes = style.classify(values.ravel()).reshape(values.shape)
        target = mercator_grid(grid, max_size_px=max_size_px)
        key = self._key()
        spec = {"key": key, "url": class_image(classes, grid, target, style.class_colors()),
                "bounds": target.bounds_latlon, "opacity": float(opacity), "pane": "jm-rasters",
                "className": "jm-pixelated", "show": show}
        return self._add(_Layer(key=key, name=escape(self._text(name)), factory="image",
                                spec=spec, legend=self._raster_legend(key, name, style, classes),
                                bounds=target.bounds_latlon))

    def add_raster_animation(self, frames: np.ndarray, times_s: np.ndarray, grid: Terrain, *,
                             name: Text | str, style: RasterStyle, opacity: float = 0.7,
                             show: bool = True, interval_ms: int = 600,
                             max_size_px: int = 1024) -> str:
        """Add a grid that changes over time, with a play/pause button and a time slider.

        Parameters
        ----------
        frames
            3-D array (time, row, column) on ``grid``.
        times_s
            Time of each frame since the start, in seconds; the slider reads
            ``t = 1 h 30``.
        grid, name, style, opacity, show
            As in :meth:`add_raster`.
        interval_ms
            Time between frames when playing.
        max_size_px
            Longest side of each frame image (frames make most of a map's size).

        Examples
        --------
        >>> builder.add_raster_animation(result.depth_m, result.times_s, territory.terrain,
        ...                              name=Text("Hauteur d'eau", "Water depth"),
        ...                              style=depth_scale)  # doctest: +SKIP
        'layer-5'
        """
        frames = np.asarray(frames)
        times = np.asarray(times_s, dtype=float)
        if frames.ndim != 3 or len(times) != frames.shape[0] or not len(times):
            raise ValueError("frames must be (time, row, column) with one time per frame")
        self._check_grid(frames.shape[1:], grid)
        classes = style.classify(frames.ravel()).reshape(frames.shape)
        target = mercator_grid(grid, max_size_px=max_size_px)
        key = self._key()
        text = {"play": "▶ " + escape(self._text(labels.PLAY)),
                "pause": "❚❚ " + escape(self._text(labels.PAUSE)),
                "time": escape(self._text(labels.TIME))}
        spec = {"key": key, "frames": class_frames(classes, grid, target, style.class_colors()),
                "labels": [escape(labels.time_label(t, self.lang)) for t in times.tolist()],
                "bounds": target.bounds_latlon, "opacity": float(opacity), "pane": "jm-rasters",
                "className": "jm-pixelated", "show": show, "intervalMs": int(interval_ms),
                "title": escape(self._text(name)), "text": text}
        return self._add(_Layer(key=key, name=escape(self._text(name)), factory="animation",
                                spec=spec, legend=self._raster_legend(key, name, style, classes),
                                bounds=target.bounds_latlon))

    # -- series, indicators --------------------------------------------------------------
    def add_series(self, points: gpd.GeoDataFrame, series: Mapping[object, tuple[np.ndarray,
                   np.ndarray]], *, name: Text | str, y_label: Text | str,
                   label_column: str = "name", style: Style | None = None,
                   show: bool = True,
                   compare: Mapping[object, tuple[np.ndarray, np.ndarray]] | None = None,
                   names: tuple[str, str] = ("", "")) -> str:
        """Add points whose popup is a small chart of a value over time.

        Parameters
        ----------
        points
            Observation points (other geometries use a point on their surface).
        series
            Index label of a point (or its ``str``) → ``(times_s, values)``; points
            without a series are not drawn.
        name
            Layer name and legend label.
        y_label
            Value axis label with its unit, ``Text("Hauteur d'eau (m)", "Water depth (m)")``.
        label_column
            Column naming each point in its tooltip and popup (else its index label).
        style
            How the points are drawn (default: dark blue circles).
        show
            Whether the layer is on when the map opens.
        compare
            Another series per point, drawn dashed on the same chart (the baseline of a
            comparison); ``names`` labels the two lines.

        Examples
        --------
        >>> builder.add_series(gauges, {"pont": (times_s, level_m)},
        ...                    name=Text("Points d'observation", "Observation points"),
        ...                    y_label=Text("Hauteur d'eau (m)",
        ...                                 "Water depth (m)"))  # doctest: +SKIP
        'layer-6'
        """
        style = style or _SERIES_STYLE
        frame = points[usable(points)]
        lookup = {str(k): v for k, v in series.items()}
        keep = [i for i, k in enumerate(frame.index) if str(k) in lookup]
        frame = frame.iloc[keep].copy()
        geoms = frame.geometry.values
        not_point = shapely.get_type_id(geoms) != 0
        if not_point.any():
            geoms = np.where(not_point, shapely.point_on_surface(geoms), geoms)
        titles = []
        for k, value in zip(frame.index, frame[label_column] if label_column in frame.columns
                            else [""] * len(frame)):
            titles.append(str(value) if value not in (None, "") and value == value else str(k))
        popups = []
        color = style.color if isinstance(style.color, str) else "#08519c"
        other = {str(k): v for k, v in (compare or {}).items()}
        for k, title in zip(frame.index, titles):
            t, y = lookup[str(k)]
            extra = ((other[str(k)][0], other[str(k)][1], "#999999", names[0]),) \
                if str(k) in other else ()
            popups.append(f'<div class="jm-popup-title">{escape(title)}</div>'
                          + line_chart(t, y, y_label=self._text(y_label), lang=self.lang,
                                       color=color, label=names[1], others=extra))
        frame = gpd.GeoDataFrame({"_title": titles}, geometry=geoms,
                                 crs=frame.crs or self.territory.crs)
        layer = self._vector("point", frame, key=self._key(), name=name, style=style,
                             tooltip=[Field("_title", labels.NAME)], show=show,
                             extra=[{"p": i} for i in range(len(frame))])
        layer.spec["popups"] = popups
        return self._add(layer)

    def add_indicators(self, items: Sequence[tuple[Text | str, Text | str]]) -> None:
        """Show the headline numbers in a panel (label, already formatted value).

        Examples
        --------
        >>> builder.add_indicators([(Text("Bâtiments inondés", "Buildings flooded"),
        ...                          "1 240")])  # doctest: +SKIP
        """
        self._indicators = list(items)

    # -- writing ------------------------------------------------------------------------
    def _bounds(self) -> Bounds:
        xmin, ymin, xmax, ymax = self.territory.extent
        if all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
            transformer = Transformer.from_crs(CRS.from_user_input(self.territory.crs),
                                               CRS.from_epsg(4326), always_xy=True)
            west, south, east, north = transformer.transform_bounds(xmin, ymin, xmax, ymax)
            return (round(south, 7), round(west, 7)), (round(north, 7), round(east, 7))
        boxes = [b for b in (layer.bounds for layer in self._background + self._layers) if b]
        if not boxes:
            return (41.3, -5.2), (51.1, 9.6)  # metropolitan France
        return ((min(b[0][0] for b in boxes), min(b[0][1] for b in boxes)),
                (max(b[1][0] for b in boxes), max(b[1][1] for b in boxes)))

    def _bases(self) -> list[_Layer]:
        if not self.tiles:
            return []
        bases = [_Layer(key="base-offline", name=escape(self._text(labels.OFFLINE_BACKGROUND)),
                        factory="blank", spec={"key": "base-offline", "show": True},
                        overlay=False)]
        for i, (label, url, options, attribution) in enumerate(basemap.ONLINE_TILES):
            key = f"base-online-{i + 1}"
            bases.append(_Layer(key=key, name=escape(self._text(label)), factory="tiles",
                                spec={"key": key, "url": url, "show": False,
                                      "options": dict(options,
                                                      attribution=escape(self._text(attribution)))},
                                overlay=False))
        return bases

    def to_html(self) -> str:
        """The whole map as one HTML document (write it to disk with ``jumeau.io``).

        The same builder calls give the same bytes: element ids are numbered, not random.
        """
        layers = self._bases() + self._background + self._layers
        n_vectors = sum(layer.n_features for layer in layers)
        canvas = self.renderer == "canvas" or (
            self.renderer == "auto" and n_vectors > CANVAS_ABOVE_FEATURES)
        (south, west), (north, east) = bounds = self._bounds()

        figure = Figure(title=escape(self.title))
        for name, text in (("leaflet_css", f"<style>{leaflet_css()}</style>"),
                           ("leaflet_js", f"<script>{leaflet_js()}</script>"),
                           ("jumeau_css", f"<style>{runtime_css()}</style>"),
                           ("jumeau_js", f"<script>{runtime_js()}</script>")):
            figure.header.add_child(_Raw(text), name=name)
        fmap = _OfflineMap(location=[round((south + north) / 2, 7), round((west + east) / 2, 7)],
                           zoom_start=15,
                           tiles=None, zoom_control=False, control_scale=False,
                           prefer_canvas=canvas)
        fmap._id = "jumeau"  # a fixed name instead of a random one: same input, same bytes
        fmap.options.update(max_zoom=21, zoom_snap=0.25)
        figure.add_child(fmap, name="map")
        m = fmap.get_name()

        blocks = [_Block("setup", script=f"jumeau.setup({m}, " + js_json({
            "panes": list(_PANES), "bounds": bounds,
            "zoomIn": escape(self._text(labels.ZOOM_IN)),
            "zoomOut": escape(self._text(labels.ZOOM_OUT))}) + ");")]
        blocks.append(_Block(
            "title", html=f'<div id="jm-title" class="jm-panel jm-title" hidden>'
                          f"{escape(self.title)}</div>",
            script=f'jumeau.panel({m}, "jm-title", "topcenter");'))
        if self._indicators:
            panel = indicators_panel(self._indicators, self.lang, labels.KEY_FIGURES)
            blocks.append(_Block(
                "indicators", html=f'<div id="jm-indicators" class="jm-panel jm-indicators" '
                                   f"hidden>{panel}</div>",
                script=f'jumeau.panel({m}, "jm-indicators", "topleft");'))
        for i, layer in enumerate(layers):
            args = [m, js_json(layer.spec)] + ([layer.data] if layer.data is not None else [])
            blocks.append(_Block(f"layer{i:03d}",
                                 script=f"jumeau.{layer.factory}({', '.join(args)});"))
        legend = "".join(layer.legend for layer in layers if layer.legend)
        legend_html = (f'<div id="jm-legend" class="jm-panel jm-legend" hidden>'
                       f'<div class="jm-panel-title">{escape(self._text(labels.LEGEND))}</div>'
                       f"{legend}</div>") if legend else ""
        blocks.append(_Block("finish", html=legend_html, script=f"jumeau.finish({m}, " + js_json({
            "bases": [[layer.name, layer.key] for layer in layers if not layer.overlay],
            "overlays": [[layer.name, layer.key] for layer in layers if layer.overlay],
            "collapsed": self.compact, "legend": "jm-legend" if legend else None}) + ");"))
        for block in blocks:
            fmap.add_child(block, name=block.get_name())
        page = figure.render()
        return page.replace("<html>", f'<html lang="{self.lang}">', 1)

    def _repr_html_(self) -> str:
        """Show the map in a notebook (in an isolated frame)."""
        return (f'<iframe srcdoc="{_html.escape(self.to_html(), quote=True)}" '
                f'style="width:100%;height:600px;border:none"></iframe>')

