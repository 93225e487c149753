// Arthur (1990) location model; see include/agglo/simulate/arthur_location.hpp.
#include "agglo/simulate/arthur_location.hpp"

#include <algorithm>
#include <cmath>

#include "agglo/core/rng.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate {
namespace arthur_location {

int lock_in_lead(double delta, double g, double cap) {
  if (g <= 0 || g * cap <= delta) return 0;
  // The other type switches when g·lead > Δ strictly: the first integer lead above Δ/g.
  const int m = static_cast<int>(std::floor(delta / g)) + 1;
  return m <= cap ? m : 0;
}

}  // namespace arthur_location

namespace {

class ArthurLocation final : public Model {
 public:
  std::string name() const override { return "arthur-location"; }
  std::string summary() const override {
    return "Arthur (1990) location choice with bounded agglomeration benefits g·min(y, cap)";
  }
  std::vector<ParamSpec> parameters() const override {
    return {{"K", 2.0, 2.0, 1000.0, "number of regions (and firm types)", true},
            {"delta", 1.0, 0.0, 1e6, "geographic preference Δ of a firm for its own region"},
            {"g", 0.3, 0.0, 1e6, "agglomeration benefit per firm already in the region"},
            {"cap", 1e9, 0.0, 1e18, "number of firms beyond which benefits stop growing (bounded benefits)"}};
  }
  std::int64_t default_steps() const override { return 1000; }
  std::string order_parameter() const override { return "share_largest"; }
  Analytic analytic(const Params& p) const override {
    Analytic an;
    const int m = arthur_location::lock_in_lead(p.at("delta"), p.at("g"), p.at("cap"));
    an.add("lock_in_possible", m > 0 ? 1.0 : 0.0);
    if (p.at("K") == 2 && m > 0) {
      an.add("lock_in_lead", m);
      an.add("lock_in_probability", 0.5);
      an.add("expected_lock_in_time", static_cast<double>(m) * m);
      an.notes.push_back("K = 2: the lead is a symmetric walk absorbed at ±m, m = ⌊Δ/g⌋+1: P = m/(2m), E T = m·m");
    }
    return an;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const int K = static_cast<int>(p.at("K"));
    const double delta = p.at("delta"), g = p.at("g"), cap = p.at("cap");
    const std::int64_t steps = c.steps > 0 ? c.steps : default_steps();
    core::Stream rng(c.seed, core::stream_id("arthur location arrivals"), c.replicate);
    std::vector<double> y(K, 0.0);
    if (!c.initial_state.empty() && static_cast<int>(c.initial_state.size()) == K) y = c.initial_state;
    const int m = arthur_location::lock_in_lead(delta, g, cap);
    std::int64_t lock_time = -1;
    RunResult r;
    data::IntColumn* st = nullptr;
    std::vector<data::RealColumn*> cols;
    if (c.record_steps) {
      st = &r.steps.add_integer("step");
      for (int j = 0; j < std::min(K, 20); ++j) cols.push_back(&r.steps.add_real("firms_" + std::to_string(j)));
    }
    std::vector<int> best;
    for (std::int64_t t = 1; t <= steps; ++t) {
      const int type = static_cast<int>(rng.below(K));
      double top = -1e300;
      best.clear();
      for (int j = 0; j < K; ++j) {
        const double v = (j == type ? delta : 0.0) + g * std::min(y[j], cap);
        if (v > top + 1e-12) { top = v; best.assign(1, j); }
        else if (std::abs(v - top) <= 1e-12) best.push_back(j);
      }
      const int choice = best.size() == 1 ? best[0] : best[rng.below(best.size())];
      y[choice] += 1;
      if (lock_time < 0 && K == 2 && m > 0 && std::abs(y[0] - y[1]) >= m) lock_time = t;
      if (st) {
        st->push_back(t);
        for (std::size_t j = 0; j < cols.size(); ++j) cols[j]->push_back(y[j]);
      }
    }
    double total = 0, largest = 0;
    for (double v : y) { total += v; largest = std::max(largest, v); }
    r.metrics = {{"share_largest", total > 0 ? largest / total : 0.0},
                 {"locked", lock_time >= 0 ? 1.0 : 0.0},
                 {"lock_in_time", static_cast<double>(lock_time)},
                 {"region0_wins", K == 2 && lock_time >= 0 && y[0] > y[1] ? 1.0 : 0.0}};
    r.final_state = y;
    return r;
  }
};

}  // namespace

std::unique_ptr<Model> make_arthur_location() { return std::make_unique<ArthurLocation>(); }

}  // namespace agglo::simulate
