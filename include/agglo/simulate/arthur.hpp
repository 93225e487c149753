// agglo::simulate — Arthur's (1989) increasing-returns adoption model.
//
// Arthur (1989), "Competing technologies, increasing returns, and lock-in by historical
// events", Economic Journal 99: 116–131. Adopters of two kinds (R with probability p, S with
// 1 − p) arrive one at a time; R-agents prefer technology A, S-agents B, and each adoption
// raises a technology's payoff by r (increasing returns). Once the adoption lead d = n_A − n_B
// exceeds Δ_S = (b_S − a_S)/r, S-agents too choose A, and from then on everyone does: the lead
// is a random walk with absorbing barriers, at +b (lock-in to A) and −a (lock-in to B).
// With p = ½ (gambler's ruin) the walk from 0 locks into A with probability a/(a+b) and the
// expected time to lock-in is a·b adoptions; for p ≠ ½, with q = 1 − p and ρ = q/p,
//   P(A) = (1 − ρ^a) / (1 − ρ^{a+b}),  E T = a/(q−p) − (a+b)/(q−p) · P(A).
#pragma once

namespace agglo::simulate::arthur {

double lock_in_probability(int a, int b, double p);  // into A (barrier +b)
double expected_lock_in_time(int a, int b, double p);

}  // namespace agglo::simulate::arthur
