"""Reference values for tests/unit/dynamics/test_winner_loser.cpp: the winner/loser design of
Greenstone, Hornbeck & Moretti (2010, JPE 118(3)) on a seeded synthetic panel, fitted here with
every plant and case x year dummy in the design (numpy least squares), independently of the C++
code, which absorbs them by alternating projections.

The panel (anchor_panel.csv): 12 cases (openings in 1985-1994), each with one winning and two
losing counties, 6-9 incumbent plants per county, years opening-9 ... opening+7, about 10 % of
plant-years missing (unbalanced); log TFP = plant effect + case x year shock + a planted
spillover on winners of 0.05 on opening plus 0.01 per year after it, plus noise with a
county-level component. Rows outside the window (-7 ... 5) are in the file so that the window
is tested too.

Models (window -7 ... 5, clustered by county; CR1 factor G/(G-1) (n-1)/(n-K), K = the
non-absorbed coefficients plus the case x year levels less one; the plant dummies are nested in
the counties):
  mean_shift   winner x post
  trend_break  winner x tau, winner x post, winner x tau x post; effect after 5 years
               = b2 + 5 b3 by the delta method
  event        winner x 1{tau = k}, k = -7 ... 5 except -1

Run: /usr/bin/python3 anchor_reference.py   (writes anchor_panel.csv, anchor_reference.csv)
"""
import numpy as np
import pandas as pd

rng = np.random.default_rng(20101)
rows = []
for case in range(12):
    opening = 1985 + case % 10
    shocks = rng.normal(0, 0.05, 17)
    for county in range(3):
        winner = int(county == 0)
        cname = f"c{case:02d}_{county}"
        cshock = rng.normal(0, 0.03)
        for plant in range(rng.integers(6, 10)):
            alpha = rng.normal(0, 0.3)
            for tau in range(-9, 8):
                if rng.random() < 0.1:
                    continue
                effect = winner * (tau >= 0) * (0.05 + 0.01 * tau)
                y = alpha + shocks[tau + 9] + cshock + effect + rng.normal(0, 0.08)
                size = rng.normal(0, 1)
                rows.append((f"p{case:02d}{county}{plant}", f"case{case:02d}", cname, opening + tau, opening,
                             winner, y + 0.02 * size, size))
d = pd.DataFrame(rows, columns=["plant", "case", "county", "year", "opening", "winner", "log_tfp", "size"])
d.to_csv("anchor_panel.csv", index=False, float_format="%.15g")

w = d[(d.year - d.opening >= -7) & (d.year - d.opening <= 5)].reset_index(drop=True)
tau = (w.year - w.opening).to_numpy()
W = w.winner.to_numpy().astype(float)
post = (tau >= 0).astype(float)
plants = pd.factorize(w.plant + "|" + w.case)[0]
cy = pd.factorize(w.case + "|" + w.year.astype(str))[0]
counties = pd.factorize(w.county)[0]
n = len(w)
P = np.eye(plants.max() + 1)[plants]
CY = np.eye(cy.max() + 1)[cy][:, 1:]  # one level less: the plant dummies carry the constant


def fit(cols, names, model):
    k = len(cols)
    X = np.column_stack(cols + [w["size"].to_numpy(), P, CY])
    names = names + ["size"]
    k += 1
    XtX_inv = np.linalg.pinv(X.T @ X)
    beta = XtX_inv @ X.T @ w.log_tfp.to_numpy()
    e = w.log_tfp.to_numpy() - X @ beta
    G = counties.max() + 1
    S = np.zeros((G, X.shape[1]))
    np.add.at(S, counties, e[:, None] * X)
    K = k + CY.shape[1]
    V = (XtX_inv @ S.T @ S @ XtX_inv)[:k, :k] * G / (G - 1) * (n - 1) / (n - K)
    out = [(model, names[j], beta[j], np.sqrt(V[j, j])) for j in range(k)]
    return out, beta[:k], V


out = []
o, _, _ = fit([W * post], ["winner_x_post"], "mean_shift")
out += o
o, b, V = fit([W * tau, W * post, W * tau * post], ["winner_x_trend", "winner_x_post", "winner_x_trend_x_post"], "trend_break")
out += o
g = np.array([0, 1, 5, 0])
out.append(("trend_break", "effect_after_5_years", g @ b, np.sqrt(g @ V @ g)))
ks = [k for k in range(-7, 6) if k != -1]
o, _, _ = fit([W * (tau == k) for k in ks], [f"event_{k}" for k in ks], "event")
out += o
pd.DataFrame(out, columns=["model", "term", "estimate", "std_error"]).to_csv(
    "anchor_reference.csv", index=False, float_format="%.15g")
print(pd.DataFrame(out, columns=["model", "term", "estimate", "std_error"]).to_string())
