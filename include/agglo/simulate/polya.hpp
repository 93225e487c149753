// agglo::simulate — the Pólya urn (Eggenberger & Pólya 1923), the simplest self-reinforcing
// process and the one Arthur, Ermoliev & Kaniovski (1987) generalised to model lock-in.
//
// An urn holds a red and b black balls (a, b > 0, real weights allowed). Each step one ball is
// drawn with probability proportional to the counts and returned with one more of its colour.
// After n draws the number of red draws K follows the beta-binomial law
//   P(K = k) = C(n, k) B(k + a, n − k + b) / B(a, b),
//   E K = n a/(a+b),  Var K = n a b (a+b+n) / ((a+b)² (a+b+1)),
// and the red share converges almost surely to a Beta(a, b) random variable: history, not
// fundamentals, decides where the urn ends up.
#pragma once

#include <vector>

namespace agglo::simulate::polya {

// P(K = k) for k = 0..n.
std::vector<double> beta_binomial_pmf(int n, double a, double b);

}  // namespace agglo::simulate::polya
