// Relatedness density, COG and COI in one tiled pass; see include/agglo/complexity/density.hpp.
#include "agglo/complexity/density.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

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
  // φ is symmetric: column sums = row sums, and g0_p = Σ_p' w_p' φ_p'p = Σ_p' φ_pp' w_p' with
  // w_p' = PCI_p' / Σ_p'' φ_p'p'' (the COG sum over every p'; present ones are subtracted below).
  std::vector<double> colsum(P, 0.0), w(P, 0.0), g0(P, 0.0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, P, 64), [&](const auto& range) {
    for (std::size_t p = range.begin(); p < range.end(); ++p) {
      const double* row = phi.row(p);
      double s = 0;
      for (std::size_t q = 0; q < P; ++q) s += row[q];
      colsum[p] = s;
      w[p] = s > 0 && std::isfinite(pci[p]) ? pci[p] / s : 0.0;
    }
  });
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, P, 64), [&](const auto& range) {
    for (std::size_t p = range.begin(); p < range.end(); ++p) {
      const double* row = phi.row(p);
      double s = 0;
      for (std::size_t q = 0; q < P; ++q) s += row[q] * w[q];
      g0[p] = s;
    }
  });
  // D = M·φ and G = M·diag(w)·φ with M sparse (CSR by location, products ascending), blocked
  // like a matrix product so φ is read from memory once instead of once per location: a task
  // owns a strip of kColumns columns of D and G (disjoint writes, no locks); inside it, φ is
  // walked in blocks of kRows products (kRows × kColumns doubles, cache-resident) and every
  // location adds the rows of its present products that fall in the block, keeping a cursor
  // into its product list between blocks. The summation order of each entry is the products
  // in ascending order, whatever the thread count.
  constexpr std::size_t kColumns = 64, kRows = 128;
  const std::size_t strips = (P + kColumns - 1) / kColumns;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, strips, 1), [&](const auto& range) {
    std::vector<std::uint32_t> cursor(L);
    for (std::size_t t = range.begin(); t < range.end(); ++t) {
      const std::size_t j0 = t * kColumns, n = std::min(kColumns, P - j0);
      for (std::size_t c = 0; c < L; ++c) cursor[c] = m.loc_ptr[c];
      for (std::size_t q0 = 0; q0 < P; q0 += kRows) {
        const auto q_end = static_cast<std::uint32_t>(std::min(P, q0 + kRows));
        for (std::size_t c = 0; c < L; ++c) {
          auto k = cursor[c];
          const auto end = m.loc_ptr[c + 1];
          if (k == end || m.loc_products[k] >= q_end) continue;
          double* d = o.density.row(c) + j0;
          double* g = o.cog.row(c) + j0;
          for (; k + 4 <= end && m.loc_products[k + 3] < q_end; k += 4) {
            const auto* q = &m.loc_products[k];
            axpy2x4(d, g, phi.row(q[0]) + j0, phi.row(q[1]) + j0, phi.row(q[2]) + j0, phi.row(q[3]) + j0, w[q[0]],
                    w[q[1]], w[q[2]], w[q[3]], n);
          }
          for (; k < end && m.loc_products[k] < q_end; ++k)
            axpy2(d, g, phi.row(m.loc_products[k]) + j0, w[m.loc_products[k]], n);
          cursor[c] = k;
        }
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

Analysis analyse(const ExportMatrix& x, const AnalysisOptions& options, const std::vector<double>* gdp,
                 data::DenseMatrix* phi_buffer) {
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
  data::DenseMatrix local;
  data::DenseMatrix& phi = phi_buffer ? *phi_buffer : local;
  const bool ecomplexity = options.convention == OutlookConvention::ecomplexity;
  proximity_into(m, options.proximity, ecomplexity || options.density_self_term, phi);
  if (!ecomplexity) {
    a.outlook = outlook(m, phi, a.pci);
  } else {
    // py-ecomplexity (ecomplexity.py, calc_coi_cog and the normalisation after it):
    //   COI_raw = Σ_p d_cp (1 − M_cp) kp_p,  COG_raw = the COG formula with kp,
    //   COG = COG_raw / sd(kc),  COI = (COI_raw − mean) / sd   (numpy std: divisor n).
    // kp, kc are the sign-fixed raw eigenvectors; for reflections and fitness (which
    // py-ecomplexity does not have) the method's own ECI and PCI play their part.
    const bool eigen = options.method == Method::eigenvector;
    const auto& kp = eigen ? a.eigen.pci_raw : a.pci;
    const auto& kc = eigen ? a.eigen.eci_raw : a.eci;
    a.outlook = outlook(m, phi, kp);
    auto moments = [&](const std::vector<double>& v) {
      double s = 0, ss = 0;
      std::size_t n = 0;
      for (std::size_t c = 0; c < v.size(); ++c)
        if (!a.rca.location_excluded[c] && std::isfinite(v[c])) s += v[c], ++n;
      const double mean = n ? s / n : 0.0;
      for (std::size_t c = 0; c < v.size(); ++c)
        if (!a.rca.location_excluded[c] && std::isfinite(v[c])) ss += (v[c] - mean) * (v[c] - mean);
      return std::pair{mean, n ? std::sqrt(ss / n) : 0.0};
    };
    const double kc_sd = moments(kc).second;
    // Spread below rounding is none (the same relative test as normalise()).
    double kc_scale = 0;
    for (double v : kc)
      if (std::isfinite(v)) kc_scale = std::max(kc_scale, std::fabs(v));
    const bool spread = kc_sd > 1e-12 * std::max(kc_scale, 1e-300);
    auto& cog = a.outlook.cog;
    for (std::size_t c = 0; c < cog.rows(); ++c) {
      double* g = cog.row(c);
      for (std::size_t p = 0; p < cog.cols(); ++p) g[p] = spread ? g[p] / kc_sd : 0.0;
    }
    const auto [coi_mean, coi_sd] = moments(a.outlook.coi);
    for (std::size_t c = 0; c < a.outlook.coi.size(); ++c) {
      auto& v = a.outlook.coi[c];
      v = a.rca.location_excluded[c] ? std::nan("") : spread && coi_sd > 0 ? (v - coi_mean) / coi_sd : 0.0;
    }
  }
  if (options.keep_proximity) a.phi = phi_buffer ? phi : std::move(phi);
  if (gdp) {
    a.prody = prody_expy(x, a.rca, *gdp);
    for (const auto& w : a.prody->warnings) a.warnings.push_back(w);
  }
  return a;
}

}  // namespace agglo::complexity
