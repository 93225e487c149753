// Granovetter (1978) threshold model; see include/agglo/simulate/granovetter.hpp.
#include "agglo/simulate/granovetter.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "agglo/core/rng.hpp"
#include "agglo/simulate/model.hpp"
#include "agglo/simulate/roots.hpp"

namespace agglo::simulate {
namespace granovetter {

namespace {
double Phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }
}  // namespace

double normal_equilibrium(double N, double mean, double sd) {
  auto F = [&](double r) { return N * Phi((r - mean) / sd); };
  // Iterating the monotone map from 0 climbs to the smallest fixed point; it converges
  // slowly near a tangency, so the iteration only brackets it and bisection finishes.
  double r = 0.0;
  for (int it = 0; it < 100000; ++it) {
    const double next = F(r);
    if (next - r < 1e-9 * N) break;
    r = next;
  }
  // r lies just below the smallest root of F(x) − x (F(r) − r ≥ 0 here); step forward until the
  // sign changes, then bisect.
  double step = std::max(1e-6, 1e-6 * N);
  double hi = r;
  while (F(hi) - hi > 0 && hi < N + 1) hi += step, step *= 2;
  if (hi == r) return r;
  return bisect([&](double x) { return F(x) - x; }, r, hi, 1e-10 * std::max(1.0, N));
}

double critical_sd(double N, double mean, double lo, double hi) {
  auto f = [&](double sd) { return normal_equilibrium(N, mean, sd) - 0.5 * N; };
  if ((f(lo) > 0) == (f(hi) > 0)) return std::nan("");
  return bisect(f, lo, hi, 1e-9);
}

}  // namespace granovetter

namespace {

class Granovetter final : public Model {
 public:
  std::string name() const override { return "granovetter"; }
  std::string summary() const override {
    return "Granovetter (1978) thresholds: an actor joins once θ others have joined";
  }
  std::vector<ParamSpec> parameters() const override {
    return {{"N", 100.0, 1.0, 1e8, "number of actors", true},
            {"mean", 25.0, -1e9, 1e9, "mean threshold (actors) of the Normal distribution"},
            {"sd", 10.0, 0.0, 1e9, "standard deviation of the thresholds"},
            {"uniform", 0.0, 0.0, 1.0, "1 = Granovetter's ladder θ_i = i (i = 0..N−1) instead of Normal draws", true},
            {"shift", 0.0, 0.0, 1.0, "1 = move the actor with threshold 1 to threshold 2 (the ladder's counter-example)", true}};
  }
  std::int64_t default_steps() const override { return 100000; }
  std::string order_parameter() const override { return "participation"; }
  Analytic analytic(const Params& p) const override {
    Analytic an;
    const double N = p.at("N");
    if (p.at("uniform") > 0.5) {
      an.add("equilibrium", p.at("shift") > 0.5 ? 1.0 : N);
      an.notes.push_back("ladder θ_i = i: complete cascade; with the actor at 1 moved to 2 it stops at 1");
    } else {
      an.add("equilibrium", granovetter::normal_equilibrium(N, p.at("mean"), p.at("sd")));
      const double cs = granovetter::critical_sd(N, p.at("mean"), 1e-6 * N + 1e-9, 10.0 * N);
      if (std::isfinite(cs)) an.add("critical_sd", cs);
      an.notes.push_back("equilibrium: smallest root of r = N Φ((r − mean)/sd) (mean-field, N → ∞)");
      an.notes.push_back("critical_sd: sd at which that equilibrium jumps past N/2 (bisection)");
    }
    return an;
  }
  // Sweeping sd (Normal thresholds): the mean-field equilibrium jumps past N/2 at critical_sd,
  // whichever way sd moves (the cascade starts afresh at every value: no memory).
  std::vector<ReferenceTip> reference_tips(const Params& p, const std::string& param, double lo, double hi,
                                           bool /*continuation*/) const override {
    std::vector<ReferenceTip> v;
    if (param != "sd" || p.at("uniform") > 0.5) return v;
    const double N = p.at("N");
    const double cs = granovetter::critical_sd(N, p.at("mean"), 1e-6 * N + 1e-9, 10.0 * N);
    if (std::isfinite(cs) && cs >= std::min(lo, hi) && cs <= std::max(lo, hi)) {
      v.push_back({"up", "critical_sd", cs, "mean-field"});
      v.push_back({"down", "critical_sd", cs, "mean-field"});
    }
    return v;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const auto N = static_cast<std::int64_t>(p.at("N"));
    std::vector<double> theta(N);
    if (p.at("uniform") > 0.5) {
      for (std::int64_t i = 0; i < N; ++i) theta[i] = static_cast<double>(i);
      if (p.at("shift") > 0.5 && N > 1) theta[1] = 2.0;
    } else {
      core::Stream rng(c.seed, core::stream_id("granovetter thresholds"), c.replicate);
      for (auto& t : theta) t = rng.normal(p.at("mean"), p.at("sd"));
    }
    std::sort(theta.begin(), theta.end());
    const std::int64_t cap = c.steps > 0 ? c.steps : default_steps();
    RunResult r;
    data::IntColumn *st = nullptr, *rc = nullptr;
    if (c.record_steps) {
      st = &r.steps.add_integer("step");
      rc = &r.steps.add_integer("participants");
    }
    // r_{t+1} = #{θ_i ≤ r_t}: an upper_bound on the sorted thresholds.
    std::int64_t part = 0, t = 0;
    if (st) { st->push_back(0); rc->push_back(0); }
    while (t < cap) {
      const auto next = static_cast<std::int64_t>(
          std::upper_bound(theta.begin(), theta.end(), static_cast<double>(part)) - theta.begin());
      ++t;
      if (st) { st->push_back(t); rc->push_back(next); }
      if (next == part) break;
      part = next;
    }
    r.metrics = {{"participants", static_cast<double>(part)},
                 {"participation", N > 0 ? static_cast<double>(part) / N : 0.0},
                 {"rounds", static_cast<double>(t)}};
    r.final_state = {static_cast<double>(part)};
    return r;
  }
};

}  // namespace

std::unique_ptr<Model> make_granovetter() { return std::make_unique<Granovetter>(); }

}  // namespace agglo::simulate
