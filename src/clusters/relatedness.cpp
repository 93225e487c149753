// Industry × industry relatedness matrices (Delgado, Porter & Stern 2016, section 3.1).
//
// The two co-location measures and co-agglomeration are Gram matrices: with Z the region ×
// industry matrix of centred, unit-norm columns, the correlation matrix is ZᵀZ; with D the
// matrix of share deviations s_ri − x_r, co-agglomeration is DᵀD / (1 − Σ x_r²). Each is one
// dense product (Eigen GEMM) split into fixed-width column blocks that TBB runs in parallel,
// so the cost is O(R·n²) with the constant of an optimised BLAS-3 kernel, never a loop over
// pairs, and the result does not depend on the number of threads (the blocks are fixed, not
// tied to threads).
#include "agglo/clusters/relatedness.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "agglo/core/error.hpp"

namespace agglo::clusters {

namespace {

constexpr Eigen::Index kBlock = 64;  // columns per parallel block of a Gram product

// Copies a row-major DenseMatrix into a column-major Eigen matrix (columns = industries are
// then contiguous, which is what centring and the product want).
Eigen::MatrixXd to_eigen(const data::DenseMatrix& m) {
  Eigen::MatrixXd out(static_cast<Eigen::Index>(m.rows()), static_cast<Eigen::Index>(m.cols()));
  for (std::size_t r = 0; r < m.rows(); ++r)
    for (std::size_t c = 0; c < m.cols(); ++c) out(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = m(r, c);
  return out;
}

// G = ZᵀZ, n × n, exactly symmetric (the upper triangle is mirrored).
data::DenseMatrix gram(const Eigen::MatrixXd& z) {
  const Eigen::Index n = z.cols();
  Eigen::MatrixXd g(n, n);
  const Eigen::Index blocks = (n + kBlock - 1) / kBlock;
  tbb::parallel_for(Eigen::Index(0), blocks, [&](Eigen::Index b) {
    const Eigen::Index j0 = b * kBlock;
    const Eigen::Index w = std::min(kBlock, n - j0);
    g.middleCols(j0, w).noalias() = z.transpose() * z.middleCols(j0, w);
  });
  data::DenseMatrix out(static_cast<std::size_t>(n), static_cast<std::size_t>(n));
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i <= j; ++i) {
      out(static_cast<std::size_t>(i), static_cast<std::size_t>(j)) = g(i, j);
      out(static_cast<std::size_t>(j), static_cast<std::size_t>(i)) = g(i, j);
    }
  return out;
}

void require_rows(std::size_t rows, const char* what) {
  if (rows < 2)
    throw_input(ErrorCode::empty_input,
                fmt::format("{} needs at least 2 observations (regions or occupations); there {} {}", what,
                            rows == 1 ? "is" : "are", rows),
                {}, "relatedness is measured across regions: give a panel with employment in several regions");
}

// Pearson correlation of the columns of x, which is consumed (centred and scaled in place).
// r_ij = Σ_r (x_ri − x̄_i)(x_rj − x̄_j) / (‖x_i − x̄_i‖ ‖x_j − x̄_j‖) = (ZᵀZ)_ij with
// z_ri = (x_ri − x̄_i) / ‖x_i − x̄_i‖.
// The correlations of columns that are already centred (and weighted): each column is scaled
// to unit length — one whose spread is at the rounding level of its values carries no
// information and is zeroed and listed in `constant` — and ZᵀZ is clamped to [−1, 1] with 1 on
// the diagonal. `is_constant` may already flag columns the caller found empty.
// (Flags are chars, not vector<bool>: threads set flags of neighbouring columns concurrently.)
data::DenseMatrix correlation_of_centred(Eigen::MatrixXd& z, std::vector<char> is_constant,
                                         std::vector<std::size_t>* constant) {
  tbb::parallel_for(Eigen::Index(0), z.cols(), [&](Eigen::Index j) {
    auto col = z.col(j);
    const double norm = col.norm();
    if (!(norm > 1e-12)) {
      col.setZero();
      is_constant[static_cast<std::size_t>(j)] = true;
    } else {
      col /= norm;
    }
  });
  auto out = gram(z);
  for (std::size_t i = 0; i < out.rows(); ++i) {
    for (std::size_t j = 0; j < out.cols(); ++j) out(i, j) = std::clamp(out(i, j), -1.0, 1.0);
    out(i, i) = 1.0;
    if (is_constant[i] && constant) constant->push_back(i);
  }
  return out;
}

data::DenseMatrix correlation_of(Eigen::MatrixXd x, std::vector<std::size_t>* constant) {
  require_rows(static_cast<std::size_t>(x.rows()), "a correlation");
  tbb::parallel_for(Eigen::Index(0), x.cols(), [&](Eigen::Index j) { x.col(j).array() -= x.col(j).mean(); });
  return correlation_of_centred(x, std::vector<char>(static_cast<std::size_t>(x.cols()), 0), constant);
}

std::unordered_map<std::string, std::size_t> index_of(const std::vector<std::string>& codes) {
  std::unordered_map<std::string, std::size_t> m;
  m.reserve(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) m.emplace(codes[i], i);
  return m;
}

std::string examples(const std::vector<std::string>& industries, const std::vector<std::size_t>& idx) {
  std::string s;
  for (std::size_t k = 0; k < idx.size() && k < 3; ++k) s += (k ? ", " : "") + industries[idx[k]];
  if (idx.size() > 3) s += ", …";
  return s;
}

}  // namespace

data::DenseMatrix column_correlation(const data::DenseMatrix& x, std::vector<std::size_t>* constant) {
  return correlation_of(to_eigen(x), constant);
}

data::DenseMatrix column_correlation_reference(const data::DenseMatrix& x) {
  const std::size_t R = x.rows(), n = x.cols();
  require_rows(R, "a correlation");
  data::DenseMatrix out(n, n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) {
        out(i, j) = 1.0;
        continue;
      }
      double mi = 0, mj = 0;
      for (std::size_t r = 0; r < R; ++r) {
        mi += x(r, i);
        mj += x(r, j);
      }
      mi /= static_cast<double>(R);
      mj /= static_cast<double>(R);
      double sij = 0, sii = 0, sjj = 0;
      for (std::size_t r = 0; r < R; ++r) {
        sij += (x(r, i) - mi) * (x(r, j) - mj);
        sii += (x(r, i) - mi) * (x(r, i) - mi);
        sjj += (x(r, j) - mj) * (x(r, j) - mj);
      }
      out(i, j) = (sii > 0 && sjj > 0) ? sij / std::sqrt(sii * sjj) : 0.0;
    }
  return out;
}

data::DenseMatrix location_quotients(const data::DenseMatrix& counts) {
  const auto er = counts.row_sums();
  const auto ei = counts.col_sums();
  const double e = counts.sum();
  std::vector<std::size_t> keep;
  for (std::size_t r = 0; r < counts.rows(); ++r)
    if (er[r] > 0) keep.push_back(r);
  data::DenseMatrix lq(keep.size(), counts.cols(), 0.0);
  for (std::size_t k = 0; k < keep.size(); ++k) {
    const std::size_t r = keep[k];
    for (std::size_t i = 0; i < counts.cols(); ++i)
      if (ei[i] > 0) lq(k, i) = (counts(r, i) / er[r]) / (ei[i] / e);
  }
  return lq;
}

data::DenseMatrix lq_correlation(const data::DenseMatrix& counts, std::vector<std::size_t>* constant) {
  return correlation_of(to_eigen(location_quotients(counts)), constant);
}

data::DenseMatrix weighted_lq_correlation(const data::DenseMatrix& counts, std::vector<std::size_t>* constant) {
  const auto er = counts.row_sums();
  const auto ei = counts.col_sums();
  const double e = counts.sum();
  std::vector<std::size_t> keep;
  for (std::size_t r = 0; r < counts.rows(); ++r)
    if (er[r] > 0) keep.push_back(r);
  const auto R = static_cast<Eigen::Index>(keep.size());
  const auto n = static_cast<Eigen::Index>(counts.cols());
  require_rows(keep.size(), "a correlation");
  // z_ri = √w_r (LQ_ri − m_i) / ‖·‖ with m_i = Σ_r w_r LQ_ri (= 1 up to rounding), so that
  // (ZᵀZ)_ij is the weighted correlation.
  Eigen::MatrixXd z(R, n);
  std::vector<char> is_constant(static_cast<std::size_t>(n), 0);
  tbb::parallel_for(Eigen::Index(0), n, [&](Eigen::Index i) {
    const auto ii = static_cast<std::size_t>(i);
    auto col = z.col(i);
    if (!(ei[ii] > 0)) {
      col.setZero();
      is_constant[ii] = true;
      return;
    }
    double mean = 0;
    for (Eigen::Index k = 0; k < R; ++k) {
      const std::size_t r = keep[static_cast<std::size_t>(k)];
      const double w = er[r] / e;
      const double lq = (counts(r, ii) / er[r]) / (ei[ii] / e);
      col(k) = lq;
      mean += w * lq;
    }
    for (Eigen::Index k = 0; k < R; ++k) col(k) = std::sqrt(er[keep[static_cast<std::size_t>(k)]] / e) * (col(k) - mean);
  });
  return correlation_of_centred(z, std::move(is_constant), constant);
}

namespace {
// x_r = E_r / E and the denominator 1 − Σ x_r²; throws when it is 0 (one region).
std::pair<std::vector<double>, double> region_shares(const data::DenseMatrix& employment) {
  const auto er = employment.row_sums();
  const double e = employment.sum();
  std::vector<double> x(er.size(), 0.0);
  double sum_sq = 0;
  for (std::size_t r = 0; r < er.size(); ++r) {
    x[r] = e > 0 ? er[r] / e : 0.0;
    sum_sq += x[r] * x[r];
  }
  const double denom = 1.0 - sum_sq;
  if (!(e > 0) || denom <= 1e-12)
    throw_input(ErrorCode::empty_input,
                "co-agglomeration needs employment in at least 2 regions (1 − Σ x_r² is 0 with one region)", {},
                "give a panel with employment in several regions");
  return {std::move(x), denom};
}
}  // namespace

data::DenseMatrix coagglomeration(const data::DenseMatrix& employment) {
  const auto [x, denom] = region_shares(employment);
  const auto ei = employment.col_sums();
  const auto R = static_cast<Eigen::Index>(employment.rows());
  const auto n = static_cast<Eigen::Index>(employment.cols());
  // d_ri = s_ri − x_r, the deviation of industry i's regional distribution from the
  // distribution of all employment; γ^c = DᵀD / (1 − Σ x²).
  Eigen::MatrixXd d(R, n);
  tbb::parallel_for(Eigen::Index(0), n, [&](Eigen::Index i) {
    const double total = ei[static_cast<std::size_t>(i)];
    for (Eigen::Index r = 0; r < R; ++r)
      d(r, i) = total > 0 ? employment(static_cast<std::size_t>(r), static_cast<std::size_t>(i)) / total -
                                x[static_cast<std::size_t>(r)]
                          : 0.0;
  });
  auto g = gram(d);
  for (std::size_t i = 0; i < g.rows(); ++i)
    for (std::size_t j = 0; j < g.cols(); ++j) g(i, j) /= denom;
  return g;
}

data::DenseMatrix coagglomeration_reference(const data::DenseMatrix& employment) {
  const auto [x, denom] = region_shares(employment);
  const auto ei = employment.col_sums();
  const std::size_t R = employment.rows(), n = employment.cols();
  data::DenseMatrix out(n, n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (!(ei[i] > 0) || !(ei[j] > 0)) continue;
      double s = 0;
      for (std::size_t r = 0; r < R; ++r)
        s += (employment(r, i) / ei[i] - x[r]) * (employment(r, j) / ei[j] - x[r]);
      out(i, j) = s / denom;
    }
  return out;
}

data::DenseMatrix io_max_share(const std::vector<std::string>& industries, const CodeTable& flows,
                               std::size_t* unmatched) {
  const std::size_t n = industries.size();
  const auto idx = index_of(industries);
  data::DenseMatrix f(n, n, 0.0);  // f(i, j): value of i's output bought by j
  std::vector<double> in(n, 0.0), out(n, 0.0);
  std::size_t missed = 0;
  for (std::size_t k = 0; k < flows.size(); ++k) {
    const auto from = idx.find(flows.a[k]);
    const auto to = idx.find(flows.b[k]);
    const double v = flows.value[k];
    if (from != idx.end()) out[from->second] += v;
    if (to != idx.end()) in[to->second] += v;
    if (from != idx.end() && to != idx.end()) f(from->second, to->second) += v;
    else ++missed;
  }
  if (unmatched) *unmatched = missed;
  auto share = [](double num, double den) { return den > 0 ? num / den : 0.0; };
  data::DenseMatrix m(n, n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      m(i, j) = std::max({share(f(j, i), in[i]), share(f(i, j), in[j]), share(f(i, j), out[i]), share(f(j, i), out[j])});
  return m;
}

data::DenseMatrix occupation_similarity(const std::vector<std::string>& industries, const CodeTable& occupations,
                                        std::size_t* missing) {
  const std::size_t n = industries.size();
  const auto idx = index_of(industries);
  std::unordered_map<std::string, Eigen::Index> occ;
  for (std::size_t k = 0; k < occupations.size(); ++k)
    if (idx.count(occupations.a[k])) occ.emplace(occupations.b[k], static_cast<Eigen::Index>(occ.size()));
  Eigen::MatrixXd shares = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(occ.size()), static_cast<Eigen::Index>(n));
  for (std::size_t k = 0; k < occupations.size(); ++k) {
    const auto i = idx.find(occupations.a[k]);
    if (i == idx.end()) continue;
    shares(occ.at(occupations.b[k]), static_cast<Eigen::Index>(i->second)) += occupations.value[k];
  }
  std::size_t absent = 0;
  for (Eigen::Index i = 0; i < shares.cols(); ++i) {
    const double total = shares.col(i).sum();
    if (total > 0) shares.col(i) /= total;
    else ++absent;
  }
  if (missing) *missing = absent;
  return correlation_of(std::move(shares), nullptr);
}

data::DenseMatrix standardise_off_diagonal(const data::DenseMatrix& m) {
  AGGLO_ASSERT(m.rows() == m.cols());
  const std::size_t n = m.rows();
  data::DenseMatrix z(n, n, 0.0);
  if (n < 2) return z;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) sum += m(i, j);
  const double pairs = static_cast<double>(n) * static_cast<double>(n - 1);
  const double mean = sum / pairs;
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) ss += (m(i, j) - mean) * (m(i, j) - mean);
  const double sd = std::sqrt(ss / pairs);
  if (!(sd > 1e-300)) return z;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      if (i != j) z(i, j) = (m(i, j) - mean) / sd;
  return z;
}

data::DenseMatrix combine_standardised(const std::vector<const data::DenseMatrix*>& matrices) {
  AGGLO_ASSERT(!matrices.empty());
  const std::size_t n = matrices.front()->rows();
  data::DenseMatrix out(n, n, 0.0);
  for (const auto* m : matrices) {
    AGGLO_ASSERT(m->rows() == n && m->cols() == n);
    const auto z = standardise_off_diagonal(*m);
    for (std::size_t k = 0; k < n * n; ++k) out.data()[k] += z.data()[k];
  }
  for (std::size_t k = 0; k < n * n; ++k) out.data()[k] /= static_cast<double>(matrices.size());
  return out;
}

data::DenseMatrix submatrix(const data::DenseMatrix& m, const std::vector<std::size_t>& keep) {
  data::DenseMatrix out(keep.size(), keep.size());
  for (std::size_t a = 0; a < keep.size(); ++a)
    for (std::size_t b = 0; b < keep.size(); ++b) out(a, b) = m(keep[a], keep[b]);
  return out;
}

std::vector<std::string> relatedness_measure_names() {
  return {"cor_emp", "cor_est", "wcor_emp", "wcor_est", "coagglomeration", "io", "occupation"};
}

const RelatednessMeasure* Relatedness::find(const std::string& name) const {
  for (const auto& m : measures)
    if (m.name == name) return &m;
  return nullptr;
}

Relatedness compute_relatedness(const RelatednessInput& in, const std::vector<std::string>& requested) {
  const auto& names = relatedness_measure_names();
  for (const auto& r : requested)
    if (std::find(names.begin(), names.end(), r) == names.end())
      throw_usage(ErrorCode::invalid_option_value, fmt::format("unknown relatedness measure '{}'", r),
                  "measures: cor_emp, cor_est, wcor_emp, wcor_est, coagglomeration, io, occupation");
  AGGLO_ASSERT(in.employment.cols() == in.industries.size());
  const bool has_est = in.establishments.rows() > 0;
  if (has_est) AGGLO_ASSERT(in.establishments.rows() == in.employment.rows() && in.establishments.cols() == in.employment.cols());
  auto wanted = [&](const std::string& name, bool available, const char* needs) {
    const bool asked = std::find(requested.begin(), requested.end(), name) != requested.end();
    if (asked && !available)
      throw_usage(ErrorCode::missing_option, fmt::format("relatedness measure '{}' needs {}", name, needs));
    return requested.empty() ? available : asked;
  };

  std::size_t regions_with_jobs = 0;
  for (double v : in.employment.row_sums()) regions_with_jobs += v > 0;
  if (regions_with_jobs < 2)
    throw_input(ErrorCode::empty_input,
                fmt::format("relatedness needs employment in at least 2 regions; the panel has {}", regions_with_jobs),
                {}, "co-location is measured across regions: give a panel with several regions");

  Relatedness out;
  out.industries = in.industries;
  if (wanted("cor_emp", true, "")) {
    std::vector<std::size_t> constant;
    out.measures.push_back({"cor_emp", lq_correlation(in.employment, &constant)});
    if (!constant.empty())
      out.warnings.push_back(fmt::format(
          "{} industr{} ({}) have the same employment LQ in every region (or no employment): their co-location "
          "correlation is set to 0",
          constant.size(), constant.size() == 1 ? "y" : "ies", examples(in.industries, constant)));
  }
  if (wanted("cor_est", has_est, "an 'establishments' column in the employment file")) {
    std::vector<std::size_t> constant;
    out.measures.push_back({"cor_est", lq_correlation(in.establishments, &constant)});
    if (!constant.empty())
      out.warnings.push_back(fmt::format(
          "{} industr{} ({}) have the same establishment LQ in every region: their correlation is set to 0",
          constant.size(), constant.size() == 1 ? "y" : "ies", examples(in.industries, constant)));
  }
  if (wanted("wcor_emp", true, "")) out.measures.push_back({"wcor_emp", weighted_lq_correlation(in.employment)});
  if (wanted("wcor_est", has_est, "an 'establishments' column in the employment file"))
    out.measures.push_back({"wcor_est", weighted_lq_correlation(in.establishments)});
  if (wanted("coagglomeration", true, "")) out.measures.push_back({"coagglomeration", coagglomeration(in.employment)});
  if (wanted("io", in.io != nullptr, "an input-output table (--io FILE with from,to,value)")) {
    std::size_t unmatched = 0;
    out.measures.push_back({"io", io_max_share(in.industries, *in.io, &unmatched)});
    if (unmatched)
      out.warnings.push_back(fmt::format(
          "{} of {} IO rows name an industry that is not in the employment file: they count only in the totals",
          unmatched, in.io->size()));
  }
  if (wanted("occupation", in.occupations != nullptr,
             "an industry × occupation table (--occupations FILE with industry,occupation,employment)")) {
    std::size_t missing = 0;
    out.measures.push_back({"occupation", occupation_similarity(in.industries, *in.occupations, &missing)});
    if (missing)
      out.warnings.push_back(fmt::format(
          "{} industries have no rows in the occupation table: their occupation similarity is set to 0", missing));
  }
  std::vector<const data::DenseMatrix*> ms;
  for (const auto& m : out.measures) ms.push_back(&m.values);
  out.combined = combine_standardised(ms);
  return out;
}

Relatedness restrict_relatedness(const Relatedness& r, const std::vector<std::size_t>& keep) {
  Relatedness out;
  for (auto k : keep) out.industries.push_back(r.industries[k]);
  std::vector<const data::DenseMatrix*> ms;
  for (const auto& m : r.measures) out.measures.push_back({m.name, submatrix(m.values, keep)});
  for (const auto& m : out.measures) ms.push_back(&m.values);
  out.combined = ms.empty() ? data::DenseMatrix(keep.size(), keep.size(), 0.0) : combine_standardised(ms);
  out.warnings = r.warnings;
  return out;
}

}  // namespace agglo::clusters
