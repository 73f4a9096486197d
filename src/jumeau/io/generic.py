"""Any vector file (GeoJSON, GeoPackage, Shapefile, …) with a column mapping.

The manifest says which source column feeds which canonical column, and optionally how
to translate values::

    buildings:
      path: batiments.geojson
      columns: {height_m: HAUTEUR, building_id: ID, use: TYPE}
      values: {use: {Maison: residential, Atelier: industrial}}

Columns not mapped keep their "unknown" value and are estimated later; a mapped column
that is not in the file is an error naming the file, the column and the closest match.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np

from jumeau.errors import JumeauError, did_you_mean
from jumeau.i18n import Text
from jumeau.io.vector import find_column, read_vector
from jumeau.territory.schema import SCHEMAS, conform


def read_generic(path: Path, layer: str, options: dict) -> gpd.GeoDataFrame:
    """Read ``path`` and map its columns onto the canonical ``layer``."""
    raw = read_vector(path, layer=options.get("layer"), encoding=options.get("encoding"))
    mapping = dict(options.get("columns") or {})
    values = dict(options.get("values") or {})
    schema = SCHEMAS[layer]
    data = {}
    available = [str(c) for c in raw.columns if c != raw.geometry.name]
    for target, source in mapping.items():
        if target not in schema:
            raise JumeauError(
                Text("colonne canonique inconnue « {t} » pour la couche {l}",
                     "unknown canonical column '{t}' for layer {l}").format(t=target, l=layer),
                path=path, field=f"columns.{target}",
                fix=did_you_mean(target, schema) or Text("colonnes possibles : {c}",
                                                         "possible columns: {c}").format(
                    c=", ".join(schema)))
        hit = find_column(raw, str(source))
        if hit is None:
            raise JumeauError(
                Text("colonne « {s} » absente du fichier (demandée pour {t})",
                     "column '{s}' is not in the file (asked for {t})").format(s=source, t=target),
                path=path, field=str(source),
                fix=did_you_mean(str(source), available) or Text(
                    "colonnes du fichier : {c}", "columns in the file: {c}").format(
                    c=", ".join(available) or "—"))
        data[target] = raw[hit].to_numpy()
    for target, table in values.items():
        if target not in data:
            raise JumeauError(
                Text("`values` traduit « {t} », qui n'est pas dans `columns`",
                     "`values` translates '{t}', which is not in `columns`").format(t=target),
                path=path, field=f"values.{target}",
                fix=Text("ajoutez {t} à `columns`", "add {t} to `columns`").format(t=target))
        lookup = {str(k): v for k, v in table.items()}
        data[target] = np.array([lookup.get(str(v), v) for v in data[target]], dtype=object)
    frame = gpd.GeoDataFrame(data, geometry=raw.geometry.values, crs=raw.crs)
    return conform(frame, layer)
