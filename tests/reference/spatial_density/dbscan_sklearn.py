"""Reference outputs of scikit-learn's DBSCAN (Debian python3-sklearn 1.2.1) for agglo's DBSCAN
test SpatialDbscanSklearn.AgreesWithScikitLearn (tests/unit/spatial/test_dbscan.cpp). The test
reads the CSV files written here; it never runs Python.

    cd tests/reference/spatial_density && /usr/bin/python3 dbscan_sklearn.py

Points: the stored inputs of hdbscan_reference.R (three blobs + noise, n = 300; six clusters +
20 % noise, n = 1,100; integer lattices with duplicated points, n = 84, where many distances
equal eps exactly; lon/lat near Zürich, n = 390). sklearn's eps-neighbourhood includes the
point itself and min_samples counts it, as agglo's --min-points; with sample_weight the
neighbourhood's weight is compared with min_samples, as agglo's --weight employees. lon/lat:
metric="haversine" on radians, eps = km / 6371.0088 (agglo's Earth radius). Each output holds
the points, the weight, sklearn's label (−1 noise) and core flag.
"""
import csv

import numpy as np
from sklearn.cluster import DBSCAN


def read(name, cols):
    with open(name) as f:
        r = list(csv.DictReader(f))
    return np.array([[float(row[c]) for c in cols] for row in r])


def write(name, xy, cols, w, labels, core):
    with open(name, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(cols + ["weight", "label", "core"])
        for p, wi, lab, c in zip(xy, w, labels, core):
            out.writerow([repr(float(p[0])), repr(float(p[1])), repr(float(wi)), int(lab), int(c)])
    print(f"{name}: {len(set(labels) - {-1})} clusters, {int((labels == -1).sum())} noise, {int(core.sum())} core")


def case(name, xy, eps, min_samples, weights=None, lonlat=False, cols=("x", "y")):
    X = np.radians(xy[:, ::-1]) if lonlat else xy  # haversine wants (lat, lon) in radians
    m = DBSCAN(eps=eps / 6371.0088 if lonlat else eps, min_samples=min_samples,
               metric="haversine" if lonlat else "euclidean", algorithm="ball_tree" if lonlat else "auto")
    m.fit(X, sample_weight=weights)
    core = np.zeros(len(xy), dtype=int)
    core[m.core_sample_indices_] = 1
    w = np.ones(len(xy)) if weights is None else weights
    write(name, xy, list(cols), w, m.labels_, core)


blobs = read("hdbscan_blobs_minpts5.csv", ["x", "y"])
medium = read("hdbscan_medium_minpts10.csv", ["x", "y"])
ties = read("hdbscan_ties_minpts4.csv", ["x", "y"])
lonlat = read("hdbscan_lonlat_minpts8.csv", ["lon", "lat"])
case("dbscan_blobs_eps0.3_min5.csv", blobs, 0.3, 5)
case("dbscan_blobs_eps0.6_min12.csv", blobs, 0.6, 12)
case("dbscan_blobs_weighted_eps0.3_min12.csv", blobs, 0.3, 12, weights=np.array([1 + i % 5 for i in range(len(blobs))], float))
case("dbscan_medium_eps2_min10.csv", medium, 2.0, 10)
case("dbscan_ties_eps1_min4.csv", ties, 1.0, 4)
case("dbscan_ties_eps1.5_min6.csv", ties, 1.5, 6)
case("dbscan_lonlat_eps1_min8.csv", lonlat, 1.0, 8, lonlat=True, cols=("lon", "lat"))
