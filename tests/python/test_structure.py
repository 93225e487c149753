"""agglo.io, agglo.blocks and agglo.resilience from Python: same numbers as the CLI and the
published Germany 1995 table, DataFrames in, errors as exceptions."""

import numpy as np
import pandas as pd
import pytest

import agglo


def test_io_germany_backward_linkages(source):
    d = source / "tests" / "reference" / "structure" / "germany_1995"
    r = agglo.io(io=str(d / "flows.csv"), totals=str(d / "totals.csv"))
    bl = r.tables["linkages"].set_index("industry")["backward"]
    np.testing.assert_allclose(bl.to_numpy(), [1.7048, 1.8413, 1.8136, 1.6035, 1.5951, 1.3782], atol=5e-5)
    assert set(r.tables) >= {"linkages", "multipliers", "extraction"}


def test_io_negative_flow_is_an_input_error():
    flows = pd.DataFrame({"from": ["A", "B"], "to": ["B", "A"], "value": [5.0, -1.0]})
    totals = pd.DataFrame({"industry": ["A", "B"], "output": [100.0, 100.0]})
    with pytest.raises(agglo.InvalidInput):
        agglo.io(io=flows, totals=totals)


def test_resilience_from_a_dataframe():
    panel = pd.DataFrame({
        "region": list("AABB") * 3,
        "industry": list("XYXY") * 3,
        "employment": [100, 50, 100, 150, 80, 50, 90, 120, 90, 60, 100, 130],
        "year": [2007] * 4 + [2009] * 4 + [2014] * 4,
    })
    r = agglo.resilience(employment=panel, from_=2007, trough=2009, to=2014)
    t = r.table.set_index("region")
    assert t.loc["A", "sensitivity"] == pytest.approx((20 / 150) / 0.15)
    assert t.loc["B", "resistance"] == pytest.approx(-2.5 / 37.5)
