// `agglo survey …`: firm-level evidence on clusters (issue 7). Gjelsvik (2014: a CIS-style
// survey of Norwegian firms — the Porter-diamond cluster index, innovation shares, a
// multivariate model) and Osarenkhoe & Fjellström (2017: perceived benefits of cluster
// membership, Kronoberg cluster-initiative figures). Methods: docs/methods/survey.md.
//
//   survey diamond      per-firm cluster index             (Gjelsvik 2014, Tables 3–5 grouping)
//   survey tables       shares with confidence intervals   (Gjelsvik 2014, Tables 2, 3, 4, 5)
//   survey model        logit / probit / LPM               (Gjelsvik 2014, Table 6)
//   survey benefits     Likert items, shares agreeing      (Osarenkhoe & Fjellström 2017, Table 2)
//   survey initiatives  cluster-initiative key figures     (Osarenkhoe & Fjellström 2017, Table 1)
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/source_header.hpp"
#include "agglo/stats/binary_model.hpp"
#include "agglo/survey/diamond.hpp"
#include "agglo/survey/initiatives.hpp"
#include "agglo/survey/likert.hpp"
#include "agglo/survey/model_frame.hpp"
#include "agglo/survey/responses.hpp"
#include "agglo/survey/share_tables.hpp"
#include "agglo/synth/synthetic_economy.hpp"

namespace agglo::api {

namespace {

using Json = nlohmann::ordered_json;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

Json num(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

// Options of the diamond rules, shared by every command that derives cluster variables.
struct DiamondFlags {
  std::int64_t cluster_min = 4;
  std::int64_t non_cluster_max = 2;
  std::string middle = "exclude";
  survey::DiamondRules rules() const {
    survey::DiamondRules r;
    r.cluster_min = static_cast<int>(cluster_min);
    r.non_cluster_max = static_cast<int>(non_cluster_max);
    r.middle = middle == "cluster" ? survey::MiddleRule::cluster
               : middle == "non-cluster" ? survey::MiddleRule::non_cluster
                                          : survey::MiddleRule::exclude;
    return r;
  }
};
template <class O>
void describe_diamond(core::OptionSchema<O>& s) {
  s.add("cluster-min", &O::cluster_min, "regional items (of six) for a firm to be in a regional cluster (Gjelsvik 2014: 4)").min(1).max(6);
  s.add("non-cluster-max", &O::non_cluster_max, "at most this many regional items: not in a regional cluster (Gjelsvik 2014: 2)").min(0).max(5);
  s.add("middle", &O::middle, "firms between the two thresholds (3 regional items): left out, counted as in a cluster, or as not")
      .choices({"exclude", "cluster", "non-cluster"});
}

// A plain-text table with right-aligned columns after the first.
std::string render(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> w(head.size(), 0);
  auto width = [](const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  };
  for (std::size_t j = 0; j < head.size(); ++j) w[j] = width(head[j]);
  for (const auto& r : rows)
    for (std::size_t j = 0; j < r.size() && j < w.size(); ++j) w[j] = std::max(w[j], width(r[j]));
  std::string out;
  auto line = [&](const std::vector<std::string>& r) {
    for (std::size_t j = 0; j < r.size(); ++j) {
      const std::string pad(w[j] - width(r[j]), ' ');
      out += j == 0 ? r[j] + pad : "  " + pad + r[j];
    }
    out += "\n";
  };
  line(head);
  for (const auto& r : rows) line(r);
  return out;
}
std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.1f}", 100 * v) : "–"; }
std::string fix(double v, int d = 4) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, d) : ""; }

// ---------------------------------------------------------------------------------------------
struct DiamondOptions {
  std::string responses;
  std::int64_t cluster_min = 4;
  std::int64_t non_cluster_max = 2;
  std::string middle = "exclude";
  std::vector<std::string> index;

  static void describe(core::OptionSchema<DiamondOptions>& s) {
    s.add("responses", &DiamondOptions::responses, "survey responses CSV (id and the six diamond items)").path().required();
    describe_diamond(s);
    s.add("index", &DiamondOptions::index, "alternative indices to add: proximity (1 regional, ½ national, 0 international), corners (regional share per corner of the diamond)")
        .choices({"proximity", "corners"});
  }
  void validate() const {
    if (non_cluster_max >= cluster_min)
      throw_usage(ErrorCode::invalid_option_value, "--non-cluster-max must be below --cluster-min");
  }
};

Result run_diamond(const DiamondOptions& o, Context&) {
  const auto s = io::load_survey(o.responses);
  bool any_item = false;
  {
    const auto header = io::source_header(o.responses);
    for (const char* item : data::Survey::diamond_items)
      any_item = any_item || std::find(header.begin(), header.end(), item) != header.end();
  }
  if (!any_item)
    throw_input(ErrorCode::missing_column,
                "no diamond item column: expected at least one of customers, suppliers, competitors, employees, research, "
                "capital (values regional, national, international or empty)",
                {o.responses, 1, 0, ""});
  DiamondFlags f{o.cluster_min, o.non_cluster_max, o.middle};
  const auto d = survey::compute_diamond(s, f.rules());
  data::Table t;
  auto& id = t.add_text("id");
  for (std::size_t i = 0; i < s.size(); ++i) id.emplace_back(s.ids.name(static_cast<std::uint32_t>(i)));
  t.add_integer("regional_items", {d.regional.begin(), d.regional.end()});
  t.add_integer("national_items", {d.national.begin(), d.national.end()});
  t.add_integer("international_items", {d.international.begin(), d.international.end()});
  t.add_real("share_regional", d.share_regional);
  t.add_text("scope", d.scope);
  t.add_real("regional_cluster", d.regional_cluster);
  t.add_integer("answered_items", {d.answered.begin(), d.answered.end()});
  const bool prox = std::count(o.index.begin(), o.index.end(), "proximity") > 0;
  const bool corners = std::count(o.index.begin(), o.index.end(), "corners") > 0;
  if (prox) t.add_real("proximity_score", d.proximity_score);
  if (corners)
    for (int c = 0; c < 4; ++c) t.add_real(survey::diamond_corner_names[c], d.corner[c]);
  Result res;
  res.tables.emplace_back("diamond", std::move(t));
  std::map<std::string, std::size_t> scopes;
  for (const auto& sc : d.scope)
    if (!sc.empty()) ++scopes[sc];
  if (d.all_missing)
    res.warnings.push_back(fmt::format("{} firm(s) answered none of the six items: their indices are empty", d.all_missing));
  const double n = static_cast<double>(s.size());
  res.summary_json = Json{{"firms", s.size()},
                          {"regional_cluster", d.in_cluster},
                          {"non_regional_cluster", d.not_in_cluster},
                          {"middle", d.middle},
                          {"middle_rule", o.middle},
                          {"no_item_answered", d.all_missing},
                          {"share_in_regional_cluster", n > 0 ? num(static_cast<double>(d.in_cluster) / n) : Json(nullptr)},
                          {"scope", scopes},
                          {"rules", {{"cluster_min", o.cluster_min}, {"non_cluster_max", o.non_cluster_max}}}}
                         .dump(1);
  return res;
}

// ---------------------------------------------------------------------------------------------
struct TablesOptions {
  std::string responses;
  std::string kind = "outcomes";
  std::string by;
  std::vector<std::string> outcomes;
  std::vector<std::string> order;
  std::string weight;
  double level = 0.95;
  std::string interval = "wilson";
  bool no_total = false;
  std::int64_t cluster_min = 4;
  std::int64_t non_cluster_max = 2;
  std::string middle = "exclude";

  static void describe(core::OptionSchema<TablesOptions>& s) {
    s.add("responses", &TablesOptions::responses, "survey responses CSV").path().required();
    s.add("kind", &TablesOptions::kind,
          "outcomes: share of firms with each outcome by group (Gjelsvik 2014 Tables 2 and 5); factors: regional share of each "
          "diamond item by group (Table 3); factor-outcome: outcome share by where each item is located (Table 4)")
        .choices({"outcomes", "factors", "factor-outcome"});
    s.add("by", &TablesOptions::by,
          "grouping column (region, sector, any column) or a derived one: regional_cluster, scope; empty = all firms");
    s.add("outcomes", &TablesOptions::outcomes, "binary (0/1) outcome columns, e.g. product_innovation,process_innovation");
    s.add("order", &TablesOptions::order, "order of the groups (others follow in order of appearance)");
    s.add("weight", &TablesOptions::weight, "column of survey weights (> 0); shares are weighted, intervals use Kish's effective n");
    s.add("level", &TablesOptions::level, "confidence level of the intervals").min(0.5).max(0.9999);
    s.add("interval", &TablesOptions::interval, "confidence interval of a share").choices({"wilson", "wald"});
    s.add("no-total", &TablesOptions::no_total, "leave out the Total / Average rows");
    describe_diamond(s);
  }
  void validate() const {
    if (kind != "factors" && outcomes.empty())
      throw_usage(ErrorCode::missing_option, "--outcomes is required for --kind " + kind);
  }
};

Result run_tables(const TablesOptions& o, Context&) {
  survey::ResponseRequest req;
  req.rules = DiamondFlags{o.cluster_min, o.non_cluster_max, o.middle}.rules();
  req.numeric = o.outcomes;
  if (!o.weight.empty()) req.numeric.push_back(o.weight);
  if (!o.by.empty()) req.text.push_back(o.by);
  req.diamond = o.kind != "outcomes";
  const auto R = survey::read_responses(o.responses, req);
  for (const auto& y : o.outcomes) {
    const auto& v = R.numbers.at(y);
    for (std::size_t i = 0; i < v.size(); ++i)
      if (std::isfinite(v[i]) && v[i] != 0 && v[i] != 1)
        throw_input(ErrorCode::invalid_value, fmt::format("outcome '{}' must be binary (0 or 1), found {}", y, v[i]),
                    R.where(y, i), "recode it to 0/1 (1 = the firm innovated)");
  }
  std::vector<double> w;
  if (!o.weight.empty()) {
    w = R.numbers.at(o.weight);
    for (std::size_t i = 0; i < w.size(); ++i)
      if (!(w[i] > 0)) throw_input(ErrorCode::invalid_value, fmt::format("survey weight {} is not > 0", w[i]), R.where(o.weight, i));
  }
  std::vector<std::string> group(R.rows, "All firms");
  std::vector<std::string> order = o.order;
  if (!o.by.empty()) {
    group = R.texts.at(o.by);
    if (o.by == "regional_cluster" && !R.in_file(o.by)) {
      for (auto& g : group) g = g == "1" ? "Regional cluster" : g == "0" ? "Non-regional cluster" : "";
      if (order.empty()) order = {"Non-regional cluster", "Regional cluster"};
    }
    if (o.by == "scope" && !R.in_file(o.by) && order.empty()) order = {"regional", "national", "international"};
  }
  survey::ShareTableOptions so;
  so.level = o.level;
  so.method = o.interval == "wald" ? survey::IntervalMethod::wald : survey::IntervalMethod::wilson;
  so.total = !o.no_total;
  std::vector<std::pair<std::string, std::vector<double>>> ys;
  for (const auto& y : o.outcomes) ys.emplace_back(y, R.numbers.at(y));
  std::vector<survey::ShareRow> rows;
  data::Table t;
  std::string text;
  if (o.kind == "outcomes") {
    rows = survey::outcome_shares(group, order, ys, w, so);
  } else if (o.kind == "factors") {
    rows = survey::factor_shares(*R.survey, group, order, w, so);
  } else {
    rows = survey::factor_outcome_shares(*R.survey, ys, w, so);
  }
  // Long table: one row per cell of the seed's table.
  const char* first = o.kind == "outcomes" ? "group" : "factor";
  const char* second = o.kind == "factors" ? "group" : o.kind == "factor-outcome" ? "location" : nullptr;
  auto& c1 = t.add_text(first);
  data::TextColumn* c2 = second ? &t.add_text(second) : nullptr;
  auto& oc = t.add_text(o.kind == "factors" ? "value" : "outcome");
  auto& nn = t.add_real("n");
  auto& pos = t.add_real(o.kind == "factors" ? "regional" : "count");
  auto& sh = t.add_real("share");
  auto& lo = t.add_real("ci_lower");
  auto& hi = t.add_real("ci_upper");
  for (const auto& r : rows) {
    c1.push_back(r.row);
    if (c2) c2->push_back(r.column);
    oc.push_back(r.outcome);
    nn.push_back(r.average ? nan_v : static_cast<double>(r.s.n));
    pos.push_back(r.average ? nan_v : static_cast<double>(r.s.positives));
    sh.push_back(r.s.share);
    lo.push_back(r.s.lower);
    hi.push_back(r.s.upper);
  }
  // Readable pivot in percent, laid out as the seed's tables.
  std::vector<std::string> rlab, clab;
  std::map<std::pair<std::string, std::string>, std::string> cell;
  auto add_label = [](std::vector<std::string>& v, const std::string& s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
  };
  std::map<std::string, std::size_t> firms;
  for (const auto& r : rows) {
    const std::string col = o.kind == "outcomes" ? r.outcome
                            : o.kind == "factors" ? r.column
                                                  : (o.outcomes.size() > 1 ? r.outcome + ": " : "") + r.column;
    add_label(rlab, r.row);
    add_label(clab, col);
    cell[{r.row, col}] = pct(r.s.share);
    if (o.kind == "outcomes") firms[r.row] = std::max(firms[r.row], r.s.n);
  }
  std::vector<std::vector<std::string>> body;
  for (const auto& rl : rlab) {
    std::vector<std::string> line{rl};
    for (const auto& cl : clab) line.push_back(cell.count({rl, cl}) ? cell[{rl, cl}] : "");
    if (o.kind == "outcomes") line.push_back(fmt::format("{}", firms[rl]));
    body.push_back(line);
  }
  std::vector<std::string> head{o.kind == "outcomes" ? (o.by.empty() ? "" : o.by) : "Variables"};
  head.insert(head.end(), clab.begin(), clab.end());
  if (o.kind == "outcomes") head.push_back("firms");
  const char* title = o.kind == "outcomes" ? "Share of firms with each outcome (in %)"
                      : o.kind == "factors" ? "Regional share of each factor (in %)"
                                            : "Share of firms with the outcome by where each factor is located (in %)";
  text = fmt::format("{}{}\n", title, w.empty() ? "" : ", weighted") + render(head, body);
  Result res;
  res.tables.emplace_back("shares", std::move(t));
  res.text = text;
  res.summary_json = Json{{"kind", o.kind},
                          {"by", o.by},
                          {"firms", R.rows},
                          {"level", o.level},
                          {"interval", o.interval},
                          {"weighted", !w.empty()}}
                         .dump(1);
  return res;
}

// ---------------------------------------------------------------------------------------------
struct ModelOptions {
  std::string responses;
  std::string outcome;
  std::vector<std::string> predictors;
  std::vector<std::string> categorical;
  std::vector<std::string> baseline;
  std::string family = "logit";
  std::string se = "auto";
  std::string cluster;
  std::string weight;
  std::string marginal = "derivative";
  std::int64_t max_iterations = 100;
  double tolerance = 1e-10;
  double level = 0.95;
  bool no_intercept = false;
  std::string on_collinear = "drop";
  std::int64_t cluster_min = 4;
  std::int64_t non_cluster_max = 2;
  std::string middle = "exclude";

  static void describe(core::OptionSchema<ModelOptions>& s) {
    s.add("responses", &ModelOptions::responses, "survey responses CSV").path().required();
    s.add("outcome", &ModelOptions::outcome, "binary (0/1) outcome column, e.g. product_innovation").required();
    s.add("predictors", &ModelOptions::predictors,
          "columns, derived diamond variables (regional_cluster, scope, regional_items, share_regional, "
          "proximity_score, …) or log(COLUMN) / log1p(COLUMN)");
    s.add("categorical", &ModelOptions::categorical, "predictors to expand into dummies (scope always is)");
    s.add("baseline", &ModelOptions::baseline, "baseline level of a categorical predictor, VARIABLE=LEVEL (default: the first level)");
    s.add("family", &ModelOptions::family, "logit, probit or linear probability model").choices({"logit", "probit", "lpm"});
    s.add("se", &ModelOptions::se,
          "standard errors: auto (classic; survey with --weight; cluster with --cluster), classic, hc0, hc1 = hc0·n/(n−k), "
          "cluster (·G/(G−1)·(n−1)/(n−k)), survey (design-based, as R's svyglm)")
        .choices({"auto", "classic", "hc0", "hc1", "cluster", "survey"});
    s.add("cluster", &ModelOptions::cluster, "column of cluster ids (cluster-robust errors; primary sampling units for --se survey)");
    s.add("weight", &ModelOptions::weight, "column of probability (survey) weights > 0");
    s.add("marginal", &ModelOptions::marginal,
          "average marginal effects: derivative for every term (statsmodels' default) or discrete change for 0/1 dummies")
        .choices({"derivative", "discrete"});
    s.add("max-iterations", &ModelOptions::max_iterations, "Newton iterations at most").min(1).max(10000);
    s.add("tolerance", &ModelOptions::tolerance, "convergence: Newton decrement g'H⁻¹g below this").min(0);
    s.add("level", &ModelOptions::level, "confidence level of ci_lower, ci_upper").min(0.5).max(0.9999);
    s.add("no-intercept", &ModelOptions::no_intercept, "fit without an intercept");
    s.add("on-collinear", &ModelOptions::on_collinear, "collinear terms: drop them with a warning (as R) or stop with an error")
        .choices({"drop", "error"});
    describe_diamond(s);
  }
  void validate() const {
    if (se == "cluster" && cluster.empty()) throw_usage(ErrorCode::missing_option, "--se cluster needs --cluster COLUMN");
  }
};

Result run_model(const ModelOptions& o, Context&) {
  survey::ModelSpec spec;
  spec.outcome = o.outcome;
  spec.predictors = o.predictors;
  spec.categorical = o.categorical;
  spec.baselines = o.baseline;
  spec.weight = o.weight;
  spec.cluster = o.cluster;
  spec.intercept = !o.no_intercept;
  spec.rules = DiamondFlags{o.cluster_min, o.non_cluster_max, o.middle}.rules();
  auto F = survey::load_model_frame(o.responses, spec);
  stats::FitOptions fo;
  fo.family = o.family == "probit" ? stats::LinkFamily::probit
              : o.family == "lpm"  ? stats::LinkFamily::linear
                                   : stats::LinkFamily::logit;
  std::string se = o.se;
  if (se == "auto") se = !o.weight.empty() ? "survey" : !o.cluster.empty() ? "cluster" : "classic";
  fo.covariance = se == "hc0"       ? stats::CovarianceType::hc0
                  : se == "hc1"     ? stats::CovarianceType::hc1
                  : se == "cluster" ? stats::CovarianceType::cluster
                  : se == "survey"  ? stats::CovarianceType::survey
                                    : stats::CovarianceType::classic;
  fo.marginal = o.marginal == "discrete" ? stats::MarginalMethod::discrete : stats::MarginalMethod::derivative;
  fo.max_iterations = static_cast<int>(o.max_iterations);
  fo.tolerance = o.tolerance;
  fo.drop_collinear = o.on_collinear == "drop";
  const auto m = stats::fit_binary_model(F.design, F.y, F.weights, F.cluster, fo);

  const double z = stats::normal_quantile(1 - (1 - o.level) / 2);
  data::Table t;
  t.add_text("term", m.terms);
  t.add_real("estimate", m.estimate);
  t.add_real("std_error", m.std_error);
  t.add_real("z", m.z);
  t.add_real("p", m.p);
  t.add_real("odds_ratio", m.odds_ratio);
  t.add_real("ame", m.ame);
  t.add_real("ame_se", m.ame_se);
  auto& lo = t.add_real("ci_lower");
  auto& hi = t.add_real("ci_upper");
  for (std::size_t j = 0; j < m.terms.size(); ++j) {
    lo.push_back(m.estimate[j] - z * m.std_error[j]);
    hi.push_back(m.estimate[j] + z * m.std_error[j]);
  }
  Result res;
  res.tables.emplace_back("model", std::move(t));
  res.warnings = F.warnings;
  res.warnings.insert(res.warnings.end(), m.warnings.begin(), m.warnings.end());

  const bool glm = fo.family != stats::LinkFamily::linear;
  Json levels = Json::object();
  for (const auto& [v, l] : F.levels) levels[v] = {{"baseline", l.empty() ? "" : l[0]}, {"levels", l}};
  res.summary_json =
      Json{{"family", stats::family_name(m.family)},
           {"outcome", o.outcome},
           {"se", stats::covariance_name(m.covariance)},
           {"marginal", o.marginal},
           {"n", m.n},
           {"rows_read", F.rows_read},
           {"rows_dropped_missing", F.rows_read - F.rows_used},
           {"parameters", m.parameters},
           {"sum_weights", m.sum_weights},
           {"clusters", m.clusters},
           {"log_likelihood", num(m.log_likelihood)},
           {"null_log_likelihood", num(m.null_log_likelihood)},
           {"mcfadden_r2", num(m.mcfadden_r2)},
           {"r2", glm ? Json(nullptr) : num(m.r2)},
           {"aic", num(m.aic)},
           {"bic", num(m.bic)},
           {"converged", m.converged},
           {"iterations", m.iterations},
           {"newton_decrement", num(m.newton_decrement)},
           {"dropped_collinear", m.dropped},
           {"dropped_reason", m.dropped_reason},
           {"separation", m.separation == stats::SeparationKind::quasi ? "quasi" : "none"},
           {"separated_terms", m.separated_terms},
           {"perfectly_predicted", m.perfectly_predicted},
           {"categorical", levels},
           {"warnings", res.warnings}}
          .dump(1);

  // Readable table.
  std::vector<std::vector<std::string>> body;
  for (std::size_t j = 0; j < m.terms.size(); ++j) {
    const double p = m.p[j];
    const std::string stars = !std::isfinite(p) ? "" : p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";
    const bool separated = std::count(m.separated_terms.begin(), m.separated_terms.end(), m.terms[j]) > 0;
    body.push_back({m.terms[j], std::isfinite(m.estimate[j]) ? fix(m.estimate[j]) + stars : separated ? "(separated)" : "(collinear)", fix(m.std_error[j]),
                    fix(m.z[j], 2), fix(m.p[j], 3), fix(m.odds_ratio[j], 3), fix(m.ame[j]), fix(m.ame_se[j])});
  }
  std::string text = fmt::format("{} of {} on {} ({} observations{}; {} standard errors{})\n",
                                 o.family == "lpm" ? "Linear probability model" : o.family == "probit" ? "Probit" : "Logit",
                                 o.outcome, o.predictors.empty() ? "an intercept" : fmt::format("{}", fmt::join(o.predictors, ", ")),
                                 m.n, o.weight.empty() ? "" : ", weighted by " + o.weight, se,
                                 m.clusters ? fmt::format(", {} clusters", m.clusters) : "");
  for (const auto& [v, l] : F.levels)
    if (!l.empty()) text += fmt::format("  {}: baseline {}\n", v, l[0]);
  text += render({"term", "estimate", "std.err", "z", "p", glm && o.family == "logit" ? "odds ratio" : "", "AME", "AME s.e."}, body);
  text += "  *** p < 0.01, ** p < 0.05, * p < 0.1; AME = average marginal effect (" + o.marginal + ")\n";
  if (glm)
    text += fmt::format("  log-likelihood {:.4f} (null {:.4f}), McFadden R² {:.4f}, AIC {:.2f}, BIC {:.2f}, {} iterations, {}\n",
                        m.log_likelihood, m.null_log_likelihood, m.mcfadden_r2, m.aic, m.bic, m.iterations,
                        m.converged ? "converged" : "NOT converged");
  else
    text += fmt::format("  R² {:.4f}, log-likelihood {:.4f}, AIC {:.2f}, BIC {:.2f}\n", m.r2, m.log_likelihood, m.aic, m.bic);
  res.text = text;
  return res;
}

// ---------------------------------------------------------------------------------------------
struct BenefitsOptions {
  std::string responses;
  std::vector<std::string> items;
  std::vector<std::string> labels;
  std::int64_t scale = 5;
  std::int64_t agree_min = 0;
  std::int64_t disagree_max = 0;
  std::string weight;
  double level = 0.95;

  static void describe(core::OptionSchema<BenefitsOptions>& s) {
    s.add("responses", &BenefitsOptions::responses, "CSV with one row per respondent and one column per Likert item").path().required();
    s.add("items", &BenefitsOptions::items, "the Likert item columns").required();
    s.add("labels", &BenefitsOptions::labels, "display labels of the items, in the same order (default: the column names)");
    s.add("scale", &BenefitsOptions::scale, "points on the scale (answers 1…scale; on 5 points labels such as 'agree' are read too)").min(2).max(11);
    s.add("agree-min", &BenefitsOptions::agree_min, "answers ≥ this agree (0 = above the midpoint)").min(0).max(11);
    s.add("disagree-max", &BenefitsOptions::disagree_max, "answers ≤ this disagree (0 = below the midpoint)").min(0).max(11);
    s.add("weight", &BenefitsOptions::weight, "column of survey weights > 0");
    s.add("level", &BenefitsOptions::level, "confidence level of the share agreeing").min(0.5).max(0.9999);
  }
  void validate() const {
    if (!labels.empty() && labels.size() != items.size())
      throw_usage(ErrorCode::invalid_option_value, "--labels needs one label per item");
    if (agree_min > scale || disagree_max > scale)
      throw_usage(ErrorCode::invalid_option_value, "--agree-min and --disagree-max must be on the scale");
  }
};

Result run_benefits(const BenefitsOptions& o, Context&) {
  survey::ResponseRequest req;
  req.text = o.items;
  if (!o.weight.empty()) req.numeric.push_back(o.weight);
  const auto R = survey::read_responses(o.responses, req);
  std::vector<std::vector<int>> values;
  for (const auto& item : o.items) {
    const auto& col = R.texts.at(item);
    std::vector<int> v(col.size());
    for (std::size_t i = 0; i < col.size(); ++i) {
      v[i] = survey::parse_likert(col[i], static_cast<int>(o.scale));
      if (v[i] < 0)
        throw_input(ErrorCode::invalid_value,
                    fmt::format("'{}' is not an answer on the {}-point scale: expected 1…{}{} or empty", col[i], o.scale, o.scale,
                                o.scale == 5 ? " or strongly disagree/disagree/neutral/agree/strongly agree" : ""),
                    R.where(item, i));
    }
    values.push_back(std::move(v));
  }
  std::vector<double> w;
  if (!o.weight.empty()) {
    w = R.numbers.at(o.weight);
    for (std::size_t i = 0; i < w.size(); ++i)
      if (!(w[i] > 0)) throw_input(ErrorCode::invalid_value, fmt::format("survey weight {} is not > 0", w[i]), R.where(o.weight, i));
  }
  survey::LikertOptions lo;
  lo.scale = static_cast<int>(o.scale);
  lo.agree_min = static_cast<int>(o.agree_min);
  lo.disagree_max = static_cast<int>(o.disagree_max);
  lo.level = o.level;
  const auto items = survey::summarise_likert(o.items, values, w, lo);
  data::Table t, lv;
  auto& it = t.add_text("item");
  auto& lab = t.add_text("label");
  auto& n = t.add_integer("n");
  auto& ag = t.add_integer("agree");
  auto& sa = t.add_real("share_agree");
  auto& cl = t.add_real("ci_lower");
  auto& cu = t.add_real("ci_upper");
  auto& ne = t.add_integer("neutral");
  auto& sn = t.add_real("share_neutral");
  auto& di = t.add_integer("disagree");
  auto& sd = t.add_real("share_disagree");
  auto& mean = t.add_real("mean");
  auto& li = lv.add_text("item");
  auto& ll = lv.add_integer("level");
  auto& lc = lv.add_integer("count");
  auto& ls = lv.add_real("share");
  std::vector<std::vector<std::string>> body;
  for (std::size_t k = 0; k < items.size(); ++k) {
    const auto& x = items[k];
    const std::string label = o.labels.empty() ? x.item : o.labels[k];
    it.push_back(x.item);
    lab.push_back(label);
    n.push_back(static_cast<std::int64_t>(x.agree.n));
    ag.push_back(static_cast<std::int64_t>(x.agree.positives));
    sa.push_back(x.agree.share);
    cl.push_back(x.agree.lower);
    cu.push_back(x.agree.upper);
    ne.push_back(static_cast<std::int64_t>(x.neutral));
    sn.push_back(x.share_neutral);
    di.push_back(static_cast<std::int64_t>(x.disagree));
    sd.push_back(x.share_disagree);
    mean.push_back(x.mean);
    for (std::size_t l = 0; l < x.level_counts.size(); ++l) {
      li.push_back(x.item);
      ll.push_back(static_cast<std::int64_t>(l + 1));
      lc.push_back(static_cast<std::int64_t>(x.level_counts[l]));
      ls.push_back(x.agree.n ? static_cast<double>(x.level_counts[l]) / static_cast<double>(x.agree.n) : nan_v);
    }
    body.push_back({label, fmt::format("{}", x.agree.n), pct(x.agree.share),
                    fmt::format("{}–{}", pct(x.agree.lower), pct(x.agree.upper)), pct(x.share_neutral), pct(x.share_disagree),
                    fix(x.mean, 2)});
  }
  Result res;
  res.tables.emplace_back("benefits", std::move(t));
  res.tables.emplace_back("levels", std::move(lv));
  res.text = fmt::format("Perceived benefits (% of respondents; agree = {}, {:.0f} % interval)\n",
                         o.agree_min > 0 ? fmt::format("≥ {}", o.agree_min) : "above the midpoint", 100 * o.level) +
             render({"item", "n", "agree", "interval", "neutral", "disagree", "mean"}, body);
  res.summary_json = Json{{"items", o.items.size()}, {"respondents", R.rows}, {"scale", o.scale}, {"weighted", !w.empty()}}.dump(1);
  return res;
}

// ---------------------------------------------------------------------------------------------
struct InitiativesOptions {
  std::string file;
  bool no_total = false;
  static void describe(core::OptionSchema<InitiativesOptions>& s) {
    s.add("file", &InitiativesOptions::file,
          "CSV cluster_initiative,firms,employees,sales_ksek[,gross_profit_ksek,turnover_per_employee_ksek] (default: the "
          "bundled Kronoberg table of Osarenkhoe & Fjellström (2017))")
        .path();
    s.add("no-total", &InitiativesOptions::no_total, "leave out the TOTAL row");
  }
  void validate() const {}
};

Result run_initiatives(const InitiativesOptions& o, Context&) {
  const std::string path = o.file.empty() ? synth::default_data_dir() + "/sample/kronoberg_cluster_initiatives.csv" : o.file;
  const auto facts = survey::initiative_facts(survey::load_initiatives(path), !o.no_total);
  data::Table t;
  auto& name = t.add_text("cluster_initiative");
  auto& firms = t.add_real("firms");
  auto& emp = t.add_real("employees");
  auto& sales = t.add_real("sales_ksek");
  auto& gp = t.add_real("gross_profit_ksek");
  auto& tpe = t.add_real("turnover_per_employee_ksek");
  auto& rep = t.add_real("reported_turnover_per_employee_ksek");
  auto& match = t.add_real("matches_reported");
  auto& pm = t.add_real("profit_margin");
  auto& epf = t.add_real("employees_per_firm");
  auto& spf = t.add_real("sales_per_firm_ksek");
  auto& es = t.add_real("employment_share");
  auto& ss = t.add_real("sales_share");
  std::vector<std::vector<std::string>> body;
  Result res;
  for (const auto& f : facts) {
    name.push_back(f.in.name);
    firms.push_back(f.in.firms);
    emp.push_back(f.in.employees);
    sales.push_back(f.in.sales);
    gp.push_back(f.in.gross_profit);
    tpe.push_back(f.turnover_per_employee);
    rep.push_back(f.in.reported_turnover_per_employee);
    match.push_back(f.matches_reported);
    pm.push_back(f.profit_margin);
    epf.push_back(f.employees_per_firm);
    spf.push_back(f.sales_per_firm);
    es.push_back(f.employment_share);
    ss.push_back(f.sales_share);
    if (f.matches_reported == 0)
      res.warnings.push_back(fmt::format("{}: sales / employees = {:.1f}, but the file reports {}", f.in.name,
                                         f.turnover_per_employee, f.in.reported_turnover_per_employee));
    body.push_back({f.in.name, fmt::format("{:.0f}", f.in.firms), fmt::format("{:.0f}", f.in.employees),
                    fmt::format("{:.0f}", f.in.sales), fmt::format("{:.0f}", f.turnover_per_employee),
                    std::isfinite(f.in.reported_turnover_per_employee) ? fmt::format("{:.0f}", f.in.reported_turnover_per_employee) : "",
                    std::isfinite(f.profit_margin) ? fmt::format("{:.1f}", 100 * f.profit_margin) : "",
                    fmt::format("{:.1f}", f.employees_per_firm)});
  }
  res.tables.emplace_back("initiatives", std::move(t));
  res.text = "Cluster initiatives (SEK thousands)\n" +
             render({"initiative", "firms", "employees", "sales", "turnover/employee", "reported", "margin %", "employees/firm"}, body);
  std::size_t checked = 0, ok = 0;
  for (const auto& f : facts)
    if (std::isfinite(f.matches_reported)) ++checked, ok += f.matches_reported == 1;
  res.summary_json = Json{{"file", path}, {"initiatives", facts.size() - (o.no_total ? 0 : 1)}, {"turnover_checked", checked},
                          {"turnover_matches", ok}}
                         .dump(1);
  return res;
}

}  // namespace

void register_survey(Registry& r) {
  r.add(make_operation<DiamondOptions>(
      "survey diamond", "Porter-diamond cluster index per surveyed firm (Gjelsvik 2014)",
      "Counts, per firm, how many of the six diamond items (most demanding customers, most advanced suppliers, toughest "
      "competitors, most qualified employees, most relevant research institutions, capital) are regional, national or "
      "international. Gjelsvik's (2014) rule: 4–6 regional items = in a regional cluster, 0–2 = not, 3 = in between (--middle). "
      "scope is the business environment: regional (a regional cluster), else national when national items ≥ international "
      "ones, else international. --index adds a proximity score and regional shares per diamond corner. See "
      "docs/methods/survey.md.",
      {"agglo survey diamond --responses responses.csv -o diamond.csv",
       "agglo survey diamond --responses responses.csv --middle cluster --index proximity,corners -o diamond.csv"},
      "id,regional_items,national_items,international_items,share_regional,scope,regional_cluster,answered_items "
      "(+ proximity_score, demand_conditions, related_supporting, rivalry, factor_conditions with --index)",
      &run_diamond));
  r.add(make_operation<TablesOptions>(
      "survey tables", "Shares of firms by group with confidence intervals (Gjelsvik 2014 Tables 2–5)",
      "Descriptive tables of Gjelsvik (2014) with counts and confidence intervals (Wilson by default; with weights, Kish's "
      "effective n). --kind outcomes: share of firms with each binary outcome by --by (Table 2 by region, Table 5 by "
      "regional_cluster); --kind factors: share of firms whose factor is regional, per diamond item and group (Table 3); "
      "--kind factor-outcome: outcome share by where each item is located (Table 4). Writes a long table; prints the "
      "table laid out as in the paper (in %).",
      {"agglo survey tables --responses responses.csv --outcomes product_innovation,process_innovation --by region",
       "agglo survey tables --responses responses.csv --kind factors --by region",
       "agglo survey tables --responses responses.csv --kind factor-outcome --outcomes product_innovation",
       "agglo survey tables --responses responses.csv --outcomes product_innovation,process_innovation --by regional_cluster"},
      "outcomes: group,outcome,n,count,share,ci_lower,ci_upper; factors: factor,group,value,n,regional,share,ci_lower,"
      "ci_upper; factor-outcome: factor,location,outcome,n,count,share,ci_lower,ci_upper",
      &run_tables));
  r.add(make_operation<ModelOptions>(
      "survey model", "Logit / probit / linear probability model of a firm outcome (Gjelsvik 2014 Table 6)",
      "Fits P(outcome = 1) = F(x'b) by Newton–Raphson (logit, probit) or least squares (lpm), with categorical predictors "
      "as dummies against a baseline, controls, log transforms and the derived diamond variables (scope: regional cluster "
      "baseline, national and international dummies, as Gjelsvik's (2014) Table 6). Standard errors classic, HC0, HC1, "
      "cluster-robust or design-based with survey weights (as R's svyglm); odds ratios; average marginal effects with "
      "delta-method errors (statsmodels' get_margeff conventions). Collinear terms are dropped and named; perfect "
      "separation is an input error (exit 3); quasi-separation and non-convergence are warnings (summary: separation, "
      "converged). See docs/methods/survey.md.",
      {"agglo survey model --responses responses.csv --outcome product_innovation --predictors regional_cluster,log(firm_employees),rnd,foreign -o model.csv",
       "agglo survey model --responses responses.csv --outcome product_innovation --predictors scope,log(firm_employees),rnd,foreign,sector --categorical sector --baseline scope=regional --se hc1 -o table6.csv",
       "agglo survey model --responses responses.csv --outcome product_innovation --predictors regional_cluster,rnd --family probit --se cluster --cluster region"},
      "term,estimate,std_error,z,p,odds_ratio,ame,ame_se,ci_lower,ci_upper (fit statistics in the summary)", &run_model));
  r.add(make_operation<BenefitsOptions>(
      "survey benefits", "Perceived benefits of cluster membership on Likert items (Osarenkhoe & Fjellström 2017 Table 2)",
      "Summarises Likert-scale items: per item the number of answers, the share agreeing (above the midpoint, or "
      "≥ --agree-min) with its Wilson interval, the shares neutral and disagreeing, the mean answer, and (side table "
      "levels) the count of every answer. Answers are 1…scale, or labels strongly disagree…strongly agree on 5 points. "
      "Chart: a horizontal bar per item of share_agree (in %).",
      {"agglo survey benefits --responses benefits.csv --items products,competence,costs,markets,academia,satisfied -o benefits.csv"},
      "item,label,n,agree,share_agree,ci_lower,ci_upper,neutral,share_neutral,disagree,share_disagree,mean (+ levels: "
      "item,level,count,share)",
      &run_benefits));
  r.add(make_operation<InitiativesOptions>(
      "survey initiatives", "Key figures of cluster initiatives (Osarenkhoe & Fjellström 2017 Table 1)",
      "Turnover per employee (sales / employees), profit margin (gross profit / sales), firm size (employees / firms), sales "
      "per firm and shares of the total, per initiative and for the TOTAL row; checks the published turnover per employee "
      "(matches_reported). Default input: the five Kronoberg County initiatives of Osarenkhoe & Fjellström (2017) (bundled).",
      {"agglo survey initiatives", "agglo survey initiatives --file initiatives.csv -o initiatives.csv"},
      "cluster_initiative,firms,employees,sales_ksek,gross_profit_ksek,turnover_per_employee_ksek,"
      "reported_turnover_per_employee_ksek,matches_reported,profit_margin,employees_per_firm,sales_per_firm_ksek,"
      "employment_share,sales_share",
      &run_initiatives));
}

}  // namespace agglo::api
