// agglo::network — Gould & Fernandez (1989) brokerage roles, as R's sna::brokerage computes
// them (Butts, sna package), with expected values and z-scores under a Bernoulli graph null.
//
// A node v brokers every ordered two-path i → v → k with i ≠ k and no direct tie i → k. With a
// partition of the nodes into groups (the group attribute), each open two-path is one role,
// named after the groups of source i, broker v and target k:
//
//   column  sna name  Gould & Fernandez role        groups
//   w_I     w_I       coordinator                    g(i) = g(v) = g(k)
//   w_O     w_O       itinerant (consultant)         g(i) = g(k) ≠ g(v)
//   b_IO    b_IO      representative                 g(i) = g(v) ≠ g(k)
//   b_OI    b_OI      gatekeeper                     g(k) = g(v) ≠ g(i)
//   b_O     b_O       liaison                        g(i), g(v), g(k) all different
//
// An undirected graph is treated as the symmetric directed graph (each tie both ways), as sna
// does, so every open two-path i – v – k counts twice (i→v→k and k→v→i).
//
// Null model (sna, after Gould & Fernandez 1989): arcs independent with probability
// d = m / (N(N−1)) (m arcs, N nodes). For a broker in a group of size n_i, with the others of
// sizes n_j:
//   E[w_I]  = d²(1−d)(n_i−1)(n_i−2)
//   E[w_O]  = d²(1−d) Σ_{j≠i} n_j(n_j−1)
//   E[b_IO] = E[b_OI] = d²(1−d)(N−n_i)(n_i−1)
//   E[b_O]  = d²(1−d) [ (Σ_{j≠i} n_j)² − Σ_{j≠i} n_j² ]
//   E[t]    = d²(1−d)(N−1)(N−2)
// and the variances (covariances of overlapping two-paths included) written out in
// brokerage.cpp; z = (observed − E)/sd. Global (whole-network) counts are the sums over nodes,
// with sna's global expectations and variances.
//
// Nodes without a group (group = −1) are never endpoints i or k; as brokers they form a group
// of their own, so they can only be itinerants or liaisons, and have no expected value.
//
// Complexity: counts of all pairs come from per-group counts of in- and out-neighbours
// (O(d) per node); closed pairs (i → k present) are enumerated like common neighbours in
// structural_holes.hpp and subtracted. Parallel over brokers, thread-count independent.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "agglo/network/graph.hpp"

namespace agglo::network {

inline constexpr std::array<const char*, 5> brokerage_role_columns = {"w_I", "w_O", "b_IO", "b_OI", "b_O"};
inline constexpr std::array<const char*, 5> brokerage_role_names = {
    "coordinator", "itinerant", "representative", "gatekeeper", "liaison"};

struct BrokerageMoments {
  std::array<double, 6> expected{}, sd{};  // the five roles and the total t
};

struct Brokerage {
  // Per node: raw counts of the five roles and their total (index 5).
  std::vector<std::array<double, 6>> raw;
  std::vector<std::array<double, 6>> z;      // NaN where sd = 0 or the node has no group
  std::vector<BrokerageMoments> group_moments;  // per group
  std::vector<std::size_t> group_size;
  std::array<double, 6> global_raw{}, global_expected{}, global_sd{}, global_z{};
  double density = 0;  // d of the null model
  std::size_t grouped_nodes = 0;  // N
};

// group[v] in [0, n_groups) or −1 (no group).
Brokerage brokerage(const Graph& g, const std::vector<std::int32_t>& group, std::size_t n_groups);

// sna's moments for a broker in group i (sizes n, N = Σ n), exposed for the tests.
BrokerageMoments brokerage_group_moments(const std::vector<double>& n, std::size_t i, double d);
BrokerageMoments brokerage_global_moments(const std::vector<double>& n, double d);

}  // namespace agglo::network
