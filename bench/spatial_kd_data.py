#!/usr/bin/python3
"""Synthetic establishments for bench/spatial_kd.sh (projected x,y in km on a 200 × 200 km
square). Usage: spatial_kd_data.py SITES REF_N OUT.csv [SEED]
The reference industry REF (REF_N establishments) sits in 10 clumps of sd 3 km (localised); the
other SITES − REF_N establishments belong to 50 industries spread uniformly. Employees are
log-normal. With REF_N = SITES every point is in REF and uniform (the all-pairs benchmark)."""
import sys
import numpy as np

sites, ref_n, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
side = 200.0
if ref_n == sites:
    x, y = rng.uniform(0, side, sites), rng.uniform(0, side, sites)
    ind = np.array(["REF"] * sites)
else:
    centres = rng.uniform(20, side - 20, (10, 2))
    k = rng.integers(0, 10, ref_n)
    rx = np.clip(centres[k, 0] + rng.normal(0, 3, ref_n), 0, side)
    ry = np.clip(centres[k, 1] + rng.normal(0, 3, ref_n), 0, side)
    m = sites - ref_n
    x = np.concatenate([rx, rng.uniform(0, side, m)])
    y = np.concatenate([ry, rng.uniform(0, side, m)])
    ind = np.concatenate([np.array(["REF"] * ref_n), np.array([f"I{i:02d}" for i in rng.integers(0, 50, m)])])
emp = np.maximum(1, np.round(rng.lognormal(2.0, 1.0, sites))).astype(int)
with open(out, "w") as f:
    f.write("id,industry,x,y,employees\n")
    for i in range(sites):
        f.write(f"e{i},{ind[i]},{x[i]:.4f},{y[i]:.4f},{emp[i]}\n")
