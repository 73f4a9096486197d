"""Map layers of a heatwave run: day and night air temperature (a day slider over the
episode), cooling by green spaces, hot buildings, older residents, sensitive facilities,
and the measures."""

from __future__ import annotations

import numpy as np
import shapely

from jumeau.i18n import Text
from jumeau.maps.basemap import FACILITY_LABELS
from jumeau.maps.builder import MapBuilder
from jumeau.maps.charts import nice_ticks
from jumeau.maps.palettes import blues, ylorrd
from jumeau.maps.styles import Field, Graduated, Style
from jumeau.territory.schema import LABELS

DAY_S = 86_400.0


def temperature_scale(values: np.ndarray, title: Text, n: int = 7) -> Graduated:
    """Classes of air temperature spanning ``values`` (°C), yellow to red."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    edges = nice_ticks(lo, hi if hi > lo else lo + 0.1, n)
    edges = edges[edges <= hi] if (edges <= hi).sum() >= 2 else edges[:2]
    if edges[0] > lo:
        edges = np.concatenate([[-np.inf], edges])
    return Graduated(edges=tuple(float(e) for e in edges), colors=ylorrd(len(edges)),
                     unit="°C", title=title)


def draw(builder: MapBuilder, result, territory, kind, lang: str) -> None:
    """Add the heat layers of ``result`` (a :class:`jumeau.heat.simulate.HeatResult`)."""
    grid = result.grid
    n = len(result.dates)
    if result.day_anomaly_c is not None and n > 1:
        frames = np.stack([result.day_grid(d) for d in range(n)])
        builder.add_raster_animation(
            frames, np.arange(n) * DAY_S, grid,
            name=Text("Température le jour, jour par jour", "Day temperature, day by day"),
            style=temperature_scale(frames, Text("Température de l'air le jour",
                                                 "Daytime air temperature")),
            show=False, interval_ms=900)
    if result.night_anomaly_c is not None and n > 1:
        frames = np.stack([result.night_grid(d) for d in range(n)])
        builder.add_raster_animation(
            frames, np.arange(n) * DAY_S, grid,
            name=Text("Température la nuit, jour par jour", "Night temperature, day by day"),
            style=temperature_scale(frames, Text("Température de l'air la nuit",
                                                 "Night air temperature")),
            show=False, interval_ms=900)
    rasters = result.rasters()
    for name, show in (("air_temperature_day_c", False), ("air_temperature_night_c", True)):
        if name in rasters:
            label = kind.output(name).text(result.context())
            builder.add_raster(rasters[name].values, grid,
                               name=label + Text(" (jour le plus chaud)", " (hottest day)")
                               if "day" in name else label + Text(" (nuit la plus chaude)",
                                                                  " (warmest night)"),
                               style=temperature_scale(rasters[name].values, label), show=show)
    if "park_cooling_c" in rasters:
        cool = rasters["park_cooling_c"].values
        if np.nanmax(cool, initial=0) > 0.005:
            edges = (0.01, 0.05, 0.1, 0.25, 0.5)
            builder.add_raster(np.where(cool >= 0.01, cool, np.nan), grid,
                               name=Text("Portée du rafraîchissement des parcs",
                                         "Cooling reach of parks"),
                               style=Graduated(edges=edges, colors=blues(len(edges)), unit="°C",
                                               title=Text("Rafraîchissement par les espaces verts",
                                                          "Cooling by green spaces")),
                               show=False)
    b = result.buildings
    tooltip = [Field("name", Text("Nom", "Name")),
               Field("use", Text("Usage", "Use"), labels=LABELS["use"]),
               Field("night_max_c", Text("Nuit la plus chaude", "Warmest night"), unit="°C",
                     decimals=1),
               Field("day_max_c", Text("Jour le plus chaud", "Hottest day"), unit="°C",
                     decimals=1),
               Field("tropical_nights", Text("Nuits > 20 °C", "Nights > 20 °C"), decimals=0),
               Field("degree_hours", Text("Degrés-heures", "Degree-hours"), unit="°C·h",
                     decimals=0),
               Field("residents", Text("Habitants", "Residents"), decimals=1),
               Field("residents_75p", Text("dont 75 ans ou plus", "of whom 75+"), decimals=1),
               Field("excess_risk_indicative_pct",
                     Text("Surmortalité relative (indicatif)",
                          "Relative excess mortality (indicative)"), unit="%", decimals=1)]
    hot = b[b["hot"]]
    if len(hot):
        builder.add_polygons(
            hot[[f.column for f in tooltip] + ["geometry"]],
            name=Text("Bâtiments en îlot de chaleur", "Buildings in heat islands"),
            style=Style(color=temperature_scale(hot["night_max_c"], Text(
                "Nuit la plus chaude", "Warmest night")), column="night_max_c",
                fill_opacity=0.9, weight_px=0.6, stroke="#333333"),
            tooltip=tooltip)
    old = b[b["residents_75p"] >= 0.5]
    if len(old):
        pts = old[["name", "residents_75p", "night_max_c", "hot"]].copy()
        pts = pts.set_geometry(shapely.point_on_surface(old.geometry.values), crs=b.crs)
        builder.add_points(
            pts, name=Text("Personnes de 75 ans ou plus", "People aged 75 or over"),
            style=Style(color="#6a3d9a", radius_px=4),
            tooltip=[Field("residents_75p", Text("75 ans ou plus", "Aged 75+"), decimals=1),
                     Field("night_max_c", Text("Nuit la plus chaude", "Warmest night"),
                           unit="°C", decimals=1)], show=False)
    fac = result.facilities
    if len(fac):
        builder.add_points(
            fac, name=Text("EHPAD, écoles, crèches", "Nursing homes, schools, childcare"),
            style=Style(color=FACILITY_LABELS, column="facility", radius_px=9),
            tooltip=[Field("name", Text("Nom", "Name")),
                     Field("facility", Text("Type", "Type"), labels=LABELS["facility"]),
                     Field("night_max_c", Text("Nuit la plus chaude", "Warmest night"),
                           unit="°C", decimals=1),
                     Field("night_rank_pct", Text("Plus chaud la nuit que … % des bâtiments",
                                                  "Warmer at night than … % of buildings"),
                           unit="%", decimals=0)],
            icon="star")
    # The measures (trees, parks, cool roofs) are drawn for every kind by maps.scenario.
