// Spatial commands — `agglo colocation`: prevalent co-location patterns of industries (Huang,
// Shekhar & Xiong 2004), at city scale and, with --by, within each sub-region as Liu et al.
// (2021) did for Dongguan. Algorithm and definitions in include/agglo/spatial/colocation.hpp
// and docs/methods/spatial-colocation.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/progress.hpp"
#include "agglo/spatial/colocation.hpp"

namespace agglo::api {

namespace {

// The scope label of the whole study area in the region column.
constexpr const char* kAll = "*";

struct ColocationOptions {
  std::string establishments;
  double distance = 0;
  double min_prevalence = 0;
  std::int64_t min_support = 3;
  std::optional<std::int64_t> max_size;
  std::vector<std::string> industries;
  std::string by;
  std::string crs;

  static void describe(core::OptionSchema<ColocationOptions>& s) {
    s.add("establishments", &ColocationOptions::establishments, "establishments CSV with id,industry and lon,lat or x,y").path().required();
    s.add("distance", &ColocationOptions::distance, "neighbour distance D: two establishments are neighbours when d ≤ D; km (great circle) for lon,lat, the coordinates' unit for x,y").required();
    s.add("min-prevalence", &ColocationOptions::min_prevalence, "minimum participation index θ in (0, 1]: a pattern is reported when every industry in it has at least this share of its establishments in the pattern's row instances").required();
    s.add("min-support", &ColocationOptions::min_support,
          "minimum number of establishments each industry of a pattern must contribute (so at least this many row "
          "instances); 3 (default) drops patterns resting on one or two chance co-locations, 1 = Huang et al.'s plain "
          "definition")
        .min(1);
    s.add("max-size", &ColocationOptions::max_size, "largest pattern size (≥ 2); default: no limit (until no candidate is left)");
    s.add("industries", &ColocationOptions::industries, "mine only these industry codes (comma-separated, at least two)");
    s.add("by", &ColocationOptions::by, "also mine within each value of this column (e.g. region), neighbours counted inside the sub-region only; the whole area is the scope '*'");
    s.add("crs", &ColocationOptions::crs, "CRS of x,y coordinates (checked when given)");
  }
  void validate() const {
    if (!(distance > 0) || !std::isfinite(distance))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--distance must be > 0 (got {})", distance),
                  "the neighbour distance is in km for lon,lat points and in the coordinates' unit for x,y");
    if (!(min_prevalence > 0 && min_prevalence <= 1))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--min-prevalence must be in (0, 1] (got {})", min_prevalence),
                  "the participation index is a share: 0.3 keeps patterns in which at least 30 % of every "
                  "industry's establishments take part");
    if (max_size && *max_size < 2)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--max-size must be ≥ 2 (got {})", *max_size),
                  "a co-location pattern has at least two industries");
    if (!industries.empty()) {
      std::set<std::string> distinct(industries.begin(), industries.end());
      if (distinct.size() < 2)
        throw_usage(ErrorCode::invalid_option_value,
                    fmt::format("--industries must name at least two industries (got {})", distinct.size()),
                    "a co-location pattern has at least two industries");
    }
  }
};

// One scope's mining: the points (indices into the selection) and the result.
struct Scope {
  std::string name;
  std::vector<std::uint32_t> points;
  spatial::ColocationResult result;
};

Result run_colocation(const ColocationOptions& o, Context& ctx) {
  auto e = io::load_establishments(o.establishments, o.crs);
  const std::string file = o.establishments;

  // ---- selection and feature ids (ordered by industry code, so patterns sort by code) -------
  std::vector<std::uint32_t> wanted;  // industry-code ids kept
  if (o.industries.empty()) {
    for (std::uint32_t c = 0; c < e.industry_codes.size(); ++c) wanted.push_back(c);
  } else {
    std::set<std::string> seen;
    for (const auto& code : o.industries) {
      if (!seen.insert(code).second) continue;
      const auto id = e.industry_codes.find(code);
      if (!id)
        throw_input(ErrorCode::unknown_reference, fmt::format("industry '{}' of --industries has no establishments", code),
                    Location{file, 0, 0, "industry"}, "check the code against the industry column");
      wanted.push_back(*id);
    }
  }
  std::vector<std::pair<std::string, std::uint32_t>> by_code;
  for (auto c : wanted) by_code.emplace_back(std::string(e.industry_codes.name(c)), c);
  std::sort(by_code.begin(), by_code.end());
  std::vector<std::int64_t> feature_of_code(e.industry_codes.size(), -1);
  std::vector<std::string> feature_name;
  for (const auto& [name, c] : by_code) {
    feature_of_code[c] = static_cast<std::int64_t>(feature_name.size());
    feature_name.push_back(name);
  }
  const auto F = static_cast<std::uint32_t>(feature_name.size());
  if (F < 2)
    throw_input(ErrorCode::invalid_value,
                fmt::format("co-location needs establishments of at least two industries; the file has {}", F),
                Location{file, 0, 0, "industry"}, "");
  std::vector<std::uint32_t> sel;  // indices into e
  std::vector<double> x, y;
  std::vector<std::uint32_t> feature;
  for (std::size_t i = 0; i < e.size(); ++i) {
    const auto f = feature_of_code[e.industry[i]];
    if (f < 0) continue;
    sel.push_back(static_cast<std::uint32_t>(i));
    x.push_back(e.x[i]);
    y.push_back(e.y[i]);
    feature.push_back(static_cast<std::uint32_t>(f));
  }

  // ---- sub-regions (--by) -------------------------------------------------------------------
  std::vector<std::string> group_name;   // per group id
  std::vector<std::int64_t> group_of;    // per selected point, −1 = none
  std::size_t ungrouped = 0;
  if (!o.by.empty()) {
    std::vector<std::uint32_t> codes;
    const core::Interner* dict = nullptr;
    io::LoadedTable t;
    if (o.by == "region") {
      if (e.region.empty())
        throw_input(ErrorCode::missing_column, "--by region needs a region column", Location{file, 1, 0, "region"},
                    "add the column or drop --by");
      codes = e.region;
      dict = &e.region_codes;
    } else {
      io::ColumnSpec c;
      c.name = o.by;
      c.kind = io::ColumnKind::code;
      c.allow_empty = true;
      c.meaning = "a sub-region code";
      const io::TableSpec spec{"establishments", {c}, {}};
      t = io::read_table(file, spec);
      if (t.rows != e.size())
        throw_input(ErrorCode::invalid_value, fmt::format("--by {}: read {} rows, expected {}", o.by, t.rows, e.size()),
                    Location{file, 0, 0, o.by});
      codes = t.col(o.by).codes;
      dict = &t.col(o.by).dictionary;
    }
    std::map<std::string, std::int64_t> gid;
    for (auto i : sel) {
      const std::string name(dict->name(codes[i]));
      if (!name.empty()) gid.emplace(name, 0);
    }
    for (auto& [name, g] : gid) {
      g = static_cast<std::int64_t>(group_name.size());
      group_name.push_back(name);
    }
    group_of.resize(sel.size());
    for (std::size_t k = 0; k < sel.size(); ++k) {
      const std::string name(dict->name(codes[sel[k]]));
      group_of[k] = name.empty() ? -1 : gid[name];
      ungrouped += name.empty();
    }
  }

  // ---- neighbour pairs once, then mining per scope ---------------------------------------------
  const auto pairs = spatial::colocation_pairs(x, y, feature, o.distance, e.crs.geographic);
  parallel::check_cancelled();
  spatial::ColocationParams p;
  p.min_prevalence = o.min_prevalence;
  p.min_support = static_cast<std::size_t>(o.min_support);
  p.max_size = o.max_size ? static_cast<std::size_t>(*o.max_size) : 0;
  p.progress = !ctx.quiet;  // the bar itself follows --progress (drawn only on a terminal by default)

  std::vector<Scope> scopes;
  Scope all;
  all.name = kAll;
  all.result = spatial::mine_colocations(feature, F, pairs, p);
  scopes.push_back(std::move(all));
  if (!group_name.empty()) {
    const std::size_t G = group_name.size();
    std::vector<Scope> sub(G);
    std::vector<std::uint32_t> local(sel.size());
    for (std::size_t k = 0; k < sel.size(); ++k)
      if (group_of[k] >= 0) {
        auto& s = sub[static_cast<std::size_t>(group_of[k])];
        local[k] = static_cast<std::uint32_t>(s.points.size());
        s.points.push_back(static_cast<std::uint32_t>(k));
      }
    std::vector<std::vector<spatial::NeighbourPair>> sub_pairs(G);
    for (const auto& [i, j] : pairs)
      if (group_of[i] >= 0 && group_of[i] == group_of[j])
        sub_pairs[static_cast<std::size_t>(group_of[i])].emplace_back(local[i], local[j]);
    parallel::Progress bar("co-location patterns per " + o.by, G, "sub-regions");
    spatial::ColocationParams ps = p;
    ps.progress = false;
    for (std::size_t g = 0; g < G; ++g) {
      std::vector<std::uint32_t> fs;
      for (auto k : sub[g].points) fs.push_back(feature[k]);
      sub[g].name = group_name[g];
      sub[g].result = spatial::mine_colocations(fs, F, sub_pairs[g], ps);
      sub_pairs[g] = {};
      bar.advance();
      parallel::check_cancelled();
    }
    for (auto& s : sub) scopes.push_back(std::move(s));
  }

  // ---- tables --------------------------------------------------------------------------------
  auto pattern_name = [&](const std::vector<std::uint32_t>& fs) {
    std::string s;
    for (auto f : fs) s += (s.empty() ? "" : "+") + feature_name[f];
    return s;
  };
  std::set<std::string> city_patterns;
  for (const auto& pat : scopes[0].result.patterns) city_patterns.insert(pattern_name(pat.features));
  const bool by = !group_name.empty();

  data::Table t;
  auto& tp = t.add_text("pattern");
  auto& ts = t.add_integer("size");
  auto& tpi = t.add_real("participation_index");
  data::TextColumn* treg = by ? &t.add_text(o.by) : nullptr;
  auto& tlim = t.add_text("limiting_industry");
  data::IntColumn* tcity = by ? &t.add_integer("prevalent_citywide") : nullptr;
  data::Table pt;
  data::TextColumn* preg = by ? &pt.add_text(o.by) : nullptr;
  auto& pp = pt.add_text("pattern");
  auto& pi = pt.add_text("industry");
  auto& pn = pt.add_integer("establishments");
  auto& pk = pt.add_integer("participating");
  auto& pr = pt.add_real("participation_ratio");
  data::Table it;
  data::TextColumn* ireg = by ? &it.add_text(o.by) : nullptr;
  auto& ii = it.add_text("industry");
  auto& in = it.add_integer("establishments");

  nlohmann::ordered_json scope_json = nlohmann::ordered_json::array();
  std::size_t sub_total = 0, sub_not_city = 0;
  for (std::size_t si = 0; si < scopes.size(); ++si) {
    const auto& sc = scopes[si];
    // Rows by size, then participation index (descending), then pattern name.
    std::vector<std::size_t> order(sc.result.patterns.size());
    for (std::size_t q = 0; q < order.size(); ++q) order[q] = q;
    std::vector<std::string> names;
    for (const auto& pat : sc.result.patterns) names.push_back(pattern_name(pat.features));
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const auto& A = sc.result.patterns[a];
      const auto& B = sc.result.patterns[b];
      if (A.features.size() != B.features.size()) return A.features.size() < B.features.size();
      if (A.participation_index != B.participation_index) return A.participation_index > B.participation_index;
      return names[a] < names[b];
    });
    for (auto q : order) {
      const auto& pat = sc.result.patterns[q];
      tp.push_back(names[q]);
      ts.push_back(static_cast<std::int64_t>(pat.features.size()));
      tpi.push_back(pat.participation_index);
      if (treg) treg->push_back(sc.name);
      std::size_t lim = 0;  // the industry attaining the minimum ratio (first in pattern order)
      for (std::size_t a = 1; a < pat.features.size(); ++a)
        if (pat.participation_ratio[a] < pat.participation_ratio[lim]) lim = a;
      tlim.push_back(feature_name[pat.features[lim]]);
      if (tcity) {
        const bool in_city = city_patterns.count(names[q]) > 0;
        tcity->push_back(in_city ? 1 : 0);
        if (si > 0) ++sub_total, sub_not_city += !in_city;
      }
      for (std::size_t a = 0; a < pat.features.size(); ++a) {
        if (preg) preg->push_back(sc.name);
        pp.push_back(names[q]);
        pi.push_back(feature_name[pat.features[a]]);
        pn.push_back(sc.result.instances[pat.features[a]]);
        pk.push_back(pat.participating[a]);
        pr.push_back(pat.participation_ratio[a]);
      }
    }
    std::size_t present = 0;
    for (std::uint32_t f = 0; f < F; ++f) {
      if (sc.result.instances[f] == 0) continue;
      ++present;
      if (ireg) ireg->push_back(sc.name);
      ii.push_back(feature_name[f]);
      in.push_back(sc.result.instances[f]);
    }
    nlohmann::ordered_json levels = nlohmann::ordered_json::array();
    for (const auto& lv : sc.result.levels)
      levels.push_back({{"size", lv.size}, {"candidates", lv.candidates}, {"pruned_by_bound", lv.pruned},
                        {"below_min_support", lv.low_support}, {"prevalent", lv.prevalent}});
    std::size_t n = 0;
    for (auto c : sc.result.instances) n += c;
    scope_json.push_back({{"scope", sc.name}, {"establishments", n}, {"industries", present},
                          {"neighbour_pairs", sc.result.neighbour_pairs}, {"patterns", sc.result.patterns.size()},
                          {"levels", levels}});
  }

  Result res;
  std::size_t low_support = 0;
  for (const auto& lv : scopes[0].result.levels) low_support += lv.low_support;
  if (low_support > 0)
    res.warnings.push_back(fmt::format(
        "{} pattern{} with participation index >= {} dropped: an industry takes part with fewer than --min-support {} "
        "establishments (a pattern seen at one or two places is a coincidence, not a cluster; --min-support 1 keeps them)",
        low_support, low_support == 1 ? "" : "s", o.min_prevalence, o.min_support));
  if (scopes[0].result.patterns.empty())
    res.warnings.push_back(fmt::format("no prevalent pattern in the whole area at distance {} and min-prevalence {}", o.distance,
                                       o.min_prevalence));
  if (by && ungrouped > 0)
    res.warnings.push_back(fmt::format("{} establishments have an empty {} and are only in the whole-area scope", ungrouped, o.by));
  res.tables.emplace_back("colocation", std::move(t));
  res.tables.emplace_back("participation", std::move(pt));
  res.tables.emplace_back("industries", std::move(it));
  nlohmann::ordered_json s{{"establishments", sel.size()},
                           {"industries", F},
                           {"distance", o.distance},
                           {"distance_units", e.crs.distance_unit()},
                           {"min_prevalence", o.min_prevalence},
                           {"min_support", o.min_support},
                           {"patterns_below_min_support", low_support},
                           {"max_size", o.max_size ? nlohmann::ordered_json(*o.max_size) : nlohmann::ordered_json()},
                           {"neighbour_pairs", scopes[0].result.neighbour_pairs},
                           {"patterns", scopes[0].result.patterns.size()}};
  if (by) {
    s["by"] = o.by;
    s["subregions"] = group_name.size();
    s["subregion_patterns"] = sub_total;
    s["subregion_patterns_not_citywide"] = sub_not_city;
    s["share_not_citywide"] = sub_total ? nlohmann::ordered_json(static_cast<double>(sub_not_city) / static_cast<double>(sub_total))
                                        : nlohmann::ordered_json();
  }
  s["scopes"] = scope_json;
  s["warnings"] = res.warnings;
  res.summary_json = s.dump(1);
  {
    std::size_t largest = 0;
    for (const auto& pat : scopes[0].result.patterns) largest = std::max(largest, pat.features.size());
    res.headline = fmt::format("{} prevalent co-location pattern{} of {} industries within {} {} (PI >= {}{}){}{}",
                               scopes[0].result.patterns.size(), scopes[0].result.patterns.size() == 1 ? "" : "s", F, o.distance,
                               (e.crs.geographic ? std::string("km") : e.crs.distance_unit()), o.min_prevalence,
                               largest > 0 ? fmt::format(", largest of size {}", largest) : "",
                               low_support > 0 ? fmt::format("; {} below --min-support {} dropped", low_support, o.min_support) : "",
                               by ? fmt::format("; {} patterns in {} sub-regions", sub_total, group_name.size()) : "");
  }
  return res;
}

}  // namespace

void register_colocation(Registry& r) {
  r.add(make_operation<ColocationOptions>(
      "colocation", "prevalent co-location patterns of industries (Huang, Shekhar & Xiong 2004)",
      "Finds sets of industries whose establishments are found near each other (Huang, Shekhar "
      "& Xiong 2004; applied to industry clusters by Liu et al. 2021). Two establishments of "
      "different industries are neighbours when their distance is at most --distance (km, great "
      "circle, for lon,lat; the file's unit for x,y). A row instance of a pattern is a set of "
      "pairwise-neighbour establishments, one per industry of the pattern. The participation "
      "ratio of an industry is the share of its establishments that belong to at least one row "
      "instance, and the participation index (PI) of the pattern is the smallest ratio. Patterns "
      "with PI >= --min-prevalence are reported, from size 2 up to --max-size; PI never grows "
      "when an industry is added, so larger candidates come only from prevalent smaller ones "
      "(Apriori). Each candidate is decided by searching one clique per establishment, never "
      "by listing all row instances. With --by region, patterns are also mined inside each "
      "sub-region (neighbours inside it only), as Liu et al. compared city and sub-regional "
      "patterns in Dongguan; the whole area is the scope '*'. Patterns in which an industry takes part with fewer than "
      "--min-support establishments (default 3) are dropped with a warning. The examples run on `agglo synth --preset "
      "tiny --seed 7 -o tiny/` (its automotive cluster 3361xx–3363xx is planted around hub counties). See "
      "docs/methods/spatial-colocation.md.",
      {"agglo colocation --establishments tiny/establishments.csv --distance 2 --min-prevalence 0.3 -o patterns.csv",
       "agglo colocation --establishments tiny/establishments.csv --distance 2 --min-prevalence 0.3 --max-size 3 --by region -o out/",
       "agglo colocation --establishments tiny/establishments.csv --distance 5 --min-prevalence 0.3 --industries 336111,336322,336311,336360 -o p.csv"},
      "pattern,size,participation_index[,<by>],limiting_industry[,prevalent_citywide] (one row per prevalent "
      "pattern; pattern = industry codes joined by '+', sorted) + participation side table ([<by>,]pattern,"
      "industry,establishments,participating,participation_ratio) + industries side table + summary",
      &run_colocation));
}

}  // namespace agglo::api
