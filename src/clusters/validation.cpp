// Validation scores of a partition on a similarity matrix (Delgado, Porter & Stern 2016,
// section 3.3) and the adjusted Rand index (Hubert & Arabie 1985).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "agglo/clusters/define_clusters.hpp"
#include "agglo/core/error.hpp"

namespace agglo::clusters {

double adjusted_rand_index(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  AGGLO_ASSERT(a.size() == b.size());
  const std::size_t n = a.size();
  if (n < 2) return 1.0;
  auto c2 = [](double x) { return x * (x - 1) / 2; };
  std::map<std::pair<std::int64_t, std::int64_t>, double> cell;
  std::map<std::int64_t, double> ra, rb;
  for (std::size_t i = 0; i < n; ++i) {
    cell[{a[i], b[i]}] += 1;
    ra[a[i]] += 1;
    rb[b[i]] += 1;
  }
  double index = 0, sa = 0, sb = 0;
  for (const auto& [k, v] : cell) index += c2(v);
  for (const auto& [k, v] : ra) sa += c2(v);
  for (const auto& [k, v] : rb) sb += c2(v);
  const double expected = sa * sb / c2(static_cast<double>(n));
  const double maximum = (sa + sb) / 2;
  // Both partitions trivial in the same way (one cluster each, or all singletons each).
  if (maximum - expected == 0) return 1.0;
  return (index - expected) / (maximum - expected);
}

Validation validate_clusters(const data::DenseMatrix& s, const std::vector<int>& labels, bool detail,
                             bool singleton_own_zero) {
  const std::size_t n = labels.size();
  AGGLO_ASSERT(s.rows() == n && s.cols() == n);
  Validation v;
  if (n == 0) return v;
  const std::size_t k = static_cast<std::size_t>(*std::max_element(labels.begin(), labels.end())) + 1;
  std::vector<std::size_t> size(k, 0);
  for (int l : labels) {
    AGGLO_ASSERT(l >= 0);
    ++size[static_cast<std::size_t>(l)];
  }
  // acc(i, c) = Σ_{j ∈ c, j ≠ i} s_ij: one pass over the matrix, O(n²).
  std::vector<double> acc(n * k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = s.row(i);
    double* a = acc.data() + i * k;
    for (std::size_t j = 0; j < n; ++j) a[labels[j]] += row[j];
    a[labels[i]] -= row[i];
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  v.clusters = 0;
  for (std::size_t c = 0; c < k; ++c) {
    v.clusters += size[c] > 0;
    v.singletons += size[c] == 1;
  }
  if (detail) {
    v.own.assign(n, nan);
    v.best_other.assign(n, nan);
    v.best_other_cluster.assign(n, -1);
  }
  // Industry level.
  std::size_t ind_pass = 0;
  double margin = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = static_cast<std::size_t>(labels[i]);
    const double* a = acc.data() + i * k;
    double own = size[c] > 1 ? a[c] / static_cast<double>(size[c] - 1) : (singleton_own_zero ? 0.0 : nan);
    double best = -std::numeric_limits<double>::infinity();
    int best_c = -1;
    for (std::size_t o = 0; o < k; ++o) {
      if (o == c || size[o] == 0) continue;
      const double r = a[o] / static_cast<double>(size[o]);
      if (r > best) {
        best = r;
        best_c = static_cast<int>(o);
      }
    }
    if (best_c < 0) {  // a single cluster: nothing to compare with
      ++ind_pass;
    } else {
      ind_pass += own > best;  // NaN fails
      margin += (std::isnan(own) ? 0.0 : own) - best;
    }
    if (detail) {
      v.own[i] = own;
      v.best_other[i] = best_c < 0 ? nan : best;
      v.best_other_cluster[i] = best_c;
    }
  }
  v.vs_ind = static_cast<double>(ind_pass) / static_cast<double>(n);
  v.margin = margin / static_cast<double>(n);
  // Cluster level: B(c, c') = Σ_{i ∈ c} acc(i, c'); WCR_c = B(c, c) / (n_c (n_c − 1)) since each
  // pair is counted twice; BCR_cc' = B(c, c') / (n_c n_c').
  std::vector<double> b(k * k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t c = static_cast<std::size_t>(labels[i]);
    for (std::size_t o = 0; o < k; ++o) b[c * k + o] += acc[i * k + o];
  }
  std::size_t cl_pass = 0, pair_pass = 0, pairs = 0;
  if (detail) {
    v.size = size;
    v.within.assign(k, nan);
    v.between_mean.assign(k, nan);
    v.between_max.assign(k, nan);
    v.closest.assign(k, -1);
  }
  for (std::size_t c = 0; c < k; ++c) {
    if (size[c] == 0) continue;
    const double nc = static_cast<double>(size[c]);
    const double wcr = size[c] > 1 ? b[c * k + c] / (nc * (nc - 1)) : nan;
    double bmax = -std::numeric_limits<double>::infinity(), bsum = 0, others = 0;
    int closest = -1;
    for (std::size_t o = 0; o < k; ++o) {
      if (o == c || size[o] == 0) continue;
      const double bcr = b[c * k + o] / (nc * static_cast<double>(size[o]));
      bsum += b[c * k + o];
      others += static_cast<double>(size[o]);
      ++pairs;
      pair_pass += wcr > bcr;
      if (bcr > bmax) {
        bmax = bcr;
        closest = static_cast<int>(o);
      }
    }
    cl_pass += closest < 0 || wcr > bmax;
    if (detail) {
      v.within[c] = wcr;
      v.between_max[c] = closest < 0 ? nan : bmax;
      v.between_mean[c] = others > 0 ? bsum / (nc * others) : nan;
      v.closest[c] = closest;
    }
  }
  v.vs_cluster = v.clusters ? static_cast<double>(cl_pass) / static_cast<double>(v.clusters) : 0.0;
  v.vs_cluster_pairs = pairs ? static_cast<double>(pair_pass) / static_cast<double>(pairs) : 1.0;
  return v;
}

}  // namespace agglo::clusters
