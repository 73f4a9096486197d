"""One contract for every installed simulation kind (like landlab's component tests).

Each kind runs on the tiny territory with its declared ``example``: every declared
output is produced with the declared type, nothing undeclared; it runs as a variant
pair through the runner; a variant compared with itself is all zeros.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import yaml

from jumeau.io.manifest import load_territory
from jumeau.io.references import resolve
from jumeau.scenario import kinds
from jumeau.scenario.compare import compare_pair
from jumeau.scenario.result import Raster, Series
from jumeau.scenario.runner import VariantRun, output_keys, run
from jumeau.scenario.spec import read_scenario

KINDS = sorted(kinds.kinds())


@pytest.fixture(scope="module")
def tiny(tiny_site):
    return load_territory(tiny_site)


def _run(kind, territory, tiny_site, seed=1):
    params = kind.params.model_validate(dict(kind.example),
                                        context={"scenario_dir": tiny_site.parent})
    resolve(params)
    return kind.simulate(territory, params, seed=seed, inputs={})


def test_every_builtin_kind_is_installed():
    """The built-in kinds are found through their entry points."""
    assert {"exposure", "flood"} <= set(KINDS)


@pytest.mark.parametrize("name", KINDS)
def test_declarations_are_complete(name):
    """Every output has a unique name, a label in both languages and a doc line; layers
    with a key say it, indicators name a valid direction."""
    kind = kinds.get(name)
    seen = set()
    for out in kind.outputs:
        assert (out.type, out.name) not in seen, out.name
        seen.add((out.type, out.name))
        assert out.label.fr and out.label.en and out.doc, out.name
        assert out.better in (None, "lower", "higher"), out.name
    assert kind.method.fr and kind.limits.fr and kind.uncertainty.fr
    assert 1 <= sum(o.headline for o in kind.outputs_of("indicator")) <= 5
    for used in kind.uses:
        producer, output = used.split(".", 1)
        kinds.get(producer).output(output)  # the producer declares what is used


@pytest.mark.parametrize("name", KINDS)
def test_declared_outputs_are_produced(name, tiny, tiny_site):
    """Every declared output is produced, with its declared type, and nothing else."""
    kind = kinds.get(name)
    result = _run(kind, tiny, tiny_site)
    assert result.kind == name
    produced = {"indicator": result.indicators(), "grid": result.rasters(),
                "layer": result.layers(), "table": result.tables(), "series": result.series()}
    for type_, values in produced.items():
        assert set(values) == {o.name for o in kind.outputs_of(type_)}, type_
    for value in produced["indicator"].values():
        assert isinstance(value, (int, float, np.integer, np.floating))
    for out in kind.outputs_of("grid"):
        raster = produced["grid"][out.name]
        assert isinstance(raster, Raster) and raster.values.shape == raster.grid.shape
    for out in kind.outputs_of("layer"):
        frame = produced["layer"][out.name]
        assert isinstance(frame, gpd.GeoDataFrame) and frame.crs == tiny.crs, out.name
        for column in filter(None, (out.key, out.flag)):
            assert column in frame.columns, (out.name, column)
        for column, *_ in out.sum_columns():
            assert column in frame.columns, (out.name, column)
    for table in produced["table"].values():
        assert isinstance(table, pd.DataFrame)
    for series in produced["series"].values():
        assert isinstance(series, Series)
        assert all(len(y) == len(series.x) for y in series.curves.values())
    context = result.context()
    for out in kind.outputs:
        assert "{" not in out.text(context).fr, out.name  # every placeholder is filled


@pytest.mark.parametrize("name", KINDS)
def test_a_variant_compared_with_itself_is_all_zeros(name, tiny, tiny_site):
    """Two runs with the same seed compare as zero everywhere (and the kind is
    deterministic)."""
    kind = kinds.get(name)
    keys = output_keys([name])
    a = VariantRun("a", tiny, {name: _run(kind, tiny, tiny_site)}, keys)
    b = VariantRun("b", tiny, {name: _run(kind, tiny, tiny_site)}, keys)
    vc = compare_pair(a, b)
    assert len(vc.indicators) == len(kind.outputs_of("indicator"))
    for c in vc.indicators:
        assert c.change == 0 or (np.isnan(c.baseline) and np.isnan(c.value)), c.key
    for g in vc.grids:
        assert np.all(np.nan_to_num(g.difference) == 0), g.key
        assert g.change is None or not g.change.any(), g.key
    for lc in vc.layers:
        assert len(lc.frame) == 0, lc.key


@pytest.mark.parametrize("name", KINDS)
def test_every_kind_runs_as_a_variant_pair(name, tiny_site, tmp_path):
    """Through the runner and its outputs: both variants' folders and the comparison."""
    kind = kinds.get(name)
    spec = {"name": "paire", "title": "Paire", "territory": str(tiny_site), "seed": 3,
            "simulate": {name: json.loads(json.dumps(dict(kind.example)))},
            "variants": {"a": {}, "b": {"title": "la même"}}}
    path = tmp_path / "paire.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    out = run(read_scenario(path), out_dir=tmp_path / "out")
    summary = out.summary()
    assert summary["baseline"] == "a" and set(summary["variants"]) == {"a", "b"}
    assert all(v in (0, None) for v in summary["delta"]["b"].values())
    for f in ("a/map.html", "a/report.html", "b/indicators.json", "comparaison/map.html",
              "comparaison/report.html", "comparaison/indicators.csv"):
        assert (tmp_path / "out" / f).is_file(), f
