#!/usr/bin/env python3
"""Reference values for agglo's Ellison–Glaeser–Kerr co-agglomeration regression
(src/structure/coagglomeration.cpp), computed independently with numpy and statsmodels.

Data beside this script: `agglo synth-structure --blocks 3 --block-size 4 --decoys 2
--decoy-size 3 --regions 15 --years 20 --seed 11` (flows, totals, occupations; employment of
2014 only). Writes egk_reference.json:
  pairs: gamma_c (Ellison & Glaeser 1997), input, output, labour for every pair i < j (table order)
  ols / ols_labour: statsmodels OLS(cov_type="HC1") of gamma_c on input, output [, labour], raw
  and with every variable standardised (ddof=1)

    /usr/bin/python3 tests/reference/structure/egk/egk_reference.py
"""
import json
import os

import numpy as np
import pandas as pd
import statsmodels
import statsmodels.api as sm

HERE = os.path.dirname(os.path.abspath(__file__))
flows = pd.read_csv(os.path.join(HERE, "flows.csv"))
totals = pd.read_csv(os.path.join(HERE, "totals.csv"))
emp = pd.read_csv(os.path.join(HERE, "employment.csv"))
occ = pd.read_csv(os.path.join(HERE, "occupations.csv"))

ind = list(totals["industry"])
n = len(ind)
pos = {k: i for i, k in enumerate(ind)}
Z = np.zeros((n, n))
for f, t, v in flows[["from", "to", "value"]].itertuples(index=False):
    Z[pos[f], pos[t]] = v
x = totals["output"].to_numpy()
E = emp.pivot_table(index="region", columns="industry", values="employment", aggfunc="sum").fillna(0.0)
E = E[ind]
xr = E.sum(axis=1).to_numpy() / E.to_numpy().sum()
S = E.to_numpy() / E.to_numpy().sum(axis=0)  # regions × industries: s_ir
U = S - xr[:, None]
G = U.T @ U / (1 - np.sum(xr ** 2))
bought = Z.sum(axis=0)
O = occ.pivot_table(index="industry", columns="occupation", values="share", aggfunc="sum").loc[ind].to_numpy()
O = O / O.sum(axis=1, keepdims=True)
rows = []
for i in range(n):
    for j in range(i + 1, n):
        rows.append({"a": ind[i], "b": ind[j], "gamma_c": G[i, j],
                     "input": max(Z[j, i] / bought[i], Z[i, j] / bought[j]),
                     "output": max(Z[i, j] / x[i], Z[j, i] / x[j]),
                     "labour": float(np.corrcoef(O[i], O[j])[0, 1])})
d = pd.DataFrame(rows)


def fit(cols):
    X = sm.add_constant(d[cols])
    raw = sm.OLS(d["gamma_c"], X).fit(cov_type="HC1")
    z = (d[["gamma_c"] + cols] - d[["gamma_c"] + cols].mean()) / d[["gamma_c"] + cols].std(ddof=1)
    std = sm.OLS(z["gamma_c"], sm.add_constant(z[cols])).fit(cov_type="HC1")
    return {"terms": ["const"] + cols, "coefficient": raw.params.tolist(), "std_error": raw.bse.tolist(),
            "standardised": std.params.tolist(), "standardised_se": std.bse.tolist(), "r2": raw.rsquared}


ref = {"statsmodels": statsmodels.__version__, "pairs": rows, "ols": fit(["input", "output"]),
       "ols_labour": fit(["input", "output", "labour"])}
with open(os.path.join(HERE, "egk_reference.json"), "w") as f:
    json.dump(ref, f, indent=1)
print("wrote egk_reference.json:", len(rows), "pairs")
