"""agglo — industrial cluster intelligence, in Python.

Every command of the ``agglo`` program is a function here, with the same options as keyword
arguments (``-`` becomes ``_``) and the same numbers: ``agglo specialize --employment F`` is
``agglo.specialize(employment=F)``, ``agglo survey model …`` is ``agglo.survey.model(…)``.
Inputs are paths or pandas DataFrames; results are :class:`agglo.Result` objects with the
tables as DataFrames::

    import agglo
    r = agglo.specialize(employment="tiny/employment.csv", summary=["regions"])
    r.table.head()            # region, industry, employment, lq, …
    r.tables["regions"]       # hoover, krugman, gini, diversity per region

Errors raise subclasses of :class:`agglo.Error` (``UsageError``, ``InvalidInput``,
``IoError``) with the engine's codes and the file, line and column; warnings are issued as
:class:`agglo.AggloWarning`. Long calls release the GIL, show a tqdm bar in terminals and
notebooks, and stop cleanly on Ctrl-C (KeyboardInterrupt). See docs/python.md.
"""

from __future__ import annotations

import os as _os

from . import _agglo
from ._api import run
from ._errors import (
    AggloWarning,
    Cancelled,
    Error,
    InternalError,
    InvalidInput,
    IoError,
    UsageError,
)
from ._result import Result

__version__ = _agglo.version()

# The bundled data (code names, geography) beside an installed package.
_here = _os.path.dirname(__file__)
if _os.path.isdir(_os.path.join(_here, "data", "names")):
    _agglo.set_data_dir(_os.path.join(_here, "data"))


def operations() -> list[str]:
    """The operations, named as the CLI names them."""
    return [op["name"] for op in _agglo.operations()]


from . import _api as _api_module  # noqa: E402

__all__ = [
    "run",
    "operations",
    "Result",
    "Error",
    "UsageError",
    "InvalidInput",
    "IoError",
    "InternalError",
    "Cancelled",
    "AggloWarning",
    "__version__",
]
import sys as _sys  # noqa: E402

__all__ += _api_module.install(_sys.modules[__name__])
