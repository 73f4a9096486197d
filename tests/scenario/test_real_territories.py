"""Scenarios on real territories from ../shared/data, through manifests only."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from jumeau.cli.main import main
from jumeau.io.manifest import load_territory

MANIFESTS = Path(__file__).resolve().parents[1] / "manifests"


def local_manifest(name: str, shared: Path, folder: Path, **replace: str) -> Path:
    """A copy of a test manifest with absolute data paths (and optional edits)."""
    text = (MANIFESTS / f"{name}.yaml").read_text().replace("../../../shared/data", str(shared))
    for old, new in replace.items():
        text = text.replace(old, new)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_exposure_on_olemps(tmp_path, shared_data, capsys):
    """Olemps, real buildings: exposure to a zone drawn 40 m around the Aveyron."""
    water = gpd.read_file(shared_data / "olemps_bdtopo/bdtopo_v3/SURFACE_HYDROGRAPHIQUE.shp")
    river = water[water["NATURE"] == "Ecoulement naturel"]
    zone = gpd.GeoDataFrame({"scenario": ["Q100"], "niveau_alea": ["Fort"], "source": ["test"]},
                            geometry=[shapely.union_all(river.buffer(40).values)], crs=2154)
    zone.to_file(tmp_path / "zone.geojson")
    manifest = local_manifest("olemps", shared_data, tmp_path)
    manifest.write_text(manifest.read_text().replace(
        "  dem:", "  flood_zones: {path: zone.geojson, schema: georisques}\n  dem:"))
    spec = tmp_path / "expo.yaml"
    spec.write_text(f"name: expo\nterritory: {manifest}\nsimulate:\n  exposure: {{}}\n")
    assert main(["-q", "run", str(spec), "--out", str(tmp_path / "out"), "--json"]) == 0
    ind = json.loads(capsys.readouterr().out)["indicators"]
    buildings = gpd.read_file(shared_data / "olemps_bdtopo/bdtopo_v3/BATIMENT.shp")
    area = zone.geometry.iloc[0]
    expected = int(buildings.intersects(area).sum())
    assert ind["buildings_exposed"] == expected and expected > 0
    # Residents and road length, recomputed by hand on the loaded territory: the
    # residents of the buildings the zone touches, the length of road inside it.
    territory = load_territory(manifest)
    b = territory.buildings
    residents = float(b.loc[b.intersects(area), "population"].sum())
    assert residents > 0 and ind["residents_exposed"] == round(residents)
    km = float(territory.roads.intersection(area).length.sum()) / 1000
    assert km > 0 and ind["roads_exposed_km"] == pytest.approx(km, abs=0.01)
    # The written layer holds exactly the exposed buildings.
    layer = gpd.read_file(tmp_path / "out" / "layers.gpkg", layer="exposed_buildings")
    assert len(layer) == expected


def test_sea_surge_on_lorient(tmp_path, shared_data, capsys):
    """Lorient, real DEM points gridded at 20 m: a 4 m sea level floods the harbour."""
    manifest = local_manifest("lorient", shared_data, tmp_path,
                              **{"field: height}": "field: height, resolution_m: 20}"})
    spec = tmp_path / "surge.yaml"
    spec.write_text(f"""name: submersion
territory: {manifest}
simulate:
  flood:
    duration_h: 2
    levels:
      - line: [[224900, 6756835], [225885, 6756835], [225885, 6757000]]
        level: {{time_h: [0, 1.5, 2], level_m: [0.5, 4.0, 4.0]}}
""")
    assert main(["-q", "run", str(spec), "--out", str(tmp_path / "out"), "--json"]) == 0
    ind = json.loads(capsys.readouterr().out)["indicators"]
    assert abs(ind["mass_balance_error_pct"]) < 0.1
    assert ind["flooded_buildings"] > 0 and ind["flooded_area_ha"] > 10
    assert np.isnan(ind["isolated_people"] if ind["isolated_people"] is not None else np.nan)
