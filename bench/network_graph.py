#!/usr/bin/python3
"""Writes a seeded planted-partition graph for the network benchmark.

  /usr/bin/python3 bench/network_graph.py NODES EDGES COMMUNITY_SIZE SEED OUTDIR

Nodes in communities of COMMUNITY_SIZE (also their `group`, and every 10 communities form a
`cluster`); 90 % of the ties inside a community, 10 % anywhere; duplicates and self-loops are
removed, so the tie count is a little under EDGES. Writes OUTDIR/nodes.csv, OUTDIR/edges.csv."""
import os
import sys

import numpy as np

n, m, size, seed, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(seed)
m_draw = int(m * 1.12)
src = rng.integers(0, n, m_draw)
inside = rng.random(m_draw) < 0.9
base = (src // size) * size
dst = np.where(inside, base + rng.integers(0, size, m_draw), rng.integers(0, n, m_draw))
dst = np.minimum(dst, n - 1)
a, b = np.minimum(src, dst), np.maximum(src, dst)
keep = a != b
key = np.unique(a[keep].astype(np.int64) * n + b[keep])[:m]
rng.shuffle(key)
a, b = key // n, key % n
with open(os.path.join(out, "nodes.csv"), "w") as f:
    f.write("id,group,cluster\n")
    ids = np.arange(n)
    f.write("\n".join(f"n{i},g{i // size},c{i // (10 * size)}" for i in ids))
    f.write("\n")
with open(os.path.join(out, "edges.csv"), "w") as f:
    f.write("source,target\n")
    f.write("\n".join(f"n{x},n{y}" for x, y in zip(a.tolist(), b.tolist())))
    f.write("\n")
print(f"{n} nodes, {len(a)} ties")
