"""Adjusted Rand index between agglo's hdbscan labels (CSV id,cluster,probability; -1 = noise)
and R's (one label per line; 0 = noise), each noise set counted as one class.
   python3 spatial_hdbscan_compare.py AGGLO.csv R.txt"""
import sys

import pandas as pd
from sklearn.metrics import adjusted_rand_score

a = pd.read_csv(sys.argv[1])["cluster"].to_numpy()
r = pd.read_csv(sys.argv[2], header=None)[0].to_numpy()
assert len(a) == len(r), (len(a), len(r))
agree_noise = ((a < 0) == (r == 0)).mean()
print(f"ARI {adjusted_rand_score(r, a):.6f}, noise/non-noise agreement {agree_noise:.6f}")
