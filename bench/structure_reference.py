#!/usr/bin/env python3
"""The numpy / statsmodels side of bench/structure.sh: the same work as `agglo io` and
`agglo blocks` on the same files, with the same algorithms, so the two can be timed side by side.

    structure_reference.py io     DIR   # flows.csv, totals.csv: L = inv(I - A), G = X^-1 L X,
                                        # linkages, multipliers, every single-sector extraction
                                        # (closed forms, as agglo), written to DIR/py_io_*.csv
    structure_reference.py blocks DIR   # + series.csv: Louvain communities of w = A + A'
                                        # (networkx; agglo uses igraph's Leiden), split while > 8,
                                        # coint_johansen(det_order 0, k_ar_diff 0) per candidate,
                                        # VECM + VAR(2) Granger tests inside each block

Run with OMP_NUM_THREADS / OPENBLAS_NUM_THREADS = 2 for the 2-core comparison.
"""
import sys

import numpy as np
import pandas as pd


def load_table(d):
    tot = pd.read_csv(f"{d}/totals.csv", dtype={"industry": str})
    flows = pd.read_csv(f"{d}/flows.csv", dtype={"from": str, "to": str})
    names = list(tot["industry"])
    index = {k: i for i, k in enumerate(names)}
    n = len(names)
    z = np.zeros((n, n))
    z[flows["from"].map(index).to_numpy(), flows["to"].map(index).to_numpy()] = flows["value"].to_numpy()
    x = tot["output"].to_numpy(float)
    return names, z, x, tot


def io(d):
    names, z, x, tot = load_table(d)
    n = len(names)
    a = z / x[None, :]
    lu_in = np.eye(n) - a
    l = np.linalg.inv(lu_in)
    g = l * x[None, :] / x[:, None]
    bl, fl = l.sum(0), g.sum(1)
    key = (bl / bl.mean() > 1) & (fl / fl.mean() > 1)
    va = tot["value_added"].to_numpy(float)
    vam = (va / x) @ l
    d_l, d_g = np.diag(l), np.diag(g)
    back = x * (bl - 1) / d_l
    fwd = x * (fl - 1) / d_g
    total = x * bl / d_l
    pd.DataFrame({"industry": names, "backward": bl, "forward": fl, "backward_norm": bl / bl.mean(),
                  "forward_norm": fl / fl.mean(), "key_sector": key.astype(int)}).to_csv(f"{d}/py_io_linkages.csv", index=False)
    pd.DataFrame({"industry": names, "value_added_multiplier": vam}).to_csv(f"{d}/py_io_multipliers.csv", index=False)
    pd.DataFrame({"industry": names, "backward_loss": back, "forward_loss": fwd, "total_loss": total}).to_csv(
        f"{d}/py_io_extraction.csv", index=False)
    print(f"io: {n} industries, {int(key.sum())} key sectors")


def blocks(d, max_size=8, lags=0):
    import networkx as nx
    from statsmodels.tsa.api import VAR
    from statsmodels.tsa.vector_ar.vecm import VECM, coint_johansen

    names, z, x, _ = load_table(d)
    n = len(names)
    a = z / x[None, :]
    w = a + a.T
    np.fill_diagonal(w, 0)
    s = pd.read_csv(f"{d}/series.csv", dtype={"industry": str})
    wide = s.pivot(index="year", columns="industry", values="value")[names]
    y = np.log(wide.to_numpy(float))
    y = y - y.mean(axis=1, keepdims=True)
    graph = nx.from_numpy_array(w)

    def split(nodes, seed):
        if len(nodes) <= max_size:
            return [sorted(nodes)]
        parts = nx.community.louvain_communities(graph.subgraph(nodes), weight="weight", seed=seed)
        if len(parts) <= 1:
            nodes = sorted(nodes)
            return [nodes[i:i + max_size] for i in range(0, len(nodes), max_size)]
        out = []
        for p in parts:
            out += split(p, seed + 1)
        return out

    cands = []
    for c in nx.community.louvain_communities(graph, weight="weight", seed=1):
        cands += split(c, 2)
    found = 0
    for c in cands:
        k = len(c)
        if k < 2:
            continue
        yc = y[:, c]
        r = coint_johansen(yc, 0, lags)
        nobs = yc.shape[0] - lags - 1
        scale = (nobs - k * (lags + 1)) / nobs
        rank = 0
        while rank < k and scale * r.lr1[rank] > r.cvt[rank, 1]:
            rank += 1
        if rank == 0 or rank == k:
            continue
        found += 1
        VECM(yc, k_ar_diff=lags, coint_rank=rank, deterministic="co").fit()
        res = VAR(yc).fit(lags + 1, trend="c")
        for i in range(k):
            rest = [j for j in range(k) if j != i]
            res.test_causality([res.names[j] for j in rest], [res.names[i]], kind="f")
    print(f"blocks: {found} blocks among {len(cands)} candidates of {n} industries")


if __name__ == "__main__":
    {"io": io, "blocks": blocks}[sys.argv[1]](sys.argv[2])
