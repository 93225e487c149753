#include <fmt/format.h>

#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"
#include "detail/parts.hpp"

namespace agglo::synth {

SyntheticEconomy generate(const SynthConfig& cfg, std::uint64_t seed, const std::string& data_dir) {
  using namespace detail;
  SyntheticEconomy out;
  Json truth;
  truth["preset"] = cfg.name;
  truth["seed"] = seed;
  truth["generator"] = "agglo synth " AGGLO_VERSION;

  auto counties = load_counties(data_dir, cfg.states);
  if (counties.empty())
    throw_usage(ErrorCode::invalid_option_value, "the preset selects no county", "check the preset's states");
  const auto industries = load_taxonomy(data_dir, cfg.traded_clusters, cfg.local_clusters);
  const auto rt = generate_regional(cfg, seed, counties, industries, out.tables, truth);
  parallel::check_cancelled();
  generate_exports(cfg, seed, data_dir, out.tables, truth);
  generate_network(cfg, seed, counties, rt, out.tables, truth);
  generate_survey(cfg, seed, counties, rt, out.tables, truth);

  Json files = Json::object();
  for (const auto& [name, t] : out.tables) files[name + ".csv"] = t.rows();
  truth["files"] = files;
  out.ground_truth_json = truth.dump(1);
  return out;
}

}  // namespace agglo::synth
