// agglo::complexity — which locations enter the complexity calculation: the Atlas of Economic
// Complexity's country sample.
//
// ECI and PCI are properties of the whole location–product network: every location's mix
// shapes every product's complexity and back. Tiny territories with a handful of recorded
// lines of trade (re-exports, transhipments, recording noise) have a few products with an
// enormous RCA; products nobody else exports look "complex", and so do the territories.
// The Atlas therefore computes complexity on a sample of countries only (Hausmann, Hidalgo
// et al. 2014, The Atlas of Economic Complexity, ch. 7 "Data"): countries with a population
// above 1.2 million that exported at least US$1 billion a year on average over the period,
// minus a few with severe data problems. The Growth Lab's current rankings use the same rule
// with a population of at least 1 million and a 3-year average of exports of at least US$1
// billion (plus coverage checks). agglo's defaults are the current values: 1,000,000 people
// and US$1,000,000,000.
//
// Locations left out are not in M at all: they are removed before RCA, so the world totals
// X_p and X of the RCA denominators are those of the sample (as the Atlas does — the data of
// the kept countries alone define complexity). Locations with no known population cannot be
// shown to pass the floor and are left out as well, named separately.
// O(L).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace agglo::complexity {

enum class SampleReason : std::uint8_t {
  kept,
  no_population,     // the population floor applies and the location has no population
  small_population,  // population < min_population
  small_exports,     // (average) total value < min_exports
};

struct SampleRule {
  double min_population = 0;  // people; 0 = no population floor
  double min_exports = 0;     // in the values' unit (US$ for total exports); 0 = no export floor
};

struct Sample {
  std::vector<SampleReason> reason;   // per location
  std::vector<std::string> warnings;  // one per reason, naming every location left out
  std::size_t kept = 0;
  std::size_t count(SampleReason r) const;
  // Per location: true when left out (what RcaOptions::left_out takes).
  std::vector<bool> left_out() const;
};

// `population` (people, NaN unknown) is read only when rule.min_population > 0 and must then
// have one entry per location; `exports` (the location's total value, for a panel the average
// the caller chose) only when rule.min_exports > 0. Locations whose exports are 0 are not
// counted as left out here: RCA excludes zero totals by itself (and says so).
// `population_source` names the population file in the warning.
Sample country_sample(const std::vector<std::string>& locations, const std::vector<double>& population,
                      const std::vector<double>& exports, const SampleRule& rule,
                      const std::string& population_source = "the population file");

}  // namespace agglo::complexity
