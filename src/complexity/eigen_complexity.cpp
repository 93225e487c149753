// ECI and PCI by the eigenvector method, matrix-free (Spectra Lanczos) and a dense reference;
// see include/agglo/complexity/eigen_complexity.hpp for the maths.
#include "agglo/complexity/eigen_complexity.hpp"

#include <Eigen/Dense>
#include <Spectra/SymEigsSolver.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace agglo::complexity {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// y = (S − v₁v₁ᵀ) x on the active locations, S = D_c^{-1/2} M D_p⁻¹ Mᵀ D_c^{-1/2}:
// three sparse passes, O(nnz), never forming S.
class DeflatedOperator {
 public:
  using Scalar = double;
  DeflatedOperator(const Presence& m, const std::vector<std::uint32_t>& active)
      : m_(m), active_(active), t_(m.locations, 0.0), s_(m.products, 0.0), v1_(active.size()) {
    double norm = 0;
    for (std::size_t i = 0; i < active.size(); ++i) norm += m.diversity[active[i]];
    for (std::size_t i = 0; i < active.size(); ++i) v1_[i] = std::sqrt(m.diversity[active[i]] / norm);
  }
  Eigen::Index rows() const { return static_cast<Eigen::Index>(active_.size()); }
  Eigen::Index cols() const { return rows(); }
  void perform_op(const double* x, double* y) const {
    const std::size_t n = active_.size();
    double dot = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = active_[i];
      t_[c] = x[i] / std::sqrt(static_cast<double>(m_.diversity[c]));
      dot += v1_[i] * x[i];
    }
    for (std::size_t p = 0; p < m_.products; ++p) {
      if (m_.ubiquity[p] == 0) continue;
      double acc = 0;
      for (auto k = m_.prod_ptr[p]; k < m_.prod_ptr[p + 1]; ++k) acc += t_[m_.prod_locations[k]];
      s_[p] = acc / m_.ubiquity[p];
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto c = active_[i];
      double acc = 0;
      for (auto k = m_.loc_ptr[c]; k < m_.loc_ptr[c + 1]; ++k) acc += s_[m_.loc_products[k]];
      y[i] = acc / std::sqrt(static_cast<double>(m_.diversity[c])) - dot * v1_[i];
    }
  }

 private:
  const Presence& m_;
  const std::vector<std::uint32_t>& active_;
  mutable std::vector<double> t_, s_;
  std::vector<double> v1_;
};

std::vector<std::uint32_t> active_locations(const Presence& m) {
  std::vector<std::uint32_t> a;
  for (std::size_t c = 0; c < m.locations; ++c)
    if (m.diversity[c] > 0) a.push_back(static_cast<std::uint32_t>(c));
  return a;
}

// From v₂ (on the active locations, unit length) to the signed, normalised ECI and PCI.
void finish(const Presence& m, const std::vector<std::uint32_t>& active, const Eigen::VectorXd& v2,
            Normalisation normalisation, EigenComplexity& out) {
  std::vector<double> u(m.locations, 0.0);
  for (std::size_t i = 0; i < active.size(); ++i) u[active[i]] = v2[static_cast<Eigen::Index>(i)] / std::sqrt(static_cast<double>(m.diversity[active[i]]));
  std::vector<double> kp(m.products, nan), kc(m.locations, nan);
  for (std::size_t p = 0; p < m.products; ++p) {
    if (m.ubiquity[p] == 0) continue;
    double acc = 0;
    for (auto k = m.prod_ptr[p]; k < m.prod_ptr[p + 1]; ++k) acc += u[m.prod_locations[k]];
    kp[p] = acc / m.ubiquity[p];
  }
  std::vector<double> div(m.locations, nan);
  for (auto c : active) {
    double acc = 0;
    for (auto k = m.loc_ptr[c]; k < m.loc_ptr[c + 1]; ++k) acc += kp[m.loc_products[k]];
    kc[c] = acc / m.diversity[c];
    div[c] = m.diversity[c];
  }
  // Sign: ECI correlates positively with diversity (PCI follows, see the header).
  const double r = pearson(kc, div);
  if (r < 0) {
    for (auto& v : kc) v = -v;
    for (auto& v : kp) v = -v;
  }
  out.eci_raw = kc;
  out.pci_raw = kp;
  if (!normalise(kc, kp, normalisation))
    out.warnings.push_back("ECI is undefined: the locations' product mixes carry no second dimension (λ₂ = 0); ECI and PCI are set to 0");
  out.eci = std::move(kc);
  out.pci = std::move(kp);
}

EigenComplexity degenerate(const Presence& m, const std::vector<std::uint32_t>& active) {
  EigenComplexity out;
  out.eci.assign(m.locations, nan);
  out.pci.assign(m.products, nan);
  for (auto c : active) out.eci[c] = 0;
  for (std::size_t p = 0; p < m.products; ++p)
    if (m.ubiquity[p] > 0) out.pci[p] = 0;
  out.warnings.push_back(fmt::format("ECI is undefined with {} active location(s); ECI and PCI are set to 0", active.size()));
  out.eci_raw = out.eci;
  out.pci_raw = out.pci;
  return out;
}

}  // namespace

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  double sa = 0, sb = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) sa += a[i], sb += b[i], ++n;
  if (n < 2) return nan;
  const double ma = sa / n, mb = sb / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : nan;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<std::size_t> idx;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) idx.push_back(i);
  auto ranks = [&](const std::vector<double>& v) {
    std::vector<std::size_t> o(idx.size());
    std::iota(o.begin(), o.end(), 0);
    std::sort(o.begin(), o.end(), [&](auto x, auto y) { return v[idx[x]] < v[idx[y]]; });
    std::vector<double> r(idx.size());
    for (std::size_t i = 0; i < o.size();) {
      std::size_t j = i;
      while (j + 1 < o.size() && v[idx[o[j + 1]]] == v[idx[o[i]]]) ++j;
      for (std::size_t k = i; k <= j; ++k) r[o[k]] = (i + j) / 2.0 + 1;  // average rank of ties
      i = j + 1;
    }
    return r;
  };
  return pearson(ranks(a), ranks(b));
}

bool normalise(std::vector<double>& kc, std::vector<double>& kp, Normalisation normalisation) {
  if (normalisation == Normalisation::none) return true;
  auto moments = [](const std::vector<double>& v, bool sample) {
    double s = 0;
    std::size_t n = 0;
    for (double x : v)
      if (std::isfinite(x)) s += x, ++n;
    const double mean = n ? s / n : 0;
    double ss = 0;
    for (double x : v)
      if (std::isfinite(x)) ss += (x - mean) * (x - mean);
    const double div = sample ? static_cast<double>(n) - 1 : static_cast<double>(n);
    return std::pair{mean, div > 0 ? std::sqrt(ss / div) : 0.0};
  };
  const bool sample = normalisation == Normalisation::sample;
  const auto [mc, sc] = moments(kc, sample);
  // Relative test: kc is the mean of kp over products, so spread below rounding is none.
  double scale = 0;
  for (double x : kc)
    if (std::isfinite(x)) scale = std::max(scale, std::fabs(x));
  if (!(sc > 1e-12 * std::max(scale, 1e-300))) {
    for (auto& x : kc)
      if (std::isfinite(x)) x = 0;
    for (auto& x : kp)
      if (std::isfinite(x)) x = 0;
    return false;
  }
  auto [mp, sp] = normalisation == Normalisation::atlas ? std::pair{mc, sc} : moments(kp, sample);
  if (!(sp > 0)) sp = 1;
  for (auto& x : kc)
    if (std::isfinite(x)) x = (x - mc) / sc;
  for (auto& x : kp)
    if (std::isfinite(x)) x = (x - mp) / sp;
  return true;
}

EigenComplexity eigen_complexity(const Presence& m, Normalisation normalisation) {
  const auto active = active_locations(m);
  const auto n = static_cast<Eigen::Index>(active.size());
  if (n < 2) return degenerate(m, active);
  if (n < 8) return eigen_complexity_dense(m, normalisation);
  DeflatedOperator op(m, active);
  const Eigen::Index nev = 2;
  const Eigen::Index ncv = std::min<Eigen::Index>(n, 24);
  Spectra::SymEigsSolver<DeflatedOperator> eigs(op, nev, ncv);
  eigs.init();  // Spectra's fixed-seed start vector: deterministic
  eigs.compute(Spectra::SortRule::LargestAlge, 5000, 1e-12);
  EigenComplexity out;
  if (eigs.info() != Spectra::CompInfo::Successful) {
    // Expected outcome, not an error: fall back to the exact dense decomposition.
    auto d = eigen_complexity_dense(m, normalisation);
    d.converged = false;
    d.warnings.push_back("the Lanczos eigen-solver did not converge; ECI comes from a dense decomposition");
    return d;
  }
  const Eigen::VectorXd values = eigs.eigenvalues();
  const Eigen::MatrixXd vectors = eigs.eigenvectors();
  out.eigenvalue2 = values[0];
  out.eigenvalue3 = values[1];
  if (out.eigenvalue2 > 1 - 1e-9)
    out.warnings.push_back("the location–product network is disconnected (λ₂ = 1): ECI separates its components");
  const Eigen::VectorXd v2 = vectors.col(0);
  finish(m, active, v2, normalisation, out);
  return out;
}

EigenComplexity eigen_complexity_dense(const Presence& m, Normalisation normalisation) {
  const auto active = active_locations(m);
  const auto n = static_cast<Eigen::Index>(active.size());
  if (n < 2) return degenerate(m, active);
  // A = D_c^{-1/2} M D_p^{-1/2} densely, S = A Aᵀ, full decomposition.
  std::vector<Eigen::Index> row_of(m.locations, -1);
  for (Eigen::Index i = 0; i < n; ++i) row_of[active[i]] = i;
  Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, static_cast<Eigen::Index>(m.products));
  for (auto c : active)
    for (auto k = m.loc_ptr[c]; k < m.loc_ptr[c + 1]; ++k) {
      const auto p = m.loc_products[k];
      a(row_of[c], p) = 1.0 / std::sqrt(static_cast<double>(m.diversity[c]) * m.ubiquity[p]);
    }
  const Eigen::MatrixXd s = a * a.transpose();
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(s);
  EigenComplexity out;
  // Eigenvalues ascending: the last is 1 (√k_c), the one before is λ₂.
  out.eigenvalue2 = es.eigenvalues()[n - 2];
  out.eigenvalue3 = n >= 3 ? es.eigenvalues()[n - 3] : 0.0;
  Eigen::VectorXd v2 = es.eigenvectors().col(n - 2);
  finish(m, active, v2, normalisation, out);
  return out;
}

}  // namespace agglo::complexity
