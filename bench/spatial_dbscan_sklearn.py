"""sklearn.cluster.DBSCAN on the same establishments as `agglo dbscan` (bench/spatial_dbscan.sh).

lon/lat → radians with metric='haversine' (ball tree), eps = eps_km / 6371.0088, the radius
agglo uses. min_samples counts the point itself, as agglo's --min-points does.
Writes the labels (one per line, input order) and prints the fit time.
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN

path, eps_km, min_points, n_jobs, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
t0 = time.perf_counter()
df = pd.read_csv(path, usecols=["lon", "lat"])
X = np.radians(df[["lat", "lon"]].to_numpy())
t1 = time.perf_counter()
db = DBSCAN(eps=eps_km / 6371.0088, min_samples=min_points, metric="haversine", algorithm="ball_tree", n_jobs=n_jobs).fit(X)
t2 = time.perf_counter()
np.savetxt(out, db.labels_, fmt="%d")
print(f"sklearn read {t1 - t0:.2f} s, fit {t2 - t1:.2f} s, clusters {db.labels_.max() + 1}, noise {(db.labels_ < 0).sum()}")
