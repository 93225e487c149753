// Logit, probit and linear probability models for firm surveys (formulas and conventions in
// include/agglo/stats/binary_model.hpp and docs/methods/survey.md).
#include "agglo/stats/binary_model.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"

namespace agglo::stats {

namespace {

using Mat = Eigen::MatrixXd;
using Vec = Eigen::VectorXd;
constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
constexpr double inv_sqrt_2pi = 0.39894228040143267794;

double phi(double t) { return inv_sqrt_2pi * std::exp(-0.5 * t * t); }

// φ(t)/Φ(t), the inverse Mills ratio; for t < −35 Φ underflows, so the asymptotic series
// Φ(t) ≈ φ(t)/(−t)·(1 − t⁻² + 3t⁻⁴) is used instead.
double mills(double t) {
  if (t > -35) return phi(t) / normal_cdf(t);
  const double u = 1 / (t * t);
  return -t / (1 - u + 3 * u * u);
}
double log_normal_cdf(double t) {
  if (t > -35) return std::log(normal_cdf(t));
  const double u = 1 / (t * t);
  return -0.5 * t * t - std::log(-t) - 0.5 * std::log(2 * M_PI) + std::log(1 - u + 3 * u * u);
}
double log1p_exp(double eta) { return eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta)); }

// Per observation: log-likelihood, d1 = ∂ℓ_i/∂η, h = −∂²ℓ_i/∂η² (observed), for y ∈ {0, 1}.
struct RowTerms {
  double ll, d1, h;
};
RowTerms row_terms(LinkFamily f, double eta, double y) {
  if (f == LinkFamily::logit) {
    const double p = 1 / (1 + std::exp(-eta));
    return {y * eta - log1p_exp(eta), y - p, p * (1 - p)};
  }
  // probit, statsmodels' form: q = 2y − 1, t = qη, λ = q φ(t)/Φ(t), h = λ(λ + η) = r(r + t).
  const double q = 2 * y - 1, t = q * eta, r = mills(t);
  return {log_normal_cdf(t), q * r, r * (r + t)};
}
double cdf(LinkFamily f, double eta) {
  if (f == LinkFamily::logit) return 1 / (1 + std::exp(-eta));
  if (f == LinkFamily::probit) return normal_cdf(eta);
  return eta;
}
double density(LinkFamily f, double eta) {  // f = dF/dη
  if (f == LinkFamily::logit) {
    const double p = 1 / (1 + std::exp(-eta));
    return p * (1 - p);
  }
  if (f == LinkFamily::probit) return phi(eta);
  return 1;
}
double density_slope(LinkFamily f, double eta) {  // f' = d²F/dη²
  if (f == LinkFamily::logit) {
    const double p = 1 / (1 + std::exp(-eta));
    return p * (1 - p) * (1 - 2 * p);
  }
  if (f == LinkFamily::probit) return -eta * phi(eta);
  return 0;
}

// The kept columns of the design, read block by block without copying X.
struct Data {
  const Design& d;
  std::vector<std::size_t> kept;
  const std::vector<double>& y;
  const std::vector<double>& w;  // empty = 1
  std::size_t n, block;
  std::size_t blocks() const { return (n + block - 1) / block; }
  double weight(std::size_t i) const { return w.empty() ? 1.0 : w[i]; }
  void gather(std::size_t r0, std::size_t m, Mat& xb) const {
    xb.resize(static_cast<Eigen::Index>(m), static_cast<Eigen::Index>(kept.size()));
    for (std::size_t c = 0; c < kept.size(); ++c)
      xb.col(static_cast<Eigen::Index>(c)) = Eigen::Map<const Vec>(d.columns[kept[c]].data() + r0, static_cast<Eigen::Index>(m));
  }
};

struct Sums {
  double s = 0;  // Σ of the scalar row values
  Vec g;         // Σ v_i x_i
  Mat h;         // Σ h_i x_i x_i' (lower triangle, then symmetrised)
  // Extended passes (the predicted last Newton pass) also gather what the robust errors and
  // the marginal effects need, so X is not read twice more: Σ s_i x_i, Σ s_i² x_i x_i' (the
  // scores s_i) and Σ w f(η_i), Σ w f'(η_i) x_i.
  bool extended = false;
  double s_f = 0;
  Vec g_score, g_f;
  Mat h_score;
};

struct RowExt {
  double ll = 0, v = 0, h = 0;       // Newton: log-likelihood, gradient and Hessian weights
  double score = 0;                  // w ∂ℓ/∂η
  double f = 0, fp = 0;              // w f(η), w f'(η)
};

// One parallel pass over fixed blocks of rows. For each row, `row(i, eta_i, v, h)` returns a
// scalar and sets v (gradient weight) and h ≥ 0 (cross-product weight); eta = x_i'b is
// computed when `b` is non-empty. Block results are summed in block order, so the result does
// not depend on the number of threads.
template <class RowFn>
Sums pass(const Data& D, const Vec& b, bool want_h, RowFn row) {
  const std::size_t nb = D.blocks();
  const auto k = static_cast<Eigen::Index>(D.kept.size());
  std::vector<Sums> parts(nb);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nb), [&](const tbb::blocked_range<std::size_t>& r) {
    Mat xb;
    Vec eta, v, hs;
    for (std::size_t blk = r.begin(); blk != r.end(); ++blk) {
      const std::size_t r0 = blk * D.block, m = std::min(D.block, D.n - r0);
      D.gather(r0, m, xb);
      const auto mi = static_cast<Eigen::Index>(m);
      if (b.size() > 0) eta.noalias() = xb * b;
      else eta.setZero(mi);
      v.resize(mi);
      hs.resize(mi);
      double s = 0;
      for (Eigen::Index i = 0; i < mi; ++i) {
        double vi = 0, hi = 0;
        s += row(r0 + static_cast<std::size_t>(i), eta[i], vi, hi);
        v[i] = vi;
        hs[i] = std::sqrt(std::max(hi, 0.0));
      }
      auto& out = parts[blk];
      out.s = s;
      out.g.noalias() = xb.transpose() * v;
      if (want_h) {
        xb.array().colwise() *= hs.array();
        out.h = Mat::Zero(k, k);
        out.h.selfadjointView<Eigen::Lower>().rankUpdate(xb.transpose());
      }
    }
  });
  Sums tot;
  tot.g = Vec::Zero(k);
  if (want_h) tot.h = Mat::Zero(k, k);
  for (const auto& p : parts) {
    tot.s += p.s;
    tot.g += p.g;
    if (want_h) tot.h += p.h;
  }
  if (want_h) tot.h = tot.h.selfadjointView<Eigen::Lower>();
  return tot;
}

// The extended pass (see Sums): Newton sums plus scores and marginal-effect sums in one read.
template <class RowFn>
Sums pass_ext(const Data& D, const Vec& b, bool want_meat, RowFn row) {
  const std::size_t nb = D.blocks();
  const auto k = static_cast<Eigen::Index>(D.kept.size());
  std::vector<Sums> parts(nb);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nb), [&](const tbb::blocked_range<std::size_t>& r) {
    Mat xb, xs;
    Vec eta, v, hs, sc, asc, fp;
    for (std::size_t blk = r.begin(); blk != r.end(); ++blk) {
      const std::size_t r0 = blk * D.block, m = std::min(D.block, D.n - r0);
      D.gather(r0, m, xb);
      const auto mi = static_cast<Eigen::Index>(m);
      eta.noalias() = xb * b;
      v.resize(mi);
      hs.resize(mi);
      sc.resize(mi);
      asc.resize(mi);
      fp.resize(mi);
      auto& out = parts[blk];
      for (Eigen::Index i = 0; i < mi; ++i) {
        RowExt e;
        row(r0 + static_cast<std::size_t>(i), eta[i], e);
        out.s += e.ll;
        out.s_f += e.f;
        v[i] = e.v;
        hs[i] = std::sqrt(std::max(e.h, 0.0));
        sc[i] = e.score;
        asc[i] = std::fabs(e.score);
        fp[i] = e.fp;
      }
      out.g.noalias() = xb.transpose() * v;
      out.g_score.noalias() = xb.transpose() * sc;
      out.g_f.noalias() = xb.transpose() * fp;
      xs = xb.array().colwise() * hs.array();
      out.h = Mat::Zero(k, k);
      out.h.selfadjointView<Eigen::Lower>().rankUpdate(xs.transpose());
      if (want_meat) {
        xb.array().colwise() *= asc.array();
        out.h_score = Mat::Zero(k, k);
        out.h_score.selfadjointView<Eigen::Lower>().rankUpdate(xb.transpose());
      }
    }
  });
  Sums tot;
  tot.extended = true;
  tot.g = tot.g_score = tot.g_f = Vec::Zero(k);
  tot.h = Mat::Zero(k, k);
  if (want_meat) tot.h_score = Mat::Zero(k, k);
  for (const auto& p : parts) {
    tot.s += p.s;
    tot.s_f += p.s_f;
    tot.g += p.g;
    tot.g_score += p.g_score;
    tot.g_f += p.g_f;
    tot.h += p.h;
    if (want_meat) tot.h_score += p.h_score;
  }
  tot.h = tot.h.selfadjointView<Eigen::Lower>();
  if (want_meat) tot.h_score = tot.h_score.selfadjointView<Eigen::Lower>();
  return tot;
}

std::string fmt_coef(double a) {
  const double r = std::round(a);
  if (std::fabs(a - r) < 1e-6 * std::max(1.0, std::fabs(a))) return fmt::format("{}", r);
  return fmt::format("{:.4g}", a);
}

// Sequential Cholesky of A = X'WX in design order (R's glm convention): column j is dropped
// when its residual variance after projecting on the kept earlier columns is below tol·A_jj.
void find_collinear(const Design& d, const Mat& A, double tol, std::vector<std::size_t>& kept,
                    std::vector<std::string>& dropped, std::vector<std::string>& reason) {
  kept.clear();
  for (std::size_t j = 0; j < d.cols(); ++j) {
    const auto jj = static_cast<Eigen::Index>(j);
    const double ajj = A(jj, jj);
    if (!(ajj > 0)) {
      dropped.push_back(d.terms[j]);
      reason.push_back("has no variation (every value is 0 in the estimation sample)");
      continue;
    }
    if (kept.empty()) {
      kept.push_back(j);
      continue;
    }
    const auto m = static_cast<Eigen::Index>(kept.size());
    Mat K(m, m);
    Vec c(m);
    for (Eigen::Index a = 0; a < m; ++a) {
      c[a] = A(static_cast<Eigen::Index>(kept[a]), jj);
      for (Eigen::Index b = 0; b < m; ++b) K(a, b) = A(static_cast<Eigen::Index>(kept[a]), static_cast<Eigen::Index>(kept[b]));
    }
    Eigen::LLT<Mat> llt(K);
    const Vec v = llt.matrixL().solve(c);
    const double resid = ajj - v.squaredNorm();
    if (resid > tol * ajj) {
      kept.push_back(j);
      continue;
    }
    const Vec alpha = llt.solve(c);
    std::string combo;
    for (Eigen::Index a = 0; a < m; ++a) {
      const double scale = std::sqrt(K(a, a) / ajj);
      if (std::fabs(alpha[a]) * scale < 1e-7) continue;
      const double coef = alpha[a];
      combo += combo.empty() ? (coef < 0 ? "−" : "") : (coef < 0 ? " − " : " + ");
      combo += fmt::format("{}·{}", fmt_coef(std::fabs(coef)), d.terms[kept[a]]);
    }
    dropped.push_back(d.terms[j]);
    reason.push_back("is a linear combination of earlier terms: " + d.terms[j] + " = " + (combo.empty() ? "0" : combo));
  }
}

}  // namespace

const char* family_name(LinkFamily f) {
  switch (f) {
    case LinkFamily::logit: return "logit";
    case LinkFamily::probit: return "probit";
    case LinkFamily::linear: return "lpm";
  }
  return "?";
}
const char* covariance_name(CovarianceType c) {
  switch (c) {
    case CovarianceType::classic: return "classic";
    case CovarianceType::hc0: return "hc0";
    case CovarianceType::hc1: return "hc1";
    case CovarianceType::cluster: return "cluster";
    case CovarianceType::survey: return "survey";
  }
  return "?";
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) return p == 0 ? -INFINITY : p == 1 ? INFINITY : nan_v;
  // P. J. Acklam's rational approximation (relative error 1.15e-9), then one Halley step.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  double x;
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    const double q = std::sqrt(-2 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const double e = normal_cdf(x) - p, u = e * std::sqrt(2 * M_PI) * std::exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

void Design::add(std::string term, std::vector<double> values, int group_id) {
  if (terms.empty() && columns.empty()) rows = values.size();
  AGGLO_ASSERT(values.size() == rows);
  terms.push_back(std::move(term));
  columns.push_back(std::move(values));
  group.push_back(group_id);
}

BinaryModel fit_binary_model(const Design& design, const std::vector<double>& y, const std::vector<double>& weights,
                             const std::vector<std::uint32_t>& cluster, const FitOptions& o) {
  const std::size_t n = design.rows, K = design.cols();
  AGGLO_ASSERT(y.size() == n);
  AGGLO_ASSERT(weights.empty() || weights.size() == n);
  AGGLO_ASSERT(cluster.empty() || cluster.size() == n);
  AGGLO_ASSERT(design.group.size() == K);
  const LinkFamily fam = o.family;
  const bool glm = fam != LinkFamily::linear;
  BinaryModel M;
  M.family = fam;
  M.covariance = o.covariance;
  M.marginal = o.marginal;
  M.terms = design.terms;
  M.n = n;
  if (o.covariance == CovarianceType::cluster && cluster.empty())
    throw_usage(ErrorCode::missing_option, "cluster-robust standard errors need a cluster column (--cluster)");
  if (n == 0) throw_input(ErrorCode::empty_input, "no observations to fit the model on");
  for (std::size_t i = 0; i < n; ++i) {
    if (!weights.empty() && !(weights[i] > 0))
      throw_input(ErrorCode::invalid_value, fmt::format("survey weight {} of observation {} is not > 0", weights[i], i + 1));
    if (glm && y[i] != 0 && y[i] != 1)
      throw_input(ErrorCode::invalid_value, fmt::format("outcome value {} of observation {} is not 0 or 1", y[i], i + 1));
  }
  Data D{design, {}, y, weights, n, std::max<std::size_t>(64, o.block_rows)};
  for (std::size_t j = 0; j < K; ++j) D.kept.push_back(j);

  // Σw, Σwy and the constant columns (the intercept) of the full design.
  const Vec none;
  double sum_wy = 0, sum_w = 0;
  for (std::size_t i = 0; i < n; ++i) sum_w += D.weight(i), sum_wy += D.weight(i) * y[i];
  M.sum_weights = sum_w;
  const double ybar = sum_wy / sum_w;
  std::vector<bool> const_full(K, false);
  int const_full_at = -1;
  for (std::size_t j = 0; j < K; ++j) {
    const auto& col = design.columns[j];
    const_full[j] = std::all_of(col.begin(), col.end(), [&](double v) { return v == col[0]; }) && col[0] != 0;
    if (const_full[j] && const_full_at < 0) const_full_at = static_cast<int>(j);
  }
  if (glm && (ybar <= 0 || ybar >= 1))
    throw_input(ErrorCode::invalid_value,
                fmt::format("the outcome is {} for every observation: there is nothing to model", ybar <= 0 ? 0 : 1));

  // The first pass over all columns gives the matrix the collinearity check runs on: X'WX for
  // the LPM; for logit and probit the Newton pass at the start values (intercept F⁻¹(ȳ), other
  // coefficients 0), whose Hessian X' diag(w_i h_i) X has positive row weights (constant ones
  // for the logit) and so the same rank — one pass of X instead of two.
  Vec b_full = Vec::Zero(static_cast<Eigen::Index>(K));
  if (glm && const_full_at >= 0) {
    const double y0 = std::clamp(ybar, 1e-6, 1 - 1e-6);
    b_full[const_full_at] = (fam == LinkFamily::logit ? std::log(y0 / (1 - y0)) : normal_quantile(y0)) /
                            design.columns[static_cast<std::size_t>(const_full_at)][0];
  }
  std::vector<double> eta(n), eta_next(n);
  auto newton_row = [&](std::vector<double>& eta_out) {
    return [&, out = &eta_out](std::size_t i, double e, double& v, double& h) {
      (*out)[i] = e;
      const auto rt = row_terms(fam, e, y[i]);
      const double w = D.weight(i);
      v = w * rt.d1;
      h = w * rt.h;
      return w * rt.ll;
    };
  };
  const Sums first = glm ? pass(D, b_full, true, newton_row(eta)) : pass(D, none, true, [&](std::size_t i, double, double& v, double& h) {
    const double w = D.weight(i);
    v = w * y[i];
    h = w;
    return w;
  });
  std::vector<std::size_t> kept;
  find_collinear(design, first.h, o.collinearity_tolerance, kept, M.dropped, M.dropped_reason);
  for (std::size_t a = 0; a < M.dropped.size(); ++a) {
    if (!o.drop_collinear)
      throw_input(ErrorCode::invalid_value, fmt::format("collinear predictors: {} {}", M.dropped[a], M.dropped_reason[a]), {},
                  "drop one of the terms, or choose another baseline level");
    M.warnings.push_back(fmt::format("term {} was dropped: it {}", M.dropped[a], M.dropped_reason[a]));
  }
  const std::size_t k = kept.size();
  M.parameters = k;
  if (n <= k)
    throw_input(ErrorCode::empty_input, fmt::format("{} observations are not enough for {} parameters", n, k));
  // Restrict the first pass to the kept columns.
  Sums first_k;
  first_k.s = first.s;
  first_k.g.resize(static_cast<Eigen::Index>(k));
  first_k.h.resize(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(k));
  Vec b0(static_cast<Eigen::Index>(k));
  for (std::size_t a = 0; a < k; ++a) {
    const auto ai = static_cast<Eigen::Index>(a), ja = static_cast<Eigen::Index>(kept[a]);
    first_k.g[ai] = first.g[ja];
    b0[ai] = b_full[ja];
    for (std::size_t c = 0; c < k; ++c) first_k.h(ai, static_cast<Eigen::Index>(c)) = first.h(ja, static_cast<Eigen::Index>(kept[c]));
  }
  D.kept = kept;
  std::vector<bool> is_const(k, false);
  int const_at = -1;
  for (std::size_t a = 0; a < k; ++a) {
    is_const[a] = const_full[kept[a]];
    if (is_const[a] && const_at < 0) const_at = static_cast<int>(a);
  }

  // Separation checks before fitting (logit, probit): the outcome must vary, and no single
  // column may split it. A tie at the boundary is quasi-separation (e.g. a dummy whose firms
  // all innovate): a warning, the term's estimate is reported empty.
  std::vector<std::string> quasi;
  if (glm) {
    if (ybar <= 0 || ybar >= 1)
      throw_input(ErrorCode::invalid_value,
                  fmt::format("the outcome is {} for every observation: there is nothing to model", ybar <= 0 ? 0 : 1));
    for (std::size_t a = 0; a < k; ++a) {
      if (is_const[a]) continue;
      const auto& col = design.columns[kept[a]];
      double min0 = INFINITY, max0 = -INFINITY, min1 = INFINITY, max1 = -INFINITY;
      for (std::size_t i = 0; i < n; ++i) {
        if (y[i] == 1) min1 = std::min(min1, col[i]), max1 = std::max(max1, col[i]);
        else min0 = std::min(min0, col[i]), max0 = std::max(max0, col[i]);
      }
      const auto& t = design.terms[kept[a]];
      if (max0 < min1 || max1 < min0) {
        const bool up = max0 < min1;
        throw_input(ErrorCode::invalid_value,
                    fmt::format("perfect separation: {} alone predicts the outcome exactly (every observation with outcome 1 "
                                "has {} {} {} and every one with outcome 0 has {} {} {}); the maximum-likelihood "
                                "estimate does not exist",
                                t, t, up ? "≥" : "≤", fmt_coef(up ? min1 : max1), t, up ? "≤" : "≥", fmt_coef(up ? max0 : min0)),
                    {}, "drop the term, merge its categories, or fit --family lpm");
      }
      if (max0 == min1 || max1 == min0) quasi.push_back(t);
    }
  }

  Vec b = b0;
  Mat H;
  Sums last_pass;  // the final Newton pass when it was an extended one
  if (!glm) {
    // Weighted least squares: b = (X'WX)⁻¹ X'Wy.
    H = first_k.h;
    Eigen::LDLT<Mat> ldlt(H);
    b = ldlt.solve(first_k.g);
    const Sums r = pass(D, b, false, [&](std::size_t i, double e, double& v, double& h) {
      eta[i] = e;
      const double res = y[i] - e, w = D.weight(i);
      v = 0;
      h = 0;
      return w * res * res;
    });
    const double ssr = r.s;
    double sst = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const double dv = y[i] - (const_at >= 0 ? ybar : 0.0);
      sst += D.weight(i) * dv * dv;
    }
    double sum_log_w = 0;
    if (!weights.empty())
      for (double w : weights) sum_log_w += std::log(w);
    const double n2 = static_cast<double>(n) / 2;
    M.log_likelihood = -n2 * std::log(ssr) - (1 + std::log(M_PI / n2)) * n2 + 0.5 * sum_log_w;
    M.r2 = 1 - ssr / sst;
    M.mcfadden_r2 = nan_v;
    M.null_log_likelihood = nan_v;
    M.converged = true;
    M.iterations = 1;
  } else {
    auto newton_pass = [&](const Vec& bb, std::vector<double>& eta_out) { return pass(D, bb, true, newton_row(eta_out)); };
    const bool meat_by_rows = o.covariance == CovarianceType::hc0 || o.covariance == CovarianceType::hc1 ||
                              (o.covariance == CovarianceType::survey && cluster.empty());
    auto extended_pass = [&](const Vec& bb, std::vector<double>& eta_out) {
      return pass_ext(D, bb, meat_by_rows, [&, out = &eta_out](std::size_t i, double e, RowExt& r) {
        (*out)[i] = e;
        const auto rt = row_terms(fam, e, y[i]);
        const double w = D.weight(i);
        r.ll = w * rt.ll;
        r.v = r.score = w * rt.d1;
        r.h = w * rt.h;
        r.f = w * density(fam, e);
        r.fp = w * density_slope(fam, e);
      });
    };
    Sums cur = std::move(first_k);  // the pass at the start values, already done
    for (int it = 1; it <= o.max_iterations; ++it) {
      Eigen::LDLT<Mat> ldlt(cur.h);
      if (ldlt.info() != Eigen::Success || !ldlt.isPositive() || (ldlt.vectorD().array() <= 0).any()) break;
      const Vec step = ldlt.solve(cur.g);
      M.newton_decrement = cur.g.dot(step);
      if (!std::isfinite(M.newton_decrement)) break;
      if (M.newton_decrement < o.tolerance) {
        M.converged = true;
        break;
      }
      // A decrement this small makes the next iterate the last (Newton converges
      // quadratically): gather the robust-error and marginal-effect sums in the same pass.
      const bool predicted_last = M.newton_decrement < 1e-6;
      double t = 1;
      Vec bn;
      Sums nx;
      for (int h = 0; h < 40; ++h, t /= 2) {
        bn = b + t * step;
        nx = predicted_last ? extended_pass(bn, eta_next) : newton_pass(bn, eta_next);
        if (nx.s >= cur.s - 1e-12 * std::fabs(cur.s)) break;
      }
      b = bn;
      cur = std::move(nx);
      eta.swap(eta_next);
      M.iterations = it;
    }
    H = cur.h;
    if (M.converged && cur.extended) last_pass = std::move(cur);
    M.log_likelihood = last_pass.extended ? last_pass.s : cur.s;
    // Null model: the intercept alone (P = weighted mean of y); without an intercept P = ½.
    const double p0 = const_at >= 0 ? ybar : 0.5;
    M.null_log_likelihood = sum_wy * std::log(p0) + (M.sum_weights - sum_wy) * std::log1p(-p0);
    M.mcfadden_r2 = 1 - M.log_likelihood / M.null_log_likelihood;
    if (!M.converged)
      M.warnings.push_back(fmt::format("the {} fit did not converge in {} iterations (Newton decrement {:.3g}); estimates "
                                       "are the last iterate",
                                       family_name(fam), M.iterations, M.newton_decrement));
    // Perfectly predicted observations: fitted probability within 1e-8 of the observed 0/1.
    for (std::size_t i = 0; i < n; ++i)
      if (std::fabs(y[i] - cdf(fam, eta[i])) < 1e-8) ++M.perfectly_predicted;
    if (M.perfectly_predicted == n) {
      std::string big;
      for (std::size_t a = 0; a < k; ++a)
        if (!is_const[a]) big += (big.empty() ? "" : ", ") + design.terms[kept[a]];
      throw_input(ErrorCode::invalid_value,
                  fmt::format("perfect separation: the predictors ({}) predict every observation's outcome exactly; "
                              "the maximum-likelihood estimate does not exist",
                              big),
                  {}, "drop or merge predictors, or fit --family lpm");
    }
    if (M.perfectly_predicted > 0) {
      // Name the terms with an implausibly large standardised coefficient |b_j|·sd(x_j) > 10.
      for (std::size_t a = 0; a < k; ++a) {
        if (is_const[a]) continue;
        const auto& col = design.columns[kept[a]];
        double m1 = 0, m2 = 0;
        for (double v : col) m1 += v;
        m1 /= static_cast<double>(n);
        for (double v : col) m2 += (v - m1) * (v - m1);
        const double sd = std::sqrt(m2 / static_cast<double>(n));
        const auto& t = design.terms[kept[a]];
        if (std::fabs(b[static_cast<Eigen::Index>(a)]) * sd > 10 && std::find(quasi.begin(), quasi.end(), t) == quasi.end())
          quasi.push_back(t);
      }
    }
    if (!quasi.empty() || (M.perfectly_predicted > 0 && !M.converged)) {
      M.separation = SeparationKind::quasi;
      M.separated_terms = quasi;
      M.warnings.push_back(fmt::format(
          "quasi-separation: {} observation(s) are predicted exactly{}{}; the estimates of {} are not identified and are "
          "reported empty (merge categories, drop the term, or fit --family lpm)",
          M.perfectly_predicted, quasi.empty() ? "" : " by ", fmt::join(quasi, ", "),
          quasi.empty() ? "the model" : "these terms"));
    }
  }

  // Covariance: bread B = H⁻¹, meat from the scores s_i = w_i d1_i x_i.
  const auto kk = static_cast<Eigen::Index>(k);
  const Mat Binv = Eigen::LDLT<Mat>(H).solve(Mat::Identity(kk, kk));
  auto score_weight = [&](std::size_t i) {
    if (!glm) return D.weight(i) * (y[i] - eta[i]);
    return D.weight(i) * row_terms(fam, eta[i], y[i]).d1;
  };
  const double nd = static_cast<double>(n), kd = static_cast<double>(k);
  Mat V;
  std::size_t G = 0;
  if (!cluster.empty()) {
    std::uint32_t mx = 0;
    for (auto g : cluster) mx = std::max(mx, g);
    std::vector<char> seen(static_cast<std::size_t>(mx) + 1, 0);
    for (auto g : cluster) seen[g] = 1;
    G = static_cast<std::size_t>(std::count(seen.begin(), seen.end(), 1));
    M.clusters = G;
  }
  switch (o.covariance) {
    case CovarianceType::classic: {
      if (glm) V = Binv;
      else {
        double ssr = 0;
        for (std::size_t i = 0; i < n; ++i) ssr += D.weight(i) * (y[i] - eta[i]) * (y[i] - eta[i]);
        V = Binv * (ssr / (nd - kd));
      }
      break;
    }
    case CovarianceType::hc0:
    case CovarianceType::hc1:
    case CovarianceType::survey:
      if (o.covariance != CovarianceType::survey || cluster.empty()) {
        Sums meat;
        if (last_pass.extended) {
          meat.g = last_pass.g_score;
          meat.h = last_pass.h_score;
        } else {
          meat = pass(D, none, true, [&](std::size_t i, double, double& v, double& h) {
            const double s = score_weight(i);
            v = s;
            h = s * s;
            return 0.0;
          });
        }
        Mat Mt = meat.h;
        double f = 1;
        if (o.covariance == CovarianceType::hc1) f = nd / (nd - kd);
        if (o.covariance == CovarianceType::survey) {
          Mt -= meat.g * meat.g.transpose() / nd;  // centre the scores (Σ s_i is 0 at the MLE)
          f = nd / (nd - 1);
        }
        V = Binv * (Mt * f) * Binv;
        break;
      }
      [[fallthrough]];
    case CovarianceType::cluster: {
      // Score totals per cluster, column by column (each column in parallel, rows in order).
      std::uint32_t mx = 0;
      for (auto g : cluster) mx = std::max(mx, g);
      Mat S = Mat::Zero(static_cast<Eigen::Index>(mx) + 1, kk);
      std::vector<double> s(n);
      for (std::size_t i = 0; i < n; ++i) s[i] = score_weight(i);
      tbb::parallel_for(std::size_t{0}, k, [&](std::size_t a) {
        const auto& col = design.columns[kept[a]];
        for (std::size_t i = 0; i < n; ++i) S(cluster[i], static_cast<Eigen::Index>(a)) += s[i] * col[i];
      });
      const double Gd = static_cast<double>(G);
      if (G < 2) throw_input(ErrorCode::invalid_value, "cluster-robust standard errors need at least 2 clusters");
      Mat Mt;
      if (o.covariance == CovarianceType::cluster) {
        Mt = S.transpose() * S * (Gd / (Gd - 1) * (nd - 1) / (nd - kd));
      } else {
        // Only the clusters present (rows of S that are zero because an id is unused would bias
        // the centring), centred at their mean.
        std::vector<char> seen(static_cast<std::size_t>(mx) + 1, 0);
        for (auto g : cluster) seen[g] = 1;
        Mat Sp(static_cast<Eigen::Index>(G), kk);
        Eigen::Index r = 0;
        for (std::size_t g = 0; g < seen.size(); ++g)
          if (seen[g]) Sp.row(r++) = S.row(static_cast<Eigen::Index>(g));
        const Vec mean = Sp.colwise().mean();
        Sp.rowwise() -= mean.transpose();
        Mt = Sp.transpose() * Sp * (Gd / (Gd - 1));
      }
      V = Binv * Mt * Binv;
      break;
    }
  }

  // Average marginal effects and their delta-method covariance J V J'.
  Vec ame = Vec::Constant(kk, nan_v);
  Mat J = Mat::Zero(kk, kk);
  std::vector<bool> has_ame(k, false);
  for (std::size_t a = 0; a < k; ++a) has_ame[a] = !is_const[a];
  const double sw = M.sum_weights;
  if (!glm) {
    for (std::size_t a = 0; a < k; ++a)
      if (has_ame[a]) {
        ame[static_cast<Eigen::Index>(a)] = b[static_cast<Eigen::Index>(a)];
        J(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(a)) = 1;
      }
  } else {
    double fsum;
    Vec fpsum;
    if (last_pass.extended) {
      fsum = last_pass.s_f;
      fpsum = last_pass.g_f;
    } else {
      const Sums fs = pass(D, none, false, [&](std::size_t i, double, double& v, double& h) {
        const double w = D.weight(i);
        v = w * density_slope(fam, eta[i]);
        h = 0;
        return w * density(fam, eta[i]);
      });
      fsum = fs.s;
      fpsum = fs.g;
    }
    const double fbar = fsum / sw;
    const Vec fpx = fpsum / sw;
    for (std::size_t a = 0; a < k; ++a) {
      if (!has_ame[a]) continue;
      const auto ai = static_cast<Eigen::Index>(a);
      ame[ai] = b[ai] * fbar;
      J.row(ai) = b[ai] * fpx.transpose();
      J(ai, ai) += fbar;
    }
    if (o.marginal == MarginalMethod::discrete) {
      for (std::size_t a = 0; a < k; ++a) {
        if (!has_ame[a]) continue;
        const auto& col = design.columns[kept[a]];
        if (!std::all_of(col.begin(), col.end(), [](double v) { return v == 0 || v == 1; })) continue;
        // The dummy's group: other kept dummies of the same categorical variable.
        std::vector<std::size_t> grp{a};
        const int gid = design.group[kept[a]];
        if (gid >= 0)
          for (std::size_t c = 0; c < k; ++c)
            if (c != a && design.group[kept[c]] == gid) grp.push_back(c);
        const Sums ds = pass(D, none, false, [&](std::size_t i, double, double& v, double& h) {
          double e0 = eta[i];
          for (auto c : grp) e0 -= b[static_cast<Eigen::Index>(c)] * design.columns[kept[c]][i];
          const double e1 = e0 + b[static_cast<Eigen::Index>(a)], w = D.weight(i);
          v = w * (density(fam, e1) - density(fam, e0));
          h = 0;
          return w * (cdf(fam, e1) - cdf(fam, e0));
        });
        // Σ w f(η¹), the derivative of the change with respect to the dummy's own coefficient.
        double f1 = 0;
        for (std::size_t i = 0; i < n; ++i) {
          double e0 = eta[i];
          for (auto c : grp) e0 -= b[static_cast<Eigen::Index>(c)] * design.columns[kept[c]][i];
          f1 += D.weight(i) * density(fam, e0 + b[static_cast<Eigen::Index>(a)]);
        }
        const auto ai = static_cast<Eigen::Index>(a);
        ame[ai] = ds.s / sw;
        J.row(ai) = ds.g.transpose() / sw;
        for (auto c : grp) J(ai, static_cast<Eigen::Index>(c)) = 0;
        J(ai, ai) = f1 / sw;
      }
    }
  }
  const Mat Vame = J * V * J.transpose();

  // Back to every design term (NaN for the dropped ones and for separated terms).
  M.estimate.assign(K, nan_v);
  M.std_error.assign(K, nan_v);
  M.z.assign(K, nan_v);
  M.p.assign(K, nan_v);
  M.odds_ratio.assign(K, nan_v);
  M.ame.assign(K, nan_v);
  M.ame_se.assign(K, nan_v);
  M.covariance_matrix.assign(K * K, nan_v);
  for (std::size_t a = 0; a < k; ++a) {
    const auto ai = static_cast<Eigen::Index>(a);
    const std::size_t j = kept[a];
    if (std::find(M.separated_terms.begin(), M.separated_terms.end(), design.terms[j]) != M.separated_terms.end()) continue;
    M.estimate[j] = b[ai];
    M.std_error[j] = std::sqrt(V(ai, ai));
    M.z[j] = M.estimate[j] / M.std_error[j];
    M.p[j] = std::erfc(std::fabs(M.z[j]) / std::sqrt(2.0));
    if (fam == LinkFamily::logit) M.odds_ratio[j] = std::exp(b[ai]);
    if (has_ame[a]) {
      M.ame[j] = ame[ai];
      M.ame_se[j] = std::sqrt(Vame(ai, ai));
    }
    for (std::size_t c = 0; c < k; ++c) M.covariance_matrix[j * K + kept[c]] = V(ai, static_cast<Eigen::Index>(c));
  }
  M.aic = -2 * M.log_likelihood + 2 * kd;
  M.bic = -2 * M.log_likelihood + kd * std::log(nd);
  return M;
}

}  // namespace agglo::stats
