"""Tables in memory, handed to the engine without temporary files.

A pandas DataFrame passed where the CLI takes a path becomes an in-memory table of the engine
(``mem://N``) read by the same loader as files, with the same checks and messages. Numeric
columns are passed as NumPy arrays without copying where their layout allows (contiguous
float64/int64), text columns as their object arrays, whose strings the engine views (and
dictionary-encodes by object identity where pandas shares equal strings) without copying;
Categorical columns as codes and categories. A GeoDataFrame of points gets ``lon``/``lat``
columns (EPSG:4326) from its geometry; one of polygons is written as GeoJSON to GDAL's
in-memory file system (``/vsimem/``), which every GDAL-aware loader opens like a file.
"""

from __future__ import annotations

import itertools
import os
import sys

import numpy as np

from . import _agglo

_counter = itertools.count(1)


def _is_dataframe(value) -> bool:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return False
    return isinstance(value, pd.DataFrame)


def _is_geodataframe(value) -> bool:
    # A GeoDataFrame exists only once geopandas is imported: never import it here (it is slow
    # to import, and pyproj warns in a venv without PROJ data).
    gpd = sys.modules.get("geopandas")
    return gpd is not None and isinstance(value, gpd.GeoDataFrame)


def _column(name: str, s):
    """(name, kind, values[, mask]) for one pandas Series."""
    import pandas as pd

    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        # codes and categories: each category becomes a string once, in the engine
        return (name, "categorical", np.ascontiguousarray(s.cat.codes.to_numpy(), dtype=np.int64),
                [str(v) for v in s.cat.categories.tolist()])
    if pd.api.types.is_bool_dtype(dtype):
        if isinstance(dtype, pd.BooleanDtype):
            mask = (~s.isna()).to_numpy(dtype=np.uint8)
            return (name, "boolean", s.fillna(False).to_numpy(dtype=np.uint8), mask)
        return (name, "boolean", s.to_numpy(dtype=np.uint8))
    if pd.api.types.is_integer_dtype(dtype):
        if pd.api.types.is_extension_array_dtype(dtype):  # Int64 with <NA>
            mask = (~s.isna()).to_numpy(dtype=np.uint8)
            return (name, "integer", s.fillna(0).to_numpy(dtype=np.int64), mask)
        return (name, "integer", np.ascontiguousarray(s.to_numpy(), dtype=np.int64))
    if pd.api.types.is_float_dtype(dtype):
        if pd.api.types.is_extension_array_dtype(dtype):
            return (name, "real", s.to_numpy(dtype=np.float64, na_value=np.nan))
        return (name, "real", np.ascontiguousarray(s.to_numpy(), dtype=np.float64))
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return (name, "text", [None if pd.isna(v) else v.isoformat() for v in s])
    # object, string: text, handed over as the object column's own buffer (no copy here).
    # None, NaN, pd.NA and NaT are missing cells: the engine recognises them while it walks
    # the cells, which is cheaper than a pandas pass (s.hasnans) over 2 million objects.
    if dtype != object:  # pandas' string dtypes hold str and pd.NA
        s = s.astype(object)
    return (name, "text", s.to_numpy(dtype=object))


class InputTables:
    """Registers the DataFrames of one call and releases them afterwards (a context manager)."""

    def __init__(self):
        self.handles: list[str] = []
        self.vsimem: list[str] = []
        self.frames: dict[str, object] = {}  # label -> DataFrame, to name rows in errors

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for h in self.handles:
            _agglo.unregister_table(h)
        for p in self.vsimem:
            _agglo.vsimem_unlink(p)
        self.handles.clear()
        self.vsimem.clear()
        return False

    def source(self, option: str, value):
        """The text the engine receives for an input option's value."""
        if _is_geodataframe(value):
            return self._geodataframe(option, value)
        if _is_dataframe(value):
            return self._dataframe(option, value)
        if isinstance(value, (str, os.PathLike)):
            return os.fspath(value)
        raise TypeError(f"{option}: expected a path or a pandas DataFrame, got {type(value).__name__}")

    def _dataframe(self, option: str, df, label: str | None = None):
        import pandas as pd

        # A named index (region codes as the index) is a column like the others.
        if not isinstance(df.index, pd.RangeIndex) and any(n is not None for n in df.index.names):
            df = df.reset_index()
        label = label or f"DataFrame '{option}'"
        columns = []
        for name in df.columns:
            s = df[name]
            if isinstance(s, pd.DataFrame):
                raise ValueError(f"{label}: column name {name!r} appears twice")
            columns.append(_column(str(name), s))
        handle = _agglo.register_table(label, len(df), columns)
        self.handles.append(handle)
        self.frames[label] = df
        return handle

    def _geodataframe(self, option: str, gdf):
        geom = gdf.geometry
        label = f"GeoDataFrame '{option}'"
        if len(gdf) and geom.geom_type.isin(["Point"]).all():
            pts = gdf
            if gdf.crs is not None and not gdf.crs.is_geographic:
                pts = gdf.to_crs(4326)
            elif gdf.crs is not None and gdf.crs.to_epsg() not in (4326, None):
                pts = gdf.to_crs(4326)
            df = pts.drop(columns=pts.geometry.name).copy()
            if gdf.crs is None and not (geom.x.between(-180, 180).all() and geom.y.between(-90, 90).all()):
                df["x"], df["y"] = pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()
            else:
                df["lon"], df["lat"] = pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy()
            return self._dataframe(option, df, label)
        # Polygons (regions): GeoJSON in GDAL's memory file system, in EPSG:4326 (RFC 7946).
        g = gdf.to_crs(4326) if gdf.crs is not None and gdf.crs.to_epsg() != 4326 else gdf
        path = f"/vsimem/agglo_{os.getpid()}_{next(_counter)}.geojson"
        _agglo.vsimem_write(path, g.to_json().encode("utf-8"))
        self.vsimem.append(path)
        return path
