"""The workshop notebooks run from top to bottom (code cells executed in order), and what
they claim to have written is there."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

#: Faster values for the cells tagged "parameters" (same code paths, shorter runs).
OVERRIDES = {"DUREE_H": 0.5}

#: A path a cell prints (``… → out/atelier/mur/map.html``).
PRINTED_FILE = re.compile(r"[\w./\\-]+\.(?:html|json|csv|gpkg|tif|png|yaml)\b")


def run_outputs(namespace: dict) -> list:
    """Every run result the notebook kept (objects with ``out_dir`` and ``files``), also
    inside dicts and lists."""
    found = []
    for value in namespace.values():
        items = value.values() if isinstance(value, dict) else value if isinstance(
            value, (list, tuple)) else [value]
        for item in items:
            if hasattr(item, "out_dir") and hasattr(item, "files"):
                found.append(item)
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, tmp_path, monkeypatch):
    """Every code cell runs; every file a cell prints exists; every run the notebook
    keeps wrote each of its files, and its indicators.json holds its indicators."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {"__name__": "__main__"}
    monkeypatch.chdir(tmp_path)
    ran, printed = 0, []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile("".join(cell["source"]), f"{path.name}[{ran}]", "exec"), namespace)
        printed += PRINTED_FILE.findall(out.getvalue())
        ran += 1
        if "parameters" in cell["metadata"].get("tags", []):
            namespace.update(OVERRIDES)
    assert ran >= 5
    missing = [p for p in printed if not (tmp_path / p).exists() and not Path(p).exists()]
    assert not missing, missing
    runs = run_outputs(namespace)
    assert runs or printed, "the notebook shows no result"
    for result in runs:
        if result.out_dir is None:
            continue
        out_dir = tmp_path / result.out_dir
        assert result.files and all((out_dir / f).is_file() for f in result.files)
        written = [f for f in result.files if f.endswith("indicators.json")]
        for name in written:
            data = json.loads((out_dir / name).read_text(encoding="utf-8"))
            assert data.get("indicators") or data.get("variants"), name
