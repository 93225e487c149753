// Cluster definitions (Delgado, Porter & Stern 2016): the traded/local rule, the grid of
// clustering functions, scoring and selection. See define_clusters.hpp for the contract and
// docs/methods/cluster-definitions.md for the formulas.
#include "agglo/clusters/define_clusters.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"

namespace agglo::clusters {

std::vector<double> locational_gini(const data::DenseMatrix& employment) {
  const std::size_t R = employment.rows(), n = employment.cols();
  const auto er = employment.row_sums();
  const auto ei = employment.col_sums();
  const double e = employment.sum();
  std::vector<std::size_t> regions;
  for (std::size_t r = 0; r < R; ++r)
    if (er[r] > 0) regions.push_back(r);
  std::vector<double> g(n, 0.0);
  if (!(e > 0)) return g;
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
    if (!(ei[i] > 0)) return;
    // Regions by LQ ascending; LQ_ri ∝ E_ri / E_r (the industry's constants do not change the
    // order). Ties by region index keep the result deterministic.
    std::vector<std::pair<double, std::size_t>> order;
    order.reserve(regions.size());
    for (std::size_t r : regions) order.emplace_back(employment(r, i) / er[r], r);
    std::sort(order.begin(), order.end());
    double y_prev = 0, area = 0;
    for (const auto& [lq, r] : order) {
      const double x = er[r] / e;
      const double y = y_prev + employment(r, i) / ei[i];
      area += x * (y_prev + y);  // twice the trapezoid under the Lorenz curve
      y_prev = y;
    }
    g[i] = std::clamp(1.0 - area, 0.0, 1.0);
  });
  return g;
}

double otsu_threshold(const std::vector<double>& values) {
  std::vector<double> v = values;
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return !std::isfinite(x); }), v.end());
  std::sort(v.begin(), v.end());
  if (v.size() < 2 || v.front() == v.back()) return std::numeric_limits<double>::infinity();
  const double n = static_cast<double>(v.size());
  const double total = std::accumulate(v.begin(), v.end(), 0.0);
  double best = -1, threshold = std::numeric_limits<double>::infinity(), low = 0;
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    low += v[i];
    if (v[i] == v[i + 1]) continue;  // cut only between distinct values
    const double n0 = static_cast<double>(i + 1), n1 = n - n0;
    const double m0 = low / n0, m1 = (total - low) / n1;
    const double between = (n0 / n) * (n1 / n) * (m0 - m1) * (m0 - m1);
    if (between > best) {
      best = between;
      threshold = (v[i] + v[i + 1]) / 2;
    }
  }
  return threshold;
}

std::vector<std::string> clustering_method_names() { return {"hierarchical", "kmedoids", "spectral"}; }

namespace {

bool has(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

// The grid's k values: automatic range round(n/20) … round(n/6), clamped to [2, n − 1].
std::vector<std::size_t> k_grid(std::size_t n, const DefineClustersOptions& o, std::vector<std::string>& warnings) {
  std::size_t lo = o.k_min ? o.k_min : static_cast<std::size_t>(std::lround(static_cast<double>(n) / 20.0));
  std::size_t hi = o.k_max ? o.k_max : static_cast<std::size_t>(std::lround(static_cast<double>(n) / 6.0));
  lo = std::max<std::size_t>(lo, 2);
  hi = std::max(hi, lo);
  if (hi > n - 1) {
    if (o.k_max) warnings.push_back(fmt::format("--k-max {} reduced to {} (one less than the {} industries)", hi, n - 1, n));
    hi = n - 1;
  }
  if (lo > hi) {
    if (o.k_min) warnings.push_back(fmt::format("--k-min {} reduced to {} ({} industries)", lo, hi, n));
    lo = hi;
  }
  std::vector<std::size_t> ks;
  for (std::size_t k = lo; k <= hi; k += std::max<std::size_t>(o.k_step, 1)) ks.push_back(k);
  return ks;
}

}  // namespace

ClusterDefinition define_clusters(const Relatedness& rel, const DefineClustersOptions& o) {
  for (const auto& m : o.methods)
    if (!has(clustering_method_names(), m))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("unknown clustering method '{}'", m),
                  "methods: hierarchical, kmedoids, spectral");
  if (o.methods.empty()) throw_usage(ErrorCode::invalid_option_value, "no clustering method given");
  std::vector<Linkage> linkages;
  for (const auto& l : o.linkages) linkages.push_back(linkage_from_string(l));
  if (has(o.methods, "hierarchical") && linkages.empty())
    throw_usage(ErrorCode::invalid_option_value, "hierarchical clustering needs at least one linkage");
  if (o.k_min && o.k_max && o.k_min > o.k_max)
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--k-min {} is larger than --k-max {}", o.k_min, o.k_max));

  ClusterDefinition out;
  out.industries = rel.industries;
  for (const auto& m : rel.measures) out.measures.push_back(m.name);
  out.measures.push_back("combined");
  const std::size_t n = rel.industries.size();
  if (n == 0) return out;

  const data::DenseMatrix* on = &rel.combined;
  if (o.cluster_on != "combined") {
    const auto* m = rel.find(o.cluster_on);
    if (!m)
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("cannot cluster on '{}': that measure was not computed", o.cluster_on),
                  "use combined or one of the measures the inputs allow");
    on = &m->values;
  }
  const data::DenseMatrix z = standardise_off_diagonal(*on);

  // Scores every candidate on every measure, the combined matrix and (for the margin) the
  // standardised clustering matrix.
  auto score = [&](Candidate& c) {
    c.clusters = static_cast<std::size_t>(*std::max_element(c.labels.begin(), c.labels.end())) + 1;
    c.scores.clear();
    for (const auto& m : rel.measures) c.scores.push_back(validate_clusters(m.values, c.labels));
    c.scores.push_back(validate_clusters(rel.combined, c.labels));
    const std::size_t nm = rel.measures.empty() ? 1 : rel.measures.size();
    c.vs_cluster = c.vs_ind = 0;
    for (std::size_t m = 0; m < nm; ++m) {
      c.vs_cluster += c.scores[m].vs_cluster / static_cast<double>(nm);
      c.vs_ind += c.scores[m].vs_ind / static_cast<double>(nm);
    }
    c.score = (c.vs_cluster + c.vs_ind) / 2;
    c.margin = validate_clusters(z, c.labels).margin;
  };

  if (n < 3) {
    Candidate c;
    c.method = "none";
    c.k = 1;
    c.labels.assign(n, 0);
    score(c);
    c.chosen = true;
    out.candidates.push_back(std::move(c));
    out.warnings.push_back(fmt::format("only {} industr{}: one cluster, nothing to choose", n, n == 1 ? "y" : "ies"));
  } else {
    const auto ks = k_grid(n, o, out.warnings);
    const data::DenseMatrix d = dissimilarity_from_similarity(*on);
    // The grid, in a fixed order: hierarchical (per linkage), k-medoids, spectral; k ascending;
    // draws ascending. Labels are computed in parallel into fixed slots.
    std::vector<Candidate> cands;
    if (has(o.methods, "hierarchical"))
      for (auto l : linkages)
        for (auto k : ks) {
          Candidate c;
          c.method = "hierarchical";
          c.linkage = std::string(to_string(l));
          c.k = k;
          cands.push_back(std::move(c));
        }
    for (const char* method : {"kmedoids", "spectral"})
      if (has(o.methods, method))
        for (auto k : ks)
          for (std::size_t s = 0; s < std::max<std::size_t>(o.seeds, 1); ++s) {
            Candidate c;
            c.method = method;
            c.k = k;
            c.draw = static_cast<int>(s);
            cands.push_back(std::move(c));
          }

    std::vector<std::vector<Merge>> trees(linkages.size());
    SpectralEmbedding embedding;
    const bool spectral = has(o.methods, "spectral");
    const bool hierarchical = has(o.methods, "hierarchical");
    tbb::parallel_for(std::size_t(0), linkages.size() + 1, [&](std::size_t t) {
      if (t < linkages.size()) {
        if (hierarchical) trees[t] = agglomerate(d, linkages[t]);
      } else if (spectral) {
        embedding = spectral_embedding(*on, ks.back());
      }
    });
    parallel::check_cancelled();
    tbb::parallel_for(std::size_t(0), cands.size(), [&](std::size_t i) {
      if (parallel::cancel_requested()) return;
      auto& c = cands[i];
      if (c.method == "hierarchical") {
        const auto l = linkage_from_string(c.linkage);
        const auto t = static_cast<std::size_t>(std::find(linkages.begin(), linkages.end(), l) - linkages.begin());
        c.labels = cut_tree(trees[t], n, c.k);
      } else if (c.method == "kmedoids") {
        c.labels = k_medoids(d, c.k, o.seed, static_cast<std::uint64_t>(c.draw));
      } else {
        c.labels = spectral_clusters(embedding, c.k, o.seed, static_cast<std::uint64_t>(c.draw));
      }
      score(c);
    });
    parallel::check_cancelled();

    // Selection: the largest margin among candidates whose score is within `tolerance` of the
    // best; ties go to the first in grid order.
    double best_score = -1;
    for (const auto& c : cands) best_score = std::max(best_score, c.score);
    std::size_t chosen = 0;
    double best_margin = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < cands.size(); ++i)
      if (cands[i].score >= best_score - o.tolerance - 1e-12 && cands[i].margin > best_margin) {
        best_margin = cands[i].margin;
        chosen = i;
      }
    cands[chosen].chosen = true;
    out.candidates = std::move(cands);
  }
  for (std::size_t i = 0; i < out.candidates.size(); ++i)
    if (out.candidates[i].chosen) out.chosen = i;
  out.labels = out.candidates[out.chosen].labels;
  out.fit = validate_clusters(z, out.labels, true);
  out.outlier.assign(n, false);
  for (std::size_t i = 0; i < n; ++i)
    out.outlier[i] = out.fit.best_other_cluster[i] >= 0 && !(out.fit.own[i] > out.fit.best_other[i]);
  return out;
}

}  // namespace agglo::clusters
