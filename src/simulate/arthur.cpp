// Arthur (1989) increasing-returns adoption; see include/agglo/simulate/arthur.hpp.
#include "agglo/simulate/arthur.hpp"

#include <cmath>

#include "agglo/core/rng.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate {
namespace arthur {

double lock_in_probability(int a, int b, double p) {
  if (std::abs(p - 0.5) < 1e-12) return static_cast<double>(a) / (a + b);
  const double rho = (1 - p) / p;
  return (1 - std::pow(rho, a)) / (1 - std::pow(rho, a + b));
}

double expected_lock_in_time(int a, int b, double p) {
  if (std::abs(p - 0.5) < 1e-12) return static_cast<double>(a) * b;
  // Walk from 0 between −a and +b; shift by a: start at a in [0, a+b]. For the biased walk
  // E T = (a − (a+b)·P(A)) / (q − p) (Feller 1968, XIV.3).
  const double q = 1 - p;
  return (a - (a + b) * lock_in_probability(a, b, p)) / (q - p);
}

}  // namespace arthur

namespace {

class Arthur final : public Model {
 public:
  std::string name() const override { return "arthur"; }
  std::string summary() const override {
    return "Arthur (1989) increasing-returns adoption: lead random walk absorbed at +b (A) and −a (B)";
  }
  std::vector<ParamSpec> parameters() const override {
    return {{"a", 3.0, 1.0, 1e6, "distance of the lock-in-to-B barrier −a (adoptions)", true},
            {"b", 7.0, 1.0, 1e6, "distance of the lock-in-to-A barrier +b (adoptions)", true},
            {"p", 0.5, 0.001, 0.999, "probability that the next adopter is an R-agent (prefers A)"}};
  }
  std::int64_t default_steps() const override { return 1000000; }
  std::string order_parameter() const override { return "locked_A"; }
  Analytic analytic(const Params& p) const override {
    Analytic an;
    const int a = static_cast<int>(p.at("a")), b = static_cast<int>(p.at("b"));
    an.add("lock_in_probability", arthur::lock_in_probability(a, b, p.at("p")));
    an.add("expected_lock_in_time", arthur::expected_lock_in_time(a, b, p.at("p")));
    an.notes.push_back("gambler's ruin: P(A) = a/(a+b) and E T = a·b for p = ½");
    return an;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const std::int64_t a = static_cast<std::int64_t>(p.at("a")), b = static_cast<std::int64_t>(p.at("b"));
    const double pr = p.at("p");
    const std::int64_t cap = c.steps > 0 ? c.steps : default_steps();
    core::Stream rng(c.seed, core::stream_id("arthur adopters"), c.replicate);
    std::int64_t d = 0, t = 0, nA = 0, nB = 0;
    RunResult r;
    data::IntColumn *st = nullptr, *na = nullptr, *nb = nullptr;
    if (c.record_steps) {
      st = &r.steps.add_integer("step");
      na = &r.steps.add_integer("adopters_A");
      nb = &r.steps.add_integer("adopters_B");
    }
    // Before lock-in each agent adopts its own preferred technology.
    while (d < b && d > -a && t < cap) {
      if (rng.uniform() < pr) { ++d; ++nA; } else { --d; ++nB; }
      ++t;
      if (st) { st->push_back(t); na->push_back(nA); nb->push_back(nB); }
    }
    const bool absorbed = d >= b || d <= -a;
    r.metrics = {{"locked_A", d >= b ? 1.0 : 0.0},
                 {"absorbed", absorbed ? 1.0 : 0.0},
                 {"lock_in_time", static_cast<double>(t)}};
    r.final_state = {static_cast<double>(d)};
    return r;
  }
};

}  // namespace

std::unique_ptr<Model> make_arthur() { return std::make_unique<Arthur>(); }

}  // namespace agglo::simulate
