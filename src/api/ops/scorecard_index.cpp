// `agglo index`: a composite index by the OECD/JRC pipeline (include/agglo/scorecard/
// composite.hpp), with Monte-Carlo rank intervals and Sobol sensitivity
// (include/agglo/scorecard/uncertainty.hpp). Formulas in docs/methods/scorecard.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/scorecard/composite.hpp"
#include "agglo/scorecard/uncertainty.hpp"
#include "agglo/stats/descriptive.hpp"
#include "scorecard_ops.hpp"

namespace agglo::api {

std::vector<double> read_budget(const std::string& path, const scorecard::IndicatorTree& tree) {
  io::TableSpec spec;
  spec.what = "budget";
  io::ColumnSpec e, nd, p;
  e.name = "expert";
  e.kind = io::ColumnKind::text;
  e.meaning = "who allocated the points";
  nd.name = "node";
  nd.kind = io::ColumnKind::text;
  nd.meaning = "a node of the tree";
  p.name = "points";
  p.kind = io::ColumnKind::real;
  p.non_negative = true;
  p.meaning = "points given to the node (within its parent)";
  spec.columns = {e, nd, p};
  const auto t = io::read_table(path, spec);
  std::vector<double> sum(tree.nodes.size(), 0.0);
  std::vector<std::size_t> count(tree.nodes.size(), 0);
  for (std::size_t k = 0; k < t.rows; ++k) {
    const auto& name = t.col("node").texts[k];
    const int v = tree.find(name);
    if (v < 0)
      throw_input(ErrorCode::unknown_reference, fmt::format("node '{}' is not in the tree", name), {path, t.lines[k], 2, "node"},
                  "name nodes as the tree file does");
    sum[static_cast<std::size_t>(v)] += t.col("points").reals[k];
    ++count[static_cast<std::size_t>(v)];
  }
  std::vector<double> mean(tree.nodes.size(), std::numeric_limits<double>::quiet_NaN());
  for (std::size_t v = 0; v < mean.size(); ++v)
    if (count[v]) mean[v] = sum[v] / static_cast<double>(count[v]);
  return mean;
}

namespace {

struct IndexOptions {
  std::string indicators, tree, by, impute_group, budget;
  std::string normalise = "minmax", weights = "equal", aggregate = "arithmetic", impute = "none", treat = "none";
  std::string zeros = "floor", constant = "error", node_scores = "all";
  double low = 0, high = 100, power = 1, zero_floor = 1, max_missing = 0.5;
  double skew_threshold = 2, kurt_threshold = 3.5;
  std::int64_t winsorise_max = 5;
  std::optional<double> boxcox_lambda;
  double bod_min_share = 0, bod_max_share = 1;
  std::int64_t uncertainty = 0;
  bool sobol = false;
  double weight_perturbation = 0.25;

  static void describe(core::OptionSchema<IndexOptions>& s) {
    using O = IndexOptions;
    s.add("indicators", &O::indicators, "wide indicator table: unit,<indicator>… (one numeric column per leaf of the tree; empty = missing)")
        .path()
        .required();
    s.add("tree", &O::tree,
          "indicator tree: node,parent,weight,direction[,name,normalise,aggregate,target,goal_low,goal_high]; leaves are indicator "
          "columns, the node without a parent is the index")
        .path()
        .required();
    s.add("by", &O::by, "column of --indicators grouping the units into separate indices (e.g. cluster: regions compete within each cluster)");
    s.add("impute", &O::impute, "imputation of missing values: none (skipped when aggregating, as COINr), mean, group-mean (needs "
                                "--impute-group), regression (OLS on the most correlated indicator)")
        .choices({"none", "mean", "group-mean", "regression"});
    s.add("impute-group", &O::impute_group, "column of --indicators with the groups for --impute group-mean");
    s.add("treat", &O::treat,
          "outlier treatment per indicator: none, winsorise (while |skewness| ≥ 2 and kurtosis ≥ 3.5, up to --winsorise-max points; "
          "else ln(x − min + 1)), log (ln(x − min + 1)), boxcox (Box & Cox 1964, λ by maximum likelihood unless --boxcox-lambda)")
        .choices({"none", "winsorise", "log", "boxcox"});
    s.add("skew-threshold", &O::skew_threshold, "winsorise: treat while |skewness| is at least this").min(0);
    s.add("kurt-threshold", &O::kurt_threshold, "winsorise: …and the (excess) kurtosis at least this");
    s.add("winsorise-max", &O::winsorise_max, "winsorise: at most this many points per indicator").min(0);
    s.add("boxcox-lambda", &O::boxcox_lambda, "boxcox: this λ instead of the maximum-likelihood estimate");
    s.add("normalise", &O::normalise,
          "normalisation of each indicator (a leaf's `normalise` in the tree overrides it): minmax to [--low, --high], zscore, rank, "
          "percentile (rank scaled to [--low, --high]), target (distance to the tree's target, capped), goalposts (the tree's goal_low, "
          "goal_high), none")
        .choices({"minmax", "zscore", "rank", "percentile", "target", "goalposts", "none"});
    s.add("low", &O::low, "lower end of the normalised scale");
    s.add("high", &O::high, "upper end of the normalised scale");
    s.add("weights", &O::weights,
          "weights within each node: equal, manual (the tree's weight column), pca (squared loadings of the first principal component "
          "of the children), budget (mean expert points from --budget), bod (benefit of the doubt: each unit's most favourable weights, "
          "a linear programme; Cherchye et al. 2007)")
        .choices({"equal", "manual", "pca", "budget", "bod"});
    s.add("budget", &O::budget, "budget allocation for --weights budget: expert,node,points").path();
    s.add("bod-min-share", &O::bod_min_share, "bod: each child's share of a unit's score is at least this (pie-share restriction)").min(0).max(1);
    s.add("bod-max-share", &O::bod_max_share, "bod: …and at most this").min(0).max(1);
    s.add("aggregate", &O::aggregate,
          "aggregation at every inner node (a node's `aggregate` in the tree overrides it): arithmetic, geometric, harmonic, generalised "
          "(power mean, --power), copeland (outranking; Munda & Nardo 2009)")
        .choices({"arithmetic", "geometric", "harmonic", "generalised", "copeland"});
    s.add("power", &O::power, "generalised mean: the power p (1 arithmetic, 0 geometric, −1 harmonic)");
    s.add("zeros", &O::zeros,
          "zeros under geometric/harmonic means: floor (values below --zero-floor raised to it), zero (the mean is 0), error")
        .choices({"floor", "zero", "error"});
    s.add("zero-floor", &O::zero_floor, "--zeros floor: the floor, in normalised units").min(0);
    s.add("max-missing", &O::max_missing, "an indicator with a larger share of missing values is an error").min(0).max(1);
    s.add("constant", &O::constant, "an indicator with the same value for every unit: error, or drop it (warning)").choices({"error", "drop"});
    s.add("node-scores", &O::node_scores, "nodes.csv: the scores of all nodes, of the inner nodes (categories and index) only, or none")
        .choices({"all", "inner", "none"});
    s.add("uncertainty", &O::uncertainty,
          "Monte-Carlo draws over the pipeline's choices (imputation, normalisation, weights, aggregation, one indicator left out): "
          "adds rank_q05, rank_median, rank_q95, mean_rank_shift (0 = off)")
        .min(0);
    s.add("sobol", &O::sobol, "with --uncertainty: Sobol first-order and total indices of every unit's rank (Saltelli/Jansen), table sensitivity");
    s.add("weight-perturbation", &O::weight_perturbation, "uncertainty: every weight is multiplied by U(1 − δ, 1 + δ) with this δ").min(0).max(1);
  }
  void validate() const {
    if (weights == "budget" && budget.empty())
      throw_usage(ErrorCode::missing_option, "--weights budget needs --budget FILE", "a CSV of expert,node,points");
    if (impute == "group-mean" && impute_group.empty())
      throw_usage(ErrorCode::missing_option, "--impute group-mean needs --impute-group COLUMN", "name the column with the groups");
    if (!(high > low)) throw_usage(ErrorCode::invalid_option_value, "--high must be above --low");
    if (bod_min_share > bod_max_share) throw_usage(ErrorCode::invalid_option_value, "--bod-min-share is above --bod-max-share");
    if (sobol && uncertainty == 0) throw_usage(ErrorCode::missing_option, "--sobol needs --uncertainty N (the number of base draws)");
  }
};

Result run_index(const IndexOptions& o, Context& ctx) {
  const auto tree = scorecard::read_tree(o.tree);
  const auto data = scorecard::read_indicators(o.indicators, tree, o.by, o.impute_group);
  scorecard::PipelineOptions p;
  p.impute = scorecard::parse_imputation(o.impute);
  p.treat = scorecard::parse_treatment(o.treat);
  p.skew_threshold = o.skew_threshold;
  p.kurt_threshold = o.kurt_threshold;
  p.winsorise_max = static_cast<std::size_t>(o.winsorise_max);
  if (o.boxcox_lambda) p.boxcox_lambda = *o.boxcox_lambda;
  p.normalise = scorecard::parse_normalisation(o.normalise);
  p.low = o.low;
  p.high = o.high;
  p.weights = scorecard::parse_weighting(o.weights);
  if (!o.budget.empty()) p.budget = read_budget(o.budget, tree);
  p.bod_min_share = o.bod_min_share;
  p.bod_max_share = o.bod_max_share;
  p.aggregate = scorecard::parse_aggregation(o.aggregate);
  p.power = o.power;
  p.zeros = scorecard::parse_zero_rule(o.zeros);
  p.zero_floor = o.zero_floor;
  p.max_missing = o.max_missing;
  p.drop_constant = o.constant == "drop";

  // Groups of units (one index per group).
  std::vector<std::string> group_names;
  std::vector<std::vector<std::size_t>> groups;
  {
    std::map<std::string, std::size_t> gi;
    for (std::size_t u = 0; u < data.units.size(); ++u) {
      const std::string g = o.by.empty() ? std::string() : data.by[u];
      auto [it, fresh] = gi.emplace(g, groups.size());
      if (fresh) {
        group_names.push_back(g);
        groups.emplace_back();
      }
      groups[it->second].push_back(u);
    }
  }

  Result res;
  data::Table index, nodes, weights, sens;
  auto& iu = index.add_text("unit");
  auto& ii = index.add_real("index");
  auto& ir = index.add_integer("rank");
  data::TextColumn* ig = nullptr;
  data::RealColumn *q05 = nullptr, *q50 = nullptr, *q95 = nullptr, *shift = nullptr;
  if (o.uncertainty > 0) {
    q05 = &index.add_real("rank_q05");
    q50 = &index.add_real("rank_median");
    q95 = &index.add_real("rank_q95");
    shift = &index.add_real("mean_rank_shift");
  }
  if (!o.by.empty()) ig = &index.add_text(o.by);
  auto& nu = nodes.add_text("unit");
  auto& nn = nodes.add_text("node");
  auto& ns = nodes.add_real("score");
  data::TextColumn* ng = o.by.empty() ? nullptr : &nodes.add_text(o.by);
  auto& wg = weights.add_text("group");
  auto& wn = weights.add_text("node");
  auto& wp = weights.add_text("parent");
  auto& wl = weights.add_integer("level");
  auto& ww = weights.add_real("weight");
  auto& we = weights.add_real("effective_weight");
  auto& wcp = weights.add_real("corr_parent");
  auto& wci = weights.add_real("corr_index");
  auto& wa = weights.add_real("cronbach_alpha");
  auto& wt = weights.add_text("treatment");
  data::TextColumn *su = nullptr, *sf = nullptr, *sg = nullptr;
  data::RealColumn *s1 = nullptr, *st = nullptr;
  if (o.sobol) {
    su = &sens.add_text("unit");
    sf = &sens.add_text("factor");
    s1 = &sens.add_real("first_order");
    st = &sens.add_real("total");
    if (!o.by.empty()) sg = &sens.add_text(o.by);
  }
  nlohmann::ordered_json groups_json = nlohmann::ordered_json::array();
  std::vector<std::string> warnings;
  std::size_t ranked_units = 0;
  std::vector<std::string> factor_names, factor_levels;
  std::vector<double> mean_first, mean_total;
  bool fast_path = true;
  std::size_t runs = 0;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const auto& units = groups[g];
    const std::string gprefix = o.by.empty() ? "" : fmt::format("{} '{}': ", o.by, group_names[g]);
    scorecard::CompositeResult r;
    try {
      r = scorecard::compute_index(tree, data, p, units);
    } catch (const Error& e) {
      if (o.by.empty()) throw;
      throw Error(e.kind(), e.code(), gprefix + e.message(), e.where(), e.hint());
    }
    for (const auto& w : r.warnings) warnings.push_back(gprefix + w);
    std::optional<scorecard::UncertaintyResult> ur;
    if (o.uncertainty > 0) {
      scorecard::UncertaintyOptions uo;
      uo.draws = static_cast<std::size_t>(o.uncertainty);
      uo.sobol = o.sobol;
      uo.seed = ctx.seed;
      uo.weight_perturbation = o.weight_perturbation;
      ur = scorecard::analyse_uncertainty(tree, data, p, uo, units);
      for (const auto& w : ur->warnings) warnings.push_back(gprefix + w);
      factor_names = ur->factors;
      factor_levels = ur->levels;
      fast_path = fast_path && ur->fast_path;
      runs += ur->runs;
      if (o.sobol && mean_first.empty()) {
        mean_first.assign(ur->factors.size(), 0.0);
        mean_total.assign(ur->factors.size(), 0.0);
      }
    }
    for (std::size_t i = 0; i < units.size(); ++i) {
      iu.push_back(data.units[units[i]]);
      ii.push_back(r.index[i]);
      ir.push_back(r.rank[i]);
      if (r.rank[i] > 0) ++ranked_units;
      if (ig) ig->push_back(group_names[g]);
      if (ur) {
        q05->push_back(ur->rank_q05[i]);
        q50->push_back(ur->rank_median[i]);
        q95->push_back(ur->rank_q95[i]);
        shift->push_back(ur->mean_shift[i]);
        if (o.sobol)
          for (std::size_t f = 0; f < ur->factors.size(); ++f) {
            su->push_back(data.units[units[i]]);
            sf->push_back(ur->factors[f]);
            s1->push_back(ur->first[f][i]);
            st->push_back(ur->total[f][i]);
            if (sg) sg->push_back(group_names[g]);
            if (std::isfinite(ur->first[f][i])) mean_first[f] += ur->first[f][i];
            if (std::isfinite(ur->total[f][i])) mean_total[f] += ur->total[f][i];
          }
      }
    }
    // nodes.csv: inner nodes first (index, then categories), then the indicators.
    std::vector<int> order(tree.inner.rbegin(), tree.inner.rend());
    order.insert(order.end(), tree.leaves.begin(), tree.leaves.end());
    const std::size_t shown = o.node_scores == "all" ? order.size() : o.node_scores == "inner" ? tree.inner.size() : 0;
    for (std::size_t i = 0; i < units.size(); ++i)
      for (std::size_t oi = 0; oi < shown; ++oi) {
        const int v = order[oi];
        nu.push_back(data.units[units[i]]);
        nn.push_back(tree.nodes[static_cast<std::size_t>(v)].name);
        ns.push_back(r.scores[static_cast<std::size_t>(v)][i]);
        if (ng) ng->push_back(group_names[g]);
      }
    for (int v : order) {
      const auto vi = static_cast<std::size_t>(v);
      const auto& nd = tree.nodes[vi];
      wg.push_back(group_names[g]);
      wn.push_back(nd.name);
      wp.push_back(nd.parent_name);
      wl.push_back(tree.depth[vi]);
      ww.push_back(r.weight[vi]);
      we.push_back(r.effective[vi]);
      wcp.push_back(r.corr_parent[vi]);
      wci.push_back(r.corr_index[vi]);
      wa.push_back(r.alpha[vi]);
      wt.push_back(r.dropped[vi] ? "dropped" : r.treatment[vi]);
    }
    if (groups.size() <= 100) {
      nlohmann::ordered_json gj{{"group", group_names[g]}, {"units", units.size()}, {"imputed_cells", r.imputed}};
      groups_json.push_back(gj);
    }
  }
  res.tables.emplace_back("index", std::move(index));
  res.tables.emplace_back("nodes", std::move(nodes));
  res.tables.emplace_back("weights", std::move(weights));
  if (o.sobol) res.tables.emplace_back("sensitivity", std::move(sens));
  // Warnings repeated for many groups are given once with a count.
  {
    std::map<std::string, std::size_t> seen;
    for (const auto& w : warnings) ++seen[w];
    for (const auto& w : warnings)
      if (seen.count(w)) {
        res.warnings.push_back(w);
        seen.erase(w);
      }
  }
  nlohmann::ordered_json j{{"units", data.units.size()},
                           {"groups", groups.size()},
                           {"indicators", tree.leaves.size()},
                           {"nodes", tree.nodes.size()},
                           {"pipeline",
                            {{"impute", o.impute},
                             {"treat", o.treat},
                             {"normalise", o.normalise},
                             {"scale", {o.low, o.high}},
                             {"weights", o.weights},
                             {"aggregate", o.aggregate}}}};
  if (o.uncertainty > 0) {
    nlohmann::ordered_json f = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < factor_names.size(); ++k) {
      nlohmann::ordered_json e{{"factor", factor_names[k]}, {"alternatives", factor_levels[k]}};
      if (o.sobol && ranked_units) {
        e["mean_first_order"] = mean_first[k] / static_cast<double>(ranked_units);
        e["mean_total"] = mean_total[k] / static_cast<double>(ranked_units);
      }
      f.push_back(e);
    }
    j["uncertainty"] = {{"draws", o.uncertainty}, {"runs", runs}, {"seed", ctx.seed}, {"fast_path", fast_path}, {"factors", f}};
  }
  j["groups_detail"] = groups_json;
  res.summary_json = j.dump(1);
  // Headline: the top unit(s).
  const auto& t0 = res.tables.front().second;
  const auto& units_col = std::get<data::TextColumn>(t0.at("unit").values);
  const auto& idx_col = std::get<data::RealColumn>(t0.at("index").values);
  const auto& rank_col = std::get<data::IntColumn>(t0.at("rank").values);
  std::string top;
  if (groups.size() == 1) {
    std::vector<std::size_t> ord;
    for (std::size_t i = 0; i < rank_col.size(); ++i)
      if (rank_col[i] > 0) ord.push_back(i);
    std::sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) { return rank_col[a] < rank_col[b]; });
    for (std::size_t k = 0; k < std::min<std::size_t>(3, ord.size()); ++k)
      top += fmt::format("{}{} {:.2f}", k ? ", " : "; top: ", units_col[ord[k]], idx_col[ord[k]]);
  }
  res.headline = fmt::format("composite index of {} unit(s){} from {} indicator(s){}{}", ranked_units,
                             groups.size() > 1 ? fmt::format(" in {} groups", groups.size()) : "", tree.leaves.size(), top,
                             o.uncertainty > 0 ? fmt::format("; rank intervals from {} draws", o.uncertainty) : "");
  return res;
}

}  // namespace

void register_scorecard_index(Registry& r) {
  r.add(make_operation<IndexOptions>(
      "index", "composite index: normalise, weight and aggregate indicators up a tree, with rank intervals",
      "Builds a composite indicator as the OECD/JRC Handbook (Nardo et al. 2008) lays out, one explicit pipeline: data checks "
      "and imputation, outlier treatment (winsorisation by the skewness/kurtosis rule, log, Box & Cox 1964), direction, "
      "normalisation (min–max, z-score, rank, percentile, distance to target, goalposts), weights (equal, manual, principal "
      "components, budget allocation, benefit of the doubt; Cherchye et al. 2007) and aggregation (arithmetic, geometric, harmonic, "
      "generalised mean, Copeland outranking; Munda & Nardo 2009) at every node of the indicator tree. Missing values are skipped "
      "when aggregating and weights are rescaled to sum to one within each node, as COINr (Becker et al. 2022) does, so the ASEM "
      "example reproduces COINr's published index. --uncertainty N draws the pipeline's choices N times and reports each unit's "
      "5 %, median and 95 % rank (Saisana, Saltelli & Tarantola 2005); --sobol adds Sobol first-order and total indices of the "
      "rank (Saltelli et al. 2010; Jansen 1999). Ranks: 1 = highest index. See docs/methods/scorecard.md.",
      {"agglo index --indicators data/reference/asem/asem_indicators.csv --tree data/reference/asem/asem_tree.csv -o asem/",
       "agglo index --indicators data/reference/asem/asem_indicators.csv --tree data/reference/asem/asem_tree.csv --uncertainty 1000 "
       "--sobol -o asem_ua/",
       "agglo index --indicators data/reference/asem/asem_indicators.csv --tree data/reference/asem/asem_tree.csv --aggregate geometric "
       "--low 1 --treat winsorise -o asem_geo/"},
      "a directory: index.csv (unit,index,rank[,rank_q05,rank_median,rank_q95,mean_rank_shift][,group]), nodes.csv (unit,node,score), "
      "weights.csv (node,parent,level,weight,effective_weight,corr_parent,corr_index,cronbach_alpha,treatment), sensitivity.csv with "
      "--sobol, summary.json",
      &run_index));
}

}  // namespace agglo::api
