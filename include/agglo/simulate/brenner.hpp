// agglo::simulate — a birth–death model of local self-augmenting processes in the spirit of
// Brenner (2004, "Local Industrial Clusters: Existence, Emergence and Evolution", Routledge).
//
// The number of firms n in a region changes by births at rate
//   b(n) = α + γ n² / (h² + n²)        (spontaneous entry α plus a self-augmenting term that
//                                        saturates at γ: spin-offs, labour pooling, suppliers)
// and exits at rate d(n) = δ n. The mean-field dynamics dn/dt = b(n) − d(n) has up to three
// fixed points: a stable low state (no cluster), an unstable critical mass and a stable
// cluster. Writing the fixed-point condition as α = φ(n) with φ(n) = δn − γn²/(h²+n²), the low
// state exists while α is below the local maximum of φ (a saddle-node bifurcation: above it
// any region grows into a cluster), and the cluster persists while α is above φ's local
// minimum — the hysteresis that makes a cluster, once formed, outlive the support that made it.
#pragma once

#include <vector>

namespace agglo::simulate::brenner {

struct Rates {
  double alpha, gamma, h, delta;
  double birth(double n) const { return alpha + gamma * n * n / (h * h + n * n); }
  double death(double n) const { return delta * n; }
  double drift(double n) const { return birth(n) - death(n); }
};

// Every root of drift on [0, (α+γ)/δ + 1] (scan of 20000 intervals + bisection), ascending.
std::vector<double> fixed_points(const Rates& r);
// d(drift)/dn at n (negative = stable).
double slope(const Rates& r, double n);
// The saddle-node values of α: {α_low, α_high} with α_low = local maximum of φ (above it the
// low state vanishes) and α_high = local minimum of φ (below it the cluster vanishes; ≤ 0 means
// a cluster never dies out once formed). Empty when φ is monotone (no bistability).
std::vector<double> saddle_nodes(double gamma, double h, double delta);
// For the discrete chain (n → n+1 at rate b(n), n → n−1 at rate d(n)): the probability of
// reaching `hi` before `lo` starting from n0 (lo ≤ n0 ≤ hi) — the gambler's-ruin formula
//   P = Σ_{k=lo}^{n0−1} Π_{j=lo+1}^{k} d(j)/b(j)  /  Σ_{k=lo}^{hi−1} Π_{j=lo+1}^{k} d(j)/b(j).
double splitting_probability(const Rates& r, int lo, int n0, int hi);

}  // namespace agglo::simulate::brenner
