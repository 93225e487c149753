"""The result of an agglo operation: its tables as DataFrames, its summary as a dict."""

from __future__ import annotations

import json
import os


class Result:
    """What an operation returned.

    Attributes
    ----------
    tables : dict of str to pandas.DataFrame
        Every table, in the engine's order (the first is the main table). Numeric columns
        are views of the engine's memory, not copies.
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
        import pandas as pd

        self._raw = raw
        self.operation = operation
        self.tables = {}
        for i, name in enumerate(raw.table_names):
            data = {c: raw.column(i, k) for k, c in enumerate(raw.column_names(i))}
            self.tables[name] = pd.DataFrame(data, copy=False) if data else pd.DataFrame()
        self.table = next(iter(self.tables.values()), None)
        self.summary = json.loads(raw.summary_json) if raw.summary_json else {}
        self.warnings = list(raw.warnings)
        self.text = raw.text
        self.headline = raw.headline
        self.exit_code = raw.exit_code
        self.files = list(raw.files)

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
        shapes = ", ".join(f"{k}: {len(v)}×{len(v.columns)}" for k, v in self.tables.items())
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
        for name, t in list(self.tables.items())[:3]:
            parts.append(f"<p><code>{html.escape(name)}</code> ({len(t)} rows)</p>")
            parts.append(t.head(10).to_html())
        return "".join(parts)
