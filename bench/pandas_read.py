#!/usr/bin/python3
"""pandas side of bench/csv_ingest.sh: read an establishments CSV like agglo validate does.

usage: /usr/bin/python3 bench/pandas_read.py FILE dup|plain

  dup    pd.read_csv(FILE, dtype={'id': str, 'industry': str, 'region': str}) and
         df['id'].duplicated().any() (agglo validate also checks for duplicate ids)
  plain  the same read_csv without the duplicate check

Prints one line: rows=<n> read_s=<seconds> total_s=<seconds> duplicates=<bool>, times measured
inside the process (after `import pandas`); the driver measures the whole process too.
"""
import sys
import time

import pandas as pd


def main() -> int:
    path, mode = sys.argv[1], sys.argv[2]
    if mode not in ("dup", "plain"):
        print(__doc__, file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype={"id": str, "industry": str, "region": str})
    t1 = time.perf_counter()
    dup = bool(df["id"].duplicated().any()) if mode == "dup" else None
    t2 = time.perf_counter()
    print(f"rows={len(df)} read_s={t1 - t0:.3f} total_s={t2 - t0:.3f} duplicates={dup}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
