// `agglo define-clusters`: groups of related industries (Delgado, Porter & Stern 2016).
// Traded and local industries are separated first; each group is clustered over a grid of
// methods, k and seeds; every candidate is scored (VS-Cluster, VS-Ind on every relatedness
// matrix); the best is chosen and its outlier industries are flagged.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <unordered_map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/clusters/define_clusters.hpp"
#include "agglo/clusters/relatedness.hpp"
#include "agglo/clusters/cluster_labels.hpp"
#include "agglo/clusters/traded_local.hpp"
#include "agglo/io/code_names.hpp"
#include "cluster_label_data.hpp"
#include "relatedness_input.hpp"

namespace agglo::api {

namespace {

struct DefineClustersCliOptions {
  std::string employment, io, occupations, industries;
  std::vector<std::string> measures;
  std::optional<std::int64_t> year;
  std::string duplicates = "reject";
  std::int64_t k_min = 0, k_max = 0, k_step = 1;
  std::vector<std::string> methods = {"hierarchical", "kmedoids", "spectral"};
  std::vector<std::string> linkages = {"average", "complete", "ward"};
  std::int64_t seeds = 5;
  std::vector<std::string> cluster_on = {"auto"};
  double tolerance = 0.03;
  std::string selection = "finest";
  std::int64_t reassign_rounds = 20;
  std::string traded_rule = "auto";
  std::optional<double> traded_threshold;
  std::string traded_reference = "local";
  std::string regions;
  double traded_fdr = 0.05;
  double traded_min_excess = 0.25;
  double traded_core = 0.5;
  std::int64_t traded_draws = 9999;
  double establishment_size = 16;
  std::string local = "cluster";
  std::string benchmark, names_file;
  double label_jaccard = 0.5;

  static void describe(core::OptionSchema<DefineClustersCliOptions>& s) {
    using O = DefineClustersCliOptions;
    s.add("employment", &O::employment,
          "region × industry employment CSV (region,industry,employment[,establishments,year])")
        .path()
        .required();
    s.add("io", &O::io, "input–output table CSV (from,to,value); adds the io relatedness measure").path();
    s.add("occupations", &O::occupations,
          "industry × occupation employment CSV (industry,occupation,employment); adds the occupation measure")
        .path();
    s.add("industries", &O::industries,
          "industry classification CSV (code[,title,kind,…]); its kind column (traded/local) decides the "
          "traded/local split where given")
        .path();
    s.add("measures", &O::measures, "relatedness measures to compute, score on and combine (default: all available)")
        .choices(clusters::relatedness_measure_names());
    s.add("year", &O::year, "the year to use when the panel has several");
    s.add("duplicates", &O::duplicates, "repeated region × industry rows: reject them (input error) or sum them")
        .choices({"reject", "sum"});
    s.add("k-min", &O::k_min, "smallest number of clusters tried per group (0 = round(n/20), at least 2)").min(0);
    s.add("k-max", &O::k_max, "largest number of clusters tried per group (0 = round(n/6), at most n − 1)").min(0);
    s.add("k-step", &O::k_step, "step between the numbers of clusters tried").min(1);
    s.add("methods", &O::methods, "clustering functions of the grid").choices(clusters::clustering_method_names());
    s.add("linkages", &O::linkages, "linkages of hierarchical clustering").choices(clusters::linkage_names());
    s.add("seeds", &O::seeds, "draws of each randomised method (k-medoids, spectral) per k").min(1).max(1000);
    std::vector<std::string> on = {"auto", "combined", "all"};
    for (const auto& m : clusters::relatedness_measure_names()) on.push_back(m);
    s.add("cluster-on", &O::cluster_on,
          "the relatedness matrices the clustering functions see, each one more dimension of the grid: auto "
          "(weighted establishment co-location wcor_est, else wcor_emp), combined, a measure, or all (the "
          "combined measure and every measure)")
        .choices(on);
    s.add("tolerance", &O::tolerance,
          "selection: candidates whose mean validation score (VS-Cluster and VS-Ind averaged over the measures) "
          "is within this of the best are eligible")
        .min(0)
        .max(1);
    s.add("selection", &O::selection,
          "which eligible candidate is chosen: finest (the most clusters, then the best score) or margin (the "
          "largest mean own-minus-closest-other relatedness)")
        .choices({"finest", "margin"});
    s.add("reassign-rounds", &O::reassign_rounds,
          "rounds of outlier reassignment applied to every candidate (an industry more related to another "
          "cluster moves there; 0 = off)")
        .min(0)
        .max(1000);
    s.add("traded-rule", &O::traded_rule,
          "traded/local split: auto (the kind column of --industries where given, else the dartboard test), "
          "dartboard (traded when the establishments are significantly and materially more concentrated than random "
          "location, Ellison & Glaeser 1997), kind (only --industries), gini (locational Gini ≥ threshold, Otsu's "
          "split by default), all (every industry traded)")
        .choices({"auto", "dartboard", "kind", "gini", "all"});
    s.add("traded-reference", &O::traded_reference,
          "dartboard test: where random location puts establishments (x_r): local (the pooled establishments of the "
          "half of the industries closest to random location on all establishments, --traded-core), all (all "
          "establishments, Ellison & Glaeser's choice), population (the population column of --regions)")
        .choices({"local", "all", "population"});
    s.add("regions", &O::regions, "regions CSV (code,…,population) for --traded-reference population").path();
    s.add("traded-fdr", &O::traded_fdr,
          "dartboard test: false discovery rate over all industries (Benjamini & Hochberg 1995)")
        .min(1e-6)
        .max(0.5);
    s.add("traded-min-excess", &O::traded_min_excess,
          "dartboard test: a traded industry also needs relative excess concentration V = γ (1 − Σx²)/Σx² at least "
          "this (γ: Ellison & Glaeser's index on establishment counts; √V is the size-weighted RMS relative "
          "deviation of its regional shares from the reference; 0.25 = 50 %; 0 = significance alone)")
        .min(0);
    s.add("traded-core", &O::traded_core,
          "dartboard test, --traded-reference local: the share of the industries in the reference core")
        .min(0.05)
        .max(1);
    s.add("traded-draws", &O::traded_draws,
          "dartboard test: Monte Carlo draws for industries with at most 100 establishments (exact p-values; "
          "larger ones use a saddlepoint approximation)")
        .min(99)
        .max(1000000);
    s.add("establishment-size", &O::establishment_size,
          "dartboard test without an establishments column: establishments approximated as employment / this "
          "(at least 1 per cell; ≈ 16 employees per establishment in US County Business Patterns)")
        .min(1);
    s.add("traded-threshold", &O::traded_threshold,
          "gini rule: locational Gini at or above which an industry is traded (default: Otsu's split of the Gini "
          "values)")
        .min(0)
        .max(1);
    s.add("benchmark", &O::benchmark,
          "benchmark clusters CSV (cluster_id,cluster,naics2007) that names the clusters found, or none (default: the "
          "bundled US benchmark clusters of Delgado, Porter & Stern 2016)")
        .path();
    s.add("industry-names", &O::names_file,
          "industry names CSV (code,name) for the labels (default: the bundled classification titles that name "
          "most of the codes, e.g. NAICS 2007), or none")
        .path();
    s.add("label-jaccard", &O::label_jaccard,
          "a cluster takes the name of the benchmark cluster it overlaps best when their Jaccard index of industries "
          "is above this; otherwise it is named by its largest industries")
        .min(0)
        .max(1);
    s.add("local", &O::local, "local industries: cluster them like traded ones, or put them in one cluster")
        .choices({"cluster", "one"});
  }
  void validate() const {
    if (k_min > 0 && k_max > 0 && k_min > k_max)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--k-min {} is larger than --k-max {}", k_min, k_max));
    if (methods.empty()) throw_usage(ErrorCode::invalid_option_value, "--methods is empty");
    if (traded_reference == "population" && regions.empty())
      throw_usage(ErrorCode::missing_option, "--traded-reference population needs --regions FILE with a population column");
  }
};

std::string chosen_text(const clusters::ClusterDefinition& d) {
  const auto& c = d.candidates[d.chosen];
  return fmt::format("{}{} on {} k={}{} (VS-Cluster {:.3f}, VS-Ind {:.3f}, margin {:.3f}; {} candidates)", c.method,
                     c.linkage.empty() ? "" : "/" + c.linkage, c.on, c.clusters, c.draw >= 0 ? fmt::format(" draw {}", c.draw) : "",
                     c.vs_cluster, c.vs_ind, c.margin, d.candidates.size());
}

Result run_define_clusters(const DefineClustersCliOptions& o, Context& ctx) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  const auto input = detail::load_relatedness_data(o.employment, o.io, o.occupations, o.year, o.duplicates == "sum");
  const auto& names = input.employment.industries;
  const std::size_t n = names.size();
  std::optional<data::Classification> classification;
  if (!o.industries.empty()) classification = io::load_industries(o.industries);
  if (o.traded_rule == "kind" && !classification)
    throw_usage(ErrorCode::missing_option, "--traded-rule kind needs --industries FILE with a kind column");

  const auto rel = clusters::compute_relatedness(input.input(), o.measures);
  const auto t_rel = clock::now();
  for (const auto& w : rel.warnings) ctx.note("warning: " + w);

  // --- traded vs local ----------------------------------------------------------------------
  std::vector<std::string> warnings = rel.warnings;
  const auto gini = clusters::locational_gini(input.employment.values);
  const double threshold = o.traded_threshold ? *o.traded_threshold : clusters::otsu_threshold(gini);
  // The dartboard test is always run and reported (table traded_test); it decides the split for
  // --traded-rule dartboard, and for auto where --industries gives no kind.
  const auto& emp = input.employment.values;
  const std::size_t R = emp.rows();
  std::string establishments_source = "from the file";
  data::DenseMatrix est;
  if (input.establishments.rows() == R && input.establishments.cols() == n) {
    est = input.establishments;
    std::size_t filled = 0;
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t i = 0; i < n; ++i)
        if (emp(r, i) > 0 && !(est(r, i) > 0)) {
          est(r, i) = std::max(1.0, std::round(emp(r, i) / o.establishment_size));
          ++filled;
        }
    if (filled) {
      establishments_source = "from the file, partly approximated from employment";
      warnings.push_back(fmt::format(
          "{} region × industry cells have employment but no establishment count: the dartboard test approximates "
          "them as max(1, employment / {})",
          filled, o.establishment_size));
    }
  } else {
    est = clusters::approximate_establishments(emp, o.establishment_size);
    establishments_source = "approximated from employment";
    if (o.traded_rule == "auto" || o.traded_rule == "dartboard")
      warnings.push_back(fmt::format(
          "{} has no establishments column: the dartboard test approximates establishment counts as "
          "max(1, employment / {}) per cell (--establishment-size); give the counts for an exact test",
          o.employment, o.establishment_size));
  }
  clusters::TradedLocalOptions to;
  to.reference = o.traded_reference == "population" ? "given" : o.traded_reference;
  to.fdr = o.traded_fdr;
  to.min_excess = o.traded_min_excess;
  to.core_fraction = o.traded_core;
  to.test.draws = static_cast<std::uint64_t>(o.traded_draws);
  to.test.seed = ctx.seed;
  if (o.traded_reference == "population") {
    const auto regions = io::load_regions(o.regions);
    to.reference_weights.assign(R, 0.0);
    for (std::size_t r = 0; r < R; ++r) {
      const auto& code = input.employment.regions[r];
      const auto id = regions.find(code);
      if (!id.valid() || !(regions[id].population > 0))
        throw_input(ErrorCode::unknown_reference,
                    fmt::format("region '{}' of {} has no population in {}", code, o.employment, o.regions),
                    Location{o.regions, 0, 0, "population"},
                    "give every region of the employment file a positive population, or use --traded-reference local");
      to.reference_weights[r] = regions[id].population;
    }
  }
  const auto split = clusters::split_traded_local(est, to);
  for (const auto& w : split.warnings) warnings.push_back("traded/local: " + w);

  std::vector<std::string> kind(n);
  std::vector<std::string> kind_source(n);
  std::size_t unknown_in_classification = 0;
  for (std::size_t i = 0; i < n; ++i) {
    data::IndustryKind k = data::IndustryKind::unknown;
    if (classification && (o.traded_rule == "auto" || o.traded_rule == "kind")) {
      const auto id = classification->find(names[i]);
      if (id.valid()) k = (*classification)[id].kind;
      else ++unknown_in_classification;
    }
    if (o.traded_rule == "all") {
      kind[i] = "traded";
      kind_source[i] = "all";
    } else if (k != data::IndustryKind::unknown) {
      kind[i] = k == data::IndustryKind::traded ? "traded" : "local";
      kind_source[i] = "industries";
    } else if (o.traded_rule == "kind") {
      throw_input(ErrorCode::unknown_reference,
                  fmt::format("industry '{}' of the employment file has no kind in {}", names[i], o.industries),
                  Location{o.industries, 0, 0, "kind"},
                  "give every industry a kind (traded or local), or use --traded-rule auto");
    } else if (o.traded_rule == "gini") {
      kind[i] = gini[i] >= threshold ? "traded" : "local";
      kind_source[i] = "gini";
    } else {
      kind[i] = split.traded[i] ? "traded" : "local";
      kind_source[i] = "dartboard";
    }
  }
  if (unknown_in_classification)
    warnings.push_back(fmt::format("{} industries of the employment file are not in {}: the dartboard test decides them",
                                   unknown_in_classification, o.industries));

  clusters::DefineClustersOptions co;
  co.k_min = static_cast<std::size_t>(o.k_min);
  co.k_max = static_cast<std::size_t>(o.k_max);
  co.k_step = static_cast<std::size_t>(o.k_step);
  co.methods = o.methods;
  co.linkages = o.linkages;
  co.seeds = static_cast<std::size_t>(o.seeds);
  co.seed = ctx.seed;
  co.cluster_on = o.cluster_on;
  co.tolerance = o.tolerance;
  co.selection = o.selection;
  co.reassign_rounds = static_cast<std::size_t>(o.reassign_rounds);

  struct Group {
    std::string kind;
    std::vector<std::size_t> members;
    clusters::ClusterDefinition def;
    int offset = 0;  // cluster id = offset + label + 1
  };
  std::vector<Group> groups(2);
  groups[0].kind = "traded";
  groups[1].kind = "local";
  for (std::size_t i = 0; i < n; ++i) groups[kind[i] == "traded" ? 0 : 1].members.push_back(i);
  for (auto& g : groups) {
    if (g.members.empty()) continue;
    const auto sub = clusters::restrict_relatedness(rel, g.members);
    if (g.kind == "local" && o.local == "one") {
      // One cluster: nothing to choose, nothing to score against.
      g.def.industries = sub.industries;
      g.def.labels.assign(g.members.size(), 0);
      g.def.outlier.assign(g.members.size(), false);
    } else {
      ctx.note(fmt::format("clustering {} {} industries…", g.members.size(), g.kind));
      g.def = clusters::define_clusters(sub, co);
    }
    for (const auto& w : g.def.warnings) warnings.push_back(g.kind + ": " + w);
  }
  const std::size_t traded_k =
      groups[0].def.labels.empty() ? 0 : static_cast<std::size_t>(*std::max_element(groups[0].def.labels.begin(), groups[0].def.labels.end())) + 1;
  groups[0].offset = 0;
  groups[1].offset = traded_k < 100 ? 100 : 1000;  // local clusters 101… as in the US benchmark
  const auto t_end = clock::now();

  // --- main table: industry → cluster --------------------------------------------------------
  const auto emp_total = input.employment.values.col_sums();
  data::Table main;
  auto& c_ind = main.add_text("industry");
  auto& c_cluster = main.add_integer("cluster");
  auto& c_kind = main.add_text("kind");
  auto& c_outlier = main.add_integer("outlier");
  auto& c_own = main.add_real("own_relatedness");
  auto& c_other = main.add_integer("best_other_cluster");
  auto& c_other_v = main.add_real("best_other_relatedness");
  auto& c_gini = main.add_real("gini");
  auto& c_src = main.add_text("kind_source");
  auto& c_label = main.add_text("label");
  std::vector<std::int64_t> cluster_of(n, 0);
  std::vector<std::size_t> slot(n, 0);
  std::vector<const Group*> group_of(n, nullptr);
  for (const auto& g : groups)
    for (std::size_t m = 0; m < g.members.size(); ++m) {
      const std::size_t i = g.members[m];
      slot[i] = m;
      group_of[i] = &g;
      cluster_of[i] = g.offset + g.def.labels[m] + 1;
    }

  // --- labels: the best-overlapping benchmark cluster, else the largest industries -----------
  std::optional<clusters::BenchmarkClusters> benchmark;
  std::unordered_map<std::string, std::string> industry_names;
  {
    namespace fs = std::filesystem;
    if (o.benchmark != "none") {
      const auto path = o.benchmark.empty() ? detail::bundled_benchmark() : o.benchmark;
      if (!o.benchmark.empty() || fs::exists(path)) benchmark = detail::load_benchmark_clusters(path);
    }
    if (!o.names_file.empty() && o.names_file != "none") {
      industry_names = detail::load_code_names({o.names_file});
    } else if (o.names_file.empty()) {
      // The shared code → name tables (NAICS 2007, then 2002, …; io/code_names.hpp).
      const auto named = io::name_codes("industry", names);
      for (std::size_t i = 0; i < n && i < named.names.size(); ++i)
        if (!named.names[i].empty()) industry_names.emplace(names[i], named.names[i]);
    }
  }
  clusters::LabelOptions lo;
  lo.min_jaccard = o.label_jaccard;
  const auto labels =
      clusters::label_clusters(names, cluster_of, emp_total, benchmark ? &*benchmark : nullptr, industry_names, lo);
  std::map<std::int64_t, const clusters::ClusterLabel*> label_of;
  for (const auto& l : labels) label_of[l.cluster] = &l;
  std::size_t from_benchmark = 0;
  for (const auto& l : labels) from_benchmark += l.source == "benchmark";
  const bool naics = benchmark && clusters::benchmark_coverage(names, *benchmark) >= lo.min_coverage;
  if (benchmark && !naics)
    warnings.push_back(fmt::format("fewer than half of the industry codes are in the benchmark clusters (NAICS 2007): "
                                   "clusters are named by their largest industries"));

  auto nan_to = [](double v) { return std::isfinite(v) ? v : std::nan(""); };
  for (std::size_t i = 0; i < n; ++i) {
    const auto& g = *group_of[i];
    const auto m = slot[i];
    const bool one = g.kind == "local" && o.local == "one";
    c_ind.push_back(names[i]);
    c_cluster.push_back(cluster_of[i]);
    c_kind.push_back(kind[i]);
    c_outlier.push_back(!one && g.def.outlier[m] ? 1 : 0);
    c_own.push_back(one ? std::nan("") : nan_to(g.def.fit.own[m]));
    const int bo = one ? -1 : g.def.fit.best_other_cluster[m];
    c_other.push_back(bo < 0 ? 0 : g.offset + bo + 1);
    c_other_v.push_back(one || bo < 0 ? std::nan("") : g.def.fit.best_other[m]);
    c_gini.push_back(gini[i]);
    c_src.push_back(kind_source[i]);
    c_label.push_back(label_of.at(cluster_of[i])->label);
  }

  // --- validation: one row per candidate ------------------------------------------------------
  data::Table val;
  auto& v_group = val.add_text("kind");
  auto& v_on = val.add_text("cluster_on");
  auto& v_method = val.add_text("method");
  auto& v_link = val.add_text("linkage");
  auto& v_k = val.add_integer("k");
  auto& v_clusters = val.add_integer("clusters");
  auto& v_seed = val.add_integer("seed");
  std::vector<std::string> measure_names;
  for (const auto& m : rel.measures) measure_names.push_back(m.name);
  measure_names.push_back("combined");
  std::vector<data::RealColumn*> v_cl, v_in;
  for (const auto& m : measure_names) {
    v_cl.push_back(&val.add_real("vs_cluster_" + m));
    v_in.push_back(&val.add_real("vs_ind_" + m));
  }
  auto& v_vsc = val.add_real("vs_cluster");
  auto& v_vsi = val.add_real("vs_ind");
  auto& v_pairs = val.add_real("vs_cluster_pairs");
  auto& v_score = val.add_real("score");
  auto& v_margin = val.add_real("margin");
  auto& v_single = val.add_integer("singletons");
  auto& v_moved = val.add_integer("reassigned");
  auto& v_chosen = val.add_integer("chosen");
  for (const auto& g : groups)
    for (const auto& c : g.def.candidates) {
      v_group.push_back(g.kind);
      v_on.push_back(c.on);
      v_method.push_back(c.method);
      v_link.push_back(c.linkage);
      v_k.push_back(static_cast<std::int64_t>(c.k));
      v_clusters.push_back(static_cast<std::int64_t>(c.clusters));
      v_seed.push_back(c.draw);
      for (std::size_t m = 0; m < measure_names.size(); ++m) {
        v_cl[m]->push_back(c.scores[m].vs_cluster);
        v_in[m]->push_back(c.scores[m].vs_ind);
      }
      v_vsc.push_back(c.vs_cluster);
      v_vsi.push_back(c.vs_ind);
      double pairs = 0;
      for (std::size_t m = 0; m + 1 < c.scores.size(); ++m) pairs += c.scores[m].vs_cluster_pairs;
      v_pairs.push_back(c.scores.size() > 1 ? pairs / static_cast<double>(c.scores.size() - 1) : c.scores[0].vs_cluster_pairs);
      v_score.push_back(c.score);
      v_margin.push_back(c.margin);
      v_single.push_back(static_cast<std::int64_t>(c.scores.back().singletons));
      v_moved.push_back(static_cast<std::int64_t>(c.reassigned));
      v_chosen.push_back(c.chosen ? 1 : 0);
    }

  // --- clusters: one row per chosen cluster ----------------------------------------------------
  data::Table cl;
  auto& k_id = cl.add_integer("cluster");
  auto& k_kind = cl.add_text("kind");
  auto& k_size = cl.add_integer("size");
  auto& k_emp = cl.add_real("employment");
  auto& k_within = cl.add_real("within");
  auto& k_between = cl.add_real("between");
  auto& k_closest = cl.add_integer("closest_cluster");
  auto& k_closest_v = cl.add_real("between_closest");
  auto& k_valid = cl.add_integer("valid");
  auto& k_out = cl.add_integer("outliers");
  auto& k_members = cl.add_text("industries");
  auto& k_label = cl.add_text("label");
  auto& k_label_src = cl.add_text("label_source");
  auto& k_bench = cl.add_text("benchmark");
  auto& k_jacc = cl.add_real("jaccard");
  nlohmann::ordered_json jgroups = nlohmann::ordered_json::object();
  std::string text;
  for (const auto& g : groups) {
    if (g.members.empty()) continue;
    const auto& f = g.def.fit;
    const bool one = g.kind == "local" && o.local == "one";
    const std::size_t k = static_cast<std::size_t>(*std::max_element(g.def.labels.begin(), g.def.labels.end())) + 1;
    std::vector<std::string> members(k);
    std::vector<double> emp(k, 0.0);
    std::vector<std::int64_t> outl(k, 0);
    for (std::size_t m = 0; m < g.members.size(); ++m) {
      const auto c = static_cast<std::size_t>(g.def.labels[m]);
      members[c] += (members[c].empty() ? "" : ";") + names[g.members[m]];
      emp[c] += emp_total[g.members[m]];
      outl[c] += !one && g.def.outlier[m];
    }
    std::size_t outliers = 0;
    for (std::size_t c = 0; c < k; ++c) {
      k_id.push_back(g.offset + static_cast<std::int64_t>(c) + 1);
      k_kind.push_back(g.kind);
      k_size.push_back(static_cast<std::int64_t>(one ? g.members.size() : f.size[c]));
      k_emp.push_back(emp[c]);
      k_within.push_back(one ? std::nan("") : nan_to(f.within[c]));
      k_between.push_back(one ? std::nan("") : nan_to(f.between_mean[c]));
      k_closest.push_back(one || f.closest[c] < 0 ? 0 : g.offset + f.closest[c] + 1);
      k_closest_v.push_back(one ? std::nan("") : nan_to(f.between_max[c]));
      k_valid.push_back(!one && (f.closest[c] < 0 || f.within[c] > f.between_max[c]) ? 1 : 0);
      k_out.push_back(outl[c]);
      k_members.push_back(members[c]);
      const auto& lab = *label_of.at(g.offset + static_cast<std::int64_t>(c) + 1);
      k_label.push_back(lab.label);
      k_label_src.push_back(lab.source);
      k_bench.push_back(lab.benchmark);
      k_jacc.push_back(lab.jaccard);
      outliers += static_cast<std::size_t>(outl[c]);
    }
    nlohmann::ordered_json jg;
    jg["industries"] = g.members.size();
    jg["clusters"] = k;
    jg["outliers"] = outliers;
    if (!one) {
      const auto& c = g.def.candidates[g.def.chosen];
      jg["chosen"] = {{"cluster_on", c.on}, {"method", c.method}, {"linkage", c.linkage}, {"k", c.k}, {"seed", c.draw},
                      {"vs_cluster", c.vs_cluster}, {"vs_ind", c.vs_ind}, {"score", c.score}, {"margin", c.margin}};
      jg["candidates"] = g.def.candidates.size();
      text += fmt::format("{:<7} {:>5} industries → {} clusters, {} outliers: {}\n", g.kind, g.members.size(), k,
                          outliers, chosen_text(g.def));
    } else {
      text += fmt::format("{:<7} {:>5} industries → one cluster ({})\n", g.kind, g.members.size(), g.offset + 1);
    }
    jgroups[g.kind] = jg;
  }
  const double s_rel = std::chrono::duration<double>(t_rel - t0).count();
  const double s_all = std::chrono::duration<double>(t_end - t0).count();
  {
    // What split the industries, and the clusters by name.
    std::size_t in_ref = 0, t_traded = 0;
    for (std::size_t i = 0; i < n; ++i) {
      in_ref += !split.in_reference.empty() && split.in_reference[i];
      t_traded += split.traded[i];
    }
    const std::string ref = o.traded_reference == "population" ? std::string("population")
                            : split.reference == "all"          ? std::string("all establishments")
                                                                : fmt::format("a core of {} industries holding {:.0f} % of the establishments", in_ref, 100 * split.local_share);
    std::string head = fmt::format(
        "dartboard test (Ellison & Glaeser 1997; reference: {}; FDR {}, V ≥ {}; establishment counts {}): {} traded, {} local{}\n",
        ref, o.traded_fdr, o.traded_min_excess, establishments_source, t_traded, n - t_traded,
        kind_source.empty() || std::all_of(kind_source.begin(), kind_source.end(), [](const std::string& k) { return k == "dartboard"; })
            ? ""
            : fmt::format(" (the split used: --traded-rule {})", o.traded_rule));
    text = head + text;
    for (const auto& l : labels) {
      std::size_t size = 0;
      for (auto c : cluster_of) size += c == l.cluster;
      text += fmt::format("  {:>4} {} ({} industr{}{})\n", l.cluster, l.label, size, size == 1 ? "y" : "ies",
                          l.source == "benchmark" ? fmt::format("; benchmark Jaccard {:.2f}", l.jaccard) : std::string());
    }
  }
  text += fmt::format("relatedness ({}) in {:.2f} s; total {:.2f} s\n", fmt::join(measure_names, ", "), s_rel, s_all);

  // --- traded_test: the dartboard test of every industry ---------------------------------------
  data::Table tt;
  {
    auto& t_ind = tt.add_text("industry");
    auto& t_n = tt.add_integer("establishments");
    auto& t_emp = tt.add_real("employment");
    auto& t_g = tt.add_real("g");
    auto& t_e = tt.add_real("expected");
    auto& t_sd = tt.add_real("sd");
    auto& t_gamma = tt.add_real("gamma");
    auto& t_excess = tt.add_real("excess");
    auto& t_p = tt.add_real("p");
    auto& t_q = tt.add_real("q");
    auto& t_method = tt.add_text("method");
    auto& t_dec = tt.add_text("decision");
    auto& t_ref = tt.add_integer("in_reference");
    auto& t_kind = tt.add_text("kind");
    for (std::size_t i = 0; i < n; ++i) {
      const auto& d = split.tests[i];
      t_ind.push_back(names[i]);
      t_n.push_back(static_cast<std::int64_t>(d.establishments));
      t_emp.push_back(emp_total[i]);
      t_g.push_back(d.g);
      t_e.push_back(d.expected);
      t_sd.push_back(d.sd);
      t_gamma.push_back(d.gamma);
      t_excess.push_back(d.excess);
      t_p.push_back(d.establishments ? d.p : std::nan(""));
      t_q.push_back(split.q[i]);
      t_method.push_back(d.establishments == 0 ? "none"
                         : d.impossible       ? "impossible"
                         : d.monte_carlo      ? fmt::format("monte-carlo ({} draws)", d.draws)
                                              : std::string("saddlepoint"));
      t_dec.push_back(split.traded[i] ? "traded" : "local");
      t_ref.push_back(split.in_reference.empty() || !split.in_reference[i] ? 0 : 1);
      t_kind.push_back(kind[i]);
    }
  }
  std::size_t test_traded = 0, used_traded = 0;
  for (std::size_t i = 0; i < n; ++i) {
    test_traded += split.traded[i];
    used_traded += kind[i] == "traded";
  }

  Result r;
  r.warnings = warnings;
  for (const auto& w : warnings)
    if (std::find(rel.warnings.begin(), rel.warnings.end(), w) == rel.warnings.end()) ctx.note("warning: " + w);
  nlohmann::ordered_json j;
  j["regions"] = input.employment.regions.size();
  j["industries"] = n;
  j["measures"] = measure_names;
  j["traded_rule"] = o.traded_rule;
  if (std::isfinite(threshold)) j["gini_threshold"] = threshold;
  j["traded_test"] = {{"reference", o.traded_reference == "population" ? "population" : split.reference},
                      {"core_fraction", o.traded_core},
                      {"reference_share_of_establishments", split.local_share},
                      {"fdr", o.traded_fdr},
                      {"min_excess", o.traded_min_excess},
                      {"establishments", establishments_source},
                      {"traded", test_traded},
                      {"local", n - test_traded}};
  j["labels"] = {{"benchmark", benchmark ? (o.benchmark.empty() ? "bundled US benchmark clusters" : o.benchmark) : "none"},
                 {"codes_are_benchmark_codes", naics},
                 {"min_jaccard", o.label_jaccard},
                 {"from_benchmark", from_benchmark},
                 {"from_industries", labels.size() - from_benchmark}};
  j["groups"] = jgroups;
  if (ctx.timings) j["seconds"] = {{"relatedness", s_rel}, {"total", s_all}};
  j["warnings"] = warnings;
  r.summary_json = j.dump(1);
  r.text = text;
  r.tables.emplace_back("industry_clusters", std::move(main));
  r.tables.emplace_back("validation", std::move(val));
  r.tables.emplace_back("clusters", std::move(cl));
  r.tables.emplace_back("traded_test", std::move(tt));
  {
    std::size_t k_traded = 0, k_local = 0;
    for (const auto& g : groups)
      if (!g.members.empty())
        (g.kind == "traded" ? k_traded : k_local) =
            static_cast<std::size_t>(*std::max_element(g.def.labels.begin(), g.def.labels.end())) + 1;
    std::string rule = o.traded_rule;
    if (rule == "auto") rule = classification ? "kind from --industries, else dartboard" : "dartboard";
    r.headline = fmt::format("{} traded industries in {} clusters, {} local in {} (split: {}; the dartboard test "
                             "finds {} of {} traded at FDR {})",
                             used_traded, k_traded, n - used_traded, k_local, rule, test_traded, n, o.traded_fdr);
  }
  return r;
}

}  // namespace

void register_define_clusters(Registry& r) {
  r.add(make_operation<DefineClustersCliOptions>(
      "define-clusters", "group related industries into clusters (Delgado, Porter & Stern 2016)",
      "Defines clusters of related industries by the algorithm of Delgado, Porter & Stern (2016, J. Econ. "
      "Geogr. 16(1)). Industries are first split into traded and local. By default (and for industries the kind "
      "column of --industries leaves open) an industry is local when its establishments are spread across "
      "regions as random location would spread them — Ellison & Glaeser's (1997) dartboard, with each "
      "establishment in region r with probability x_r — and traded when the dartboard is rejected at false "
      "discovery rate --traded-fdr (Benjamini & Hochberg 1995) and its excess concentration is material: "
      "V = γ (1 − Σx²)/Σx² ≥ --traded-min-excess, with γ Ellison & Glaeser's index on establishment counts. The statistic is G = Σ_r (s_r − x_r)²; p-values are exact (Monte Carlo "
      "from the null) up to 100 establishments and a saddlepoint approximation (Kuonen 1999) above. The reference "
      "x is the pooled establishments of the half of the industries closest to random location on all "
      "establishments (a concentration step, Rousseeuw & Van Driessen 1999), so the traded clusters' own hubs do "
      "not distort it; the test can find no traded industry, or no local one. Without an establishments column the "
      "counts are approximated from employment (--establishment-size, with a warning). The test of every "
      "industry is reported (table traded_test). For each group, relatedness matrices are computed (see `agglo "
      "relatedness`) and clustering functions run over a grid: hierarchical clustering (average, complete, "
      "Ward linkage), k-medoids and spectral clustering, for every k in [--k-min, --k-max] and --seeds draws "
      "of the randomised methods; in every candidate, industries more related to another cluster than to "
      "their own are reassigned (--reassign-rounds). Every candidate is scored on every matrix: VS-Cluster "
      "is the share of clusters whose within-cluster relatedness exceeds their relatedness to every other "
      "cluster, VS-Ind the share of industries more related to their own cluster than to any other. Among "
      "the candidates whose mean score is within --tolerance of the best, the one with the most clusters is "
      "chosen (--selection finest): the validation scores do not penalise merging related clusters, so the "
      "finest partition that still validates is the most informative. Industries of the chosen set still "
      "less related to their own cluster than to another are flagged as outliers. Traded clusters "
      "are numbered 1…, local ones 101…; each is labelled with the US benchmark cluster (Delgado, Porter & "
      "Stern 2016) whose industries it shares by a Jaccard index above --label-jaccard, else with the names of "
      "its two largest industries. The same --seed gives the same result for any --threads. The examples run "
      "on the synthetic economy of `agglo synth --preset tiny --seed 7 -o tiny/`; formulas and measured "
      "recovery in docs/methods/cluster-definitions.md.",
      {"agglo define-clusters --employment tiny/employment.csv -o clusters.csv",
       "agglo define-clusters --employment tiny/employment.csv --traded-reference population --regions tiny/regions.csv -o clusters_pop.csv",
       "agglo define-clusters --employment tiny/employment.csv --traded-rule gini -o clusters_gini.csv",
       "agglo define-clusters --employment tiny/employment.csv --industries tiny/industries.csv --local one -o clusters_kind.csv",
       "agglo define-clusters --employment tiny/employment.csv --methods hierarchical --linkages average,ward --k-min 5 --k-max 12 -o out/"},
      "the table industry,cluster,kind,outlier,…,label (main; the industry_name column is added as for every command); validation (one row per candidate), clusters "
      "(one row per chosen cluster, with its label and best benchmark match) and traded_test (the dartboard test of "
      "every industry: establishments, g, expected, sd, gamma, excess, p, q, method, decision); with OUT.csv the side "
      "tables go to OUT.validation.csv, OUT.clusters.csv and OUT.traded_test.csv",
      &run_define_clusters));
}

}  // namespace agglo::api
