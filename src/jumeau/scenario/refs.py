"""References to files in scenario parameters, read once when the scenario loads.

A parameter that names a file is typed with one of these models. Validation checks that
the file exists (relative to the scenario file); :func:`jumeau.io.references.resolve`
reads it once, when the scenario is read, and the simulation uses ``.value`` — it never
opens a file itself.

::

    line: {path: repères.geojson, name: quai}     # FeatureRef: one named feature
    footprints: {path: projet.gpkg}               # VectorRef: a whole layer
    damage_table: courbes.csv                     # TableRef (a bare path is accepted)
    et0: {path: et0.tif}                          # RasterRef

Examples
--------
>>> ref = FeatureRef.model_construct(path="x.geojson", name="quai")
>>> ref.resolved
False
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationInfo, field_validator, \
    model_validator


class FileRef(BaseModel):
    """A file named in a scenario (``path`` relative to the scenario file)."""

    model_config = ConfigDict(extra="forbid")

    #: What :func:`jumeau.io.references.resolve` reads it as.
    reads: ClassVar[str] = "file"

    path: str
    _value: Any = PrivateAttr(default=None)
    _resolved: bool = PrivateAttr(default=False)

    @model_validator(mode="before")
    @classmethod
    def _bare_path(cls, value: Any) -> Any:
        return {"path": value} if isinstance(value, (str, Path)) else value

    @field_validator("path")
    @classmethod
    def _exists(cls, value: str, info: ValidationInfo) -> str:
        base = (info.context or {}).get("scenario_dir")
        full = Path(value) if base is None or Path(value).is_absolute() else Path(base) / value
        if not full.exists():
            raise ValueError(f"file not found: {value} (paths are relative to the scenario)")
        return str(full)

    @property
    def resolved(self) -> bool:
        """Whether the file has been read."""
        return self._resolved

    @property
    def value(self) -> Any:
        """What the file holds (read by :mod:`jumeau.io` when the scenario loaded)."""
        if not self._resolved:
            raise RuntimeError(f"{self.path} was not read: load scenarios with "
                               "jumeau.read_scenario (or call jumeau.io.references.resolve)")
        return self._value

    def set_value(self, value: Any) -> None:
        """Called by :mod:`jumeau.io` once the file is read."""
        self._value, self._resolved = value, True


class FeatureRef(FileRef):
    """One feature of a vector file, chosen by its ``name`` property; ``.value`` is its
    geometry (in the territory's CRS)."""

    reads: ClassVar[str] = "feature"
    name: str

    @model_validator(mode="before")
    @classmethod
    def _bare_path(cls, value: Any) -> Any:
        return value


class VectorRef(FileRef):
    """A vector layer (GeoJSON, GeoPackage, Shapefile); ``.value`` is a GeoDataFrame."""

    reads: ClassVar[str] = "vector"
    layer: str | None = None


class TableRef(FileRef):
    """A CSV table; ``.value`` is a DataFrame."""

    reads: ClassVar[str] = "table"


class RasterRef(FileRef):
    """A raster (GeoTIFF, ASCII grid); ``.value`` is a :class:`~jumeau.territory.terrain.Terrain`."""

    reads: ClassVar[str] = "raster"
