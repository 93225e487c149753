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

Equilibrium equilibrium(double lambda, double T, double sigma, double mu, double w1_start, double w2_start) {
  Equilibrium e;
  const double l1 = lambda, l2 = 1.0 - lambda;
  const double t = std::pow(T, 1.0 - sigma);  // T^{1−σ}
  double w1 = w1_start, w2 = w2_start;
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
    // Relative change below 1e-15 (a few units in the last place of the larger wage: an
    // absolute bound would never be met when wages exceed 1, e.g. a core at large T).
    if (change <= 1e-15 * std::max({1.0, w1, w2})) break;
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

Equilibrium equilibrium(double lambda, double T, double sigma, double mu) {
  return equilibrium(lambda, T, sigma, mu, 1.0, 1.0);
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
            {"dt", 0.5, 1e-4, 1.0, "time step of the Euler integration (run length = steps × dt)"},
            {"lambda0", 0.5, 0.0, 1.0, "initial manufacturing share of region 1"},
            {"epsilon", 0.001, 0.0, 0.5,
             "size of the perturbation of the initial λ: ±ε with a random sign, reflected into [0, 1]"}};
  }
  // 6,000 Euler steps of dt = 0.5: 3,000 time units, long enough that the finite-time tips of
  // a T sweep lie within 0.005 of the analytic sustain and break points (σ = 5, μ = 0.4, γ = 2;
  // docs/methods/simulate.md, test SimulateKrugman.FiniteTimeTipsConvergeToTheAnalyticPoints).
  std::int64_t default_steps() const override { return 12000; }
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
  // Sweeping T. The state a run starts in decides which point matters: from (near) the
  // symmetric state, λ0 within 0.1 of ½, a core forms below T_b; from (near) a core, λ0 within
  // 0.1 of 0 or 1, it survives below T_s. Without continuation every run starts from λ0, so
  // both directions tip at the one point λ0 selects. With continuation (hysteresis) the up sweep
  // starts at lo — with a core if one forms or survives there — and loses it at T_s; the down
  // sweep arrives from hi in the symmetric state (when the core was lost or never formed) and
  // breaks it at T_b. Other starting shares: no reference.
  std::vector<ReferenceTip> reference_tips(const Params& p, const std::string& param, double lo, double hi,
                                           bool continuation) const override {
    std::vector<ReferenceTip> v;
    if (param != "T") return v;
    const double s = p.at("sigma"), m = p.at("mu"), l0 = p.at("lambda0");
    const double ts = krugman::sustain_point(s, m), tb = krugman::break_point(s, m);
    const bool near_half = std::abs(l0 - 0.5) <= 0.1, near_core = std::abs(l0 - 0.5) >= 0.4;
    if (!near_half && !near_core) return v;
    const double a = std::min(lo, hi), b = std::max(lo, hi);
    auto add = [&](const char* dir, const char* name, double x) {
      if (x >= a && x <= b) v.push_back({dir, name, x, "analytic"});
    };
    if (!continuation) {
      const char* name = near_half ? "break_point" : "sustain_point";
      const double x = near_half ? tb : ts;
      add("up", name, x);
      add("down", name, x);
      return v;
    }
    const bool core_at_lo = near_half ? a < tb : a < ts;
    if (core_at_lo) add("up", "sustain_point", ts);
    const bool symmetric_at_hi = core_at_lo ? b > ts : near_half || b > ts;
    if (symmetric_at_hi) add("down", "break_point", tb);
    return v;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const double s = p.at("sigma"), m = p.at("mu"), T = p.at("T"), g = p.at("gamma"), dt = p.at("dt");
    core::Stream rng(c.seed, core::stream_id("krugman initial"), c.replicate);
    double lambda = c.initial_state.empty() ? p.at("lambda0") : c.initial_state[0];
    // The perturbation probes stability: a kick of fixed size ε in a random direction,
    // reflected at 0 and 1, so a core (λ = 1) is always pushed inwards by ε — off the boundary,
    // where λ(1−λ) = 0 would freeze the dynamics even when the core is no longer sustainable —
    // and the symmetric state to ½ ± ε. A fixed size makes every replicate probe equally hard,
    // so the time the instability needs to show (the finite-time lag of a tip) is the same for
    // all replicates; the sign decides which region becomes the core.
    const double eps = p.at("epsilon");
    lambda += rng.uniform() < 0.5 ? -eps : eps;
    if (lambda > 1.0) lambda = 2.0 - lambda;
    if (lambda < 0.0) lambda = -lambda;
    lambda = std::clamp(lambda, 0.0, 1.0);
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
      e = t == 0 ? krugman::equilibrium(lambda, T, s, m) : krugman::equilibrium(lambda, T, s, m, e.w1, e.w2);
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
