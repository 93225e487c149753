// What `agglo complexity` and `agglo opportunities` read and decide before analysing: the
// option mapping, the population, the Atlas country sample and its floors (see
// include/agglo/complexity/sample.hpp and docs/methods/complexity.md, "Which locations").
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include "complexity_settings.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/synth/synthetic_economy.hpp"

namespace agglo::api::complexity_ops {

namespace fs = std::filesystem;

namespace {

// The bundled world trade file (data/reference): its values are averages of bilateral rows,
// not total exports (data/README.md), which agglo knows by its name.
constexpr const char* kBundledExports = "world_exports_sitc4_avg_1998_2000.csv";
constexpr const char* kBundledPopulation = "world_population_1998_2000.csv";

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// The bundled population: next to the exports file (a copied pair of files keeps working),
// else in the data directory.
std::string find_bundled_population(const std::string& exports_path) {
  std::error_code ec;
  const auto beside = fs::path(exports_path).parent_path() / kBundledPopulation;
  if (fs::is_regular_file(beside, ec)) return beside.string();
  const auto bundled = fs::path(synth::default_data_dir()) / "reference" / kBundledPopulation;
  if (fs::is_regular_file(bundled, ec)) return bundled.string();
  return "";
}

std::string grouped(double v) {
  if (!(std::fabs(v) < 1e18) || v != std::floor(v)) return fmt::format("{}", v);
  std::string digits = fmt::format("{}", static_cast<long long>(v)), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

// The locations with a positive total in some year: the ones a floor can leave out.
std::vector<bool> exporting(const Setup& s) {
  std::vector<bool> any(s.locations.size(), false);
  for (const auto& row : s.totals)
    for (std::size_t c = 0; c < row.size(); ++c) any[c] = any[c] || row[c] > 0;
  return any;
}

// The mean of the location totals of the file's years in [y − 2, y] (a missing year of a
// location counts 0: it exported nothing that year). Without years, the one total.
std::vector<double> three_year_mean(const Setup& s, std::optional<int> year) {
  if (s.years.empty() || !year) return s.totals.front();
  std::vector<double> mean(s.locations.size(), 0.0);
  int n = 0;
  for (std::size_t yi = 0; yi < s.years.size(); ++yi)
    if (s.years[yi] <= *year && s.years[yi] >= *year - 2) {
      ++n;
      for (std::size_t c = 0; c < mean.size(); ++c) mean[c] += s.totals[yi][c];
    }
  for (auto& v : mean) v = n ? v / n : 0.0;
  return mean;
}

}  // namespace

std::optional<std::size_t> find_location(const std::vector<std::string>& locations, const std::string& code) {
  for (std::size_t c = 0; c < locations.size(); ++c)
    if (locations[c] == code) return c;
  std::optional<std::size_t> found;
  const auto want = lower(code);
  for (std::size_t c = 0; c < locations.size(); ++c)
    if (lower(locations[c]) == want) {
      if (found) return std::nullopt;  // "COL" and "col" both present: ambiguous
      found = c;
    }
  return found;
}

std::vector<double> load_location_values(const std::string& path, const std::vector<std::string>& locations,
                                         const char* what, std::vector<std::string>& warnings, bool quiet_extra) {
  auto column = [](const char* name, io::ColumnKind kind, bool required) {
    io::ColumnSpec c;
    c.name = name;
    c.kind = kind;
    c.required = required;
    return c;
  };
  io::ColumnSpec country = column("country", io::ColumnKind::code, false);
  io::ColumnSpec location = column("location", io::ColumnKind::code, false);
  io::ColumnSpec value = column("value", io::ColumnKind::real, true);
  value.non_negative = true;
  value.allow_empty = true;
  value.meaning = std::string(what) + " ≥ 0";
  const io::TableSpec spec{what, {country, location, value}, {}};
  const auto t = io::read_table(path, spec);
  if (!t.has("country") && !t.has("location"))
    throw_input(ErrorCode::missing_column, fmt::format("{} has neither a country nor a location column", path),
                Location{path, 1, 0, ""}, fmt::format("the {} file needs country,value (or location,value)", what));
  const auto& key = t.has("country") ? t.col("country") : t.col("location");
  const auto& v = t.col("value");
  std::unordered_map<std::string, double> by_code;
  std::unordered_map<std::string, int> lower_count;
  std::unordered_map<std::string, double> by_lower;
  for (std::size_t i = 0; i < t.rows; ++i) {
    const std::string code(key.dictionary.name(key.codes[i]));
    by_code[code] = v.reals[i];
    const auto lc = lower(code);
    by_lower[lc] = v.reals[i];
    ++lower_count[lc];
  }
  std::vector<double> values(locations.size(), std::nan(""));
  std::size_t matched = 0;
  for (std::size_t c = 0; c < locations.size(); ++c) {
    if (auto it = by_code.find(locations[c]); it != by_code.end()) {
      values[c] = it->second, ++matched;
    } else if (auto lc = lower(locations[c]); lower_count.count(lc) && lower_count[lc] == 1) {
      values[c] = by_lower[lc], ++matched;  // "USA" in the file, "usa" in the exports
    }
  }
  if (matched == 0)
    throw_input(ErrorCode::unknown_reference,
                fmt::format("no location of the exports file is in {}", path), Location{path, 0, 0, key.spec.name},
                fmt::format("the {} file's country (or location) codes must be the exports file's location codes", what));
  if (matched < by_code.size() && !quiet_extra)
    warnings.push_back(fmt::format("{} row(s) of {} name locations absent from the exports file and are ignored",
                                   by_code.size() - matched, path));
  return values;
}

std::vector<std::optional<int>> years_to_run(const data::Panel& panel, const std::optional<std::int64_t>& year,
                                             const std::string& file) {
  if (!panel.has_years()) return {std::nullopt};
  const auto ys = complexity::panel_years(panel);
  if (year) {
    if (std::find(ys.begin(), ys.end(), static_cast<int>(*year)) == ys.end())
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("--year {} is not in {} (years {}…{})", *year, file, ys.front(), ys.back()));
    return {static_cast<int>(*year)};
  }
  return {ys.begin(), ys.end()};
}

Setup setup(const ComplexitySettings& st, const std::string& exports_path, const data::Panel& panel,
            std::int64_t reflections_iterations, std::int64_t fitness_iterations, std::vector<std::string>& warnings) {
  Setup s;
  for (std::uint32_t r = 0; r < panel.rows.size(); ++r) s.locations.emplace_back(panel.rows.name(r));
  for (std::uint32_t c = 0; c < panel.cols.size(); ++c) s.products.emplace_back(panel.cols.name(c));
  const std::size_t L = s.locations.size();

  // ---- analysis options ----
  auto& a = s.options;
  a.rca.threshold = st.threshold;
  a.rca.strict = st.strict;
  a.rca.min_location_total = st.min_total;
  a.rca.rpop_threshold = st.rpop_threshold;
  a.rca.test = st.presence == "rpop"     ? complexity::PresenceTest::rpop
               : st.presence == "either" ? complexity::PresenceTest::either
                                         : complexity::PresenceTest::rca;
  a.method = st.method == "reflections" ? complexity::Method::reflections
             : st.method == "fitness"   ? complexity::Method::fitness
                                        : complexity::Method::eigenvector;
  a.normalisation = st.normalisation == "own"      ? complexity::Normalisation::own
                    : st.normalisation == "sample" ? complexity::Normalisation::sample
                    : st.normalisation == "none"   ? complexity::Normalisation::none
                                                   : complexity::Normalisation::atlas;
  a.proximity = complexity::proximity_measure_from(st.proximity);
  a.convention = st.cog_convention == "agglo" ? complexity::OutlookConvention::agglo
                                              : complexity::OutlookConvention::ecomplexity;
  a.density_self_term = st.density_self_term;
  if (st.density_self_term && a.convention == complexity::OutlookConvention::ecomplexity)
    warnings.push_back("--density-self-term changes nothing with --cog-convention ecomplexity (φ_pp = 1 already)");
  a.reflections_iterations = static_cast<int>(reflections_iterations);
  a.fitness_iterations = static_cast<int>(fitness_iterations);

  // ---- names; are the locations countries? ----
  const auto loc_names = location_names(s.locations);
  s.countries = L > 0 && loc_names.matched * 10 >= L * 9;
  {
    s.location_names = loc_names;
    s.product_names = product_names(s.products);
  }

  // ---- totals per year (the export floor's averages, the floors' "is it sensible" test) ----
  if (panel.has_years()) s.years = complexity::panel_years(panel);
  s.totals.assign(std::max<std::size_t>(1, s.years.size()), std::vector<double>(L, 0.0));
  {
    std::unordered_map<int, std::size_t> slot;
    for (std::size_t i = 0; i < s.years.size(); ++i) slot.emplace(s.years[i], i);
    for (std::size_t k = 0; k < panel.size(); ++k) {
      const double v = panel.value[k];
      if (!std::isfinite(v)) continue;
      const std::size_t yi = s.years.empty() ? 0 : slot.at(panel.year[k]);
      s.totals[yi][panel.row[k]] += v;
    }
  }
  const auto active = exporting(s);
  std::size_t n_active = 0;
  for (bool b : active) n_active += b;

  // ---- population: explicit, or the bundled default for countries ----
  const bool per_capita = a.rca.test != complexity::PresenceTest::rca;
  if (per_capita && st.population.empty())
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--presence {} needs --population FILE", st.presence),
                "per-capita RCA divides each location's value by its population");
  const bool pop_explicit = st.min_population.has_value();
  const double pop_floor = st.min_population.value_or(s.countries ? kAtlasMinPopulation : 0.0);
  if (!st.population.empty()) {
    s.population = load_location_values(st.population, s.locations, "population", warnings);
    s.population_source = st.population;
  } else if (pop_floor > 0 && s.countries) {
    if (const auto bundled = find_bundled_population(exports_path); !bundled.empty()) {
      s.population = load_location_values(bundled, s.locations, "population", warnings, /*quiet_extra=*/true);
      s.population_source = bundled;
      s.population_is_default = true;
      if (fs::path(exports_path).filename() != kBundledExports)
        warnings.push_back(fmt::format("the population floor uses the bundled World Bank population of 1998–2000 "
                                       "({}); give --population FILE for the years of {}",
                                       bundled, exports_path));
    }
  }
  if (per_capita) a.rca.population = s.population;

  s.left_out_population.assign(L, false);
  if (pop_floor > 0) {
    if (s.population.empty()) {
      if (pop_explicit)
        throw_usage(ErrorCode::invalid_option_value, "--min-population needs a population",
                    "give --population FILE (location,value in persons)");
      s.population_note = "no population found (the bundled world population is missing): no population floor";
      warnings.push_back("the Atlas population floor is not applied: " + s.population_note);
    } else {
      const auto sample = complexity::country_sample(s.locations, s.population, {}, {pop_floor, 0.0},
                                                     s.population_source);
      std::size_t out = 0;
      for (std::size_t c = 0; c < L; ++c) out += active[c] && sample.reason[c] != complexity::SampleReason::kept;
      // A default floor that would remove most locations says the file is not what the Atlas
      // rule was made for (populations in thousands or millions, a few regions): not applied.
      if (!pop_explicit && out * 2 > n_active) {
        s.population_note = fmt::format("not applied: the default floor of {} would leave out {} of {} locations "
                                        "(populations in other units?); give --min-population to apply a floor",
                                        grouped(pop_floor), out, n_active);
        warnings.push_back("the Atlas population floor is " + s.population_note);
      } else {
        s.rule.min_population = pop_floor;
        s.left_out_population = sample.left_out();
        for (const auto& w : sample.warnings) warnings.push_back(w);
        s.population_note = fmt::format("{} people (population from {}{})", grouped(pop_floor), s.population_source,
                                        s.population_is_default ? ", bundled default" : "");
      }
    }
  } else {
    s.population_note = pop_explicit ? "off (--min-population 0)"
                                     : "off: the locations are not countries (ISO 3166 alpha-3 codes), so the Atlas "
                                       "country rule does not apply; give --min-population to set a floor";
  }

  // ---- values: total exports or relative; the export floor ----
  const bool exp_explicit = st.min_exports.has_value();
  const bool bundled_file = fs::path(exports_path).filename() == kBundledExports;
  if (st.values == "total" || st.values == "relative") {
    s.values = st.values;
  } else {
    s.values = bundled_file ? "relative" : "total";
  }
  double exp_floor = st.min_exports.value_or(s.countries && s.values == "total" ? kAtlasMinExports : 0.0);
  if (exp_explicit) {
    s.rule.min_exports = exp_floor;
    s.exports_note = exp_floor > 0 ? fmt::format("{} (--min-exports, in the values' unit)", grouped(exp_floor))
                                   : "off (--min-exports 0)";
    if (exp_floor > 0 && s.values == "relative")
      warnings.push_back("--min-exports applies to relative values as given (they are not total exports)");
  } else if (s.values == "relative") {
    s.exports_note =
        bundled_file
            ? "off: the values of the bundled world trade file are not total exports (averages of bilateral rows; "
              "country totals are about 1/110 of national exports, see data/README.md), so the Atlas floor of "
              "US$1 billion cannot be applied to them"
            : "off: --values relative (the values are not total exports)";
    if (s.countries) warnings.push_back("the Atlas export floor is " + s.exports_note);
  } else if (exp_floor <= 0) {
    s.exports_note = "off: the locations are not countries, so the Atlas country rule does not apply";
  } else {
    // The default floor on "auto" values: applied unless it would leave out most of the
    // locations still in (then the values are evidently not US$ totals: thousands of dollars,
    // shares, a small extract). With --values total it is applied regardless.
    std::size_t worst = 0, among = 0;
    for (std::size_t yi = 0; yi < s.totals.size(); ++yi) {
      const auto mean = three_year_mean(s, s.years.empty() ? std::nullopt : std::optional<int>(s.years[yi]));
      std::size_t out = 0, in = 0;
      for (std::size_t c = 0; c < L; ++c)
        if (!s.left_out_population[c] && mean[c] > 0) ++in, out += mean[c] < exp_floor;
      if (out * 2 > in && out > worst) worst = out, among = in;
    }
    if (worst > 0 && st.values == "auto") {
      s.values = "relative";
      s.exports_note = fmt::format("off: the default floor of US${} would leave out {} of {} countries, so the "
                                   "values are taken as relative, not total US$ exports; give --values total "
                                   "(or --min-exports in the values' unit) to apply a floor",
                                   grouped(exp_floor), worst, among);
      warnings.push_back("the Atlas export floor is " + s.exports_note);
    } else {
      s.rule.min_exports = exp_floor;
      s.exports_note = fmt::format("US${} (a panel: mean of the year and the two before)", grouped(exp_floor));
    }
  }
  return s;
}

std::vector<std::string> sample_for_year(const Setup& s, std::optional<int> year, complexity::AnalysisOptions& options) {
  std::vector<bool> left = s.left_out_population;
  std::vector<std::string> warnings;
  if (s.rule.min_exports > 0) {
    auto mean = three_year_mean(s, year);
    for (std::size_t c = 0; c < mean.size(); ++c)
      if (left[c]) mean[c] = 0;  // already out (and named) by the population floor
    const auto e = complexity::country_sample(s.locations, {}, mean, {0.0, s.rule.min_exports});
    for (std::size_t c = 0; c < left.size(); ++c) left[c] = left[c] || e.reason[c] != complexity::SampleReason::kept;
    warnings = e.warnings;
  }
  options.rca.left_out = std::move(left);
  return warnings;
}

nlohmann::ordered_json Setup::sample_json() const {
  auto names_of = [&](const std::vector<bool>& flags) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (std::size_t c = 0; c < flags.size(); ++c)
      if (flags[c]) a.push_back(locations[c]);
    return a;
  };
  return {{"rule", "Atlas of Economic Complexity (Hausmann, Hidalgo et al. 2014; Growth Lab rankings): "
                   "population >= 1 million, exports >= US$1 billion"},
          {"countries", countries},
          {"values", values},
          {"min_population", rule.min_population},
          {"population", population_note},
          {"min_exports", rule.min_exports},
          {"exports", exports_note},
          {"left_out_by_population", names_of(left_out_population)}};
}

}  // namespace agglo::api::complexity_ops
