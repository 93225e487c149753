// Pólya urn; see include/agglo/simulate/polya.hpp.
#include "agglo/simulate/polya.hpp"

#include <cmath>

#include "agglo/core/rng.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate {
namespace polya {

std::vector<double> beta_binomial_pmf(int n, double a, double b) {
  // log C(n,k) + log B(k+a, n−k+b) − log B(a,b) with lgamma, then exponentiated.
  auto lbeta = [](double x, double y) { return std::lgamma(x) + std::lgamma(y) - std::lgamma(x + y); };
  std::vector<double> p(n + 1);
  for (int k = 0; k <= n; ++k) {
    const double lc = std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0);
    p[k] = std::exp(lc + lbeta(k + a, n - k + b) - lbeta(a, b));
  }
  return p;
}

}  // namespace polya

namespace {

class Polya final : public Model {
 public:
  std::string name() const override { return "polya"; }
  std::string summary() const override { return "Pólya urn (Eggenberger & Pólya 1923): beta-binomial law of red draws"; }
  std::vector<ParamSpec> parameters() const override {
    return {{"a", 1.0, 1e-6, 1e9, "initial red balls (weight) a"},
            {"b", 1.0, 1e-6, 1e9, "initial black balls (weight) b"}};
  }
  std::int64_t default_steps() const override { return 100; }
  std::string order_parameter() const override { return "red_share"; }
  Analytic analytic(const Params& p) const override {
    Analytic an;
    const double a = p.at("a"), b = p.at("b");
    an.add("limit_share_mean", a / (a + b));
    an.add("limit_share_variance", a * b / ((a + b) * (a + b) * (a + b + 1)));
    an.notes.push_back("the red share converges to Beta(a, b); after n draws red draws are beta-binomial(n, a, b)");
    return an;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const double a = p.at("a"), b = p.at("b");
    const std::int64_t steps = c.steps > 0 ? c.steps : default_steps();
    core::Stream rng(c.seed, core::stream_id("polya draws"), c.replicate);
    double red = a, black = b;
    std::int64_t k = 0;
    RunResult r;
    data::IntColumn* st = nullptr;
    data::RealColumn *rc = nullptr, *sc = nullptr;
    if (c.record_steps) {
      st = &r.steps.add_integer("step");
      rc = &r.steps.add_real("red_draws");
      sc = &r.steps.add_real("red_share");
      st->push_back(0);
      rc->push_back(0);
      sc->push_back(red / (red + black));
    }
    for (std::int64_t s = 1; s <= steps; ++s) {
      if (rng.uniform() * (red + black) < red) {
        red += 1;
        ++k;
      } else {
        black += 1;
      }
      if (st) {
        st->push_back(s);
        rc->push_back(static_cast<double>(k));
        sc->push_back(red / (red + black));
      }
    }
    r.metrics = {{"red_draws", static_cast<double>(k)}, {"red_share", red / (red + black)}};
    r.final_state = {red, black};
    return r;
  }
};

}  // namespace

std::unique_ptr<Model> make_polya() { return std::make_unique<Polya>(); }

}  // namespace agglo::simulate
