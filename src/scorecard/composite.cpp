// The composite-index pipeline (include/agglo/scorecard/composite.hpp; formulas in
// docs/methods/scorecard.md).
#include "agglo/scorecard/composite.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/stats/descriptive.hpp"
#include "agglo/stats/linear_program.hpp"
#include "agglo/stats/pca.hpp"
#include "agglo/stats/transform.hpp"

namespace agglo::scorecard {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

template <class E>
E parse_choice(const std::string& s, std::initializer_list<std::pair<const char*, E>> table, const char* what) {
  std::string all;
  for (const auto& [name, value] : table) {
    if (s == name) return value;
    all += (all.empty() ? "" : ", ") + std::string(name);
  }
  throw_usage(ErrorCode::invalid_option_value, fmt::format("unknown {} '{}'", what, s), "use one of: " + all);
}
}  // namespace

Imputation parse_imputation(const std::string& s) {
  return parse_choice<Imputation>(s, {{"none", Imputation::none}, {"mean", Imputation::mean}, {"group-mean", Imputation::group_mean},
                                      {"group_mean", Imputation::group_mean}, {"regression", Imputation::regression}},
                                  "imputation");
}
Treatment parse_treatment(const std::string& s) {
  return parse_choice<Treatment>(
      s, {{"none", Treatment::none}, {"winsorise", Treatment::winsorise}, {"log", Treatment::log}, {"boxcox", Treatment::boxcox}},
      "outlier treatment");
}
Normalisation parse_normalisation(const std::string& s) {
  return parse_choice<Normalisation>(s,
                                     {{"minmax", Normalisation::minmax}, {"zscore", Normalisation::zscore}, {"rank", Normalisation::rank},
                                      {"percentile", Normalisation::percentile}, {"target", Normalisation::target},
                                      {"goalposts", Normalisation::goalposts}, {"none", Normalisation::none}},
                                     "normalisation");
}
Weighting parse_weighting(const std::string& s) {
  return parse_choice<Weighting>(s,
                                 {{"equal", Weighting::equal}, {"manual", Weighting::manual}, {"pca", Weighting::pca},
                                  {"budget", Weighting::budget}, {"bod", Weighting::bod}},
                                 "weighting");
}
Aggregation parse_aggregation(const std::string& s) {
  return parse_choice<Aggregation>(s,
                                   {{"arithmetic", Aggregation::arithmetic}, {"geometric", Aggregation::geometric},
                                    {"harmonic", Aggregation::harmonic}, {"generalised", Aggregation::generalised},
                                    {"copeland", Aggregation::copeland}, {"bod", Aggregation::bod}},
                                   "aggregation");
}
ZeroRule parse_zero_rule(const std::string& s) {
  return parse_choice<ZeroRule>(s, {{"error", ZeroRule::error}, {"floor", ZeroRule::floor}, {"zero", ZeroRule::zero}}, "zero rule");
}
std::string to_string(Normalisation n) {
  switch (n) {
    case Normalisation::minmax: return "minmax";
    case Normalisation::zscore: return "zscore";
    case Normalisation::rank: return "rank";
    case Normalisation::percentile: return "percentile";
    case Normalisation::target: return "target";
    case Normalisation::goalposts: return "goalposts";
    case Normalisation::none: return "none";
  }
  return "?";
}
std::string to_string(Aggregation a) {
  switch (a) {
    case Aggregation::arithmetic: return "arithmetic";
    case Aggregation::geometric: return "geometric";
    case Aggregation::harmonic: return "harmonic";
    case Aggregation::generalised: return "generalised";
    case Aggregation::copeland: return "copeland";
    case Aggregation::bod: return "bod";
  }
  return "?";
}

std::vector<double> normalise(const std::vector<double>& x, Normalisation method, double low, double high, double target,
                              double goal_low, double goal_high, const std::string& what) {
  std::vector<double> out(x.size(), nan);
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double v : x)
    if (std::isfinite(v)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  switch (method) {
    case Normalisation::none:
      return x;
    case Normalisation::minmax:
      // x' = l + (u − l)(x − min)/(max − min)
      for (std::size_t i = 0; i < x.size(); ++i)
        if (std::isfinite(x[i])) out[i] = hi > lo ? low + (high - low) * (x[i] - lo) / (hi - lo) : nan;
      return out;
    case Normalisation::zscore: {
      // x' = (x − x̄)/s
      const double m = stats::mean(x), s = stats::sd(x);
      for (std::size_t i = 0; i < x.size(); ++i)
        if (std::isfinite(x[i])) out[i] = s > 0 ? (x[i] - m) / s : nan;
      return out;
    }
    case Normalisation::rank:
      return stats::average_ranks(x);
    case Normalisation::percentile: {
      // x' = l + (u − l)(rank − 1)/(n − 1), average ranks for ties
      const auto r = stats::average_ranks(x);
      const double n = static_cast<double>(stats::count_finite(x));
      for (std::size_t i = 0; i < x.size(); ++i)
        if (std::isfinite(r[i])) out[i] = n > 1 ? low + (high - low) * (r[i] - 1) / (n - 1) : 0.5 * (low + high);
      return out;
    }
    case Normalisation::target: {
      // x' = l + (u − l) · min(1, (x − min)/(target − min))
      if (!std::isfinite(target))
        throw_input(ErrorCode::invalid_value, fmt::format("indicator '{}': distance to target needs a target", what), {},
                    "give the target in the tree's target column");
      if (!(target > lo))
        throw_input(ErrorCode::invalid_value,
                    fmt::format("indicator '{}': the target {} is not beyond the worst value {} (on the direction's scale)", what, target, lo),
                    {}, "a target lies on the good side of the data");
      for (std::size_t i = 0; i < x.size(); ++i)
        if (std::isfinite(x[i])) out[i] = low + (high - low) * std::min(1.0, (x[i] - lo) / (target - lo));
      return out;
    }
    case Normalisation::goalposts: {
      // x' = l + (u − l) · clamp((x − g_lo)/(g_hi − g_lo), 0, 1)
      if (!std::isfinite(goal_low) || !std::isfinite(goal_high))
        throw_input(ErrorCode::invalid_value, fmt::format("indicator '{}': goalposts normalisation needs its goal_low and goal_high", what),
                    {}, "give both goalposts in the tree's goal_low and goal_high columns");
      if (!(goal_high > goal_low))
        throw_input(ErrorCode::invalid_value,
                    fmt::format("indicator '{}': goalposts need goal_low < goal_high (got {} and {})", what, goal_low, goal_high), {},
                    "swap them: the direction column says which end is better");
      for (std::size_t i = 0; i < x.size(); ++i)
        if (std::isfinite(x[i])) out[i] = low + (high - low) * std::clamp((x[i] - goal_low) / (goal_high - goal_low), 0.0, 1.0);
      return out;
    }
  }
  return out;
}

double aggregate_one(const double* x, const double* w, std::size_t k, Aggregation method, double power, ZeroRule zeros,
                     double floor, std::size_t* floored, const std::string& what) {
  double sw = 0;
  for (std::size_t j = 0; j < k; ++j)
    if (std::isfinite(x[j]) && w[j] > 0) sw += w[j];
  if (!(sw > 0)) return nan;
  if (method == Aggregation::arithmetic || (method == Aggregation::generalised && power == 1)) {
    double s = 0;
    for (std::size_t j = 0; j < k; ++j)
      if (std::isfinite(x[j]) && w[j] > 0) s += w[j] * x[j];
    return s / sw;
  }
  // The other means need x ≥ 0; zeros follow the zero rule.
  const bool positive_needed = method != Aggregation::generalised || power <= 0;
  double acc = 0;
  bool zero_seen = false;
  for (std::size_t j = 0; j < k; ++j) {
    if (!std::isfinite(x[j]) || !(w[j] > 0)) continue;
    double v = x[j];
    if (v < 0)
      throw_input(ErrorCode::invalid_value,
                  fmt::format("{}: value {:.6g} is negative, and a {} mean is defined for values ≥ 0 only", what, v, to_string(method)),
                  {}, "normalise to a positive scale (minmax with --low 1, percentile) or aggregate arithmetically");
    if (zeros == ZeroRule::floor && positive_needed && v < floor) {
      v = floor;
      if (floored) ++*floored;
    }
    if (v == 0) {
      if (!positive_needed) continue;  // contributes 0 to Σ w x^p with p > 0
      if (zeros == ZeroRule::error)
        throw_input(ErrorCode::invalid_value, fmt::format("{}: a value is 0 under a {} mean", what, to_string(method)), {},
                    "use --zeros floor (values below --zero-floor raised to it) or --zeros zero (the mean is then 0)");
      zero_seen = true;
      continue;
    }
    switch (method) {
      case Aggregation::geometric: acc += w[j] * std::log(v); break;
      case Aggregation::harmonic: acc += w[j] / v; break;
      default:
        acc += power == 0 ? w[j] * std::log(v) : w[j] * std::pow(v, power);
        break;
    }
  }
  if (zero_seen) return 0.0;  // the limit of each of these means as one value tends to 0
  switch (method) {
    case Aggregation::geometric: return std::exp(acc / sw);
    case Aggregation::harmonic: return sw / acc;
    default: return power == 0 ? std::exp(acc / sw) : std::pow(acc / sw, 1.0 / power);
  }
}

std::vector<double> copeland(const std::vector<std::vector<double>>& x, const std::vector<double>& w) {
  const std::size_t k = x.size();
  const std::size_t n = k ? x.front().size() : 0;
  std::vector<double> c(n, 0.0);
  std::vector<bool> any(n, false);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t j = 0; j < k; ++j) any[a] = any[a] || std::isfinite(x[j][a]);
  for (std::size_t a = 0; a < n; ++a) {
    if (!any[a]) {
      c[a] = nan;
      continue;
    }
    for (std::size_t b = a + 1; b < n; ++b) {
      if (!any[b]) continue;
      double ab = 0, ba = 0;
      for (std::size_t j = 0; j < k; ++j) {
        const double xa = x[j][a], xb = x[j][b];
        if (!std::isfinite(xa) || !std::isfinite(xb)) continue;
        if (xa > xb) ab += w[j];
        else if (xb > xa) ba += w[j];
        else {
          ab += 0.5 * w[j];
          ba += 0.5 * w[j];
        }
      }
      const double s = ab > ba ? 1.0 : ab < ba ? -1.0 : 0.0;
      c[a] += s;
      c[b] -= s;
    }
  }
  return c;
}

BodResult benefit_of_the_doubt(const std::vector<std::vector<double>>& y, double lo, double hi) {
  const std::size_t k = y.size();
  const std::size_t n = k ? y.front().size() : 0;
  auto val = [&](std::size_t j, std::size_t u) { return std::isfinite(y[j][u]) ? y[j][u] : 0.0; };
  BodResult r;
  r.score.assign(n, nan);
  r.shares.assign(n, std::vector<double>(k, nan));
  // The constraint rows Σ_j w_j y_kj ≤ 1 are the same for every unit.
  stats::LinearProgram base;
  base.maximise = true;
  base.objective.assign(k, 0.0);
  for (std::size_t u = 0; u < n; ++u) {
    std::vector<double> row(k);
    for (std::size_t j = 0; j < k; ++j) row[j] = val(j, u);
    base.rows.push_back(std::move(row));
    base.row_lo.push_back(-stats::LinearProgram::inf);
    base.row_hi.push_back(1.0);
  }
  for (std::size_t c = 0; c < n; ++c) {
    auto lp = base;
    double total = 0;
    for (std::size_t j = 0; j < k; ++j) {
      lp.objective[j] = val(j, c);
      total += val(j, c);
    }
    if (!(total > 0)) {
      r.score[c] = 0;
      continue;
    }
    // lo Σ_i w_i y_ci ≤ w_j y_cj ≤ hi Σ_i w_i y_ci  →  rows (y_cj e_j − lo y_c)·w ≥ 0, (y_cj e_j − hi y_c)·w ≤ 0
    for (std::size_t j = 0; j < k; ++j) {
      if (lo > 0) {
        std::vector<double> row(k);
        for (std::size_t i = 0; i < k; ++i) row[i] = (i == j ? val(j, c) : 0.0) - lo * val(i, c);
        lp.rows.push_back(std::move(row));
        lp.row_lo.push_back(0.0);
        lp.row_hi.push_back(stats::LinearProgram::inf);
      }
      if (hi < 1) {
        std::vector<double> row(k);
        for (std::size_t i = 0; i < k; ++i) row[i] = (i == j ? val(j, c) : 0.0) - hi * val(i, c);
        lp.rows.push_back(std::move(row));
        lp.row_lo.push_back(-stats::LinearProgram::inf);
        lp.row_hi.push_back(0.0);
      }
    }
    const auto s = stats::solve_lp(lp);
    if (!s.optimal) {
      ++r.infeasible;
      continue;
    }
    r.score[c] = std::clamp(s.objective, 0.0, 1.0);  // the simplex's tolerance may overshoot 1 by ulps
    for (std::size_t j = 0; j < k; ++j) r.shares[c][j] = s.objective > 0 ? s.x[j] * val(j, c) / s.objective : nan;
  }
  return r;
}

std::vector<int> rank_scores(const std::vector<double>& index, double resolution) {
  resolution = effective_resolution(index.data(), index.size(), resolution);
  std::vector<double> q(index.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    q[i] = resolution > 0 && std::isfinite(index[i]) ? static_cast<double>(quantise(index[i], 1 / resolution)) : index[i];
    if (q[i] == 0) q[i] = 0.0;
  }
  return stats::descending_min_ranks(q);
}

namespace {

// Imputation of one indicator; `others` are the raw columns of all indicators (regression).
std::size_t impute(std::vector<double>& x, Imputation how, const std::vector<std::string>& groups,
                   const std::vector<const std::vector<double>*>& others, std::size_t self) {
  std::size_t missing = x.size() - stats::count_finite(x);
  if (how == Imputation::none || missing == 0) return 0;
  const double overall = stats::mean(x);
  if (how == Imputation::mean) {
    for (auto& v : x)
      if (!std::isfinite(v)) v = overall;
    return missing;
  }
  if (how == Imputation::group_mean) {
    std::map<std::string, std::pair<double, std::size_t>> g;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (std::isfinite(x[i])) {
        auto& e = g[groups.empty() ? std::string() : groups[i]];
        e.first += x[i];
        ++e.second;
      }
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!std::isfinite(x[i])) {
        const auto it = g.find(groups.empty() ? std::string() : groups[i]);
        x[i] = it != g.end() && it->second.second ? it->second.first / static_cast<double>(it->second.second) : overall;
      }
    return missing;
  }
  // Regression: OLS on the indicator most correlated with this one (|r| over complete pairs).
  int best = -1;
  double best_r = 0;
  for (std::size_t m = 0; m < others.size(); ++m) {
    if (m == self) continue;
    const double r = stats::pearson(x, *others[m]);
    if (std::isfinite(r) && std::abs(r) > best_r) {
      best_r = std::abs(r);
      best = static_cast<int>(m);
    }
  }
  double a = overall, b = 0;
  const std::vector<double>* z = best >= 0 ? others[static_cast<std::size_t>(best)] : nullptr;
  if (z) {
    double sx = 0, sz = 0, n = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (std::isfinite(x[i]) && std::isfinite((*z)[i])) {
        sx += x[i];
        sz += (*z)[i];
        ++n;
      }
    const double mx = sx / n, mz = sz / n;
    double szz = 0, szx = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (std::isfinite(x[i]) && std::isfinite((*z)[i])) {
        szz += ((*z)[i] - mz) * ((*z)[i] - mz);
        szx += ((*z)[i] - mz) * (x[i] - mx);
      }
    if (szz > 0) {
      b = szx / szz;
      a = mx - b * mz;
    }
  }
  for (std::size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i])) x[i] = z && std::isfinite((*z)[i]) ? a + b * (*z)[i] : overall;
  return missing;
}

}  // namespace

CompositeResult compute_index(const IndicatorTree& tree, const IndicatorData& data, const PipelineOptions& o,
                              const std::vector<std::size_t>& units_in) {
  std::vector<std::size_t> units = units_in;
  if (units.empty()) {
    units.resize(data.units.size());
    std::iota(units.begin(), units.end(), std::size_t(0));
  }
  const std::size_t n = units.size();
  const std::size_t nn = tree.nodes.size();
  CompositeResult r;
  r.scores.assign(nn, std::vector<double>(n, nan));
  r.weight.assign(nn, nan);
  r.effective.assign(nn, nan);
  r.corr_parent.assign(nn, nan);
  r.corr_index.assign(nn, nan);
  r.alpha.assign(nn, nan);
  r.pca_explained.assign(nn, nan);
  r.treatment.assign(nn, "");
  r.dropped.assign(nn, false);
  auto node_name = [&](int v) { return tree.nodes[static_cast<std::size_t>(v)].name; };

  // Raw columns of the units.
  std::vector<std::vector<double>> raw(tree.leaves.size(), std::vector<double>(n));
  std::vector<std::string> groups;
  if (!data.impute_group.empty())
    for (auto u : units) groups.push_back(data.impute_group[u]);
  for (std::size_t l = 0; l < tree.leaves.size(); ++l)
    for (std::size_t i = 0; i < n; ++i) raw[l][i] = data.values[l][units[i]];

  // 1. checks
  std::size_t constants = 0;
  for (std::size_t l = 0; l < tree.leaves.size(); ++l) {
    const int v = tree.leaves[l];
    if (static_cast<int>(l) == o.drop_leaf) {
      r.dropped[static_cast<std::size_t>(v)] = true;
      continue;
    }
    if (tree.nodes[static_cast<std::size_t>(v)].weight == 0 && o.weights == Weighting::manual) continue;
    const std::size_t have = stats::count_finite(raw[l]);
    const double share_missing = n ? 1.0 - static_cast<double>(have) / static_cast<double>(n) : 0.0;
    if (share_missing > o.max_missing)
      throw_input(ErrorCode::invalid_value,
                  fmt::format("indicator '{}' is missing for {} of {} units ({:.0f} %), more than --max-missing {:.0f} %", node_name(v),
                              n - have, n, 100 * share_missing, 100 * o.max_missing),
                  {data.source, 0, 0, node_name(v)},
                  "drop it from the tree, fill it in, or raise --max-missing (missing values are skipped when aggregating, or imputed "
                  "with --impute)");
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (double x : raw[l])
      if (std::isfinite(x)) {
        lo = std::min(lo, x);
        hi = std::max(hi, x);
      }
    if (!(hi > lo)) {
      if (!o.drop_constant)
        throw_input(ErrorCode::invalid_value,
                    fmt::format("indicator '{}' has no variation: {} for every unit with a value", node_name(v), have ? lo : nan),
                    {data.source, 0, 0, node_name(v)},
                    "an indicator without variation cannot be normalised; drop it from the tree, or use --constant drop");
      r.dropped[static_cast<std::size_t>(v)] = true;
      ++constants;
    }
  }
  if (constants)
    r.warnings.push_back(fmt::format("{} indicator(s) without variation left out (--constant drop)", constants));

  // 2. imputation, on the raw values (each indicator from the others' raw values).
  {
    std::vector<const std::vector<double>*> others;
    for (const auto& c : raw) others.push_back(&c);
    std::vector<std::vector<double>> imputed = raw;
    for (std::size_t l = 0; l < raw.size(); ++l)
      if (!r.dropped[static_cast<std::size_t>(tree.leaves[l])]) r.imputed += impute(imputed[l], o.impute, groups, others, l);
    raw = std::move(imputed);
  }

  // 3.–5. treatment, direction, normalisation
  for (std::size_t l = 0; l < raw.size(); ++l) {
    const int v = tree.leaves[l];
    const auto& node = tree.nodes[static_cast<std::size_t>(v)];
    if (r.dropped[static_cast<std::size_t>(v)]) continue;
    auto x = raw[l];
    switch (o.treat) {
      case Treatment::none: break;
      case Treatment::winsorise: {
        auto t = stats::winsorise(x, o.skew_threshold, o.kurt_threshold, o.winsorise_max, true);
        x = std::move(t.values);
        r.treatment[static_cast<std::size_t>(v)] = t.note;
        break;
      }
      case Treatment::log: {
        auto t = stats::log_shift(x);
        x = std::move(t.values);
        r.treatment[static_cast<std::size_t>(v)] = t.note;
        break;
      }
      case Treatment::boxcox: {
        for (std::size_t i = 0; i < n; ++i)
          if (std::isfinite(x[i]) && x[i] <= 0)
            throw_input(ErrorCode::invalid_value,
                        fmt::format("indicator '{}': the Box–Cox transformation needs values > 0, and unit '{}' has {}", node.name,
                                    data.units[units[i]], x[i]),
                        {data.source, data.lines.empty() ? 0 : data.lines[units[i]], 0, node.name},
                        "use --treat log (ln(x − min + 1) works for any values) or winsorise");
        auto t = stats::box_cox(x, o.boxcox_lambda, fmt::format("indicator '{}'", node.name));
        x = std::move(t.values);
        r.treatment[static_cast<std::size_t>(v)] = t.note;
        break;
      }
    }
    const double d = node.direction;
    for (auto& e : x) e *= d;
    // Targets and goalposts are given on the indicator's own scale; on the directed scale a
    // lower-is-better target t becomes −t and the goalposts swap: [−g_hi, −g_lo].
    const double target = d * node.target;
    const double gl = d > 0 ? node.goal_low : -node.goal_high, gh = d > 0 ? node.goal_high : -node.goal_low;
    const auto method = node.normalise.empty() ? o.normalise : parse_normalisation(node.normalise);
    r.scores[static_cast<std::size_t>(v)] = normalise(x, method, o.low, o.high, target, gl, gh, node.name);
  }

  // 6.–7. weights and aggregation, children before parents.
  std::size_t rescaled = 0;
  bool ignored_tree_weights = false;
  for (int v : tree.inner) {
    const auto& node = tree.nodes[static_cast<std::size_t>(v)];
    const auto& ch = node.children;
    const std::size_t k = ch.size();
    std::vector<double> w(k, 1.0);
    Aggregation method = !node.aggregate.empty() ? parse_aggregation(node.aggregate)
                         : o.weights == Weighting::bod ? Aggregation::bod
                                                       : o.aggregate;
    std::vector<std::vector<double>> cs(k);
    for (std::size_t j = 0; j < k; ++j) cs[j] = r.scores[static_cast<std::size_t>(ch[j])];
    for (std::size_t j = 0; j < k; ++j) {
      const auto& c = tree.nodes[static_cast<std::size_t>(ch[j])];
      if (c.weight != 1) ignored_tree_weights = ignored_tree_weights || o.weights == Weighting::equal;
      switch (o.weights) {
        case Weighting::manual: w[j] = c.weight; break;
        case Weighting::budget: {
          const double b = o.budget.size() > static_cast<std::size_t>(ch[j]) ? o.budget[static_cast<std::size_t>(ch[j])] : nan;
          if (!std::isfinite(b))
            throw_input(ErrorCode::missing_column, fmt::format("the budget allocation gives no points to node '{}'", c.name), {},
                        "give every node of the tree a row in the budget file (points may be 0)");
          w[j] = b;
          break;
        }
        default: break;
      }
    }
    if (o.weights == Weighting::pca) {
      const auto pc = stats::first_principal_component(cs);
      w = pc.weights;
      r.pca_explained[static_cast<std::size_t>(v)] = pc.explained;
      if (pc.negative_loading)
        r.warnings.push_back(fmt::format("node '{}': a child loads negatively on the first principal component (weight still its "
                                         "squared loading)",
                                         node.name));
    }
    for (std::size_t j = 0; j < k; ++j) {
      const auto c = static_cast<std::size_t>(ch[j]);
      if (!o.weight_scale.empty()) w[j] *= o.weight_scale[c];
      bool all_missing = true;
      for (double s : cs[j]) all_missing = all_missing && !std::isfinite(s);
      if (r.dropped[c] || all_missing) w[j] = 0;
    }
    const double sw = std::accumulate(w.begin(), w.end(), 0.0);
    if (!(sw > 0)) {
      bool every_child_dropped = true;
      for (int c : ch) every_child_dropped = every_child_dropped && r.dropped[static_cast<std::size_t>(c)];
      if (every_child_dropped) {
        r.dropped[static_cast<std::size_t>(v)] = true;
        continue;
      }
      throw_input(ErrorCode::invalid_value, fmt::format("node '{}': the weights of its children sum to 0", node.name),
                  {tree.source, node.line, 0, "weight"}, "give at least one child a positive weight");
    }
    if (o.weights == Weighting::manual && std::abs(sw - 1) > 1e-9) ++rescaled;
    for (std::size_t j = 0; j < k; ++j) r.weight[static_cast<std::size_t>(ch[j])] = w[j] / sw;

    auto& out = r.scores[static_cast<std::size_t>(v)];
    const std::string what = fmt::format("node '{}'", node.name);
    if (method == Aggregation::copeland) {
      std::vector<std::vector<double>> live;
      std::vector<double> lw;
      for (std::size_t j = 0; j < k; ++j)
        if (w[j] > 0) {
          live.push_back(cs[j]);
          lw.push_back(w[j] / sw);
        }
      out = copeland(live, lw);
    } else if (method == Aggregation::bod) {
      std::vector<std::vector<double>> live;
      for (std::size_t j = 0; j < k; ++j)
        if (w[j] > 0) {
          for (double s : cs[j])
            if (s < 0)
              throw_input(ErrorCode::invalid_value, fmt::format("{}: benefit of the doubt needs scores ≥ 0, a child has {:.6g}", what, s),
                          {}, "normalise with minmax or percentile");
          live.push_back(cs[j]);
        }
      const auto b = benefit_of_the_doubt(live, o.bod_min_share, o.bod_max_share);
      if (b.infeasible)
        r.warnings.push_back(fmt::format("{}: the share restrictions admit no weights for {} unit(s) (no score)", what, b.infeasible));
      for (std::size_t i = 0; i < n; ++i) out[i] = o.low + (o.high - o.low) * b.score[i];
      for (int c : ch) r.weight[static_cast<std::size_t>(c)] = nan;  // unit-specific
    } else {
      std::vector<double> x(k);
      std::size_t i = 0;
      try {
        for (; i < n; ++i) {
          for (std::size_t j = 0; j < k; ++j) x[j] = cs[j][i];
          out[i] = aggregate_one(x.data(), w.data(), k, method, o.power, o.zeros, o.zero_floor, &r.floored, what);
        }
      } catch (const Error& e) {
        // Name the unit too (formatted only when it fails).
        throw Error(e.kind(), e.code(), fmt::format("unit '{}', {}", data.units[units[i]], e.message()), e.where(), e.hint());
      }
    }
    if (node.direction == -1) {
      // A lower-is-better aggregate: mirrored within its observed range, s' = max + min − s.
      double lo = std::numeric_limits<double>::infinity(), hi = -lo;
      for (double s : out)
        if (std::isfinite(s)) {
          lo = std::min(lo, s);
          hi = std::max(hi, s);
        }
      for (auto& s : out)
        if (std::isfinite(s)) s = hi + lo - s;
    }
    std::vector<std::vector<double>> items;
    for (std::size_t j = 0; j < k; ++j)
      if (w[j] > 0) items.push_back(cs[j]);
    r.alpha[static_cast<std::size_t>(v)] = stats::cronbach_alpha(items);
  }
  if (rescaled)
    r.warnings.push_back(fmt::format("the weights of {} node(s) do not sum to 1 within their parent; they were rescaled to sum to 1 "
                                     "(as COINr does)",
                                     rescaled));
  if (ignored_tree_weights)
    r.warnings.push_back("the tree gives unequal weights, which --weights equal ignores; --weights manual uses them");
  if (r.floored)
    r.warnings.push_back(fmt::format("{} value(s) below --zero-floor {} raised to it for geometric/harmonic means", r.floored, o.zero_floor));

  const auto root = static_cast<std::size_t>(tree.root);
  r.index = r.scores[root];
  r.rank = rank_scores(r.index, rank_resolution(o));
  r.weight[root] = 1;
  // Effective weight: product of the weights on the path to the root.
  for (std::size_t v = 0; v < nn; ++v) {
    double e = 1;
    int cur = static_cast<int>(v);
    while (cur >= 0 && cur != tree.root) {
      e *= r.weight[static_cast<std::size_t>(cur)];
      cur = tree.nodes[static_cast<std::size_t>(cur)].parent;
    }
    r.effective[v] = r.dropped[v] ? 0.0 : e;
    const int p = tree.nodes[v].parent;
    if (p >= 0) r.corr_parent[v] = stats::pearson(r.scores[v], r.scores[static_cast<std::size_t>(p)]);
    r.corr_index[v] = stats::pearson(r.scores[v], r.index);
  }
  return r;
}

}  // namespace agglo::scorecard
