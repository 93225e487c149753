"""Point sets for bench/spatial_dbscan_dense.sh, written as agglo establishment CSVs.

  python3 spatial_dbscan_points.py KIND N OUT.csv [SEED]

KIND dense:   N points in 40 tight Gaussian blobs (projected x,y). Centres uniform in
              [0, 200]²; the blobs' standard deviation is 1.5·√(N / 300,000), so the density
              at a blob's centre (≈ 150 points within eps = 0.3) is the same at every N; the
              wider blobs overlap more at large N, so the data get denser still.
KIND uniform: N points uniform in a square of side 1.6·√N (≈ 0.11 points per unit², about
              0.03 neighbours within eps = 0.3: almost all noise, the sparse case).
KIND lonlat:  the dense blobs placed on the sphere near (lon 5°, lat 45°), x,y read as km
              (1° of latitude = 111.2 km), written as lon,lat.
"""
import sys

import numpy as np

kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
rng = np.random.default_rng(seed)
if kind in ("dense", "lonlat"):
    centres = rng.uniform(0, 200, size=(40, 2))
    sd = 1.5 * np.sqrt(n / 300_000)
    which = rng.integers(0, 40, size=n)
    xy = centres[which] + rng.normal(0, sd, size=(n, 2))
elif kind == "uniform":
    xy = rng.uniform(0, 1.6 * np.sqrt(n), size=(n, 2))
else:
    raise SystemExit(f"unknown kind {kind}")
ind = np.where(np.arange(n) % 2 == 0, "A", "B")
emp = rng.integers(1, 20, size=n)
with open(out, "w") as f:
    if kind == "lonlat":
        lat = 45 + xy[:, 1] / 111.195
        lon = 5 + xy[:, 0] / (111.195 * np.cos(np.radians(lat)))
        f.write("id,industry,lon,lat,employees\n")
        for i in range(n):
            f.write(f"e{i},{ind[i]},{lon[i]:.7f},{lat[i]:.7f},{emp[i]}\n")
    else:
        f.write("id,industry,x,y,employees\n")
        for i in range(n):
            f.write(f"e{i},{ind[i]},{xy[i, 0]:.5f},{xy[i, 1]:.5f},{emp[i]}\n")
