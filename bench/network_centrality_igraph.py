#!/usr/bin/python3
"""igraph's single-threaded exact betweenness (and closeness) on an agglo edge list, timed, and
checked against agglo's nodes.csv when given.

  /usr/bin/python3 bench/network_centrality_igraph.py NODES.csv EDGES.csv [AGGLO_NODES.csv ...]

python-igraph 0.10 (Debian python3-igraph) wraps the C library agglo used before (igraph 0.10):
Graph.betweenness() is igraph_betweenness (Brandes 2001, one thread), Graph.closeness() is
igraph_closeness(mode=OUT, normalized=True). Betweenness is normalised like agglo's (divided by
(n−1)(n−2)/2, undirected; n counts every node of NODES.csv, isolated ones included, as agglo
does). Prints one JSON line: seconds per measure, and for every agglo
nodes.csv given the largest relative difference of betweenness and closeness over all nodes."""
import csv
import json
import math
import sys
import time

import igraph

nodes_file, edges_file = sys.argv[1], sys.argv[2]
names, index, pairs = [], {}, []
with open(nodes_file) as f:
    for row in csv.DictReader(f):
        index[row["id"]] = len(names)
        names.append(row["id"])
with open(edges_file) as f:
    r = csv.reader(f)
    next(r)
    for row in r:
        ids = []
        for x in row[:2]:
            if x not in index:
                index[x] = len(names)
                names.append(x)
            ids.append(index[x])
        pairs.append(ids)
g = igraph.Graph(n=len(names), edges=pairs, directed=False)
n = g.vcount()
out = {"nodes": n, "ties": g.ecount()}
t = time.perf_counter()
bet = g.betweenness(directed=False)
out["betweenness_s"] = round(time.perf_counter() - t, 3)
t = time.perf_counter()
clo = g.closeness(mode="out", normalized=True)
out["closeness_s"] = round(time.perf_counter() - t, 3)
norm = (n - 1) * (n - 2) / 2
bet = [b / norm for b in bet]


def num(x):  # agglo writes NaN as an empty field
    return float(x) if x != "" else math.nan


def rel(a, b):
    if math.isnan(a) and math.isnan(b):
        return 0.0
    return abs(a - b) / max(abs(b), 1e-300) if b != 0 else abs(a)


for k, path in enumerate(sys.argv[3:]):
    db = dc = 0.0
    with open(path) as f:
        for row in csv.DictReader(f):
            v = index[row["id"]]
            db = max(db, rel(num(row["betweenness"]), bet[v]))
            dc = max(dc, rel(num(row["closeness"]), clo[v]))
    out[f"max_rel_diff_{k}"] = {"betweenness": db, "closeness": dc}
print(json.dumps(out))
