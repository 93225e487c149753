#!/usr/bin/env python3
"""Benchmark inputs for `agglo index --by cluster --uncertainty N` (bench/scorecard.sh): the 17
criteria of the policy note's metrics catalogue for R regions x C clusters (default 3,000 x 67,
one row per region-cluster), grouped as the catalogue's 7 categories.

Values are synthetic, seeded (numpy default_rng(seed)): a latent cluster strength s ~ N(0, 1) per
region-cluster drives every criterion, x_k = exp(0.8 s * load_k + N(0, 0.6)) (skewed, positive), so
the indicators correlate as real scorecards do; 2 criteria are lower-is-better. No missing values.

Usage: scorecard_data.py OUTDIR [regions] [clusters] [seed]
"""
import csv
import os
import sys

import numpy as np

out = sys.argv[1]
R = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
C = int(sys.argv[3]) if len(sys.argv) > 3 else 67
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 14
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(seed)
cats = [
    ("Economic Impact", ["export_performance", "employment_levels", "business_density"]),
    ("Innovation and Collaboration", ["collaboration", "rnd_intensity", "patents", "knowledge_sharing", "joint_ventures"]),
    ("Network and Linkages", ["business_linkages", "supplier_density"]),
    ("Support Structures", ["institutional_support", "policy_support", "funding_access"]),
    ("Human Capital", ["talent", "skills"]),
    ("Market and Business Environment", ["market_reach", "industry_diversity"]),
    ("Derived indicators", []),
]
criteria = [c for _, cs in cats for c in cs]
assert len(criteria) == 17, len(criteria)
lower_is_better = {"business_density": False, "policy_support": True, "supplier_density": True}
load = rng.uniform(0.3, 1.0, len(criteria))
n = R * C
s = rng.standard_normal(n)
x = np.exp(0.8 * s[:, None] * load[None, :] + 0.6 * rng.standard_normal((n, len(criteria))))
with open(os.path.join(out, "indicators.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["unit", "cluster"] + criteria)
    for i in range(n):
        r, c = divmod(i, C)
        w.writerow([f"r{r:04d}", f"c{c:02d}"] + [f"{v:.6g}" for v in x[i]])
with open(os.path.join(out, "tree.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["node", "parent", "weight", "direction"])
    for cat, cs in cats:
        for c in cs:
            w.writerow([c, cat, 1, -1 if lower_is_better.get(c) else 1])
    for cat, cs in cats:
        if cs:
            w.writerow([cat, "Index", 1, 1])
    w.writerow(["Index", "", 1, 1])
print(f"{n} region-clusters x {len(criteria)} criteria -> {out}")
