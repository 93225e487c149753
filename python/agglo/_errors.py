"""Exceptions of the agglo module: the engine's three tiers of errors, as Python exceptions.

Every engine error becomes a subclass of :class:`agglo.Error` carrying the engine's stable
code (``code``, ``code_name``, the same numbers the CLI's JSON output uses) and where the
problem is (``file``, ``line``, ``column``, ``column_name``). For a DataFrame input, ``file``
is ``"DataFrame 'employment'"``, ``line`` the 0-based row position and ``row`` the row's
index label.
"""

from __future__ import annotations


class Error(Exception):
    """An error reported by the agglo engine."""

    #: exit code of the CLI for the same error (2 usage, 3 input, 4 I/O, 5 internal, 130 cancelled)
    exit_code = 1

    def __init__(self, message: str, info: dict | None = None):
        super().__init__(message)
        info = info or {}
        self.message = info.get("message", message)
        self.hint = info.get("hint", "")
        self.code = info.get("code", 0)
        self.code_name = info.get("code_name", "unknown")
        self.file = info.get("file") or None
        self.line = info.get("line") or None
        self.column = info.get("column") or None
        self.column_name = info.get("column_name") or None
        self.row = None
        if info.get("is_row"):
            self.line = info.get("line", 0)
            self.row = self.line


class UsageError(Error, ValueError):
    """Wrong options or option values (the CLI's exit code 2)."""

    exit_code = 2


class InvalidInput(Error, ValueError):
    """Invalid input data: a bad value, a missing column, a duplicate row (exit code 3)."""

    exit_code = 3


class IoError(Error, OSError):
    """A file that cannot be read or written, a GDAL failure (exit code 4)."""

    exit_code = 4


class InternalError(Error):
    """A bug in agglo (exit code 5): please report it."""

    exit_code = 5


class Cancelled(Error):
    """The run was cancelled (exit code 130)."""

    exit_code = 130


class AggloWarning(UserWarning):
    """A warning of an agglo operation (a small sample, excluded regions, a detected layout)."""


_BY_KIND = {2: UsageError, 3: InvalidInput, 4: IoError, 5: InternalError, 130: Cancelled}


def from_engine(info: dict, frames: dict | None = None) -> Error:
    """The exception for an engine error ``info`` (a dict from agglo._agglo.EngineError).

    ``frames`` maps the labels of in-memory tables to their DataFrames, so that a row
    position can be named by its index label.
    """
    cls = _BY_KIND.get(info.get("kind"), Error)
    text = info.get("text") or info.get("message", "")
    err = cls(text, info)
    if info.get("is_row") and frames and info.get("file") in frames:
        df = frames[info["file"]]
        pos = int(info.get("line", 0))
        if 0 <= pos < len(df.index):
            label = df.index[pos]
            err.row = label
            if not (isinstance(label, (int,)) and label == pos):
                text = text.replace(f"row {pos}", f"row {pos} (index {label!r})", 1)
                err.args = (text,)
    return err
