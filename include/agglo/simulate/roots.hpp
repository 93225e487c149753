// agglo::simulate — the small numerical tools the analytic values are derived with.
//
// Every "known answer" of the canonical models (Krugman's break and sustain points, Brenner's
// fixed points and saddle-node, Granovetter's equilibrium) is computed by these routines from
// the model's own equations, never typed in; the tests compare them with published numbers.
#pragma once

#include <functional>
#include <vector>

namespace agglo::simulate {

// A root of f in [lo, hi] by bisection, given f(lo) and f(hi) of opposite signs (usage error
// otherwise is the caller's job; here an internal check). Stops when the bracket is narrower
// than `tol` (absolute) — about log2((hi−lo)/tol) evaluations; the answer is within tol/2.
double bisect(const std::function<double(double)>& f, double lo, double hi, double tol = 1e-12);

// All sign changes of f on a uniform scan of n intervals of [lo, hi], each refined by
// bisection. Roots closer together than (hi−lo)/n may be missed; exact zeros on the grid are
// reported once.
std::vector<double> all_roots(const std::function<double(double)>& f, double lo, double hi,
                              int n = 4000, double tol = 1e-12);

// The first place along [from, to] (either order) where a yes/no property of the parameter
// changes: a uniform scan of n intervals finds the first interval whose ends differ, bisection
// narrows it to `tol`. NaN when the property is the same at every scanned value. Used for
// mean-field thresholds ("from which grant on does the cluster form?").
double first_switch(const std::function<bool(double)>& f, double from, double to, int n = 200, double tol = 1e-9);

// The maximiser of a unimodal f on [lo, hi] by golden-section search (tolerance in x).
double golden_max(const std::function<double(double)>& f, double lo, double hi, double tol = 1e-12);

}  // namespace agglo::simulate
