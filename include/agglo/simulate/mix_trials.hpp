// agglo::simulate — policy mixes tried out by simulation, with binomial confidence intervals.
//
// ecosystem::rank_mixes() ranks the standard policy mixes by the least budget at which the focal
// region's mean field reaches critical mass. The mean field has no noise: near its threshold a
// real region may still fail (an unlucky run of exits) or take longer than the horizon to tip.
// simulate_mixes() therefore runs the agent-based ecosystem model R times per mix, at the mix's
// least budget, and counts the runs that end with the focal region past the critical mass of the
// region *without* policy (the middle fixed point of the un-levered mean field, or h when that
// has none) — a cluster that would then sustain itself if the support stopped. The share of
// such runs is reported with a 95 % Wilson score interval.
//
// Every mix uses the same seed, so replicate r of every mix draws from the same streams (common
// random numbers): differences between mixes are the policies', not the noise's. The runs go
// through run_experiment(), so they spread over threads and MPI ranks with the same results.
#pragma once

#include <cstdint>

#include "agglo/data/table.hpp"
#include "agglo/simulate/experiment.hpp"
#include "agglo/simulate/ecosystem_world.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate {

// A binomial proportion with its Wilson (1927) score interval:
//   centre = (p̂ + z²/2n) / (1 + z²/n),  half-width = z/(1 + z²/n) · sqrt(p̂(1−p̂)/n + z²/4n²),
// which stays inside [0, 1] and keeps its coverage when p̂ is 0 or 1 or n is small (unlike the
// Wald interval p̂ ± z·sqrt(p̂(1−p̂)/n), which collapses to a point there). z = 1.959964 for 95 %.
struct Proportion {
  std::int64_t successes = 0, trials = 0;
  double share = 0, low = 0, high = 0;  // NaN for zero trials
};
Proportion wilson_interval(std::int64_t successes, std::int64_t trials, double z = 1.959963984540054);

// Adds the columns replicates, reached, share, share_low, share_high to `mixes` (a table from
// ecosystem::rank_mixes(base), one row per mix): `cfg.replicates` ecosystem runs per mix at its
// least budget (cfg.seed, cfg.steps; 0 = the model's default). A mix that cannot reach critical
// mass within the budget cap gets 0 replicates and NaN shares. A collective call under MPI:
// every rank must make it; on ranks other than 0 the table is left as it is (return false).
// Cost: 15 mixes × R runs of the ecosystem model.
// `model` and `world`: the ecosystem on a given geography (ecosystem::make_model(world) and
// its World); nullptr for the registered model on the synthetic grid.
bool simulate_mixes(data::Table& mixes, const Params& base, const ExperimentConfig& cfg,
                    const Model* model = nullptr, const ecosystem::World* world = nullptr);

}  // namespace agglo::simulate
