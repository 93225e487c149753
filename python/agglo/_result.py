"""The result of an agglo operation: its tables as DataFrames, its summary as a dict."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping


class Tables(Mapping):
    """The result's tables by name, in the engine's order. A table becomes a DataFrame when
    first looked up (numeric columns are views of the engine's memory; text columns are
    made into Python strings then), so a call whose tables are only written costs nothing."""

    def __init__(self, raw):
        self._raw = raw
        self._names = list(raw.table_names)
        self._frames = {}

    def __getitem__(self, name):
        frame = self._frames.get(name)
        if frame is None:
            if name not in self._names:
                raise KeyError(name)
            import pandas as pd

            i = self._names.index(name)
            raw = self._raw
            data = {c: raw.column(i, k) for k, c in enumerate(raw.column_names(i))}
            frame = pd.DataFrame(data, copy=False) if data else pd.DataFrame()
            self._frames[name] = frame
        return frame

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)

    def shape(self, name):
        """(rows, columns) of a table without making its DataFrame."""
        i = self._names.index(name)
        return self._raw.rows(i), len(self._raw.column_names(i))

    def __repr__(self):
        return "{" + ", ".join(f"{n!r}: <{r}×{c} table>" for n in self._names for r, c in [self.shape(n)]) + "}"


class Result:
    """What an operation returned.

    Attributes
    ----------
    tables : mapping of str to pandas.DataFrame
        Every table, in the engine's order (the first is the main table), made a DataFrame
        when first looked up. Numeric columns are views of the engine's memory, not copies.
    table : pandas.DataFrame or None
        The main table (``tables``' first).
    summary : dict
        The operation's summary (``summary.json`` in the CLI's output directory).
    warnings : list of str
        The warnings (also issued as :class:`agglo.AggloWarning`).
    text : str
        The report the CLI prints on standard output (empty for most operations).
    headline : str
        One line saying what the run found (the CLI prints it on stderr).
    exit_code : int
        0, or the CLI's exit code for an expected failure (``validate`` found problems).
    """

    def __init__(self, raw, operation: str):
        self._raw = raw
        self.operation = operation
        self.tables = Tables(raw)
        self.summary = json.loads(raw.summary_json) if raw.summary_json else {}
        self.warnings = list(raw.warnings)
        self.text = raw.text
        self.headline = raw.headline
        self.exit_code = raw.exit_code
        self.files = list(raw.files)

    @property
    def table(self):
        """The main table (the first of ``tables``), or None."""
        first = next(iter(self.tables), None)
        return None if first is None else self.tables[first]

    def write(self, path: str | os.PathLike) -> list[str]:
        """Writes the result as the CLI's ``-o PATH`` does (format from the extension:
        ``.csv``, ``.json``, ``.gpkg``, ``.geojson``, or a directory). Returns the paths."""
        return list(self._raw.write(os.fspath(path)))

    def to_workspace(self, path: str | os.PathLike) -> list[str]:
        """Adds every table as a layer of the GeoPackage workspace ``path`` (created when
        absent; same-named layers replaced), with point geometry where tables have lon/lat."""
        p = os.fspath(path)
        if not p.endswith(".gpkg"):
            raise ValueError(f"a workspace is a GeoPackage (.gpkg), got {p!r}")
        return self.write(p)

    def __getitem__(self, name: str):
        return self.tables[name]

    def __repr__(self) -> str:
        shapes = ", ".join(f"{k}: {r}×{c}" for k in self.tables for r, c in [self.tables.shape(k)])
        line = f"<agglo.Result of {self.operation}: {shapes or 'no tables'}>"
        return line + (f"\n{self.headline}" if self.headline else "")

    def _repr_html_(self) -> str:  # Jupyter
        import html

        parts = [f"<p><b>agglo {html.escape(self.operation)}</b>"]
        if self.headline:
            parts.append(f": {html.escape(self.headline)}")
        parts.append("</p>")
        if self.warnings:
            parts.append("<ul>" + "".join(f"<li>{html.escape(w)}</li>" for w in self.warnings[:10]) + "</ul>")
        for name in list(self.tables)[:3]:
            t = self.tables[name]
            parts.append(f"<p><code>{html.escape(name)}</code> ({len(t)} rows)</p>")
            parts.append(t.head(10).to_html())
        return "".join(parts)
