"""Seeded workloads for bench/dynamics.sh.

  dynamics_data.py spells OUT.csv N K SEED   establishment spells: duration in whole years
      (1-20, many ties: Efron), exited 0/1, K covariates x1..xK (half N(0,1), half 0/1), planted
      log hazard ratios beta_j = 0.5 * (-1)^j / sqrt(j) for j <= K/2 and 0 for the rest
  dynamics_data.py panel OUT.csv UNITS YEARS SEED   a staggered programme: unit,year,y,cohort,
      cohorts every second year from the third, 20 % never treated, effects growing with exposure
"""
import sys
import numpy as np
import pandas as pd

kind, out = sys.argv[1], sys.argv[2]
if kind == "spells":
    n, k, seed = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, k)).astype(np.float32)
    X[:, 1::2] = (rng.random((n, k // 2)) < 0.3)
    beta = np.array([0.5 * (-1) ** j / np.sqrt(j) if j <= k // 2 else 0.0 for j in range(1, k + 1)])
    rate = 0.08 * np.exp(X @ beta)
    t = rng.exponential(1 / rate)
    c = rng.uniform(1, 20, size=n)
    d = pd.DataFrame(X, columns=[f"x{j}" for j in range(1, k + 1)])
    d.insert(0, "exited", (t <= c).astype(int))
    d.insert(0, "duration", np.maximum(1, np.ceil(np.minimum(t, c))).astype(int))
    d.to_csv(out, index=False, float_format="%.5g")
elif kind == "panel":
    units, years, seed = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rng = np.random.default_rng(seed)
    yr = np.arange(2000, 2000 + years)
    cohorts = yr[2::2]
    G = np.where(rng.random(units) < 0.2, 0, rng.choice(cohorts, size=units))
    a = rng.normal(size=units)
    Y = a[:, None] + 0.05 * (yr - 2000)[None, :] + rng.normal(scale=0.5, size=(units, years))
    e = yr[None, :] - G[:, None]
    Y += np.where((G[:, None] > 0) & (e >= 0), 0.2 + 0.05 * e, 0.0)
    d = pd.DataFrame({"unit": np.repeat([f"u{i:05d}" for i in range(units)], years), "year": np.tile(yr, units),
                      "y": Y.ravel(), "cohort": np.repeat(G, years)})
    d.to_csv(out, index=False, float_format="%.8g")
