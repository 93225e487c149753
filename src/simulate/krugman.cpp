// Krugman (1991), "Increasing returns and economic geography", JPE 99(3): 483–499; equations as
// in Fujita, Krugman & Venables (1999), ch. 5. See include/agglo/simulate/krugman.hpp.
#include "agglo/simulate/krugman.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/simulate/model.hpp"
#include "agglo/simulate/roots.hpp"

namespace agglo::simulate {
namespace krugman {

Equilibrium equilibrium(double lambda, double T, double sigma, double mu) {
  Equilibrium e;
  const double l1 = lambda, l2 = 1.0 - lambda;
  const double t = std::pow(T, 1.0 - sigma);  // T^{1−σ}
  double w1 = 1.0, w2 = 1.0;
  for (int it = 0; it < 10000; ++it) {
    const double Y1 = mu * l1 * w1 + (1 - mu) / 2, Y2 = mu * l2 * w2 + (1 - mu) / 2;
    // G^{1−σ} directly; avoids 0^{negative} when a region has no manufacturing.
    const double g1 = l1 * std::pow(w1, 1 - sigma) + l2 * std::pow(w2, 1 - sigma) * t;
    const double g2 = l1 * std::pow(w1, 1 - sigma) * t + l2 * std::pow(w2, 1 - sigma);
    // G^{σ−1} = 1/g.
    const double n1 = std::pow(Y1 / g1 + Y2 * t / g2, 1.0 / sigma);
    const double n2 = std::pow(Y1 * t / g1 + Y2 / g2, 1.0 / sigma);
    const double change = std::max(std::abs(n1 - w1), std::abs(n2 - w2));
    // Damping ½ keeps the map contracting for every σ > 1.
    w1 = 0.5 * (w1 + n1);
    w2 = 0.5 * (w2 + n2);
    e.iterations = it + 1;
    if (change < 1e-15) break;
  }
  const double g1 = l1 * std::pow(w1, 1 - sigma) + l2 * std::pow(w2, 1 - sigma) * t;
  const double g2 = l1 * std::pow(w1, 1 - sigma) * t + l2 * std::pow(w2, 1 - sigma);
  e.w1 = w1;
  e.w2 = w2;
  e.G1 = std::pow(g1, 1.0 / (1.0 - sigma));
  e.G2 = std::pow(g2, 1.0 / (1.0 - sigma));
  e.omega1 = w1 * std::pow(e.G1, -mu);
  e.omega2 = w2 * std::pow(e.G2, -mu);
  return e;
}

double wage_gap(double lambda, double T, double sigma, double mu) {
  const auto e = equilibrium(lambda, T, sigma, mu);
  return e.omega1 - e.omega2;
}

namespace {
// d(ω1 − ω2)/dλ at λ = ½ by a central difference (error O(h²) ≈ 1e-8 relative).
double slope_at_half(double T, double sigma, double mu) {
  const double h = 1e-4;
  return (wage_gap(0.5 + h, T, sigma, mu) - wage_gap(0.5 - h, T, sigma, mu)) / (2 * h);
}
}  // namespace

double break_point(double sigma, double mu) {
  // The slope is positive just above T = 1 and negative for large T; scan for the sign change
  // (the first one) and refine it by bisection.
  double lo = 1.0 + 1e-6, flo = slope_at_half(lo, sigma, mu);
  for (double hi = 1.01; hi < 1e3; hi *= 1.05) {
    const double fhi = slope_at_half(hi, sigma, mu);
    if ((flo > 0) != (fhi > 0))
      return bisect([&](double T) { return slope_at_half(T, sigma, mu); }, lo, hi, 1e-11);
    lo = hi;
    flo = fhi;
  }
  return std::nan("");
}

double break_point_closed_form(double sigma, double mu) {
  const double rho = (sigma - 1) / sigma;
  return std::pow((rho + mu) * (1 + mu) / ((rho - mu) * (1 - mu)), 1.0 / (sigma - 1));
}

double sustain_point(double sigma, double mu) {
  auto f = [&](double T) {
    const auto e = equilibrium(1.0, T, sigma, mu);
    return e.omega2 / e.omega1 - 1.0;
  };
  double lo = 1.0 + 1e-6, flo = f(lo);
  for (double hi = 1.01; hi < 1e3; hi *= 1.05) {
    const double fhi = f(hi);
    if ((flo > 0) != (fhi > 0)) return bisect(f, lo, hi, 1e-11);
    lo = hi;
    flo = fhi;
  }
  return std::nan("");
}

}  // namespace krugman

namespace {

class Krugman final : public Model {
 public:
  std::string name() const override { return "krugman"; }
  std::string summary() const override {
    return "Krugman (1991) core–periphery: manufacturing share λ moves to the higher real wage";
  }
  std::vector<ParamSpec> parameters() const override {
    return {{"sigma", 5.0, 1.01, 50.0, "elasticity of substitution between varieties σ"},
            {"mu", 0.4, 0.01, 0.99, "expenditure share (and labour share) of manufactures μ"},
            {"T", 1.7, 1.0, 100.0, "iceberg transport cost T ≥ 1"},
            {"gamma", 2.0, 0.01, 100.0, "speed of migration γ in dλ/dt = γλ(1−λ)(ω1−ω2)"},
            {"dt", 0.1, 1e-4, 1.0, "time step of the Euler integration"},
            {"lambda0", 0.5, 0.0, 1.0, "initial manufacturing share of region 1"},
            {"epsilon", 0.01, 0.0, 0.5, "size of the random perturbation of the initial λ (uniform ±ε)"}};
  }
  std::int64_t default_steps() const override { return 3000; }
  std::string order_parameter() const override { return "lambda_max"; }
  void check(const Params& p) const override {
    const double rho = (p.at("sigma") - 1) / p.at("sigma");
    if (p.at("mu") >= rho)
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("mu={} ≥ (sigma−1)/sigma={}: the 'black hole' case, agglomeration at every T",
                              p.at("mu"), rho),
                  "choose mu < (sigma-1)/sigma (e.g. sigma=5, mu=0.4)");
  }
  Analytic analytic(const Params& p) const override {
    Analytic a;
    const double s = p.at("sigma"), m = p.at("mu");
    const double tb = krugman::break_point(s, m), ts = krugman::sustain_point(s, m);
    a.add("break_point", tb);
    a.add("sustain_point", ts);
    a.add("hysteresis_band", {tb, ts});
    a.add("break_point_closed_form", krugman::break_point_closed_form(s, m));
    a.notes.push_back("break_point: bisection on T of d(ω1−ω2)/dλ at λ=½ from the numerical wage equilibrium");
    a.notes.push_back("sustain_point: bisection on T of ω2/ω1 − 1 at λ=1");
    a.notes.push_back("break_point_closed_form: FKV (1999) eq. 5.26, a cross-check");
    return a;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const double s = p.at("sigma"), m = p.at("mu"), T = p.at("T"), g = p.at("gamma"), dt = p.at("dt");
    core::Stream rng(c.seed, core::stream_id("krugman initial"), c.replicate);
    double lambda = c.initial_state.empty() ? p.at("lambda0") : c.initial_state[0];
    // The perturbation probes stability; it also lifts λ off the boundaries 0 and 1, where
    // λ(1−λ) = 0 would freeze the dynamics even when the core is no longer sustainable.
    const double eps = p.at("epsilon");
    lambda = std::clamp(lambda + eps * (2 * rng.uniform() - 1), 0.01 * eps, 1.0 - 0.01 * eps);
    const std::int64_t steps = c.steps > 0 ? c.steps : default_steps();
    RunResult r;
    data::IntColumn* st = nullptr;
    data::RealColumn *lam = nullptr, *o1 = nullptr, *o2 = nullptr;
    if (c.record_steps) {
      st = &r.steps.add_integer("step");
      lam = &r.steps.add_real("lambda");
      o1 = &r.steps.add_real("omega1");
      o2 = &r.steps.add_real("omega2");
    }
    krugman::Equilibrium e;
    for (std::int64_t t = 0; t <= steps; ++t) {
      e = krugman::equilibrium(lambda, T, s, m);
      if (st && (t % std::max<std::int64_t>(1, steps / 200) == 0 || t == steps)) {
        st->push_back(t);
        lam->push_back(lambda);
        o1->push_back(e.omega1);
        o2->push_back(e.omega2);
      }
      if (t == steps) break;
      lambda = std::clamp(lambda + dt * g * lambda * (1 - lambda) * (e.omega1 - e.omega2), 0.0, 1.0);
    }
    r.metrics = {{"lambda", lambda},
                 {"lambda_max", std::max(lambda, 1 - lambda)},
                 {"omega_gap", e.omega1 - e.omega2}};
    r.final_state = {lambda};
    return r;
  }
};

}  // namespace

std::unique_ptr<Model> make_krugman() { return std::make_unique<Krugman>(); }

}  // namespace agglo::simulate
