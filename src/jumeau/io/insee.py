"""The INSEE gridded population ("données carroyées", 200 m cells, Filosofi).

Accepts the GeoPackage / Shapefile distributions (fields ``ind``, ``men``,
``ind_65_79``, ``ind_80p``, and ``idcar_200m`` or ``id_car2010``/``idINSPIRE``), and the
CSV distribution, whose cells are rebuilt from their identifier
``CRS3035RES200mN{northing}E{easting}`` (lower-left corner, EPSG:3035).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from jumeau.errors import JumeauError
from jumeau.i18n import Text
from jumeau.io.vector import column, find_column, number, read_vector, require_file, text
from jumeau.territory.schema import conform

CELL_ID = re.compile(r"CRS(\d+)RES(\d+)mN(\d+)E(\d+)")


def cells_from_ids(ids: np.ndarray) -> tuple[np.ndarray, int]:
    """Square cells rebuilt from INSEE cell identifiers, and their EPSG code."""
    parsed = [CELL_ID.search(str(i)) for i in ids]
    if not parsed or any(p is None for p in parsed):
        bad = next(str(i) for i, p in zip(ids, parsed) if p is None)
        raise ValueError(bad)
    epsg = int(parsed[0].group(1))
    size = np.array([float(p.group(2)) for p in parsed])
    north = np.array([float(p.group(3)) for p in parsed])
    east = np.array([float(p.group(4)) for p in parsed])
    return shapely.box(east, north, east + size, north + size), epsg


def read_population_grid(path: Path, options: dict) -> gpd.GeoDataFrame:
    """INSEE 200 m grid → canonical ``population`` layer."""
    require_file(path)
    if path.suffix.lower() == ".csv":
        raw = pd.read_csv(path, sep=None, engine="python", dtype=str)
        id_col = find_column(raw, "idcar_200m", "idINSPIRE", "id_carr200m", "id_car2010", "id")
        if id_col is None:
            raise _missing(path, "idcar_200m", raw)
        try:
            geoms, epsg = cells_from_ids(raw[id_col].to_numpy())
        except ValueError as exc:
            raise JumeauError(
                Text("identifiant de carreau illisible : {v}", "unreadable cell identifier: {v}"
                     ).format(v=exc), path=path, field=id_col,
                fix=Text("les identifiants attendus ressemblent à CRS3035RES200mN2387600E3728800",
                         "identifiers should look like CRS3035RES200mN2387600E3728800")) from None
        raw = gpd.GeoDataFrame(raw, geometry=geoms, crs=f"EPSG:{epsg}")
    else:
        raw = read_vector(path, layer=options.get("layer"), encoding=options.get("encoding"))
    ind = find_column(raw, "ind", "ind_c", "pop", "population")
    if ind is None:
        raise _missing(path, "ind", raw)
    frame = gpd.GeoDataFrame({
        "cell_id": text(column(raw, "idcar_200m", "id_car2010", "idINSPIRE", "id_carr200m",
                               "id", default="")),
        "population": number(raw[ind]),
        "households": number(column(raw, "men", "men_c")),
        "population_65_79": number(column(raw, "ind_65_79")),
        "population_80p": number(column(raw, "ind_80p")),
    }, geometry=raw.geometry.values, crs=raw.crs)
    frame["population"] = np.nan_to_num(frame["population"].to_numpy(float))
    return conform(frame, "population")


def _missing(path: Path, field: str, raw: pd.DataFrame) -> JumeauError:
    from jumeau.errors import did_you_mean

    cols = [str(c) for c in raw.columns if c != "geometry"]
    return JumeauError(
        Text("colonne « {f} » (population par carreau) absente", "column '{f}' (population per "
             "cell) is missing").format(f=field), path=path, field=field,
        fix=did_you_mean(field, cols) or Text(
            "colonnes du fichier : {c} ; indiquez la bonne avec `columns: {{population: …}}`",
            "columns in the file: {c}; name the right one with `columns: {{population: …}}`"
        ).format(c=", ".join(cols[:15])))


LAYERS = {"population": read_population_grid}
