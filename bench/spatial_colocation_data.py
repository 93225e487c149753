#!/usr/bin/python3
"""Synthetic establishments with planted co-location patterns, for bench/spatial_colocation.sh.

    spatial_colocation_data.py N INDUSTRIES SEED OUT.csv

N establishments of INDUSTRIES industries (codes i00, i01, ...) in a 50 km x 50 km square
(projected x,y in km), with a region column (5 x 5 districts of 10 km). Planted groups of
industries share cluster centres: groups (i00,i01,i02), (i03,i04,i05,i06), (i07,i08) and
(i09,i10,i11); 60 % of a planted industry's establishments lie within a Gaussian
(sd 0.15 km) around one of its group's 12 centres, the rest and every other industry are
uniform. Seeded: the same arguments give the same file.
"""
import sys

import numpy as np

n, k, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = np.random.default_rng(seed)
groups = [[0, 1, 2], [3, 4, 5, 6], [7, 8], [9, 10, 11]]
groups = [[i for i in g if i < k] for g in groups]
centres = [rng.uniform(2, 48, size=(12, 2)) for _ in groups]
group_of = {i: gi for gi, g in enumerate(groups) for i in g}
ind = rng.integers(0, k, size=n)
x = rng.uniform(0, 50, size=n)
y = rng.uniform(0, 50, size=n)
planted = np.array([i in group_of for i in ind]) & (rng.uniform(size=n) < 0.6)
for j in np.nonzero(planted)[0]:
    c = centres[group_of[ind[j]]][rng.integers(0, 12)]
    x[j], y[j] = c + rng.normal(0, 0.15, size=2)
x = np.clip(x, 0, 50)
y = np.clip(y, 0, 50)
region = (np.minimum(x // 10, 4) * 5 + np.minimum(y // 10, 4)).astype(int)
with open(out, "w") as f:
    f.write("id,industry,x,y,region\n")
    for j in range(n):
        f.write(f"e{j},i{ind[j]:02d},{x[j]:.6f},{y[j]:.6f},d{region[j]:02d}\n")
