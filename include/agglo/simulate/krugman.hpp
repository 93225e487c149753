// agglo::simulate — Krugman's (1991) core–periphery model, in the notation of Fujita, Krugman
// & Venables (1999, "The Spatial Economy", ch. 5).
//
// Two regions; a share μ of workers are mobile manufacturing workers, λ of them in region 1;
// farmers (1−μ) are split evenly. Varieties are CES with elasticity σ; shipping a good costs
// the iceberg factor T ≥ 1 (T units leave for one to arrive). The instantaneous equilibrium
// (FKV 5.1–5.4) for given λ:
//   Y_r = μ λ_r w_r + (1−μ)/2                                  income
//   G_r = [ Σ_s λ_s (w_s T_rs)^{1−σ} ]^{1/(1−σ)}                 price index
//   w_r = [ Σ_s Y_s T_rs^{1−σ} G_s^{σ−1} ]^{1/σ}                 nominal wage
//   ω_r = w_r G_r^{−μ}                                          real wage
// with T_rr = 1, T_12 = T. Workers move towards the higher real wage:
//   dλ/dt = γ λ (1−λ) (ω_1 − ω_2).
// The symmetric state λ = ½ is stable for T above the break point T_b, the core λ = 1 is
// sustainable for T below the sustain point T_s; between them both are (hysteresis band).
#pragma once

namespace agglo::simulate::krugman {

struct Equilibrium {
  double w1 = 1, w2 = 1, G1 = 1, G2 = 1, omega1 = 1, omega2 = 1;
  int iterations = 0;
};

// Solves FKV 5.1–5.4 for the wages at a given λ by damped fixed-point iteration on (w1, w2),
// from w = 1, to a relative change below 1e-15 (about 50 iterations).
Equilibrium equilibrium(double lambda, double T, double sigma, double mu);
// The same from given starting wages: a run starts each step from the previous step's wages,
// which λ changed only a little (warm start; fewer iterations, the same fixed point).
Equilibrium equilibrium(double lambda, double T, double sigma, double mu, double w1_start, double w2_start);

// ω_1 − ω_2 at λ.
double wage_gap(double lambda, double T, double sigma, double mu);

// The break point: the T at which d(ω_1 − ω_2)/dλ at λ = ½ changes sign (positive below:
// the symmetric state is unstable). Derived numerically from equilibrium() with a central
// difference in λ and bisection in T. Requires μ < (σ−1)/σ (no "black hole").
double break_point(double sigma, double mu);
// FKV eq. (5.26), closed form: T_b^{σ−1} = (ρ+μ)(1+μ) / ((ρ−μ)(1−μ)), ρ = (σ−1)/σ. Kept only
// to cross-check break_point() in the tests.
double break_point_closed_form(double sigma, double mu);
// The sustain point: the T > 1 at which ω_2/ω_1 = 1 at λ = 1 (the periphery's real wage
// catches up with the core's), by bisection on equilibrium().
double sustain_point(double sigma, double mu);

}  // namespace agglo::simulate::krugman
