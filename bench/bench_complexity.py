#!/usr/bin/env python3
"""A straightforward numpy implementation of agglo's complexity formulas, used two ways:

  bench_complexity.py synth OUT.csv [L P YEARS SEED]   write a synthetic location×product×year panel
  bench_complexity.py numpy IN.csv [YEAR]             run every measure on one year (dense numpy,
                                                      np.linalg.eig for ECI as py-ecomplexity does)
  bench_complexity.py golden IN.csv OUTDIR            write expected tables for a golden case

The formulas are those of docs/methods/complexity.md (defaults: threshold 1, ≥, atlas
normalisation, min-conditional proximity without self term). Needs only numpy
(Debian python3-numpy, /usr/bin/python3).
"""
import csv
import sys
import time

import numpy as np


def load(path, year=None):
    locs, prods, rows = {}, {}, []
    with open(path, newline="") as f:
        r = csv.DictReader(f)
        for row in r:
            if year is not None and "year" in row and int(row["year"]) != year:
                continue
            c = locs.setdefault(row["location"], len(locs))
            p = prods.setdefault(row["product"], len(prods))
            rows.append((c, p, float(row["value"])))
    X = np.zeros((len(locs), len(prods)))
    for c, p, v in rows:
        X[c, p] += v
    return list(locs), list(prods), X


def complexity(X, reflections_n=20, fitness_max=200, fitness_tol=1e-9):
    out = {}
    Xc, Xp, T = X.sum(1), X.sum(0), X.sum()
    R = (X / Xc[:, None]) / (Xp / T)
    M = (R >= 1).astype(float)
    kc, kp = M.sum(1), M.sum(0)
    out.update(rca=R, M=M, kc=kc, kp=kp)
    # ECI/PCI as py-ecomplexity: eigenvector of Mpp for the 2nd largest eigenvalue, kc = mcp1 @ kp.
    mcp1 = M / kc[:, None]
    mcp2 = M / kp[None, :]
    Mpp = mcp2.T @ mcp1
    w, v = np.linalg.eig(Mpp)
    w, v = np.real(w), np.real(v)
    kpv = v[:, np.argsort(w)[-2]]
    kcv = mcp1 @ kpv
    s = np.sign(np.corrcoef(kc, kcv)[0, 1])
    kcv, kpv = s * kcv, s * kpv
    out["eci"] = (kcv - kcv.mean()) / kcv.std()
    out["pci"] = (kpv - kcv.mean()) / kcv.std()
    # Reflections, z-scored every step.
    z = lambda a: (a - a.mean()) / a.std()
    x = z(kc.copy())
    n = reflections_n + reflections_n % 2
    for _ in range(0, n, 2):
        y = z(mcp2.T @ x)      # k_p: mean over exporters
        x = z(mcp1 @ y)        # k_c: mean over products
    out["eci_reflections"] = x
    out["pci_reflections"] = z(mcp2.T @ x)
    out["avg_ubiquity"] = mcp1 @ kp
    out["avg_diversity"] = mcp2.T @ kc
    # Fitness–complexity.
    F, Q = np.ones(len(kc)), np.ones(len(kp))
    for it in range(fitness_max):
        Fn = M @ Q
        Qn = 1.0 / (M.T @ (1.0 / F))
        Fn, Qn = Fn / Fn.mean(), Qn / Qn.mean()
        ch = max(np.abs(Fn - F).max(), np.abs(Qn - Q).max())
        F, Q = Fn, Qn
        if ch < fitness_tol:
            break
    out.update(fitness=F, fitness_complexity=Q)
    # Proximity (min-conditional, no self term), density, COG, COI.
    C = M.T @ M
    phi = C / np.maximum.outer(kp, kp)
    np.fill_diagonal(phi, 0.0)
    colsum = phi.sum(0)
    dens = np.divide(M @ phi, colsum, out=np.zeros_like(X), where=colsum > 0)
    pci = out["pci"]
    wgt = np.divide(pci, phi.sum(1), out=np.zeros_like(pci), where=phi.sum(1) > 0)
    cog = (1 - M) * ((1 - M) @ (phi * wgt[:, None]))
    coi = ((dens * (1 - M)) * pci).sum(1)
    out.update(phi=phi, density=dens, cog=cog, coi=coi)
    return out


def synth(path, L=250, P=5000, years=20, seed=7):
    """Nested capabilities: location c has capability level a_c, product p needs b_p; value is
    lognormal scaled by a smooth match, with a slow drift over years (so specialisations enter
    and exit)."""
    rng = np.random.default_rng(seed)
    a = rng.uniform(0, 1, L)
    b = rng.uniform(0, 1, P)
    size = rng.lognormal(0, 1, L)
    with open(path, "w") as f:
        f.write("location,product,value,year\n")
        for t in range(years):
            a_t = np.clip(a + 0.01 * t * rng.normal(0, 1, L), 0, 1)
            match = 1 / (1 + np.exp(-(a_t[:, None] - b[None, :]) * 8))
            val = size[:, None] * match * rng.lognormal(0, 1.2, (L, P))
            val[rng.uniform(0, 1, (L, P)) > 0.85 * match + 0.1] = 0
            val = np.round(val * 1000)
            cs, ps = np.nonzero(val)
            lines = [f"l{c:03d},p{p:04d},{int(val[c, p])},{2000 + t}\n" for c, p in zip(cs, ps)]
            f.writelines(lines)


def main():
    cmd = sys.argv[1]
    if cmd == "synth":
        args = [int(x) for x in sys.argv[3:]]
        synth(sys.argv[2], *args)
    elif cmd == "numpy":
        year = int(sys.argv[3]) if len(sys.argv) > 3 else None
        t0 = time.perf_counter()
        locs, prods, X = load(sys.argv[2], year)
        t1 = time.perf_counter()
        out = complexity(X)
        t2 = time.perf_counter()
        print(f"load_s={t1 - t0:.3f} compute_s={t2 - t1:.3f} locations={len(locs)} products={len(prods)}")
    elif cmd == "golden":
        locs, prods, X = load(sys.argv[2])
        o = complexity(X)
        d = sys.argv[3]
        r = lambda v: repr(float(v))
        with open(f"{d}/expected_eci.csv", "w") as f:
            f.write("location,diversity,eci,eci_eigenvector,eci_reflections,fitness,avg_ubiquity,total\n")
            for i, c in enumerate(locs):
                f.write(f"{c},{int(o['kc'][i])},{r(o['eci'][i])},{r(o['eci'][i])},{r(o['eci_reflections'][i])},"
                        f"{r(o['fitness'][i])},{r(o['avg_ubiquity'][i])},{r(X[i].sum())}\n")
        with open(f"{d}/expected_pci.csv", "w") as f:
            f.write("product,ubiquity,pci,pci_eigenvector,pci_reflections,fitness_complexity,avg_diversity,total\n")
            for j, p in enumerate(prods):
                f.write(f"{p},{int(o['kp'][j])},{r(o['pci'][j])},{r(o['pci'][j])},{r(o['pci_reflections'][j])},"
                        f"{r(o['fitness_complexity'][j])},{r(o['avg_diversity'][j])},{r(X[:, j].sum())}\n")
        with open(f"{d}/expected_density.csv", "w") as f:
            f.write("location,product,density,cog,mcp\n")
            for i, c in enumerate(locs):
                for j, p in enumerate(prods):
                    f.write(f"{c},{p},{r(o['density'][i, j])},{r(o['cog'][i, j])},{int(o['M'][i, j])}\n")
        with open(f"{d}/expected_coi.csv", "w") as f:
            f.write("location,coi\n")
            for i, c in enumerate(locs):
                f.write(f"{c},{r(o['coi'][i])}\n")


if __name__ == "__main__":
    main()
