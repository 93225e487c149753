// Hot spots on regions: conditional permutation inference for G*_i and I_i, FDR, classes and
// the global Moran test (see include/agglo/spatial/hotspots.hpp for the method and conventions).
#include "agglo/spatial/hotspots.hpp"

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/mpi.hpp"
#include "agglo/spatial/fdr.hpp"
#include "agglo/spatial/getis.hpp"

namespace agglo::spatial {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::uint64_t kConditionalStream = core::stream_id("hotspots.conditional");
const std::uint64_t kGlobalStream = core::stream_id("hotspots.global");

// Uniform integers below n < 2³² from a Stream, two per 64-bit word: Lemire's (2019) multiply-
// shift with rejection, so exactly uniform, at half the generator calls of Stream::below.
struct Uniform32 {
  core::Stream& rng;
  std::uint64_t word = 0;
  bool half = false;
  std::uint32_t bits() {
    if (half) {
      half = false;
      return static_cast<std::uint32_t>(word >> 32);
    }
    word = rng.next();
    half = true;
    return static_cast<std::uint32_t>(word);
  }
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = static_cast<std::uint64_t>(bits()) * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t t = static_cast<std::uint32_t>(-n) % n;
      while (low < t) {
        m = static_cast<std::uint64_t>(bits()) * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
};

// Draws m regions out of the n − 1 regions other than i into out[0..m): uniformly without
// replacement (m distinct regions, m ≤ n − 1) or with replacement (m independent uniform
// draws). Without replacement, small m: rejection of repeats (expected m(1 + m/n) draws, no O(n)
// work per region); large m: a partial Fisher–Yates shuffle of `pool`, which holds the other
// regions and is rebuilt once per region. The method depends on (n, m, replacement) only, so a
// region's draws are a function of (seed, i) whichever thread makes them.
struct Sampler {
  std::size_t n = 0, i = 0, m = 0;
  bool replace = false, rejection = true;
  std::vector<std::uint32_t> pool;

  void start(std::size_t n_, std::size_t i_, std::size_t m_, bool replace_) {
    n = n_, i = i_, m = m_, replace = replace_;
    AGGLO_ASSERT(replace || m <= n - 1);
    rejection = m <= 64 && 4 * m <= n - 1;
    if (!replace && !rejection) {
      pool.resize(n - 1);
      for (std::size_t j = 0, t = 0; j < n; ++j)
        if (j != i) pool[t++] = static_cast<std::uint32_t>(j);
    }
  }
  void draw(Uniform32& rng, std::uint32_t* out) {
    const auto others = static_cast<std::uint32_t>(n - 1);
    if (replace) {
      for (std::size_t t = 0; t < m; ++t) {
        auto r = rng.below(others);
        out[t] = r >= i ? r + 1 : r;  // skip region i itself
      }
    } else if (rejection) {
      for (std::size_t t = 0; t < m;) {
        auto r = rng.below(others);
        if (r >= i) ++r;
        bool seen = false;
        for (std::size_t s = 0; s < t; ++s) seen |= out[s] == r;
        if (!seen) out[t++] = r;
      }
    } else {
      for (std::size_t t = 0; t < m; ++t) {
        const std::size_t r = t + rng.below(static_cast<std::uint32_t>(others - t));
        std::swap(pool[t], pool[r]);
        out[t] = pool[t];
      }
    }
  }
};

bool equal_weights(const SpatialWeights& w, std::size_t i) {
  for (std::size_t e = w.offset[i] + 1; e < w.offset[i + 1]; ++e)
    if (w.weight[e] != w.weight[w.offset[i]]) return false;
  return true;
}

struct Centre {
  double mean = 0, m2 = 0;
};
Centre centre(const std::vector<double>& x) {
  Centre c;
  for (double v : x) c.mean += v;
  c.mean /= static_cast<double>(x.size());
  for (double v : x) c.m2 += (v - c.mean) * (v - c.mean);
  c.m2 /= static_cast<double>(x.size());
  return c;
}

// What one draw is compared with, for region i (k ≥ 1 neighbours). The Monte-Carlo path and the
// exact enumeration both go through these functions, so they count identically.
//   * LISA: the drawn neighbour sum S = Σ_t w_{i,t} x_{d_t} against S_obs = Σ_j w_ij x_j. With
//     equal weights in the row (binary and row-standardised weights) the sums are formed
//     unscaled, Σ x, so integer data tie exactly.
//   * G*_i (binary weights with self, as getis_ord_star): conditional — x_i is held, so G*
//     grows with the unweighted drawn sum Σ_t x_{d_t} over the k neighbour slots, compared with
//     Σ_j x_j; total — all k + 1 slots are drawn, Σ_{t ≤ k} x_{d_t} compared with x_i + Σ_j x_j.
struct RegionTest {
  const std::vector<double>& x;
  const SpatialWeights& w;
  std::size_t i = 0, k = 0, o = 0;
  bool eq = true, total = false;
  double s_obs = 0, g_obs = 0;

  RegionTest(const std::vector<double>& x_, const SpatialWeights& w_, std::size_t i_, bool total_)
      : x(x_), w(w_), i(i_), k(w_.cardinality(i_)), o(w_.offset[i_]), eq(equal_weights(w_, i_)), total(total_) {
    for (std::size_t t = 0; t < k; ++t) s_obs += (eq ? 1.0 : w.weight[o + t]) * x[w.neighbour[o + t]];
    g_obs = total ? x[i] : 0.0;
    for (std::size_t t = 0; t < k; ++t) g_obs += x[w.neighbour[o + t]];
  }
  // The G* draw has k slots (conditional) or k + 1 (total).
  std::size_t gi_slots() const { return total ? k + 1 : k; }
  // G* counts come with the LISA draws when they compare the same sums.
  bool gi_from_lisa() const { return !total && eq; }
  double lisa_sum(const std::uint32_t* d) const {
    double s = 0;
    if (eq)
      for (std::size_t t = 0; t < k; ++t) s += x[d[t]];
    else
      for (std::size_t t = 0; t < k; ++t) s += w.weight[o + t] * x[d[t]];
    return s;
  }
  double gi_sum(const std::uint32_t* d) const {
    double s = 0;
    for (std::size_t t = 0, m = gi_slots(); t < m; ++t) s += x[d[t]];
    return s;
  }
};

const std::uint64_t kGiTotalStream = core::stream_id("hotspots.gi_total");

void one_region(const std::vector<double>& x, const SpatialWeights& w, const HotspotParams& p, const Centre& c,
                std::size_t i, Sampler& smp, std::vector<std::uint32_t>& draw, PermutationCounts& out) {
  const std::size_t n = x.size(), k = w.cardinality(i), R = p.permutations;
  if (k == 0) {
    out.mean_I[i] = out.var_I[i] = kNaN;
    return;
  }
  const bool replace = p.sampling == PermutationSampling::with_replacement;
  const RegionTest rt(x, w, i, p.gi_permutation == GiPermutation::total);
  const std::size_t o = w.offset[i];
  const double scale = rt.eq ? w.weight[o] : 1.0;
  core::Stream stream(p.seed, kConditionalStream, i);
  Uniform32 rng{stream};
  smp.start(n, i, k, replace);
  draw.resize(k + 1);
  std::uint32_t ge = 0, le = 0, gge = 0;
  double mean = 0, m2acc = 0;  // Welford on the simulated sums
  const bool gi_here = !rt.total && !rt.eq;  // conditional G* with unequal weights: its own sum
  for (std::size_t r = 0; r < R; ++r) {
    smp.draw(rng, draw.data());
    const double s = rt.lisa_sum(draw.data());
    ge += s >= rt.s_obs;
    le += s <= rt.s_obs;
    if (gi_here) gge += rt.gi_sum(draw.data()) >= rt.g_obs;
    const double d = s - mean;
    mean += d / static_cast<double>(r + 1);
    m2acc += d * (s - mean);
  }
  out.ge[i] = ge, out.le[i] = le;
  if (rt.gi_from_lisa()) {
    out.gi_ge[i] = ge;
  } else if (gi_here) {
    out.gi_ge[i] = gge;
  } else {
    // total: the k + 1 slots of G*_i from their own stream, so the LISA draws above are the
    // same whichever G* convention is chosen.
    core::Stream gstream(p.seed, kGiTotalStream, i);
    Uniform32 grng{gstream};
    smp.start(n, i, k + 1, replace);
    for (std::size_t r = 0; r < R; ++r) {
      smp.draw(grng, draw.data());
      gge += rt.gi_sum(draw.data()) >= rt.g_obs;
    }
    out.gi_ge[i] = gge;
  }
  // I_sim = (z_i/m2)(scale·S − W_i x̄): mean and variance follow from those of S.
  double Wi = 0;
  for (std::size_t t = 0; t < k; ++t) Wi += w.weight[o + t];
  const double a = (x[i] - c.mean) / c.m2;
  out.mean_I[i] = a * (scale * mean - Wi * c.mean);
  out.var_I[i] = R > 1 ? a * a * scale * scale * m2acc / static_cast<double>(R - 1) : kNaN;
}

// The number of equally likely m-tuples: (n − 1)^m with replacement, (n − 1)!/(n − 1 − m)!
// without; saturates at UINT64_MAX.
std::uint64_t tuple_count(std::size_t others, std::size_t m, bool replace) {
  std::uint64_t c = 1;
  for (std::size_t t = 0; t < m; ++t) {
    const std::uint64_t f = replace ? others : others - t;
    if (f != 0 && c > std::numeric_limits<std::uint64_t>::max() / f) return std::numeric_limits<std::uint64_t>::max();
    c *= f;
  }
  return c;
}

// Calls f(tuple) for every ordered m-tuple of regions other than i (distinct unless replace).
template <class F>
void for_each_tuple(std::size_t n, std::size_t i, std::size_t m, bool replace, F&& f) {
  std::vector<std::uint32_t> others, t(m);
  for (std::size_t j = 0; j < n; ++j)
    if (j != i) others.push_back(static_cast<std::uint32_t>(j));
  std::vector<char> used(others.size(), 0);
  std::vector<std::size_t> pos(m, 0);
  // Iterative depth-first walk over the slots: pos[d] is the candidate index tried at depth d.
  std::size_t d = 0;
  if (m == 0) {
    f(t.data());
    return;
  }
  pos[0] = 0;
  while (true) {
    if (pos[d] == others.size()) {  // depth d exhausted: back up
      if (d == 0) return;
      --d;
      if (!replace) used[pos[d]] = 0;
      ++pos[d];
      continue;
    }
    if (!replace && used[pos[d]]) {
      ++pos[d];
      continue;
    }
    t[d] = others[pos[d]];
    if (d + 1 == m) {
      f(t.data());
      ++pos[d];
      continue;
    }
    if (!replace) used[pos[d]] = 1;
    ++d;
    pos[d] = 0;
  }
}

PermutationCounts empty_counts(std::size_t n) {
  PermutationCounts c;
  c.ge.assign(n, 0), c.le.assign(n, 0), c.gi_ge.assign(n, 0), c.mean_I.assign(n, kNaN), c.var_I.assign(n, kNaN);
  return c;
}

void put(std::vector<std::uint8_t>& b, const void* p, std::size_t n) {
  const auto* c = static_cast<const std::uint8_t*>(p);
  b.insert(b.end(), c, c + n);
}

}  // namespace

double folded_pseudo_p(std::size_t M, std::size_t R) {
  return static_cast<double>(std::min(M, R - M) + 1) / static_cast<double>(R + 1);
}

PermutationCounts conditional_permutations(const std::vector<double>& x, const SpatialWeights& w,
                                           const HotspotParams& p, const std::vector<std::uint32_t>& which) {
  const std::size_t n = x.size();
  auto out = empty_counts(n);
  const Centre c = centre(x);
  const std::size_t m = which.empty() ? n : which.size();
  std::atomic<std::size_t> done{0};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, 8), [&](const tbb::blocked_range<std::size_t>& r) {
    Sampler smp;
    std::vector<std::uint32_t> draw;
    for (std::size_t t = r.begin(); t < r.end(); ++t) {
      parallel::check_cancelled();  // Ctrl-C: stop between regions (no partial output is written)
      one_region(x, w, p, c, which.empty() ? t : which[t], smp, draw, out);
      const std::size_t d = done.fetch_add(1) + 1;
      if (p.progress) p.progress(d);
    }
  });
  return out;
}

PermutationCounts conditional_permutations_reference(const std::vector<double>& x, const SpatialWeights& w,
                                                     const HotspotParams& p) {
  // Straight from the definitions, with the same draws as the fast path: for each draw build
  // the permuted neighbourhood, recompute I_i = (z_i/m2) Σ_j w_ij z_π(j) and G*_i from
  // getis.hpp's formula (x_i held in its own slot, or — total — that slot drawn too, from the
  // G* stream), and compare the statistics themselves. ge/le are returned in the fast path's
  // terms (drawn neighbour sum ≥ / ≤ observed): for z_i > 0 that is I_sim ≥ / ≤ I_obs, for
  // z_i < 0 the reverse (I_i decreases with the sum).
  const std::size_t n = x.size();
  auto out = empty_counts(n);
  const Centre c = centre(x);
  const double nd = static_cast<double>(n), s = std::sqrt(c.m2);
  const bool replace = p.sampling == PermutationSampling::with_replacement;
  const bool total = p.gi_permutation == GiPermutation::total;
  Sampler smp;
  std::vector<std::uint32_t> draw;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = w.cardinality(i), o = w.offset[i];
    if (k == 0) continue;
    const double W = static_cast<double>(k + 1);
    auto gstar = [&](double lag) { return (lag - c.mean * W) / (s * std::sqrt((nd * W - W * W) / (nd - 1))); };
    auto moran = [&](auto nb) {
      double lag = 0;
      for (std::size_t t = 0; t < k; ++t) lag += w.weight[o + t] * (x[nb(t)] - c.mean);
      return (x[i] - c.mean) / c.m2 * lag;
    };
    double lag_obs = x[i];
    for (std::size_t t = 0; t < k; ++t) lag_obs += x[w.neighbour[o + t]];
    const double g_obs = gstar(lag_obs);
    const double i_obs = moran([&](std::size_t t) { return w.neighbour[o + t]; });
    const double tol_g = 1e-12 * (1 + std::fabs(g_obs)), tol_i = 1e-12 * (1 + std::fabs(i_obs));
    core::Stream stream(p.seed, kConditionalStream, i);
    Uniform32 rng{stream};
    smp.start(n, i, k, replace);
    draw.resize(k + 1);
    std::uint32_t up = 0, down = 0, gge = 0;
    std::vector<double> sims;
    for (std::size_t r = 0; r < p.permutations; ++r) {
      smp.draw(rng, draw.data());
      const double v = moran([&](std::size_t t) { return draw[t]; });
      up += v >= i_obs - tol_i;
      down += v <= i_obs + tol_i;
      sims.push_back(v);
      if (!total) {
        double lag = x[i];
        for (std::size_t t = 0; t < k; ++t) lag += x[draw[t]];
        gge += gstar(lag) >= g_obs - tol_g;
      }
    }
    if (total) {
      core::Stream gstream(p.seed, kGiTotalStream, i);
      Uniform32 grng{gstream};
      smp.start(n, i, k + 1, replace);
      for (std::size_t r = 0; r < p.permutations; ++r) {
        smp.draw(grng, draw.data());
        double lag = 0;
        for (std::size_t t = 0; t <= k; ++t) lag += x[draw[t]];
        gge += gstar(lag) >= g_obs - tol_g;
      }
    }
    const bool positive = x[i] - c.mean >= 0;
    out.ge[i] = positive ? up : down, out.le[i] = positive ? down : up;
    out.gi_ge[i] = gge;
    double mean = 0;
    for (double v : sims) mean += v;
    mean /= static_cast<double>(sims.size());
    double var = 0;
    for (double v : sims) var += (v - mean) * (v - mean);
    out.mean_I[i] = mean;
    out.var_I[i] = sims.size() > 1 ? var / static_cast<double>(sims.size() - 1) : kNaN;
  }
  return out;
}

ExactCounts exact_permutation_counts(const std::vector<double>& x, const SpatialWeights& w, const HotspotParams& p,
                                     std::size_t i, std::uint64_t max_draws) {
  const std::size_t n = x.size();
  AGGLO_ASSERT(i < n && w.n == n);
  ExactCounts e;
  const std::size_t k = w.cardinality(i);
  if (k == 0) return e;
  const bool replace = p.sampling == PermutationSampling::with_replacement;
  const RegionTest rt(x, w, i, p.gi_permutation == GiPermutation::total);
  if (!replace && rt.gi_slots() > n - 1)
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("region {} has {} neighbours: {} slots cannot be drawn without replacement from the other {} regions", i, k,
                            rt.gi_slots(), n - 1));
  e.draws = tuple_count(n - 1, k, replace);
  e.gi_draws = tuple_count(n - 1, rt.gi_slots(), replace);
  if (e.draws > max_draws || e.gi_draws > max_draws)
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("the exact randomisation distribution of region {} has more than {} draws", i, max_draws),
                "exact enumeration is for small examples; use Monte-Carlo permutations");
  for_each_tuple(n, i, k, replace, [&](const std::uint32_t* d) {
    const double sum = rt.lisa_sum(d);
    e.lisa_ge += sum >= rt.s_obs;
    e.lisa_le += sum <= rt.s_obs;
  });
  for_each_tuple(n, i, rt.gi_slots(), replace, [&](const std::uint32_t* d) { e.gi_ge += rt.gi_sum(d) >= rt.g_obs; });
  return e;
}

HotspotResult hotspots(const std::vector<double>& x, const SpatialWeights& w, const HotspotParams& p) {
  const std::size_t n = x.size();
  if (n < 4)
    throw_input(ErrorCode::empty_input, fmt::format("{} regions: at least 4 are needed", n), {},
                "the moments of Moran's I under randomisation divide by (n − 1)(n − 2)(n − 3)");
  AGGLO_ASSERT(w.n == n);
  if (p.permutations < 1)
    throw_usage(ErrorCode::invalid_option_value, "--permutations must be ≥ 1",
                "the pseudo p-values come from the permutations; 999 is the usual choice");
  const Centre c = centre(x);
  if (!(c.m2 > 0))
    throw_input(ErrorCode::invalid_value, "the value is the same in every region (zero variance)",
                {}, "Moran's I and G* standardise by the variance; a constant has no spatial pattern to test");
  if (w.links() == 0)
    throw_input(ErrorCode::invalid_value, "no region has a neighbour under these weights", {},
                "use --weights knn, a larger --distance or a larger --snap");

  if (p.gi_permutation == GiPermutation::total && p.sampling == PermutationSampling::without_replacement)
    for (std::size_t i = 0; i < n; ++i)
      if (w.cardinality(i) + 1 > n - 1)
        throw_usage(ErrorCode::invalid_option_value,
                    fmt::format("--gi-permutation total draws k_i + 1 = {} values for region {}, more than the {} other regions "
                                "hold without replacement", w.cardinality(i) + 1, i, n - 1),
                    "use --gi-permutation conditional, --sampling with, or fewer neighbours");

  HotspotResult res;
  res.value = x;
  res.lag = spatial_lag(w, x);
  res.neighbours.resize(n);
  for (std::size_t i = 0; i < n; ++i) res.neighbours[i] = static_cast<std::uint32_t>(w.cardinality(i));
  res.lisa = local_moran(x, w);
  const auto g = getis_ord_star(x, w);
  res.gi_star = g.z;
  res.gi_p_normal = g.p_normal;

  // ---- conditional permutations: region i on MPI rank i mod size, gathered on rank 0.
  const int ranks = parallel::mpi::size(), me = parallel::mpi::rank();
  std::vector<std::uint32_t> mine;
  for (std::size_t i = static_cast<std::size_t>(me); i < n; i += static_cast<std::size_t>(ranks))
    mine.push_back(static_cast<std::uint32_t>(i));
  PermutationCounts pc;
  try {
    pc = conditional_permutations(x, w, p, mine);
    if (ranks > 1) {
      std::vector<std::uint8_t> bytes;
      for (std::uint32_t i : mine) {
        put(bytes, &i, sizeof i);
        put(bytes, &pc.ge[i], sizeof pc.ge[i]);
        put(bytes, &pc.le[i], sizeof pc.le[i]);
        put(bytes, &pc.gi_ge[i], sizeof pc.gi_ge[i]);
        put(bytes, &pc.mean_I[i], sizeof(double));
        put(bytes, &pc.var_I[i], sizeof(double));
      }
      const auto gathered = parallel::mpi::gather_to_root(bytes);
      if (me != 0) {
        res.root = false;
        return res;
      }
      constexpr std::size_t rec = 4 + 4 + 4 + 4 + 8 + 8;
      for (std::size_t from = 1; from < gathered.size(); ++from) {
        const auto& b = gathered[from];
        AGGLO_ASSERT(b.size() % rec == 0);
        for (std::size_t off = 0; off < b.size(); off += rec) {
          std::uint32_t i;
          std::memcpy(&i, &b[off], 4);
          AGGLO_ASSERT(i < n);
          std::memcpy(&pc.ge[i], &b[off + 4], 4);
          std::memcpy(&pc.le[i], &b[off + 8], 4);
          std::memcpy(&pc.gi_ge[i], &b[off + 12], 4);
          std::memcpy(&pc.mean_I[i], &b[off + 16], 8);
          std::memcpy(&pc.var_I[i], &b[off + 24], 8);
        }
      }
    }
  } catch (...) {
    parallel::mpi::abort_job_on_current_exception();  // no rank is left waiting in the gather
    throw;
  }

  // ---- pseudo p-values. G*_i increases with its drawn sum, so M_G = gi_ge (see RegionTest);
  // I_i = (z_i/m2)(S_i − W_i x̄) increases with S_i when z_i > 0 and decreases when z_i < 0,
  // so M_I = #(S_sim ≥ S_obs) or #(S_sim ≤ S_obs).
  const std::size_t R = p.permutations;
  res.lisa_p_sim.assign(n, kNaN), res.lisa_z_sim.assign(n, kNaN), res.gi_p_sim.assign(n, kNaN);
  for (std::size_t i = 0; i < n; ++i) {
    if (res.neighbours[i] == 0) continue;
    const double zi = x[i] - c.mean;
    res.gi_p_sim[i] = folded_pseudo_p(pc.gi_ge[i], R);
    res.lisa_p_sim[i] = zi == 0 ? 1.0 : folded_pseudo_p(zi > 0 ? pc.ge[i] : pc.le[i], R);
    if (pc.var_I[i] > 0) res.lisa_z_sim[i] = (res.lisa.I[i] - pc.mean_I[i]) / std::sqrt(pc.var_I[i]);
  }
  const auto& pchosen = p.statistic == HotspotStatistic::lisa ? res.lisa_p_sim : res.gi_p_sim;
  res.p_fdr = benjamini_hochberg(pchosen);

  // ---- quadrants and classes
  const auto zlag = spatial_lag(w, [&] {
    std::vector<double> z(n);
    for (std::size_t i = 0; i < n; ++i) z[i] = x[i] - c.mean;
    return z;
  }());
  res.quadrant.resize(n), res.klass.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const bool hi = x[i] - c.mean > 0, lhi = zlag[i] > 0;
    res.quadrant[i] = std::string(hi ? "H" : "L") + (lhi ? "H" : "L");
    if (res.neighbours[i] == 0) {
      res.klass[i] = "no_neighbours";
      continue;
    }
    const bool sig = p.fdr > 0 ? res.p_fdr[i] <= p.fdr : pchosen[i] <= p.alpha;
    if (!sig) {
      res.klass[i] = "not_significant";
      continue;
    }
    ++res.significant;
    if (p.statistic == HotspotStatistic::lisa)
      res.klass[i] = res.quadrant[i];
    else
      res.klass[i] = res.gi_star[i] > 0 ? "hot" : "cold";
  }

  // ---- global Moran's I with a permutation test (every permutation its own stream).
  res.global = global_moran(x, w);
  {
    const double S0 = weights_constants(w).S0;
    const double nu = static_cast<double>(res.global.n_used);
    std::vector<double> z(n);
    for (std::size_t i = 0; i < n; ++i) z[i] = x[i] - c.mean;
    std::vector<double> Isim(R);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, R, 16), [&](const tbb::blocked_range<std::size_t>& r) {
      std::vector<double> zp(n);
      for (std::size_t s = r.begin(); s < r.end(); ++s) {
        parallel::check_cancelled();
        core::Stream stream(p.seed, kGlobalStream, s);
        Uniform32 rng{stream};
        zp = z;
        for (std::size_t t = n - 1; t > 0; --t)  // Fisher–Yates
          std::swap(zp[t], zp[rng.below(static_cast<std::uint32_t>(t + 1))]);
        Isim[s] = moran_statistic(zp, w, nu, S0);
      }
    });
    std::size_t M = 0;
    double mean = 0, var = 0;
    for (double v : Isim) M += v >= res.global.I, mean += v;
    mean /= static_cast<double>(R);
    for (double v : Isim) var += (v - mean) * (v - mean);
    res.global_p_sim = folded_pseudo_p(M, R);
    res.global_mean_sim = mean;
    res.global_sd_sim = R > 1 ? std::sqrt(var / static_cast<double>(R - 1)) : kNaN;
  }
  return res;
}

std::string to_string(HotspotStatistic s) { return s == HotspotStatistic::lisa ? "lisa" : "gi"; }
std::string to_string(GiPermutation g) { return g == GiPermutation::conditional ? "conditional" : "total"; }
std::string to_string(PermutationSampling s) { return s == PermutationSampling::without_replacement ? "without" : "with"; }

}  // namespace agglo::spatial
