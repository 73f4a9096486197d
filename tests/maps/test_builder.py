"""MapBuilder writes safe, small, deterministic, bilingual pages (checked on the HTML)."""

from __future__ import annotations

import base64
import json
import re
import warnings
from html.parser import HTMLParser

import geopandas as gpd
import numpy as np
import pytest
import shapely
from affine import Affine
from pyproj import CRS, Transformer
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile
from shapely import affinity

from jumeau.i18n import Text
from jumeau.maps import Categorical, Field, Graduated, MapBuilder, Style, blues, escape, okabe_ito
from jumeau.maps.geojson import to_lonlat
from jumeau.territory import Terrain, Territory
from jumeau.territory.schema import conform

L93 = CRS.from_epsg(2154)


def calls(page: str) -> dict[str, tuple[str, dict]]:
    """Layer key → (runtime factory, spec) of every layer written in the page."""
    out = {}
    decoder = json.JSONDecoder()
    for match in re.finditer(r"jumeau\.(\w+)\(map_jumeau, ", page):
        spec, _ = decoder.raw_decode(page, match.end())
        if isinstance(spec, dict) and "key" in spec:
            out[spec["key"]] = (match.group(1), spec)
    return out


def layer_data(page: str, key: str) -> dict:
    """The GeoJSON written for layer ``key``."""
    match = re.search(r'jumeau\.vector\(map_jumeau, \{"key":"' + re.escape(key) + '"', page)
    decoder = json.JSONDecoder()
    _, end = decoder.raw_decode(page, match.end() - len('{"key":"' + key + '"'))
    data, _ = decoder.raw_decode(page, end + 2)  # skip ", "
    return data


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)


def tags(page: str) -> list[str]:
    parser = _Tags()
    parser.feed(page)
    return parser.tags


def test_data_text_is_escaped_in_the_page(synthetic, small_territory):
    """Markup in names, titles, labels and values never reaches the page as markup."""
    evil = '<img src=x onerror="alert(1)">'
    builder = MapBuilder(small_territory, title=Text(f"Crue {evil}", f"Flood {evil}"), lang="fr")
    builder.add_basemap()
    kinds = Categorical({"residential": ("#0072B2", Text(f"habitat {evil}", "housing"))},
                        other="#999999", title=f"Usage {evil}")
    builder.add_polygons(small_territory.buildings, name=f"Bâtiments {evil}",
                         style=Style(color=kinds, column="use"),
                         tooltip={"name": Text("Nom", "Name")})
    points, series = synthetic.gauges(small_territory)
    builder.add_series(points, series, name=f"Points {evil}", y_label=f"Niveau {evil}")
    builder.add_indicators([(f"Label {evil}", f"{evil} 12")])
    page = builder.to_html()

    for raw in (synthetic.XSS_NAME, evil, "<script>window.__xss", "<b>de la Rivière",
                "<i>Jaurès", "onerror=\"alert"):
        assert raw not in page
    # The escaped text is there: in the markup, and in the scripts' JSON.
    assert escape(f"Crue {evil}") in page
    assert escape(f"Usage {evil}") in page and escape(f"habitat {evil}") in page
    assert "\\u0026lt;script\\u0026gt;window.__xss=1" in page
    # The only elements are the page's own: nothing injected.
    assert set(tags(page)) <= {"html", "head", "title", "meta", "style", "script", "body",
                               "div", "span"}
    assert tags(page).count("script") == 4  # Leaflet, runtime, folium switches, the map


@pytest.mark.parametrize("name", ["{{ 7*7 }}", "{% if true %}x{% endif %}", "{# note",
                                  "{{ cycler.__init__.__globals__.os.getcwd() }}"])
def test_template_syntax_in_data_is_not_evaluated(small_territory, name):
    """Data that looks like a Jinja template is written as is (folium would evaluate it)."""
    buildings = small_territory.buildings.assign(name=name)
    builder = MapBuilder(small_territory, title=name, lang="fr")
    builder.add_polygons(buildings, name=name, style=Style(),
                         tooltip={"name": Text("Nom", "Name")})
    page = builder.to_html()
    assert escape(name) in page  # title, layer name
    assert json.dumps(escape(name), ensure_ascii=False)[1:-1] in page  # tooltip values


def test_same_inputs_give_the_same_html(synthetic, small_territory):
    """Two builders fed the same inputs write identical pages, with no random ids."""
    first, _ = synthetic.example_map(small_territory)
    second, _ = synthetic.example_map(synthetic.make_territory(20))
    page = first.to_html()
    assert page == second.to_html()
    assert page == first.to_html()
    assert re.search(r"[0-9a-f]{32}", page) is None


def test_a_copy_writes_the_same_layers_and_keeps_the_original(synthetic, small_territory):
    """A copy of a builder (how a comparison reuses a variant's map) writes the page a
    builder fed the same calls writes, under its own title and layout; hiding or adding
    layers in the copy leaves the original's page byte for byte as it was."""
    original, _ = synthetic.example_map(small_territory)
    original.add_indicators([(f"indicateur {k}", str(k)) for k in range(6)])
    before = original.to_html()
    same = original.copy()
    assert same.to_html() == before
    pane = original.copy(title="Variante", compact=True)
    pane.hide_results()
    pane.add_polygons(gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 10, 10)], crs=L93),
                      name="Changement", style=Style())
    assert original.to_html() == before
    page = pane.to_html()
    assert "Variante" in page and "Changement" in page
    assert '"collapsed":true' in page and '"collapsed":false' in before
    shown = [spec["show"] for key, (_, spec) in calls(page).items()
             if key in calls(before) and key.startswith("layer-")]
    assert shown and not any(shown)
    assert any(spec["show"] for _, spec in calls(before).values())
    assert "indicateur 3" in page and "indicateur 4" not in page
    assert "indicateur 5" in before


def test_legends_and_controls_in_both_languages(synthetic, small_territory):
    """Legends, units, numbers, panels and slider read in French or in English."""
    fr = synthetic.example_map(small_territory, lang="fr")[0].to_html()
    en = synthetic.example_map(small_territory, lang="en")[0].to_html()
    for text in ("Hauteur d'eau max (m)", "Hauteur d'eau au bâtiment (m)", "Légende",
                 "Chiffres clés", "0,01 – 0,5", "Routes et rues", "Zoom arrière",
                 "t = 1 h 30", "Lecture", "temps (h)"):
        assert escape(text) in fr, text
    for text in ("Max water depth (m)", "Water depth at the building (m)", "Legend",
                 "Key figures", "0.01 – 0.5", "Roads and streets", "Zoom out",
                 "t = 1 h 30 min", "Play", "time (h)"):
        assert escape(text) in en, text
    assert '<html lang="fr">' in fr and '<html lang="en">' in en
    for french in ("Légende", "Chiffres clés", "Hauteur d"):
        assert french not in en


def test_french_is_the_default(small_territory, monkeypatch):
    """Without a language, the map is in French."""
    monkeypatch.delenv("JUMEAU_LANG", raising=False)
    builder = MapBuilder(small_territory, title="Carte")
    builder.add_basemap()
    page = builder.to_html()
    assert '<html lang="fr">' in page and "Légende" in page


def test_coordinates_are_rounded_to_7_decimals(small_territory):
    """Longitudes and latitudes carry at most 7 decimals (about 1 cm)."""
    builder = MapBuilder(small_territory, title="x", lang="fr")
    builder.add_basemap()
    page = builder.to_html()
    pairs = re.findall(r"\[(-?\d+\.\d+),(-?\d+\.\d+)\]", page)
    decimals = [len(v.split(".")[1]) for pair in pairs for v in pair]
    assert len(pairs) > 100
    assert max(decimals) == 7


def test_invisible_detail_is_simplified():
    """Vertices closer than 0.3 m to a straight edge are dropped before reprojection."""
    notch = shapely.Polygon([(0, 0), (5, 0), (5, 0.1), (5.2, 0.1), (5.2, 0), (10, 0), (10, 10),
                             (0, 10)])
    big_notch = shapely.Polygon([(0, 0), (5, 0), (5, 1), (6, 1), (6, 0), (10, 0), (10, 10),
                                 (0, 10)])
    moved = [affinity.translate(g, 652000, 6862000) for g in (notch, big_notch)]
    out = to_lonlat(np.array(moved, dtype=object), L93)
    assert shapely.get_num_coordinates(out).tolist() == [5, 9]


def test_only_shown_columns_are_written(small_territory):
    """Columns that are neither styled nor in the tooltip stay out of the page."""
    buildings = small_territory.buildings.assign(note="confidentiel-123")
    builder = MapBuilder(small_territory, title="x", lang="fr")
    builder.add_polygons(buildings, name="Bâtiments", style=Style(),
                         tooltip={"name": Text("Nom", "Name")})
    assert "confidentiel-123" not in builder.to_html()


def test_ten_thousand_buildings_make_a_small_page(synthetic):
    """A 10,000-building territory with its background and one result layer is < 10 MB."""
    territory = synthetic.make_territory(10_000, cell_m=5.0, special_name=None)
    builder = MapBuilder(territory, title="10 000 bâtiments", lang="fr")
    builder.add_basemap()
    uses = Categorical({u: (c, u) for u, c in zip(synthetic.USES[1:], okabe_ito(4))})
    builder.add_polygons(territory.buildings, name="Usage", style=Style(color=uses, column="use"))
    page = builder.to_html()
    assert len(page.encode("utf-8")) < 10_000_000
    assert '"preferCanvas": true' in page  # big layers are drawn on a canvas
    assert len(layer_data(page, "background-buildings")["features"]) == 10_000


def test_tooltip_numbers_follow_the_language(small_territory):
    """Tooltip numbers use the reader's decimal separator and units."""
    def values(lang):
        builder = MapBuilder(small_territory, title="x", lang=lang)
        builder.add_polygons(small_territory.buildings.iloc[:1].assign(height_m=12.5),
                             name="b", style=Style(),
                             tooltip=[Field("height_m", Text("Hauteur", "Height"), unit="m")])
        return layer_data(builder.to_html(), "layer-1")["features"][0]["properties"]["v"]

    assert values("fr") == ["12,5 m"] and values("en") == ["12.5 m"]


def test_raster_is_warped_to_web_mercator():
    """A grid is reprojected, not stretched: a cell lands where Leaflet will draw it."""
    # Far from Lambert-93's central meridian (3° E) its grid turns by several degrees
    # against Web Mercator, so a stretched image would be visibly off.
    values = np.zeros((100, 100))
    values[10:15, 80:85] = 1.0
    grid = Terrain(values, Affine(10, 0, 150_000, 0, -10, 6_800_000), L93)
    builder = MapBuilder(Territory("ouest", terrain=grid), title="x", lang="fr")
    builder.add_raster(values, grid, name="v", style=Graduated((0.5,), ("#ff0000",), unit=""))
    _, spec = calls(builder.to_html())["layer-1"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotGeoreferencedWarning)  # a PNG has no CRS
        with MemoryFile(base64.b64decode(spec["url"].split(",", 1)[1])) as memory, \
                memory.open() as png:
            index = png.read(1)
    (south, west), (north, east) = spec["bounds"]
    assert index.shape != (100, 100)  # the turned grid needs a larger image
    to_merc = Transformer.from_crs(4326, 3857, always_xy=True)
    (x0, x1), (y0, y1) = to_merc.transform([west, east], [south, north])
    x, y = Transformer.from_crs(L93, 3857, always_xy=True).transform(150_825.0, 6_799_875.0)
    row = int((y1 - y) / (y1 - y0) * index.shape[0])
    col = int((x - x0) / (x1 - x0) * index.shape[1])
    assert index[row, col] == 1  # the block's centre is coloured, and only a small block is
    assert 10 < (index > 0).sum() < 100
    # Where a plain stretch of the Lambert-93 image would have put it, nothing is drawn.
    assert index[int(0.125 * index.shape[0]), int(0.825 * index.shape[1])] == 0


def test_animation_has_frames_and_spoken_times(synthetic, small_territory):
    """Each frame is an inline PNG with its time, 't = 1 h 30' in French."""
    builder, _ = synthetic.example_map(small_territory, lang="fr")
    _, spec = calls(builder.to_html())["layer-3"]
    assert len(spec["frames"]) == 5
    assert all(f.startswith("data:image/png;base64,") for f in spec["frames"])
    assert spec["labels"] == ["t = 0 min", "t = 30 min", "t = 1 h", "t = 1 h 30", "t = 2 h"]
    assert spec["bounds"] == calls(builder.to_html())["layer-2"][1]["bounds"]


def test_series_popups_hold_svg_charts(synthetic, small_territory):
    """Each observation point's popup is an inline SVG chart with translated axes."""
    builder, _ = synthetic.example_map(small_territory, lang="en")
    _, spec = calls(builder.to_html())["layer-4"]
    assert len(spec["popups"]) == 3
    chart = spec["popups"][2]
    assert "<svg" in chart and "<polyline" in chart and "time (h)" in chart
    assert "École &lt;i&gt;Jaurès&lt;/i&gt;" in chart
    assert "Water depth (m)" in chart


def test_points_use_inline_svg_icons(small_territory):
    """Point symbols are inline SVG, never Leaflet's image marker."""
    points = gpd.GeoDataFrame({"name": ["Mairie"]}, geometry=[shapely.Point(652030, 6862030)],
                              crs=L93)
    builder = MapBuilder(small_territory, title="x", lang="fr")
    builder.add_points(points, name="Mairie", style=Style(color="#0072B2"), icon="star")
    _, spec = calls(builder.to_html())["layer-1"]
    assert spec["icon"].startswith("<svg") and "marker-icon" not in spec["icon"]
    with pytest.raises(ValueError, match="unknown icon"):
        builder.add_points(points, name="x", style=Style(), icon="marker")


def test_background_skips_what_the_territory_lacks():
    """The background draws only the layers the territory holds."""
    buildings = conform(gpd.GeoDataFrame(geometry=[shapely.box(652000, 6862000, 652010,
                                                               6862010)], crs=L93), "buildings")
    builder = MapBuilder(Territory("t", buildings=buildings), title="x", lang="fr")
    builder.add_basemap()
    assert set(calls(builder.to_html())) == {"background-buildings"}


def test_mistakes_in_calls_are_reported(small_territory):
    """A grid of the wrong shape or a tooltip column that does not exist raises."""
    builder = MapBuilder(small_territory, title="x", lang="fr")
    scale = Graduated((0.0,), ("#000000",))
    with pytest.raises(ValueError, match="do not fit the grid"):
        builder.add_raster(np.zeros((3, 3)), small_territory.terrain, name="x", style=scale)
    with pytest.raises(KeyError, match="nope"):
        builder.add_polygons(small_territory.buildings, name="x", style=Style(),
                             tooltip={"nope": "Nope"})
    with pytest.raises(ValueError, match="lang"):
        MapBuilder(small_territory, title="x", lang="de")
    with pytest.raises(ValueError, match="one time per frame"):
        builder.add_raster_animation(np.zeros((2, *small_territory.terrain.shape)), [0.0],
                                     small_territory.terrain, name="x", style=scale)


def test_empty_layers_are_written(small_territory):
    """A layer with nothing to draw (no building reached) still makes a valid page."""
    builder = MapBuilder(small_territory, title="x", lang="fr")
    key = builder.add_polygons(small_territory.buildings.iloc[:0], name="Aucun",
                               style=Style(), tooltip={"name": "Nom"})
    dry = Graduated((0.01,), ("#08519c",), unit="m")
    builder.add_raster(np.zeros(small_territory.terrain.shape), small_territory.terrain,
                       name="Sec", style=dry)
    page = builder.to_html()
    assert layer_data(page, key)["features"] == []
    assert "layer-2" in calls(page)


def test_legend_of_a_table_lists_only_present_classes(small_territory):
    """A categorical legend shows the classes found in the layer, in table order."""
    table = Categorical({"industrial": ("#E69F00", "industrie"), "farm": ("#009E73", "ferme"),
                         "residential": ("#0072B2", "habitation")})
    builder = MapBuilder(small_territory, title="x", lang="fr")
    builder.add_polygons(small_territory.buildings, name="Usage",
                         style=Style(color=table, column="use"))
    page = builder.to_html()
    assert "industrie" in page and "habitation" in page and "ferme" not in page
    assert page.index("industrie") < page.index("habitation")


def test_blues_palette_fits_depth_classes():
    """The documented depth palette gives one colour per class."""
    scale = Graduated(edges=(0.01, 0.5, 1, 2), colors=blues(4), unit="m")
    assert len(scale.legend_rows("fr")) == 4
