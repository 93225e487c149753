"""Reference values for tests/unit/dynamics/test_did.cpp: Callaway & Sant'Anna (2021) without
covariates on mpdta.csv, written independently of the C++ code in vectorised NumPy from the R
package did's definitions (att_gt with control_group = "nevertreated", base_period =
"varying"; aggte's simple, dynamic, group and calendar aggregations with the influence of the
estimated weights, R's wif()). R's did is not packaged for Debian; the published values
(simple ATT -0.0399513, ATT(2004,2004) -0.0105032) are checked here as well.

Run: /usr/bin/python3 did_reference.py   (writes did_mpdta_att_gt.csv, did_mpdta_aggregates.csv)
"""
import numpy as np
import pandas as pd

d = pd.read_csv("mpdta.csv")
Y = d.pivot(index="countyreal", columns="year", values="lemp")
G = d.groupby("countyreal")["first.treat"].first().loc[Y.index].to_numpy()
years = Y.columns.to_numpy()
Y = Y.to_numpy()
n = len(G)
glist = np.sort(np.unique(G[G > 0]))
pg_of = {g: np.mean(G == g) for g in glist}

cells = []   # (g, t, att, inf)
for g in glist:
    pre = np.max(np.where(years < g)[0])
    for ti in range(1, len(years)):
        t = years[ti]
        bi = pre if t >= g else ti - 1
        D = G == g
        C = G == 0
        dy = Y[:, ti] - Y[:, bi]
        n1 = D.sum() + C.sum()
        mD, mC = dy[D].mean(), dy[C].mean()
        psi = np.zeros(n)
        psi[D] = (dy[D] - mD) / (D.sum() / n1)
        psi[C] = -(dy[C] - mC) / (C.sum() / n1)
        psi *= n / n1
        cells.append((g, t, mD - mC, psi))

att = np.array([c[2] for c in cells])
inf = np.column_stack([c[3] for c in cells])
grp = np.array([c[0] for c in cells])
tim = np.array([c[1] for c in cells])
pg = np.array([pg_of[g] for g in grp])
se = lambda f: np.sqrt(np.mean(f ** 2) / n)


def wif(keep, pgk, groups):
    # R did:::wif — influence of the estimated weights pg[keep] / sum(pg[keep])
    ind = np.column_stack([(G == groups[k]).astype(float) - pgk[k] for k in keep])
    s = pgk[keep].sum()
    if1 = ind / s
    if2 = np.outer(ind.sum(axis=1), pgk[keep] / s ** 2)
    return if1 - if2


def agg(keep, weights, wif_m=None, attv=att, infm=inf):
    val = np.sum(weights * attv[keep])
    f = infm[:, keep] @ weights
    if wif_m is not None:
        f = f + wif_m @ attv[keep]
    return val, f


rows = []
keep = np.where(tim >= grp)[0]
v, f = agg(keep, pg[keep] / pg[keep].sum(), wif(keep, pg, grp))
rows.append(("simple", 0, v, se(f)))
# dynamic
e = tim - grp
dyn_att, dyn_inf = [], []
for ev in np.sort(np.unique(e)):
    k = np.where(e == ev)[0]
    v, f = agg(k, pg[k] / pg[k].sum(), wif(k, pg, grp))
    rows.append(("dynamic", ev, v, se(f)))
    dyn_att.append(v), dyn_inf.append(f)
post = np.sort(np.unique(e)) >= 0
rows.append(("dynamic_overall", 0, np.mean(np.array(dyn_att)[post]), se(np.column_stack(dyn_inf)[:, post].mean(axis=1))))
# group
g_att, g_inf = [], []
for g in glist:
    k = np.where((grp == g) & (tim >= g))[0]
    v, f = agg(k, np.full(len(k), 1 / len(k)))
    rows.append(("group", g, v, se(f)))
    g_att.append(v), g_inf.append(f)
g_att, g_inf = np.array(g_att), np.column_stack(g_inf)
pgl = np.array([pg_of[g] for g in glist])
v, f = agg(np.arange(len(glist)), pgl / pgl.sum(), wif(np.arange(len(glist)), pgl, glist), g_att, g_inf)
rows.append(("group_overall", 0, v, se(f)))
# calendar
c_att, c_inf = [], []
for t in years[years >= glist.min()]:
    k = np.where((tim == t) & (grp <= t))[0]
    v, f = agg(k, pg[k] / pg[k].sum(), wif(k, pg, grp))
    rows.append(("calendar", t, v, se(f)))
    c_att.append(v), c_inf.append(f)
rows.append(("calendar_overall", 0, np.mean(c_att), se(np.column_stack(c_inf).mean(axis=1))))

assert abs(rows[0][2] - (-0.0399513)) < 5e-8, rows[0]
assert abs(att[0] - (-0.0105032)) < 5e-8, att[0]
pd.DataFrame({"group": grp, "time": tim, "att": att, "std_error": [se(inf[:, k]) for k in range(len(att))]}).to_csv(
    "did_mpdta_att_gt.csv", index=False, float_format="%.12g")
pd.DataFrame(rows, columns=["aggregation", "key", "att", "std_error"]).to_csv(
    "did_mpdta_aggregates.csv", index=False, float_format="%.12g")
print(pd.DataFrame(rows, columns=["aggregation", "key", "att", "std_error"]))
