#!/usr/bin/python3
"""networkx side of bench/network_bench.sh: Burt's constraint and effective size.

  /usr/bin/python3 bench/network_networkx.py EDGES.csv AGGLO_NODES.csv

Loads the undirected, unweighted edge list, times nx.constraint and nx.effective_size, and
compares every value with agglo's nodes.csv (max absolute difference). Prints one JSON line."""
import csv
import json
import math
import sys
import time

import networkx as nx

t0 = time.perf_counter()
G = nx.Graph()
with open(sys.argv[1]) as f:
    r = csv.reader(f)
    next(r)
    G.add_edges_from((a, b) for a, b in r)
t1 = time.perf_counter()
c = nx.constraint(G)
t2 = time.perf_counter()
e = nx.effective_size(G)
t3 = time.perf_counter()
diff_c = diff_e = 0.0
with open(sys.argv[2]) as f:
    for row in csv.DictReader(f):
        v = row["id"]
        if v not in G:
            continue
        diff_c = max(diff_c, abs(float(row["constraint"]) - c[v]))
        diff_e = max(diff_e, abs(float(row["effective_size"]) - e[v]))
print(json.dumps({"networkx": nx.__version__, "nodes": G.number_of_nodes(), "ties": G.number_of_edges(),
                  "load_s": t1 - t0, "constraint_s": t2 - t1, "effective_size_s": t3 - t2,
                  "max_abs_diff_constraint": diff_c, "max_abs_diff_effective_size": diff_e}))
