// agglo::stats — time-series estimators shared by every module (L2, DESIGN.md "Estimation is
// shared"): the augmented Dickey–Fuller unit-root test, Johansen's cointegration rank tests,
// the vector error-correction model (VECM) they imply, and Granger causality in a VAR.
//
// Every function takes k series of T observations each (`series[i][t]`, equal lengths, finite
// values) and reproduces statsmodels 0.13 (adfuller, coint_johansen, VECM, VAR.test_causality)
// to rounding error; tests/unit/stats/test_time_series.cpp compares them on shared data with
// reference values written by tests/reference/structure/make_time_series_reference.py.
//
// A series too short for the lag order (fewer observations than parameters plus one) is
// invalid input (ErrorCode::invalid_value, exit 3) with a message naming the lag and length.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace agglo::stats {

using Series = std::vector<std::vector<double>>;  // series[i][t]: variable i at time t

// ---------------------------------------------------------------------------------------
// Augmented Dickey–Fuller test (Dickey & Fuller 1979; Said & Dickey 1984) with a constant and a
// fixed number of lagged differences p:
//   Δy_t = c + γ y_{t−1} + Σ_{i=1..p} δ_i Δy_{t−i} + e_t,   t = p+2 … T,
// statistic = γ̂ / se(γ̂) (OLS). H0: γ = 0 (a unit root). Critical values from MacKinnon's (2010)
// response surfaces for the constant-only case, cv(T) = b∞ + b1/n + b2/n² with n the number of
// observations used; p-value from MacKinnon's (1994) approximate distribution (as statsmodels'
// mackinnonp). O(T p²).
struct AdfResult {
  double statistic = 0;
  double p_value = 0;
  std::array<double, 3> critical{};  // 1 %, 5 %, 10 %
  std::size_t lags = 0;
  std::size_t observations = 0;      // n used in the regression
};
AdfResult adf_test(std::span<const double> y, std::size_t lags);

// ---------------------------------------------------------------------------------------
// Johansen's (1988, 1991) maximum-likelihood test of the cointegration rank of a k-variable
// VAR written as a VECM with k_ar_diff lagged differences:
//   Δy_t = Π y_{t−1} + Σ_{i=1..k_ar_diff} Γ_i Δy_{t−i} + deterministic + e_t,   Π = α β'.
// With R0, R1 the residuals of Δy_t and y_{t−1} on the lagged differences (and the deterministic
// terms), S_ij = R_i'R_j / n, the eigenvalues λ_1 ≥ … ≥ λ_k of S11⁻¹ S10 S00⁻¹ S01 give
//   trace(r0)   = −n Σ_{i>r0} ln(1 − λ_i)   (H0: rank ≤ r0 against rank = k)
//   max_eig(r0) = −n ln(1 − λ_{r0+1})      (H0: rank = r0 against rank = r0 + 1)
// det_order −1: no deterministic terms; 0: a constant; 1: a linear trend — handled exactly as
// statsmodels' coint_johansen (the levels are detrended by a polynomial of that order first).
// Critical values (90/95/99 %) from MacKinnon, Haug & Michelis (1999) for k − r0 ≤ 12
// variables under the null (NaN beyond). O(T k² + k³).
struct JohansenResult {
  std::size_t variables = 0;
  std::size_t observations = 0;  // n, the effective sample
  std::size_t k_ar_diff = 0;
  int det_order = 0;
  std::vector<double> eigenvalues;               // λ, descending
  std::vector<std::vector<double>> eigenvectors;  // eigenvectors[j]: column j (β candidates), v'S11v = 1
  std::vector<double> trace_stat, max_eig_stat;  // per r0 = 0 … k−1
  std::vector<std::array<double, 3>> trace_cv, max_eig_cv;  // 90/95/99 %, NaN when k − r0 > 12
  bool critical_values_available() const;
  // The rank chosen by testing r0 = 0, 1, … in turn and stopping at the first r0 not rejected
  // at `level` (index 0 = 90 %, 1 = 95 %, 2 = 99 %), Johansen's sequential procedure.
  std::size_t rank_trace(int level = 1) const;
  std::size_t rank_max_eig(int level = 1) const;
};
JohansenResult johansen(const Series& y, int det_order, std::size_t k_ar_diff);

// ---------------------------------------------------------------------------------------
// The VECM of a given cointegration rank r with an unrestricted constant (statsmodels
// deterministic="co", Lütkepohl 2005 §7.2): β from the first r Johansen eigenvectors,
// normalised so that its first r rows are the identity (β = [I_r; β₂]); α = S01 β (β'S11β)⁻¹;
// Γ and the constant by OLS of Δy_t − αβ'y_{t−1} on the lagged differences. The loading matrix
// α says who adjusts: a large |α_ij| means variable i moves back towards equilibrium j.
struct VecmResult {
  std::size_t rank = 0, k_ar_diff = 0, observations = 0;
  std::vector<std::vector<double>> alpha;     // alpha[i][j]: k × r
  std::vector<std::vector<double>> beta;      // beta[i][j]: k × r
  std::vector<std::vector<double>> gamma;     // gamma[i][m]: k × (k·k_ar_diff), lag-major blocks
  std::vector<double> constant;               // k
  std::vector<std::vector<double>> sigma_u;   // residual covariance, divisor n (ML)
};
VecmResult vecm(const Series& y, std::size_t rank, std::size_t k_ar_diff);

// Impulse responses of a VECM through its levels VAR(p), p = k_ar_diff + 1 (Lütkepohl 2005
// §6.7, §9.4; statsmodels VECMResults.irf):
//   A_1 = I + αβ' + Γ_1,  A_i = Γ_i − Γ_{i−1} (1 < i < p),  A_p = −Γ_{p−1}   (A_1 = I + αβ' for p = 1)
//   Φ_0 = I,  Φ_h = Σ_{j=1..min(h,p)} Φ_{h−j} A_j        (the response of y_{t+h} to a unit u_t)
//   Θ_h = Φ_h P,  P P' = Σ_u (lower Cholesky)          (orthogonalised: a one-sd shock, ordered)
// In a cointegrated system Φ_h does not die out: a shock to a common trend moves the block for
// good, which is how a development block's members are "pulled along". irf[h][i][j]: response
// of variable i at horizon h to an impulse in j. O(h p k³).
struct ImpulseResponses {
  std::vector<std::vector<std::vector<double>>> irf, orth;  // (horizon + 1) × k × k
};
ImpulseResponses vecm_impulse_responses(const VecmResult& model, std::size_t horizon);

// ---------------------------------------------------------------------------------------
// A VAR(p) in levels with a constant, by equation-wise OLS (Lütkepohl 2005 §3.2), and the Wald
// F test that the `causing` variables do not Granger-cause (Granger 1969) the `caused` ones:
// the coefficients of every lag of every causing variable in every caused equation are zero.
//   λ_W = (Cb)' [C ((Z'Z)⁻¹ ⊗ Σ_u) C']⁻¹ (Cb),  F = λ_W / q  ~  F(q, k (n − k p − 1))
// with q = |causing| · |caused| · p restrictions and Σ_u = U'U / (n − k p − 1), exactly as
// statsmodels' VARResults.test_causality(kind="f") (Lütkepohl 2005 eq. 3.6.5).
struct GrangerResult {
  double statistic = 0;  // F
  double df_num = 0, df_den = 0;
  double p_value = 1;
  double wald = 0;       // λ_W (χ²(q) asymptotically)
};
GrangerResult granger_causality(const Series& y, const std::vector<std::size_t>& caused,
                                const std::vector<std::size_t>& causing, std::size_t p);

// Upper tail of the F(d1, d2) distribution, P(F > x); used by the Granger test.
double f_upper_tail(double x, double d1, double d2);

namespace detail {
extern const double johansen_trace_cv[36][3];
extern const double johansen_max_eig_cv[36][3];
}  // namespace detail

}  // namespace agglo::stats
