// `agglo specialize`: location quotients and specialisation indices from region × industry
// employment (formulas in include/agglo/measure/specialisation.hpp and docs/methods/specialisation.md).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/measure/shift_share.hpp"
#include "agglo/measure/specialisation.hpp"
#include "panel_years.hpp"

namespace agglo::api {

namespace {

struct SpecializeOptions {
  std::string employment;
  std::string industries;
  std::string denominator = "total";
  std::vector<std::string> summary;
  std::string duplicates = "reject";
  std::optional<std::int64_t> year, from, to;
  bool all_cells = false;

  static void describe(core::OptionSchema<SpecializeOptions>& s) {
    s.add("employment", &SpecializeOptions::employment, "region × industry employment CSV (region,industry,employment[,year])").path().required();
    s.add("industries", &SpecializeOptions::industries, "industry classification CSV with a kind column (traded/local); needed for --denominator traded|local").path();
    s.add("denominator", &SpecializeOptions::denominator, "employment the LQ is relative to: all industries, traded ones or local ones").choices({"total", "traded", "local"});
    s.add("summary", &SpecializeOptions::summary, "side tables: regions (hoover,krugman,gini,diversity) and/or industries (ubiquity,gini,hoover)").choices({"regions", "industries"});
    s.add("duplicates", &SpecializeOptions::duplicates, "repeated region × industry rows: reject them or sum them").choices({"reject", "sum"});
    s.add("year", &SpecializeOptions::year,
          "a panel (file with a year column): compute this year only (default: every year, each compared with the previous one)");
    s.add("from", &SpecializeOptions::from,
          "a panel: compare with this base year (LQ change, shift-share); default with --to: the first year of the file");
    s.add("to", &SpecializeOptions::to, "a panel: the year compared with --from (default: the last year of the file)");
    s.add("all-cells", &SpecializeOptions::all_cells, "write every region × industry cell, including zero employment (default: cells with employment > 0 in the year or its base year)");
  }
  void validate() const {
    if (denominator != "total" && industries.empty())
      throw_usage(ErrorCode::missing_option, fmt::format("--denominator {} needs --industries with a kind column", denominator));
  }
};

// Per-year output columns (a year column only for panels; the comparison columns only when
// some year has a base year).
struct CellColumns {
  data::TextColumn *region, *industry;
  data::RealColumn *employment, *lq, *region_share, *industry_share;
  data::IntColumn* year = nullptr;
  data::RealColumn *from_year = nullptr, *employment_from = nullptr, *lq_from = nullptr, *lq_change = nullptr,
                   *change = nullptr, *national = nullptr, *mix = nullptr, *competitive = nullptr, *homothetic = nullptr,
                   *allocation = nullptr;
};

// Shift-share summed over a region's industries: the region-level decomposition (Dunn 1960).
// The E-M split is undefined for entries (cells new to the region), so their competitive
// effect is kept apart: competitive = homothetic + allocation + entry.
struct RegionColumns {
  data::TextColumn* region;
  data::IntColumn* year;
  data::RealColumn *from_year, *employment_from, *employment, *change, *national, *mix, *competitive, *homothetic, *allocation,
      *entry;
};

Result run_specialize(const SpecializeOptions& o, Context& ctx) {
  io::ReadOptions ro;
  ro.allow_duplicate_rows = o.duplicates == "sum";
  const auto panel = io::load_employment(o.employment, ro);
  const auto plan = plan_years(panel, o.year, o.from, o.to, o.employment);
  const bool compare = plan.any_comparison();
  const double nan = std::numeric_limits<double>::quiet_NaN();

  auto matrix_of = [&](std::optional<int> y) {
    return measure::to_matrix(panel, y, "employment", measure::DuplicateRule::sum, o.employment);
  };
  // The industries and regions are the panel's, the same for every year.
  std::vector<data::IndustryKind> kinds;
  {
    std::vector<std::string> codes;
    for (std::uint32_t c = 0; c < panel.cols.size(); ++c) codes.emplace_back(panel.cols.name(c));
    if (!o.industries.empty()) {
      const auto cls = io::load_industries(o.industries);
      std::vector<std::string> missing;
      for (const auto& code : codes) {
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
  }
  const auto denom = o.denominator == "traded" ? measure::Denominator::traded
                     : o.denominator == "local" ? measure::Denominator::local
                                                : measure::Denominator::total;
  const bool want_regions = std::find(o.summary.begin(), o.summary.end(), "regions") != o.summary.end();
  const bool want_industries = std::find(o.summary.begin(), o.summary.end(), "industries") != o.summary.end();
  auto specialisation_of = [&](const measure::RegionIndustryMatrix& m, std::optional<int> y, bool summaries) {
    try {
      return measure::specialisation(m, denom, kinds, summaries);
    } catch (const Error& e) {
      if (!y || e.code() != ErrorCode::empty_input) throw;
      throw_input(e.code(), fmt::format("{} has no employment in {}: no location quotient is defined", o.employment, *y),
                  Location{o.employment, 0, 0, "year"}, "check the year column, or leave this year out with --year/--from/--to");
    }
  };

  Result res;
  data::Table cells;
  CellColumns cc;
  cc.region = &cells.add_text("region");
  cc.industry = &cells.add_text("industry");
  cc.employment = &cells.add_real("employment");
  cc.lq = &cells.add_real("lq");
  cc.region_share = &cells.add_real("region_share");
  cc.industry_share = &cells.add_real("industry_share");
  if (plan.has_years) cc.year = &cells.add_integer("year");
  if (compare) {
    cc.from_year = &cells.add_real("from_year");
    cc.employment_from = &cells.add_real("employment_from");
    cc.lq_from = &cells.add_real("lq_from");
    cc.lq_change = &cells.add_real("lq_change");
    cc.change = &cells.add_real("employment_change");
    cc.national = &cells.add_real("national_effect");
    cc.mix = &cells.add_real("mix_effect");
    cc.competitive = &cells.add_real("competitive_effect");
    cc.homothetic = &cells.add_real("homothetic_effect");
    cc.allocation = &cells.add_real("allocation_effect");
  }
  data::Table regions_t, industries_t, ss_t;
  data::IntColumn* reg_year = nullptr;
  data::IntColumn* ind_year = nullptr;
  auto& rg_code = regions_t.add_text("region");
  if (plan.has_years) reg_year = &regions_t.add_integer("year");
  auto& rg_e = regions_t.add_real("employment");
  auto& rg_h = regions_t.add_real("hoover");
  auto& rg_k = regions_t.add_real("krugman");
  auto& rg_g = regions_t.add_real("gini");
  auto& rg_d = regions_t.add_integer("diversity");
  auto& in_code = industries_t.add_text("industry");
  if (plan.has_years) ind_year = &industries_t.add_integer("year");
  auto& in_e = industries_t.add_real("employment");
  auto& in_u = industries_t.add_integer("ubiquity");
  auto& in_g = industries_t.add_real("gini");
  auto& in_h = industries_t.add_real("hoover");
  RegionColumns rc{};
  if (compare) {
    rc.region = &ss_t.add_text("region");
    rc.year = &ss_t.add_integer("year");
    rc.from_year = &ss_t.add_real("from_year");
    rc.employment_from = &ss_t.add_real("employment_from");
    rc.employment = &ss_t.add_real("employment");
    rc.change = &ss_t.add_real("employment_change");
    rc.national = &ss_t.add_real("national_effect");
    rc.mix = &ss_t.add_real("mix_effect");
    rc.competitive = &ss_t.add_real("competitive_effect");
    rc.homothetic = &ss_t.add_real("homothetic_effect");
    rc.allocation = &ss_t.add_real("allocation_effect");
    rc.entry = &ss_t.add_real("entry_effect");
  }

  std::vector<std::string> warnings;
  // A year's own warnings; one repeated in several years is given once, with its years.
  std::vector<std::pair<std::string, std::vector<int>>> year_warnings;
  nlohmann::ordered_json comparisons = nlohmann::ordered_json::array();
  std::size_t regions_n = 0, industries_n = 0, excluded_r = 0, excluded_i = 0, lq_cells = 0, specialised = 0;
  // The best competitive performer of the last comparison, for the headline.
  std::string best_region;
  double best_competitive = -std::numeric_limits<double>::infinity(), last_growth = nan;

  // The base year of one comparison is usually the previous year computed: keep it.
  std::optional<int> cached_year;
  measure::RegionIndustryMatrix cached_m;
  measure::Specialisation cached_s;
  for (std::size_t k = 0; k < std::max<std::size_t>(plan.years.size(), 1); ++k) {
    const std::optional<int> y = plan.has_years ? std::optional<int>(plan.years[k]) : std::nullopt;
    auto m = matrix_of(y);
    auto s = specialisation_of(m, y, want_regions || want_industries);
    const auto base_year = plan.base[k];
    measure::RegionIndustryMatrix bm;
    measure::Specialisation bs;
    std::optional<measure::ShiftShareRates> ss;
    std::size_t entries = 0;
    if (base_year) {
      if (cached_year == base_year) {
        bm = std::move(cached_m);
        bs = std::move(cached_s);
      } else {
        bm = matrix_of(*base_year);
        bs = specialisation_of(bm, *base_year, false);  // its LQs only
      }
      ss = measure::shift_share_rates(bm.values, m.values);
    }
    for (const auto& w : s.warnings) {
      auto it = std::find_if(year_warnings.begin(), year_warnings.end(), [&](const auto& p) { return p.first == w; });
      if (it == year_warnings.end()) year_warnings.push_back({w, {y ? *y : 0}});
      else it->second.push_back(y ? *y : 0);
    }
    regions_n = m.regions.size();
    industries_n = m.industries.size();
    excluded_r = std::max<std::size_t>(excluded_r, std::count(s.region_excluded.begin(), s.region_excluded.end(), true));
    excluded_i = std::max<std::size_t>(excluded_i, std::count(s.industry_excluded.begin(), s.industry_excluded.end(), true));

    for (std::size_t r = 0; r < m.regions.size(); ++r)
      for (std::size_t i = 0; i < m.industries.size(); ++i) {
        const double e = m.values(r, i);
        const double e0 = ss ? bm.values(r, i) : 0.0;
        const bool excluded = s.region_excluded[r] || s.industry_excluded[i];
        const bool keep = (!excluded && (e > 0 || o.all_cells)) || e0 > 0;
        if (!keep) continue;
        cc.region->push_back(m.regions[r]);
        cc.industry->push_back(m.industries[i]);
        cc.employment->push_back(e);
        cc.lq->push_back(s.lq(r, i));
        cc.region_share->push_back(s.region_share(r, i));
        cc.industry_share->push_back(s.industry_share(r, i));
        if (!excluded && s.lq(r, i) == s.lq(r, i)) {
          ++lq_cells;
          specialised += s.lq(r, i) >= 1.0;
        }
        if (cc.year) cc.year->push_back(*y);
        if (!compare) continue;
        if (!ss) {
          for (auto* c : {cc.from_year, cc.employment_from, cc.lq_from, cc.lq_change, cc.change, cc.national, cc.mix,
                          cc.competitive, cc.homothetic, cc.allocation})
            c->push_back(nan);
          continue;
        }
        // LQ 0 for an industry the region did not have (defined when the industry and the
        // region had employment in the base year); empty when the base LQ is undefined.
        const double lq0 = bs.region_excluded[r] || bs.industry_excluded[i] ? nan : bs.lq(r, i);
        cc.from_year->push_back(*base_year);
        cc.employment_from->push_back(e0);
        cc.lq_from->push_back(lq0);
        cc.lq_change->push_back(s.lq(r, i) - lq0);
        const auto c = measure::shift_share_cell(*ss, r, i, e0, e);
        cc.change->push_back(c.change);
        cc.national->push_back(c.national);
        cc.mix->push_back(c.mix);
        cc.competitive->push_back(c.competitive);
        cc.homothetic->push_back(c.homothetic);
        cc.allocation->push_back(c.allocation);
      }
    if (ss) {
      best_region.clear();
      best_competitive = -std::numeric_limits<double>::infinity();
      last_growth = ss->national_growth;
      for (std::size_t r = 0; r < m.regions.size(); ++r) {
        double sums[7] = {0, 0, 0, 0, 0, 0, 0};  // change, NS, IM, CE, CE*, AE, entry
        for (std::size_t i = 0; i < m.industries.size(); ++i) {
          const auto c = measure::shift_share_cell(*ss, r, i, bm.values(r, i), m.values(r, i));
          sums[0] += c.change;
          sums[1] += c.national;
          sums[2] += c.mix;
          sums[3] += c.competitive;
          if (bm.values(r, i) > 0) {
            sums[4] += c.homothetic;
            sums[5] += c.allocation;
          } else {
            sums[6] += c.competitive;
          }
          entries += c.entry;
        }
        rc.region->push_back(m.regions[r]);
        rc.year->push_back(*y);
        rc.from_year->push_back(*base_year);
        rc.employment_from->push_back(ss->region_from[r]);
        rc.employment->push_back(ss->region_to[r]);
        rc.change->push_back(sums[0]);
        rc.national->push_back(sums[1]);
        rc.mix->push_back(sums[2]);
        rc.competitive->push_back(sums[3]);
        rc.homothetic->push_back(sums[4]);
        rc.allocation->push_back(sums[5]);
        rc.entry->push_back(sums[6]);
        if (sums[3] > best_competitive) {
          best_competitive = sums[3];
          best_region = m.regions[r];
        }
      }
      comparisons.push_back({{"from", *base_year},
                             {"to", *y},
                             {"employment_from", ss->total_from},
                             {"employment_to", ss->total_to},
                             {"national_growth", ss->national_growth},
                             {"entries", entries},
                             {"largest_competitive_gain", {{"region", best_region}, {"jobs", best_competitive}}}});
      if (entries)
        warnings.push_back(fmt::format("{} against {}: {} region × industry cell{} new to the region (no base-year jobs) ha{} no "
                                       "growth rate, so no Esteban-Marquillas split (homothetic_effect and allocation_effect "
                                       "empty; their change is all competitive_effect, summed as entry_effect per region)",
                                       *y, *base_year, entries, entries == 1 ? "" : "s", entries == 1 ? "s" : "ve"));
    }
    if (want_regions)
      for (std::size_t r = 0; r < m.regions.size(); ++r) {
        if (s.region_excluded[r]) continue;
        rg_code.push_back(m.regions[r]);
        if (reg_year) reg_year->push_back(*y);
        rg_e.push_back(s.region_total[r]);
        rg_h.push_back(s.hoover_r[r]);
        rg_k.push_back(s.krugman_r[r]);
        rg_g.push_back(s.gini_r[r]);
        rg_d.push_back(s.diversity_r[r]);
      }
    if (want_industries)
      for (std::size_t i = 0; i < m.industries.size(); ++i) {
        if (s.industry_excluded[i]) continue;
        in_code.push_back(m.industries[i]);
        if (ind_year) ind_year->push_back(*y);
        in_e.push_back(s.industry_total[i]);
        in_u.push_back(s.ubiquity_i[i]);
        in_g.push_back(s.gini_i[i]);
        in_h.push_back(s.hoover_i[i]);
      }
    cached_year = y;
    cached_m = std::move(m);
    cached_s = std::move(s);
  }

  res.tables.emplace_back("specialization", std::move(cells));
  if (want_regions) res.tables.emplace_back("regions", std::move(regions_t));
  if (want_industries) res.tables.emplace_back("industries", std::move(industries_t));
  if (compare) res.tables.emplace_back("shift_share_regions", std::move(ss_t));
  {
    std::vector<std::string> per_year;
    for (auto& [w, ys] : year_warnings)
      per_year.push_back(!plan.has_years || ys.size() == plan.years.size() ? w : fmt::format("{}: {}", measure::format_years(ys), w));
    warnings.insert(warnings.begin(), per_year.begin(), per_year.end());
  }
  res.warnings = warnings;
  nlohmann::ordered_json summary{{"regions", regions_n},
                                 {"industries", industries_n},
                                 {"denominator", o.denominator},
                                 {"excluded_regions", excluded_r},
                                 {"excluded_industries", excluded_i}};
  if (plan.has_years) {
    summary["years"] = plan.years;
    summary["panel_years"] = plan.panel;
    summary["changes"] = plan.describe();
    if (compare) summary["comparisons"] = comparisons;
  }
  summary["warnings"] = warnings;
  res.summary_json = summary.dump(1);
  const std::string years_text =
      plan.has_years ? (plan.years.size() == 1 ? fmt::format(" in {}", plan.years.front())
                                               : fmt::format(" in {} years ({})", plan.years.size(), measure::format_years(plan.years)))
                     : std::string();
  res.headline = fmt::format("LQs of {} regions × {} industries{}: LQ ≥ 1 in {:.0f} % of {} region-industry cells", regions_n,
                             industries_n, years_text, lq_cells ? 100.0 * static_cast<double>(specialised) / static_cast<double>(lq_cells) : 0.0,
                             lq_cells);
  if (compare && !best_region.empty())
    res.headline += fmt::format("; {} against {}: national employment {:+.1f} %, largest competitive gain {} ({:+.0f} jobs)",
                                plan.years.back(), *plan.base.back(), 100.0 * last_growth, best_region, best_competitive);
  (void)ctx;
  return res;
}

}  // namespace

void register_specialize(Registry& r) {
  r.add(make_operation<SpecializeOptions>(
      "specialize", "location quotients, specialisation indices, and on panels LQ change and shift-share",
      "Location quotient LQ_ri = (E_ri/E_r)/(E_i/E) (relative to total, traded or local employment), "
      "region shares E_ri/E_r and industry shares E_ri/E_i; per region Hoover and Krugman "
      "specialisation, a Lorenz-curve Gini and diversity (#industries with LQ ≥ 1); per industry "
      "ubiquity (#regions with LQ ≥ 1), locational Gini and Hoover localisation. Regions without "
      "employment and industries present nowhere are excluded and named in a warning. On a panel (a year "
      "column) every year is computed and compared with the previous one, or --to with --from: the LQ change "
      "and the shift-share decomposition of each cell's employment change into national growth, industry mix "
      "and competitive (regional share) effects after Dunn (1960), the competitive effect split into "
      "homothetic and allocation effects after Esteban-Marquillas (1972); per region in shift_share_regions. "
      "See docs/methods/specialisation.md.",
      {"agglo specialize --employment data/sample/panel_tiny.csv --year 2019 --summary regions,industries -o out/",
       "agglo specialize --employment data/sample/panel_tiny.csv --year 2019 --industries data/sample/panel_tiny_industries.csv "
       "--denominator traded -o lq.csv",
       "agglo specialize --employment data/sample/panel_tiny.csv -o panel.csv",
       "agglo specialize --employment data/sample/panel_tiny.csv --from 2019 --to 2024 -o shift.csv"},
      "region,industry,employment,lq,region_share,industry_share (+ year on a panel; + from_year,employment_from,lq_from,"
      "lq_change,employment_change,national_effect,mix_effect,competitive_effect,homothetic_effect,allocation_effect "
      "when years are compared); with --summary, side tables regions (region,employment,hoover,krugman,gini,diversity) and "
      "industries (industry,employment,ubiquity,gini,hoover); when years are compared, shift_share_regions (the "
      "components summed per region, entry_effect for industries new to the region)",
      &run_specialize));
}

}  // namespace agglo::api
