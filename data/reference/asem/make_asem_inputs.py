#!/usr/bin/env python3
"""Derives agglo's `index` inputs from COINr's ASEM data (iData.csv, iMeta.csv, beside this file).

  asem_indicators.csv  iData.csv with the unit code column `uCode` named `unit` (other columns kept;
                       `agglo index` reads `unit` and the tree's leaves and ignores the rest)
  asem_tree.csv        node,parent,weight,direction,name,target from iMeta.csv rows of Type Indicator
                       or Aggregate (49 indicators -> 8 pillars -> 2 sub-indexes -> Index)

No value is changed. Run: /usr/bin/python3 data/reference/asem/make_asem_inputs.py
"""
import csv
import os

here = os.path.dirname(os.path.abspath(__file__))

with open(os.path.join(here, "iData.csv"), newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
header = ["unit" if h == "uCode" else h for h in rows[0]]
with open(os.path.join(here, "asem_indicators.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows[1:])

with open(os.path.join(here, "iMeta.csv"), newline="", encoding="utf-8") as f:
    meta = list(csv.DictReader(f))
with open(os.path.join(here, "asem_tree.csv"), "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["node", "parent", "weight", "direction", "name", "target"])
    for m in meta:
        if m["Type"] not in ("Indicator", "Aggregate"):
            continue
        w.writerow([m["iCode"], m["Parent"], m["Weight"], m["Direction"], m["iName"], m["Target"]])
