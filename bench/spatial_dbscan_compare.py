"""Adjusted Rand index between agglo's and sklearn's DBSCAN labelings (noise = one label −1)."""
import sys

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

a = pd.read_csv(sys.argv[1])["cluster"].to_numpy()
b = np.loadtxt(sys.argv[2], dtype=np.int64)
assert len(a) == len(b)
print(f"ARI {adjusted_rand_score(a, b):.6f}; labels differ on {int((a != b).sum())} points (border points "
      f"within eps of two clusters: first-core-point rule vs sklearn's expansion order); "
      f"noise agrees on {np.mean((a < 0) == (b < 0)) * 100:.4f} % of points")
