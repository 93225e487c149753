// agglo::simulate — Granovetter's (1978) threshold model of collective behaviour
// ("Threshold models of collective behavior", American Journal of Sociology 83: 1420–1443).
//
// N actors; actor i joins (adopts, invests in the cluster, riots) once at least θ_i others
// have joined. From r_0 = 0 the number of participants follows r_{t+1} = #{i : θ_i ≤ r_t}, a
// monotone map that stops at its smallest fixed point. Granovetter's two lessons:
//  * thresholds 0, 1, …, N−1 give a complete cascade (r = N), but moving the actor with
//    threshold 1 to 2 stops it at r = 1 — near-identical crowds, opposite outcomes;
//  * with thresholds Normal(mean, sd) the equilibrium is the smallest root of
//    r = N Φ((r − mean)/sd); as sd grows past a critical value the low equilibrium vanishes
//    and the outcome jumps to near-complete participation (a tipping point).
#pragma once

namespace agglo::simulate::granovetter {

// The equilibrium number of participants for Normal(mean, sd) thresholds in a large crowd:
// iterate r ← N Φ((r − mean)/sd) from 0 to its limit (monotone, so the smallest fixed point),
// refined by bisection on the bracketing fixed-point equation. `+0.5` continuity corrections
// are not applied: this is the N → ∞ mean-field value, in units of actors.
double normal_equilibrium(double N, double mean, double sd);
// The sd at which the equilibrium jumps (bisection on "equilibrium above N/2"), searched on
// [lo, hi]; NaN when there is no jump in that range.
double critical_sd(double N, double mean, double lo, double hi);

}  // namespace agglo::simulate::granovetter
