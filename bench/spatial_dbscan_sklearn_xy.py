"""sklearn.cluster.DBSCAN on the projected x,y points of an agglo establishments CSV (the peer of
bench/spatial_dbscan_dense.sh; bench/spatial_dbscan_sklearn.py is the lon/lat one).

  python3 spatial_dbscan_sklearn_xy.py POINTS.csv EPS MIN_POINTS N_JOBS LABELS_OUT

Euclidean metric, algorithm='auto' (kd-tree here); min_samples counts the point itself, as
agglo's --min-points does. Writes the labels (one per line, input order), prints the fit time.
"""
import sys
import time

import numpy as np
import pandas as pd
from sklearn.cluster import DBSCAN

path, eps, min_points, n_jobs, out = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
t0 = time.perf_counter()
X = pd.read_csv(path, usecols=["x", "y"]).to_numpy()
t1 = time.perf_counter()
db = DBSCAN(eps=eps, min_samples=min_points, n_jobs=n_jobs).fit(X)
t2 = time.perf_counter()
np.savetxt(out, db.labels_, fmt="%d")
print(f"sklearn read {t1 - t0:.2f} s, fit {t2 - t1:.2f} s, clusters {db.labels_.max() + 1}, noise {(db.labels_ < 0).sum()}")
