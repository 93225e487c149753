// agglo::spatial — DBSCAN (Ester, Kriegel, Sander & Xu 1996, "A density-based algorithm for
// discovering clusters in large spatial databases with noise", KDD-96) on establishment points.
//
// Definitions (the sklearn and R dbscan conventions):
//   * the eps-neighbourhood N(p) of a point p is every point q with dist(p, q) ≤ eps,
//     p ITSELF INCLUDED;
//   * the mass of N(p) is |N(p)|, or with weights the sum of the weights of N(p) (sklearn's
//     sample_weight); p is a core point when mass ≥ min_points;
//   * clusters are the connected components of core points under "q ∈ N(p)";
//   * a non-core point within eps of at least one core point is a border point and joins the
//     cluster of the FIRST core point in input order within eps of it (a fixed rule, so the
//     result does not depend on traversal order or thread count); every other point is noise
//     (label −1);
//   * clusters are numbered 0, 1, … in the input order of their first core point.
//
// Distances: projected x,y → Euclidean in the file's unit; lon/lat → great-circle km by the
// haversine formula (geo::haversine_km). Candidate pairs come from a grid of cells so small
// that each is a clique (side eps/√2; Gunawan 2013, de Berg, Gunawan & Roeloffzen 2017, Wang,
// Gu & Shun 2020 — see dbscan.cpp): a cell of mass ≥ min_points is core without any distance,
// cells are linked by a bichromatic closest-pair test. Every candidate is confirmed with the
// exact distance, so the grid only decides speed, never the result. Memory is O(n): no distance matrix and no neighbour lists.
#pragma once

#include <cstdint>
#include <vector>

namespace agglo::spatial {

struct DbscanParams {
  double eps = 0;              // > 0; km when geographic, the coordinates' unit otherwise
  double min_points = 1;       // ≥ 1; a count, or a mass with weights
  bool geographic = false;     // x = lon, y = lat in degrees
};

struct DbscanResult {
  std::vector<std::int32_t> label;  // per input point: cluster 0.., or −1 for noise
  std::vector<std::uint8_t> core;   // 1 for core points
  std::size_t clusters = 0;
  std::size_t noise = 0;
};

// Grid-indexed DBSCAN, parallel (TBB) and deterministic for any thread count. `weight` is
// empty (each point counts 1) or one non-negative weight per point. Throws usage errors for
// eps ≤ 0, min_points < 1, or a negative or non-finite weight.
DbscanResult dbscan(const std::vector<double>& x, const std::vector<double>& y,
                    const std::vector<double>& weight, const DbscanParams& p);

// The O(n²) textbook algorithm (sequential expansion from each unvisited core point in input
// order), with the same border rule. The reference the tests compare dbscan() against.
DbscanResult dbscan_bruteforce(const std::vector<double>& x, const std::vector<double>& y,
                               const std::vector<double>& weight, const DbscanParams& p);

}  // namespace agglo::spatial
