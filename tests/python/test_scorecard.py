"""agglo.index / agglo.scorecard / agglo.recommend from Python: DataFrames in, the same numbers
as the CLI and the hand-computed 5 x 3 table (tests/unit/scorecard/test_composite.cpp)."""

import pandas as pd
import pytest

import agglo


def test_index_from_dataframes_matches_the_hand_values(source):
    df = pd.read_csv(source / "tests/cases/scorecard/small.csv")
    tree = pd.read_csv(source / "tests/cases/scorecard/small_tree.csv")
    r = agglo.index(indicators=df, tree=tree)
    assert list(r.table["index"]) == pytest.approx([50, 25, 53.125, 68.75, 34.375])
    assert list(r.table["rank"]) == [3, 5, 2, 1, 4]


def test_asem_reproduces_coinr_with_rank_intervals(source):
    asem = source / "data/reference/asem"
    r = agglo.index(indicators=str(asem / "asem_indicators.csv"), tree=str(asem / "asem_tree.csv"), uncertainty=100)
    t = r.table.set_index("unit")
    assert t.loc["DEU", "index"] == pytest.approx(75.2278, abs=5e-4)
    assert t.loc["GBR", "index"] == pytest.approx(68.9363, abs=5e-4)
    assert (t["rank_q05"] <= t["rank_median"]).all() and (t["rank_median"] <= t["rank_q95"]).all()


def test_bad_tree_is_an_exception_naming_the_line(source):
    with pytest.raises(Exception, match="cycle"):
        agglo.index(indicators=str(source / "tests/cases/scorecard/small.csv"),
                    tree=str(source / "tests/cases/scorecard/tree_cycle.csv"))


def test_scorecard_and_recommend(source, tmp_path):
    with pytest.warns(Warning):
        k = agglo.scorecard(initiatives=str(source / "data/sample/kronoberg_cluster_initiatives.csv"))
    assert list(k.tables)[:2] == ["scorecard", "missing"]
    assert len(k.tables["missing"]) == 16
    card = tmp_path / "scorecard.csv"
    k.tables["scorecard"].to_csv(card, index=False)
    rec = agglo.recommend(scorecard=str(card))
    assert "action_plan" in rec.tables
    assert ((rec.table["cluster"] == "Glassworks") & (rec.table["criterion"] == "Productivity")).any()
