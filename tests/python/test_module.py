"""The agglo Python module: generated from the registry, same numbers as the CLI, errors as
exceptions, DataFrames in and out, Ctrl-C."""

import inspect
import os
import signal
import threading
import time
import warnings

import numpy as np
import pandas as pd
import pytest

import agglo
from agglo import _agglo
from agglo._api import py_name
from conftest import run_cli


def functions():
    """(cli name, python function) for every registered operation."""
    out = []
    for name in agglo.operations():
        parts = name.split(" ")
        obj = agglo
        for p in parts:
            obj = getattr(obj, p.replace("-", "_"))
        out.append((name, obj))
    return out


def test_every_operation_is_a_function_with_the_registry_signature():
    ops = {op["name"]: op for op in _agglo.operations()}
    assert len(ops) >= 20
    for name, fn in functions():
        sig = inspect.signature(fn)
        expected = [py_name(o["name"]) for o in ops[name]["options"]] + ["seed", "threads", "names", "progress", "output"]
        assert list(sig.parameters) == expected, name
        for o in ops[name]["options"]:
            p = sig.parameters[py_name(o["name"])]
            assert p.kind is inspect.Parameter.KEYWORD_ONLY
            if o["required"]:
                assert p.default is inspect.Parameter.empty, (name, o["name"])
            elif o["type"] == "boolean":
                assert p.default is (o["default"] == "true")
            elif o["default"] == "":
                assert p.default is None
            elif o["type"] == "integer":
                assert p.default == int(o["default"])
            elif o["type"] == "real":
                assert p.default == float(o["default"])


def test_nested_commands_are_submodules():
    import agglo.survey

    assert agglo.survey.model.operation == "survey model"
    from agglo.survey import diamond

    assert diamond.operation == "survey diamond"
    assert callable(agglo.simulate) and agglo.simulate.operation == "simulate"
    assert agglo.define_clusters.operation == "define-clusters"


def test_help_shows_the_cli_help_text():
    for name, fn in functions():
        doc = fn.__doc__
        cli = run_cli(*name.split(" "), "--help").stdout
        op = next(o for o in _agglo.operations() if o["name"] == name)
        assert doc.startswith(op["summary"])
        assert "Parameters\n----------" in doc and "Returns\n-------" in doc
        for o in op["options"]:
            # the option's sentence appears in both (CLI11 may wrap long lines: compare words)
            words = o["doc"].split()[:6]
            assert " ".join(words) in " ".join(cli.split()), (name, o["name"])
            assert o["doc"] in doc, (name, o["name"])
        if op["description"]:
            assert op["description"] in doc
            assert " ".join(op["description"].split()[:12]) in " ".join(cli.split())
        for e in op["examples"]:
            assert e in doc


def test_version():
    assert agglo.__version__ == run_cli("--version").stdout.split()[-1]


def test_stubs_list_every_operation(source):
    pyi = os.path.join(os.path.dirname(agglo.__file__), "__init__.pyi")
    text = open(pyi, encoding="utf-8").read()
    for name in agglo.operations():
        leaf = name.split(" ")[-1].replace("-", "_")
        if " " not in name:
            assert f"def {leaf}(" in text, name
        else:
            sub = open(os.path.join(os.path.dirname(pyi), name.split(" ")[0] + ".pyi"), encoding="utf-8").read()
            assert f"def {leaf}(" in sub, name


def test_result_equals_cli_byte_for_byte(tiny, tmp_path):
    emp = tiny / "employment.csv"
    run_cli("specialize", "--employment", emp, "--summary", "regions,industries", "-o", tmp_path / "cli")
    r = agglo.specialize(employment=emp, summary=["regions", "industries"])
    r.write(tmp_path / "py")
    for f in sorted(os.listdir(tmp_path / "cli")):
        assert (tmp_path / "cli" / f).read_bytes() == (tmp_path / "py" / f).read_bytes(), f
    # and the DataFrame holds the very numbers of the CSV (shortest round-trip formatting)
    cli = pd.read_csv(tmp_path / "cli" / "specialization.csv", dtype={"region": str, "industry": str},
                      float_precision="round_trip")
    assert list(cli.columns) == list(r.table.columns)
    assert np.array_equal(cli["lq"].to_numpy(), r.table["lq"].to_numpy())
    assert (cli["region"] == r.table["region"]).all()


def test_dataframe_input_equals_file_input(tiny, tmp_path):
    emp = tiny / "employment.csv"
    df = pd.read_csv(emp, dtype={"region": str, "industry": str})
    a = agglo.specialize(employment=emp)
    b = agglo.specialize(employment=df)
    a.write(tmp_path / "a.csv")
    b.write(tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_numeric_columns_are_not_copied(tiny):
    r = agglo.specialize(employment=tiny / "employment.csv")
    col = r.table["lq"].to_numpy()
    # the DataFrame's array is the engine's memory (its base chain ends in the result object)
    assert not col.flags.owndata


def test_dataframe_with_bad_value_names_row_and_column():
    df = pd.DataFrame({"region": ["A", "B", "C"], "industry": ["X", "X", "Y"], "employment": [1.0, -2.0, 3.0]},
                      index=["r1", "r2", "r3"])
    with pytest.raises(agglo.InvalidInput) as e:
        agglo.specialize(employment=df)
    err = e.value
    assert err.code_name == "negative_value"
    assert err.file == "DataFrame 'employment'"
    assert err.line == 1 and err.row == "r2"
    assert err.column_name == "employment"
    assert "row 1 (index 'r2')" in str(err) and "column 'employment'" in str(err)


def test_text_numbers_in_a_dataframe_are_checked_like_a_file():
    df = pd.DataFrame({"region": ["A", "B"], "industry": ["X", "Y"], "employment": ["12", "lots"]})
    with pytest.raises(agglo.InvalidInput) as e:
        agglo.specialize(employment=df)
    assert e.value.code_name == "wrong_type" and e.value.row == 1
    assert "'lots' is not a number" in str(e.value)


def test_exceptions_map_to_the_engine_kinds(tiny, tmp_path):
    with pytest.raises(agglo.UsageError) as e:
        agglo.specialize(employment=tiny / "employment.csv", denominator="nonsense")
    assert e.value.exit_code == 2 and e.value.code_name == "invalid_option_value"
    assert isinstance(e.value, ValueError) and isinstance(e.value, agglo.Error)
    with pytest.raises(agglo.IoError) as e:
        agglo.specialize(employment=tmp_path / "absent.csv")
    assert e.value.code_name == "file_not_found" and e.value.file.endswith("absent.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("region,industry,employment\nA,X,12\nB,X,-3\n")
    with pytest.raises(agglo.InvalidInput) as e:
        agglo.specialize(employment=bad)
    assert (e.value.line, e.value.column, e.value.column_name) == (3, 3, "employment")
    with pytest.raises(TypeError, match="did you mean 'employment'"):
        agglo.specialize(employmnet=bad)
    with pytest.raises(TypeError, match="missing required"):
        agglo.specialize()


def test_warnings_are_python_warnings(tiny):
    small = pd.DataFrame({"region": ["A", "A"], "industry": ["X", "Y"], "employment": [1.0, 2.0]})
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        r = agglo.validate(employment=small)
    assert r.exit_code == 0
    assert any(issubclass(x.category, agglo.AggloWarning) for x in w) or r.warnings == []


def test_progress_callback_is_called(tiny):
    calls = []
    agglo.kdensity(establishments=tiny / "establishments.csv", industry="336111", simulations=300,
                   progress=lambda label, done, total, unit: calls.append((label, done, total)))
    assert calls, "no progress reported"
    assert all(isinstance(c[0], str) for c in calls)


def test_keyboard_interrupt_returns_within_a_second(tiny):
    # A large K-density envelope (minutes of work) interrupted after 0.5 s.
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    t0 = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        agglo.kdensity(establishments=tiny / "establishments.csv", industry="621991", simulations=200000)
    elapsed = time.monotonic() - t0
    timer.cancel()
    assert elapsed < 1.5, f"took {elapsed:.2f} s to return after the interrupt at 0.5 s"
    # and the engine is usable again afterwards
    assert len(agglo.specialize(employment=tiny / "employment.csv").table) > 0


def test_to_workspace_writes_a_geopackage(tiny, tmp_path):
    r = agglo.dbscan(establishments=tiny / "establishments.csv", eps=2, min_points=10)
    files = r.to_workspace(tmp_path / "w.gpkg")
    assert files and (tmp_path / "w.gpkg").exists()
    with pytest.raises(ValueError):
        r.to_workspace(tmp_path / "w.csv")


def test_seed_and_threads_keywords(tiny, tmp_path):
    a = agglo.kdensity(establishments=tiny / "establishments.csv", industry="336111", simulations=99, seed=3, threads=1)
    b = agglo.kdensity(establishments=tiny / "establishments.csv", industry="336111", simulations=99, seed=3, threads=2)
    a.write(tmp_path / "a.csv")
    b.write(tmp_path / "b.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    run_cli("kdensity", "--establishments", tiny / "establishments.csv", "--industry", "336111",
            "--simulations", "99", "--seed", "3", "-o", tmp_path / "c.csv")
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "c.csv").read_bytes()


def test_text_columns_of_every_pandas_kind_read_alike(tiny, tmp_path):
    """object, pandas string and Categorical text columns (with and without missing cells) all
    reach the engine as the same cells as the CSV file."""
    emp = tiny / "employment.csv"
    df = pd.read_csv(emp, dtype={"region": str, "industry": str})
    agglo.specialize(employment=emp).write(tmp_path / "file.csv")
    for kind in (object, "string", "category"):
        d = df.astype({"region": kind, "industry": kind})
        agglo.specialize(employment=d).write(tmp_path / "df.csv")
        assert (tmp_path / "df.csv").read_bytes() == (tmp_path / "file.csv").read_bytes(), kind
    # a missing code is an empty cell, reported as such whatever the dtype
    for kind in (object, "string", "category"):
        d = df.head(5).astype({"region": kind, "industry": kind})
        d.loc[2, "industry"] = None
        with pytest.raises(agglo.InvalidInput) as e:
            agglo.specialize(employment=d)
        assert e.value.row == 2 and e.value.column_name == "industry", kind


def test_text_cells_are_views_that_outlive_edits_of_the_caller(tmp_path):
    """Text cells are views onto the Python strings (not copies); the registration holds its
    own references, so editing or dropping the caller's array cannot free a viewed string.
    Non-ASCII text (viewed through CPython's cached UTF-8) and numbers in an object column
    (converted with str(), stored with the column) read like the same cells of a file."""
    regions = ["Zürich", "São Paulo", "Łódź", "Zürich", "São Paulo", "Łódź"]
    industries = [311, 311, 312, 312, 313, 313]  # ints in an object column → "311", …
    employment = [10.0, 20.0, 5.0, 7.0, 1.0, 30.0]
    path = tmp_path / "employment.csv"
    path.write_text("region,industry,employment\n" + "".join(
        f"{r},{i},{e}\n" for r, i, e in zip(regions, industries, employment)), encoding="utf-8")
    agglo.specialize(employment=path).write(tmp_path / "file.csv")

    reg = np.array(["".join(list(r)) for r in regions], dtype=object)  # new str objects, held only here
    ind = np.array(industries, dtype=object)
    handle = _agglo.register_table("DataFrame 'employment'", len(reg), [
        ("region", "text", reg), ("industry", "text", ind), ("employment", "real", np.array(employment))])
    try:
        reg[:] = "overwritten"  # the caller's array no longer holds the viewed strings
        del reg, ind
        import gc
        gc.collect()
        agglo.specialize(employment=handle).write(tmp_path / "memory.csv")
    finally:
        _agglo.unregister_table(handle)
    assert (tmp_path / "memory.csv").read_bytes() == (tmp_path / "file.csv").read_bytes()


def test_dictionary_encoded_text_columns_read_like_the_file(tiny, tmp_path):
    """Columns of few distinct str objects reach the engine dictionary-encoded (one entry per
    distinct object), columns of mostly distinct ones (ids) as one view per cell; either way
    the cells, the missing ones and their error locations are those of the file."""
    est = tiny / "establishments.csv"
    df = pd.read_csv(est, dtype={"id": str, "industry": str, "region": str})
    assert len(df) > 4096  # well above the size where dictionary encoding starts
    agglo.concentrate(establishments=est).write(tmp_path / "file")
    # equal texts as different objects (the dictionary then repeats a text): same cells
    d = df.copy()
    d["region"] = np.array([("".join(list(r)) if i % 2 else r) for i, r in enumerate(d["region"])], dtype=object)
    agglo.concentrate(establishments=d).write(tmp_path / "frame")
    for f in os.listdir(tmp_path / "file"):
        if f != "summary.json":
            assert (tmp_path / "frame" / f).read_bytes() == (tmp_path / "file" / f).read_bytes(), f
    # a missing cell deep in a dictionary-encoded column is named by its row
    d = df.copy()
    d.loc[3000, "industry"] = None
    with pytest.raises(agglo.InvalidInput) as e:
        agglo.concentrate(establishments=d)
    assert e.value.row == 3000 and e.value.column_name == "industry"
    # an id column that is mostly distinct, with a missing id late in it
    d = df.copy()
    d.loc[5000, "id"] = np.nan
    with pytest.raises(agglo.InvalidInput) as e:
        agglo.concentrate(establishments=d)
    assert e.value.row == 5000 and e.value.column_name == "id"
