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

// Draws k distinct regions out of the n − 1 regions other than i, uniformly without replacement,
// into out[0..k). Small k: rejection of repeats (expected k(1 + k/n) draws, no O(n) work per
// region). Large k: a partial Fisher–Yates shuffle of `pool`, which holds the other regions and
// is rebuilt by the caller once per region. The method depends on (n, k) only, so a region's
// draws are a function of (seed, i) whichever thread makes them.
struct Sampler {
  std::size_t n = 0, i = 0, k = 0;
  bool rejection = true;
  std::vector<std::uint32_t> pool;

  void start(std::size_t n_, std::size_t i_, std::size_t k_) {
    n = n_, i = i_, k = k_;
    rejection = k <= 64 && 4 * k <= n - 1;
    if (!rejection) {
      pool.resize(n - 1);
      for (std::size_t j = 0, t = 0; j < n; ++j)
        if (j != i) pool[t++] = static_cast<std::uint32_t>(j);
    }
  }
  void draw(Uniform32& rng, std::uint32_t* out) {
    const auto m = static_cast<std::uint32_t>(n - 1);
    if (rejection) {
      for (std::size_t t = 0; t < k;) {
        auto r = rng.below(m);
        if (r >= i) ++r;  // skip region i itself
        bool seen = false;
        for (std::size_t s = 0; s < t; ++s) seen |= out[s] == r;
        if (!seen) out[t++] = r;
      }
    } else {
      for (std::size_t t = 0; t < k; ++t) {
        const std::size_t r = t + rng.below(static_cast<std::uint32_t>(m - t));
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

void one_region(const std::vector<double>& x, const SpatialWeights& w, const HotspotParams& p, const Centre& c,
                std::size_t i, Sampler& smp, std::vector<std::uint32_t>& draw, PermutationCounts& out) {
  const std::size_t n = x.size(), k = w.cardinality(i), R = p.permutations;
  if (k == 0) {
    out.mean_I[i] = out.var_I[i] = kNaN;
    return;
  }
  const std::size_t o = w.offset[i];
  // With equal weights in the row (binary and row-standardised weights) compare unscaled sums
  // Σ x_j: exact for integer data, so ties between observed and drawn sums are seen as ties.
  const bool eq = equal_weights(w, i);
  const double scale = eq ? w.weight[o] : 1.0;
  double s_obs = 0;
  for (std::size_t t = 0; t < k; ++t) s_obs += (eq ? 1.0 : w.weight[o + t]) * x[w.neighbour[o + t]];
  core::Stream stream(p.seed, kConditionalStream, i);
  Uniform32 rng{stream};
  smp.start(n, i, k);
  draw.resize(k);
  std::uint32_t ge = 0, le = 0;
  double mean = 0, m2acc = 0;  // Welford on the simulated sums
  for (std::size_t r = 0; r < R; ++r) {
    smp.draw(rng, draw.data());
    double s = 0;
    if (eq)
      for (std::size_t t = 0; t < k; ++t) s += x[draw[t]];
    else
      for (std::size_t t = 0; t < k; ++t) s += w.weight[o + t] * x[draw[t]];
    ge += s >= s_obs;
    le += s <= s_obs;
    const double d = s - mean;
    mean += d / static_cast<double>(r + 1);
    m2acc += d * (s - mean);
  }
  out.ge[i] = ge, out.le[i] = le;
  // I_sim = (z_i/m2)(scale·S − W_i x̄): mean and variance follow from those of S.
  double Wi = 0;
  for (std::size_t t = 0; t < k; ++t) Wi += w.weight[o + t];
  const double a = (x[i] - c.mean) / c.m2;
  out.mean_I[i] = a * (scale * mean - Wi * c.mean);
  out.var_I[i] = R > 1 ? a * a * scale * scale * m2acc / static_cast<double>(R - 1) : kNaN;
}

PermutationCounts empty_counts(std::size_t n) {
  PermutationCounts c;
  c.ge.assign(n, 0), c.le.assign(n, 0), c.mean_I.assign(n, kNaN), c.var_I.assign(n, kNaN);
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
  // Straight from the definitions: for each draw build the permuted neighbourhood, recompute
  // I_i = (z_i/m2) Σ_j w_ij z_π(j) and G*_i from getis.hpp's formula, and count I_sim ≥ I_obs
  // directly (ge/le are then M and R − M + ties for I; for z_i < 0 the roles swap, which the
  // caller of the fast path handles through the monotonicity argument).
  const std::size_t n = x.size();
  auto out = empty_counts(n);
  const Centre c = centre(x);
  const double nd = static_cast<double>(n), s = std::sqrt(c.m2);
  Sampler smp;
  std::vector<std::uint32_t> draw;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = w.cardinality(i), o = w.offset[i];
    if (k == 0) continue;
    auto gstar = [&](auto nb) {  // G*_i with the neighbours nb(t), t < k
      double lag = x[i];
      for (std::size_t t = 0; t < k; ++t) lag += x[nb(t)];
      const double W = static_cast<double>(k + 1);
      return (lag - c.mean * W) / (s * std::sqrt((nd * W - W * W) / (nd - 1)));
    };
    const double g_obs = gstar([&](std::size_t t) { return w.neighbour[o + t]; });
    core::Stream stream(p.seed, kConditionalStream, i);
    Uniform32 rng{stream};
    smp.start(n, i, k);
    draw.resize(k);
    std::uint32_t ge = 0, le = 0;
    std::vector<double> sims;
    for (std::size_t r = 0; r < p.permutations; ++r) {
      smp.draw(rng, draw.data());
      const double g = gstar([&](std::size_t t) { return draw[t]; });
      ge += g >= g_obs - 1e-12 * std::fabs(g_obs);
      le += g <= g_obs + 1e-12 * std::fabs(g_obs);
      double lag = 0;
      for (std::size_t t = 0; t < k; ++t) lag += w.weight[o + t] * (x[draw[t]] - c.mean);
      sims.push_back((x[i] - c.mean) / c.m2 * lag);
    }
    out.ge[i] = ge, out.le[i] = le;
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
        put(bytes, &pc.mean_I[i], sizeof(double));
        put(bytes, &pc.var_I[i], sizeof(double));
      }
      const auto gathered = parallel::mpi::gather_to_root(bytes);
      if (me != 0) {
        res.root = false;
        return res;
      }
      constexpr std::size_t rec = 4 + 4 + 4 + 8 + 8;
      for (std::size_t from = 1; from < gathered.size(); ++from) {
        const auto& b = gathered[from];
        AGGLO_ASSERT(b.size() % rec == 0);
        for (std::size_t off = 0; off < b.size(); off += rec) {
          std::uint32_t i;
          std::memcpy(&i, &b[off], 4);
          AGGLO_ASSERT(i < n);
          std::memcpy(&pc.ge[i], &b[off + 4], 4);
          std::memcpy(&pc.le[i], &b[off + 8], 4);
          std::memcpy(&pc.mean_I[i], &b[off + 12], 8);
          std::memcpy(&pc.var_I[i], &b[off + 20], 8);
        }
      }
    }
  } catch (...) {
    parallel::mpi::abort_job_on_current_exception();  // no rank is left waiting in the gather
    throw;
  }

  // ---- pseudo p-values. G*_i increases with the neighbour sum S_i, so M_G = #(S_sim ≥ S_obs);
  // I_i = (z_i/m2)(S_i − W_i x̄) increases with S_i when z_i > 0 and decreases when z_i < 0,
  // so M_I = #(S_sim ≥ S_obs) or #(S_sim ≤ S_obs).
  const std::size_t R = p.permutations;
  res.lisa_p_sim.assign(n, kNaN), res.lisa_z_sim.assign(n, kNaN), res.gi_p_sim.assign(n, kNaN);
  for (std::size_t i = 0; i < n; ++i) {
    if (res.neighbours[i] == 0) continue;
    const double zi = x[i] - c.mean;
    res.gi_p_sim[i] = folded_pseudo_p(pc.ge[i], R);
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

}  // namespace agglo::spatial
