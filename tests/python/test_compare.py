"""agglo beside the Python libraries that compute the same thing, on shared inputs: networkx
(Burt's constraint and effective size), scikit-learn (DBSCAN, projected and on the sphere),
statsmodels (Logit with robust errors and average marginal effects) and a numpy ECI
(eigenvector, as py-ecomplexity computes it, and the method of reflections).

Each test feeds the same DataFrame to both and compares every value; the tolerances are the
arithmetic's (1e-9 and below), not a fit. Where the two conventions differ on purpose
(statsmodels' HC1 for discrete models is HC0), the test checks the documented relation.
"""

import numpy as np
import pandas as pd
import pytest

import agglo


def read(path, **kw):
    return pd.read_csv(path, keep_default_na=False, na_values=[""], **kw)


# ---- networkx: Burt (1992) constraint and effective size --------------------------------------

def test_network_constraint_and_effective_size_equal_networkx(tiny):
    nx = pytest.importorskip("networkx")
    nodes = read(tiny / "nodes.csv", dtype={"id": str})
    edges = read(tiny / "edges.csv", dtype={"source": str, "target": str})
    r = agglo.network(nodes=nodes, edges=edges)
    t = r.tables["nodes"].set_index("id")
    G = nx.Graph()
    G.add_nodes_from(nodes["id"])
    weighted = "weight" in edges.columns
    for row in edges.itertuples(index=False):
        w = float(getattr(row, "weight")) if weighted else 1.0
        if G.has_edge(row.source, row.target):  # a tie listed twice: weights add, as in agglo
            G[row.source][row.target]["weight"] += w
        else:
            G.add_edge(row.source, row.target, weight=w)
    c = nx.constraint(G, weight="weight")
    e = nx.effective_size(G, weight="weight")
    compared = 0
    for v in G.nodes:
        if G.degree(v) == 0:  # undefined for isolates: networkx NaN, agglo empty (NaN)
            assert np.isnan(t.loc[v, "constraint"]) and np.isnan(c[v])
            continue
        assert t.loc[v, "constraint"] == pytest.approx(c[v], rel=1e-9, abs=1e-12), v
        assert t.loc[v, "effective_size"] == pytest.approx(e[v], rel=1e-9, abs=1e-12), v
        compared += 1
    assert compared >= 0.9 * len(nodes)


def test_network_unweighted_seed_network_equals_networkx(source):
    nx = pytest.importorskip("networkx")
    nodes = read(source / "data/networks/acod_nodes.csv", dtype={"id": str})
    edges = read(source / "data/networks/acod_edges.csv", dtype={"source": str, "target": str})
    edges = edges[["source", "target"]]  # unweighted
    t = agglo.network(nodes=nodes, edges=edges).tables["nodes"].set_index("id")
    G = nx.Graph()
    G.add_nodes_from(nodes["id"])
    G.add_edges_from(edges.itertuples(index=False))
    c, e = nx.constraint(G), nx.effective_size(G)
    for v in G.nodes:
        if G.degree(v) == 0:
            continue
        assert t.loc[v, "constraint"] == pytest.approx(c[v], rel=1e-9), v
        assert t.loc[v, "effective_size"] == pytest.approx(e[v], rel=1e-9), v


# ---- scikit-learn DBSCAN ----------------------------------------------------------------------

def same_clustering(a, b, core):
    """True when labelings a and b (−1 = noise) are one partition up to renaming: the same
    noise points, and on core points a one-to-one map between cluster labels. Border points
    within eps of two clusters may go to either (both libraries document this)."""
    assert np.array_equal(a < 0, b < 0), "noise differs"
    pairs = set(zip(a[core], b[core]))
    left = {x for x, _ in pairs}
    right = {y for _, y in pairs}
    return len(pairs) == len(left) == len(right)


def test_dbscan_projected_equals_sklearn(source):
    sk = pytest.importorskip("sklearn.cluster")
    pts = read(source / "tests/cli/good/dist_points.csv")
    eps, k = 40.0, 5
    a = agglo.dbscan(establishments=pts, eps=eps, min_points=k).table["cluster"].to_numpy()
    model = sk.DBSCAN(eps=eps, min_samples=k).fit(pts[["x", "y"]].to_numpy())
    b = model.labels_
    core = np.zeros(len(b), dtype=bool)
    core[model.core_sample_indices_] = True
    assert len(set(b[b >= 0])) >= 2, "a test with no clusters would prove nothing"
    assert same_clustering(a, b, core)
    assert len(set(a[a >= 0])) == len(set(b[b >= 0]))


def test_dbscan_haversine_equals_sklearn(tiny):
    sk = pytest.importorskip("sklearn.cluster")
    est = read(tiny / "establishments.csv", dtype={"id": str, "industry": str, "region": str})
    eps_km, k = 2.0, 10
    a = agglo.dbscan(establishments=est, eps=eps_km, min_points=k).table["cluster"].to_numpy()
    R = 6371.0088  # km, the IUGG mean radius agglo uses (include/agglo/geo/coordinates.hpp)
    X = np.radians(est[["lat", "lon"]].to_numpy())
    model = sk.DBSCAN(eps=eps_km / R, min_samples=k, metric="haversine", algorithm="ball_tree").fit(X)
    b = model.labels_
    core = np.zeros(len(b), dtype=bool)
    core[model.core_sample_indices_] = True
    assert len(set(b[b >= 0])) >= 10
    assert same_clustering(a, b, core)
    assert len(set(a[a >= 0])) == len(set(b[b >= 0]))


# ---- statsmodels Logit: HC0/HC1 errors and average marginal effects ------------------------------

def logit_data(tiny):
    df = read(tiny / "responses.csv", dtype={"id": str})
    df["log_employees"] = np.log(df["firm_employees"])
    return df


def test_survey_logit_hc_errors_and_marginal_effects_equal_statsmodels(tiny):
    sm = pytest.importorskip("statsmodels.api")
    df = logit_data(tiny)
    xs = ["rnd", "foreign", "log_employees"]
    X = sm.add_constant(df[xs].to_numpy(dtype=float))
    y = df["product_innovation"].to_numpy(dtype=float)
    n, k = X.shape
    for se, cov in (("hc0", "HC0"), ("hc1", "HC1")):
        # both iterate Newton to convergence far below the compared digits
        r = agglo.survey.model(responses=df, outcome="product_innovation", predictors=xs, se=se, tolerance=1e-20)
        t = r.table.set_index("term")
        m = sm.Logit(y, X).fit(disp=0, cov_type=cov, method="newton", tol=1e-14, maxiter=100)
        me = m.get_margeff(at="overall", method="dydx")
        # statsmodels' discrete models take HC1 = HC0; agglo applies OLS's n/(n−k) to every
        # family (docs/methods/survey.md), so its HC1 errors are HC0's times sqrt(n/(n−k)).
        f = np.sqrt(n / (n - k)) if se == "hc1" else 1.0
        est = t.loc[["const"] + xs]
        np.testing.assert_allclose(est["estimate"].to_numpy(), m.params, rtol=1e-7)
        np.testing.assert_allclose(est["std_error"].to_numpy(), m.bse * f, rtol=1e-7)
        np.testing.assert_allclose(t.loc[xs, "ame"].to_numpy(), me.margeff, rtol=1e-7)
        np.testing.assert_allclose(t.loc[xs, "ame_se"].to_numpy(), me.margeff_se * f, rtol=1e-6)


# ---- economic complexity: a numpy ECI ------------------------------------------------------------

def numpy_eci(exports):
    """ECI and PCI by the eigenvector (py-ecomplexity's way) and by 20 reflections, in numpy,
    from docs/methods/complexity.md: RCA ≥ 1, M̃ = D_c⁻¹ M D_p⁻¹ Mᵀ, z-scores with the
    population sd, the sign making ECI correlate positively with diversity."""
    X = exports.pivot_table(index="location", columns="product", values="value", aggfunc="sum", fill_value=0.0)
    V = X.to_numpy(dtype=float)
    R = (V / V.sum(1, keepdims=True)) / (V.sum(0, keepdims=True) / V.sum())
    M = (R >= 1).astype(float)
    keep_c, keep_p = M.sum(1) > 0, M.sum(0) > 0
    M = M[keep_c][:, keep_p]
    kc, kp = M.sum(1), M.sum(0)
    Mcc = (M / kc[:, None]) @ (M / kp[None, :]).T
    w, v = np.linalg.eig(Mcc)
    vec = np.real(v[:, np.argsort(np.real(w))[-2]])
    if np.corrcoef(vec, kc)[0, 1] < 0:
        vec = -vec
    z = lambda a: (a - a.mean()) / a.std()
    eci = z(vec)
    x = z(kc)
    for _ in range(10):  # 20 reflections, two at a time
        x = z((M / kc[:, None]) @ z((M / kp[None, :]).T @ x))
    return pd.DataFrame({"eci": eci, "eci_reflections": x, "diversity": kc},
                        index=X.index[keep_c])


def test_complexity_eci_equals_numpy(tiny):
    exports = read(tiny / "exports.csv", dtype={"location": str, "product": str})
    r = agglo.complexity(exports=exports)
    t = r.tables["eci"].set_index("location")
    ref = numpy_eci(exports)
    t = t.loc[ref.index]
    assert (t["diversity"].to_numpy() == ref["diversity"].to_numpy()).all()
    np.testing.assert_allclose(t["eci"].to_numpy(), ref["eci"].to_numpy(), atol=1e-8)
    if "eci_reflections" in t.columns:
        np.testing.assert_allclose(t["eci_reflections"].to_numpy(), ref["eci_reflections"].to_numpy(), atol=1e-8)
