// Relatedness density, COG and COI in one tiled pass; see include/agglo/complexity/density.hpp.
#include "agglo/complexity/density.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cmath>

namespace agglo::complexity {

namespace {

// d += x and g += w·x over n entries: the whole inner loop of density and COG. Vectorised by
// the compiler; the AVX2/FMA clone is picked at load time where the CPU has it.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void axpy2(double* __restrict d, double* __restrict g, const double* __restrict x, double w, std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    d[j] += x[j];
    g[j] += w * x[j];
  }
}

// The same for four rows at once: d and g are loaded and stored once per four rows of φ.
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void axpy2x4(double* __restrict d, double* __restrict g, const double* __restrict x0, const double* __restrict x1,
             const double* __restrict x2, const double* __restrict x3, double w0, double w1, double w2, double w3,
             std::size_t n) {
  for (std::size_t j = 0; j < n; ++j) {
    d[j] += (x0[j] + x1[j]) + (x2[j] + x3[j]);
    g[j] += (w0 * x0[j] + w1 * x1[j]) + (w2 * x2[j] + w3 * x3[j]);
  }
}

}  // namespace

Outlook outlook(const Presence& m, const data::DenseMatrix& phi, const std::vector<double>& pci) {
  const std::size_t L = m.locations, P = m.products;
  Outlook o;
  o.density = data::DenseMatrix(L, P, 0.0);
  o.cog = data::DenseMatrix(L, P, 0.0);
  o.coi.assign(L, 0.0);
  // φ is symmetric: column sums = row sums. w_p' = PCI_p' / Σ_p'' φ_p'p''.
  std::vector<double> colsum(P, 0.0), w(P, 0.0), g0(P, 0.0);
  for (std::size_t p = 0; p < P; ++p) {
    const double* row = phi.row(p);
    double s = 0;
    for (std::size_t q = 0; q < P; ++q) s += row[q];
    colsum[p] = s;
    w[p] = s > 0 && std::isfinite(pci[p]) ? pci[p] / s : 0.0;
  }
  // g0_p = Σ_p' w_p' φ_p'p: the COG sum over every p'; the present ones are subtracted below.
  for (std::size_t q = 0; q < P; ++q) {
    if (w[q] == 0) continue;
    const double* row = phi.row(q);
    for (std::size_t p = 0; p < P; ++p) g0[p] += w[q] * row[p];
  }
  // Column tiles of φ small enough to stay in cache while every location walks its products.
  const std::size_t tile = 256;
  const std::size_t tiles = (P + tile - 1) / tile;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, tiles), [&](const auto& range) {
    for (std::size_t t = range.begin(); t < range.end(); ++t) {
      const std::size_t j0 = t * tile, n = std::min(tile, P - j0);
      for (std::size_t c = 0; c < L; ++c) {
        double* d = o.density.row(c) + j0;
        double* g = o.cog.row(c) + j0;
        auto k = m.loc_ptr[c];
        const auto end = m.loc_ptr[c + 1];
        for (; k + 4 <= end; k += 4) {
          const auto* q = &m.loc_products[k];
          axpy2x4(d, g, phi.row(q[0]) + j0, phi.row(q[1]) + j0, phi.row(q[2]) + j0, phi.row(q[3]) + j0, w[q[0]],
                  w[q[1]], w[q[2]], w[q[3]], n);
        }
        for (; k < end; ++k) axpy2(d, g, phi.row(m.loc_products[k]) + j0, w[m.loc_products[k]], n);
      }
    }
  });
  // Finish per location: divide density, turn the present-sum into COG, accumulate COI.
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, L), [&](const auto& range) {
    std::vector<char> present(P);
    for (std::size_t c = range.begin(); c < range.end(); ++c) {
      std::fill(present.begin(), present.end(), 0);
      for (auto k = m.loc_ptr[c]; k < m.loc_ptr[c + 1]; ++k) present[m.loc_products[k]] = 1;
      double* d = o.density.row(c);
      double* g = o.cog.row(c);
      double coi = 0;
      for (std::size_t p = 0; p < P; ++p) {
        d[p] = colsum[p] > 0 ? d[p] / colsum[p] : 0.0;
        g[p] = present[p] ? 0.0 : g0[p] - g[p];
        if (!present[p] && std::isfinite(pci[p])) coi += d[p] * pci[p];
      }
      o.coi[c] = coi;
    }
  });
  return o;
}

}  // namespace agglo::complexity

// ---- The one-year pipeline (include/agglo/complexity/complexity.hpp) -------------------------
// It lives here because the outlook is its last and most expensive stage.
#include "agglo/complexity/complexity.hpp"

namespace agglo::complexity {

Analysis analyse(const ExportMatrix& x, const AnalysisOptions& options, const std::vector<double>* gdp) {
  Analysis a;
  a.rca = rca(x, options.rca);
  const auto& m = a.rca.m;
  a.eigen = eigen_complexity(m, options.normalisation);
  a.refl = reflections(m, options.reflections_iterations);
  a.fit = fitness_complexity(m, options.fitness_iterations, options.fitness_tolerance);
  switch (options.method) {
    case Method::eigenvector:
      a.eci = a.eigen.eci;
      a.pci = a.eigen.pci;
      break;
    case Method::reflections:
      a.eci = a.refl.eci;
      a.pci = a.refl.pci;
      break;
    case Method::fitness: {
      // ln F and ln Q are close to normal where F and Q are heavy-tailed; z-scored like ECI.
      a.eci = a.fit.fitness;
      a.pci = a.fit.complexity;
      for (auto& v : a.eci) v = std::log(v);
      for (auto& v : a.pci) v = std::log(v);
      normalise(a.eci, a.pci, options.normalisation == Normalisation::atlas ? Normalisation::own : options.normalisation);
      break;
    }
  }
  a.warnings = a.rca.warnings;
  for (const auto& w : a.eigen.warnings) a.warnings.push_back(w);
  if (!a.fit.converged)
    a.warnings.push_back("fitness–complexity stopped after " + std::to_string(a.fit.iterations) +
                         " iterations without reaching the tolerance (rankings are usually settled by then)");
  data::DenseMatrix phi = proximity(m, options.proximity, options.density_self_term);
  a.outlook = outlook(m, phi, a.pci);
  if (options.keep_proximity) a.phi = std::move(phi);
  if (gdp) {
    a.prody = prody_expy(x, a.rca, *gdp);
    for (const auto& w : a.prody->warnings) a.warnings.push_back(w);
  }
  return a;
}

}  // namespace agglo::complexity
