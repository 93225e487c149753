// agglo::simulate — experiments: replicates, parameter sweeps, phase tables, tipping points and
// hysteresis.
//
// A sweep varies one parameter over n evenly spaced values lo..hi ("alpha=0:6:25"). At each
// value R replicates run; replicate r draws from the streams keyed by (seed, r) at every value
// (common random numbers, so neighbouring values differ by the parameter, not the noise). The
// phase table gives the order parameter's mean, standard deviation, standard error and a 95 %
// confidence interval (mean ± 1.96 SE) per value.
//
// Hysteresis: with `hysteresis` the sweep runs up (lo → hi) and then down (hi → lo); each run
// starts from the final state of the same replicate at the previous value (continuation), so a
// system that tipped stays tipped until the way back crosses the other threshold.
//
// Tipping points (tipping.hpp, one detector for every model): per direction, the narrowest
// window of at most a quarter of the sweep where the mean order parameter changes by over 30 %
// of its range over the sweep and Welch's t-test on the replicates, Holm-corrected over
// the direction's windows, rejects "no change" at α = 0.05; reported with its sweep interval
// and a bootstrap interval of its location. With --hysteresis the up and down tips give a band
// only when the down tip lies below the up tip; otherwise the verdict is "irreversible" (the
// down sweep never comes back), "gradual" or "memory" (the sweeps differ but the way back has
// no abrupt tip) or "no hysteresis detected".
//
// Parallelism: replicates (and, without hysteresis, sweep values) run as independent TBB tasks;
// every result is stored at its (value, replicate) index, so the tables are identical for any
// number of threads. Under `mpirun` (parallel/mpi.hpp) the tasks are dealt to ranks, task k to
// rank k mod size (with hysteresis a task is one replicate's whole chain up and down), rank 0
// gathers every run and builds the tables: the same bytes for any number of ranks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agglo/simulate/model.hpp"
#include "agglo/simulate/tipping.hpp"

namespace agglo::simulate {

struct Sweep {
  std::string param;
  double lo = 0, hi = 0;
  int points = 0;
  double value(int i) const { return points == 1 ? lo : lo + (hi - lo) * i / (points - 1); }
};

// Parses "name=lo:hi:n"; usage errors for a malformed text, an unknown parameter (naming the
// valid ones), n < 1 ("a sweep with zero points"), or lo/hi outside the parameter's range.
Sweep parse_sweep(const Model& m, const std::string& text);

struct ExperimentConfig {
  std::uint64_t seed = 0;
  std::int64_t replicates = 1;
  std::int64_t steps = 0;  // 0 = model default
  bool hysteresis = false;
  bool record_steps = true;  // per-step table (only without a sweep)
  TipRule tip_rule;          // tipping-point test (its bootstrap seed is set from `seed`)
};

struct ExperimentResult {
  data::Table runs;   // [param, direction,] replicate, every metric
  data::Table steps;  // replicate, step, observed variables (no sweep only)
  data::Table phase;  // param, direction, replicates, mean, sd, se, ci_low, ci_high (sweeps only)
  data::Table regions;  // replicate + the model's per-region end state (no sweep; ecosystem)
  std::vector<Tip> tipping;  // sweeps: "up", and with hysteresis "down"
  HysteresisBand hysteresis;  // sweeps with hysteresis
  TipRule tip_rule;           // the rule the tips were judged by
  // False on MPI ranks other than 0: they ran their share of the runs and sent it to rank 0;
  // their tables are empty and they write nothing.
  bool root = true;
};

ExperimentResult run_experiment(const Model& m, const Params& base, const std::optional<Sweep>& sweep,
                                const ExperimentConfig& cfg);

}  // namespace agglo::simulate
