#!/usr/bin/env python3
"""Reference scores of COINr's ASEM example, derived from COINr's source logic (COINr 1.1.14,
github.com/bluefoxr/COINr at b9682034: R/normalise.R `Normalise.numeric` + `n_minmax`, R/aggregate.R
`Aggregate.coin` + `a_amean`), since R's COINr is not installable here.

The published pipeline (COINr's JOSS paper, paper/paper.md, "Features"):
    coin <- new_coin(ASEM_iData, ASEM_iMeta)
    coin <- qNormalise(coin, dset = "Raw", f_n = "n_minmax", f_n_para = list(l_u = c(0, 100)))
    coin <- Aggregate(coin, dset = "Normalised", f_ag = "a_amean")
Its printed result: DEU 75.23, GBR 68.94, FRA 65.92, CHE 62.61, NLD 61.24, SWE 60.59 (ranks 1-6).

COINr's logic, written out:
  * Normalise.numeric: x <- x * direction, then n_minmax: (x - min)/(max - min) * 100 (NA ignored).
  * a_amean(x, w): drop NA children (and their weights), rescale w to sum to 1, sum(w * x);
    NA when every child is NA. Weights are iMeta's Weight column, applied at every level.
This script checks the published six values (to the two printed decimals) and writes every unit's
score at every node to asem_coinr_scores.csv (unit,node,score; 17 significant digits).

Run: /usr/bin/python3 tests/reference/scorecard/asem_coinr_reference.py
"""
import csv
import math
import os

here = os.path.dirname(os.path.abspath(__file__))
data_dir = os.path.join(here, "..", "..", "..", "data", "reference", "asem")

with open(os.path.join(data_dir, "iData.csv"), newline="", encoding="utf-8") as f:
    idata = list(csv.DictReader(f))
with open(os.path.join(data_dir, "iMeta.csv"), newline="", encoding="utf-8") as f:
    imeta = list(csv.DictReader(f))

units = [r["uCode"] for r in idata]
ind = [m for m in imeta if m["Type"] == "Indicator"]
agg = [m for m in imeta if m["Type"] == "Aggregate"]

scores = {}  # node -> list over units
for m in ind:
    d = float(m["Direction"])
    x = [float(r[m["iCode"]]) * d if r[m["iCode"]] != "" else None for r in idata]
    vals = [v for v in x if v is not None]
    lo, hi = min(vals), max(vals)
    scores[m["iCode"]] = [None if v is None else (v - lo) / (hi - lo) * 100 for v in x]

for level in sorted({int(m["Level"]) for m in agg}):
    for m in agg:
        if int(m["Level"]) != level:
            continue
        kids = [c for c in imeta if c["Parent"] == m["iCode"]]
        out = []
        for u in range(len(units)):
            pairs = [(scores[c["iCode"]][u], float(c["Weight"])) for c in kids if scores[c["iCode"]][u] is not None]
            if not pairs:
                out.append(None)
                continue
            sw = sum(w for _, w in pairs)
            out.append(sum(v * w / sw for v, w in pairs))
        scores[m["iCode"]] = out

published = {"DEU": 75.23, "GBR": 68.94, "FRA": 65.92, "CHE": 62.61, "NLD": 61.24, "SWE": 60.59}
index = dict(zip(units, scores["Index"]))
top = sorted(units, key=lambda u: -index[u])[:6]
assert top == list(published), top
for u, v in published.items():
    assert round(index[u], 2) == v, (u, index[u], v)

with open(os.path.join(here, "asem_coinr_scores.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["unit", "node", "score"])
    for node in ["Index"] + [m["iCode"] for m in agg if m["iCode"] != "Index"] + [m["iCode"] for m in ind]:
        for u, v in zip(units, scores[node]):
            w.writerow([u, node, "" if v is None else repr(v)])
print("published values reproduced:", ", ".join(f"{u} {index[u]:.2f}" for u in top))
