// HDBSCAN* from the minimum spanning tree (definitions in include/agglo/spatial/hdbscan.hpp;
// the tree itself is built in mst.cpp).
//
// The steps follow Campello et al. (2013, 2015) as implemented by McInnes, Healy & Astels
// (2017, "hdbscan: Hierarchical density based clustering", JOSS 2(11):205), whose conventions
// R's dbscan::hdbscan shares for the partition:
//   1. single linkage: the spanning tree's edges in increasing weight merge components with
//      a union–find; all merges at one height form ONE node (a multi-way merge), so that ties
//      — equal distances, duplicate points, and the many equal mutual reachability distances
//      max(core(p), core(q)) — give the exact partition at every level, independent of the
//      order of equal edges and of which minimum spanning tree was found;
//   2. condensing: a breadth-first walk down from the root; at a node at distance d
//      (λ = 1/d, ∞ for d = 0) the components with fewer than min_cluster_size points fall out
//      of the current cluster (each of their points gets λ_p = λ); one large component
//      continues the cluster; two or more large components end it and are born as child
//      clusters at λ;
//   3. stability S(C) = Σ_{p ∈ C} (λ_p − λ_birth(C)), a child cluster counting as its size ×
//      (λ_birth(child) − λ_birth(C)); with λ = ∞ (duplicate points at least min_samples deep)
//      a term ∞ − ∞ counts 0 (a cluster born at infinite density has no lifetime);
//   4. excess-of-mass selection bottom-up (a cluster is replaced by its children only when
//      their summed stability is strictly larger), the root excluded;
//   5. labels: the nearest selected ancestor of the cluster a point fell out of, else noise;
//      probabilities as in the header.
// Everything is O(n) memory and, after the sort, O(n) time with iterative walks (the
// dendrogram can be n deep, so no recursion).
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/spatial/hdbscan.hpp"

namespace agglo::spatial {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

double lambda_of(double d) { return d > 0 ? 1.0 / d : kInf; }

// λ − λ_birth with ∞ − ∞ = 0.
double excess(double lambda, double birth) {
  if (std::isinf(lambda) && std::isinf(birth)) return 0.0;
  return lambda - birth;
}

void check(std::size_t n, const HdbscanParams& p) {
  if (p.min_cluster_size < 2)
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("--min-cluster-size must be ≥ 2 (got {})", p.min_cluster_size),
                "a cluster of one point is not a cluster; R dbscan and hdbscan also require 2 or more");
  if (n < p.min_cluster_size)
    throw_input(ErrorCode::invalid_value,
                fmt::format("{} establishments are fewer than --min-cluster-size {}", n, p.min_cluster_size), {},
                "lower --min-cluster-size or select more establishments");
}

std::size_t effective_min_samples(const HdbscanParams& p) {
  return p.min_samples == 0 ? p.min_cluster_size : p.min_samples;
}

// Chord of the unit sphere → great-circle km.
double chord_to_km(double c) { return 2 * geo::earth_radius_km * std::asin(std::min(1.0, c / 2)); }

}  // namespace

HdbscanResult hdbscan_from_mst(std::size_t n, std::vector<MstEdge> mst, std::vector<double> core,
                               std::size_t mcs, HdbscanConvention convention) {
  const bool r_levels = convention == HdbscanConvention::r_dbscan;
  AGGLO_ASSERT(core.size() == n);
  AGGLO_ASSERT(mst.size() + 1 == n || n == 0);
  HdbscanResult res;
  res.label.assign(n, -1);
  res.probability.assign(n, 0.0);
  res.probability_coredist.assign(n, 0.0);
  res.probability_lambda.assign(n, 0.0);
  res.split_tie.assign(n, 0);
  for (const auto& e : mst) res.mst_weight += e.weight;
  res.noise = n;
  res.core_distance = std::move(core);
  if (n < 2) return res;
  std::sort(mst.begin(), mst.end(), [](const MstEdge& e, const MstEdge& f) {
    if (e.weight != f.weight) return e.weight < f.weight;
    if (e.a != f.a) return e.a < f.a;
    return e.b < f.b;
  });
  // All points at distance 0 of one another: a single level, no density structure. R dbscan
  // and hdbscan return all noise; so does agglo (documented).
  if (mst.back().weight == 0) return res;

  // ---- 1. single-linkage dendrogram with multi-way merges at equal heights -------------------
  // Nodes 0..n−1 are the points; internal nodes follow. Edges of equal weight that join
  // components merge into ONE node (a node never has the height of its parent), so the tree
  // is the exact sequence of partitions at each level, whichever spanning tree and edge order
  // produced it: ties cannot change the result. Children are kept as linked lists.
  std::vector<std::uint32_t> size(n, 1), first_child(n, kNone), next_sibling(n, kNone);
  std::vector<double> height(n, 0.0);
  std::uint32_t root = 0;
  {
    std::vector<std::uint32_t> uf(n), top(n);  // union–find over points; top = component's node
    std::iota(uf.begin(), uf.end(), 0u);
    std::iota(top.begin(), top.end(), 0u);
    auto find = [&](std::uint32_t a) {
      while (uf[a] != a) a = uf[a] = uf[uf[a]];
      return a;
    };
    auto adopt = [&](std::uint32_t parent, std::uint32_t child) {
      next_sibling[child] = first_child[parent];
      first_child[parent] = child;
      size[parent] += size[child];
    };
    auto internal_at = [&](std::uint32_t node, double w) { return node >= n && height[node] == w; };
    for (const auto& e : mst) {
      const auto ra = find(e.a), rb = find(e.b);
      AGGLO_ASSERT(ra != rb);
      const auto ta = top[ra], tb = top[rb];
      std::uint32_t node;
      if (internal_at(ta, e.weight) && internal_at(tb, e.weight)) {
        node = ta;  // move tb's children under ta
        for (auto c = first_child[tb]; c != kNone;) {
          const auto next = next_sibling[c];
          size[tb] -= size[c];
          adopt(node, c);
          c = next;
        }
      } else if (internal_at(ta, e.weight)) {
        node = ta, adopt(node, tb);
      } else if (internal_at(tb, e.weight)) {
        node = tb, adopt(node, ta);
      } else {
        node = static_cast<std::uint32_t>(size.size());
        size.push_back(0), first_child.push_back(kNone), next_sibling.push_back(kNone), height.push_back(e.weight);
        adopt(node, ta), adopt(node, tb);
      }
      uf[ra] = rb;
      top[rb] = node;
      root = node;
    }
  }
  mst = {};

  // ---- 2. condensed tree ---------------------------------------------------------------------
  // Clusters are numbered in order of birth; the root is 0. Per point: the cluster it falls
  // out of and λ_p. Per cluster: parent, λ_birth, size.
  std::vector<std::uint32_t> point_parent(n, 0);
  std::vector<double> point_lambda(n, 0.0);
  std::vector<std::int64_t> cl_parent{-1};
  std::vector<double> cl_birth{0.0};
  std::vector<std::size_t> cl_size{n};
  std::vector<double> cl_max_lambda{0.0};  // largest λ of anything leaving the cluster directly
  {
    std::vector<std::uint32_t> stack;
    auto fall_out = [&](std::uint32_t sub, std::uint32_t cluster, double lambda) {
      stack.assign(1, sub);
      while (!stack.empty()) {
        const auto v = stack.back();
        stack.pop_back();
        if (v < n) point_parent[v] = cluster, point_lambda[v] = lambda;
        for (auto c = first_child[v]; c != kNone; c = next_sibling[c]) stack.push_back(c);
      }
      cl_max_lambda[cluster] = std::max(cl_max_lambda[cluster], lambda);
    };
    auto mark_split_tie = [&](std::uint32_t sub) {
      stack.assign(1, sub);
      while (!stack.empty()) {
        const auto v = stack.back();
        stack.pop_back();
        if (v < n) res.split_tie[v] = 1;
        for (auto c = first_child[v]; c != kNone; c = next_sibling[c]) stack.push_back(c);
      }
    };
    // Breadth-first queue of (dendrogram node, cluster it belongs to).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> queue{{root, 0u}};
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const auto [node, cluster] = queue[head];
      if (node < n) {  // a single point reached as a continuing side (only when mcs ≤ 1)
        point_parent[node] = cluster, point_lambda[node] = kInf;
        continue;
      }
      const double lambda = lambda_of(height[node]);
      std::size_t big = 0;
      for (auto c = first_child[node]; c != kNone; c = next_sibling[c]) big += size[c] >= mcs;
      if (big >= 2) {
        // The cluster ends: every large component is a new cluster, the rest leaves at λ.
        for (auto c = first_child[node]; c != kNone; c = next_sibling[c]) {
          if (size[c] < mcs) {
            fall_out(c, cluster, lambda);
            mark_split_tie(c);
            continue;
          }
          const auto id = static_cast<std::uint32_t>(cl_parent.size());
          cl_parent.push_back(cluster);
          cl_birth.push_back(lambda);
          cl_size.push_back(size[c]);
          cl_max_lambda.push_back(0.0);
          cl_max_lambda[cluster] = std::max(cl_max_lambda[cluster], lambda);
          queue.emplace_back(c, id);
        }
      } else if (r_levels) {
        // R dbscan: a component that is not a new cluster stays in the cluster; a point leaves
        // when it is split off alone (its λ capped below at the cluster's split, see after).
        for (auto c = first_child[node]; c != kNone; c = next_sibling[c]) {
          if (c < n) fall_out(c, cluster, lambda);
          else queue.emplace_back(c, cluster);
        }
      } else {
        // Campello: the one large component (if any) continues the cluster, the rest leaves.
        for (auto c = first_child[node]; c != kNone; c = next_sibling[c]) {
          if (size[c] >= mcs) queue.emplace_back(c, cluster);
          else fall_out(c, cluster, lambda);
        }
      }
    }
  }
  const std::size_t K = cl_parent.size();
  if (r_levels) {
    // A point of a cluster that has split into two clusters leaves it at the latest at the
    // split: λ_p = min(λ_p, λ_split), the split being the children's birth.
    std::vector<double> split(K, kInf);
    for (std::size_t c = 1; c < K; ++c) split[cl_parent[c]] = cl_birth[c];
    for (std::size_t p = 0; p < n; ++p) point_lambda[p] = std::min(point_lambda[p], split[point_parent[p]]);
  }

  // ---- 3. stability ----------------------------------------------------------------------
  std::vector<double> stability(K, 0.0);
  for (std::size_t p = 0; p < n; ++p) stability[point_parent[p]] += excess(point_lambda[p], cl_birth[point_parent[p]]);
  for (std::size_t c = 1; c < K; ++c)
    stability[cl_parent[c]] += static_cast<double>(cl_size[c]) * excess(cl_birth[c], cl_birth[cl_parent[c]]);

  // ---- 4. excess-of-mass selection (children have larger numbers than their parent) --------
  std::vector<double> subtree(K, 0.0);
  std::vector<char> has_child(K, 0), selected(K, 0);
  for (std::size_t c = K; c-- > 1;) {
    if (has_child[c] && subtree[c] > stability[c]) {
      stability[c] = subtree[c];  // replaced by its children
    } else {
      selected[c] = 1;            // descendants are deselected in the top-down pass below
    }
    subtree[cl_parent[c]] += stability[c];
    has_child[cl_parent[c]] = 1;
  }
  // Top-down: a selected cluster deselects its descendants; each cluster learns its selected
  // ancestor (itself when selected), −1 when none.
  std::vector<std::int64_t> owner(K, -1);
  for (std::size_t c = 1; c < K; ++c) {
    const auto up = owner[cl_parent[c]];
    if (up >= 0) {
      selected[c] = 0;
      owner[c] = up;
    } else if (selected[c]) {
      owner[c] = static_cast<std::int64_t>(c);
    }
  }

  // ---- 5. labels, numbered by first member in input order; probabilities ------------------
  std::vector<std::int32_t> number(K, -1);
  std::int32_t next = 0;
  for (std::size_t p = 0; p < n; ++p) {
    const auto o = owner[point_parent[p]];
    if (o < 0) continue;
    if (number[o] < 0) {
      number[o] = next++;
      res.stability.push_back(stability[o]);
      res.lambda_birth.push_back(cl_birth[o]);
    }
    res.label[p] = number[o];
    // λ_max(C): the largest λ at which a point or child cluster leaves C directly.
    const double lmax = cl_max_lambda[o];
    const double lp = point_lambda[p];
    res.probability[p] = (lmax == 0.0 || !std::isfinite(lp)) ? 1.0 : std::min(lp, lmax) / lmax;
  }
  res.clusters = static_cast<std::size_t>(next);
  res.noise = 0;
  std::vector<double> max_core(res.clusters, 0.0);
  for (std::size_t p = 0; p < n; ++p)
    if (res.label[p] < 0) ++res.noise;
    else max_core[res.label[p]] = std::max(max_core[res.label[p]], res.core_distance[p]);
  for (std::size_t p = 0; p < n; ++p)
    if (res.label[p] >= 0) {
      const double mc = max_core[res.label[p]];
      res.probability_coredist[p] = mc > 0 ? (mc - res.core_distance[p]) / mc : std::nan("");
    }
  res.probability_lambda = res.probability;
  if (r_levels) {
    // R gives NaN (0/0) when every core distance in the cluster is 0 (stacked duplicates);
    // such points are as deep in their cluster as can be: 1.
    res.probability = res.probability_coredist;
    for (auto& v : res.probability)
      if (std::isnan(v)) v = 1.0;
  }
  return res;
}

HdbscanResult hdbscan(const std::vector<double>& x, const std::vector<double>& y, const HdbscanParams& p) {
  check(x.size(), p);
  const std::size_t ms = effective_min_samples(p);
  auto core = core_distances(x, y, ms, p.geographic);
  auto mst = mreach_mst(x, y, core, p.geographic);
  if (p.geographic) {
    tbb::parallel_for(std::size_t(0), core.size(), [&](std::size_t i) { core[i] = chord_to_km(core[i]); });
    for (auto& e : mst) e.weight = chord_to_km(e.weight);
  }
  return hdbscan_from_mst(x.size(), std::move(mst), std::move(core), p.min_cluster_size, p.convention);
}

HdbscanResult hdbscan_bruteforce(const std::vector<double>& x, const std::vector<double>& y, const HdbscanParams& p) {
  check(x.size(), p);
  const std::size_t n = x.size();
  const std::size_t k = std::min(effective_min_samples(p), n);
  // Core distances by sorting each point's distances to all points (itself included).
  std::vector<double> core(n);
  std::vector<double> row(n);
  auto pos = [&](std::size_t i) {
    if (!p.geographic) return std::array<double, 3>{x[i], y[i], 0.0};
    return geo::unit_vector(x[i], y[i]);
  };
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = pos(i);
    for (std::size_t j = 0; j < n; ++j) {
      const auto b = pos(j);
      double r = 0;
      for (int d = 0; d < (p.geographic ? 3 : 2); ++d) r += (a[d] - b[d]) * (a[d] - b[d]);
      row[j] = std::sqrt(r);
    }
    std::nth_element(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(k - 1), row.end());
    core[i] = row[k - 1];
  }
  auto mst = mreach_mst_prim(x, y, core, p.geographic);
  if (p.geographic) {
    for (auto& c : core) c = chord_to_km(c);
    for (auto& e : mst) e.weight = chord_to_km(e.weight);
  }
  return hdbscan_from_mst(n, std::move(mst), std::move(core), p.min_cluster_size, p.convention);
}

}  // namespace agglo::spatial
