"""Exact conditional-randomisation counts of PySAL esda's G_Local(star=True) on the lattice of
perm_exact.R, for tests/unit/spatial/test_hotspots_conventions.cpp. The tests read the CSV
written here; they never run Python or esda.

    /usr/bin/python3 perm_exact_esda.py ESDA_SRC      (from this folder, after perm_exact.R)

ESDA_SRC is a tree of the esda sources (github.com/pysal/esda, e.g. `git archive`), with its
package folder ESDA_SRC/esda. esda's __init__ imports geopandas (not in Debian 12), so the
three modules G_Local needs (getisord, crand, significance) are loaded as a package of their
own; libpysal is Debian's python3-libpysal 4.7.

Exactness. esda's crand draws ONE matrix of permuted ids for all regions,
vec_permutations(max_card, n, R, seed): R rows of max_card distinct indices into the n − 1
other values, of which region i uses the first k_i columns (its own value is held and enters
with its self weight: G_Local(star=True), crand's _g_local_star_crand). The script replaces
vec_permutations by the complete list of ordered max_card-tuples of distinct indices, so every
k_i-prefix appears equally often and M/N = #(simulated G ≥ observed G) / #draws over esda's
kept simulations is the exact tail probability of esda's convention (agglo's
--gi-permutation conditional --sampling without).
"""
import csv
import itertools
import sys
import types
import warnings

import numpy as np

warnings.filterwarnings("ignore")
src = sys.argv[1]
pkg = types.ModuleType("esda")
pkg.__path__ = [src + "/esda"]
sys.modules["esda"] = pkg
import esda.crand  # noqa: E402
from esda.getisord import G_Local  # noqa: E402
import libpysal  # noqa: E402

x = {}
with open("perm_exact_x.csv") as f:
    for row in csv.DictReader(f):
        x[int(row["region"])] = float(row["x"])
n = len(x)
y = np.array([x[i] for i in range(n)])
neighbours = {i: [] for i in range(n)}
with open("perm_exact_nb.csv") as f:
    for row in csv.DictReader(f):
        neighbours[int(row["from"])].append(int(row["to"]))
w = libpysal.weights.W(neighbours)

max_card = max(len(v) for v in neighbours.values())
enumeration = np.array(list(itertools.permutations(range(n - 1), max_card)), dtype=np.int64)


def vec_permutations(mc, nn, reps, seed):
    assert mc == max_card and nn == n and reps == len(enumeration)
    return enumeration


esda.crand.vec_permutations = vec_permutations
g = G_Local(y, w, transform="B", star=True, permutations=len(enumeration), keep_simulations=True, n_jobs=1,
            seed=1, alternative="directed")
sims = g.rGs  # n × R
with open("perm_exact_esda.csv", "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow(["implementation", "region", "k", "draws", "ge"])
    for i in range(n):
        out.writerow([f"esda G_Local(star=True) {sys.argv[2] if len(sys.argv) > 2 else ''}".strip(), i,
                      len(neighbours[i]), sims.shape[1], int((sims[i] >= g.Gs[i]).sum())])
print("wrote perm_exact_esda.csv:", n, "regions,", len(enumeration), "draws each")
