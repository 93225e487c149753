// agglo::spatial — distance-based weights on points (region centroids or representative
// points): k nearest neighbours (spdep::knearneigh + knn2nb; PySAL KNN) and distance bands
// (spdep::dnearneigh; PySAL DistanceBand, binary).
//
// Distances: projected x,y → Euclidean in the coordinates' unit; lon/lat (degrees) → km on the
// WGS-84 ellipsoid by the Lambert–Andoyer formula (ellipsoid_km), the distance sp::spDists and
// spdep's knearneigh/dnearneigh use with longlat = TRUE (accurate to about 10 m per 1,000 km),
// so neighbour lists are the same as spdep's.
//
//   knn:      N(i) = the k points nearest to i, i excluded; ties at the k-th distance are broken
//             by the smaller index, so the result is a function of the input alone. The
//             relation is not symmetric (j may be among i's nearest without the converse), as
//             in spdep (knn2nb(sym = FALSE)).
//   distance: N(i) = { j ≠ i : d_ij ≤ D } (symmetric). spdep's dnearneigh(d1 = 0) also drops
//             coincident points (d_ij = 0); here they are neighbours. Points with no neighbour
//             within D are islands.
//
// Both use a kd-tree (nanoflann) and cost O(n log n + links) time, O(n + links) memory;
// knn_bruteforce() and distance_band_bruteforce() are the O(n²) references for the tests.
#pragma once

#include <vector>

#include "agglo/spatial/weights.hpp"

namespace agglo::spatial {

struct PointSet {
  std::vector<double> x, y;   // lon/lat in degrees when geographic
  bool geographic = false;
  std::size_t size() const { return x.size(); }
};

// Distance between points i and j by the rule above (km or coordinate units).
double point_distance(const PointSet& p, std::size_t i, std::size_t j);
// Lambert–Andoyer distance in km between two lon/lat points (degrees) on the WGS-84 ellipsoid.
double ellipsoid_km(double lon1, double lat1, double lon2, double lat2);

// Throws usage errors for k < 1 or k ≥ n.
SpatialWeights knn_weights(const PointSet& p, std::size_t k);
SpatialWeights knn_bruteforce(const PointSet& p, std::size_t k);

// Throws a usage error for D ≤ 0 or not finite.
SpatialWeights distance_band_weights(const PointSet& p, double D);
SpatialWeights distance_band_bruteforce(const PointSet& p, double D);

}  // namespace agglo::spatial
