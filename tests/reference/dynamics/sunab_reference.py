"""Reference values for tests/unit/dynamics/test_event_study.cpp: the interaction-weighted event
study of Sun & Abraham (2021, J. Econometrics 225(2)) on mpdta.csv, written independently of the
C++ code (which absorbs the fixed effects by alternating projections): here every unit and year
dummy is in the design and the regression is solved by numpy's least squares.

  y_it = a_i + l_t + sum_{g, l != -1} d_gl 1{G_i = g} 1{t - g = l} + e_it

Standard errors are clustered by county with fixest's default small-sample factor
G/(G-1) * (n-1)/(n-K), K = the coefficients not nested in the clusters (year dummies and
interactions; the county dummies are nested). The interaction-weighted averages use cohort
shares as fixed weights, with variance w'Vw (fixest's aggregate()). fixest is not packaged for
Debian.

Two designs: never-treated controls (all 500 counties) and, without the never-treated counties,
the last-treated cohort (2007) as control with the years from 2007 left out.

Run: /usr/bin/python3 sunab_reference.py   (writes sunab_mpdta_cells.csv, sunab_mpdta_dynamic.csv)
"""
import numpy as np
import pandas as pd


def sunab(d, control):
    d = d.copy()
    if control == "last_treated":
        last = d["first.treat"].max()
        d = d[d["year"] < last]
        treated = sorted(g for g in d["first.treat"].unique() if g not in (0, last))
    else:
        treated = sorted(g for g in d["first.treat"].unique() if g != 0)
    years = sorted(d["year"].unique())
    units = sorted(d["countyreal"].unique())
    n = len(d)
    cols, names = [], []
    for g in treated:
        ref = max(y for y in years if y < g)
        for t in years:
            if t == ref:
                continue
            cols.append(((d["first.treat"] == g) & (d["year"] == t)).to_numpy(float))
            names.append((g, t, t - g))
    k = len(cols)
    U = (d["countyreal"].to_numpy()[:, None] == np.array(units)[None, :]).astype(float)
    Yd = (d["year"].to_numpy()[:, None] == np.array(years[1:])[None, :]).astype(float)
    X = np.column_stack(cols + [Yd, U])
    y = d["lemp"].to_numpy()
    XtX_inv = np.linalg.inv(X.T @ X)
    beta = XtX_inv @ X.T @ y
    e = y - X @ beta
    cl = d["countyreal"].to_numpy()
    S = np.zeros((len(units), X.shape[1]))
    idx = {u: i for i, u in enumerate(units)}
    for r in range(n):
        S[idx[cl[r]]] += e[r] * X[r]
    G = len(units)
    K = k + len(years) - 1
    V = XtX_inv @ S.T @ S @ XtX_inv * G / (G - 1) * (n - 1) / (n - K)
    V = V[:k, :k]
    b = beta[:k]
    size = d.groupby("first.treat")["countyreal"].nunique()
    cells = pd.DataFrame(
        {"control": control, "group": [c[0] for c in names], "time": [c[1] for c in names],
         "event_time": [c[2] for c in names], "att": b, "std_error": np.sqrt(np.diag(V))})
    rows = []
    for ev in sorted(cells["event_time"].unique()):
        w = np.array([size[g] if e == ev else 0.0 for (g, _, e) in names])
        w /= w.sum()
        rows.append((control, ev, w @ b, np.sqrt(w @ V @ w)))
    w = np.array([size[g] if e >= 0 else 0.0 for (g, _, e) in names])
    w /= w.sum()
    rows.append((control, "post", w @ b, np.sqrt(w @ V @ w)))
    dyn = pd.DataFrame(rows, columns=["control", "event_time", "att", "std_error"])
    return cells, dyn


mp = pd.read_csv("mpdta.csv")
c1, d1 = sunab(mp, "never_treated")
c2, d2 = sunab(mp[mp["first.treat"] > 0], "last_treated")
pd.concat([c1, c2]).to_csv("sunab_mpdta_cells.csv", index=False, float_format="%.15g")
pd.concat([d1, d2]).to_csv("sunab_mpdta_dynamic.csv", index=False, float_format="%.15g")
print(d1.to_string())
print(d2.to_string())
