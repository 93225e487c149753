// Private to the complexity commands (`agglo complexity`, `agglo opportunities`): the options
// both take, described once, and the helpers both call (defined in complexity_setup.cpp and
// complexity_names.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agglo/complexity/complexity.hpp"
#include "agglo/complexity/sample.hpp"
#include "agglo/core/options.hpp"
#include "agglo/data/economy.hpp"

namespace agglo::api::complexity_ops {

// The Atlas of Economic Complexity's country floors (Hausmann, Hidalgo et al. 2014; the Growth
// Lab's rankings use these values): the defaults of --min-population and --min-exports.
inline constexpr double kAtlasMinPopulation = 1e6;
inline constexpr double kAtlasMinExports = 1e9;

// How presence, the country sample, complexity, proximity and density are computed; the same
// for both commands.
struct ComplexitySettings {
  double threshold = 1.0;
  bool strict = false;
  double min_total = 0.0;
  std::optional<double> min_population;  // unset: the Atlas default for countries (see setup())
  std::optional<double> min_exports;     // unset: likewise, for total values only
  std::string values = "auto";
  std::string method = "eigenvector";
  std::string normalisation = "atlas";
  std::string proximity = "min-conditional";
  std::string cog_convention = "ecomplexity";
  bool density_self_term = false;
  std::string duplicates = "reject";
  std::string presence = "rca";
  std::string population;
  double rpop_threshold = 1.0;
  std::string names = "auto";
};

// Adds the ComplexitySettings options to the schema of an Options struct derived from it.
// `method_doc` says what --method drives in that command.
template <class T>
void describe_settings(core::OptionSchema<T>& s, const char* method_doc) {
  using S = ComplexitySettings;
  s.add("threshold", static_cast<double T::*>(&S::threshold), "RCA threshold of presence: M = RCA ≥ threshold").min(0);
  s.add("min-population", static_cast<std::optional<double> T::*>(&S::min_population),
        "leave locations with a population below this (or none known) out of the calculation, as the Atlas of "
        "Economic Complexity does (Hausmann, Hidalgo et al. 2014); default 1000000 when the locations are "
        "countries (ISO 3166 alpha-3 codes), else no floor; 0 = keep every location")
      .min(0);
  s.add("min-exports", static_cast<std::optional<double> T::*>(&S::min_exports),
        "leave out locations whose total exports (a panel: mean of the year and the two before) are below this, "
        "in the values' unit; default 1e9 (US$1 billion, the Atlas rule) for countries when --values is total; "
        "0 = no export floor")
      .min(0);
  s.add("values", static_cast<std::string T::*>(&S::values),
        "what the values are: total (each location's full exports, US$: the export floor applies), relative "
        "(comparable within the file only, e.g. the bundled world trade file, whose totals are about 1/110 of "
        "national exports: no export floor) or auto (relative for the bundled file and when the floor would "
        "leave out most countries, else total)")
      .choices({"auto", "total", "relative"});
  s.add("population", static_cast<std::string T::*>(&S::population),
        "population CSV (location,value or country,value, persons) for the population floor and per-capita RCA; "
        "default for country data: the bundled World Bank population 1998–2000 "
        "(data/reference/world_population_1998_2000.csv)")
      .path();
  s.add("min-total", static_cast<double T::*>(&S::min_total),
        "also exclude locations whose total value in a year is below this, whatever the values are; named in a "
        "warning")
      .min(0);
  s.add("strict", static_cast<bool T::*>(&S::strict), "presence is RCA > threshold (strictly greater)");
  s.add("presence", static_cast<std::string T::*>(&S::presence),
        "presence test: rca (Balassa), rpop (per-capita RCA, needs --population) or either (RCA or RPOP passes; "
        "py-ecomplexity's presence_test=\"both\", kept binary)")
      .choices({"rca", "rpop", "either"});
  s.add("rpop-threshold", static_cast<double T::*>(&S::rpop_threshold), "per-capita RCA threshold of presence").min(0);
  s.add("method", static_cast<std::string T::*>(&S::method), method_doc).choices({"eigenvector", "reflections", "fitness"});
  s.add("normalisation", static_cast<std::string T::*>(&S::normalisation),
        "atlas: ECI z-scored (population sd), PCI with ECI's mean and sd (py-ecomplexity); own: each its own mean "
        "and population sd; sample: own mean, sd with n−1; none: raw eigenvectors")
      .choices({"atlas", "own", "sample", "none"});
  s.add("cog-convention", static_cast<std::string T::*>(&S::cog_convention),
        "density, COG and COI: ecomplexity = py-ecomplexity's numbers (φ_pp = 1 in density and COG; COG and COI "
        "from the raw eigenvector, COG divided by sd(kc), COI z-scored); agglo = agglo's earlier convention "
        "(φ_pp = 0 unless --density-self-term, COG and COI from the normalised PCI, unscaled)")
      .choices({"ecomplexity", "agglo"});
  s.add("proximity", static_cast<std::string T::*>(&S::proximity),
        "product proximity: minimum conditional probability, association strength, cosine or Jaccard of co-occurrence")
      .choices({"min-conditional", "association", "cosine", "jaccard"});
  s.add("density-self-term", static_cast<bool T::*>(&S::density_self_term),
        "with --cog-convention agglo: include φ_pp = 1 in density and COG sums (the ecomplexity convention "
        "always does)");
  s.add("duplicates", static_cast<std::string T::*>(&S::duplicates),
        "repeated location × product (× year) rows: reject them or sum them")
      .choices({"reject", "sum"});
}

// ---- complexity_names.cpp: code → name (a stand-in for the project's coming facility) ----------

struct Names {
  std::vector<std::string> name;  // per code; "" where unknown
  std::size_t matched = 0;
  std::string source;  // which table, for the summary ("" when none matched)
};
// Countries: ISO 3166-1 alpha-3 (CLDR short names) and, for former codes (ant, rom, scg…), UN
// Comtrade's list; codes compared case-insensitively.
Names location_names(const std::vector<std::string>& codes);
// Products: SITC Rev. 2 names when at least 95 % of the codes are SITC Rev. 2 codes of one
// level (a 4-digit HS file does not pass); otherwise none.
Names product_names(const std::vector<std::string>& codes);

// ---- complexity_setup.cpp: reading and deciding before the analysis -----------------------------

// Everything both commands decide before analysing a year: the analysis options, the
// population, the Atlas sample rule and why, names.
struct Setup {
  complexity::AnalysisOptions options;  // rca.left_out is set per year by sample_for_year()
  std::vector<std::string> locations, products;
  Names location_names, product_names;  // empty `name` vectors with --names none
  bool countries = false;               // ≥ 90 % of the locations are country codes

  std::vector<double> population;  // per location, persons, NaN unknown; empty when none
  std::string population_source;   // the file read ("" when none)
  bool population_is_default = false;

  complexity::SampleRule rule;  // the floors applied (0 = off)
  std::string values;           // "total" or "relative"
  std::string population_note, exports_note;  // why each floor is on or off (summary)
  std::vector<bool> left_out_population;      // by the population floor (year-independent)

  // The file's years (empty without a year column) and each location's total per year, for
  // the export floor's 3-year mean.
  std::vector<int> years;
  std::vector<std::vector<double>> totals;  // [year index][location]; one row without years

  nlohmann::ordered_json sample_json() const;
};

// Reads --population (or finds the bundled default), decides the floors, maps the settings to
// AnalysisOptions; adds warnings (once per run: the population floor and its exclusions).
Setup setup(const ComplexitySettings& settings, const std::string& exports_path, const data::Panel& panel,
            std::int64_t reflections_iterations, std::int64_t fitness_iterations, std::vector<std::string>& warnings);

// The locations left out in `year` (population floor, and the export floor on the mean total
// of `year` and the two years before it that the file has); writes them into
// options.rca.left_out and returns the export floor's warnings for that year.
std::vector<std::string> sample_for_year(const Setup& setup, std::optional<int> year,
                                         complexity::AnalysisOptions& options);

// One value per location from a CSV with location,value (or country,value): GDP per capita,
// population. Codes match exactly, else case-insensitively. NaN where the file has no row;
// `what` names the quantity in messages. With `quiet_extra`, rows naming other locations are
// not reported (the bundled world population read for a subset of countries).
std::vector<double> load_location_values(const std::string& path, const std::vector<std::string>& locations,
                                         const char* what, std::vector<std::string>& warnings,
                                         bool quiet_extra = false);
std::vector<std::optional<int>> years_to_run(const data::Panel& panel, const std::optional<std::int64_t>& year,
                                             const std::string& file);
// The index of `code` among `locations`: exact, else the one case-insensitive match; nullopt
// when none (or several differ only by case).
std::optional<std::size_t> find_location(const std::vector<std::string>& locations, const std::string& code);

}  // namespace agglo::api::complexity_ops
