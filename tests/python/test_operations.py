"""Every registered operation, called from Python and from the CLI on the same bundled data,
gives the same bytes: the result written to CSV (the CLI's -o DIR, the Python result's
.write(DIR)), the same report on standard output, the same exit code; and the DataFrames
hold the very numbers of those CSV files. The arguments live in tests/python/operations.py,
one line per operation; an operation registered without a line there fails here by name.
"""

import math
import os
import pathlib
import re
import shlex
import warnings

import numpy as np
import pandas as pd
import pytest

import agglo
from agglo import _agglo
from agglo._api import py_name
from conftest import run_cli
from operations import OPERATIONS, OUTPUTS, VOLATILE

REGISTRY = {op["name"]: op for op in _agglo.operations()}


def function(name):
    obj = agglo
    for part in name.split(" "):
        obj = getattr(obj, py_name(part))
    return obj


def python_kwargs(name, words):
    """The keyword arguments of the Python call that the CLI words correspond to, typed as the
    registry types each option (so the Python side is called with ints, floats, lists, bools)."""
    options = {o["name"]: o for o in REGISTRY[name]["options"]}
    kwargs, i = {}, 0
    while i < len(words):
        word = words[i]
        assert word.startswith("--"), f"{name}: '{word}' in tests/python/operations.py is not an option"
        key, value = word[2:], None
        if "=" in key:
            key, value = key.split("=", 1)
        if key in ("seed", "threads"):
            kwargs[key] = int(words[i + 1] if value is None else value)
            i += 1 if value is not None else 2
            continue
        assert key in options, f"{name}: --{key} (tests/python/operations.py) is not an option of the operation"
        o = options[key]
        if o["type"] == "boolean" and value is None:
            kwargs[py_name(key)] = True
            i += 1
            continue
        if value is None:
            value = words[i + 1]
            i += 1
        i += 1
        if o["type"] == "integer":
            typed = int(value)
        elif o["type"] == "real":
            typed = float(value)
        elif o["type"] == "list":
            typed = kwargs.get(py_name(key), []) + value.split(",")  # a repeated flag adds
        else:
            typed = value
        kwargs[py_name(key)] = typed
    return kwargs


def files_under(d):
    return sorted(str(p.relative_to(d)) for p in pathlib.Path(d).rglob("*") if p.is_file())


def normalised(name, data):
    for suffix, pattern in VOLATILE:
        if name.endswith(suffix):
            data = re.sub(pattern.encode(), b"<volatile>", data)
    return data


def number(text):
    if text == "":
        return math.nan
    return float(text)


def check_frames_hold_the_csv_numbers(result, out_dir, name):
    """Each DataFrame of the result against the CSV file written for its table."""
    checked = 0
    for table, frame in result.tables.items():
        path = pathlib.Path(out_dir) / f"{table}.csv"
        if not path.exists():
            continue
        csv = pd.read_csv(path, dtype=str, keep_default_na=False)
        assert list(csv.columns) == list(frame.columns), (name, table)
        assert len(csv) == len(frame), (name, table)
        for col in frame.columns:
            values = frame[col]
            if values.dtype.kind in "fi":
                parsed = np.array([number(t) for t in csv[col]], dtype=float)
                assert np.array_equal(parsed, values.to_numpy(dtype=float), equal_nan=True), (name, table, col)
            else:
                texts = ["" if v is None else str(v) for v in values]
                assert csv[col].tolist() == texts, (name, table, col)
        checked += 1
    return checked


def test_every_registered_operation_has_an_entry():
    missing = [n for n in REGISTRY if n not in OPERATIONS]
    assert not missing, ("registered operations without a line in tests/python/operations.py: "
                         + ", ".join(missing))
    unknown = [n for n in OPERATIONS if n not in REGISTRY]
    assert not unknown, "tests/python/operations.py names operations that are not registered: " + ", ".join(unknown)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_python_equals_cli(name, tiny, source, tmp_path):
    if name not in OPERATIONS:
        pytest.fail(f"operation '{name}' has no line in tests/python/operations.py; add one, e.g. "
                    f"\"{name}\": \"--input {{tiny}}/employment.csv\",")
    places = {"tiny": str(tiny), "data": str(source / "data"), "good": str(source / "tests/cli/good"),
              "cases": str(source / "tests/cases"), "tmp": str(tmp_path)}
    words = shlex.split(OPERATIONS[name].format(**places))
    # Both write to "out" relative to their own directory, so that messages naming the output
    # path are the same words.
    (tmp_path / "cli").mkdir()
    (tmp_path / "py").mkdir()
    cli_dir, py_dir = tmp_path / "cli" / "out", tmp_path / "py" / "out"
    output = OUTPUTS.get(name, "out")
    cli = run_cli(*name.split(" "), *words, "-o", output, "--progress", "never", cwd=tmp_path / "cli", check=False)
    assert cli.returncode in (0, 1), f"agglo {name} exited {cli.returncode}:\n{cli.stderr}"

    kwargs = python_kwargs(name, words)
    fn = function(name)
    cwd = os.getcwd()
    os.chdir(tmp_path / "py")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", agglo.AggloWarning)
            # output= is the CLI's -o: the same files, and the same report on stdout
            result = fn(**kwargs, progress=False, output=output)
            if not result._raw.output_written:
                # and the result object's tables, written afterwards, are the same bytes
                result.write(tmp_path / "written")
    finally:
        os.chdir(cwd)

    assert result.exit_code == cli.returncode, name
    assert normalised("stdout", result.text.encode()) == normalised("stdout", cli.stdout.encode()), \
        f"{name}: the report on stdout differs"
    cli_files = files_under(cli_dir)
    assert cli_files, f"{name}: the CLI wrote nothing"
    targets = [py_dir] + ([tmp_path / "written"] if (tmp_path / "written").exists() else [])
    for target in targets:
        assert files_under(target) == cli_files, (name, target.name)
        for f in cli_files:
            a = normalised(f, (cli_dir / f).read_bytes())
            b = normalised(f, (target / f).read_bytes())
            assert a == b, f"{name}: {f} differs between the CLI and Python ({target.name})"
    if result.tables:
        check_frames_hold_the_csv_numbers(result, py_dir, name)
