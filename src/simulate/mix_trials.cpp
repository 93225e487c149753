// Policy mixes tried out by simulation; see include/agglo/simulate/mix_trials.hpp.
#include "agglo/simulate/mix_trials.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "agglo/core/error.hpp"
#include "agglo/simulate/ecosystem.hpp"

namespace agglo::simulate {

Proportion wilson_interval(std::int64_t successes, std::int64_t trials, double z) {
  Proportion p;
  p.successes = successes;
  p.trials = trials;
  if (trials <= 0) {
    p.share = p.low = p.high = std::numeric_limits<double>::quiet_NaN();
    return p;
  }
  const double n = static_cast<double>(trials), ph = successes / n, z2 = z * z;
  const double denom = 1 + z2 / n;
  const double centre = (ph + z2 / (2 * n)) / denom;
  const double half = z / denom * std::sqrt(ph * (1 - ph) / n + z2 / (4 * n * n));
  p.share = ph;
  // Mathematically the interval lies within [0, 1] and touches 0 exactly when no trial
  // succeeded (1 when all did); write those ends exactly rather than rounded.
  p.low = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  p.high = successes == trials ? 1.0 : std::min(1.0, centre + half);
  return p;
}

bool simulate_mixes(data::Table& mixes, const Params& base, const ExperimentConfig& cfg, const Model* model_in,
                    const ecosystem::World* world) {
  const auto& model = model_in ? *model_in : find_model("ecosystem");
  // Critical mass of the focal region without policy: past it, the un-levered mean field
  // drifts upwards, so the cluster sustains itself once the support stops.
  const auto fp = ecosystem::focal_fixed_points(base, world);
  const double critical = fp.size() >= 3 ? fp[1] : ecosystem::focal_rates(base, world).h;

  const auto& names = std::get<data::TextColumn>(mixes.at("mix").values);
  const auto& budgets = std::get<data::RealColumn>(mixes.at("min_budget").values);
  ExperimentConfig run_cfg = cfg;
  run_cfg.record_steps = false;
  run_cfg.hysteresis = false;
  const auto standard = ecosystem::standard_mixes();
  std::vector<Proportion> props;
  bool root = true;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const ecosystem::Mix* mix = nullptr;
    for (const auto& m : standard)
      if (m.name == names[i]) mix = &m;
    AGGLO_ASSERT(mix != nullptr);
    if (!std::isfinite(budgets[i])) {  // every rank skips the same mixes: no collective call
      props.push_back(wilson_interval(0, 0));
      continue;
    }
    const auto ex = run_experiment(model, ecosystem::with_mix(base, *mix, budgets[i]), std::nullopt, run_cfg);
    root = ex.root;
    if (!root) continue;
    const auto& focal = std::get<data::RealColumn>(ex.runs.at("focal_firms").values);
    std::int64_t reached = 0;
    for (double n : focal) reached += n > critical ? 1 : 0;
    props.push_back(wilson_interval(reached, static_cast<std::int64_t>(focal.size())));
  }
  if (!root) return false;
  auto& rc = mixes.add_integer("replicates");
  auto& kc = mixes.add_integer("reached");
  auto& sc = mixes.add_real("share");
  auto& lc = mixes.add_real("share_low");
  auto& hc = mixes.add_real("share_high");
  for (const auto& p : props) {
    rc.push_back(p.trials);
    kc.push_back(p.successes);
    sc.push_back(p.share);
    lc.push_back(p.low);
    hc.push_back(p.high);
  }
  return true;
}

}  // namespace agglo::simulate
