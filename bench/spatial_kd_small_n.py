"""How many establishments does the Duranton–Overman K-density need? (docs/methods/spatial-distance.md,
"Small samples"; the threshold of spatial::kMinEstablishments.)

On the synthetic economy of `agglo synth --preset tiny --seed 7`, an industry is cut down to n of
its establishments (20 random subsets per n; the others stay as sites under another code, so the
candidate sites are unchanged) and `agglo kdensity` (199 DO simulations, default range) says
whether it is localised. Industries: 336111 and 325991 (planted as localised at 5 and 10 km),
517910 (planted at 20 km, a weak signal), 621991 (a local industry, not planted: the share
called localised is the false-positive rate).

    /usr/bin/python3 bench/spatial_kd_small_n.py BUILD/agglo > bench/results/spatial_kd_small_n.txt
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd

agglo = os.path.abspath(sys.argv[1])
work = tempfile.mkdtemp(prefix="agglo-kd-small-n.")
subprocess.run([agglo, "--quiet", "synth", "--preset", "tiny", "--seed", "7", "-o", work + "/tiny/"], check=True)
e = pd.read_csv(work + "/tiny/establishments.csv", dtype={"industry": str, "region": str})
rows = []
for ind, sizes in [("336111", [5, 10, 20, 30, 50]), ("621991", [5, 10, 20, 30, 50]),
                   ("325991", [10, 20, 30, 50]), ("517910", [10, 20, 30, 50])]:
    idx = np.where(e.industry == ind)[0]
    members = set(idx)
    for n in sizes:
        for rep in range(20):
            keep = set(np.random.default_rng(1000 * n + rep).choice(idx, size=n, replace=False))
            f = e.copy()
            f["industry"] = ["x" + ind if (i in members and i not in keep) else c for i, c in enumerate(e.industry)]
            path = work + "/e.csv"
            f.to_csv(path, index=False)
            subprocess.run([agglo, "--quiet", "kdensity", "--establishments", path, "--industry", ind,
                            "--simulations", "199", "-o", work + "/kd.csv"], check=True)
            rows.append((ind, n, rep, pd.read_csv(work + "/kd.indices.csv", dtype=str).pattern.iat[0]))
r = pd.DataFrame(rows, columns=["industry", "n", "rep", "pattern"])
print("# share of 20 random subsets of n establishments that agglo kdensity calls localised / dispersed / neither")
print(r.groupby(["industry", "n"]).pattern.value_counts().unstack(fill_value=0).to_string())
