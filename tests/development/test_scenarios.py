"""Development scenarios through the command line: variants compared, bad input refused
with the file, the line and the field (exit code 2, no output)."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from jumeau.cli.main import main

X0, Y0 = 650_000.0, 6_600_000.0


def rect(x0, y0, x1, y1) -> str:
    """A rectangle of the tiny site (local metres) as a YAML coordinate list."""
    pts = [(X0 + x0, Y0 + y0), (X0 + x1, Y0 + y0), (X0 + x1, Y0 + y1), (X0 + x0, Y0 + y1)]
    return "[" + ", ".join(f"[{x:.0f}, {y:.0f}]" for x, y in pts) + "]"


def write(folder, tiny_site, measures: str, simulate: str = "development: {}") -> str:
    path = folder / "projet.yaml"
    path.write_text(f"""name: projet
title: Projet
territory: {tiny_site}
seed: 1
simulate:
  {simulate}
measures:
{measures}
""", encoding="utf-8")
    return str(path)


def test_floodplain_and_hillside_variants_compared(tmp_path, tiny_site, capsys):
    """The same 40 dwellings by the river and up the slope: 87.6 new residents in the
    100-year zone and warnings in one variant, none in the other; both add the same
    residents."""
    spec = tmp_path / "projet.yaml"
    spec.write_text(f"""name: projet
title: Plaine ou coteau ?
territory: {tiny_site}
seed: 1
simulate:
  development: {{}}
variants:
  plaine:
    title: En bord de rivière
    measures:
      - {{type: add_buildings, name: Les Bas, polygon: {rect(330, 5, 580, 130)},
         dwellings: 40, storeys: 2, setback_m: 2}}
  coteau:
    title: Sur le coteau
    measures:
      - {{type: add_buildings, name: Les Hauts, polygon: {rect(330, 200, 580, 320)},
         dwellings: 40, storeys: 2}}
""", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["--lang", "en", "run", str(spec), "--out", str(out), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    plaine = json.loads((out / "plaine" / "indicators.json").read_text())["indicators"]
    coteau = json.loads((out / "coteau" / "indicators.json").read_text())["indicators"]
    assert plaine["residents_added"] == pytest.approx(40 * 2.19)
    assert coteau["residents_added"] == pytest.approx(40 * 2.19)
    assert plaine["new_residents_flood_zone"] == pytest.approx(40 * 2.19)
    assert plaine["buildings_forbidden_zone"] > 0
    assert coteau["new_residents_flood_zone"] == 0 and coteau["buildings_forbidden_zone"] == 0
    assert summary["delta"]["coteau"]["new_residents_flood_zone"] == pytest.approx(-87.6)
    layers = gpd.read_file(out / "plaine" / "layers.gpkg", layer="development_warnings")
    assert set(layers["source"]) == {"TRI"}
    assert (out / "comparaison" / "report.html").is_file()
    assert "Les Bas" in (out / "plaine" / "map.html").read_text(encoding="utf-8")


BAD = {
    "outside": ("  - {type: add_buildings, polygon: " + rect(5000, 5000, 5100, 5100)
                + ", dwellings: 10}", "measures.0.polygon", "outside the territory"),
    "negative": ("  - {type: add_buildings, polygon: " + rect(330, 200, 580, 320)
                 + ",\n     dwellings: -10}", "measures.0.dwellings", "greater than or equal"),
    "cannot_fit": ("  - {type: add_buildings, polygon: " + rect(330, 200, 380, 240)
                   + ", dwellings: 80}", "measures.0.polygon", "does not fit"),
    "overlap": ("  - {type: add_buildings, footprints: {path: projet.geojson}}",
                "measures.0.footprints", "projet.geojson: new buildings no. 1 and no. 2 "
                "overlap"),
    "unused": ("  - {type: close_road, street: Rue Haute}", "measures.0",
               "affects none of the scenario's simulations"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_names_file_line_and_field(case, tmp_path, tiny_site, capsys):
    """Exit code 2, the scenario file, the measure's line, the field, and no output."""
    measures, field, message = BAD[case]
    gpd.GeoDataFrame(geometry=[shapely.box(X0 + 350, Y0 + 200, X0 + 380, Y0 + 220),
                               shapely.box(X0 + 370, Y0 + 210, X0 + 400, Y0 + 230)],
                     crs=2154).to_file(tmp_path / "projet.geojson", driver="GeoJSON")
    simulate = "exposure: {}" if case == "unused" else "development: {}"
    spec = write(tmp_path, tiny_site, measures, simulate)
    out = tmp_path / "out"
    code = main(["--lang", "en", "run", spec, "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"file {spec}, line 8" in err or f"file {spec}, line 9" in err, err
    assert f"field '{field}'" in err and message in err, err
    assert not out.exists()
