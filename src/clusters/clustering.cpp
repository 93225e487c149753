// Clustering functions for cluster definitions: hierarchical agglomerative clustering (nearest-
// neighbour chain, Lance–Williams updates), k-medoids, k-means and spectral clustering.
// Formulas and references are in include/agglo/clusters/define_clusters.hpp and
// docs/methods/cluster-definitions.md.
#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/clusters/define_clusters.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"

namespace agglo::clusters {

namespace {
constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
constexpr int kMaxRounds = 100;

std::uint64_t step_of(std::size_t k, std::uint64_t draw) { return static_cast<std::uint64_t>(k) * 4096u + draw; }

// Union–find over leaves with path halving.
struct UnionFind {
  std::vector<std::size_t> parent;
  explicit UnionFind(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), std::size_t(0)); }
  std::size_t find(std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  }
  // The smaller root becomes the root, so the result does not depend on the argument order.
  std::size_t unite(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a > b) std::swap(a, b);
    parent[b] = a;
    return a;
  }
};
}  // namespace

std::vector<int> canonical_labels(const std::vector<int>& labels) {
  std::vector<int> out(labels.size());
  std::vector<std::pair<int, int>> seen;  // (old, new); few clusters, linear search is fine
  for (std::size_t i = 0; i < labels.size(); ++i) {
    int id = -1;
    for (const auto& [o, nw] : seen)
      if (o == labels[i]) {
        id = nw;
        break;
      }
    if (id < 0) {
      id = static_cast<int>(seen.size());
      seen.emplace_back(labels[i], id);
    }
    out[i] = id;
  }
  return out;
}

data::DenseMatrix dissimilarity_from_similarity(const data::DenseMatrix& s) {
  AGGLO_ASSERT(s.rows() == s.cols());
  const std::size_t n = s.rows();
  double mx = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) mx = std::max(mx, s(i, j));
  data::DenseMatrix d(n, n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) d(i, j) = mx - s(i, j);
  return d;
}

std::string_view to_string(Linkage l) {
  switch (l) {
    case Linkage::average: return "average";
    case Linkage::complete: return "complete";
    case Linkage::ward: return "ward";
  }
  return "?";
}

std::vector<std::string> linkage_names() { return {"average", "complete", "ward"}; }

Linkage linkage_from_string(const std::string& name) {
  if (name == "average") return Linkage::average;
  if (name == "complete") return Linkage::complete;
  if (name == "ward") return Linkage::ward;
  throw_usage(ErrorCode::invalid_option_value, fmt::format("unknown linkage '{}'", name),
              "linkages: average, complete, ward");
}

std::vector<Merge> agglomerate(const data::DenseMatrix& dissimilarity, Linkage linkage) {
  AGGLO_ASSERT(dissimilarity.rows() == dissimilarity.cols());
  const std::size_t n = dissimilarity.rows();
  if (n < 2) return {};
  // Slot s holds one active cluster, which always contains leaf s (a merge keeps one of its
  // two slots), so slots double as representative leaves.
  data::DenseMatrix d = dissimilarity;
  std::vector<std::size_t> size(n, 1);
  std::vector<char> active(n, 1);
  struct Raw {
    std::size_t a, b;  // representative leaves
    double height;
  };
  std::vector<Raw> raw;
  raw.reserve(n - 1);
  std::vector<std::size_t> chain;
  chain.reserve(n);
  std::size_t first_active = 0;
  for (std::size_t remaining = n; remaining > 1; --remaining) {
    if (chain.empty()) {
      while (!active[first_active]) ++first_active;
      chain.push_back(first_active);
    }
    std::size_t a = 0, b = 0;
    for (;;) {
      a = chain.back();
      const std::size_t prev = chain.size() >= 2 ? chain[chain.size() - 2] : npos;
      // Nearest active neighbour of a. The previous chain element wins ties (that is what
      // guarantees the chain ends in a reciprocal pair); otherwise the lowest index wins.
      std::size_t best = prev;
      double best_d = prev == npos ? std::numeric_limits<double>::infinity() : d(a, prev);
      const double* row = d.row(a);
      for (std::size_t x = 0; x < n; ++x)
        if (active[x] && x != a && row[x] < best_d) {
          best_d = row[x];
          best = x;
        }
      if (best == prev) {
        b = prev;
        break;
      }
      chain.push_back(best);
    }
    chain.pop_back();
    chain.pop_back();
    // Merge a and b into slot `keep`; Lance–Williams updates of its distances.
    const std::size_t keep = std::min(a, b), gone = std::max(a, b);
    const double dab = d(a, b);
    raw.push_back({keep, gone, dab});
    const double na = static_cast<double>(size[a]), nb = static_cast<double>(size[b]);
    for (std::size_t x = 0; x < n; ++x) {
      if (!active[x] || x == a || x == b) continue;
      const double dax = d(a, x), dbx = d(b, x);
      double v = 0;
      switch (linkage) {
        case Linkage::average: v = (na * dax + nb * dbx) / (na + nb); break;
        case Linkage::complete: v = std::max(dax, dbx); break;
        case Linkage::ward: {
          const double nx = static_cast<double>(size[x]);
          v = ((na + nx) * dax + (nb + nx) * dbx - nx * dab) / (na + nb + nx);
          break;
        }
      }
      d(keep, x) = v;
      d(x, keep) = v;
    }
    size[keep] = size[a] + size[b];
    active[gone] = 0;
  }
  // Sort by height (stable: equal heights keep the order found, children before parents) and
  // name the nodes: leaves 0…n−1, merge m → node n + m.
  std::vector<std::size_t> order(raw.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return raw[x].height < raw[y].height; });
  UnionFind uf(n);
  std::vector<std::size_t> node_of(n), leaves(n, 1);
  std::iota(node_of.begin(), node_of.end(), std::size_t(0));
  std::vector<Merge> out;
  out.reserve(raw.size());
  for (std::size_t m = 0; m < order.size(); ++m) {
    const auto& r = raw[order[m]];
    const std::size_t ra = uf.find(r.a), rb = uf.find(r.b);
    const std::size_t na = node_of[ra], nb = node_of[rb];
    const std::size_t total = leaves[ra] + leaves[rb];
    const std::size_t root = uf.unite(ra, rb);
    node_of[root] = n + m;
    leaves[root] = total;
    out.push_back({std::min(na, nb), std::max(na, nb), r.height, total});
  }
  return out;
}

std::vector<int> cut_tree(const std::vector<Merge>& merges, std::size_t n, std::size_t k) {
  AGGLO_ASSERT(merges.size() + 1 == n || n == 0);
  k = std::clamp<std::size_t>(k, std::min<std::size_t>(1, n), n);
  UnionFind uf(n);
  std::vector<std::size_t> rep(n + merges.size());
  std::iota(rep.begin(), rep.begin() + static_cast<long>(n), std::size_t(0));
  for (std::size_t m = 0; m < merges.size(); ++m) {
    rep[n + m] = rep[merges[m].a];
    if (m < n - k) uf.unite(rep[merges[m].a], rep[merges[m].b]);
  }
  std::vector<int> labels(n);
  for (std::size_t i = 0; i < n; ++i) labels[i] = static_cast<int>(uf.find(i));
  return canonical_labels(labels);
}

std::vector<int> k_medoids(const data::DenseMatrix& d, std::size_t k, std::uint64_t seed, std::uint64_t draw,
                           double* cost) {
  const std::size_t n = d.rows();
  AGGLO_ASSERT(d.cols() == n && k >= 1 && k <= n);
  core::Stream rng(seed, core::stream_id("k-medoids"), step_of(k, draw));
  // k-medoids++ seeding.
  std::vector<std::size_t> medoid;
  std::vector<char> is_medoid(n, 0);
  std::vector<double> nearest(n, std::numeric_limits<double>::infinity());
  auto add = [&](std::size_t m) {
    medoid.push_back(m);
    is_medoid[m] = 1;
    for (std::size_t i = 0; i < n; ++i) nearest[i] = std::min(nearest[i], d(i, m));
  };
  add(static_cast<std::size_t>(rng.below(n)));
  while (medoid.size() < k) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (!is_medoid[i]) total += nearest[i];
    std::size_t pick = npos;
    if (total > 0) {
      double u = rng.uniform() * total;
      for (std::size_t i = 0; i < n; ++i) {
        if (is_medoid[i]) continue;
        pick = i;  // the last eligible one absorbs rounding at the end of the scan
        u -= nearest[i];
        if (u < 0) break;
      }
    } else {
      for (std::size_t i = 0; i < n && pick == npos; ++i)
        if (!is_medoid[i]) pick = i;
    }
    add(pick);
  }
  std::vector<int> label(n, 0);
  std::vector<std::vector<std::size_t>> members(k);
  for (int round = 0; round < kMaxRounds; ++round) {
    // Assignment: nearest medoid, ties to the lowest medoid index; a medoid keeps itself.
    for (auto& m : members) m.clear();
    for (std::size_t i = 0; i < n; ++i) {
      std::size_t best = 0;
      double bd = std::numeric_limits<double>::infinity();
      for (std::size_t m = 0; m < k; ++m) {
        if (medoid[m] == i) {
          best = m;
          break;
        }
        if (d(i, medoid[m]) < bd) {
          bd = d(i, medoid[m]);
          best = m;
        }
      }
      label[i] = static_cast<int>(best);
      members[best].push_back(i);
    }
    // Update: the member with the least total dissimilarity to its cluster; the current
    // medoid stays unless another member is strictly better (so the loop terminates).
    bool changed = false;
    for (std::size_t m = 0; m < k; ++m) {
      const auto& mem = members[m];
      auto total_of = [&](std::size_t p) {
        double s = 0;
        for (std::size_t q : mem) s += d(p, q);
        return s;
      };
      std::size_t best = medoid[m];
      double bt = total_of(best);
      for (std::size_t p : mem) {
        const double t = total_of(p);
        if (t < bt - 1e-12 * std::max(1.0, std::abs(bt))) {
          bt = t;
          best = p;
        }
      }
      if (best != medoid[m]) {
        medoid[m] = best;
        changed = true;
      }
    }
    if (!changed) break;
  }
  // Swap phase (PAM's SWAP step with the O(n)-per-candidate bookkeeping of FastPAM1 and the
  // eager swaps of FasterPAM; Schubert & Rousseeuw 2021, Information Systems 101). The
  // alternating rounds above stop in local optima where one cluster holds two medoids' worth
  // of items; swaps escape them. For a candidate x, with n(o) / d_n(o) / d_s(o) the nearest
  // medoid and the distances to the nearest and second nearest medoid of item o, the change of
  // Σ_o d(o, medoid(o)) when medoid m is replaced by x is
  //   Δ(m) = Σ_{o: n(o) = m} [min(d(o,x), d_s(o)) − d_n(o)] + Σ_{o: n(o) ≠ m} min(d(o,x) − d_n(o), 0),
  // accumulated for all m at once in one pass over o. Improving swaps are made at once.
  std::vector<std::size_t> near(n), second(n);
  std::vector<double> dn(n), ds(n);
  auto recompute = [&](std::size_t o) {
    double a = std::numeric_limits<double>::infinity(), b = a;
    std::size_t am = 0, bm = 0;
    for (std::size_t m = 0; m < k; ++m) {
      const double v = medoid[m] == o ? -1.0 : d(o, medoid[m]);  // a medoid is nearest to itself
      if (v < a) {
        b = a;
        bm = am;
        a = v;
        am = m;
      } else if (v < b) {
        b = v;
        bm = m;
      }
    }
    near[o] = am;
    second[o] = bm;
    dn[o] = std::max(a, 0.0);
    ds[o] = b;
  };
  for (std::size_t o = 0; o < n; ++o) recompute(o);
  // After medoid slot `m` changed to item x: items that had m as nearest or second nearest are
  // recomputed (O(k) each, about 2n/k of them); the others only compare with x. O(n) per swap.
  auto swapped = [&](std::size_t m, std::size_t x) {
    for (std::size_t o = 0; o < n; ++o) {
      if (near[o] == m || second[o] == m) {
        recompute(o);
        continue;
      }
      const double v = o == x ? -1.0 : d(o, x);
      if (v < dn[o]) {
        second[o] = near[o];
        ds[o] = dn[o];
        near[o] = m;
        dn[o] = std::max(v, 0.0);
      } else if (v < ds[o]) {
        second[o] = m;
        ds[o] = v;
      }
    }
  };
  double scale = 0;
  for (std::size_t o = 0; o < n; ++o) scale += dn[o];
  std::fill(is_medoid.begin(), is_medoid.end(), 0);
  for (auto m : medoid) is_medoid[m] = 1;
  std::vector<double> delta(k);
  for (int pass = 0; pass < kMaxRounds; ++pass) {
    bool improved = false;
    for (std::size_t x = 0; x < n; ++x) {
      if (is_medoid[x]) continue;
      std::fill(delta.begin(), delta.end(), 0.0);
      double shared = 0;
      const double* dx = d.row(x);
      for (std::size_t o = 0; o < n; ++o) {
        const double dox = dx[o];
        delta[near[o]] += std::min(dox, ds[o]) - dn[o];
        if (dox < dn[o]) {
          shared += dox - dn[o];
          delta[near[o]] -= dox - dn[o];
        }
      }
      std::size_t best = 0;
      for (std::size_t m = 1; m < k; ++m)
        if (delta[m] < delta[best]) best = m;
      if (delta[best] + shared < -1e-12 * std::max(1.0, scale)) {
        is_medoid[medoid[best]] = 0;
        medoid[best] = x;
        is_medoid[x] = 1;
        swapped(best, x);
        improved = true;
      }
    }
    if (!improved) break;
  }
  for (std::size_t o = 0; o < n; ++o) label[o] = static_cast<int>(near[o]);
  if (cost) {
    double c = 0;
    for (std::size_t i = 0; i < n; ++i) c += dn[i];
    *cost = c;
  }
  return canonical_labels(label);
}

std::vector<int> k_means(const data::DenseMatrix& points, std::size_t k, std::uint64_t seed, std::uint64_t draw,
                         std::string_view stream) {
  const std::size_t n = points.rows(), dims = points.cols();
  AGGLO_ASSERT(k >= 1 && k <= n);
  using RowMat = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMat> X(points.data(), static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(dims));
  const Eigen::VectorXd xnorm = X.rowwise().squaredNorm();
  core::Stream rng(seed, core::stream_id(stream), step_of(k, draw));
  RowMat C(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(dims));
  // k-means++ seeding: centre m+1 drawn with probability ∝ squared distance to the nearest centre.
  std::vector<double> d2(n, std::numeric_limits<double>::infinity());
  std::vector<char> used(n, 0);
  auto seed_centre = [&](std::size_t m, std::size_t p) {
    C.row(static_cast<Eigen::Index>(m)) = X.row(static_cast<Eigen::Index>(p));
    used[p] = 1;
    for (std::size_t i = 0; i < n; ++i)
      d2[i] = std::min(d2[i], (X.row(static_cast<Eigen::Index>(i)) - X.row(static_cast<Eigen::Index>(p))).squaredNorm());
  };
  seed_centre(0, static_cast<std::size_t>(rng.below(n)));
  for (std::size_t m = 1; m < k; ++m) {
    double total = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (!used[i]) total += d2[i];
    std::size_t pick = npos;
    if (total > 0) {
      double u = rng.uniform() * total;
      for (std::size_t i = 0; i < n; ++i) {
        if (used[i]) continue;
        pick = i;
        u -= d2[i];
        if (u < 0) break;
      }
    } else {
      for (std::size_t i = 0; i < n && pick == npos; ++i)
        if (!used[i]) pick = i;
    }
    seed_centre(m, pick);
  }
  std::vector<int> label(n, -1);
  std::vector<double> best_d(n);
  for (int round = 0; round < kMaxRounds; ++round) {
    // ‖x − c‖² = ‖x‖² − 2 x·c + ‖c‖², the cross terms as one product (n × k).
    const Eigen::MatrixXd cross = X * C.transpose();
    const Eigen::VectorXd cnorm = C.rowwise().squaredNorm();
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      int b = 0;
      double bd = std::numeric_limits<double>::infinity();
      for (std::size_t m = 0; m < k; ++m) {
        const double v = xnorm(static_cast<Eigen::Index>(i)) - 2 * cross(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(m)) +
                         cnorm(static_cast<Eigen::Index>(m));
        if (v < bd) {
          bd = v;
          b = static_cast<int>(m);
        }
      }
      best_d[i] = bd;
      if (label[i] != b) {
        label[i] = b;
        changed = true;
      }
    }
    if (!changed && round > 0) break;
    // New centres: member means; an empty cluster takes the point farthest from its centre.
    std::vector<std::size_t> count(k, 0);
    C.setZero();
    for (std::size_t i = 0; i < n; ++i) {
      C.row(label[i]) += X.row(static_cast<Eigen::Index>(i));
      ++count[static_cast<std::size_t>(label[i])];
    }
    std::vector<char> taken(n, 0);
    for (std::size_t m = 0; m < k; ++m) {
      if (count[m] > 0) {
        C.row(static_cast<Eigen::Index>(m)) /= static_cast<double>(count[m]);
        continue;
      }
      std::size_t far = npos;
      for (std::size_t i = 0; i < n; ++i)
        if (!taken[i] && (far == npos || best_d[i] > best_d[far])) far = i;
      taken[far] = 1;
      C.row(static_cast<Eigen::Index>(m)) = X.row(static_cast<Eigen::Index>(far));
    }
  }
  return canonical_labels(label);
}

SpectralEmbedding spectral_embedding(const data::DenseMatrix& similarity, std::size_t dims) {
  const std::size_t n = similarity.rows();
  AGGLO_ASSERT(similarity.cols() == n);
  dims = std::min(dims, n);
  const auto z = standardise_off_diagonal(similarity);
  Eigen::MatrixXd a(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      a(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = i == j ? 0.0 : std::max(0.0, z(i, j));
  const Eigen::VectorXd deg = a.rowwise().sum();
  Eigen::VectorXd inv_sqrt(static_cast<Eigen::Index>(n));
  for (Eigen::Index i = 0; i < inv_sqrt.size(); ++i) inv_sqrt(i) = deg(i) > 0 ? 1.0 / std::sqrt(deg(i)) : 0.0;
  // L = D^{-1/2} A D^{-1/2}
  const Eigen::MatrixXd l = inv_sqrt.asDiagonal() * a * inv_sqrt.asDiagonal();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(l);
  AGGLO_ASSERT(es.info() == Eigen::Success);
  SpectralEmbedding e;
  e.vectors = data::DenseMatrix(n, dims);
  for (std::size_t c = 0; c < dims; ++c) {
    const Eigen::Index src = static_cast<Eigen::Index>(n - 1 - c);  // eigenvalues ascend
    e.values.push_back(es.eigenvalues()(src));
    // Fix the sign (largest |entry| positive) so the embedding is reproducible.
    Eigen::Index arg = 0;
    es.eigenvectors().col(src).cwiseAbs().maxCoeff(&arg);
    const double sign = es.eigenvectors()(arg, src) < 0 ? -1.0 : 1.0;
    for (std::size_t i = 0; i < n; ++i) e.vectors(i, c) = sign * es.eigenvectors()(static_cast<Eigen::Index>(i), src);
  }
  return e;
}

std::vector<int> spectral_clusters(const SpectralEmbedding& embedding, std::size_t k, std::uint64_t seed,
                                   std::uint64_t draw) {
  const std::size_t n = embedding.vectors.rows();
  k = std::min(k, embedding.vectors.cols());
  data::DenseMatrix y(n, k);
  for (std::size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (std::size_t c = 0; c < k; ++c) norm += embedding.vectors(i, c) * embedding.vectors(i, c);
    norm = std::sqrt(norm);
    for (std::size_t c = 0; c < k; ++c) y(i, c) = norm > 0 ? embedding.vectors(i, c) / norm : 0.0;
  }
  return k_means(y, k, seed, draw, "spectral");
}

}  // namespace agglo::clusters
