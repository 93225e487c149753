#!/usr/bin/env python3
"""Survey-model benchmark helper (bench/survey_model.sh).

  survey_model.py synth OUT.csv ROWS COVARIATES SEED   write y,x1..xK with a planted logit
  survey_model.py statsmodels DATA.csv                 the same fit in statsmodels: Logit,
                                                       HC0 errors, get_margeff (AMEs + SEs);
                                                       writes DATA.csv.statsmodels.csv
  survey_model.py compare AGGLO.csv DATA.csv           largest differences between the two
The statsmodels run prints its wall time split into reading and fitting, and the first
coefficients, standard errors and AMEs so the two tools can be compared.
"""
import sys
import time

import numpy as np
import pandas as pd


def synth(out, n, k, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, k)).astype(np.float64)
    x[:, k // 2:] = (x[:, k // 2:] > 0.3).astype(np.float64)  # half of them 0/1 dummies
    b = np.linspace(-0.5, 0.5, k) / np.sqrt(k) * 3
    eta = -0.3 + x @ b
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.int8)
    df = pd.DataFrame(x, columns=[f"x{j + 1}" for j in range(k)])
    df.insert(0, "y", y)
    df.insert(0, "id", np.arange(1, n + 1))
    df.to_csv(out, index=False, float_format="%.5g")


def fit(path):
    import statsmodels.api as sm
    t0 = time.time()
    df = pd.read_csv(path)
    t1 = time.time()
    X = sm.add_constant(df.drop(columns=["id", "y"]).to_numpy())
    m = sm.Logit(df["y"].to_numpy(), X).fit(disp=0, cov_type="HC0")
    me = m.get_margeff(at="overall", method="dydx")
    t2 = time.time()
    print(f"statsmodels read {t1 - t0:.2f} s, fit+HC0+AME {t2 - t1:.2f} s, total {t2 - t0:.2f} s")
    print("coef", np.round(m.params[:4], 6).tolist())
    print("se", np.round(m.bse[:4], 6).tolist())
    print("ame", np.round(me.margeff[:3], 6).tolist(), "ame_se", np.round(me.margeff_se[:3], 6).tolist())
    out = path + ".statsmodels.csv"
    pd.DataFrame({"estimate": m.params, "std_error": m.bse,
                  "ame": np.r_[np.nan, me.margeff], "ame_se": np.r_[np.nan, me.margeff_se]}).to_csv(out, index=False)
    print("wrote", out)


def compare(agglo_csv, path):
    a = pd.read_csv(agglo_csv)
    s = pd.read_csv(path + ".statsmodels.csv")
    for c in ["estimate", "std_error", "ame", "ame_se"]:
        d = np.nanmax(np.abs(a[c].to_numpy() - s[c].to_numpy()))
        r = np.nanmax(np.abs(a[c].to_numpy() - s[c].to_numpy()) / np.abs(s[c].to_numpy()))
        print(f"max |agglo - statsmodels| {c}: {d:.2e} (relative {r:.2e})")


if __name__ == "__main__":
    if sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "synth":
        synth(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        fit(sys.argv[2])
