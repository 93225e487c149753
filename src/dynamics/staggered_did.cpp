// Callaway & Sant'Anna (2021) group-time ATTs, aggregations and multiplier bootstrap (see
// include/agglo/dynamics/staggered_did.hpp; formulas in docs/methods/dynamics.md).
#include "agglo/dynamics/staggered_did.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/stats/descriptive.hpp"

namespace agglo::dynamics {

namespace {

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();
// Φ⁻¹(0.75) − Φ⁻¹(0.25): turns an interquartile range into a normal standard deviation.
constexpr double normal_iqr = 1.3489795003921634;

// One aggregate: weights over a set of cells, and the influence of estimating the weights
// (R's wif) when they come from the cohort shares.
struct Combination {
  std::vector<std::size_t> cells;
  std::vector<double> weights;
  bool estimated_weights = true;
};

}  // namespace

double twfe_coefficient(const PanelData& p) {
  const std::size_t n = p.cohort.size(), T = p.periods.size();
  std::vector<double> D(n * T);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t t = 0; t < T; ++t) D[i * T + t] = p.cohort[i] > 0 && p.periods[t] >= p.cohort[i] ? 1.0 : 0.0;
  auto demean = [&](std::vector<double> v) {
    std::vector<double> ri(n, 0.0), ct(T, 0.0);
    double all = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t t = 0; t < T; ++t) ri[i] += v[i * T + t], ct[t] += v[i * T + t], all += v[i * T + t];
    for (auto& x : ri) x /= static_cast<double>(T);
    for (auto& x : ct) x /= static_cast<double>(n);
    all /= static_cast<double>(n * T);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t t = 0; t < T; ++t) v[i * T + t] -= ri[i] + ct[t] - all;
    return v;
  };
  const auto Dd = demean(D), yd = demean(p.y);
  double num = 0, den = 0;
  for (std::size_t k = 0; k < Dd.size(); ++k) num += Dd[k] * yd[k], den += Dd[k] * Dd[k];
  return den > 0 ? num / den : nan_v;
}

std::vector<BaconTerm> bacon_decomposition(const PanelData& p) {
  const std::size_t n = p.cohort.size(), T = p.periods.size();
  std::map<std::int64_t, std::vector<std::size_t>> groups;  // cohort → units (0 = never)
  for (std::size_t i = 0; i < n; ++i) groups[p.cohort[i]].push_back(i);
  // mean outcome of a group over the periods [a, b)
  auto mean = [&](std::int64_t g, std::size_t a, std::size_t b) {
    double s = 0;
    for (auto i : groups[g])
      for (std::size_t t = a; t < b; ++t) s += p.y[i * T + t];
    return s / static_cast<double>(groups[g].size() * (b - a));
  };
  auto first = [&](std::int64_t g) {  // index of the first treated period
    std::size_t k = 0;
    while (k < T && p.periods[k] < g) ++k;
    return k;
  };
  const double Td = static_cast<double>(T), nd = static_cast<double>(n);
  auto share = [&](std::int64_t g) { return static_cast<double>(groups[g].size()) / nd; };
  auto dbar = [&](std::int64_t g) { return static_cast<double>(T - first(g)) / Td; };
  // V̂^D: variance of the double-demeaned dummy
  double VD = 0;
  {
    std::vector<double> D(n * T), ri(n, 0), ct(T, 0);
    double all = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t t = 0; t < T; ++t) {
        const double d = p.cohort[i] > 0 && p.periods[t] >= p.cohort[i] ? 1.0 : 0.0;
        D[i * T + t] = d, ri[i] += d / Td, ct[t] += d / nd, all += d / (nd * Td);
      }
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t t = 0; t < T; ++t) VD += std::pow(D[i * T + t] - ri[i] - ct[t] + all, 2) / (nd * Td);
  }
  std::vector<std::int64_t> cohorts;
  for (const auto& [g, _] : groups)
    if (g > 0) cohorts.push_back(g);
  std::vector<BaconTerm> out;
  if (VD <= 0) return out;
  const bool never = groups.count(0) > 0;
  for (auto k : cohorts) {
    const std::size_t tk = first(k);
    if (never) {
      const double nk = share(k), nu = share(0), nku = nk / (nk + nu), Dk = dbar(k);
      BaconTerm b{"treated_vs_never", k, 0, 0, 0};
      b.estimate = (mean(k, tk, T) - mean(k, 0, tk)) - (mean(0, tk, T) - mean(0, 0, tk));
      b.weight = (nk + nu) * (nk + nu) * nku * (1 - nku) * Dk * (1 - Dk) / VD;
      out.push_back(b);
    }
    for (auto l : cohorts) {
      if (l <= k) continue;
      const std::size_t tl = first(l);
      const double nk = share(k), nl = share(l), nkl = nk / (nk + nl), Dk = dbar(k), Dl = dbar(l);
      BaconTerm e{"earlier_vs_later", k, l, 0, 0};
      e.estimate = (mean(k, tk, tl) - mean(k, 0, tk)) - (mean(l, tk, tl) - mean(l, 0, tk));
      e.weight = std::pow((nk + nl) * (1 - Dl), 2) * nkl * (1 - nkl) * ((Dk - Dl) / (1 - Dl)) * ((1 - Dk) / (1 - Dl)) / VD;
      out.push_back(e);
      BaconTerm f{"later_vs_earlier", l, k, 0, 0};
      f.estimate = (mean(l, tl, T) - mean(l, tk, tl)) - (mean(k, tl, T) - mean(k, tk, tl));
      f.weight = std::pow((nk + nl) * Dk, 2) * nkl * (1 - nkl) * (Dl / Dk) * ((Dk - Dl) / Dk) / VD;
      out.push_back(f);
    }
  }
  return out;
}

CleanCohorts clean_cohorts(const PanelData& in) {
  CleanCohorts c;
  std::size_t late = 0;
  for (std::size_t i = 0; i < in.cohort.size(); ++i) {
    std::int64_t g = in.cohort[i];
    if (g > in.periods.back()) g = 0, ++late;
    if (g != 0 && g <= in.periods.front()) {
      ++c.dropped;
      continue;
    }
    c.keep.push_back(i);
    c.cohort.push_back(g);
  }
  if (late)
    c.warnings.push_back(fmt::format("{} unit(s) first treated after the last period ({}) count as never treated", late,
                                     in.periods.back()));
  if (c.dropped)
    c.warnings.push_back(fmt::format(
        "{} unit(s) treated in or before the first period ({}) have no pre-treatment period and were dropped", c.dropped,
        in.periods.front()));
  return c;
}

DidResult callaway_santanna(const PanelData& in, const DidOptions& o) {
  DidResult res;
  const std::size_t T = in.periods.size();
  if (T < 2) throw_input(ErrorCode::invalid_value, "the panel has fewer than two periods: no difference can be taken");
  CleanCohorts cleaned = clean_cohorts(in);
  const std::vector<std::size_t>& keep = cleaned.keep;
  const std::vector<std::int64_t>& G = cleaned.cohort;
  res.dropped_units = cleaned.dropped;
  res.warnings = std::move(cleaned.warnings);
  const std::size_t n = keep.size();
  res.units = n;
  for (auto g : G) res.never_treated += g == 0;
  std::vector<std::int64_t> glist;
  for (auto g : G)
    if (g > 0) glist.push_back(g);
  std::sort(glist.begin(), glist.end());
  glist.erase(std::unique(glist.begin(), glist.end()), glist.end());
  if (glist.empty())
    throw_input(ErrorCode::invalid_value, "no unit is treated within the panel's periods: there is no effect to estimate", {},
                "the cohort column gives the first treated period (0 = never treated)");
  if (res.never_treated == 0 && o.control == ControlGroup::never_treated)
    throw_input(ErrorCode::invalid_value, "no never-treated unit (cohort 0): the never-treated comparison group is empty", {},
                "use --control not-yet-treated, or add units that are never treated");
  const double nd = static_cast<double>(n);
  auto Y = [&](std::size_t r, std::size_t t) { return in.y[keep[r] * T + t]; };
  std::map<std::int64_t, double> pg;  // P(G = g) over the n units
  for (auto g : G)
    if (g > 0) pg[g] += 1 / nd;

  // --- ATT(g,t) and influence functions (column k: n values)
  std::vector<std::vector<double>> psi;
  for (auto g : glist) {
    // last period before g (the base of every post-treatment cell)
    std::size_t pre = 0;
    for (std::size_t t = 0; t < T; ++t)
      if (in.periods[t] < g) pre = t;
    for (std::size_t ti = 1; ti < T; ++ti) {
      const std::int64_t t = in.periods[ti];
      const bool post = t >= g;
      const std::size_t bi = post ? pre : ti - 1;
      const std::int64_t b = in.periods[bi];
      AttCell c;
      c.group = g;
      c.time = t;
      c.base = b;
      c.post = post;
      double sD = 0, sC = 0;
      std::size_t nD = 0, nC = 0;
      std::vector<std::int8_t> role(n, 0);  // 1 treated, −1 control
      for (std::size_t r = 0; r < n; ++r) {
        const bool treated = G[r] == g;
        const bool control = o.control == ControlGroup::never_treated
                                 ? G[r] == 0
                                 : (G[r] == 0 || (G[r] > std::max(t, b) && G[r] != g));
        if (!treated && !control) continue;
        const double dy = Y(r, ti) - Y(r, bi);
        if (treated) role[r] = 1, sD += dy, ++nD;
        else role[r] = -1, sC += dy, ++nC;
      }
      c.n_treated = nD;
      c.n_control = nC;
      std::vector<double> f(n, 0.0);
      if (nC == 0) {
        c.att = c.std_error = nan_v;
        res.warnings.push_back(fmt::format("ATT({}, {}): no comparison unit (all are treated by then); left empty", g, t));
      } else {
        const double mD = sD / static_cast<double>(nD), mC = sC / static_cast<double>(nC);
        c.att = mD - mC;
        const double n1 = static_cast<double>(nD + nC);
        const double pD = static_cast<double>(nD) / n1, pC = static_cast<double>(nC) / n1;
        double ss = 0;
        for (std::size_t r = 0; r < n; ++r) {
          if (!role[r]) continue;
          const double dy = Y(r, ti) - Y(r, bi);
          const double v = role[r] > 0 ? (dy - mD) / pD : -(dy - mC) / pC;
          f[r] = (nd / n1) * v;
          ss += f[r] * f[r];
        }
        c.std_error = std::sqrt(ss) / nd;
      }
      res.cells.push_back(c);
      psi.push_back(std::move(f));
    }
  }
  const std::size_t K = res.cells.size();
  auto ok = [&](std::size_t k) { return std::isfinite(res.cells[k].att); };

  // --- aggregations: θ = Σ w_k ATT_k; influence Σ w_k ψ_k + Σ ATT_k ω_k
  auto combine = [&](const Combination& cmb, double& value) {
    std::vector<double> inf(n, 0.0);
    value = 0;
    for (std::size_t j = 0; j < cmb.cells.size(); ++j) {
      const std::size_t k = cmb.cells[j];
      value += cmb.weights[j] * res.cells[k].att;
      for (std::size_t r = 0; r < n; ++r) inf[r] += cmb.weights[j] * psi[k][r];
    }
    if (cmb.estimated_weights) {
      // R's wif(): weights π_g(k) / Σ π; their influence
      //   if1_ik = (1[G_i = g_k] − π_k) / Σπ,  if2_ik = Σ_l (1[G_i = g_l] − π_l) · π_k / (Σπ)²
      double sp = 0;
      for (auto k : cmb.cells) sp += pg[res.cells[k].group];
      for (std::size_t r = 0; r < n; ++r) {
        double s = 0;
        for (auto k : cmb.cells) s += (G[r] == res.cells[k].group ? 1.0 : 0.0) - pg[res.cells[k].group];
        double w = 0;
        for (auto k : cmb.cells) {
          const double pk = pg[res.cells[k].group];
          const double if1 = ((G[r] == res.cells[k].group ? 1.0 : 0.0) - pk) / sp;
          const double if2 = s * pk / (sp * sp);
          w += (if1 - if2) * res.cells[k].att;
        }
        inf[r] += w;
      }
    }
    return inf;
  };
  auto se_of = [&](const std::vector<double>& inf) {
    double ss = 0;
    for (double v : inf) ss += v * v;
    return std::sqrt(ss) / nd;
  };
  auto cohort_weights = [&](const std::vector<std::size_t>& cells) {
    Combination c;
    c.cells = cells;
    double sp = 0;
    for (auto k : cells) sp += pg[res.cells[k].group];
    for (auto k : cells) c.weights.push_back(pg[res.cells[k].group] / sp);
    return c;
  };
  // every influence function that gets a bootstrap se: cells, aggregates
  std::vector<std::vector<double>> boot_inf;
  std::vector<double*> boot_out;

  std::vector<std::size_t> post_cells;
  for (std::size_t k = 0; k < K; ++k)
    if (res.cells[k].post && ok(k)) post_cells.push_back(k);
  if (post_cells.empty()) throw_input(ErrorCode::invalid_value, "no post-treatment cell has a comparison group");
  {
    auto inf = combine(cohort_weights(post_cells), res.att_simple);
    res.att_simple_se = se_of(inf);
    boot_inf.push_back(std::move(inf));
    boot_out.push_back(&res.att_simple_bootstrap_se);
  }
  // A family of aggregates (keys) with an overall summary made from the key-level influences.
  auto finish_family = [&](Aggregate& A, std::vector<std::vector<double>> infs, const std::vector<std::size_t>& overall_keys,
                           const std::vector<double>& overall_w, bool overall_estimated_by_cohort,
                           const std::vector<std::int64_t>& key_cohort) {
    A.bootstrap_se.assign(A.key.size(), nan_v);
    std::vector<double> oinf(n, 0.0);
    A.overall = 0;
    for (std::size_t j = 0; j < overall_keys.size(); ++j) {
      const std::size_t q = overall_keys[j];
      A.overall += overall_w[j] * A.att[q];
      for (std::size_t r = 0; r < n; ++r) oinf[r] += overall_w[j] * infs[q][r];
    }
    if (overall_estimated_by_cohort) {  // group aggregation: weights π_g over cohorts
      double sp = 0;
      for (auto q : overall_keys) sp += pg[key_cohort[q]];
      for (std::size_t r = 0; r < n; ++r) {
        double s = 0;
        for (auto q : overall_keys) s += (G[r] == key_cohort[q] ? 1.0 : 0.0) - pg[key_cohort[q]];
        double w = 0;
        for (auto q : overall_keys) {
          const double pk = pg[key_cohort[q]];
          w += (((G[r] == key_cohort[q] ? 1.0 : 0.0) - pk) / sp - s * pk / (sp * sp)) * A.att[q];
        }
        oinf[r] += w;
      }
    }
    A.overall_se = se_of(oinf);
    for (std::size_t q = 0; q < A.key.size(); ++q) {
      boot_inf.push_back(std::move(infs[q]));
      boot_out.push_back(&A.bootstrap_se[q]);
    }
    boot_inf.push_back(std::move(oinf));
    boot_out.push_back(&A.overall_bootstrap_se);
  };
  // dynamic: by event time e = t − g, all cells (pre-treatment too); overall = mean over e ≥ 0
  {
    std::map<std::int64_t, std::vector<std::size_t>> by_e;
    for (std::size_t k = 0; k < K; ++k)
      if (ok(k)) by_e[res.cells[k].time - res.cells[k].group].push_back(k);
    std::vector<std::vector<double>> infs;
    std::vector<std::size_t> post_keys;
    for (const auto& [e, cells] : by_e) {
      double v = 0;
      infs.push_back(combine(cohort_weights(cells), v));
      res.dynamic.key.push_back(e);
      res.dynamic.att.push_back(v);
      res.dynamic.std_error.push_back(se_of(infs.back()));
      if (e >= 0) post_keys.push_back(res.dynamic.key.size() - 1);
    }
    std::vector<double> w(post_keys.size(), 1.0 / static_cast<double>(post_keys.size()));
    finish_family(res.dynamic, std::move(infs), post_keys, w, false, {});
  }
  // group: per cohort, the mean of its post-treatment cells; overall weighted by π_g
  {
    std::vector<std::vector<double>> infs;
    std::vector<std::size_t> keys;
    std::vector<std::int64_t> key_cohort;
    for (auto g : glist) {
      std::vector<std::size_t> cells;
      for (auto k : post_cells)
        if (res.cells[k].group == g) cells.push_back(k);
      if (cells.empty()) continue;
      Combination c;
      c.cells = cells;
      c.weights.assign(cells.size(), 1.0 / static_cast<double>(cells.size()));
      c.estimated_weights = false;
      double v = 0;
      infs.push_back(combine(c, v));
      res.group.key.push_back(g);
      res.group.att.push_back(v);
      res.group.std_error.push_back(se_of(infs.back()));
      keys.push_back(res.group.key.size() - 1);
      key_cohort.push_back(g);
    }
    double sp = 0;
    for (auto g : key_cohort) sp += pg[g];
    std::vector<double> w;
    for (auto g : key_cohort) w.push_back(pg[g] / sp);
    finish_family(res.group, std::move(infs), keys, w, true, key_cohort);
  }
  // calendar: per period t ≥ the first cohort, its post cells weighted by π_g; overall = mean
  {
    std::vector<std::vector<double>> infs;
    std::vector<std::size_t> keys;
    for (std::size_t ti = 0; ti < T; ++ti) {
      const auto t = in.periods[ti];
      if (t < glist.front()) continue;
      std::vector<std::size_t> cells;
      for (auto k : post_cells)
        if (res.cells[k].time == t) cells.push_back(k);
      if (cells.empty()) continue;
      double v = 0;
      infs.push_back(combine(cohort_weights(cells), v));
      res.calendar.key.push_back(t);
      res.calendar.att.push_back(v);
      res.calendar.std_error.push_back(se_of(infs.back()));
      keys.push_back(res.calendar.key.size() - 1);
    }
    std::vector<double> w(keys.size(), 1.0 / static_cast<double>(keys.size()));
    finish_family(res.calendar, std::move(infs), keys, w, false, {});
  }

  // --- multiplier bootstrap: cells first, then every aggregate
  if (o.bootstrap > 0) {
    const std::size_t B = static_cast<std::size_t>(o.bootstrap);
    std::vector<const std::vector<double>*> cols;
    for (std::size_t k = 0; k < K; ++k) cols.push_back(&psi[k]);
    for (const auto& v : boot_inf) cols.push_back(&v);
    const std::size_t M = cols.size();
    std::vector<double> draws(B * M, 0.0);  // draws[b * M + m]
    const auto sid = core::stream_id("did multiplier bootstrap");
    auto body = [&](const tbb::blocked_range<std::size_t>& rg) {
      std::vector<double> v(n);
      for (std::size_t b = rg.begin(); b < rg.end(); ++b) {
        core::Stream s(o.seed, sid, b);
        for (std::size_t r = 0; r < n; ++r) v[r] = (s.next() >> 63) ? 1.0 : -1.0;  // Rademacher
        for (std::size_t m = 0; m < M; ++m) {
          const double* f = cols[m]->data();
          double acc = 0;
          for (std::size_t r = 0; r < n; ++r) acc += v[r] * f[r];
          draws[b * M + m] = acc / nd;
        }
      }
    };
    if (o.threads > 0) {
      tbb::task_arena arena(o.threads);
      arena.execute([&] { tbb::parallel_for(tbb::blocked_range<std::size_t>(0, B, 8), body); });
    } else {
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, B, 8), body);
    }
    std::vector<double> bse(M, nan_v), col(B);
    for (std::size_t m = 0; m < M; ++m) {
      for (std::size_t b = 0; b < B; ++b) col[b] = draws[b * M + m];
      std::sort(col.begin(), col.end());
      bse[m] = (stats::quantile_sorted(col, 0.75) - stats::quantile_sorted(col, 0.25)) / normal_iqr;
    }
    for (std::size_t k = 0; k < K; ++k) res.cells[k].bootstrap_se = bse[k];
    for (std::size_t m = 0; m < boot_out.size(); ++m) *boot_out[m] = bse[K + m];
    // uniform band critical values: quantile of max |θ*| / se over a family (R's mboot;
    // columns with a degenerate se are left out, as R does below √eps · 10)
    auto critical = [&](const std::vector<std::size_t>& ms) {
      std::vector<double> tmax(B, 0.0);
      const double tiny = std::sqrt(std::numeric_limits<double>::epsilon()) * 10;
      for (std::size_t b = 0; b < B; ++b)
        for (auto m : ms)
          if (bse[m] > tiny) tmax[b] = std::max(tmax[b], std::fabs(draws[b * M + m]) / bse[m]);
      std::sort(tmax.begin(), tmax.end());
      return stats::quantile_sorted(tmax, 1 - o.alpha);
    };
    std::vector<std::size_t> cell_ms;
    for (std::size_t k = 0; k < K; ++k)
      if (ok(k)) cell_ms.push_back(k);
    res.critical_value = critical(cell_ms);
    // aggregate families sit after the simple ATT in boot_out: dynamic keys + overall, group…, calendar…
    std::size_t m0 = K + 1;
    for (Aggregate* A : {&res.dynamic, &res.group, &res.calendar}) {
      std::vector<std::size_t> ms;
      for (std::size_t q = 0; q < A->key.size(); ++q) ms.push_back(m0 + q);
      A->critical_value = critical(ms);
      m0 += A->key.size() + 1;
    }
  }

  // --- two-way fixed effects for comparison, on the same units
  PanelData kept;
  kept.periods = in.periods;
  kept.cohort = G;
  kept.y.reserve(n * T);
  for (std::size_t r = 0; r < n; ++r)
    for (std::size_t t = 0; t < T; ++t) kept.y.push_back(Y(r, t));
  res.twfe = twfe_coefficient(kept);
  res.bacon = bacon_decomposition(kept);
  return res;
}

}  // namespace agglo::dynamics
