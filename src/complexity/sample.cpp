// The Atlas country sample; see include/agglo/complexity/sample.hpp.
#include "agglo/complexity/sample.hpp"

#include <fmt/format.h>

#include <cmath>

#include "agglo/core/error.hpp"

namespace agglo::complexity {

namespace {

// 1000000 → "1,000,000"; non-integers keep fmt's shortest form.
std::string grouped(double v) {
  if (!(std::fabs(v) < 1e18) || v != std::floor(v)) return fmt::format("{}", v);
  std::string digits = fmt::format("{}", static_cast<long long>(std::fabs(v)));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return v < 0 ? "-" + out : out;
}

std::string name_list(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : ", ") + n;
  return s;
}

}  // namespace

std::size_t Sample::count(SampleReason r) const {
  std::size_t n = 0;
  for (auto x : reason) n += x == r;
  return n;
}

std::vector<bool> Sample::left_out() const {
  std::vector<bool> out(reason.size());
  for (std::size_t c = 0; c < reason.size(); ++c) out[c] = reason[c] != SampleReason::kept;
  return out;
}

Sample country_sample(const std::vector<std::string>& locations, const std::vector<double>& population,
                      const std::vector<double>& exports, const SampleRule& rule,
                      const std::string& population_source) {
  const std::size_t L = locations.size();
  const bool by_population = rule.min_population > 0, by_exports = rule.min_exports > 0;
  if (by_population && population.size() != L)
    throw_usage(ErrorCode::invalid_option_value, "the population floor needs a population for every location",
                "give --population FILE (location,value) or --min-population 0");
  if (by_exports && exports.size() != L)
    throw_usage(ErrorCode::invalid_option_value, "the export floor needs the total exports of every location");
  Sample s;
  s.reason.assign(L, SampleReason::kept);
  std::vector<std::string> unknown, small_pop, small_exp;
  for (std::size_t c = 0; c < L; ++c) {
    if (by_population) {
      const double n = population[c];
      if (!std::isfinite(n)) {
        s.reason[c] = SampleReason::no_population;
        unknown.push_back(locations[c]);
        continue;
      }
      if (n < rule.min_population) {
        s.reason[c] = SampleReason::small_population;
        small_pop.push_back(locations[c]);
        continue;
      }
    }
    // A zero total is RCA's own exclusion (named there); the floor names only real exporters.
    if (by_exports && exports[c] > 0 && exports[c] < rule.min_exports) {
      s.reason[c] = SampleReason::small_exports;
      small_exp.push_back(locations[c]);
    }
  }
  for (auto r : s.reason) s.kept += r == SampleReason::kept;
  if (!small_pop.empty())
    s.warnings.push_back(fmt::format("{} location(s) with a population below {} left out of the complexity "
                                     "calculation (the Atlas rule; --min-population 0 keeps them): {}",
                                     small_pop.size(), grouped(rule.min_population), name_list(small_pop)));
  if (!unknown.empty())
    s.warnings.push_back(fmt::format("{} location(s) without a population in {} left out (the population floor "
                                     "cannot be checked; --min-population 0 keeps them): {}",
                                     unknown.size(), population_source, name_list(unknown)));
  if (!small_exp.empty())
    s.warnings.push_back(fmt::format("{} location(s) with total exports below {} left out of the complexity "
                                     "calculation (the Atlas rule; --min-exports 0 keeps them): {}",
                                     small_exp.size(), grouped(rule.min_exports), name_list(small_exp)));
  return s;
}

}  // namespace agglo::complexity
