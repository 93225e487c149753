// Private to the complexity commands (`agglo complexity`, `agglo opportunities`): the options
// both take, described once, and the helpers both call (defined in complexity.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agglo/complexity/complexity.hpp"
#include "agglo/core/options.hpp"
#include "agglo/data/economy.hpp"

namespace agglo::api::complexity_ops {

// How presence, complexity, proximity and density are computed; the same for both commands.
struct ComplexitySettings {
  double threshold = 1.0;
  bool strict = false;
  double min_total = 0.0;
  std::string method = "eigenvector";
  std::string normalisation = "atlas";
  std::string proximity = "min-conditional";
  bool density_self_term = false;
  std::string duplicates = "reject";
  std::string presence = "rca";
  std::string population;
  double rpop_threshold = 1.0;
};

// Adds the ComplexitySettings options to the schema of an Options struct derived from it.
// `method_doc` says what --method drives in that command.
template <class T>
void describe_settings(core::OptionSchema<T>& s, const char* method_doc) {
  using S = ComplexitySettings;
  s.add("threshold", static_cast<double T::*>(&S::threshold), "RCA threshold of presence: M = RCA ≥ threshold").min(0);
  s.add("min-total", static_cast<double T::*>(&S::min_total),
        "exclude locations whose total value is below this (the Atlas leaves out very small exporters); named in a warning")
      .min(0);
  s.add("strict", static_cast<bool T::*>(&S::strict), "presence is RCA > threshold (strictly greater)");
  s.add("presence", static_cast<std::string T::*>(&S::presence),
        "presence test: rca (Balassa), rpop (per-capita RCA, needs --population) or either (RCA or RPOP passes; "
        "py-ecomplexity's presence_test=\"both\")")
      .choices({"rca", "rpop", "either"});
  s.add("population", static_cast<std::string T::*>(&S::population),
        "population CSV (location,value or country,value) for per-capita RCA")
      .path();
  s.add("rpop-threshold", static_cast<double T::*>(&S::rpop_threshold), "per-capita RCA threshold of presence").min(0);
  s.add("method", static_cast<std::string T::*>(&S::method), method_doc).choices({"eigenvector", "reflections", "fitness"});
  s.add("normalisation", static_cast<std::string T::*>(&S::normalisation),
        "atlas: ECI z-scored (population sd), PCI with ECI's mean and sd (py-ecomplexity); own: each its own mean "
        "and population sd; sample: own mean, sd with n−1; none: raw eigenvectors")
      .choices({"atlas", "own", "sample", "none"});
  s.add("proximity", static_cast<std::string T::*>(&S::proximity),
        "product proximity: minimum conditional probability, association strength, cosine or Jaccard of co-occurrence")
      .choices({"min-conditional", "association", "cosine", "jaccard"});
  s.add("density-self-term", static_cast<bool T::*>(&S::density_self_term),
        "include φ_pp = 1 in density and COG sums (as py-ecomplexity does)");
  s.add("duplicates", static_cast<std::string T::*>(&S::duplicates),
        "repeated location × product (× year) rows: reject them or sum them")
      .choices({"reject", "sum"});
}

// The analysis options of the settings; reads --population (aligned with `locations`) when
// the presence test needs it, adding its warnings.
complexity::AnalysisOptions analysis_options(const ComplexitySettings& settings, std::int64_t reflections_iterations,
                                             std::int64_t fitness_iterations,
                                             const std::vector<std::string>& locations,
                                             std::vector<std::string>& warnings);
// One value per location from a CSV with location,value (or country,value): GDP per capita,
// population. NaN where the file has no row; `what` names the quantity in messages.
std::vector<double> load_location_values(const std::string& path, const std::vector<std::string>& locations,
                                         const char* what, std::vector<std::string>& warnings);
std::vector<std::optional<int>> years_to_run(const data::Panel& panel, const std::optional<std::int64_t>& year,
                                             const std::string& file);

}  // namespace agglo::api::complexity_ops
