// Traded vs local industries by the dartboard test with an iterated local reference (see
// traded_local.hpp and docs/methods/cluster-definitions.md, section 2).
#include "agglo/clusters/traded_local.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/spatial/fdr.hpp"

namespace agglo::clusters {

std::vector<std::string> traded_reference_names() { return {"local", "all", "given"}; }

data::DenseMatrix approximate_establishments(const data::DenseMatrix& employment, double mean_size) {
  if (!(mean_size > 0))
    throw_usage(ErrorCode::invalid_option_value, fmt::format("the mean establishment size must be > 0 (got {})", mean_size));
  data::DenseMatrix n(employment.rows(), employment.cols(), 0.0);
  for (std::size_t r = 0; r < employment.rows(); ++r)
    for (std::size_t i = 0; i < employment.cols(); ++i) {
      const double e = employment(r, i);
      if (e > 0) n(r, i) = std::max(1.0, std::round(e / mean_size));
    }
  return n;
}

namespace {

struct Round {
  std::vector<measure::DartboardTest> tests;
  std::vector<double> q;
  std::vector<bool> traded;
};

// Tests every industry against the reference `weights` (establishments of the core
// industries); a core industry is tested against the core without itself, so that its own
// establishments do not pull the reference towards it (which would make every core member look
// local and the iteration self-confirming).
//
// Monte Carlo p-values are computed in two passes: first with at most 999 draws; an industry
// none of whose draws reached its G (p = 1/1000, the resolution limit) and that Benjamini–
// Hochberg does not reject at that bound is drawn again with the full B. BH is monotone in the
// p-values, so lowering p-values that are already rejected changes no decision: the result is
// the one of B draws for all, at a fraction of the cost (the reported p of such industries is
// the bound 1/1000).
Round test_all(const std::vector<std::vector<std::uint64_t>>& counts, const std::vector<double>& weights,
               const std::vector<bool>& in_core, const TradedLocalOptions& o) {
  const measure::DartboardNull shared(weights);
  const std::size_t n = counts.size(), R = weights.size();
  Round out;
  out.tests.resize(n);
  auto run = [&](std::size_t i, const measure::DartboardOptions& opt) {
    if (in_core[i]) {
      std::vector<double> w(weights);
      double left = 0;
      for (std::size_t r = 0; r < R; ++r) {
        w[r] = std::max(0.0, w[r] - static_cast<double>(counts[i][r]));
        left += w[r];
      }
      if (left > 0) return measure::dartboard_test(measure::DartboardNull(w), counts[i], opt, i);
      // the core is this industry alone: nothing else to compare with, test against itself
    }
    return measure::dartboard_test(shared, counts[i], opt, i);
  };
  auto decide = [&] {
    std::vector<double> p(n);
    for (std::size_t i = 0; i < n; ++i)
      p[i] = out.tests[i].establishments > 0 ? out.tests[i].p : std::numeric_limits<double>::quiet_NaN();
    out.q = spatial::benjamini_hochberg(p);
    out.traded.assign(n, false);
    for (std::size_t i = 0; i < n; ++i)
      out.traded[i] = out.q[i] <= o.fdr && out.tests[i].excess >= o.min_excess;  // NaN compares false
  };
  measure::DartboardOptions first = o.test;
  first.draws = std::min<std::uint64_t>(o.test.draws, 999);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
    if (!parallel::cancel_requested()) out.tests[i] = run(i, first);
  });
  parallel::check_cancelled();
  decide();
  if (first.draws < o.test.draws) {
    std::vector<std::size_t> again;
    for (std::size_t i = 0; i < n; ++i) {
      const auto& t = out.tests[i];
      if (t.monte_carlo && t.exceedances == 0 && t.draws == first.draws && !(out.q[i] <= o.fdr)) again.push_back(i);
    }
    if (!again.empty()) {
      tbb::parallel_for(std::size_t(0), again.size(), [&](std::size_t k) {
        if (!parallel::cancel_requested()) out.tests[again[k]] = run(again[k], o.test);
      });
      parallel::check_cancelled();
      decide();
    }
  }
  return out;
}

}  // namespace

TradedLocalSplit split_traded_local(const data::DenseMatrix& est, const TradedLocalOptions& o) {
  const std::size_t R = est.rows(), n = est.cols();
  bool known = false;
  for (const auto& name : traded_reference_names()) known = known || name == o.reference;
  if (!known)
    throw_usage(ErrorCode::invalid_option_value, fmt::format("unknown traded reference '{}'", o.reference),
                "references: local, all, given");
  if (!(o.fdr > 0 && o.fdr < 1))
    throw_usage(ErrorCode::invalid_option_value, fmt::format("the false discovery rate must be in (0, 1) (got {})", o.fdr));
  if (o.reference == "given" && o.reference_weights.size() != R)
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("the given reference has {} weights for {} regions", o.reference_weights.size(), R));

  // Integer counts per industry (column), and the all-industries reference.
  std::vector<std::vector<std::uint64_t>> counts(n, std::vector<std::uint64_t>(R, 0));
  std::vector<double> all(R, 0.0);
  std::vector<double> industry_total(n, 0.0);
  double total = 0;
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < n; ++i) {
      const double v = est(r, i);
      if (!(v >= 0) || !std::isfinite(v))
        throw_usage(ErrorCode::invalid_option_value, fmt::format("an establishment count is {} (must be ≥ 0)", v));
      const auto c = static_cast<std::uint64_t>(std::llround(v));
      counts[i][r] = c;
      all[r] += static_cast<double>(c);
      industry_total[i] += static_cast<double>(c);
      total += static_cast<double>(c);
    }

  TradedLocalSplit out;
  if (n == 0) return out;
  if (!(total > 0))
    throw_input(ErrorCode::empty_input, "no establishments at all: the traded/local test has nothing to test", Location{},
                "give establishment counts, or use --traded-rule gini or all");
  auto finish = [&](Round&& r, const std::string& reference) {
    out.tests = std::move(r.tests);
    out.q = std::move(r.q);
    out.traded = std::move(r.traded);
    out.reference = reference;
  };

  out.in_reference.assign(n, o.reference != "given");
  if (o.reference == "given") {
    finish(test_all(counts, o.reference_weights, out.in_reference, o), "given");
    return out;
  }
  if (o.reference == "all") {
    finish(test_all(counts, all, out.in_reference, o), "all");
    return out;
  }
  // "local": the reference is the pooled establishments of a core H of h = ⌈core_fraction · n⌉
  // industries: those with the smallest N_i·G_i against all establishments, i.e. the half of the
  // industries closest to EG's dartboard (one concentration step of Rousseeuw & Van Driessen
  // 1999). The traded clusters' hubs pull the all-industries reference towards themselves; the
  // core leaves the most concentrated half out, so up to n − h concentrated industries cannot
  // distort it. The step is not repeated: repeating it converges to the most homogeneous h
  // industries, and in an economy of a few traded clusters that is one cluster and its
  // neighbours, whose members then look local against each other (measured on a file of three
  // traded clusters, tests/cli/good/clusters_all_traded.csv: 4 of 12 called local after two
  // steps, 0 after one). Every industry, in the core or not, is then tested against x(H) (core
  // members against the core without themselves).
  std::vector<std::size_t> active;
  for (std::size_t i = 0; i < n; ++i)
    if (industry_total[i] > 0) active.push_back(i);
  const auto h = std::clamp<std::size_t>(
      static_cast<std::size_t>(std::ceil(o.core_fraction * static_cast<double>(active.size()))), 1, active.size());
  std::vector<std::pair<double, std::size_t>> score;  // (N_i · G_i(all), i), ties by index
  for (std::size_t i : active) {
    double g = 0;
    for (std::size_t r = 0; r < R; ++r) {
      const double d = static_cast<double>(counts[i][r]) / industry_total[i] - all[r] / total;
      g += d * d;
    }
    score.emplace_back(industry_total[i] * g, i);
  }
  std::sort(score.begin(), score.end());
  std::vector<bool> core(n, false);
  std::vector<double> x(R, 0.0);
  for (std::size_t k = 0; k < h; ++k) {
    const std::size_t i = score[k].second;
    core[i] = true;
    for (std::size_t r = 0; r < R; ++r) x[r] += static_cast<double>(counts[i][r]);
  }
  double core_total = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (core[i]) core_total += industry_total[i];
  out.local_share = core_total / total;
  out.in_reference = core;
  finish(test_all(counts, x, core, o), "local");
  return out;
}

}  // namespace agglo::clusters
