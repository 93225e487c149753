#!/usr/bin/env python3
"""Writes the small employment files of tests/cli/cases_clusters.tsv (traded/local split of
`agglo define-clusters`). Run from this folder with /usr/bin/python3; numpy, fixed seed.

40 regions with log-normal populations (clusters_regions.csv: code,population). A local
industry places its establishments with probabilities proportional to population times a small
log-normal demand noise; a traded one proportional to population times 15 in its cluster's two
hub regions and 0.3 elsewhere. Each establishment has 1 + Poisson(6) employees.
  clusters_all_local.csv    12 local industries (Local Health Services codes): all local
  clusters_all_traded.csv   12 traded industries, three clusters of four: all traded
  clusters_mixed.csv        8 local + 8 traded (Analytical Instruments, Furniture): 8 and 8
  (the all-traded file adds Forest Products)
  clusters_mixed_noest.csv  the same without the establishments column
"""
import numpy as np

rng = np.random.default_rng(20240601)
R = 40
regions = [f"r{r:02d}" for r in range(R)]
pop = np.round(np.exp(rng.normal(10, 1.2, R)))
LOCAL = ["621111", "621210", "621310", "621320", "621330", "621340", "621391", "621399", "621410", "621420",
         "621491", "621492"]
ANALYTICAL = ["333295", "333298", "333314", "334418"]
FURNITURE = ["337121", "337122", "337125", "337129"]
FOREST = ["321911", "321912", "321992", "322121"]


def industry(kind, hubs, n):
    if kind == "local":
        w = pop * np.exp(rng.normal(0, 0.1, R))
    else:
        m = np.full(R, 0.3)
        m[list(hubs)] = 15
        w = pop * m
    counts = rng.multinomial(n, w / w.sum())
    emp = np.array([c + rng.poisson(6 * c) if c else 0 for c in counts])
    return counts, emp


def write(path, spec, with_est=True):
    with open(path, "w") as f:
        f.write("region,industry,employment" + (",establishments" if with_est else "") + "\n")
        for code, (counts, emp) in spec:
            for r in range(R):
                if counts[r]:
                    f.write(f"{regions[r]},{code},{emp[r]}" + (f",{counts[r]}" if with_est else "") + "\n")


with open("clusters_regions.csv", "w") as f:
    f.write("code,population\n")
    for r in range(R):
        f.write(f"{regions[r]},{int(pop[r])}\n")
sizes = lambda k: rng.integers(60, 400, k)
write("clusters_all_local.csv", [(c, industry("local", (), n)) for c, n in zip(LOCAL, sizes(12))])
spec = []
for codes, hubs in [(ANALYTICAL, (3, 17)), (FURNITURE, (8, 30)), (FOREST, (12, 25))]:
    spec += [(c, industry("traded", hubs, n)) for c, n in zip(codes, sizes(4))]
write("clusters_all_traded.csv", spec)
mixed = [(c, industry("local", (), n)) for c, n in zip(LOCAL[:8], sizes(8))]
for codes, hubs in [(ANALYTICAL, (3, 17)), (FURNITURE, (8, 30))]:
    mixed += [(c, industry("traded", hubs, n)) for c, n in zip(codes, sizes(4))]
write("clusters_mixed.csv", mixed)
write("clusters_mixed_noest.csv", mixed, with_est=False)
