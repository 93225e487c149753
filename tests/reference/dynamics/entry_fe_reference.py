"""Reference values for the fixed-effects entry models of tests/unit/dynamics/test_entry.cpp:
statsmodels fits, with explicit dummies, of the logit and the linear probability model that
`agglo entry --fixed-effects ...` fits on its candidates (read from agglo's in-sample
predictions.csv, which carries every predictor, the location and the start year).

1. `python3 entry_fe_reference.py panel` writes entry_panel3.csv: data/sample/panel_tiny.csv
   (2019, 2024) plus a 2014 drawn as Poisson(e_2019 / 1.05) per cell (seeded), so that the
   pairs 2014 -> 2019 and 2019 -> 2024 can be pooled.
2. Run agglo (as the test does):
     agglo entry --employment data/sample/panel_tiny.csv --from 2019 --to 2024 --folds 0 \
       --fixed-effects location -o A                      (logit; size is absorbed)
     ... the same with --model lpm -o B
     agglo entry --employment entry_panel3.csv --from 2019 --to 2024 --pool-from 2014 --folds 0 \
       --fixed-effects location,year -o C
3. `python3 entry_fe_reference.py fit A B C` writes entry_fe_reference.csv
   (case,term,estimate,std_error).

The logit leaves out the locations without variation in the outcome (no entry at all), as
agglo, Stata's clogit and fixest do; the LPM keeps them. Standard errors: the logit's inverse
Hessian, the LPM's classic s^2 (X'X)^-1.
"""
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm


def make_panel():
    d = pd.read_csv("../../../data/sample/panel_tiny.csv", dtype={"region": str, "industry": str})
    rng = np.random.default_rng(2014)
    base = d[d.year == 2019].copy()
    base["employment"] = rng.poisson(base.employment.to_numpy() / 1.05)
    base["year"] = 2014
    base = base[base.employment > 0]
    out = pd.concat([base, d])
    out.to_csv("entry_panel3.csv", index=False)


def design(p, terms, fe):
    X = p[terms].astype(float).copy()
    X.insert(0, "const", 1.0)
    for f in fe:
        X = X.join(pd.get_dummies(p[f].astype(str), prefix=f, drop_first=True, dtype=float))
    return X


def fit(case, path, terms, fe, lpm):
    p = pd.read_csv(path, dtype={"location": str, "product": str})
    if not lpm and "location" in fe:
        rate = p.groupby("location").entered.transform("mean")
        p = p[(rate > 0) & (rate < 1)]
    X = design(p, terms, fe)
    y = p.entered.astype(float)
    m = (sm.OLS(y, X) if lpm else sm.Logit(y, X)).fit(**({} if lpm else {"disp": 0, "method": "newton", "tol": 1e-12, "maxiter": 100}))
    return [(case, t, m.params[t], m.bse[t]) for t in ["const"] + terms]


if __name__ == "__main__":
    if sys.argv[1] == "panel":
        make_panel()
    else:
        a, b, c = sys.argv[2:5]
        rows = fit("location_logit", a + "/predictions.csv", ["density", "pci", "ubiquity"], ["location"], False)
        rows += fit("location_lpm", b + "/predictions.csv", ["density", "pci", "ubiquity"], ["location"], True)
        rows += fit("pooled_location_year_logit", c + "/predictions.csv", ["density", "pci", "ubiquity", "size"],
                    ["location", "start"], False)
        pd.DataFrame(rows, columns=["case", "term", "estimate", "std_error"]).to_csv(
            "entry_fe_reference.csv", index=False, float_format="%.15g")
        print(pd.DataFrame(rows, columns=["case", "term", "estimate", "std_error"]).to_string())
