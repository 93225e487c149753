"""Reference synthetic-control weights for tests/unit/dynamics/test_did.cpp from an independent
solver: scipy.optimize.minimize(method="SLSQP") on the same simplex-constrained least squares
(outcome-path synthetic control, V = I). The panel is made here (seeded): 12 donors with
trends and cycles, the treated unit a noisy mix of four of them, treatment from 2010 with
effect +2.

Run: /usr/bin/python3 synth_reference.py   (writes synth_panel.csv, synth_weights.csv)
"""
import numpy as np
import pandas as pd
from scipy.optimize import minimize

rng = np.random.default_rng(17)
years = np.arange(1985, 2015)
J, T0 = 12, 2010
t = np.arange(len(years))
donors = np.array([rng.normal(5, 1) + rng.normal(0, 0.15) * t + rng.normal(0, 0.5) * np.sin(t / rng.uniform(1, 4))
                   + rng.normal(0, 0.1, len(t)) for _ in range(J)])
w_true = np.zeros(J); w_true[[2, 5, 8, 11]] = [0.4, 0.3, 0.2, 0.1]
treated = w_true @ donors + rng.normal(0, 0.05, len(t)) + 2.0 * (years >= T0)
Y = np.vstack([treated, donors])
names = ["treated"] + [f"d{j + 1:02d}" for j in range(J)]
pd.DataFrame({"unit": np.repeat(names, len(years)), "year": np.tile(years, J + 1), "y": Y.ravel()}).to_csv(
    "synth_panel.csv", index=False, float_format="%.12g")
pre = years < T0
A, b = donors[:, pre].T, treated[pre]
f = lambda w: np.sum((b - A @ w) ** 2)
g = lambda w: -2 * A.T @ (b - A @ w)
res = minimize(f, np.full(J, 1 / J), jac=g, method="SLSQP", bounds=[(0, 1)] * J,
               constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1, "jac": lambda w: np.ones(J)}],
               options={"ftol": 1e-16, "maxiter": 10000})
w = np.clip(res.x, 0, None); w /= w.sum()
gap = treated - w @ donors
pd.DataFrame({"unit": names[1:], "weight": w}).to_csv("synth_weights.csv", index=False, float_format="%.12g")
print(res.message, "objective", f(w), "att", gap[~pre].mean())
print(pd.read_csv("synth_weights.csv").query("weight > 1e-6"))
