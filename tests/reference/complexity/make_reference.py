#!/usr/bin/env python3
"""Reference outputs of py-ecomplexity for agglo's complexity tests.

py-ecomplexity is the Harvard Growth Lab's Python package for economic complexity
(https://github.com/cid-harvard/py-ecomplexity); its Mata-derived formulas are what the Atlas
of Economic Complexity (Hausmann, Hidalgo et al. 2014) publishes. This script runs it, unchanged,
on the inputs below and writes its numbers as CSV; tests/unit/complexity/test_reference.cpp
checks that agglo reproduces them. Neither the tests nor agglo need Python or py-ecomplexity.

Usage (from the repository root; py-ecomplexity needs only numpy, pandas and scikit-learn):

    /usr/bin/python3 tests/reference/complexity/make_reference.py /path/to/py-ecomplexity

where /path/to/py-ecomplexity is a checkout of cid-harvard/py-ecomplexity (the outputs here
were made from commit d22c0f7fcad4cf629415895dd17afc5685108274, version 0.5.2, with numpy
1.24.2, pandas 1.5.3, scikit-learn 1.2.1).

Cases (each writes <case>_locations.csv, <case>_products.csv, <case>_cells.csv):
  world_atlas  the bundled world trade data (data/reference/world_exports_sitc4_avg_1998_2000.csv)
               restricted to the Atlas sample: locations with a population of at least 1 million
               in data/reference/world_population_1998_2000.csv (locations without a population
               are left out too). The export floor is not applied: the bundled values are not
               total exports (data/README.md). Cells for a few locations only (file size).
  world_all    the same file with every location (no floor); cells for a few locations.
  panel        a synthetic 3-year panel (panel_exports.csv, made here from a seeded generator):
               14 locations x 36 products, one product absent in 2002 and one location absent
               in 2003 (both are dropped from that year by py-ecomplexity and by agglo).
  panel_rpop   the same panel, presence by per-capita RCA (presence_test="rpop") with the
               populations of panel_population.csv.
Plus world_atlas_proximity.csv: py-ecomplexity's proximity() for three products against all.
"""
import os
import sys

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLS = {"time": "year", "loc": "location", "prod": "product", "val": "value"}


def fmt(v):
    return "" if not np.isfinite(v) else repr(float(v))


def write(df, name):
    path = os.path.join(HERE, name)
    out = df.copy()
    for c in out.columns:
        if out[c].dtype.kind == "f":
            out[c] = out[c].map(fmt)
    out.to_csv(path, index=False)
    print(f"wrote {name}: {len(out)} rows")


def run(data, **kw):
    from ecomplexity import ecomplexity

    return ecomplexity(data, COLS, verbose=False, **kw)


def tables(out, case, cell_locations=None, has_year=False):
    key_l = ["location"] + (["year"] if has_year else [])
    key_p = ["product"] + (["year"] if has_year else [])
    # Rows py-ecomplexity dropped from a year (zero totals) have NaN diversity; leave them out.
    out = out[out["diversity"].notna()].copy()
    loc = out.groupby(key_l, as_index=False).agg(diversity=("diversity", "first"), eci=("eci", "first"),
                                                 coi=("coi", "first"))
    loc["diversity"] = loc["diversity"].astype(int)
    prod = out.groupby(key_p, as_index=False).agg(ubiquity=("ubiquity", "first"), pci=("pci", "first"))
    prod["ubiquity"] = prod["ubiquity"].astype(int)
    cells = out if cell_locations is None else out[out["location"].isin(cell_locations)]
    cols = key_l + ["product", "rca"] + (["rpop"] if "rpop" in cells.columns else []) + ["mcp", "density", "cog"]
    cells = cells[cols].copy()
    cells["mcp"] = cells["mcp"].astype(int)
    write(loc.sort_values(key_l), f"{case}_locations.csv")
    write(prod.sort_values(key_p), f"{case}_products.csv")
    write(cells.sort_values(key_l + ["product"]), f"{case}_cells.csv")


def synthetic_panel():
    """14 locations x 36 products x 3 years: nested capabilities plus noise (seeded)."""
    rng = np.random.default_rng(20240613)
    L, P = 14, 36
    ability = np.sort(rng.uniform(0, 1, L))[::-1]
    difficulty = rng.uniform(0, 1, P)
    size = rng.lognormal(3, 1, L)
    rows = []
    for year in (2001, 2002, 2003):
        for c in range(L):
            if year == 2003 and c == L - 1:
                continue  # location r14 reports nothing in 2003
            for p in range(P):
                if year == 2002 and p == P - 1:
                    continue  # product q36 is not traded in 2002
                prob = 0.15 + 0.8 * (ability[c] > difficulty[p] * rng.uniform(0.6, 1.1))
                if rng.uniform() < prob:
                    v = round(size[c] * rng.lognormal(0, 1.2) * (1 + 3 * (1 - difficulty[p])), 3)
                    if v > 0:
                        rows.append((f"r{c + 1:02d}", f"q{p + 1:02d}", v, year))
    data = pd.DataFrame(rows, columns=["location", "product", "value", "year"])
    # Populations roughly proportional to size (so every location has some product with
    # per-capita RCA >= 1; py-ecomplexity's ECI is NaN for everyone when one location has none).
    pop = pd.DataFrame({"location": [f"r{c + 1:02d}" for c in range(L)],
                        "value": np.round(size * 1e5 * rng.lognormal(0, 0.4, L))})
    return data, pop


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.path.insert(0, sys.argv[1])
    from ecomplexity import proximity

    world = pd.read_csv(os.path.join(ROOT, "data/reference/world_exports_sitc4_avg_1998_2000.csv"),
                        dtype={"location": str, "product": str})
    world["year"] = 2000
    pop = pd.read_csv(os.path.join(ROOT, "data/reference/world_population_1998_2000.csv"),
                      dtype={"country": str}).set_index("country")["value"]
    atlas = [c for c in world["location"].unique() if c in pop.index and pop[c] >= 1e6]
    sample = ["jpn", "deu", "col", "tha", "nga"]
    w_atlas = world[world["location"].isin(atlas)]
    tables(run(w_atlas), "world_atlas", sample)
    prox = proximity(w_atlas, COLS)
    prox = prox[prox["product_1"].isin(["7810", "0711", "7764"])][["product_1", "product_2", "proximity"]]
    write(prox.sort_values(["product_1", "product_2"]), "world_atlas_proximity.csv")
    tables(run(world), "world_all", ["jpn", "col", "sgs", "tuv"])

    panel, panel_pop = synthetic_panel()
    panel.to_csv(os.path.join(HERE, "panel_exports.csv"), index=False)
    panel_pop.assign(value=panel_pop["value"].astype(np.int64)).to_csv(os.path.join(HERE, "panel_population.csv"),
                                                                       index=False)
    tables(run(panel), "panel", has_year=True)
    pop_by_year = pd.concat([panel_pop.assign(year=y) for y in (2001, 2002, 2003)])[["year", "location", "value"]]
    tables(run(panel, presence_test="rpop", pop=pop_by_year), "panel_rpop", has_year=True)


if __name__ == "__main__":
    main()
