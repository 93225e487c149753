#!/usr/bin/python3
"""Reference co-location miner for bench/spatial_colocation.sh: the join-based algorithm of
Huang, Shekhar & Xiong (2004) in plain Python (numpy/scipy for the neighbour pairs).

    spatial_colocation_reference.py EST.csv DISTANCE MIN_PREVALENCE MAX_SIZE OUT.csv

Neighbour pairs d <= DISTANCE (Euclidean x,y) by scipy.spatial.cKDTree.query_pairs. Row
instances of size 2 are the pairs of distinct industries; those of size k+1 extend each row
instance of the prevalent size-k prefix by every neighbour of its first point having the new
industry and being a neighbour of all the others (the clique test). Participation ratio =
distinct instances of an industry in the row instances / its establishments; PI = minimum.
Candidates by Apriori-gen (all (k-1)-subpatterns prevalent). Writes pattern,size,
participation_index for every prevalent pattern, and prints the row-instance count.
There is no Debian package for co-location mining; this is the textbook algorithm as a
user would write it.
"""
import itertools
import sys
from collections import defaultdict

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

path, dist, theta, kmax, out = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
df = pd.read_csv(path, usecols=["industry", "x", "y"])
codes = sorted(df["industry"].unique())
fid = {c: i for i, c in enumerate(codes)}
feat = df["industry"].map(fid).to_numpy()
xy = df[["x", "y"]].to_numpy()
count = np.bincount(feat, minlength=len(codes))

pairs = cKDTree(xy).query_pairs(dist, output_type="ndarray")
pairs = pairs[feat[pairs[:, 0]] != feat[pairs[:, 1]]]
nbrs = defaultdict(set)
for i, j in pairs:
    nbrs[i].add(j)
    nbrs[j].add(i)

def enough(c, n):
    return c / n >= theta

# size 2: instance tables keyed by (a, b), a < b, rows ordered by feature
inst = defaultdict(list)
for i, j in pairs:
    if feat[i] > feat[j]:
        i, j = j, i
    inst[(feat[i], feat[j])].append((i, j))

results = []
row_instances = 0
level = {}
for pat, rows in inst.items():
    row_instances += len(rows)
    parts = [len({r[t] for r in rows}) for t in range(2)]
    pr = [parts[t] / count[pat[t]] for t in range(2)]
    if all(enough(parts[t], count[pat[t]]) for t in range(2)):
        level[pat] = rows
        results.append((pat, min(pr)))
k = 2
while k < kmax and len(level) > 1:
    prev = sorted(level)
    prevset = set(prev)
    nxt = {}
    for a in range(len(prev)):
        for b in range(a + 1, len(prev)):
            A, B = prev[a], prev[b]
            if A[:-1] != B[:-1]:
                break
            C = A + (B[-1],)
            if any(tuple(C[:s] + C[s + 1:]) not in prevset for s in range(k + 1)):
                continue
            g = C[-1]
            rows = []
            for r in level[A]:
                for j in nbrs[r[0]]:
                    if feat[j] == g and all(j in nbrs[q] for q in r[1:]):
                        rows.append(r + (j,))
            row_instances += len(rows)
            if not rows:
                continue
            parts = [len({r[t] for r in rows}) for t in range(k + 1)]
            if all(enough(parts[t], count[C[t]]) for t in range(k + 1)):
                nxt[C] = rows
                results.append((C, min(parts[t] / count[C[t]] for t in range(k + 1))))
    level = nxt
    k += 1

with open(out, "w") as f:
    f.write("pattern,size,participation_index\n")
    for pat, pi in sorted(results, key=lambda t: (len(t[0]), t[0])):
        f.write(f"{'+'.join(codes[i] for i in pat)},{len(pat)},{pi!r}\n")
print(f"{len(results)} prevalent patterns, {row_instances} row instances enumerated, {len(pairs)} neighbour pairs")
