// Welch's two-sample t-test and the Student t distribution it needs (private to simulate).
//
// The tipping-point detector (tipping.hpp) compares the replicate outcomes at two sweep values.
// agglo has no shared statistics layer yet; when one exists (DESIGN.md, "Estimation is shared")
// these functions belong there.
#pragma once

namespace agglo::simulate::detail {

// The regularised incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1, by the continued
// fraction of DLMF 8.17.22 evaluated with the modified Lentz method (Press et al. 2007, §6.4),
// using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a) where it converges faster. Relative accuracy
// about 1e-14; at most 300 terms.
double incomplete_beta(double a, double b, double x);

// Two-sided tail probability of Student's t with `df` > 0 degrees of freedom (df need not be
// an integer): P(|T| ≥ |t|) = I_{df/(df+t²)}(df/2, 1/2). Infinite |t| gives 0, t = 0 gives 1.
double student_t_two_sided(double t, double df);

struct WelchResult {
  double diff = 0;  // mean2 − mean1
  double se = 0;    // sqrt(var1/n1 + var2/n2)
  double t = 0;     // diff / se (±inf when se = 0 and diff ≠ 0; 0 when both are 0)
  double df = 0;    // Welch–Satterthwaite degrees of freedom
  double p = 1;     // two-sided p-value
};

// Welch (1947) test of equal means from two samples' means, unbiased variances and sizes
// (n1, n2 ≥ 2): t = (m2 − m1)/sqrt(v1/n1 + v2/n2), with the Welch–Satterthwaite
// df = (v1/n1 + v2/n2)² / ((v1/n1)²/(n1−1) + (v2/n2)²/(n2−1)). When both variances are zero
// (a deterministic model) the test degenerates: p = 0 for any difference, 1 for none.
WelchResult welch_test(double m1, double v1, double n1, double m2, double v2, double n2);

// The p-value of H0: |μ2 − μ1| ≤ delta (the change is at most `delta`) against |μ2 − μ1| > delta,
// from a Welch test: at the boundary |μ2 − μ1| = delta of the composite null,
// p = P(T ≥ (|d| − delta)/se) + P(T ≤ (−|d| − delta)/se) with T ~ Student t(df) — the chance of
// an estimate at least as far from 0 as |d| when the true change is exactly ±delta. delta = 0
// gives the usual two-sided p. A degenerate test (se = 0) gives 0 when |d| > delta, else 1.
double welch_exceeds_p(const WelchResult& w, double delta);

}  // namespace agglo::simulate::detail
