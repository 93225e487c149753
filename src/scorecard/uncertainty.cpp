// Monte-Carlo uncertainty and Sobol sensitivity of composite-index ranks
// (include/agglo/scorecard/uncertainty.hpp).
#include "agglo/scorecard/uncertainty.hpp"

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <numeric>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/stats/descriptive.hpp"
#include "agglo/stats/sensitivity.hpp"

namespace agglo::scorecard {

void fast_descending_ranks(const double* x, std::size_t n, std::uint32_t* rank, std::vector<std::uint64_t>& keys,
                           std::vector<std::uint32_t>& idx, double resolution) {
  // Keys that sort ascending in the order of descending scores.
  //  * resolution > 0: the score in units of the resolution, an integer q = round(x/res);
  //    key = q_max − q, so the keys span the data's range only (about 30 bits for a 0–100
  //    scale at 10⁻⁷) and most radix passes are skipped.
  //  * exact: the IEEE-754 bits mapped to an order-preserving unsigned integer, inverted.
  keys.resize(2 * n);
  idx.resize(2 * n);
  std::size_t m = 0;
  resolution = effective_resolution(x, n, resolution);
  if (resolution > 0) {
    const double inv = 1 / resolution;
    std::int64_t qmax = std::numeric_limits<std::int64_t>::min();
    for (std::size_t i = 0; i < n; ++i)
      if (std::isfinite(x[i])) qmax = std::max<std::int64_t>(qmax, quantise(x[i], inv));
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(x[i])) {
        rank[i] = 0;
        continue;
      }
      keys[m] = static_cast<std::uint64_t>(qmax - quantise(x[i], inv));
      idx[m] = static_cast<std::uint32_t>(i);
      ++m;
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) {
      if (!std::isfinite(x[i])) {
        rank[i] = 0;
        continue;
      }
      std::uint64_t b;
      double v = x[i];
      if (v == 0) v = 0.0;  // −0 and +0 are equal
      std::memcpy(&b, &v, 8);
      b ^= (b >> 63) ? ~std::uint64_t(0) : (std::uint64_t(1) << 63);
      keys[m] = ~b;
      idx[m] = static_cast<std::uint32_t>(i);
      ++m;
    }
  }
  std::uint64_t any = 0;
  for (std::size_t j = 0; j < m; ++j) any |= keys[j];
  constexpr int bits = 11;
  constexpr std::uint64_t mask = (1u << bits) - 1;
  std::array<std::uint32_t, (1u << bits) + 1> count;
  // Packed: with n ≤ 2¹⁶ and keys below 2⁴⁸ the index rides in the low 16 bits of the key,
  // so each pass moves one array instead of two.
  if (n <= (1u << 16) && (any >> 48) == 0) {
    for (std::size_t j = 0; j < m; ++j) keys[j] = (keys[j] << 16) | idx[j];
    std::uint64_t* k0 = keys.data();
    std::uint64_t* k1 = keys.data() + n;
    // 8-bit digits of the key part (bits 16…), all histograms in one counting pass.
    int digits = 0;
    while (digits < 6 && (any >> (8 * digits)) != 0) ++digits;
    std::array<std::array<std::uint32_t, 257>, 6> hist{};
    for (std::size_t j = 0; j < m; ++j) {
      const std::uint64_t k = k0[j] >> 16;
      for (int dgt = 0; dgt < digits; ++dgt) ++hist[static_cast<std::size_t>(dgt)][((k >> (8 * dgt)) & 0xFF) + 1];
    }
    for (int dgt = 0; dgt < digits; ++dgt) {
      auto& h = hist[static_cast<std::size_t>(dgt)];
      bool trivial = false;
      for (std::size_t b = 1; b <= 256 && !trivial; ++b) trivial = h[b] == m;
      if (trivial) continue;
      for (std::size_t b = 0; b < 256; ++b) h[b + 1] += h[b];
      const int shift = 16 + 8 * dgt;
      for (std::size_t j = 0; j < m; ++j) k1[h[(k0[j] >> shift) & 0xFF]++] = k0[j];
      std::swap(k0, k1);
    }
    for (std::size_t j = 0; j < m; ++j) {
      const auto i = static_cast<std::uint32_t>(k0[j] & 0xFFFF);
      rank[i] = (j > 0 && (k0[j] >> 16) == (k0[j - 1] >> 16)) ? rank[k0[j - 1] & 0xFFFF] : static_cast<std::uint32_t>(j + 1);
    }
    return;
  }
  std::uint64_t* k0 = keys.data();
  std::uint64_t* k1 = keys.data() + n;
  std::uint32_t* i0 = idx.data();
  std::uint32_t* i1 = idx.data() + n;
  // LSD radix sort with 11-bit digits (6 passes at most); passes above the highest set bit
  // of all keys, and passes whose digit is the same for every key, are skipped.
  for (int shift = 0; shift < 64 && (any >> shift) != 0; shift += bits) {
    count.fill(0);
    for (std::size_t j = 0; j < m; ++j) ++count[((k0[j] >> shift) & mask) + 1];
    bool trivial = false;
    for (std::size_t d = 1; d <= (1u << bits) && !trivial; ++d) trivial = count[d] == m;
    if (trivial) continue;
    for (std::size_t d = 0; d < (1u << bits); ++d) count[d + 1] += count[d];
    for (std::size_t j = 0; j < m; ++j) {
      const auto pos = count[(k0[j] >> shift) & mask]++;
      k1[pos] = k0[j];
      i1[pos] = i0[j];
    }
    std::swap(k0, k1);
    std::swap(i0, i1);
  }
  for (std::size_t j = 0; j < m; ++j)
    rank[i0[j]] = (j > 0 && k0[j] == k0[j - 1]) ? rank[i0[j - 1]] : static_cast<std::uint32_t>(j + 1);
}

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t weight_sets = 1000;

struct Factor {
  std::string name;
  std::size_t levels = 1;
  std::string alternatives;
};

// One draw's pipeline choices (level of each factor; absent factors stay 0).
struct Choice {
  std::size_t impute = 0, normalise = 0, weights = 0, aggregate = 0, drop = 0;
};

template <class T>
void add_unique(std::vector<T>& v, T x) {
  if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
}

}  // namespace

UncertaintyResult analyse_uncertainty(const IndicatorTree& tree, const IndicatorData& data, const PipelineOptions& base,
                                      const UncertaintyOptions& uo, const std::vector<std::size_t>& units_in) {
  std::vector<std::size_t> units = units_in;
  if (units.empty()) {
    units.resize(data.units.size());
    std::iota(units.begin(), units.end(), std::size_t(0));
  }
  const std::size_t n = units.size();
  const std::size_t nn = tree.nodes.size();
  const std::size_t L = tree.leaves.size();
  UncertaintyResult res;
  const auto nominal = compute_index(tree, data, base, units);
  res.base_rank = nominal.rank;

  // Alternatives of each factor.
  bool any_missing = false;
  for (std::size_t l = 0; l < L; ++l)
    for (auto u : units) any_missing = any_missing || !std::isfinite(data.values[l][u]);
  std::vector<Imputation> imps{base.impute};
  if (uo.vary_imputation && any_missing) {
    add_unique(imps, Imputation::none);
    add_unique(imps, Imputation::mean);
  }
  std::vector<Normalisation> norms{base.normalise};
  if (uo.vary_normalisation) {
    add_unique(norms, Normalisation::minmax);
    add_unique(norms, Normalisation::percentile);
  }
  bool negative_possible = false;
  for (auto m : norms) negative_possible = negative_possible || m == Normalisation::zscore || m == Normalisation::none || base.low < 0;
  std::vector<Aggregation> aggs{base.aggregate};
  if (uo.vary_aggregation) {
    add_unique(aggs, Aggregation::arithmetic);
    if (!negative_possible) add_unique(aggs, Aggregation::geometric);
    else res.warnings.push_back("uncertainty: geometric aggregation left out of the alternatives (a normalisation can give scores < 0)");
  }
  std::vector<Factor> factors;
  auto join = [](const auto& v, auto name) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : "|") + name(x);
    return s;
  };
  const std::vector<std::string> imp_names{"none", "mean", "group-mean", "regression"};
  if (imps.size() > 1) factors.push_back({"imputation", imps.size(), join(imps, [&](Imputation i) { return imp_names[static_cast<std::size_t>(i)]; })});
  if (norms.size() > 1) factors.push_back({"normalisation", norms.size(), join(norms, [](Normalisation m) { return to_string(m); })});
  if (uo.vary_weights && uo.weight_perturbation > 0)
    factors.push_back({"weights", weight_sets, fmt::format("×U({:g}, {:g})", 1 - uo.weight_perturbation, 1 + uo.weight_perturbation)});
  if (aggs.size() > 1) factors.push_back({"aggregation", aggs.size(), join(aggs, [](Aggregation a) { return to_string(a); })});
  if (uo.vary_drop && L >= 2) factors.push_back({"drop_indicator", L + 1, fmt::format("none|one of {}", L)});
  const std::size_t k = factors.size();
  for (const auto& f : factors) {
    res.factors.push_back(f.name);
    res.levels.push_back(f.alternatives);
  }

  // Weight sets: per node multipliers U(1 − δ, 1 + δ).
  std::vector<std::vector<double>> wsets;
  if (uo.vary_weights && uo.weight_perturbation > 0) {
    wsets.resize(weight_sets, std::vector<double>(nn));
    for (std::size_t s = 0; s < weight_sets; ++s) {
      core::Stream st(uo.seed, core::stream_id("index-weight-sets"), s);
      for (auto& w : wsets[s]) w = st.uniform(1 - uo.weight_perturbation, 1 + uo.weight_perturbation);
    }
  }

  auto to_choice = [&](const std::vector<double>& u) {
    Choice c;
    for (std::size_t f = 0; f < k; ++f) {
      const auto lvl = std::min(factors[f].levels - 1, static_cast<std::size_t>(u[f] * static_cast<double>(factors[f].levels)));
      const auto& nm = factors[f].name;
      if (nm == "imputation") c.impute = lvl;
      else if (nm == "normalisation") c.normalise = lvl;
      else if (nm == "weights") c.weights = lvl;
      else if (nm == "aggregation") c.aggregate = lvl;
      else c.drop = lvl;
    }
    return c;
  };
  auto options_of = [&](const Choice& c) {
    PipelineOptions p = base;
    p.impute = imps[c.impute];
    p.normalise = norms[c.normalise];
    p.aggregate = aggs[c.aggregate];
    if (p.aggregate != base.aggregate) p.zeros = ZeroRule::floor;
    p.drop_leaf = static_cast<int>(c.drop) - 1;
    if (!wsets.empty()) p.weight_scale = wsets[c.weights];
    return p;
  };

  // Fast path: precomputed normalised indicators per (imputation, normalisation).
  bool fast = !uo.force_reference && (base.weights == Weighting::equal || base.weights == Weighting::manual) &&
              base.aggregate != Aggregation::copeland && base.aggregate != Aggregation::bod;
  for (const auto& nd : tree.nodes) fast = fast && nd.normalise.empty() && nd.aggregate.empty();
  res.fast_path = fast;
  struct Variant {
    std::vector<double> x;   // L × n, leaf-major (NaN = missing; 0 for a dropped leaf)
    std::vector<double> lx;  // ln max(x, floor) for geometric means
    std::vector<bool> dropped;
    bool complete = true;
  };
  std::vector<Variant> variants;
  if (fast) {
    variants.resize(imps.size() * norms.size());
    for (std::size_t a = 0; a < imps.size(); ++a)
      for (std::size_t b = 0; b < norms.size(); ++b) {
        PipelineOptions p = base;
        p.impute = imps[a];
        p.normalise = norms[b];
        p.aggregate = Aggregation::arithmetic;  // only the leaves are used
        const auto r = compute_index(tree, data, p, units);
        auto& v = variants[a * norms.size() + b];
        v.x.assign(n * L, nan);
        v.lx.assign(n * L, nan);
        v.dropped.assign(L, false);
        for (std::size_t l = 0; l < L; ++l) {
          const auto leaf = static_cast<std::size_t>(tree.leaves[l]);
          v.dropped[l] = r.dropped[leaf];
          for (std::size_t i = 0; i < n; ++i) {
            const double s = r.scores[leaf][i];
            // A dropped leaf holds 0 (its effective weight is 0), so the collapsed mean is a plain dot product.
            v.x[l * n + i] = v.dropped[l] ? 0.0 : s;
            v.lx[l * n + i] = v.dropped[l] ? 0.0 : std::isfinite(s) ? std::log(std::max(s, base.zero_floor)) : nan;
            if (!v.dropped[l] && !std::isfinite(s)) v.complete = false;
          }
        }
      }
  }
  bool inner_reversed = false;
  for (int v : tree.inner) inner_reversed = inner_reversed || tree.nodes[static_cast<std::size_t>(v)].direction == -1;

  // Evaluates one draw into `index` (n values).
  auto evaluate = [&](const Choice& c, std::vector<double>& index, std::vector<double>& node_w, std::vector<double>& eff,
                      std::vector<std::vector<double>>& scratch) {
    const PipelineOptions p = options_of(c);
    if (!fast) {
      index = compute_index(tree, data, p, units).index;
      return;
    }
    const auto& var = variants[c.impute * norms.size() + c.normalise];
    // Node weights within parents, as compute_index sets them.
    node_w.assign(nn, 0.0);
    std::vector<bool> alive(nn, false);
    for (std::size_t l = 0; l < L; ++l)
      alive[static_cast<std::size_t>(tree.leaves[l])] = !var.dropped[l] && static_cast<int>(l) != p.drop_leaf;
    for (int v : tree.inner) {
      const auto& ch = tree.nodes[static_cast<std::size_t>(v)].children;
      double sw = 0;
      for (int cc : ch) {
        const auto ci = static_cast<std::size_t>(cc);
        double w = base.weights == Weighting::manual ? tree.nodes[ci].weight : 1.0;
        if (!p.weight_scale.empty()) w *= p.weight_scale[ci];
        if (!alive[ci]) w = 0;
        node_w[ci] = w;
        sw += w;
      }
      alive[static_cast<std::size_t>(v)] = sw > 0;
      for (int cc : ch) node_w[static_cast<std::size_t>(cc)] = sw > 0 ? node_w[static_cast<std::size_t>(cc)] / sw : 0.0;
    }
    const bool linear = var.complete && !inner_reversed &&
                        (p.aggregate == Aggregation::arithmetic || p.aggregate == Aggregation::geometric);
    index.assign(n, nan);
    if (linear) {
      // index = Σ_l e_l x_l (arithmetic) or exp Σ_l e_l ln x_l (geometric), e_l the product of
      // the weights on the leaf's path: the tree of weighted means collapses to one mean.
      eff.assign(L, 0.0);
      for (std::size_t l = 0; l < L; ++l) {
        double e = 1;
        for (int cur = tree.leaves[l]; cur != tree.root; cur = tree.nodes[static_cast<std::size_t>(cur)].parent)
          e *= node_w[static_cast<std::size_t>(cur)];
        eff[l] = e;
      }
      const bool geo = p.aggregate == Aggregation::geometric;
      const double* src = geo ? var.lx.data() : var.x.data();
      // Leaf by leaf over all units (leaf-major storage), so the inner loop vectorises; each
      // unit still sums its leaves in order 0…L−1.
      std::fill(index.begin(), index.end(), 0.0);
      for (std::size_t l = 0; l < L; ++l) {
        const double e = eff[l];
        const double* col = src + l * n;
        for (std::size_t i = 0; i < n; ++i) index[i] += e * col[i];
      }
      if (geo)
        for (auto& v : index) v = std::exp(v);
      return;
    }
    // General path: node by node over all units, as compute_index aggregates.
    scratch.assign(nn, {});
    for (std::size_t l = 0; l < L; ++l) {
      auto& s = scratch[static_cast<std::size_t>(tree.leaves[l])];
      s.resize(n);
      for (std::size_t i = 0; i < n; ++i) s[i] = var.dropped[l] ? nan : var.x[l * n + i];
    }
    std::vector<double> x, w;
    for (int v : tree.inner) {
      const auto& nd = tree.nodes[static_cast<std::size_t>(v)];
      const auto& ch = nd.children;
      auto& out = scratch[static_cast<std::size_t>(v)];
      out.assign(n, nan);
      if (!alive[static_cast<std::size_t>(v)]) continue;
      x.resize(ch.size());
      w.resize(ch.size());
      for (std::size_t j = 0; j < ch.size(); ++j) w[j] = node_w[static_cast<std::size_t>(ch[j])];
      for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t j = 0; j < ch.size(); ++j) x[j] = scratch[static_cast<std::size_t>(ch[j])][i];
        out[i] = aggregate_one(x.data(), w.data(), ch.size(), p.aggregate, p.power, p.zeros, p.zero_floor, nullptr, nd.name);
      }
      if (nd.direction == -1) {
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (double s : out)
          if (std::isfinite(s)) {
            lo = std::min(lo, s);
            hi = std::max(hi, s);
          }
        for (auto& s : out)
          if (std::isfinite(s)) s = hi + lo - s;
      }
    }
    index = scratch[static_cast<std::size_t>(tree.root)];
  };

  // The design: matrix A (N rows), and with Sobol B and the k matrices A_B^(i).
  const std::size_t N = uo.draws;
  const std::size_t matrices = uo.sobol ? k + 2 : 1;
  const std::size_t runs = matrices * N;
  res.runs = runs;
  auto uniforms = [&](std::size_t m, std::size_t d) {
    std::vector<double> a(k), b(k);
    core::Stream sa(uo.seed, core::stream_id("index-uncertainty"), d);
    for (auto& x : a) x = sa.uniform();
    if (m == 0) return a;
    core::Stream sb(uo.seed, core::stream_id("index-uncertainty-b"), d);
    for (auto& x : b) x = sb.uniform();
    if (m == 1) return b;
    a[m - 2] = b[m - 2];
    return a;
  };
  // ranks[m][i * N + d], 16-bit when every rank fits (n < 65536). The buffer is kept per thread
  // and reused by the next call (the groups of one index), so its pages are faulted in once.
  using Rank16 = std::uint16_t;
  const bool narrow = n < 65536;
  static thread_local std::vector<Rank16> store16;
  static thread_local std::vector<std::uint32_t> store32;
  if (narrow) {
    if (store16.size() < matrices * n * N) store16.resize(matrices * n * N);
  } else if (store32.size() < matrices * n * N) {
    store32.resize(matrices * n * N);
  }
  Rank16* r16 = narrow ? store16.data() : nullptr;
  std::uint32_t* r32 = narrow ? nullptr : store32.data();
  auto rank_at = [&](std::size_t m, std::size_t i, std::size_t d) -> std::uint32_t {
    const std::size_t at = (m * n + i) * N + d;
    return narrow ? r16[at] : r32[at];
  };
  constexpr std::size_t block = 64;
  const std::size_t blocks = (runs + block - 1) / block;
  struct Scratch {
    std::vector<double> index, node_w, eff;
    std::vector<std::vector<double>> nodes;
    std::vector<std::uint64_t> keys;
    std::vector<std::uint32_t> idx, buf;
  };
  tbb::enumerable_thread_specific<Scratch> scratch_of;
  tbb::parallel_for(std::size_t(0), blocks, [&](std::size_t bi) {
    parallel::check_cancelled();
    auto& sc = scratch_of.local();
    auto& index = sc.index;
    auto& node_w = sc.node_w;
    auto& eff = sc.eff;
    auto& scratch = sc.nodes;
    auto& keys = sc.keys;
    auto& idx = sc.idx;
    auto& buf = sc.buf;
    buf.resize(block * n);
    const std::size_t r0 = bi * block, r1 = std::min(runs, r0 + block);
    for (std::size_t r = r0; r < r1; ++r) {
      const std::size_t m = r / N, d = r % N;
      evaluate(to_choice(uniforms(m, d)), index, node_w, eff, scratch);
      fast_descending_ranks(index.data(), n, buf.data() + (r - r0) * n, keys, idx, rank_resolution(base));
    }
    // Transpose the block into unit-major rows (each run writes only its own cells); the
    // offset of run r's cell of unit i is base_r + i·N (no division in the inner loop).
    std::size_t base[block];
    for (std::size_t r = r0; r < r1; ++r) base[r - r0] = (r / N) * n * N + r % N;
    const std::size_t width = r1 - r0;
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t row = i * N;
      if (narrow)
        for (std::size_t k = 0; k < width; ++k) r16[base[k] + row] = static_cast<Rank16>(buf[k * n + i]);
      else
        for (std::size_t k = 0; k < width; ++k) r32[base[k] + row] = buf[k * n + i];
    }
  });

  // Rank quantiles by counting (ranks are integers 0…n), mean shift, Sobol indices.
  res.rank_q05.assign(n, nan);
  res.rank_median.assign(n, nan);
  res.rank_q95.assign(n, nan);
  res.mean_shift.assign(n, nan);
  if (uo.sobol) {
    res.first.assign(k, std::vector<double>(n, nan));
    res.total.assign(k, std::vector<double>(n, nan));
  }
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
    std::vector<std::uint32_t> count(n + 1, 0);
    std::size_t ranked = 0;
    double shift = 0;
    for (std::size_t d = 0; d < N; ++d) {
      const std::uint32_t rk = rank_at(0, i, d);
      if (rk == 0) continue;
      ++count[rk];
      ++ranked;
      shift += std::abs(static_cast<double>(rk) - static_cast<double>(nominal.rank[i]));
    }
    if (ranked == 0) return;
    // Type-7 quantiles need the order statistics lo and lo + 1 (0-based) of each probability;
    // one scan of the cumulative counts finds all six.
    const double probs[3] = {0.05, 0.5, 0.95};
    std::size_t want[6];
    double frac[3];
    for (int t = 0; t < 3; ++t) {
      const double h = (static_cast<double>(ranked) - 1) * probs[t];
      want[2 * t] = static_cast<std::size_t>(std::floor(h));
      want[2 * t + 1] = std::min(want[2 * t] + 1, ranked - 1);
      frac[t] = h - std::floor(h);
    }
    double got[6];
    std::size_t order[6] = {0, 1, 2, 3, 4, 5};
    std::sort(order, order + 6, [&](std::size_t a, std::size_t b) { return want[a] < want[b]; });
    std::size_t c = 0, next = 0;
    for (std::size_t v = 1; v <= n && next < 6; ++v) {
      c += count[v];
      while (next < 6 && want[order[next]] < c) got[order[next++]] = static_cast<double>(v);
    }
    auto q = [&](double p) {
      const int t = p < 0.1 ? 0 : p < 0.9 ? 1 : 2;
      return got[2 * t] + frac[t] * (got[2 * t + 1] - got[2 * t]);
    };
    res.rank_q05[i] = q(0.05);
    res.rank_median[i] = q(0.5);
    res.rank_q95[i] = q(0.95);
    res.mean_shift[i] = nominal.rank[i] > 0 ? shift / static_cast<double>(ranked) : nan;
    if (uo.sobol) {
      auto as_double = [&](std::size_t m) {
        std::vector<double> v(N);
        for (std::size_t d = 0; d < N; ++d) v[d] = static_cast<double>(rank_at(m, i, d));
        return v;
      };
      const auto fa = as_double(0), fb = as_double(1);
      std::vector<std::vector<double>> fab;
      for (std::size_t f = 0; f < k; ++f) fab.push_back(as_double(f + 2));
      const auto s = stats::sobol_indices(fa, fb, fab);
      for (std::size_t f = 0; f < k; ++f) {
        res.first[f][i] = s.first[f];
        res.total[f][i] = s.total[f];
      }
    }
  });
  return res;
}

}  // namespace agglo::scorecard
