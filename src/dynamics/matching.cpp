// Greedy nearest-neighbour matching on the propensity score or the Mahalanobis distance (see
// include/agglo/dynamics/matching.hpp; formulas in docs/methods/dynamics.md §7).
#include "agglo/dynamics/matching.hpp"

#include <Eigen/Dense>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/stats/binary_model.hpp"

namespace agglo::dynamics {

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

bool is_binary(const std::vector<double>& x) {
  return std::all_of(x.begin(), x.end(), [](double v) { return v == 0 || v == 1; });
}

// The treated units' standard deviation, the denominator of the standardised mean difference
// (MatchIt / cobalt for the ATT: √(p(1−p)) for a 0/1 covariate, the n − 1 sample sd otherwise).
double treated_sd(const std::vector<double>& x, const std::vector<char>& treated) {
  double s = 0, m = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (treated[i]) s += x[i], ++n;
  m = s / static_cast<double>(n);
  if (is_binary(x)) return std::sqrt(m * (1 - m));
  double v = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (treated[i]) v += (x[i] - m) * (x[i] - m);
  return std::sqrt(v / static_cast<double>(n - 1));
}

}  // namespace

MatchResult nearest_neighbour_match(const MatchInput& in, const MatchOptions& o) {
  MatchResult res;
  const std::size_t n = in.treated.size(), k = in.X.size();
  std::vector<std::size_t> T, C;
  for (std::size_t i = 0; i < n; ++i) (in.treated[i] ? T : C).push_back(i);
  res.treated = T.size();
  res.controls = C.size();
  if (T.empty() || C.empty())
    throw_input(ErrorCode::invalid_value, T.empty() ? "no treated unit (treatment = 1) to match" : "no control unit (treatment = 0) to match with",
                {}, "the treatment column is 1 for treated units and 0 for the comparison pool");
  if (k == 0) throw_usage(ErrorCode::missing_option, "matching needs at least one covariate");
  for (std::size_t j = 0; j < k; ++j) {
    const auto [lo, hi] = std::minmax_element(in.X[j].begin(), in.X[j].end());
    if (*lo == *hi)
      throw_input(ErrorCode::invalid_value, fmt::format("covariate '{}' has no variation: it cannot distinguish units", in.names[j]));
  }
  if (o.caliper > 0 && o.distance != MatchDistance::propensity)
    throw_usage(ErrorCode::invalid_option_value, "a caliper is in standard deviations of the propensity score: use it with the score");

  // --- the distance
  res.score.assign(n, nan_v);
  Eigen::MatrixXd Sinv;
  if (o.distance == MatchDistance::propensity) {
    stats::Design d;
    d.rows = n;
    d.add("const", std::vector<double>(n, 1.0));
    for (std::size_t j = 0; j < k; ++j) d.add(in.names[j], in.X[j]);
    std::vector<double> y(n);
    for (std::size_t i = 0; i < n; ++i) y[i] = in.treated[i] ? 1 : 0;
    const auto m = stats::fit_binary_model(d, y, {}, {}, {});
    res.warnings.insert(res.warnings.end(), m.warnings.begin(), m.warnings.end());
    res.score_terms = m.terms;
    res.score_coefficients = m.estimate;
    for (std::size_t i = 0; i < n; ++i) {
      double eta = 0;
      for (std::size_t j = 0; j < d.cols(); ++j)
        if (std::isfinite(m.estimate[j])) eta += m.estimate[j] * d.columns[j][i];
      res.score[i] = 1 / (1 + std::exp(-eta));
    }
  } else {
    // pooled within-group covariance ((n₁−1)S₁ + (n₀−1)S₀)/(n − 2)
    Eigen::MatrixXd S = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
    for (const auto* group : {&T, &C}) {
      std::vector<double> mean(k, 0.0);
      for (auto i : *group)
        for (std::size_t a = 0; a < k; ++a) mean[a] += in.X[a][i] / static_cast<double>(group->size());
      for (auto i : *group)
        for (std::size_t a = 0; a < k; ++a)
          for (std::size_t b = 0; b < k; ++b)
            S(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) += (in.X[a][i] - mean[a]) * (in.X[b][i] - mean[b]);
    }
    S /= static_cast<double>(n) - 2;
    Eigen::LDLT<Eigen::MatrixXd> ldlt(S);
    if (ldlt.info() != Eigen::Success || ldlt.vectorD().minCoeff() <= 1e-12 * ldlt.vectorD().maxCoeff())
      throw_input(ErrorCode::invalid_value, "the covariates' covariance is singular: one is a combination of the others",
                  {}, "drop a covariate (for a categorical variable, leave one category out)");
    Sinv = ldlt.solve(Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k)));
  }
  auto distance = [&](std::size_t i, std::size_t j) {
    if (o.distance == MatchDistance::propensity) return std::fabs(res.score[i] - res.score[j]);
    Eigen::VectorXd d(static_cast<Eigen::Index>(k));
    for (std::size_t a = 0; a < k; ++a) d(static_cast<Eigen::Index>(a)) = in.X[a][i] - in.X[a][j];
    return std::sqrt(std::max(0.0, d.dot(Sinv * d)));
  };
  double caliper = std::numeric_limits<double>::infinity();
  if (o.caliper > 0) {
    const double m = std::accumulate(res.score.begin(), res.score.end(), 0.0) / static_cast<double>(n);
    double v = 0;
    for (double s : res.score) v += (s - m) * (s - m);
    caliper = o.caliper * std::sqrt(v / static_cast<double>(n - 1));
  }

  // --- the order of the treated units
  MatchOrder order = o.order;
  if (order == MatchOrder::automatic) order = o.distance == MatchDistance::propensity ? MatchOrder::largest : MatchOrder::data;
  if (order != MatchOrder::data && o.distance != MatchDistance::propensity)
    throw_usage(ErrorCode::invalid_option_value, "--order largest/smallest orders by the propensity score: use it with the score");
  if (order == MatchOrder::largest)
    std::stable_sort(T.begin(), T.end(), [&](std::size_t a, std::size_t b) { return res.score[a] > res.score[b]; });
  else if (order == MatchOrder::smallest)
    std::stable_sort(T.begin(), T.end(), [&](std::size_t a, std::size_t b) { return res.score[a] < res.score[b]; });
  if (!o.replace && C.size() < T.size() * o.ratio)
    res.warnings.push_back(fmt::format("{} controls for {} treated units × {}: without replacement the last treated units in the "
                                       "order get fewer matches", C.size(), T.size(), o.ratio));

  // --- greedy rounds: every treated unit its r-th match, r = 1 … ratio. A control is
  // available if unused (or always, with replacement) and not yet matched to this treated unit.
  std::vector<std::size_t> uses(n, 0), matches(n, 0);
  std::vector<std::vector<std::size_t>> mine(n);
  std::vector<char> stopped(n, 0);  // no eligible control in an earlier round
  auto available = [&](std::size_t i, std::size_t j) {
    return !in.treated[j] && (o.replace || uses[j] == 0) && std::find(mine[i].begin(), mine[i].end(), j) == mine[i].end();
  };
  // Propensity: all units sorted by score (ties in data order); the nearest available control
  // on either side of the treated unit, the lower one when equidistant (MatchIt's walk).
  std::vector<std::size_t> sorted(n), pos(n);
  if (o.distance == MatchDistance::propensity) {
    std::iota(sorted.begin(), sorted.end(), std::size_t{0});
    std::stable_sort(sorted.begin(), sorted.end(), [&](std::size_t a, std::size_t b) { return res.score[a] < res.score[b]; });
    for (std::size_t q = 0; q < n; ++q) pos[sorted[q]] = q;
  }
  for (std::size_t r = 1; r <= o.ratio; ++r)
    for (auto i : T) {
      if (stopped[i]) continue;
      std::size_t best = n;
      double bd = std::numeric_limits<double>::infinity();
      if (o.distance == MatchDistance::propensity) {
        std::size_t left = n, right = n;
        for (std::size_t q = pos[i]; q-- > 0;)
          if (available(i, sorted[q])) {
            left = sorted[q];
            break;
          }
        for (std::size_t q = pos[i] + 1; q < n; ++q)
          if (available(i, sorted[q])) {
            right = sorted[q];
            break;
          }
        const double dl = left < n ? distance(i, left) : std::numeric_limits<double>::infinity();
        const double dr = right < n ? distance(i, right) : std::numeric_limits<double>::infinity();
        if (left < n && dl <= dr) best = left, bd = dl;
        else if (right < n) best = right, bd = dr;
        if (bd > caliper) best = n;
      } else {
        for (auto j : C) {
          if (!available(i, j)) continue;
          const double d = distance(i, j);
          if (d <= bd) bd = d, best = j;  // ties go to the control last in the data, as MatchIt's search
        }
      }
      if (best == n) {
        stopped[i] = 1;
        continue;
      }
      ++uses[best];
      ++matches[i];
      mine[i].push_back(best);
      res.pairs.push_back({i, best, r, bd});
    }

  if (res.pairs.empty())
    throw_input(ErrorCode::invalid_value, "no treated unit found a control within the caliper: the matched sample is empty", {},
                "widen --caliper (standard deviations of the score; 0.2 is the usual choice, Austin 2011)");
  // --- weights (ATT): treated 1, controls Σ 1/k_i rescaled to the number of matched controls
  res.weight.assign(n, 0.0);
  for (const auto& p : res.pairs) res.weight[p.treated] = 1, res.weight[p.control] += 1.0 / static_cast<double>(matches[p.treated]);
  double wsum = 0;
  for (auto j : C)
    if (res.weight[j] > 0) wsum += res.weight[j], ++res.matched_controls;
  for (auto j : C) res.weight[j] *= static_cast<double>(res.matched_controls) / wsum;
  for (auto i : T) res.matched_treated += res.weight[i] > 0;
  if (res.matched_treated < T.size())
    res.warnings.push_back(fmt::format("{} of {} treated units found no control {}: they are left out of the matched sample "
                                       "(the estimand is then the effect on the matched treated)",
                                       T.size() - res.matched_treated, T.size(),
                                       o.caliper > 0 ? "within the caliper" : "left to match"));

  // --- balance
  for (std::size_t a = 0; a < k; ++a) {
    BalanceRow b;
    b.covariate = in.names[a];
    const double sd = treated_sd(in.X[a], in.treated);
    double st = 0, sc = 0, wt = 0, wc = 0, mt = 0, mc = 0;
    for (auto i : T) mt += in.X[a][i] / static_cast<double>(T.size());
    for (auto j : C) mc += in.X[a][j] / static_cast<double>(C.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (res.weight[i] == 0) continue;
      (in.treated[i] ? st : sc) += res.weight[i] * in.X[a][i];
      (in.treated[i] ? wt : wc) += res.weight[i];
    }
    b.mean_treated_all = mt;
    b.mean_control_all = mc;
    b.smd_before = (mt - mc) / sd;
    b.mean_treated = st / wt;
    b.mean_control = sc / wc;
    b.smd_after = (b.mean_treated - b.mean_control) / sd;
    res.balance.push_back(b);
  }
  return res;
}

}  // namespace agglo::dynamics
