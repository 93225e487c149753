// agglo::dynamics — synthetic ground truth for the evaluation estimators: a regional panel
// with a staggered programme whose effects are planted, heterogeneous across cohorts and
// growing with exposure, so that Callaway–Sant'Anna can be scored against the truth and the
// two-way fixed effects bias shown (Goodman-Bacon 2021).
//
//   y_it = α_i + λ_t + τ_i(t) + ε_it,   α_i ~ N(0, 1), λ_t = 0.1 t, ε ~ N(0, σ²)
//   τ_i(t) = (effect + slope · (t − g_i)) · (1 + cohort_gradient · rank(g_i)) for t ≥ g_i > 0
//
// Cohorts are spread evenly over the treated share of units; the planted ATT of every cell
// and the planted simple (cohort-share weighted) ATT come back with the panel.
#pragma once

#include <cstdint>
#include <vector>

#include "agglo/dynamics/staggered_did.hpp"

namespace agglo::dynamics {

struct ProgrammeSpec {
  std::size_t units = 500;
  std::int64_t first_period = 2001;
  std::size_t periods = 10;
  std::vector<std::int64_t> cohorts{2003, 2006, 2009};
  double treated_share = 0.9;
  double effect = 0.1;           // effect on impact
  double slope = 0.3;            // added per period of exposure
  double cohort_gradient = 0.25; // later cohorts' effects are larger by this fraction per rank
  double noise = 0.5;            // σ
};

struct SyntheticProgramme {
  PanelData panel;
  std::vector<AttCell> truth;    // planted ATT(g,t) for t ≥ g (att only)
  double att_simple = 0;         // planted, weighted as the simple aggregation
};

SyntheticProgramme synthetic_programme(const ProgrammeSpec& spec, std::uint64_t seed);

}  // namespace agglo::dynamics
