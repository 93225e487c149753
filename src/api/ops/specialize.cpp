// `agglo specialize`: location quotients and specialisation indices from region × industry
// employment (formulas in include/agglo/measure/specialisation.hpp and docs/methods/specialisation.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/measure/specialisation.hpp"

namespace agglo::api {

namespace {

struct SpecializeOptions {
  std::string employment;
  std::string industries;
  std::string denominator = "total";
  std::vector<std::string> summary;
  std::string duplicates = "reject";
  std::optional<std::int64_t> year;
  bool all_cells = false;

  static void describe(core::OptionSchema<SpecializeOptions>& s) {
    s.add("employment", &SpecializeOptions::employment, "region × industry employment CSV (region,industry,employment[,year])").path().required();
    s.add("industries", &SpecializeOptions::industries, "industry classification CSV with a kind column (traded/local); needed for --denominator traded|local").path();
    s.add("denominator", &SpecializeOptions::denominator, "employment the LQ is relative to: all industries, traded ones or local ones").choices({"total", "traded", "local"});
    s.add("summary", &SpecializeOptions::summary, "side tables: regions (hoover,krugman,gini,diversity) and/or industries (ubiquity,gini,hoover)").choices({"regions", "industries"});
    s.add("duplicates", &SpecializeOptions::duplicates, "repeated region × industry rows: reject them or sum them").choices({"reject", "sum"});
    s.add("year", &SpecializeOptions::year, "the year to use when the file is a panel");
    s.add("all-cells", &SpecializeOptions::all_cells, "write every region × industry cell, including zero employment (default: cells with employment > 0)");
  }
  void validate() const {
    if (denominator != "total" && industries.empty())
      throw_usage(ErrorCode::missing_option, fmt::format("--denominator {} needs --industries with a kind column", denominator));
  }
};

Result run_specialize(const SpecializeOptions& o, Context& ctx) {
  io::ReadOptions ro;
  ro.allow_duplicate_rows = o.duplicates == "sum";
  const auto panel = io::load_employment(o.employment, ro);
  const auto m = measure::to_matrix(panel, o.year ? std::optional<int>(static_cast<int>(*o.year)) : std::nullopt,
                                    "employment", measure::DuplicateRule::sum);
  std::vector<data::IndustryKind> kinds;
  if (!o.industries.empty()) {
    const auto cls = io::load_industries(o.industries);
    std::vector<std::string> missing;
    for (const auto& code : m.industries) {
      const auto id = cls.find(code);
      kinds.push_back(id.valid() ? cls[id].kind : data::IndustryKind::unknown);
      if (!id.valid()) missing.push_back(code);
    }
    if (!missing.empty() && o.denominator != "total")
      throw_input(ErrorCode::unknown_reference,
                  fmt::format("{} industr{} of the employment file are not in {} (first: '{}')", missing.size(),
                              missing.size() == 1 ? "y" : "ies", o.industries, missing.front()),
                  Location{o.employment, 0, 0, "industry"}, "every industry needs a kind for a traded/local denominator");
  }
  const auto denom = o.denominator == "traded" ? measure::Denominator::traded
                     : o.denominator == "local" ? measure::Denominator::local
                                                : measure::Denominator::total;
  const auto s = measure::specialisation(m, denom, kinds);

  Result res;
  data::Table cells;
  auto& reg = cells.add_text("region");
  auto& ind = cells.add_text("industry");
  auto& emp = cells.add_real("employment");
  auto& lq = cells.add_real("lq");
  auto& rs = cells.add_real("region_share");
  auto& is = cells.add_real("industry_share");
  for (std::size_t r = 0; r < m.regions.size(); ++r)
    for (std::size_t i = 0; i < m.industries.size(); ++i) {
      const double e = m.values(r, i);
      if (!(e > 0) && !o.all_cells) continue;
      if (s.region_excluded[r] || s.industry_excluded[i]) continue;
      reg.push_back(m.regions[r]);
      ind.push_back(m.industries[i]);
      emp.push_back(e);
      lq.push_back(s.lq(r, i));
      rs.push_back(s.region_share(r, i));
      is.push_back(s.industry_share(r, i));
    }
  res.tables.emplace_back("specialization", std::move(cells));
  const bool want_regions = std::find(o.summary.begin(), o.summary.end(), "regions") != o.summary.end();
  const bool want_industries = std::find(o.summary.begin(), o.summary.end(), "industries") != o.summary.end();
  if (want_regions) {
    data::Table t;
    auto& code = t.add_text("region");
    auto& e = t.add_real("employment");
    auto& h = t.add_real("hoover");
    auto& k = t.add_real("krugman");
    auto& g = t.add_real("gini");
    auto& d = t.add_integer("diversity");
    for (std::size_t r = 0; r < m.regions.size(); ++r) {
      if (s.region_excluded[r]) continue;
      code.push_back(m.regions[r]);
      e.push_back(s.region_total[r]);
      h.push_back(s.hoover_r[r]);
      k.push_back(s.krugman_r[r]);
      g.push_back(s.gini_r[r]);
      d.push_back(s.diversity_r[r]);
    }
    res.tables.emplace_back("regions", std::move(t));
  }
  if (want_industries) {
    data::Table t;
    auto& code = t.add_text("industry");
    auto& e = t.add_real("employment");
    auto& u = t.add_integer("ubiquity");
    auto& g = t.add_real("gini");
    auto& h = t.add_real("hoover");
    for (std::size_t i = 0; i < m.industries.size(); ++i) {
      if (s.industry_excluded[i]) continue;
      code.push_back(m.industries[i]);
      e.push_back(s.industry_total[i]);
      u.push_back(s.ubiquity_i[i]);
      g.push_back(s.gini_i[i]);
      h.push_back(s.hoover_i[i]);
    }
    res.tables.emplace_back("industries", std::move(t));
  }
  res.warnings = s.warnings;
  std::size_t excluded_r = std::count(s.region_excluded.begin(), s.region_excluded.end(), true);
  std::size_t excluded_i = std::count(s.industry_excluded.begin(), s.industry_excluded.end(), true);
  res.summary_json = nlohmann::ordered_json{{"regions", m.regions.size()},
                                            {"industries", m.industries.size()},
                                            {"denominator", o.denominator},
                                            {"excluded_regions", excluded_r},
                                            {"excluded_industries", excluded_i},
                                            {"warnings", s.warnings}}
                         .dump(1);
  (void)ctx;
  return res;
}

}  // namespace

void register_specialize(Registry& r) {
  r.add(make_operation<SpecializeOptions>(
      "specialize", "location quotients and regional specialisation indices",
      "Location quotient LQ_ri = (E_ri/E_r)/(E_i/E) (relative to total, traded or local employment), "
      "region shares E_ri/E_r and industry shares E_ri/E_i; per region Hoover and Krugman "
      "specialisation, a Lorenz-curve Gini and diversity (#industries with LQ ≥ 1); per industry "
      "ubiquity (#regions with LQ ≥ 1), locational Gini and Hoover localisation. Regions without "
      "employment and industries present nowhere are excluded and named in a warning. See "
      "docs/methods/specialisation.md.",
      {"agglo specialize --employment employment.csv -o lq.csv",
       "agglo specialize --employment employment.csv --summary regions,industries -o out/",
       "agglo specialize --employment employment.csv --industries industries.csv --denominator traded -o lq.csv"},
      "region,industry,employment,lq,region_share,industry_share; with --summary, side tables regions "
      "(region,employment,hoover,krugman,gini,diversity) and industries (industry,employment,ubiquity,gini,hoover)",
      &run_specialize));
}

}  // namespace agglo::api
