"""Synthetic regions for bench/spatial_model.sh: n points uniform in the unit square, planted
spatial lag y = (I - rho W)^{-1} (1 + 2 x1 - x2 + e) with W the row-standardised 6-nearest-neighbour
weights (as agglo --weights knn --k 6 builds them, ties by index), rho = 0.5. Seeded; writes
id,x,y,yv,x1,x2 to the given CSV.  Usage: spatial_model_data.py N OUT.csv [SEED]"""
import sys
import numpy as np
from scipy.spatial import cKDTree

n = int(sys.argv[1]); out = sys.argv[2]; seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
rng = np.random.default_rng(seed)
pts = rng.random((n, 2))
_, nb = cKDTree(pts).query(pts, k=7)
nb = nb[:, 1:]
x1 = rng.standard_normal(n); x2 = rng.standard_normal(n); e = rng.standard_normal(n)
rhs = 1 + 2 * x1 - x2 + e
y = rhs.copy()
for _ in range(200):  # fixed point y = rhs + rho W y (|rho| < 1)
    y = rhs + 0.5 * y[nb].mean(axis=1)
with open(out, "w") as f:
    f.write("id,x,y,yv,x1,x2\n")
    for i in range(n):
        f.write(f"r{i},{pts[i,0]:.9f},{pts[i,1]:.9f},{y[i]:.12g},{x1[i]:.12g},{x2[i]:.12g}\n")
