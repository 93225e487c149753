// Cluster strength and maps (rules in include/agglo/clusters/cluster_map.hpp and
// docs/methods/cluster-map.md).
#include "agglo/clusters/cluster_map.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "agglo/core/error.hpp"
#include "agglo/measure/shift_share.hpp"
#include "agglo/measure/specialisation.hpp"

namespace agglo::clusters {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// "a, b, c and 7 more": lists in warnings stay one line long.
std::string first_few(const std::vector<std::string>& v, std::size_t k = 10) {
  std::string s;
  for (std::size_t i = 0; i < v.size() && i < k; ++i) s += (i ? ", " : "") + v[i];
  if (v.size() > k) s += fmt::format(" and {} more", v.size() - k);
  return s;
}

std::string_view denominator_name(int d) { return d == 0 ? "total" : d == 1 ? "traded" : "local"; }

// Bits of the per-cell flags.
enum Flag : std::uint8_t {
  f_qualifying = 1,
  f_significant = 2,
  f_strong_cmp = 4,
  f_top = 8,
  f_star_size = 16,
  f_star_spec = 32,
  f_star_focus = 64,
  f_star_prod = 128,
};

}  // namespace

std::string_view to_string(ClusterKind kind) {
  switch (kind) {
    case ClusterKind::traded: return "traded";
    case ClusterKind::local: return "local";
    case ClusterKind::mixed: return "mixed";
    case ClusterKind::unknown: return "unknown";
  }
  return "unknown";
}

std::uint32_t ClusterDefinitions::add(const std::string& industry, const std::string& cluster, ClusterKind kind) {
  auto it = std::find(names.begin(), names.end(), cluster);
  std::uint32_t c;
  if (it == names.end()) {
    c = static_cast<std::uint32_t>(names.size());
    names.push_back(cluster);
    kinds.push_back(kind);
  } else {
    c = static_cast<std::uint32_t>(it - names.begin());
    if (kinds[c] == ClusterKind::unknown) kinds[c] = kind;
    else if (kind != ClusterKind::unknown && kind != kinds[c]) kinds[c] = ClusterKind::mixed;
  }
  industries.push_back(industry);
  cluster_of.push_back(c);
  return c;
}

ClusterMapParams preset_params(const std::string& name) {
  ClusterMapParams p;
  if (name == "us-cmp") return p;
  if (name == "eco") {
    // The ECO compares a cluster's share of regional employment with its share of total
    // employment (no traded/local split), and calls a region-cluster strong by its stars.
    p.denominator = LqDenominator::total;
    p.strong_rule = StrongRule::stars;
    return p;
  }
  throw_usage(ErrorCode::unknown_preset, fmt::format("unknown cluster-map preset '{}'", name),
              "presets: us-cmp (US Cluster Mapping Project), eco (European Cluster Observatory)");
}

std::vector<std::string> preset_names() { return {"us-cmp", "eco"}; }

double quantile_sorted(const std::vector<double>& sorted, double p) {
  AGGLO_ASSERT(!sorted.empty());
  // Type 7: h = (n − 1)p, Q = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋+1 − x_⌊h⌋), 0-based order statistics.
  const double h = (static_cast<double>(sorted.size()) - 1.0) * std::clamp(p, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const auto hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

data::DenseMatrix roll_up_rows(const data::DenseMatrix& m, const std::vector<std::int64_t>& target, std::size_t targets) {
  AGGLO_ASSERT(target.size() == m.rows());
  data::DenseMatrix out(targets, m.cols(), 0.0);
  for (std::size_t r = 0; r < m.rows(); ++r) {
    if (target[r] < 0) continue;
    AGGLO_ASSERT(static_cast<std::size_t>(target[r]) < targets);
    double* dst = out.row(static_cast<std::size_t>(target[r]));
    const double* src = m.row(r);
    for (std::size_t c = 0; c < m.cols(); ++c) dst[c] += src[c];
  }
  return out;
}

ClusterMap cluster_map(const ClusterMapInput& in, const ClusterDefinitions& defs, const ClusterMapParams& p,
                       bool all_cells) {
  std::vector<std::string> base_warnings;
  const auto& m = in.employment;
  const std::size_t R = m.regions.size(), I = m.industries.size(), K = defs.size();
  AGGLO_ASSERT(m.values.rows() == R && m.values.cols() == I);
  AGGLO_ASSERT(in.region_levels.empty() || in.region_levels.size() == R);
  AGGLO_ASSERT(in.industry_kinds.empty() || in.industry_kinds.size() == I);
  auto same_shape = [&](const std::optional<data::DenseMatrix>& x) {
    return !x || (x->rows() == R && x->cols() == I);
  };
  AGGLO_ASSERT(same_shape(in.establishments) && same_shape(in.wages) && same_shape(in.employment_from));
  AGGLO_ASSERT(same_shape(in.establishments_from) && same_shape(in.wages_from));
  if (K == 0)
    throw_input(ErrorCode::empty_input, "the cluster definitions hold no cluster", {},
                "give a clusters file with industry and cluster columns and at least one row");
  ClusterMap out;
  const bool with_base = in.employment_from.has_value();

  // 0. The base year, mapped by the same rules (all cells, so row r·K + c is region r ×
  // cluster c): its LQ and strong flag are what the change columns compare with.
  std::vector<double> lq_from;
  std::vector<std::uint8_t> strong_from;
  if (with_base) {
    ClusterMapInput b;
    b.employment = {m.regions, m.industries, *in.employment_from};
    b.establishments = in.establishments_from;
    b.wages = in.wages_from;
    b.region_levels = in.region_levels;
    b.industry_kinds = in.industry_kinds;
    auto base = cluster_map(b, defs, p, /*all_cells=*/true);
    AGGLO_ASSERT(base.cells.rows() == R * K);
    lq_from = std::get<data::RealColumn>(base.cells.at("lq").values);
    const auto& st = std::get<data::IntColumn>(base.cells.at("strong").values);
    strong_from.assign(st.begin(), st.end());
    base_warnings = std::move(base.warnings);
  }

  // 1. Industry column → cluster. Members missing from the matrix are reported, not fatal.
  std::unordered_map<std::string_view, std::uint32_t> column_of;
  column_of.reserve(I);
  for (std::size_t i = 0; i < I; ++i) column_of.emplace(m.industries[i], static_cast<std::uint32_t>(i));
  constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  std::vector<std::uint32_t> cluster_of_col(I, none);
  std::vector<std::size_t> members_present(K, 0);
  for (std::size_t k = 0; k < defs.industries.size(); ++k) {
    auto it = column_of.find(defs.industries[k]);
    if (it == column_of.end()) {
      out.unknown_industries.push_back(defs.industries[k]);
      continue;
    }
    cluster_of_col[it->second] = defs.cluster_of[k];
    ++members_present[defs.cluster_of[k]];
  }

  // 2. Kinds. An industry without its own kind takes its cluster's (benchmark definitions
  // give the type per cluster); a cluster without one takes its industries' (all traded →
  // traded, all local → local, both → mixed).
  std::vector<data::IndustryKind> ikind(I, data::IndustryKind::unknown);
  std::vector<ClusterKind> ckind = defs.kinds;
  ckind.resize(K, ClusterKind::unknown);
  for (std::size_t i = 0; i < I; ++i) {
    if (!in.industry_kinds.empty()) ikind[i] = in.industry_kinds[i];
    const auto c = cluster_of_col[i];
    if (ikind[i] == data::IndustryKind::unknown && c != none) {
      if (ckind[c] == ClusterKind::traded) ikind[i] = data::IndustryKind::traded;
      if (ckind[c] == ClusterKind::local) ikind[i] = data::IndustryKind::local;
    }
  }
  {
    std::vector<std::uint8_t> seen(K, 0);  // bit 1 traded, bit 2 local
    for (std::size_t i = 0; i < I; ++i)
      if (cluster_of_col[i] != none)
        seen[cluster_of_col[i]] |= ikind[i] == data::IndustryKind::traded ? 1 : ikind[i] == data::IndustryKind::local ? 2 : 0;
    for (std::size_t c = 0; c < K; ++c)
      if (ckind[c] == ClusterKind::unknown)
        ckind[c] = seen[c] == 1 ? ClusterKind::traded : seen[c] == 2 ? ClusterKind::local
                   : seen[c] == 3 ? ClusterKind::mixed : ClusterKind::unknown;
  }

  std::vector<std::string> empty_clusters;

  // 3. Aggregate industries into clusters: X_rc = Σ_{i∈I_c} E_ri (and establishments, wages,
  // base-year employment the same way); A_r, T_r, L_r the all / traded / local totals.
  data::DenseMatrix X(R, K, 0.0), N, W, X0;
  if (in.establishments) N = data::DenseMatrix(R, K, 0.0);
  if (in.wages) W = data::DenseMatrix(R, K, 0.0);
  if (in.employment_from) X0 = data::DenseMatrix(R, K, 0.0);
  std::vector<double> A(R, 0.0), T(R, 0.0), L(R, 0.0), U(R, 0.0), A0(R, 0.0);
  tbb::parallel_for(std::size_t(0), R, [&](std::size_t r) {
    const double* e = m.values.row(r);
    for (std::size_t i = 0; i < I; ++i) {
      const double v = e[i];
      A[r] += v;
      if (with_base) A0[r] += (*in.employment_from)(r, i);
      if (ikind[i] == data::IndustryKind::traded) T[r] += v;
      else if (ikind[i] == data::IndustryKind::local) L[r] += v;
      const auto c = cluster_of_col[i];
      if (c == none) {
        U[r] += v;
        continue;
      }
      X(r, c) += v;
      if (in.establishments) N(r, c) += (*in.establishments)(r, i);
      if (in.wages) W(r, c) += (*in.wages)(r, i);
      if (in.employment_from) X0(r, c) += (*in.employment_from)(r, i);
    }
  });
  {
    data::Table t;
    auto& code = t.add_text("industry");
    auto& kind = t.add_text("kind");
    auto& emp = t.add_real("employment");
    std::vector<std::string> names;
    for (std::size_t i = 0; i < I; ++i) {
      if (cluster_of_col[i] != none) continue;
      double e = 0;
      for (std::size_t r = 0; r < R; ++r) e += m.values(r, i);
      code.push_back(m.industries[i]);
      kind.emplace_back(data::to_string(ikind[i]));
      emp.push_back(e);
      names.push_back(m.industries[i]);
      out.unclustered_employment += e;
    }
    const double total = std::accumulate(A.begin(), A.end(), 0.0);
    if (!names.empty())
      out.warnings.push_back(fmt::format(
          "{} industr{} of the employment file ({:.0f} jobs, {:.1f} % of employment) {} in no cluster and "
          "{} counted as unclustered: {}",
          names.size(), names.size() == 1 ? "y" : "ies", out.unclustered_employment,
          total > 0 ? 100.0 * out.unclustered_employment / total : 0.0, names.size() == 1 ? "is" : "are",
          names.size() == 1 ? "is" : "are", first_few(names)));
    out.unclustered = std::move(t);
  }
  if (!out.unknown_industries.empty())
    out.warnings.push_back(fmt::format(
        "{} industr{} of the cluster definitions {} not in the employment file and {} ignored: {}",
        out.unknown_industries.size(), out.unknown_industries.size() == 1 ? "y" : "ies",
        out.unknown_industries.size() == 1 ? "is" : "are", out.unknown_industries.size() == 1 ? "is" : "are",
        first_few(out.unknown_industries)));

  for (std::size_t c = 0; c < K; ++c) {
    double e = 0;
    for (std::size_t r = 0; r < R; ++r) e += X(r, c);
    if (!(e > 0)) empty_clusters.push_back(defs.names[c]);
  }

  // 4. The denominator of each cluster: 0 all, 1 traded, 2 local employment.
  std::vector<int> denom(K, 0);
  for (std::size_t c = 0; c < K; ++c) {
    switch (p.denominator) {
      case LqDenominator::total: denom[c] = 0; break;
      case LqDenominator::traded: denom[c] = 1; break;
      case LqDenominator::local: denom[c] = 2; break;
      case LqDenominator::by_cluster_kind:
        denom[c] = ckind[c] == ClusterKind::traded ? 1 : ckind[c] == ClusterKind::local ? 2 : 0;
        break;
    }
  }
  {
    const double tt = std::accumulate(T.begin(), T.end(), 0.0), ll = std::accumulate(L.begin(), L.end(), 0.0);
    if (p.denominator == LqDenominator::traded && !(tt > 0))
      throw_input(ErrorCode::invalid_value, "a traded denominator needs traded industries, but no industry with employment is known as traded",
                  {}, "give --industries with a kind column, a clusters file with a type column, or use --denominator total");
    if (p.denominator == LqDenominator::local && !(ll > 0))
      throw_input(ErrorCode::invalid_value, "a local denominator needs local industries, but no industry with employment is known as local",
                  {}, "give --industries with a kind column, a clusters file with a type column, or use --denominator total");
    const bool uses_kind = std::any_of(denom.begin(), denom.end(), [](int d) { return d != 0; });
    if (uses_kind) {
      std::vector<std::string> unknown;
      for (std::size_t i = 0; i < I; ++i)
        if (ikind[i] == data::IndustryKind::unknown) {
          double e = 0;
          for (std::size_t r = 0; r < R; ++r) e += m.values(r, i);
          if (e > 0) unknown.push_back(m.industries[i]);
        }
      if (!unknown.empty())
        out.warnings.push_back(fmt::format("{} industr{} with employment ha{} no kind (traded/local) and {} left out of the "
                                           "traded and local denominators: {}",
                                           unknown.size(), unknown.size() == 1 ? "y" : "ies", unknown.size() == 1 ? "s" : "ve",
                                           unknown.size() == 1 ? "is" : "are", first_few(unknown)));
    }
  }

  // 5. Levels: regions are compared only with regions of the same level.
  std::vector<std::string> level_names;
  std::vector<std::uint32_t> level_of(R, 0);
  if (in.region_levels.empty()) {
    level_names.push_back("");
  } else {
    for (std::size_t r = 0; r < R; ++r) {
      auto it = std::find(level_names.begin(), level_names.end(), in.region_levels[r]);
      if (it == level_names.end()) {
        level_of[r] = static_cast<std::uint32_t>(level_names.size());
        level_names.push_back(in.region_levels[r]);
      } else {
        level_of[r] = static_cast<std::uint32_t>(it - level_names.begin());
      }
    }
  }
  auto level_label = [&](std::size_t l) { return level_names[l].empty() ? std::string("all regions") : "level '" + level_names[l] + "'"; };

  // Per-cell results.
  data::DenseMatrix LQ(R, K, nan), share(R, K, nan), focus(R, K, nan), wage(R, K, nan);
  std::vector<std::int64_t> rank(R * K, 0), lq_rank(R * K, 0);
  std::vector<double> pct(R * K, 0.0), lq_pct(R * K, 0.0);
  std::vector<std::uint8_t> flags(R * K, 0);

  data::Table ct;  // the per level × cluster table
  auto& ct_level = ct.add_text("level");
  auto& ct_cluster = ct.add_text("cluster");
  auto& ct_kind = ct.add_text("kind");
  auto& ct_denom = ct.add_text("denominator");
  auto& ct_industries = ct.add_integer("industries");
  auto& ct_regions = ct.add_integer("regions");
  auto& ct_emp = ct.add_real("employment");
  data::RealColumn* ct_est = in.establishments ? &ct.add_real("establishments") : nullptr;
  auto& ct_emp_cut = ct.add_real("employment_cutoff");
  data::RealColumn* ct_est_cut = in.establishments ? &ct.add_real("establishments_cutoff") : nullptr;
  auto& ct_lq_strong = ct.add_real("lq_strong_cutoff");
  auto& ct_lq_top = ct.add_real("lq_top_cutoff");
  auto& ct_share_cut = ct.add_real("share_star_cutoff");
  auto& ct_focus_cut = ct.add_real("focus_star_cutoff");
  data::RealColumn* ct_wage_cut = in.wages ? &ct.add_real("wage_star_cutoff") : nullptr;
  auto& ct_q = ct.add_integer("qualifying");
  auto& ct_sig = ct.add_integer("significant");
  auto& ct_strong_cmp = ct.add_integer("strong_cmp");
  auto& ct_top = ct.add_integer("top_strong");
  auto& ct_starred = ct.add_integer("with_stars");
  auto& ct_strong = ct.add_integer("strong");
  data::RealColumn* ct_emp0 = in.employment_from ? &ct.add_real("employment_from") : nullptr;
  data::RealColumn* ct_cagr = in.employment_from ? &ct.add_real("cagr") : nullptr;

  std::vector<std::string> one_region_levels;
  std::vector<std::string> few_regions;  // "cluster (level)"
  std::vector<std::string> excluded_regions;
  auto is_strong = [&](std::uint8_t f) {
    if (p.strong_rule == StrongRule::cmp) return (f & f_strong_cmp) != 0;
    const int stars = ((f & f_star_size) != 0) + ((f & f_star_spec) != 0) + ((f & f_star_focus) != 0) + ((f & f_star_prod) != 0);
    return stars > 0 && stars >= p.strong_stars;
  };

  for (std::size_t l = 0; l < level_names.size(); ++l) {
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < R; ++r)
      if (level_of[r] == l) rows.push_back(r);
    const std::size_t G = rows.size();

    // LQs through measure::specialisation, so there is one LQ formula in agglo. We hand it a
    // matrix whose columns are the clusters plus one column holding the denominator
    // employment D_r, and mark only that column as in scope ("traded"): its region and
    // national totals are then D_r and D, and its LQ for every cluster column is
    // (E_rc / D_r) / (E_c / D) — the LQ with the chosen denominator, degenerate cases
    // (zero denominators, a single region) handled exactly as for industries.
    std::vector<bool> region_excluded(G, false);
    for (int d = 0; d < 3; ++d) {
      if (std::none_of(denom.begin(), denom.end(), [d](int x) { return x == d; })) continue;
      const auto& Dr = d == 0 ? A : d == 1 ? T : L;
      double D = 0;
      for (auto r : rows) D += Dr[r];
      if (!(D > 0)) {
        for (std::size_t c = 0; c < K; ++c)
          if (denom[c] == d)
            out.warnings.push_back(fmt::format("{}: no {} employment, so cluster '{}' has no location quotient",
                                               level_label(l), denominator_name(d), defs.names[c]));
        continue;
      }
      measure::RegionIndustryMatrix cm;
      cm.values = data::DenseMatrix(G, K + 1, 0.0);
      for (std::size_t g = 0; g < G; ++g) {
        cm.regions.push_back(m.regions[rows[g]]);
        for (std::size_t c = 0; c < K; ++c) cm.values(g, c) = X(rows[g], c);
        cm.values(g, K) = Dr[rows[g]];
      }
      cm.industries = defs.names;
      cm.industries.push_back("(denominator)");
      std::vector<data::IndustryKind> kinds(K + 1, data::IndustryKind::local);
      kinds[K] = data::IndustryKind::traded;
      const auto s = measure::specialisation(cm, measure::Denominator::traded, kinds);
      for (std::size_t g = 0; g < G; ++g) {
        if (s.region_excluded[g]) region_excluded[g] = true;
        for (std::size_t c = 0; c < K; ++c)
          if (denom[c] == d) LQ(rows[g], c) = s.lq(g, c);
      }
    }
    for (std::size_t g = 0; g < G; ++g)
      if (region_excluded[g] && A[rows[g]] > 0) excluded_regions.push_back(m.regions[rows[g]]);

    if (G == 1) one_region_levels.push_back(level_label(l));

    // Per cluster: the universe U_c, quantile cut-offs, flags, ranks.
    for (std::size_t c = 0; c < K; ++c) {
      std::vector<std::size_t> u;
      double Ec = 0, Nc = 0, Ec0 = 0;
      for (auto r : rows) {
        Ec += X(r, c);
        if (in.establishments) Nc += N(r, c);
        if (in.employment_from) Ec0 += X0(r, c);
        if (X(r, c) > 0 && std::isfinite(LQ(r, c))) u.push_back(r);
      }
      for (auto r : rows) {
        if (Ec > 0) share(r, c) = X(r, c) / Ec;
        if (A[r] > 0) focus(r, c) = X(r, c) / A[r];
        if (in.wages && X(r, c) > 0) wage(r, c) = W(r, c) / X(r, c);
      }
      const std::size_t n = u.size();
      auto sorted_of = [&](auto&& value) {
        std::vector<double> v;
        v.reserve(n);
        for (auto r : u) {
          const double x = value(r);
          if (std::isfinite(x)) v.push_back(x);
        }
        std::sort(v.begin(), v.end());
        return v;
      };
      // Ranks (1 = largest; ties share the best rank) and percentiles (the share of U_c at or
      // below the value, in %), by employment and by LQ.
      auto rank_by = [&](auto&& value, std::vector<std::int64_t>& rk, std::vector<double>& pc) {
        std::vector<double> v = sorted_of(value);
        for (auto r : u) {
          const double x = value(r);
          const auto below_or_eq = std::upper_bound(v.begin(), v.end(), x) - v.begin();
          rk[r * K + c] = static_cast<std::int64_t>(v.size() - below_or_eq) + 1;
          pc[r * K + c] = 100.0 * static_cast<double>(below_or_eq) / static_cast<double>(v.size());
        }
      };
      rank_by([&](std::size_t r) { return X(r, c); }, rank, pct);
      rank_by([&](std::size_t r) { return LQ(r, c); }, lq_rank, lq_pct);

      double emp_cut = nan, est_cut = nan, lq_strong = nan, lq_top = nan, share_cut = nan, focus_cut = nan, wage_cut = nan;
      std::int64_t nq = 0, ns = 0, nsc = 0, nt = 0, nst = 0, nstrong = 0;
      if (n >= std::max<std::size_t>(p.min_regions, 2)) {
        const auto emp_v = sorted_of([&](std::size_t r) { return X(r, c); });
        const auto lq_v = sorted_of([&](std::size_t r) { return LQ(r, c); });
        const auto share_v = sorted_of([&](std::size_t r) { return share(r, c); });
        const auto focus_v = sorted_of([&](std::size_t r) { return focus(r, c); });
        emp_cut = quantile_sorted(emp_v, p.size_quantile);
        lq_strong = quantile_sorted(lq_v, p.strong_quantile);
        lq_top = quantile_sorted(lq_v, p.top_quantile);
        share_cut = quantile_sorted(share_v, 1.0 - p.eco_top);
        if (!focus_v.empty()) focus_cut = quantile_sorted(focus_v, 1.0 - p.eco_top);
        if (in.establishments) est_cut = quantile_sorted(sorted_of([&](std::size_t r) { return N(r, c); }), p.size_quantile);
        if (in.wages) {
          const auto w = sorted_of([&](std::size_t r) { return wage(r, c); });
          if (!w.empty()) wage_cut = quantile_sorted(w, 1.0 - p.eco_top);
        }
        for (auto r : u) {
          std::uint8_t f = 0;
          const double e = X(r, c), lq = LQ(r, c);
          bool qualifying = e > emp_cut && e >= p.min_employment;
          if (in.establishments) qualifying = qualifying && N(r, c) > est_cut && N(r, c) >= p.min_establishments;
          if (qualifying) f |= f_qualifying;
          if (qualifying && lq >= p.strong_lq) f |= f_significant;
          if ((f & f_significant) && lq >= lq_strong) f |= f_strong_cmp;
          if ((f & f_strong_cmp) && lq >= lq_top) f |= f_top;
          if (share(r, c) >= share_cut) f |= f_star_size;
          if (lq >= p.eco_lq) f |= f_star_spec;
          if (std::isfinite(focus(r, c)) && focus(r, c) >= focus_cut) f |= f_star_focus;
          if (in.wages && std::isfinite(wage(r, c)) && std::isfinite(wage_cut) && wage(r, c) >= wage_cut) f |= f_star_prod;
          flags[r * K + c] = f;
          nq += (f & f_qualifying) != 0;
          ns += (f & f_significant) != 0;
          nsc += (f & f_strong_cmp) != 0;
          nt += (f & f_top) != 0;
          nst += (f & (f_star_size | f_star_spec | f_star_focus | f_star_prod)) != 0;
          nstrong += is_strong(f);
        }
      } else if (n > 0 && G > 1) {
        few_regions.push_back(level_names.size() > 1 ? fmt::format("{} ({})", defs.names[c], level_names[l]) : defs.names[c]);
      }
      ct_level.push_back(level_names[l]);
      ct_cluster.push_back(defs.names[c]);
      ct_kind.emplace_back(to_string(ckind[c]));
      ct_denom.emplace_back(denominator_name(denom[c]));
      ct_industries.push_back(static_cast<std::int64_t>(members_present[c]));
      ct_regions.push_back(static_cast<std::int64_t>(n));
      ct_emp.push_back(Ec);
      if (ct_est) ct_est->push_back(Nc);
      ct_emp_cut.push_back(emp_cut);
      if (ct_est_cut) ct_est_cut->push_back(est_cut);
      ct_lq_strong.push_back(lq_strong);
      ct_lq_top.push_back(lq_top);
      ct_share_cut.push_back(share_cut);
      ct_focus_cut.push_back(focus_cut);
      if (ct_wage_cut) ct_wage_cut->push_back(wage_cut);
      ct_q.push_back(nq);
      ct_sig.push_back(ns);
      ct_strong_cmp.push_back(nsc);
      ct_top.push_back(nt);
      ct_starred.push_back(nst);
      ct_strong.push_back(nstrong);
      if (ct_emp0) {
        ct_emp0->push_back(Ec0);
        ct_cagr->push_back(Ec0 > 0 && in.growth_years > 0 ? std::pow(Ec / Ec0, 1.0 / in.growth_years) - 1.0 : nan);
      }
    }
  }
  // 6. Change since the base year, level by level (the level is the "nation" of the
  // shift-share and of the growth test): the decomposition of E_rc¹ − E_rc⁰ with clusters as
  // sectors and all employment A_r as region totals, the growth z and the emerging rule.
  data::DenseMatrix NS, IM, CE, CEs, AE, Z;
  std::vector<std::uint8_t> emerging;
  if (with_base) {
    NS = IM = CE = CEs = AE = Z = data::DenseMatrix(R, K, nan);
    emerging.assign(R * K, 0);
    std::vector<std::int64_t> per_cluster(level_names.size() * K, 0);
    double all0 = 0, all1 = 0;
    for (std::size_t r = 0; r < R; ++r) {
      all0 += A0[r];
      all1 += A[r];
    }
    out.national_growth = all0 > 0 ? all1 / all0 - 1.0 : nan;
    for (std::size_t l = 0; l < level_names.size(); ++l) {
      std::vector<std::size_t> rows;
      for (std::size_t r = 0; r < R; ++r)
        if (level_of[r] == l) rows.push_back(r);
      const std::size_t G = rows.size();
      data::DenseMatrix x0(G, K), x1(G, K);
      std::vector<double> a0(G), a1(G);
      double level0 = 0;
      for (std::size_t g = 0; g < G; ++g) {
        for (std::size_t c = 0; c < K; ++c) {
          x0(g, c) = X0(rows[g], c);
          x1(g, c) = X(rows[g], c);
        }
        a0[g] = A0[rows[g]];
        a1[g] = A[rows[g]];
        level0 += a0[g];
      }
      if (!(level0 > 0)) {
        out.warnings.push_back(fmt::format("{} has no employment in the base year: no shift-share, no emerging clusters", level_label(l)));
        continue;
      }
      const auto ss = measure::shift_share(x0, x1, a0, a1);
      for (std::size_t g = 0; g < G; ++g) {
        const std::size_t r = rows[g];
        for (std::size_t c = 0; c < K; ++c) {
          NS(r, c) = ss.national(g, c);
          IM(r, c) = ss.mix(g, c);
          CE(r, c) = ss.competitive(g, c);
          CEs(r, c) = ss.homothetic(g, c);
          AE(r, c) = ss.allocation(g, c);
          const double e0 = X0(r, c), e1 = X(r, c);
          Z(r, c) = measure::excess_growth_z(e0, e1, ss.national_growth);
          // LQ⁰ is 0 for a cluster new to a region that had employment in its denominator.
          const double l0 = lq_from[r * K + c], l1 = LQ(r, c);
          const bool rising = std::isfinite(l0) && std::isfinite(l1) && l1 > l0;
          if (rising && e1 > e0 && Z(r, c) >= p.emerging_z && e1 >= p.emerging_min_employment && !strong_from[r * K + c]) {
            emerging[r * K + c] = 1;
            ++per_cluster[l * K + c];
          }
        }
      }
    }
    ct.add_integer("emerging", std::move(per_cluster));
  }
  out.clusters = std::move(ct);

  for (const auto& lvl : one_region_levels)
    out.warnings.push_back(fmt::format("{} has a single region: every location quotient is 1 and there are no quartiles, "
                                       "so all strength flags and stars are false",
                                       lvl));
  if (!few_regions.empty())
    out.warnings.push_back(fmt::format("{} cluster{} with employment in fewer than {} regions get no strength flags or stars: {}",
                                       few_regions.size(), few_regions.size() == 1 ? "" : "s",
                                       std::max<std::size_t>(p.min_regions, 2), first_few(few_regions)));
  if (!empty_clusters.empty())
    out.warnings.push_back(fmt::format("{} cluster{} ha{} no employment: {}", empty_clusters.size(),
                                       empty_clusters.size() == 1 ? "" : "s", empty_clusters.size() == 1 ? "s" : "ve",
                                       first_few(empty_clusters)));
  if (!excluded_regions.empty())
    out.warnings.push_back(fmt::format("{} region{} without employment in the LQ denominator ha{} no location quotient: {}",
                                       excluded_regions.size(), excluded_regions.size() == 1 ? "" : "s",
                                       excluded_regions.size() == 1 ? "s" : "ve", first_few(excluded_regions)));

  // 7. The main table, region by region in input order, clusters in definition order.
  const bool with_levels = !in.region_levels.empty();
  data::Table t;
  // The contract's columns first (DESIGN.md: region,cluster,employment,lq,strong), then the rest.
  auto& t_region = t.add_text("region");
  auto& t_cluster = t.add_text("cluster");
  auto& t_emp = t.add_real("employment");
  auto& t_lq = t.add_real("lq");
  auto& t_strong = t.add_integer("strong");
  data::TextColumn* t_level = with_levels ? &t.add_text("level") : nullptr;
  auto& t_kind = t.add_text("kind");
  data::RealColumn* t_est = in.establishments ? &t.add_real("establishments") : nullptr;
  auto& t_share = t.add_real("share");
  auto& t_rank = t.add_integer("rank");
  auto& t_pct = t.add_real("percentile");
  auto& t_lq_rank = t.add_integer("lq_rank");
  auto& t_lq_pct = t.add_real("lq_percentile");
  auto& t_focus = t.add_real("focus");
  auto& t_q = t.add_integer("qualifying");
  auto& t_sig = t.add_integer("significant");
  auto& t_scmp = t.add_integer("strong_cmp");
  auto& t_top = t.add_integer("top_strong");
  auto& t_ssize = t.add_integer("star_size");
  auto& t_sspec = t.add_integer("star_specialisation");
  auto& t_sfocus = t.add_integer("star_focus");
  data::RealColumn* t_wage = in.wages ? &t.add_real("wage_per_employee") : nullptr;
  data::IntColumn* t_sprod = in.wages ? &t.add_integer("star_productivity") : nullptr;
  auto& t_stars = t.add_integer("stars");
  data::RealColumn* t_emp0 = in.employment_from ? &t.add_real("employment_from") : nullptr;
  data::RealColumn* t_cagr = in.employment_from ? &t.add_real("cagr") : nullptr;
  data::RealColumn *t_lq0 = nullptr, *t_dlq = nullptr, *t_change = nullptr, *t_ns = nullptr, *t_im = nullptr, *t_ce = nullptr,
                   *t_ces = nullptr, *t_ae = nullptr, *t_z = nullptr;
  data::IntColumn *t_strong0 = nullptr, *t_emerging = nullptr;
  if (with_base) {
    t_lq0 = &t.add_real("lq_from");
    t_dlq = &t.add_real("lq_change");
    t_strong0 = &t.add_integer("strong_from");
    t_change = &t.add_real("employment_change");
    t_ns = &t.add_real("national_effect");
    t_im = &t.add_real("mix_effect");
    t_ce = &t.add_real("competitive_effect");
    t_ces = &t.add_real("homothetic_effect");
    t_ae = &t.add_real("allocation_effect");
    t_z = &t.add_real("growth_z");
    t_emerging = &t.add_integer("emerging");
  }

  data::Table rt;  // per region
  auto& r_region = rt.add_text("region");
  data::TextColumn* r_level = with_levels ? &rt.add_text("level") : nullptr;
  auto& r_emp = rt.add_real("employment");
  auto& r_traded = rt.add_real("traded_employment");
  auto& r_local = rt.add_real("local_employment");
  auto& r_clustered = rt.add_real("clustered_employment");
  auto& r_unclustered = rt.add_real("unclustered_employment");
  auto& r_nstrong = rt.add_integer("strong_clusters");
  auto& r_top = rt.add_text("top_cluster");
  auto& r_top_lq = rt.add_real("top_lq");
  auto& r_list = rt.add_text("strong_list");
  data::IntColumn* r_nemerging = with_base ? &rt.add_integer("emerging_clusters") : nullptr;
  data::TextColumn* r_elist = with_base ? &rt.add_text("emerging_list") : nullptr;

  for (std::size_t r = 0; r < R; ++r) {
    std::int64_t nstrong = 0, nemerging = 0;
    std::string list, top, elist;
    double top_lq = nan, clustered = 0;
    for (std::size_t c = 0; c < K; ++c) {
      const double e = X(r, c);
      clustered += e;
      const std::uint8_t f = flags[r * K + c];
      const bool strong = is_strong(f);
      if (strong) {
        ++nstrong;
        list += (list.empty() ? "" : "; ") + defs.names[c];
        if (!(top_lq >= LQ(r, c))) {
          top_lq = LQ(r, c);
          top = defs.names[c];
        }
      }
      if (with_base && emerging[r * K + c]) {
        ++nemerging;
        elist += (elist.empty() ? "" : "; ") + defs.names[c];
      }
      if (!(e > 0) && !all_cells && !(with_base && X0(r, c) > 0)) continue;
      t_region.push_back(m.regions[r]);
      if (t_level) t_level->push_back(in.region_levels[r]);
      t_cluster.push_back(defs.names[c]);
      t_kind.emplace_back(to_string(ckind[c]));
      t_emp.push_back(e);
      t_lq.push_back(LQ(r, c));
      t_strong.push_back(strong);
      if (t_est) t_est->push_back(N(r, c));
      t_share.push_back(share(r, c));
      t_rank.push_back(rank[r * K + c]);
      t_pct.push_back(pct[r * K + c]);
      t_lq_rank.push_back(lq_rank[r * K + c]);
      t_lq_pct.push_back(lq_pct[r * K + c]);
      t_focus.push_back(focus(r, c));
      t_q.push_back((f & f_qualifying) != 0);
      t_sig.push_back((f & f_significant) != 0);
      t_scmp.push_back((f & f_strong_cmp) != 0);
      t_top.push_back((f & f_top) != 0);
      t_ssize.push_back((f & f_star_size) != 0);
      t_sspec.push_back((f & f_star_spec) != 0);
      t_sfocus.push_back((f & f_star_focus) != 0);
      if (t_wage) t_wage->push_back(wage(r, c));
      if (t_sprod) t_sprod->push_back((f & f_star_prod) != 0);
      t_stars.push_back(((f & f_star_size) != 0) + ((f & f_star_spec) != 0) + ((f & f_star_focus) != 0) + ((f & f_star_prod) != 0));
      if (t_emp0) {
        const double e0 = X0(r, c);
        t_emp0->push_back(e0);
        // CAGR = (E_to / E_from)^(1 / years) − 1; undefined (empty) for a cluster new to the region.
        t_cagr->push_back(e0 > 0 && in.growth_years > 0 ? std::pow(e / e0, 1.0 / in.growth_years) - 1.0 : nan);
      }
      if (with_base) {
        const double l0 = lq_from[r * K + c];
        t_lq0->push_back(l0);
        t_dlq->push_back(LQ(r, c) - l0);
        t_strong0->push_back(strong_from[r * K + c]);
        t_change->push_back(e - X0(r, c));
        t_ns->push_back(NS(r, c));
        t_im->push_back(IM(r, c));
        t_ce->push_back(CE(r, c));
        t_ces->push_back(CEs(r, c));
        t_ae->push_back(AE(r, c));
        t_z->push_back(Z(r, c));
        t_emerging->push_back(emerging[r * K + c]);
      }
    }
    out.emerging_cells += static_cast<std::size_t>(nemerging);
    if (r_nemerging) {
      r_nemerging->push_back(nemerging);
      r_elist->push_back(elist);
    }
    out.strong_cells += static_cast<std::size_t>(nstrong);
    r_region.push_back(m.regions[r]);
    if (r_level) r_level->push_back(in.region_levels[r]);
    r_emp.push_back(A[r]);
    r_traded.push_back(T[r]);
    r_local.push_back(L[r]);
    r_clustered.push_back(clustered);
    r_unclustered.push_back(U[r]);
    r_nstrong.push_back(nstrong);
    r_top.push_back(top);
    r_top_lq.push_back(top_lq);
    r_list.push_back(list);
  }
  out.cells = std::move(t);
  out.regions = std::move(rt);
  // The base year's own warnings, where they say something the mapped year's do not.
  for (auto& w : base_warnings)
    if (std::find(out.warnings.begin(), out.warnings.end(), w) == out.warnings.end()) out.warnings.push_back("base year: " + w);
  return out;
}

data::Table related_clusters(const ClusterDefinitions& defs, const IndustryLinks& links, double quantile,
                             double min_share, double* threshold_out) {
  const std::size_t K = defs.size(), M = defs.industries.size();
  AGGLO_ASSERT(links.a.size() == links.b.size() && links.a.size() == links.value.size());
  std::unordered_map<std::string_view, std::uint32_t> member;
  for (std::size_t k = 0; k < M; ++k) member.emplace(defs.industries[k], static_cast<std::uint32_t>(k));
  std::vector<std::size_t> size(K, 0);
  for (auto c : defs.cluster_of) ++size[c];

  data::Table t;
  auto& ta = t.add_text("cluster_a");
  auto& tb = t.add_text("cluster_b");
  auto& ts = t.add_real("share");
  auto& tl = t.add_integer("industries_linked");
  auto& tn = t.add_integer("industries_a");

  // The top-link threshold over links between distinct industries.
  std::vector<double> values;
  values.reserve(links.value.size());
  for (std::size_t k = 0; k < links.value.size(); ++k)
    if (links.a[k] != links.b[k] && std::isfinite(links.value[k])) values.push_back(links.value[k]);
  if (values.empty()) {
    if (threshold_out) *threshold_out = nan;
    return t;
  }
  std::sort(values.begin(), values.end());
  const double threshold = quantile_sorted(values, quantile);
  if (threshold_out) *threshold_out = threshold;

  // linked[k·K + B]: member industry k has a top link into cluster B.
  std::vector<std::uint8_t> linked(M * K, 0);
  for (std::size_t k = 0; k < links.value.size(); ++k) {
    if (links.a[k] == links.b[k] || !(links.value[k] >= threshold)) continue;
    auto ia = member.find(links.a[k]);
    auto ib = member.find(links.b[k]);
    if (ia == member.end() || ib == member.end()) continue;
    const auto ca = defs.cluster_of[ia->second], cb = defs.cluster_of[ib->second];
    if (ca == cb) continue;
    linked[ia->second * K + cb] = 1;  // undirected: both ends learn of the other cluster
    linked[ib->second * K + ca] = 1;
  }
  std::vector<std::vector<std::size_t>> count(K, std::vector<std::size_t>(K, 0));
  for (std::size_t k = 0; k < M; ++k)
    for (std::size_t b = 0; b < K; ++b) count[defs.cluster_of[k]][b] += linked[k * K + b];
  for (std::size_t a = 0; a < K; ++a) {
    std::vector<std::size_t> order;
    for (std::size_t b = 0; b < K; ++b)
      if (b != a && count[a][b] > 0) order.push_back(b);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return count[a][x] > count[a][y]; });
    for (auto b : order) {
      const double s = static_cast<double>(count[a][b]) / static_cast<double>(size[a]);
      if (s < min_share) continue;
      ta.push_back(defs.names[a]);
      tb.push_back(defs.names[b]);
      ts.push_back(s);
      tl.push_back(static_cast<std::int64_t>(count[a][b]));
      tn.push_back(static_cast<std::int64_t>(size[a]));
    }
  }
  return t;
}

}  // namespace agglo::clusters
