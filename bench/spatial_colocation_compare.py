#!/usr/bin/python3
"""Agreement of two co-location outputs (pattern,size,participation_index CSVs): same
prevalent patterns, largest difference of the participation index.

    spatial_colocation_compare.py AGGLO.csv REFERENCE.csv
"""
import sys

import pandas as pd

a = pd.read_csv(sys.argv[1]).set_index("pattern")["participation_index"]
b = pd.read_csv(sys.argv[2]).set_index("pattern")["participation_index"]
only_a, only_b = sorted(set(a.index) - set(b.index)), sorted(set(b.index) - set(a.index))
common = sorted(set(a.index) & set(b.index))
diff = max((abs(a[p] - b[p]) for p in common), default=0.0)
sizes = pd.Series([p.count("+") + 1 for p in a.index]).value_counts().sort_index()
print(f"patterns: agglo {len(a)}, reference {len(b)}, common {len(common)}, only agglo {len(only_a)}, "
      f"only reference {len(only_b)}; max |PI difference| {diff:.3g}; agglo patterns by size "
      + ", ".join(f"{k}: {v}" for k, v in sizes.items()))
if only_a or only_b:
    print("  only agglo:", only_a[:10], " only reference:", only_b[:10])
