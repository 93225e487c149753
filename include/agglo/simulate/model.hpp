// agglo::simulate — the model interface shared by every simulation (issue 8).
//
// A model is a named set of parameters (each with a default, a range and a one-line meaning),
// a run() that advances the model from an initial state for a number of steps with a seeded
// random stream, and — where theory gives one — analytic() values (fixed points, break points,
// lock-in probabilities) derived in code by root finding on the model's own equations. The
// experiment layer (experiment.hpp) sweeps parameters, runs replicates on threads and locates
// tipping points; the `agglo simulate` operation is a thin front end over both.
//
// Determinism: run() draws every random number from core::Stream keyed by (seed, stream id,
// replicate or agent), never from a global generator, so a replicate gives the same numbers
// whichever thread runs it.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agglo/data/table.hpp"

namespace agglo::simulate {

// Where theory puts the tipping point of a sweep of one parameter, for one sweep direction
// (e.g. Krugman's sustain point for T rising, the break point for T falling). `kind` is
// "analytic" (exact for the model as simulated, up to finite run time) or "mean-field" (the
// deterministic approximation of a stochastic model).
struct ReferenceTip {
  std::string direction;  // "up" or "down"
  std::string name;       // e.g. sustain_point, break_point, saddle_node_alpha
  double value = 0.0;
  std::string kind;       // "analytic" or "mean-field"
};

// One parameter: its ASCII symbol (`sigma`, `T`, `alpha`…), default and inclusive range.
struct ParamSpec {
  std::string name;
  double value = 0.0;  // default
  double min = 0.0;
  double max = 0.0;
  std::string doc;
  bool integer = false;  // must be a whole number (counts, grid sizes)
};

// Resolved parameter values by name (every parameter of the model present).
using Params = std::map<std::string, double>;

// Named analytic values; a scalar is a one-element vector (written as a number in JSON).
struct Analytic {
  std::vector<std::pair<std::string, std::vector<double>>> values;
  std::vector<std::string> notes;  // how each was derived, for summary.json
  void add(std::string name, double v) { values.push_back({std::move(name), {v}}); }
  void add(std::string name, std::vector<double> v) { values.push_back({std::move(name), std::move(v)}); }
  // The value named `name` (asserts it exists).
  const std::vector<double>& at(const std::string& name) const;
};

struct RunConfig {
  std::uint64_t seed = 0;
  std::uint64_t replicate = 0;  // selects the replicate's random streams
  std::int64_t steps = 0;       // 0 = the model's default
  bool record_steps = true;     // fill RunResult::steps (off inside large sweeps)
  // Where to start: empty = the model's own initial condition; otherwise a state returned by
  // a previous run (continuation, used to sweep up and down for hysteresis).
  std::vector<double> initial_state;
};

struct RunResult {
  data::Table steps;  // one row per recorded step: step + observed variables
  std::vector<std::pair<std::string, double>> metrics;  // end-of-run observations
  std::vector<double> final_state;                       // for continuation
  // Per-region end state (models on a geography: the ecosystem), one row per region.
  data::Table regions;
  double metric(const std::string& name) const;          // asserts it exists
};

class Model {
 public:
  virtual ~Model() = default;
  virtual std::string name() const = 0;
  virtual std::string summary() const = 0;  // one line with the reference
  virtual std::vector<ParamSpec> parameters() const = 0;
  virtual std::int64_t default_steps() const = 0;
  // The metric plotted against the control parameter in phase tables (e.g. `lambda_max`).
  virtual std::string order_parameter() const = 0;
  virtual Analytic analytic(const Params&) const { return {}; }
  // The tips theory predicts when `param` is swept over [lo, hi] from the base parameters
  // (only those inside the range); none by default. `continuation`: each run starts from the
  // previous value's final state (a hysteresis sweep: up lo → hi, then down hi → lo), else
  // every run starts from the model's initial state. Printed beside the simulated tips.
  virtual std::vector<ReferenceTip> reference_tips(const Params&, const std::string& /*param*/, double /*lo*/,
                                                   double /*hi*/, bool /*continuation*/) const {
    return {};
  }
  // Cross-parameter checks beyond ranges (throw usage errors naming the parameters).
  virtual void check(const Params&) const {}
  virtual RunResult run(const Params& p, const RunConfig& c) const = 0;
};

// Every model, by name: polya, arthur, arthur-location, krugman, brenner, granovetter,
// schelling, percolation, ecosystem.
std::vector<std::string> model_names();
// The model called `name`; a usage error naming the valid models otherwise.
const Model& find_model(const std::string& name);

// Defaults overridden by "name=value" assignments (a list entry may hold several, separated by
// commas). Unknown names, malformed numbers, non-integers for integer parameters and values
// outside the range are usage errors that name the valid parameters and the range.
Params resolve_params(const Model& m, const std::vector<std::string>& assignments);
// Checks one value against its spec (usage error when out of range).
void check_param(const Model& m, const std::string& name, double value);
const ParamSpec* find_param(const Model& m, const std::string& name);

// Factories (one per model file).
std::unique_ptr<Model> make_polya();
std::unique_ptr<Model> make_arthur();
std::unique_ptr<Model> make_arthur_location();
std::unique_ptr<Model> make_krugman();
std::unique_ptr<Model> make_brenner();
std::unique_ptr<Model> make_granovetter();
std::unique_ptr<Model> make_schelling();
std::unique_ptr<Model> make_percolation();
std::unique_ptr<Model> make_ecosystem();

}  // namespace agglo::simulate
