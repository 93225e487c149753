"""One Python function per registered operation, generated from the engine's registry.

Nothing here is written per operation: names, keyword arguments, defaults, choices, bounds
and docstrings come from the same option descriptions as the CLI's flags and ``--help``
(DESIGN.md, "options described once"). Values are converted to the same text the CLI passes
(``True`` → ``"true"``, lists → ``"a,b"``), so a call and the command line it corresponds to
go through the same parser and checks.
"""

from __future__ import annotations

import inspect
import os
import shlex
import sys
import types
import warnings as _warnings

from . import _agglo
from ._convert import InputTables
from ._errors import AggloWarning, Error, from_engine
from ._result import Result

#: Options every operation accepts, as the CLI's global flags.
GLOBAL_OPTIONS = ("seed", "threads", "names", "progress", "output")


def py_name(name: str) -> str:
    """The Python name of an option or command: ``-`` → ``_``, and a trailing ``_`` for
    Python keywords (``--from`` is ``from_``)."""
    import keyword

    n = name.replace("-", "_")
    return n + "_" if keyword.iskeyword(n) else n


def _default(o: dict):
    text, kind = o["default"], o["type"]
    if kind == "boolean":
        return text == "true"
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "real":
        return float(text)
    if kind == "list":
        return text.split(",")
    return text


def _annotation(o: dict) -> str:
    kind = o["type"]
    return {
        "boolean": "bool",
        "integer": "int",
        "real": "float",
        "list": "list[str] | str",
        "path": "str | os.PathLike | pandas.DataFrame",
    }.get(kind, "str")


def _type_words(o: dict) -> str:
    kind = o["type"]
    words = {
        "boolean": "bool",
        "integer": "int",
        "real": "float",
        "list": "list of str",
        "path": "str, os.PathLike or pandas.DataFrame",
        "text": "str",
    }[kind]
    if o["required"]:
        return words
    d = o["default"]
    if kind == "boolean":
        return f"{words}, default {d.capitalize()}"
    if d == "":
        return f"{words}, optional"
    return f"{words}, default {d!r}" if kind in ("text", "list") else f"{words}, default {d}"


def _python_example(cli: str) -> str | None:
    """``agglo kdensity --establishments F --industry 336111 -o kd/`` → a Python call."""
    try:
        words = shlex.split(cli)
    except ValueError:
        return None
    if not words or words[0] != "agglo":
        return None
    ops = {op["name"]: op for op in _agglo.operations()}
    words = words[1:]
    name = None
    for n in (" ".join(words[:2]), words[0] if words else ""):
        if n in ops:
            name = n
            break
    if name is None:
        return None
    words = words[len(name.split()):]
    options = {o["name"]: o for o in ops[name]["options"]}
    args, i = [], 0
    while i < len(words):
        w = words[i]
        if w in ("-o", "--output"):
            i += 2
            continue
        if not w.startswith("--"):
            return None
        key = w[2:]
        value = None
        if "=" in key:
            key, value = key.split("=", 1)
        if key in ("threads", "seed"):
            value = words[i + 1]
            args.append(f"{key}={value}")
            i += 2
            continue
        o = options.get(key)
        if o is None:
            return None
        if o["type"] == "boolean" and value is None:
            args.append(f"{py_name(key)}=True")
            i += 1
            continue
        if value is None:
            if i + 1 >= len(words):
                return None
            value = words[i + 1]
            i += 1
        i += 1
        if o["type"] in ("integer", "real"):
            args.append(f"{py_name(key)}={value}")
        elif o["type"] == "list":
            args.append(f"{py_name(key)}={value.split(',')!r}")
        else:
            args.append(f"{py_name(key)}={value!r}")
    call = f"agglo.{'.'.join(py_name(p) for p in name.split())}({', '.join(args)})"
    return call


def docstring(op: dict) -> str:
    """numpydoc text from the operation's description — the same words as ``agglo NAME --help``."""
    lines = [op["summary"], ""]
    if op["description"]:
        lines += [op["description"], ""]
    lines += ["Parameters", "----------"]
    for o in op["options"]:
        lines.append(f"{py_name(o['name'])} : {_type_words(o)}")
        doc = o["doc"]
        if o["choices"]:
            doc += f" [{', '.join(o['choices'])}]"
        bounds = []
        if o["min"] is not None:
            bounds.append(f"at least {o['min']:g}")
        if o["max"] is not None:
            bounds.append(f"at most {o['max']:g}")
        if bounds:
            doc += f" ({' and '.join(bounds)})"
        if o["required"]:
            doc += " (required)"
        lines.append(f"    {doc}")
    lines += [
        f"seed : int, default {_agglo.default_seed()}",
        "    seed of every random stream; the same seed gives the same result for any thread count (--seed)",
        "threads : int, default 0",
        "    worker threads, 0 = all cores (--threads)",
        "names : bool, default True",
        "    add <code>_name columns beside industry, product, country and county codes (--no-names)",
        "progress : bool or callable, optional",
        "    a progress bar (tqdm) for long work: None shows one in terminals and notebooks, False none;",
        "    a callable is called as progress(label, done, total, unit)",
        "output : str or os.PathLike, optional",
        "    also write the result there, as the CLI's -o (format from the extension: .csv, .json, .gpkg,",
        "    .geojson, or a directory); needed by operations that write a directory (synth, demo)",
        "",
        "Returns",
        "-------",
        "agglo.Result",
        f"    Output (-o): {op['output_doc']}" if op["output_doc"] else "    the operation's tables, summary and warnings",
    ]
    if op["examples"]:
        lines += ["", "Examples", "--------", "On the command line::", ""]
        lines += [f"    {e}" for e in op["examples"]]
        calls = [c for c in (_python_example(e) for e in op["examples"]) if c]
        if calls:
            lines += ["", "The same in Python::", ""]
            lines += [f"    {c}" for c in calls]
    return "\n".join(lines)


def _text_value(o: dict, value, tables: InputTables) -> str:
    kind = o["type"]
    if kind == "path":
        return tables.source(o["name"], value)
    if kind == "boolean":
        if not isinstance(value, (bool, int)):
            raise TypeError(f"{py_name(o['name'])}: expected True or False, got {value!r}")
        return "true" if value else "false"
    if kind == "list":
        if isinstance(value, str):
            return value
        return ",".join(str(v) for v in value)
    if isinstance(value, bool):
        raise TypeError(f"{py_name(o['name'])}: expected a number, got {value!r}")
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _progress_callback(progress):
    if progress is False:
        return None, None
    if callable(progress):
        return progress, None
    # None (auto): a bar in a terminal or a notebook; True: always.
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None, None
    if progress is None:
        interactive = "ipykernel" in sys.modules or (hasattr(sys.stderr, "isatty") and sys.stderr.isatty())
        if not interactive:
            return None, None
    bars = {}

    def update(label, done, total, unit):
        bar = bars.get("bar")
        if bar is None or bars.get("label") != label:
            if bar is not None:
                bar.close()
            bar = tqdm(total=total or None, desc=label, unit=unit or "it", leave=False)
            bars["bar"], bars["label"] = bar, label
        bar.n = done
        bar.refresh()

    def close():
        if bars.get("bar") is not None:
            bars["bar"].close()

    return update, close


def call(op: dict, kwargs: dict) -> Result:
    """Runs operation ``op`` (a registry entry) with Python keyword arguments."""
    options = {py_name(o["name"]): o for o in op["options"]}
    seed = kwargs.pop("seed", None)
    threads = kwargs.pop("threads", 0)
    names = kwargs.pop("names", True)
    progress = kwargs.pop("progress", None)
    output = kwargs.pop("output", None)
    output = "" if output is None else os.fspath(output)
    for key in kwargs:
        if key not in options:
            import difflib

            near = difflib.get_close_matches(key, list(options) + list(GLOBAL_OPTIONS), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise TypeError(f"agglo.{py_name(op['name']).replace(' ', '.')}() got an unexpected keyword argument {key!r}{hint}")
    missing = [k for k, o in options.items() if o["required"] and kwargs.get(k) is None]
    if missing:
        raise TypeError(f"agglo.{py_name(op['name']).replace(' ', '.')}() missing required argument(s): {', '.join(missing)}")
    update, close = _progress_callback(progress)
    with InputTables() as tables:
        params = {}
        for key, value in kwargs.items():
            if value is None:
                continue
            o = options[key]
            # Booleans at their default are left out, as the CLI leaves out an absent flag.
            if o["type"] == "boolean" and not value and o["default"] != "true":
                continue
            params[o["name"]] = _text_value(o, value, tables)
        try:
            raw = _agglo.run(
                op["name"],
                params,
                _agglo.default_seed() if seed is None else int(seed),
                int(threads),
                bool(names),
                output,
                update,
                None,
            )
        except _agglo.EngineError as e:
            info = e.args[0] if e.args and isinstance(e.args[0], dict) else {"message": str(e)}
            raise from_engine(info, tables.frames) from None
        finally:
            if close:
                close()
    written = None
    if output and not raw.output_written:
        # as the CLI's -o: the engine writes the tables (operations that wrote their output
        # themselves, synth and demo, have done so already)
        try:
            written = list(raw.write(output))
        except _agglo.EngineError as e:
            info = e.args[0] if e.args and isinstance(e.args[0], dict) else {"message": str(e)}
            raise from_engine(info) from None
    result = Result(raw, op["name"])
    if written is not None:
        result.files = written
    for w in result.warnings:
        _warnings.warn(w, AggloWarning, stacklevel=3)
    return result


def make_function(op: dict):
    params = []
    for o in op["options"]:
        default = inspect.Parameter.empty if o["required"] else _default(o)
        params.append(
            inspect.Parameter(py_name(o["name"]), inspect.Parameter.KEYWORD_ONLY, default=default, annotation=_annotation(o))
        )
    params += [
        inspect.Parameter("seed", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="int | None"),
        inspect.Parameter("threads", inspect.Parameter.KEYWORD_ONLY, default=0, annotation="int"),
        inspect.Parameter("names", inspect.Parameter.KEYWORD_ONLY, default=True, annotation="bool"),
        inspect.Parameter("progress", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="bool | Callable | None"),
        inspect.Parameter("output", inspect.Parameter.KEYWORD_ONLY, default=None, annotation="str | os.PathLike | None"),
    ]
    signature = inspect.Signature(params, return_annotation="agglo.Result")
    leaf = py_name(op["name"].split(" ")[-1])

    def fn(**kwargs):
        return call(op, kwargs)

    fn.__name__ = leaf
    fn.__qualname__ = leaf
    fn.__doc__ = docstring(op)
    fn.__signature__ = signature
    fn.__module__ = "agglo" if " " not in op["name"] else f"agglo.{py_name(op['name'].split(' ')[0])}"
    fn.operation = op["name"]
    return fn


def install(package: types.ModuleType) -> list[str]:
    """Adds every operation to ``package`` (nested commands as submodules). Returns the names."""
    names = []
    for op in _agglo.operations():
        parts = op["name"].split(" ")
        fn = make_function(op)
        if len(parts) == 1:
            setattr(package, py_name(parts[0]), fn)
            names.append(py_name(parts[0]))
            continue
        group = py_name(parts[0])
        sub = getattr(package, group, None)
        if not isinstance(sub, types.ModuleType):
            sub = types.ModuleType(f"{package.__name__}.{group}", f"agglo {parts[0]} commands")
            sub.__all__ = []
            setattr(package, group, sub)
            sys.modules[sub.__name__] = sub
            names.append(group)
        setattr(sub, py_name(parts[1]), fn)
        sub.__all__.append(py_name(parts[1]))
    return names


def run(name: str, **kwargs) -> Result:
    """Runs the operation ``name`` as the CLI names it (``"survey model"``, ``"define-clusters"``)."""
    for op in _agglo.operations():
        if op["name"] == name:
            return call(op, kwargs)
    raise from_engine({"kind": 2, "code": 103, "code_name": "unknown_operation", "message": f"unknown operation '{name}'"})


__all__ = ["install", "run", "docstring", "call"]
