// The Cox proportional hazards model (see include/agglo/stats/cox.hpp and
// docs/methods/dynamics.md). One backward sweep over time per Newton iteration: the risk set
// of the latest event time is built first, and every earlier time adds the subjects who exit
// at it (and, for counting-process data, removes those who have not yet entered).
#include "agglo/stats/cox.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"

namespace agglo::stats {

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

// Rows in sweep order with the centred covariates stored row by row (k doubles per row), so
// the sweep reads memory sequentially.
struct Prepared {
  std::size_t n = 0, k = 0;
  std::vector<std::size_t> row;        // original row of sorted position p
  std::vector<double> x;               // n × k, centred, in sweep order
  std::vector<double> start, stop;     // in sweep order
  std::vector<std::uint8_t> event;
  std::vector<std::uint32_t> stratum;
  std::vector<std::size_t> by_start;   // sorted positions ordered by (stratum, start desc)
  std::vector<std::size_t> stratum_begin;  // sorted-position ranges of each stratum (size S+1)
  bool counting = false;
  std::vector<double> centre, scale;
};

// Packed lower triangle index of (a, b), a ≥ b.
inline std::size_t tri(std::size_t a, std::size_t b) { return a * (a + 1) / 2 + b; }

Prepared prepare(const CoxData& d) {
  Prepared P;
  P.n = d.rows();
  P.k = d.x.size();
  P.counting = !d.start.empty();
  const std::size_t n = P.n, k = P.k;
  AGGLO_ASSERT(d.event.size() == n);
  AGGLO_ASSERT(!P.counting || d.start.size() == n);
  AGGLO_ASSERT(d.strata.empty() || d.strata.size() == n);
  AGGLO_ASSERT(d.terms.size() == k);
  for (const auto& c : d.x) AGGLO_ASSERT(c.size() == n);
  if (n == 0) throw_input(ErrorCode::empty_input, "no spells to fit a Cox model to");
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(d.stop[i]))
      throw_input(ErrorCode::non_finite, fmt::format("spell {}: the exit time is not a finite number", i + 1));
    if (P.counting && !(d.start[i] < d.stop[i]))
      throw_input(ErrorCode::invalid_value,
                  fmt::format("spell {}: entry time {} is not before exit time {}", i + 1, d.start[i], d.stop[i]), {},
                  "a counting-process spell (start, stop] must have start < stop");
  }
  // Centre (R's coxph centres at the means; scale is only used to judge runaway coefficients).
  P.centre.assign(k, 0);
  P.scale.assign(k, 0);
  for (std::size_t j = 0; j < k; ++j) {
    double s = 0;
    for (double v : d.x[j]) s += v;
    const double m = s / static_cast<double>(n);
    double ss = 0;
    for (double v : d.x[j]) ss += (v - m) * (v - m);
    P.centre[j] = m;
    P.scale[j] = n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : 0;
  }
  // Sweep order: by stratum, then exit time descending.
  P.row.resize(n);
  std::iota(P.row.begin(), P.row.end(), std::size_t{0});
  auto st = [&](std::size_t i) { return d.strata.empty() ? 0u : d.strata[i]; };
  std::stable_sort(P.row.begin(), P.row.end(), [&](std::size_t a, std::size_t b) {
    if (st(a) != st(b)) return st(a) < st(b);
    return d.stop[a] > d.stop[b];
  });
  P.x.resize(n * k);
  P.stop.resize(n);
  P.event.resize(n);
  P.stratum.resize(n);
  if (P.counting) P.start.resize(n);
  for (std::size_t p = 0; p < n; ++p) {
    const std::size_t i = P.row[p];
    for (std::size_t j = 0; j < k; ++j) P.x[p * k + j] = d.x[j][i] - P.centre[j];
    P.stop[p] = d.stop[i];
    P.event[p] = d.event[i] ? 1 : 0;
    P.stratum[p] = st(i);
    if (P.counting) P.start[p] = d.start[i];
  }
  P.stratum_begin.push_back(0);
  for (std::size_t p = 1; p < n; ++p)
    if (P.stratum[p] != P.stratum[p - 1]) P.stratum_begin.push_back(p);
  P.stratum_begin.push_back(n);
  if (P.counting) {
    P.by_start.resize(n);
    std::iota(P.by_start.begin(), P.by_start.end(), std::size_t{0});
    std::stable_sort(P.by_start.begin(), P.by_start.end(), [&](std::size_t a, std::size_t b) {
      if (P.stratum[a] != P.stratum[b]) return P.stratum[a] < P.stratum[b];
      return P.start[a] > P.start[b];
    });
  }
  return P;
}

// Per event time, the constants of the Efron (or Breslow) sums over its d tied events:
//   s0_l = S0 − f_l D0 with f_l = l/d (Efron) or 0 (Breslow), l = 0…d−1,
//   a0 = Σ 1/s0_l, a1 = Σ f_l/s0_l, b0 = Σ 1/s0_l², b1 = Σ f_l/s0_l², b2 = Σ f_l²/s0_l².
struct TieSums {
  double log_sum = 0, a0 = 0, a1 = 0, b0 = 0, b1 = 0, b2 = 0;
};
TieSums tie_sums(double S0, double D0, std::size_t d, CoxTies ties) {
  TieSums t;
  for (std::size_t l = 0; l < d; ++l) {
    const double f = ties == CoxTies::efron ? static_cast<double>(l) / static_cast<double>(d) : 0.0;
    const double s0 = S0 - f * D0;
    t.log_sum += std::log(s0);
    t.a0 += 1 / s0;
    t.a1 += f / s0;
    t.b0 += 1 / (s0 * s0);
    t.b1 += f / (s0 * s0);
    t.b2 += f * f / (s0 * s0);
  }
  return t;
}

// What one sweep produces. With `residuals`, the per-event-time constants needed for the score
// residuals are kept too (see score_residuals()).
struct Sweep {
  double loglik = 0;
  std::vector<double> u;     // gradient, k
  std::vector<double> info;  // information, k × k full
  // residual support: per event time (in sweep order)
  std::vector<std::size_t> time_stratum;
  std::vector<double> time_value, A0, Adeath;   // a0 and a0 − a1
  std::vector<double> C1, Cdeath, mean_bar;     // k each: S1 b0 − D1 b1; minus (S1 b1 − D1 b2); (S1 a0 − D1 a1)/d
};

Sweep sweep(const Prepared& P, const std::vector<double>& beta, CoxTies ties, bool need_info, bool residuals) {
  const std::size_t n = P.n, k = P.k, kk = k * (k + 1) / 2;
  Sweep out;
  out.u.assign(k, 0);
  if (need_info) out.info.assign(k * k, 0);
  std::vector<double> eta(n), r(n);
  for (std::size_t p = 0; p < n; ++p) {
    double e = 0;
    const double* xp = &P.x[p * k];
    for (std::size_t j = 0; j < k; ++j) e += xp[j] * beta[j];
    eta[p] = e;
    r[p] = std::exp(e);
  }
  std::vector<double> S1(k), S2(kk), D1(k), D2(kk), info_packed(need_info ? kk : 0, 0.0);
  for (std::size_t s = 0; s + 1 < P.stratum_begin.size(); ++s) {
    const std::size_t lo = P.stratum_begin[s], hi = P.stratum_begin[s + 1];
    double S0 = 0;
    std::fill(S1.begin(), S1.end(), 0.0);
    std::fill(S2.begin(), S2.end(), 0.0);
    // the start-ordered positions of this stratum occupy the same range [lo, hi) of by_start
    std::size_t q = lo;
    auto add = [&](std::size_t p, double sign) {
      const double w = sign * r[p];
      const double* xp = &P.x[p * k];
      S0 += w;
      for (std::size_t a = 0; a < k; ++a) {
        const double wa = w * xp[a];
        S1[a] += wa;
        if (need_info)
          for (std::size_t b = 0; b <= a; ++b) S2[tri(a, b)] += wa * xp[b];
      }
    };
    std::size_t p = lo;
    while (p < hi) {
      const double t = P.stop[p];
      std::size_t e = p;
      double D0 = 0, deta = 0;
      std::size_t d = 0;
      std::fill(D1.begin(), D1.end(), 0.0);
      if (need_info) std::fill(D2.begin(), D2.end(), 0.0);
      while (e < hi && P.stop[e] == t) {
        add(e, 1.0);
        if (P.event[e]) {
          ++d;
          D0 += r[e];
          deta += eta[e];
          const double* xp = &P.x[e * k];
          for (std::size_t a = 0; a < k; ++a) {
            D1[a] += r[e] * xp[a];
            out.u[a] += xp[a];
            if (need_info)
              for (std::size_t b = 0; b <= a; ++b) D2[tri(a, b)] += r[e] * xp[a] * xp[b];
          }
        }
        ++e;
      }
      if (d > 0) {
        if (P.counting)  // not yet entered at t: start ≥ t
          while (q < hi && P.start[P.by_start[q]] >= t) add(P.by_start[q++], -1.0);
        const TieSums ts = tie_sums(S0, D0, d, ties);
        out.loglik += deta - ts.log_sum;
        for (std::size_t a = 0; a < k; ++a) out.u[a] -= S1[a] * ts.a0 - D1[a] * ts.a1;
        if (need_info)
          for (std::size_t a = 0; a < k; ++a)
            for (std::size_t b = 0; b <= a; ++b)
              info_packed[tri(a, b)] += S2[tri(a, b)] * ts.a0 - D2[tri(a, b)] * ts.a1 - S1[a] * S1[b] * ts.b0 +
                                        (S1[a] * D1[b] + D1[a] * S1[b]) * ts.b1 - D1[a] * D1[b] * ts.b2;
        if (residuals) {
          out.time_stratum.push_back(s);
          out.time_value.push_back(t);
          out.A0.push_back(ts.a0);
          out.Adeath.push_back(ts.a0 - ts.a1);
          for (std::size_t a = 0; a < k; ++a) {
            const double c1 = S1[a] * ts.b0 - D1[a] * ts.b1;
            out.C1.push_back(c1);
            out.Cdeath.push_back(c1 - (S1[a] * ts.b1 - D1[a] * ts.b2));
            out.mean_bar.push_back((S1[a] * ts.a0 - D1[a] * ts.a1) / static_cast<double>(d));
          }
        }
      }
      p = e;
    }
  }
  if (need_info)
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b <= a; ++b) out.info[a * k + b] = out.info[b * k + a] = info_packed[tri(a, b)];
  return out;
}

// Cholesky factor L of a symmetric positive definite k × k matrix (row-major, lower). Returns
// the index of the first pivot that is not positive (relative to the diagonal), or k.
std::size_t cholesky(std::vector<double>& A, std::size_t k, double tol = 1e-12) {
  for (std::size_t j = 0; j < k; ++j) {
    const double diag0 = A[j * k + j];
    double s = diag0;
    for (std::size_t m = 0; m < j; ++m) s -= A[j * k + m] * A[j * k + m];
    if (!(s > tol * std::max(1.0, std::fabs(diag0)))) return j;
    const double l = std::sqrt(s);
    A[j * k + j] = l;
    for (std::size_t i = j + 1; i < k; ++i) {
      double v = A[i * k + j];
      for (std::size_t m = 0; m < j; ++m) v -= A[i * k + m] * A[j * k + m];
      A[i * k + j] = v / l;
    }
  }
  return k;
}
std::vector<double> chol_solve(const std::vector<double>& L, std::size_t k, std::vector<double> b) {
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t m = 0; m < i; ++m) b[i] -= L[i * k + m] * b[m];
    b[i] /= L[i * k + i];
  }
  for (std::size_t ii = k; ii-- > 0;) {
    for (std::size_t m = ii + 1; m < k; ++m) b[ii] -= L[m * k + ii] * b[m];
    b[ii] /= L[ii * k + ii];
  }
  return b;
}
std::vector<double> chol_inverse(const std::vector<double>& L, std::size_t k) {
  std::vector<double> inv(k * k);
  for (std::size_t j = 0; j < k; ++j) {
    std::vector<double> e(k, 0.0);
    e[j] = 1;
    const auto c = chol_solve(L, k, e);
    for (std::size_t i = 0; i < k; ++i) inv[i * k + j] = c[i];
  }
  return inv;
}

// Score residuals (Therneau & Grambsch 2000, §7.2; R's residuals(fit, "score")) in sweep order,
// n × k: for subject i with risk window (start_i, stop_i] in stratum s,
//   U_i = δ_i (x_i − x̄_i) − r_i Σ_{t ∈ window} w_i(t) (x_i − m_l(t)) / s0_l(t)
// where the sum over the Efron sub-events l carries weight 1 for subjects still at risk and
// (1 − l/d) for the d subjects who die at t. With the per-time constants of the sweep the sum
// over t is a difference of cumulative sums, found by binary search: O(n (k + log T)).
std::vector<double> score_residuals(const Prepared& P, const std::vector<double>& beta, const Sweep& sw) {
  const std::size_t n = P.n, k = P.k, T = sw.time_value.size();
  // cumulative sums in ascending time within each stratum: times are stored descending per
  // stratum, so accumulate from the end of each stratum's block.
  std::vector<double> cumA(T + 1, 0.0), cumC((T + 1) * k, 0.0);
  std::vector<std::size_t> tb;  // time-range start per stratum
  {
    std::size_t S = P.stratum_begin.size() - 1;
    tb.assign(S + 1, T);
    for (std::size_t t = T; t-- > 0;) tb[sw.time_stratum[t]] = t;
    for (std::size_t s = S; s-- > 0;)
      if (tb[s] > tb[s + 1]) tb[s] = tb[s + 1];  // strata without events
  }
  // cum[t] = Σ over times at positions ≥ t within the stratum block (i.e. times ≤ time_value[t]).
  for (std::size_t t = T; t-- > 0;) {
    const bool last_of_stratum = t + 1 == T || sw.time_stratum[t + 1] != sw.time_stratum[t];
    cumA[t] = sw.A0[t] + (last_of_stratum ? 0.0 : cumA[t + 1]);
    for (std::size_t a = 0; a < k; ++a) cumC[t * k + a] = sw.C1[t * k + a] + (last_of_stratum ? 0.0 : cumC[(t + 1) * k + a]);
  }
  std::vector<double> res(n * k, 0.0);
  for (std::size_t p = 0; p < n; ++p) {
    const std::size_t s = P.stratum[p];
    const std::size_t b0 = tb[s], b1 = tb[s + 1];
    if (b0 == b1) continue;
    // times in [b0, b1) are descending; first position with time ≤ x
    auto first_le = [&](double x) {
      auto it = std::lower_bound(sw.time_value.begin() + static_cast<std::ptrdiff_t>(b0),
                                 sw.time_value.begin() + static_cast<std::ptrdiff_t>(b1), x,
                                 [](double a, double v) { return a > v; });
      return static_cast<std::size_t>(it - sw.time_value.begin());
    };
    const std::size_t hi_pos = first_le(P.stop[p]);  // times ≤ stop
    // times ≤ start are outside the window: first position with time ≤ start
    const std::size_t lo_pos = P.counting ? first_le(P.start[p]) : b1;
    double A = 0;
    std::vector<double> C(k, 0.0);
    if (hi_pos < b1) {
      A = cumA[hi_pos];
      for (std::size_t a = 0; a < k; ++a) C[a] = cumC[hi_pos * k + a];
    }
    if (lo_pos < b1) {
      A -= cumA[lo_pos];
      for (std::size_t a = 0; a < k; ++a) C[a] -= cumC[lo_pos * k + a];
    }
    double eta = 0;
    const double* xp = &P.x[p * k];
    for (std::size_t a = 0; a < k; ++a) eta += xp[a] * beta[a];
    const double r = std::exp(eta);
    const bool died = P.event[p] && hi_pos < b1 && sw.time_value[hi_pos] == P.stop[p];
    if (died) {  // at its own event time a dying subject carries the (1 − l/d) weights
      A += sw.Adeath[hi_pos] - sw.A0[hi_pos];
      for (std::size_t a = 0; a < k; ++a) C[a] += sw.Cdeath[hi_pos * k + a] - sw.C1[hi_pos * k + a];
    }
    for (std::size_t a = 0; a < k; ++a) {
      double v = -r * (xp[a] * A - C[a]);
      if (died) v += xp[a] - sw.mean_bar[hi_pos * k + a];
      res[p * k + a] = v;
    }
  }
  return res;
}

double chi2_quad(const std::vector<double>& v, const std::vector<double>& M, std::size_t k) {
  double s = 0;
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b) s += v[a] * M[a * k + b] * v[b];
  return s;
}

}  // namespace

double cox_log_likelihood(const CoxData& data, const std::vector<double>& beta, CoxTies ties) {
  const Prepared P = prepare(data);
  return sweep(P, beta, ties, false, false).loglik;
}

CoxFit fit_cox(const CoxData& data, const CoxOptions& o) {
  const Prepared P = prepare(data);
  const std::size_t n = P.n, k = P.k;
  CoxFit fit;
  fit.terms = data.terms;
  fit.n = n;
  fit.strata = P.stratum_begin.size() - 1;
  fit.robust = o.robust;
  for (auto e : P.event) fit.events += e;
  if (fit.events == 0)
    throw_input(ErrorCode::invalid_value, fmt::format("all {} spells are censored: a Cox model needs at least one event", n), {},
                "check the event column (1 = the establishment exited / the event happened, 0 = censored)");
  std::vector<double> beta(k, 0.0);
  Sweep cur = sweep(P, beta, o.ties, true, false);
  fit.null_log_likelihood = cur.loglik;
  if (k == 0) {
    fit.log_likelihood = cur.loglik;
    fit.converged = true;
    fit.linear_predictor.assign(n, 0.0);
    return fit;
  }
  {
    auto L = cur.info;
    const std::size_t bad = cholesky(L, k);
    if (bad < k)
      throw_input(ErrorCode::invalid_value,
                  fmt::format("covariate '{}' is constant or a linear combination of the covariates before it among the "
                              "subjects at risk: the Cox model cannot separate its effect",
                              data.terms[bad]),
                  {}, "drop the covariate or one of the collinear ones");
    fit.score_test = chi2_quad(cur.u, chol_inverse(L, k), k);
  }
  // Newton–Raphson with step halving (R's coxfit6: halve towards the previous β when ℓ falls).
  std::vector<double> step(k, 0.0), beta_old = beta;
  double ll_old = cur.loglik;
  Sweep best = cur;
  int halving = 0;
  for (int it = 1; it <= o.max_iterations; ++it) {
    fit.iterations = it;
    if (halving == 0) {
      auto L = best.info;
      if (cholesky(L, k) < k) break;  // the information degenerated (runaway coefficients)
      step = chol_solve(L, k, best.u);
      beta_old = beta;
      for (std::size_t a = 0; a < k; ++a) beta[a] += step[a];
    }
    Sweep next = sweep(P, beta, o.ties, true, false);
    if (!std::isfinite(next.loglik) || next.loglik < ll_old) {
      ++halving;
      for (std::size_t a = 0; a < k; ++a) beta[a] = (beta[a] + beta_old[a]) / 2;
      if (halving > 30) break;
      continue;
    }
    halving = 0;
    const bool done = std::fabs(1 - ll_old / next.loglik) <= o.tolerance;
    ll_old = next.loglik;
    best = std::move(next);
    if (done) {
      fit.converged = true;
      break;
    }
  }
  if (halving > 0) {  // ended inside a halving sequence: fall back to the last accepted β
    beta = beta_old;
    best = sweep(P, beta, o.ties, true, false);
  }
  fit.log_likelihood = best.loglik;
  fit.lr_test = 2 * (fit.log_likelihood - fit.null_log_likelihood);
  // Runaway coefficients (monotone likelihood): the Newton step is still large relative to β,
  // or β is huge on the scale of its covariate.
  std::vector<double> V(k * k, nan_v);
  std::vector<bool> inf_term(k, false);
  {
    auto L = best.info;
    if (cholesky(L, k) == k) {
      V = chol_inverse(L, k);
      for (std::size_t a = 0; a < k; ++a) {
        double nxt = 0;
        for (std::size_t b = 0; b < k; ++b) nxt += V[a * k + b] * best.u[b];
        const double eps = o.tolerance;
        if ((std::fabs(nxt) > eps && std::fabs(nxt) > std::sqrt(eps) * std::fabs(beta[a])) ||
            std::fabs(beta[a]) * P.scale[a] > o.infinite_threshold)
          inf_term[a] = true;
      }
    } else {
      for (std::size_t a = 0; a < k; ++a) inf_term[a] = std::fabs(beta[a]) * P.scale[a] > o.infinite_threshold;
      if (std::none_of(inf_term.begin(), inf_term.end(), [](bool b) { return b; })) inf_term.assign(k, true);
    }
  }
  for (std::size_t a = 0; a < k; ++a)
    if (inf_term[a]) fit.infinite_terms.push_back(data.terms[a]);
  if (!fit.infinite_terms.empty()) {
    std::string names;
    for (const auto& t : fit.infinite_terms) names += (names.empty() ? "" : ", ") + t;
    fit.warnings.push_back(fmt::format(
        "monotone partial likelihood: the coefficient of {} runs to infinity (the covariate orders the events "
        "perfectly); its estimate is where the iterations stopped and its standard error is left empty",
        names));
    fit.converged = false;
  } else if (!fit.converged) {
    fit.warnings.push_back(fmt::format("Newton–Raphson did not converge in {} iterations", o.max_iterations));
  }
  fit.model_std_error.resize(k);
  for (std::size_t a = 0; a < k; ++a) fit.model_std_error[a] = inf_term[a] ? nan_v : std::sqrt(V[a * k + a]);
  std::vector<double> Vuse = V;
  if (o.robust && std::all_of(V.begin(), V.end(), [](double v) { return std::isfinite(v); })) {
    const Sweep rs = sweep(P, beta, o.ties, false, true);
    const auto res = score_residuals(P, beta, rs);
    // group sums of the residuals: per cluster, or per row
    std::vector<double> meat(k * k, 0.0);
    if (data.cluster.empty()) {
      for (std::size_t p = 0; p < n; ++p)
        for (std::size_t a = 0; a < k; ++a)
          for (std::size_t b = 0; b < k; ++b) meat[a * k + b] += res[p * k + a] * res[p * k + b];
      fit.clusters = n;
    } else {
      std::uint32_t G = 0;
      for (auto c : data.cluster) G = std::max(G, c + 1);
      std::vector<double> sums(static_cast<std::size_t>(G) * k, 0.0);
      std::vector<std::uint8_t> seen(G, 0);
      for (std::size_t p = 0; p < n; ++p) {
        const auto g = data.cluster[P.row[p]];
        seen[g] = 1;
        for (std::size_t a = 0; a < k; ++a) sums[g * k + a] += res[p * k + a];
      }
      for (std::uint32_t g = 0; g < G; ++g)
        for (std::size_t a = 0; a < k; ++a)
          for (std::size_t b = 0; b < k; ++b) meat[a * k + b] += sums[g * k + a] * sums[g * k + b];
      fit.clusters = static_cast<std::size_t>(std::count(seen.begin(), seen.end(), 1));
    }
    std::vector<double> tmp(k * k, 0.0);
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b)
        for (std::size_t c = 0; c < k; ++c) tmp[a * k + b] += V[a * k + c] * meat[c * k + b];
    Vuse.assign(k * k, 0.0);
    for (std::size_t a = 0; a < k; ++a)
      for (std::size_t b = 0; b < k; ++b)
        for (std::size_t c = 0; c < k; ++c) Vuse[a * k + b] += tmp[a * k + c] * V[c * k + b];
  }
  fit.covariance = Vuse;
  fit.estimate = beta;
  fit.std_error.resize(k);
  fit.z.resize(k);
  fit.p.resize(k);
  fit.hazard_ratio.resize(k);
  for (std::size_t a = 0; a < k; ++a) {
    fit.std_error[a] = inf_term[a] ? nan_v : std::sqrt(Vuse[a * k + a]);
    fit.z[a] = beta[a] / fit.std_error[a];
    fit.p[a] = std::erfc(std::fabs(fit.z[a]) / std::sqrt(2.0));
    fit.hazard_ratio[a] = std::exp(beta[a]);
  }
  // Wald test on the covariance in use (NaN when a term is infinite)
  if (fit.infinite_terms.empty()) {
    auto L = Vuse;
    if (cholesky(L, k) == k) fit.wald_test = chi2_quad(beta, chol_inverse(L, k), k);
  } else {
    fit.wald_test = nan_v;
  }
  fit.linear_predictor.assign(n, 0.0);
  for (std::size_t p = 0; p < n; ++p) {
    double e = 0;
    for (std::size_t a = 0; a < k; ++a) e += P.x[p * k + a] * beta[a];
    fit.linear_predictor[P.row[p]] = e;
  }
  return fit;
}

}  // namespace agglo::stats
