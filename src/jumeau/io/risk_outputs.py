"""Writing a scenario's risk figures: ``risque/`` beside the variants' folders.

``risque/risk.json`` (every band, the cost–benefit, the sensitivity), ``risque/risk.csv``
(annual figures per variant: p5, p50, p95), ``risque/ead.gpkg`` (expected annual damage
per building and per district, one table per variant), one GeoTIFF per variant, event
and thresholded grid with the probability that a cell is above the threshold
(``probability_<variant>_<event>_<grid>.tif``), and ``risque/map.html``.
"""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import numpy as np

from jumeau.io.outputs import Staging, write_layers, write_raster
from jumeau.scenario.result import Raster

#: Folder of the risk outputs (beside the variants' and the comparison's).
RISK_DIR = "risque"


def write_risk(stage: Staging, scenario, territories: dict, risk, grids: dict, *,
               lang: str, map_html: str) -> None:
    """Write the risk outputs into ``stage`` (module docstring)."""
    from jumeau.maps.risk import ead_buildings
    from jumeau.report.districts import by_district, district_grid

    folder = f"{RISK_DIR}/"
    stage.write_json(f"{folder}risk.json", {"scenario": scenario.name, **risk.summary()})
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["variant", "indicator", "per_year_p5", "per_year_p50", "per_year_p95"])
    for name, vr in risk.variants.items():
        for k, b in vr.annual.items():
            w.writerow([name, k, _num(b.low), _num(b.median), _num(b.high)])
    stage.write_text(f"{folder}risk.csv", buf.getvalue())
    layers = {}
    for name, vr in risk.variants.items():
        features = vr.features.get("buildings_flood")
        if features is None or not len(features):
            continue
        frame = ead_buildings(territories[name], features)
        layers[f"ead_buildings_{name}"] = frame
        cols = tuple(c for c in frame.columns if c.endswith("_p50"))
        districts = district_grid(territories[name])
        table = by_district(frame, districts, cols)
        layers[f"ead_districts_{name}"] = gpd.GeoDataFrame(
            districts.merge(table, on="district", how="inner"), geometry="geometry",
            crs=territories[name].crs)
    if layers:
        write_layers(stage.path(f"{folder}ead.gpkg"), layers)
    for name, vr in risk.variants.items():
        for event, by_grid in vr.probability.items():
            for grid_name, prob in by_grid.items():
                if grid_name not in grids:
                    continue
                write_raster(stage.path(f"{folder}probability_{name}_{event}_{grid_name}.tif"),
                             Raster(np.asarray(prob, float), grids[grid_name]), unit="",
                             label=f"probability above threshold ({event})")
    stage.write_text(f"{folder}map.html", map_html)


def _num(v: float):
    v = float(v)
    return "" if not np.isfinite(v) else repr(v)
