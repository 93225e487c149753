// Marcon–Puech M and its density m (definitions in include/agglo/spatial/mfunction.hpp).
#include "agglo/spatial/mfunction.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/geo/pair_grid.hpp"
#include "agglo/parallel/cancel.hpp"

namespace agglo::spatial {

namespace {

constexpr double inv_sqrt_2pi = 0.39894228040143267794;
const double nan = std::numeric_limits<double>::quiet_NaN();

std::size_t bin_of(double d, double step) { return d <= 0 ? 0 : static_cast<std::size_t>(std::ceil(d / step)); }

void check(const MSpec& s) {
  const std::size_t n = s.x.size();
  AGGLO_ASSERT(s.y.size() == n && s.in_a.size() == n && s.in_b.size() == n);
  AGGLO_ASSERT(s.weight.empty() || s.weight.size() == n);
  if (!(s.max_distance > 0) || !std::isfinite(s.max_distance))
    throw_usage(ErrorCode::invalid_option_value, "--max-distance must be > 0");
  if (s.points < 2) throw_usage(ErrorCode::invalid_option_value, "--points must be ≥ 2");
  std::size_t na = 0, nb = 0;
  for (std::size_t i = 0; i < n; ++i) na += s.in_a[i], nb += s.in_b[i];
  if (na < 1 || nb < 1 || (s.in_a == s.in_b && na < 2))
    throw_input(ErrorCode::invalid_value, "the M function needs at least 2 establishments of the industry (one in each for a bivariate M)");
}

// One evaluation of M and m for given marks (a, b, w) at fixed locations.
struct Eval {
  const geo::PairGrid& grid;
  std::size_t G;
  double step, h;
  void operator()(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b, const std::vector<double>& w,
                  double* M, double* m) const {
    const std::size_t n = a.size();
    double W = 0, WB = 0;
    for (std::size_t i = 0; i < n; ++i) W += w[i], WB += b[i] ? w[i] : 0.0;
    std::vector<std::size_t> refs;
    for (std::size_t i = 0; i < n; ++i)
      if (a[i]) refs.push_back(i);
    // Blocks of 64 reference points, each with its own sums: the reduction order is fixed.
    const std::size_t B = 64, blocks = (refs.size() + B - 1) / B;
    const std::size_t J = static_cast<std::size_t>(std::ceil(6 * h / step)) + 1;
    std::vector<std::vector<double>> num(blocks), den(blocks), dnum(blocks), dden(blocks);
    const double rcut = step * static_cast<double>(G - 1) + 6 * h;
    tbb::parallel_for(std::size_t(0), blocks, [&](std::size_t k) {
      num[k].assign(G, 0.0), den[k].assign(G, 0.0), dnum[k].assign(G, 0.0), dden[k].assign(G, 0.0);
      std::vector<double> all(G + 1), nb(G + 1), kall(G), knb(G);
      for (std::size_t q = k * B; q < std::min(refs.size(), (k + 1) * B); ++q) {
        if (parallel::cancel_requested()) parallel::check_cancelled();
        const std::size_t i = refs[q];
        std::fill(all.begin(), all.end(), 0.0);
        std::fill(nb.begin(), nb.end(), 0.0);
        std::fill(kall.begin(), kall.end(), 0.0);
        std::fill(knb.begin(), knb.end(), 0.0);
        grid.for_each_neighbour(i, [&](std::size_t j, double d) {
          if (d > rcut) return;
          const double wj = w[j];
          const std::size_t k0 = bin_of(d, step);
          if (k0 < G) {
            all[k0] += wj;
            if (b[j]) nb[k0] += wj;
          }
          // kernel: grid points within 6h of d, and the reflected term near 0
          const double cd = d / step;
          const std::size_t lo = cd > static_cast<double>(J) ? static_cast<std::size_t>(cd) - J : 0;
          const std::size_t hi = std::min(G - 1, static_cast<std::size_t>(cd) + J + 1);
          // exp(−u²/2) along the grid by recurrence (u steps by c = Δ/h): e_{g+1} = e_g·ρ_g,
          // ρ_{g+1} = ρ_g·exp(−c²); two exp() per neighbour instead of one per grid point.
          const double c = step / h, shrink = std::exp(-c * c);
          double u = (step * static_cast<double>(lo) - d) / h;
          double e = std::exp(-0.5 * u * u), rho = std::exp(-u * c - 0.5 * c * c);
          for (std::size_t g = lo; g <= hi; ++g) {
            const double v = (step * static_cast<double>(g) + d) / h;
            const double kv = inv_sqrt_2pi * (e + (v < 8 ? std::exp(-0.5 * v * v) : 0.0));
            kall[g] += wj * kv;
            if (b[j]) knb[g] += wj * kv;
            e *= rho;
            rho *= shrink;
          }
          if (lo > 0)
            for (std::size_t g = 0; g < lo && (step * static_cast<double>(g) + d) / h < 8; ++g) {
              const double v = (step * static_cast<double>(g) + d) / h;
              const double kv = inv_sqrt_2pi * std::exp(-0.5 * v * v);
              kall[g] += wj * kv;
              if (b[j]) knb[g] += wj * kv;
            }
        });
        const double global = (WB - (b[i] ? w[i] : 0.0)) / (W - w[i]);
        double ca = 0, cb = 0;
        for (std::size_t g = 0; g < G; ++g) {
          ca += all[g];
          cb += nb[g];
          if (ca > 0) num[k][g] += cb / ca, den[k][g] += global;
          if (kall[g] > 0) dnum[k][g] += knb[g] / kall[g], dden[k][g] += global;
        }
      }
    }, tbb::simple_partitioner());
    // Inside the counterfactual loop this loop is nested: if the run was cancelled, some
    // blocks never ran and their buffers are empty — stop before reading them.
    parallel::check_loop_completed();
    for (std::size_t g = 0; g < G; ++g) {
      double a1 = 0, a2 = 0, a3 = 0, a4 = 0;
      for (std::size_t k = 0; k < blocks; ++k) a1 += num[k][g], a2 += den[k][g], a3 += dnum[k][g], a4 += dden[k][g];
      M[g] = a2 > 0 ? a1 / a2 : nan;
      m[g] = a4 > 0 ? a3 / a4 : nan;
    }
  }
};

// Silverman's rule on the distances from reference points to their neighbours within rmax
// (linear-binned histogram of 4096 bins for the quartiles).
double silverman_neighbours(const geo::PairGrid& grid, const std::vector<std::uint8_t>& a, double rmax) {
  const std::size_t bins = 4096;
  const double delta = rmax / static_cast<double>(bins);
  std::vector<double> hist(bins + 2, 0.0);
  double n = 0, s1 = 0, s2 = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i]) continue;
    grid.for_each_neighbour(i, [&](std::size_t, double d) {
      if (d > rmax) return;
      const double p = d / delta;
      const auto b = std::min<std::size_t>(bins, static_cast<std::size_t>(p));
      const double f = std::min(1.0, p - static_cast<double>(b));
      hist[b] += 1 - f;
      hist[b + 1] += f;
      n += 1, s1 += d, s2 += d * d;
    });
  }
  if (n < 2) return rmax / 10;
  auto quant = [&](double p) {
    double cum = 0;
    const double target = p * n;
    for (std::size_t b = 0; b < hist.size(); ++b) {
      if (hist[b] > 0 && cum + hist[b] >= target)
        return std::max(0.0, (static_cast<double>(b) - 0.5 + (target - cum) / hist[b]) * delta);
      cum += hist[b];
    }
    return rmax;
  };
  const double mean = s1 / n, sd = std::sqrt(std::max(0.0, (s2 - n * mean * mean) / (n - 1)));
  double lo = std::min(sd, (quant(0.75) - quant(0.25)) / 1.34);
  if (!(lo > 0)) lo = sd;
  if (!(lo > 0)) lo = mean;
  if (!(lo > 0)) lo = 1;
  return 0.9 * lo * std::pow(n, -0.2);
}

}  // namespace

MResult mfunction(const MSpec& s) {
  check(s);
  const std::size_t n = s.x.size(), G = s.points;
  const double step = s.max_distance / static_cast<double>(G - 1);
  std::vector<double> w = s.weight.empty() ? std::vector<double>(n, 1.0) : s.weight;
  MResult r;
  for (std::size_t g = 0; g < G; ++g) r.distance.push_back(step * static_cast<double>(g));
  double h = s.bandwidth;
  if (!(h > 0)) {
    const geo::PairGrid g0(s.x, s.y, s.geographic, s.max_distance);
    h = silverman_neighbours(g0, s.in_a, s.max_distance);
  }
  r.bandwidth = h;
  const geo::PairGrid grid(s.x, s.y, s.geographic, s.max_distance + 6 * h);
  const Eval eval{grid, G, step, h};
  r.m.resize(G);
  r.density.resize(G);
  eval(s.in_a, s.in_b, w, r.m.data(), r.density.data());
  if (s.simulations == 0) return r;
  const auto stream = core::stream_id("mfunction");
  auto fill = [&](std::size_t sim, double* row) {
    core::Stream rng(s.seed, stream, sim);
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    for (std::size_t k = n; k > 1; --k) std::swap(perm[k - 1], perm[rng.below(k)]);
    std::vector<std::uint8_t> a(n), b(n);
    std::vector<double> ws(n);
    for (std::size_t k = 0; k < n; ++k) {
      a[k] = s.in_a[perm[k]];
      b[k] = s.in_b[perm[k]];
      ws[k] = s.null_model == MNull::sites ? w[perm[k]] : w[k];
    }
    eval(a, b, ws, row, row + G);
  };
  const auto m = run_simulations(s.simulations, 2 * G, "mfunction counterfactuals", fill);
  if (!m.root) {
    r.root = false;
    return r;
  }
  r.m_bands = envelope_bands(m, s.alpha, 0, G);
  r.density_bands = envelope_bands(m, s.alpha, G, G);
  return r;
}

MResult mfunction_bruteforce(const MSpec& s) {
  check(s);
  AGGLO_ASSERT(s.bandwidth > 0);
  const std::size_t n = s.x.size(), G = s.points;
  const double step = s.max_distance / static_cast<double>(G - 1), h = s.bandwidth;
  std::vector<double> w = s.weight.empty() ? std::vector<double>(n, 1.0) : s.weight;
  double W = 0, WB = 0;
  for (std::size_t i = 0; i < n; ++i) W += w[i], WB += s.in_b[i] ? w[i] : 0.0;
  MResult r;
  r.bandwidth = h;
  for (std::size_t g = 0; g < G; ++g) {
    const double rr = step * static_cast<double>(g);
    double num = 0, den = 0, dn = 0, dd = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!s.in_a[i]) continue;
      double ca = 0, cb = 0, ka = 0, kb = 0;
      for (std::size_t j = 0; j < n; ++j) {
        if (j == i) continue;
        const double d = s.geographic ? geo::haversine_km(s.x[i], s.y[i], s.x[j], s.y[j])
                                      : std::sqrt((s.x[i] - s.x[j]) * (s.x[i] - s.x[j]) + (s.y[i] - s.y[j]) * (s.y[i] - s.y[j]));
        if (bin_of(d, step) <= g && d <= s.max_distance) {
          ca += w[j];
          if (s.in_b[j]) cb += w[j];
        }
        const double u = (rr - d) / h, v = (rr + d) / h;
        const double kv = inv_sqrt_2pi * (std::exp(-0.5 * u * u) + std::exp(-0.5 * v * v));
        ka += w[j] * kv;
        if (s.in_b[j]) kb += w[j] * kv;
      }
      const double global = (WB - (s.in_b[i] ? w[i] : 0.0)) / (W - w[i]);
      if (ca > 0) num += cb / ca, den += global;
      if (ka > 0) dn += kb / ka, dd += global;
    }
    r.distance.push_back(rr);
    r.m.push_back(den > 0 ? num / den : nan);
    r.density.push_back(dd > 0 ? dn / dd : nan);
  }
  return r;
}

}  // namespace agglo::spatial
