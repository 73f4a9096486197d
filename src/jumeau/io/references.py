"""Reading the files named in scenario parameters, once, when the scenario loads.

:func:`resolve` walks validated parameter models and reads every
:class:`jumeau.scenario.refs.FileRef` it finds; simulations then use ``.value``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pydantic import BaseModel

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.scenario.refs import FileRef


def resolve(model: object) -> None:
    """Read every file reference inside ``model`` (models, lists, dicts), in place."""
    if isinstance(model, FileRef):
        if not model.resolved:
            model.set_value(_READERS[model.reads](model))
        return
    if isinstance(model, BaseModel):
        for name in type(model).model_fields:
            resolve(getattr(model, name))
    elif isinstance(model, (list, tuple)):
        for item in model:
            resolve(item)
    elif isinstance(model, dict):
        for item in model.values():
            resolve(item)


def _feature(ref) -> object:
    from jumeau.errors import did_you_mean
    from jumeau.io.vector import read_vector

    frame = read_vector(Path(ref.path))
    if "name" not in frame.columns or ref.name not in set(frame["name"]):
        names = sorted(map(str, frame.get("name", [])))
        raise JumeauError(Text("aucun objet nommé « {n} »", "no feature named '{n}'").format(
            n=ref.name), path=Path(ref.path), field="name",
            fix=did_you_mean(ref.name, names) or Text("noms : {c}", "names: {c}").format(
                c=", ".join(names) or "—"))
    return frame.geometry[frame["name"] == ref.name].iloc[0]


def _vector(ref) -> object:
    from jumeau.io.vector import read_vector

    return read_vector(Path(ref.path), layer=ref.layer) if ref.layer else \
        read_vector(Path(ref.path))


def _table(ref) -> pd.DataFrame:
    try:
        return pd.read_csv(ref.path)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise JumeauError(Text("tableau illisible : {e}", "unreadable table: {e}").format(
            e=exc), path=Path(ref.path),
            fix=Text("donnez un fichier CSV encodé en UTF-8, séparé par des virgules",
                     "give a comma-separated CSV file in UTF-8")) from None


def _raster(ref) -> object:
    import numpy as np
    import rasterio
    from pyproj import CRS

    from jumeau.territory.terrain import Terrain

    try:
        with rasterio.open(ref.path) as src:
            values = src.read(1, masked=True).astype("float64").filled(np.nan)
            crs = src.crs
            transform = src.transform
    except rasterio.errors.RasterioIOError as exc:
        raise JumeauError(Text("raster illisible : {e}", "unreadable raster: {e}").format(e=exc),
                          path=Path(ref.path), fix=Text("donnez un GeoTIFF valide",
                                                        "give a valid GeoTIFF")) from None
    if crs is None or CRS.from_user_input(crs).is_geographic:
        raise JumeauError(Text("le raster n'a pas de système de coordonnées projeté",
                               "the raster has no projected coordinate system"),
                          path=Path(ref.path), fix=Text(
                              "reprojetez-le en Lambert-93 (EPSG:2154) avec son CRS",
                              "reproject it to Lambert-93 (EPSG:2154) with its CRS"))
    return Terrain(values, transform, CRS.from_user_input(crs), source=str(ref.path))


def _file(ref) -> Path:
    return Path(ref.path)


_READERS = {"feature": _feature, "vector": _vector, "table": _table, "raster": _raster,
            "file": _file}
