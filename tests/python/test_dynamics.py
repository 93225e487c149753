"""agglo.survival / agglo.evaluate.did / agglo.entry from Python: the published reference
values (R survival on lung, R did on mpdta) with DataFrames in, and the errors as exceptions."""

import pandas as pd
import pytest

import agglo


def test_survival_lung_matches_r(source):
    lung = pd.read_csv(source / "tests/reference/dynamics/lung.csv")
    r = agglo.survival(spells=lung, time="time", event="status", covariates=["age", "sex"])
    t = r.table.set_index("term")
    assert t.loc["age", "estimate"] == pytest.approx(0.01704533, abs=5e-9)
    assert t.loc["sex", "estimate"] == pytest.approx(-0.51321852, abs=5e-9)
    assert r.summary["concordance"] == pytest.approx(0.6029, abs=5e-5)
    assert "km" in r.tables


def test_did_mpdta_matches_r_did(source):
    d = pd.read_csv(source / "tests/reference/dynamics/mpdta.csv")
    r = agglo.evaluate.did(panel=d, unit="countyreal", time="year", outcome="lemp", cohort="first.treat", bootstrap=0)
    assert r.summary["att_simple"] == pytest.approx(-0.0399513, abs=5e-8)
    first = r.tables["att_gt"].iloc[0]
    assert (first["group"], first["time"]) == (2004, 2004)
    assert first["att"] == pytest.approx(-0.0105032, abs=5e-8)


def test_did_without_never_treated_is_an_exception(source):
    d = pd.read_csv(source / "tests/reference/dynamics/mpdta.csv")
    d = d[d["first.treat"] > 0]
    with pytest.raises(Exception, match="never-treated"):
        agglo.evaluate.did(panel=d, unit="countyreal", time="year", outcome="lemp", cohort="first.treat")


def test_entry_on_the_bundled_panel(source):
    r = agglo.entry(employment=str(source / "data/sample/panel_tiny.csv"), from_=2019, to=2024)
    assert {"location", "product", "density", "probability", "entered"} <= set(r.table.columns)
    assert r.summary["auc"] > r.summary["baselines"]["random"]["auc"] + 0.2
