#!/usr/bin/env python3
"""Reference values for agglo's time-series estimators (src/stats/johansen.cpp, time_series.cpp),
computed by statsmodels on shared data. Writes, beside this script:

  ts_data.csv          t,y1,y2,y3: 120 observations of a 3-variable system in which y1 and y2
                       share one stochastic trend (one cointegrating relation) and y3 is an
                       independent random walk; seeded, so the file is reproducible
  ts_reference.json    coint_johansen (det_order -1/0/1 × k_ar_diff 1/2), VECM (rank 1,
                       k_ar_diff 1 and 2, deterministic "co"), VAR(p).test_causality(kind="f"),
                       adfuller(maxlag=p, autolag=None, regression="c")

    /usr/bin/python3 tests/reference/structure/make_time_series_reference.py
"""
import json
import os

import numpy as np
import statsmodels
from statsmodels.tsa.api import VAR
from statsmodels.tsa.stattools import adfuller
from statsmodels.tsa.vector_ar.vecm import VECM, coint_johansen

HERE = os.path.dirname(os.path.abspath(__file__))

rng = np.random.default_rng(20261202)
T = 120
trend = np.cumsum(rng.normal(size=T))
y1 = trend + rng.normal(scale=0.5, size=T)
y2 = 0.5 * trend + 1.0 + rng.normal(scale=0.5, size=T)
y3 = np.cumsum(rng.normal(size=T))
data = np.column_stack([y1, y2, y3])
with open(os.path.join(HERE, "ts_data.csv"), "w") as f:
    f.write("t,y1,y2,y3\n")
    for t in range(T):
        f.write("%d,%.17g,%.17g,%.17g\n" % (t, *data[t]))
data = np.loadtxt(os.path.join(HERE, "ts_data.csv"), delimiter=",", skiprows=1)[:, 1:]

ref = {"statsmodels": statsmodels.__version__, "johansen": [], "vecm": [], "granger": [], "adf": []}
for det in (-1, 0, 1):
    for p in (1, 2):
        r = coint_johansen(data, det, p)
        ref["johansen"].append({"det_order": det, "k_ar_diff": p, "eig": r.eig.tolist(), "trace": r.lr1.tolist(),
                                "max_eig": r.lr2.tolist(), "trace_cv": r.cvt.tolist(), "max_eig_cv": r.cvm.tolist()})
for p in (1, 2):
    m = VECM(data, k_ar_diff=p, coint_rank=1, deterministic="co").fit()
    ref["vecm"].append({"k_ar_diff": p, "rank": 1, "alpha": m.alpha.tolist(), "beta": m.beta.tolist(),
                        "gamma": m.gamma.tolist(), "constant": m.det_coef[:, 0].tolist()})
# Impulse responses of the VECM's levels VAR (irfs[h][response][impulse]; orth_irfs with the
# Cholesky factor of sigma_u), rank 1 and 2, k_ar_diff 0, 1, 2.
ref["irf"] = []
for p in (0, 1, 2):
    for rank in (1, 2):
        m = VECM(data, k_ar_diff=p, coint_rank=rank, deterministic="co").fit()
        a = m.irf(periods=12)
        ref["irf"].append({"k_ar_diff": p, "rank": rank, "periods": 12, "sigma_u": m.sigma_u.tolist(),
                           "irfs": a.irfs.tolist(), "orth_irfs": a.orth_irfs.tolist()})
for p in (1, 2, 3):
    res = VAR(data).fit(p, trend="c")
    for caused, causing in (([0], [1]), ([1], [0]), ([2], [0, 1]), ([0, 1], [2])):
        t = res.test_causality([res.names[i] for i in caused], [res.names[i] for i in causing], kind="f")
        ref["granger"].append({"p": p, "caused": caused, "causing": causing, "statistic": float(t.test_statistic),
                               "df": [float(t.df[0]), float(t.df[1])], "p_value": float(t.pvalue)})
for i in range(3):
    for p in (0, 1, 3):
        a = adfuller(data[:, i], maxlag=p, autolag=None, regression="c")
        ref["adf"].append({"series": i, "lags": p, "statistic": a[0], "p_value": a[1], "nobs": a[3],
                           "critical": [a[4]["1%"], a[4]["5%"], a[4]["10%"]]})
with open(os.path.join(HERE, "ts_reference.json"), "w") as f:
    json.dump(ref, f, indent=1)
print("wrote ts_data.csv and ts_reference.json")
