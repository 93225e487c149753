// agglo::dynamics — synthetic establishment histories with planted survival effects, so the Cox
// estimator is scored on a known answer (the designs of Neffke, Henning & Boschma 2012 and
// Delgado, Porter & Stern 2010: entrants' survival by regional relatedness and entrant type).
//
//   hazard_i(t) = base · exp(β_density · density_i + β_spinoff · spinoff_i + β_foreign · foreign_i
//                            + 0 · noise_i)
//   entry year ~ U{first_year … last_year − 1}; exit after an exponential duration, observed to
//   the end year (censored beyond); durations are whole years (ties, handled by Efron).
// density ~ U(0, 1) (relatedness density of the establishment's industry in its region);
// spinoff, foreign ~ Bernoulli(0.3), Bernoulli(0.15); noise ~ N(0, 1) has no effect.
#pragma once

#include <cstdint>

#include "agglo/data/table.hpp"

namespace agglo::dynamics {

struct SpellSpec {
  std::size_t establishments = 5000;
  int first_year = 2000, last_year = 2020;
  double base_hazard = 0.08;       // per year
  double beta_density = -0.8, beta_spinoff = -0.4, beta_foreign = -0.25;
  std::size_t regions = 40;
};

// Columns id,region,entry_year,exit_year,duration,exited,density,spinoff,foreign,noise.
data::Table synthetic_spells(const SpellSpec& spec, std::uint64_t seed);

}  // namespace agglo::dynamics
