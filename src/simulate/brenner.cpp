// Brenner (2004) local self-augmenting birth–death model; see include/agglo/simulate/brenner.hpp.
#include "agglo/simulate/brenner.hpp"

#include <algorithm>
#include <cmath>

#include "agglo/core/rng.hpp"
#include "agglo/simulate/model.hpp"
#include "agglo/simulate/roots.hpp"

namespace agglo::simulate {
namespace brenner {

std::vector<double> fixed_points(const Rates& r) {
  const double top = (r.alpha + r.gamma) / r.delta + 1.0;
  return all_roots([&](double n) { return r.drift(n); }, 0.0, top, 20000, 1e-12);
}

double slope(const Rates& r, double n) {
  // d/dn [γn²/(h²+n²)] = 2γh²n/(h²+n²)².
  const double q = r.h * r.h + n * n;
  return 2 * r.gamma * r.h * r.h * n / (q * q) - r.delta;
}

std::vector<double> saddle_nodes(double gamma, double h, double delta) {
  // φ'(n) = δ − 2γh²n/(h²+n²)²: its roots are the turning points of φ.
  auto dphi = [&](double n) { return delta - 2 * gamma * h * h * n / ((h * h + n * n) * (h * h + n * n)); };
  auto phi = [&](double n) { return delta * n - gamma * n * n / (h * h + n * n); };
  const double top = (gamma / delta) + 10 * h;
  const auto turns = all_roots(dphi, 0.0, top, 20000, 1e-13);
  if (turns.size() < 2) return {};
  return {phi(turns[0]), phi(turns[1])};
}

double splitting_probability(const Rates& r, int lo, int n0, int hi) {
  // Products of d/b accumulated in logs for numerical range.
  double num = 0.0, den = 0.0, logp = 0.0;
  for (int k = lo; k < hi; ++k) {
    if (k > lo) logp += std::log(r.death(k)) - std::log(r.birth(k));
    const double term = std::exp(logp);
    den += term;
    if (k < n0) num += term;
  }
  return num / den;
}

}  // namespace brenner

namespace {

class Brenner final : public Model {
 public:
  std::string name() const override { return "brenner"; }
  std::string summary() const override {
    return "Brenner (2004) local self-augmenting process: births α + γn²/(h²+n²), exits δn";
  }
  std::vector<ParamSpec> parameters() const override {
    return {{"alpha", 1.5, 0.0, 1e6, "spontaneous entry rate α (firms per unit time)"},
            {"gamma", 60.0, 0.0, 1e6, "maximal self-augmenting entry γ"},
            {"h", 30.0, 1e-6, 1e6, "firm count at which self-augmentation reaches half of γ"},
            {"delta", 1.0, 1e-6, 1e3, "exit rate per firm δ"},
            {"n0", 0.0, 0.0, 1e7, "initial number of firms"},
            {"stochastic", 1.0, 0.0, 1.0, "1 = birth–death chain (Gillespie), 0 = mean-field ODE (RK4)", true},
            {"dt", 0.05, 1e-4, 1.0, "time step of the ODE and sampling interval of the chain"}};
  }
  std::int64_t default_steps() const override { return 2000; }
  std::string order_parameter() const override { return "n_final"; }
  Analytic analytic(const Params& p) const override {
    Analytic a;
    const brenner::Rates r{p.at("alpha"), p.at("gamma"), p.at("h"), p.at("delta")};
    const auto fp = brenner::fixed_points(r);
    a.add("fixed_points", fp);
    std::vector<double> stable;
    for (double x : fp) stable.push_back(brenner::slope(r, x) < 0 ? 1.0 : 0.0);
    a.add("fixed_point_stable", stable);
    if (fp.size() == 3) a.add("critical_mass", fp[1]);
    const auto sn = brenner::saddle_nodes(r.gamma, r.h, r.delta);
    if (sn.size() == 2) {
      a.add("saddle_node_alpha", sn[0]);
      a.add("cluster_persists_above_alpha", sn[1]);
    }
    a.notes.push_back("fixed_points: roots of α + γn²/(h²+n²) − δn by scan and bisection");
    a.notes.push_back("saddle_node_alpha: local maximum of φ(n) = δn − γn²/(h²+n²) (low state vanishes above it)");
    a.notes.push_back("cluster_persists_above_alpha: local minimum of φ (≤ 0: a cluster never dies out)");
    return a;
  }
  // Sweeping α from a start below the critical mass: rising, the low state vanishes at the
  // saddle node (the cluster forms); with continuation, falling, the cluster state vanishes at
  // the other saddle node when it is positive. Without continuation every run starts afresh
  // from n0, so both directions tip at the saddle node. Exact for the mean-field ODE
  // (stochastic=0); the chain tips earlier by noise.
  std::vector<ReferenceTip> reference_tips(const Params& p, const std::string& param, double lo, double hi,
                                           bool continuation) const override {
    std::vector<ReferenceTip> v;
    if (param != "alpha") return v;
    const auto sn = brenner::saddle_nodes(p.at("gamma"), p.at("h"), p.at("delta"));
    if (sn.size() != 2) return v;
    const std::string kind = p.at("stochastic") > 0.5 ? "mean-field" : "analytic";
    const double a = std::min(lo, hi), b = std::max(lo, hi);
    auto add = [&](const char* dir, const char* name, double x) {
      if (x >= a && x <= b) v.push_back({dir, name, x, kind});
    };
    add("up", "saddle_node_alpha", sn[0]);
    if (!continuation) add("down", "saddle_node_alpha", sn[0]);
    else if (sn[1] > 0) add("down", "cluster_persists_above_alpha", sn[1]);
    return v;
  }
  RunResult run(const Params& p, const RunConfig& c) const override {
    const brenner::Rates r{p.at("alpha"), p.at("gamma"), p.at("h"), p.at("delta")};
    const double dt = p.at("dt");
    const bool stochastic = p.at("stochastic") > 0.5;
    double n = c.initial_state.empty() ? p.at("n0") : c.initial_state[0];
    if (stochastic) n = std::round(n);
    const std::int64_t steps = c.steps > 0 ? c.steps : default_steps();
    core::Stream rng(c.seed, core::stream_id("brenner chain"), c.replicate);
    RunResult res;
    data::IntColumn* st = nullptr;
    data::RealColumn *tc = nullptr, *nc = nullptr;
    if (c.record_steps) {
      st = &res.steps.add_integer("step");
      tc = &res.steps.add_real("time");
      nc = &res.steps.add_real("n");
    }
    double t = 0.0, sum_second_half = 0.0;
    std::int64_t count_second_half = 0;
    for (std::int64_t s = 0; s <= steps; ++s) {
      if (st) {
        st->push_back(s);
        tc->push_back(s * dt);
        nc->push_back(n);
      }
      if (s >= steps / 2) {
        sum_second_half += n;
        ++count_second_half;
      }
      if (s == steps) break;
      const double target = (s + 1) * dt;
      if (stochastic) {
        // Gillespie (1977): exponential waiting times with total rate b(n) + d(n).
        while (true) {
          const double b = r.birth(n), d = r.death(n), total = b + d;
          if (total <= 0) { t = target; break; }
          const double wait = rng.exponential(total);
          if (t + wait > target) { t = target; break; }  // memoryless: restart at the boundary
          t += wait;
          n += rng.uniform() * total < b ? 1.0 : -1.0;
        }
      } else {
        // Classical RK4 on dn/dt = b(n) − d(n).
        const double k1 = r.drift(n), k2 = r.drift(n + 0.5 * dt * k1), k3 = r.drift(n + 0.5 * dt * k2),
                     k4 = r.drift(n + dt * k3);
        n = std::max(0.0, n + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4));
      }
    }
    const auto fp = brenner::fixed_points(r);
    const double cm = fp.size() == 3 ? fp[1] : -1.0;
    res.metrics = {{"n_final", n},
                   {"n_mean_second_half", sum_second_half / std::max<std::int64_t>(1, count_second_half)},
                   {"cluster", n > (cm >= 0 ? cm : r.h) ? 1.0 : 0.0}};  // past the critical mass (or h)
    res.final_state = {n};
    return res;
  }
};

}  // namespace

std::unique_ptr<Model> make_brenner() { return std::make_unique<Brenner>(); }

}  // namespace agglo::simulate
