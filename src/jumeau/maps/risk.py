"""The risk map: expected annual damage per building and the probability of flooding.

Presentation only: it reads a :class:`jumeau.scenario.risk_runner.RiskResult` and the
variants' territories. For each variant, two layers: buildings coloured by their
expected annual damage (the median over the members, €/year), and the share of members
in which each cell is flooded for the map event (the one nearest 1/100 by default).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from jumeau.i18n import Text
from jumeau.maps import Field, Graduated, MapBuilder, Style, blues, ylorrd

EAD_EDGES_EUR = (1.0, 50.0, 200.0, 1000.0, 5000.0)
PROBABILITY_EDGES = (0.05, 0.25, 0.5, 0.75, 0.95)


def ead_buildings(territory, features, layer_key: str = "building_id") -> gpd.GeoDataFrame:
    """Buildings with their expected annual damage band (those with some damage)."""
    b = territory.buildings[[layer_key, "geometry"]]
    frame = b.merge(features, on=layer_key, how="inner")
    if "damage_eur_per_year_p50" in frame:
        frame = frame[frame["damage_eur_per_year_p95"] > 0]
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=territory.crs)


def risk_map(scenario, territories: dict, risk, grids: dict, *, lang: str,
             tiles: bool = False) -> str:
    """The risk map of a scenario as one offline HTML page.

    Parameters
    ----------
    scenario
        The scenario (title, baseline).
    territories
        Variant → its territory (measures applied).
    risk
        The scenario's risk figures.
    grids
        Grid output name → the :class:`~jumeau.territory.terrain.Terrain` it lies on.
    """
    base = territories[scenario.baseline]
    title = Text("{t} — risque", "{t} — risk").format(t=scenario.spec.title or scenario.name)
    builder = MapBuilder(base, title=title, lang=lang, tiles=tiles)
    builder.add_basemap()
    event = risk.plan.map_event() or "—"
    first = True
    for name, vr in risk.variants.items():
        prefix = f"{name} · " if len(risk.variants) > 1 else ""
        layer = vr.features.get("buildings_flood")
        if layer is not None and len(layer):
            frame = ead_buildings(territories[name], layer)
            builder.add_polygons(
                frame, name=Text(prefix + "dommages moyens annuels par bâtiment",
                                 prefix + "expected annual damage per building"),
                style=Style(color=Graduated(EAD_EDGES_EUR, ylorrd(len(EAD_EDGES_EUR)),
                                            unit="€/an" if lang == "fr" else "€/year"),
                            column="damage_eur_per_year_p50"),
                tooltip=[Field("building_id", Text("bâtiment", "building")),
                         Field("damage_eur_per_year_p50",
                               Text("dommages moyens annuels (médiane)",
                                    "expected annual damage (median)"), unit="€", decimals=0),
                         Field("damage_eur_per_year_p5", Text("5 %", "5 %"), unit="€",
                               decimals=0),
                         Field("damage_eur_per_year_p95", Text("95 %", "95 %"), unit="€",
                               decimals=0)],
                show=first)
        for grid_name, prob in vr.probability.get(event, {}).items():
            grid = grids.get(grid_name)
            if grid is None:
                continue
            values = np.where(prob > 0, prob, np.nan)
            builder.add_raster(values, grid, name=Text(
                prefix + "probabilité d'être inondé ({e})", prefix + "probability of being "
                "flooded ({e})").format(e=event),
                style=Graduated(PROBABILITY_EDGES, blues(len(PROBABILITY_EDGES)), unit="",
                                labels=("5–25 %", "25–50 %", "50–75 %", "75–95 %", "≥ 95 %")),
                show=first)
        structures = territories[name].structures
        if len(structures) and name != scenario.baseline:
            builder.add_structures(structures, show=first)
        first = False
    return builder.to_html()
