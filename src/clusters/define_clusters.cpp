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
#include "agglo/parallel/progress.hpp"

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

std::size_t reassign_outliers(const data::DenseMatrix& s, std::vector<int>& labels, std::size_t max_rounds) {
  const std::size_t n = labels.size();
  AGGLO_ASSERT(s.rows() == n && s.cols() == n);
  if (n == 0) return 0;
  std::size_t k = static_cast<std::size_t>(*std::max_element(labels.begin(), labels.end())) + 1;
  std::vector<std::size_t> size(k, 0);
  for (int l : labels) ++size[static_cast<std::size_t>(l)];
  // acc(i, c) = Σ_{j ∈ c, j ≠ i} s_ij, kept up to date as industries move (O(n) per move).
  std::vector<double> acc(n * k, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = s.row(i);
    for (std::size_t j = 0; j < n; ++j)
      if (j != i) acc[i * k + static_cast<std::size_t>(labels[j])] += row[j];
  }
  std::size_t moves = 0;
  for (std::size_t round = 0; round < max_rounds; ++round) {
    std::size_t moved = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = static_cast<std::size_t>(labels[i]);
      if (size[c] <= 1) continue;  // a singleton has no own relatedness to compare
      const double own = acc[i * k + c] / static_cast<double>(size[c] - 1);
      std::size_t best = c;
      double best_v = own;
      for (std::size_t o = 0; o < k; ++o)
        if (o != c && size[o] > 0) {
          const double v = acc[i * k + o] / static_cast<double>(size[o]);
          if (v > best_v) {
            best_v = v;
            best = o;
          }
        }
      if (best == c) continue;
      const double* row = s.row(i);
      for (std::size_t j = 0; j < n; ++j)
        if (j != i) {
          acc[j * k + c] -= row[j];
          acc[j * k + best] += row[j];
        }
      --size[c];
      ++size[best];
      labels[i] = static_cast<int>(best);
      ++moved;
    }
    moves += moved;
    if (!moved) break;
  }
  labels = canonical_labels(labels);
  return moves;
}

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
  if (o.selection != "finest" && o.selection != "margin")
    throw_usage(ErrorCode::invalid_option_value, fmt::format("unknown selection rule '{}'", o.selection),
                "selection rules: finest, margin");
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

  // The matrices the clustering functions see ("all" = the combined one and every measure).
  std::vector<std::string> on_names;
  for (const auto& name : o.cluster_on) {
    if (name == "auto") {
      // Weighted co-location of establishments, else of employment, else the combined measure
      // (docs/methods/cluster-definitions.md, "Which matrix to cluster").
      on_names.push_back(rel.find("wcor_est") ? "wcor_est" : rel.find("wcor_emp") ? "wcor_emp" : "combined");
    } else if (name == "all") {
      on_names.push_back("combined");
      for (const auto& m : rel.measures) on_names.push_back(m.name);
    } else {
      on_names.push_back(name);
    }
  }
  if (on_names.empty()) on_names.push_back("combined");
  std::vector<std::string> unique_names;
  for (const auto& name : on_names)
    if (!has(unique_names, name)) unique_names.push_back(name);
  on_names = unique_names;
  std::vector<const data::DenseMatrix*> on;
  for (const auto& name : on_names) {
    if (name == "combined") {
      on.push_back(&rel.combined);
      continue;
    }
    const auto* m = rel.find(name);
    if (!m)
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("cannot cluster on '{}': that measure was not computed", name),
                  "use combined, all, or measures the inputs allow");
    on.push_back(&m->values);
  }
  // Every measure standardised (z-scores of its off-diagonal entries): validation scores are
  // unchanged by the standardisation (they compare means), and margins become comparable
  // across measures and can be averaged.
  std::vector<data::DenseMatrix> zs(rel.measures.size());
  tbb::parallel_for(std::size_t(0), rel.measures.size(),
                    [&](std::size_t m) { zs[m] = standardise_off_diagonal(rel.measures[m].values); });

  // Scores a candidate on every measure and on the combined matrix; score, VS and margin are
  // means over the measures.
  auto score = [&](Candidate& c) {
    c.clusters = static_cast<std::size_t>(*std::max_element(c.labels.begin(), c.labels.end())) + 1;
    c.scores.clear();
    for (const auto& z : zs) c.scores.push_back(validate_clusters(z, c.labels));
    c.scores.push_back(validate_clusters(rel.combined, c.labels));
    const std::size_t nm = zs.empty() ? 1 : zs.size();
    c.vs_cluster = c.vs_ind = c.margin = 0;
    for (std::size_t m = 0; m < nm; ++m) {
      c.vs_cluster += c.scores[m].vs_cluster / static_cast<double>(nm);
      c.vs_ind += c.scores[m].vs_ind / static_cast<double>(nm);
      c.margin += c.scores[m].margin / static_cast<double>(nm);
    }
    c.score = (c.vs_cluster + c.vs_ind) / 2;
  };

  if (n < 3) {
    Candidate c;
    c.method = "none";
    c.on = "combined";
    c.k = 1;
    c.labels.assign(n, 0);
    score(c);
    c.chosen = true;
    out.candidates.push_back(std::move(c));
    out.warnings.push_back(fmt::format("only {} industr{}: one cluster, nothing to choose", n, n == 1 ? "y" : "ies"));
  } else {
    const auto ks = k_grid(n, o, out.warnings);
    const bool spectral = has(o.methods, "spectral");
    const bool hierarchical = has(o.methods, "hierarchical");
    // Per clustering matrix: dissimilarities, dendrograms, spectral embedding (in parallel).
    struct Prepared {
      data::DenseMatrix d;
      std::vector<std::vector<Merge>> trees;
      SpectralEmbedding embedding;
    };
    std::vector<Prepared> prep(on.size());
    tbb::parallel_for(std::size_t(0), on.size(), [&](std::size_t m) {
      prep[m].d = dissimilarity_from_similarity(*on[m]);
      prep[m].trees.resize(linkages.size());
    });
    const std::size_t per = linkages.size() + 1;
    tbb::parallel_for(std::size_t(0), on.size() * per, [&](std::size_t job) {
      const std::size_t m = job / per, t = job % per;
      if (t < linkages.size()) {
        if (hierarchical) prep[m].trees[t] = agglomerate(prep[m].d, linkages[t]);
      } else if (spectral) {
        prep[m].embedding = spectral_embedding(*on[m], ks.back());
      }
    });
    parallel::check_cancelled();

    // The grid, in a fixed order: clustering matrix; hierarchical (per linkage), k-medoids,
    // spectral; k ascending; draws ascending. Labels are computed in parallel into fixed slots.
    std::vector<Candidate> cands;
    std::vector<std::size_t> input_of;
    for (std::size_t m = 0; m < on.size(); ++m) {
      if (hierarchical)
        for (auto l : linkages)
          for (auto k : ks) {
            Candidate c;
            c.on = on_names[m];
            c.method = "hierarchical";
            c.linkage = std::string(to_string(l));
            c.k = k;
            cands.push_back(std::move(c));
            input_of.push_back(m);
          }
      for (const char* method : {"kmedoids", "spectral"})
        if (has(o.methods, method))
          for (auto k : ks)
            for (std::size_t s = 0; s < std::max<std::size_t>(o.seeds, 1); ++s) {
              Candidate c;
              c.on = on_names[m];
              c.method = method;
              c.k = k;
              c.draw = static_cast<int>(s);
              cands.push_back(std::move(c));
              input_of.push_back(m);
            }
    }
    parallel::Progress progress(fmt::format("clustering {} industries", n), cands.size(), "candidates");
    tbb::parallel_for(std::size_t(0), cands.size(), [&](std::size_t i) {
      if (parallel::cancel_requested()) return;
      auto& c = cands[i];
      const auto& p = prep[input_of[i]];
      if (c.method == "hierarchical") {
        const auto l = linkage_from_string(c.linkage);
        const auto t = static_cast<std::size_t>(std::find(linkages.begin(), linkages.end(), l) - linkages.begin());
        c.labels = cut_tree(p.trees[t], n, c.k);
      } else if (c.method == "kmedoids") {
        c.labels = k_medoids(p.d, c.k, o.seed, static_cast<std::uint64_t>(c.draw));
      } else {
        c.labels = spectral_clusters(p.embedding, c.k, o.seed, static_cast<std::uint64_t>(c.draw));
      }
      if (o.reassign_rounds > 0) c.reassigned = reassign_outliers(*on[input_of[i]], c.labels, o.reassign_rounds);
      score(c);
      progress.advance();
    });
    parallel::check_cancelled();

    // Selection among the candidates whose score is within `tolerance` of the best: "margin"
    // takes the largest mean margin, "finest" the most clusters (then the higher score, then
    // the larger margin); remaining ties go to the first in grid order.
    double best_score = -1;
    for (const auto& c : cands) best_score = std::max(best_score, c.score);
    auto eligible = [&](const Candidate& c) { return c.score >= best_score - o.tolerance - 1e-12; };
    double best_margin = -std::numeric_limits<double>::infinity();
    for (const auto& c : cands)
      if (eligible(c)) best_margin = std::max(best_margin, c.margin);
    // "finest" also requires a margin close to the best: the validation scores are counts of
    // comparisons and accept a split of a homogeneous cluster whose halves differ by noise; the
    // margin falls sharply with such a split.
    const double margin_floor = best_margin - o.margin_tolerance * std::abs(best_margin) - 1e-12;
    std::size_t chosen = cands.size();
    auto better = [&](const Candidate& a, const Candidate& b) {
      if (o.selection == "finest") {
        if (a.clusters != b.clusters) return a.clusters > b.clusters;
        if (a.score != b.score) return a.score > b.score;
      }
      return a.margin > b.margin;
    };
    for (std::size_t i = 0; i < cands.size(); ++i)
      if (eligible(cands[i]) && (o.selection != "finest" || cands[i].margin >= margin_floor) &&
          (chosen == cands.size() || better(cands[i], cands[chosen])))
        chosen = i;
    cands[chosen].chosen = true;
    out.candidates = std::move(cands);
  }
  for (std::size_t i = 0; i < out.candidates.size(); ++i)
    if (out.candidates[i].chosen) out.chosen = i;
  out.labels = out.candidates[out.chosen].labels;
  // Outliers and the per-cluster detail on the combined measure (every kind of relatedness):
  // after reassignment every industry fits the clustering matrix, so an outlier is one that the
  // other measures, taken together, would put elsewhere.
  out.fit = validate_clusters(rel.combined, out.labels, true);
  out.outlier.assign(n, false);
  for (std::size_t i = 0; i < n; ++i)
    out.outlier[i] = out.fit.best_other_cluster[i] >= 0 && !(out.fit.own[i] > out.fit.best_other[i]);
  return out;
}

}  // namespace agglo::clusters
