// `agglo relatedness`: industry × industry relatedness from co-location, co-agglomeration,
// input–output links and occupations (Delgado, Porter & Stern 2016), one row per pair.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <numeric>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/clusters/relatedness.hpp"
#include "relatedness_input.hpp"

namespace agglo::api {

namespace {

struct RelatednessOptions {
  std::string employment, io, occupations;
  std::vector<std::string> measures;
  std::optional<std::int64_t> year;
  std::string duplicates = "reject";
  std::int64_t top = 0;
  std::optional<double> min_value;

  static void describe(core::OptionSchema<RelatednessOptions>& s) {
    s.add("employment", &RelatednessOptions::employment,
          "region × industry employment CSV (region,industry,employment[,establishments,year])")
        .path()
        .required();
    s.add("io", &RelatednessOptions::io,
          "input–output table CSV (from,to,value: value of `from`'s output bought by `to`); adds the io measure")
        .path();
    s.add("occupations", &RelatednessOptions::occupations,
          "industry × occupation employment CSV (industry,occupation,employment); adds the occupation measure")
        .path();
    s.add("measures", &RelatednessOptions::measures,
          "measures to compute and combine (default: every one the inputs allow)")
        .choices(clusters::relatedness_measure_names());
    s.add("year", &RelatednessOptions::year, "the year to use when the panel has several");
    s.add("duplicates", &RelatednessOptions::duplicates,
          "repeated region × industry rows: reject them (input error) or sum them")
        .choices({"reject", "sum"});
    s.add("top", &RelatednessOptions::top,
          "keep only each industry's N most related partners by the combined value (0 = all pairs)")
        .min(0);
    s.add("min-value", &RelatednessOptions::min_value,
          "keep only pairs whose combined value (a z-score) is at least this");
  }
  void validate() const {}
};

Result run_relatedness(const RelatednessOptions& o, Context& ctx) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto data = detail::load_relatedness_data(o.employment, o.io, o.occupations, o.year, o.duplicates == "sum");
  const auto rel = clusters::compute_relatedness(data.input(), o.measures);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const std::size_t n = rel.industries.size();

  // Pairs a < b by industry code.
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return rel.industries[x] < rel.industries[y]; });
  std::vector<std::size_t> rank(n);
  for (std::size_t r = 0; r < n; ++r) rank[order[r]] = r;
  // Top-N partners of each industry by the combined value (ties: code order).
  std::vector<std::vector<char>> in_top;
  if (o.top > 0) {
    const auto top = static_cast<std::size_t>(o.top);
    in_top.assign(n, std::vector<char>(n, 0));
    for (std::size_t i = 0; i < n; ++i) {
      std::vector<std::size_t> partners;
      for (std::size_t j = 0; j < n; ++j)
        if (j != i) partners.push_back(j);
      const std::size_t keep = std::min(top, partners.size());
      std::partial_sort(partners.begin(), partners.begin() + static_cast<long>(keep), partners.end(),
                        [&](std::size_t x, std::size_t y) {
                          if (rel.combined(i, x) != rel.combined(i, y)) return rel.combined(i, x) > rel.combined(i, y);
                          return rank[x] < rank[y];
                        });
      for (std::size_t k = 0; k < keep; ++k) in_top[i][partners[k]] = 1;
    }
  }

  data::Table t;
  auto& ca = t.add_text("industry_a");
  auto& cb = t.add_text("industry_b");
  auto& cv = t.add_real("value");
  std::vector<data::RealColumn*> cm;
  for (const auto& m : rel.measures) cm.push_back(&t.add_real(m.name));
  for (std::size_t x = 0; x < n; ++x)
    for (std::size_t y = x + 1; y < n; ++y) {
      const std::size_t i = order[x], j = order[y];
      const double v = rel.combined(i, j);
      if (o.min_value && !(v >= *o.min_value)) continue;
      if (o.top > 0 && !in_top[i][j] && !in_top[j][i]) continue;
      ca.push_back(rel.industries[i]);
      cb.push_back(rel.industries[j]);
      cv.push_back(v);
      for (std::size_t m = 0; m < rel.measures.size(); ++m) cm[m]->push_back(rel.measures[m].values(i, j));
    }

  Result r;
  r.warnings = rel.warnings;
  for (const auto& w : rel.warnings) ctx.note("warning: " + w);
  nlohmann::ordered_json j;
  j["regions"] = data.employment.regions.size();
  j["industries"] = n;
  std::vector<std::string> names;
  for (const auto& m : rel.measures) names.push_back(m.name);
  j["measures"] = names;
  j["pairs"] = n * (n - (n > 0)) / 2;
  j["pairs_written"] = ca.size();
  if (ctx.timings) j["seconds"] = seconds;
  j["warnings"] = rel.warnings;
  r.summary_json = j.dump(1);
  r.text = fmt::format("{} industries × {} regions; measures: {}; {} of {} pairs written ({:.2f} s)\n", n,
                       data.employment.regions.size(), fmt::join(names, ", "), ca.size(), n * (n - (n > 0)) / 2,
                       seconds);
  r.tables.emplace_back("relatedness", std::move(t));
  return r;
}

}  // namespace

void register_relatedness(Registry& r) {
  r.add(make_operation<RelatednessOptions>(
      "relatedness", "industry × industry relatedness (co-location, co-agglomeration, IO, occupations)",
      "Measures how related every pair of industries is, following Delgado, Porter & Stern (2016, "
      "J. Econ. Geogr. 16(1)): cor_emp and cor_est are Pearson correlations across regions of the "
      "industries' employment and establishment location quotients LQ_ri = (E_ri/E_r)/(E_i/E) (regions "
      "without employment left out); coagglomeration is the Ellison–Glaeser–Kerr (2010) index "
      "Σ_r (s_ri − x_r)(s_rj − x_r)/(1 − Σ_r x_r²); io is the largest of the four input and output shares "
      "linking the two industries in an IO table; occupation is the correlation of their occupation "
      "shares. `value` is the combined measure: each measure's off-diagonal entries standardised to "
      "z-scores and averaged. One row per pair industry_a < industry_b (by code). The examples run on the "
      "synthetic economy of `agglo synth --preset tiny --seed 7 -o tiny/`, whose planted clusters make the "
      "related pairs visible (wcor_est, the size-weighted correlation of establishment LQs, separates them best); "
      "formulas in docs/methods/cluster-definitions.md.",
      {"agglo relatedness --employment tiny/employment.csv -o relatedness.csv",
       "agglo relatedness --employment tiny/employment.csv --top 5 -o top5.csv",
       "agglo relatedness --employment tiny/employment.csv --measures wcor_est,coagglomeration --min-value 2 -o strong.csv"},
      "the table industry_a,industry_b,value and one column per measure", &run_relatedness));
}

}  // namespace agglo::api
