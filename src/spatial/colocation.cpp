// Prevalent co-location patterns (see include/agglo/spatial/colocation.hpp for the
// definitions and references).
//
// The neighbour graph. Every pair of points of distinct features within the distance is kept
// in both directions in one CSR array; the neighbours of a point are sorted by the key
// (feature << 32 | index). The neighbours of p of feature g are therefore one contiguous run
// (two binary searches), and "is q a neighbour of p" is one binary search in that run. This is
// the star neighbourhood of Yoo & Shekhar (2006) without the restriction to larger features:
// a search may start from an instance of any feature of the pattern.
//
// Size 2. Candidates are all pairs of features present. An instance p of feature a
// participates in {a, b} iff its run of neighbours of feature b is not empty.
//
// Size k ≥ 3. Candidates C = {c_0 < … < c_{k−1}} come from the prevalent patterns of size
// k−1 sorted lexicographically: two of them sharing their first k−2 features are joined, and
// the join is kept only if all k of its (k−1)-subsets are prevalent (Apriori-gen). For each
// candidate (one thread per candidate; no shared state):
//   1. allowed(c_t) = ∩ over s ≠ t of participants(C \ {c_s}, c_t). An instance of c_t in a
//      row instance R of C is, with R minus its c_s point, in a row instance of C \ {c_s}; so
//      only allowed instances can participate, and pr(c_t, C) ≤ |allowed(c_t)| / n(c_t).
//      If this bound is below θ for some feature, C is not prevalent: stop.
//   2. For each feature c_t in order and each allowed instance p not yet known to
//      participate, search one clique containing p: the candidate points of feature c_s are
//      p's allowed neighbours of c_s; features are tried from the shortest list up, and each
//      point chosen must be a neighbour of every point chosen before it (depth-first, first
//      clique found ends the search). A clique found marks all its k points as
//      participating, which spares their own searches later. When a search fails, the
//      bound for c_t drops by one; when it falls below θ, C is not prevalent: stop.
//   3. Otherwise pr(c_t, C) = participants / n(c_t) exactly, and PI = min_t pr(c_t, C).
// The searches only decide existence; the number of row instances, which grows like the
// product of neighbourhood sizes, is never enumerated.
//
// Determinism: each candidate is evaluated by one thread in a fixed order, and the pruning
// decisions are exact (a pruned candidate is one whose PI is provably below θ), so the
// result is the same for any number of threads.
#include "agglo/spatial/colocation.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>
#include <numeric>
#include <limits>
#include <memory>
#include <set>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/geo/pair_grid.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/progress.hpp"

namespace agglo::spatial {

namespace {

void check(const ColocationParams& p) {
  if (!(p.min_prevalence > 0 && p.min_prevalence <= 1))
    throw_usage(ErrorCode::invalid_option_value, "--min-prevalence must be in (0, 1]",
                "the participation index is a share of establishments: 0.3 keeps patterns in which "
                "at least 30 % of every industry's establishments take part");
  if (p.max_size == 1)
    throw_usage(ErrorCode::invalid_option_value, "--max-size must be ≥ 2",
                "a co-location pattern has at least two industries");
  if (p.min_support < 1)
    throw_usage(ErrorCode::invalid_option_value, "--min-support must be ≥ 1",
                "the number of establishments each industry must contribute to a pattern; 1 = no minimum");
}

// The one prevalence test, used for the bounds and the final decision alike so that they
// agree to the last bit: count / n ≥ θ.
bool enough(std::size_t count, std::size_t n, double theta) {
  return static_cast<double>(count) / static_cast<double>(n) >= theta;
}

using Bits = std::vector<std::uint64_t>;
inline bool test(const Bits& b, std::size_t i) { return (b[i >> 6] >> (i & 63)) & 1u; }
inline void set(Bits& b, std::size_t i) { b[i >> 6] |= std::uint64_t(1) << (i & 63); }
std::size_t popcount(const Bits& b) {
  std::size_t c = 0;
  for (auto w : b) c += static_cast<std::size_t>(std::popcount(w));
  return c;
}

// The neighbour graph in CSR form, neighbours sorted by (feature, index).
struct Graph {
  std::vector<std::uint64_t> off;  // n + 1
  std::vector<std::uint64_t> key;  // feature << 32 | neighbour index

  static std::uint64_t make_key(std::uint32_t f, std::uint32_t j) { return (std::uint64_t(f) << 32) | j; }
  static std::uint32_t index_of(std::uint64_t k) { return static_cast<std::uint32_t>(k); }

  // The neighbours of p of feature g: [first, last).
  std::pair<const std::uint64_t*, const std::uint64_t*> run(std::uint32_t p, std::uint32_t g) const {
    const std::uint64_t* b = key.data() + off[p];
    const std::uint64_t* e = key.data() + off[p + 1];
    const auto lo = std::lower_bound(b, e, make_key(g, 0));
    const auto hi = std::lower_bound(lo, e, make_key(g + 1, 0));
    return {lo, hi};
  }
  bool adjacent(std::uint32_t p, std::uint32_t q, std::uint32_t fq) const {
    const std::uint64_t* b = key.data() + off[p];
    const std::uint64_t* e = key.data() + off[p + 1];
    return std::binary_search(b, e, make_key(fq, q));
  }
};

Graph build_graph(const std::vector<std::uint32_t>& feature, const std::vector<NeighbourPair>& pairs,
                  std::size_t& distinct_pairs) {
  const std::size_t n = feature.size();
  Graph g;
  g.off.assign(n + 1, 0);
  for (const auto& [i, j] : pairs) {
    AGGLO_ASSERT(i < n && j < n);
    if (feature[i] == feature[j]) continue;
    ++g.off[i + 1];
    ++g.off[j + 1];
  }
  for (std::size_t i = 0; i < n; ++i) g.off[i + 1] += g.off[i];
  g.key.resize(g.off[n]);
  std::vector<std::uint64_t> fill(g.off.begin(), g.off.end() - 1);
  for (const auto& [i, j] : pairs) {
    if (feature[i] == feature[j]) continue;
    g.key[fill[i]++] = Graph::make_key(feature[j], j);
    g.key[fill[j]++] = Graph::make_key(feature[i], i);
  }
  // Sort each run and drop repeated pairs (the caller may give a pair twice).
  std::vector<std::uint64_t> new_off(n + 1, 0);
  tbb::parallel_for(std::size_t(0), n, [&](std::size_t i) {
    auto b = g.key.begin() + static_cast<std::ptrdiff_t>(g.off[i]);
    auto e = g.key.begin() + static_cast<std::ptrdiff_t>(g.off[i + 1]);
    std::sort(b, e);
    new_off[i + 1] = static_cast<std::uint64_t>(std::unique(b, e) - b);
  });
  std::size_t w = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t len = new_off[i + 1];
    std::copy_n(g.key.begin() + static_cast<std::ptrdiff_t>(g.off[i]), len, g.key.begin() + static_cast<std::ptrdiff_t>(w));
    new_off[i] = w;
    w += len;
  }
  new_off[n] = w;
  g.key.resize(w);
  g.key.shrink_to_fit();
  g.off = std::move(new_off);
  distinct_pairs = w / 2;
  return g;
}

// A prevalent pattern of the previous size with its participants (one bitset per feature over
// that feature's instances).
struct Level {
  std::vector<std::vector<std::uint32_t>> pattern;  // sorted lexicographically
  std::vector<std::vector<Bits>> participants;
};

struct Evaluation {
  bool prevalent = false;
  bool supported = false;  // every feature has ≥ min_support participants
  bool pruned = false;
  std::vector<std::uint32_t> count;
  std::vector<Bits> bits;
};

class Miner {
 public:
  Miner(const std::vector<std::uint32_t>& feature, std::uint32_t num_features, const Graph& g, double theta,
        std::size_t min_support)
      : feature_(feature), g_(g), theta_(theta), min_support_(min_support), members_(num_features), local_(feature.size()) {
    for (std::uint32_t i = 0; i < feature.size(); ++i) {
      local_[i] = static_cast<std::uint32_t>(members_[feature[i]].size());
      members_[feature[i]].push_back(i);
    }
  }
  const std::vector<std::vector<std::uint32_t>>& members() const { return members_; }

  // Evaluates candidate C; `allowed` per feature of C (moved in).
  Evaluation evaluate(const std::vector<std::uint32_t>& C, std::vector<Bits> allowed) const {
    const std::size_t k = C.size();
    Evaluation ev;
    for (std::size_t t = 0; t < k; ++t)
      if (!enough(popcount(allowed[t]), members_[C[t]].size(), theta_)) {
        ev.pruned = true;
        return ev;
      }
    std::vector<Bits> marked(k);
    ev.count.assign(k, 0);
    for (std::size_t t = 0; t < k; ++t) marked[t].assign(allowed[t].size(), 0);
    std::vector<std::uint32_t> clique(k);
    std::vector<std::vector<std::uint32_t>> lists(k);
    std::vector<std::size_t> order;
    for (std::size_t t = 0; t < k; ++t) {
      const auto& mem = members_[C[t]];
      std::size_t bound = popcount(allowed[t]);
      for (std::size_t li = 0; li < mem.size(); ++li) {
        if (!test(allowed[t], li) || test(marked[t], li)) continue;
        const std::uint32_t p = mem[li];
        if (find_clique(C, t, p, allowed, lists, order, clique)) {
          for (std::size_t s = 0; s < k; ++s) {
            const std::uint32_t q = clique[s];
            if (!test(marked[s], local_[q])) {
              set(marked[s], local_[q]);
              ++ev.count[s];
            }
          }
        } else if (!enough(--bound, mem.size(), theta_)) {
          ev.pruned = true;
          return ev;
        }
      }
    }
    ev.prevalent = true;
    for (std::size_t t = 0; t < k; ++t) ev.prevalent = ev.prevalent && enough(ev.count[t], members_[C[t]].size(), theta_);
    ev.supported = true;
    for (std::size_t t = 0; t < k; ++t) ev.supported = ev.supported && ev.count[t] >= min_support_;
    ev.bits = std::move(marked);
    return ev;
  }

 private:
  // Searches a row instance of C containing p (of feature C[t]); on success clique[s] holds
  // the point of feature C[s].
  bool find_clique(const std::vector<std::uint32_t>& C, std::size_t t, std::uint32_t p,
                   const std::vector<Bits>& allowed, std::vector<std::vector<std::uint32_t>>& lists,
                   std::vector<std::size_t>& order, std::vector<std::uint32_t>& clique) const {
    const std::size_t k = C.size();
    order.clear();
    for (std::size_t s = 0; s < k; ++s) {
      if (s == t) continue;
      auto& L = lists[s];
      L.clear();
      const auto [b, e] = g_.run(p, C[s]);
      for (auto it = b; it != e; ++it) {
        const std::uint32_t q = Graph::index_of(*it);
        if (test(allowed[s], local_[q])) L.push_back(q);
      }
      if (L.empty()) return false;
      order.push_back(s);
    }
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return lists[a].size() != lists[b].size() ? lists[a].size() < lists[b].size() : a < b;
    });
    clique[t] = p;
    return extend(C, 0, order, lists, clique);
  }

  bool extend(const std::vector<std::uint32_t>& C, std::size_t level, const std::vector<std::size_t>& order,
              const std::vector<std::vector<std::uint32_t>>& lists, std::vector<std::uint32_t>& clique) const {
    if (level == order.size()) return true;
    const std::size_t s = order[level];
    for (const std::uint32_t q : lists[s]) {
      // q is already a neighbour of p (it came from p's run); check the points chosen since.
      bool ok = true;
      for (std::size_t m = 0; m < level && ok; ++m) ok = g_.adjacent(q, clique[order[m]], C[order[m]]);
      if (!ok) continue;
      clique[s] = q;
      if (extend(C, level + 1, order, lists, clique)) return true;
    }
    return false;
  }

  const std::vector<std::uint32_t>& feature_;
  const Graph& g_;
  double theta_;
  std::size_t min_support_;
  std::vector<std::vector<std::uint32_t>> members_;
  std::vector<std::uint32_t> local_;  // index of each point within its feature
};

Bits all_ones(std::size_t n) {
  Bits b((n + 63) / 64, ~std::uint64_t(0));
  if (n % 64) b.back() = (std::uint64_t(1) << (n % 64)) - 1;
  return b;
}

}  // namespace

ColocationResult mine_colocations(const std::vector<std::uint32_t>& feature, std::uint32_t num_features,
                                  const std::vector<NeighbourPair>& pairs, const ColocationParams& params) {
  check(params);
  AGGLO_ASSERT(feature.size() < std::numeric_limits<std::uint32_t>::max());
  for (auto f : feature) AGGLO_ASSERT(f < num_features);
  ColocationResult res;
  const Graph g = build_graph(feature, pairs, res.neighbour_pairs);
  Miner miner(feature, num_features, g, params.min_prevalence, params.min_support);
  res.instances.resize(num_features);
  std::vector<std::uint32_t> present;
  for (std::uint32_t f = 0; f < num_features; ++f) {
    res.instances[f] = static_cast<std::uint32_t>(miner.members()[f].size());
    if (res.instances[f] > 0) present.push_back(f);
  }

  Level prev;  // prevalent patterns of size k − 1 (size 1: every present feature, PI = 1)
  for (auto f : present) {
    prev.pattern.push_back({f});
    prev.participants.push_back({all_ones(res.instances[f])});
  }
  for (std::size_t k = 2; params.max_size == 0 || k <= params.max_size; ++k) {
    // ---- candidates: Apriori-gen from the prevalent patterns of size k − 1 ------------------
    std::vector<std::vector<std::uint32_t>> cand;
    std::vector<std::vector<std::size_t>> subs;  // per candidate: index in prev of C \ {c_s}, s = 0..k−1
    const std::size_t m = prev.pattern.size();
    auto find_prev = [&](const std::vector<std::uint32_t>& q) -> std::ptrdiff_t {
      const auto it = std::lower_bound(prev.pattern.begin(), prev.pattern.end(), q);
      return it != prev.pattern.end() && *it == q ? it - prev.pattern.begin() : -1;
    };
    for (std::size_t a = 0; a < m; ++a)
      for (std::size_t b = a + 1; b < m; ++b) {
        const auto& A = prev.pattern[a];
        const auto& B = prev.pattern[b];
        if (!std::equal(A.begin(), A.end() - 1, B.begin())) break;  // sorted: no later b shares the prefix
        std::vector<std::uint32_t> C(A);
        C.push_back(B.back());
        std::vector<std::size_t> sub(k);
        bool ok = true;
        std::vector<std::uint32_t> q(k - 1);
        for (std::size_t s = 0; s < k && ok; ++s) {
          std::size_t w = 0;
          for (std::size_t r = 0; r < k; ++r)
            if (r != s) q[w++] = C[r];
          const auto idx = find_prev(q);
          ok = idx >= 0;
          if (ok) sub[s] = static_cast<std::size_t>(idx);
        }
        if (!ok) continue;
        cand.push_back(std::move(C));
        subs.push_back(std::move(sub));
      }
    ColocationLevel lv;
    lv.size = k;
    lv.candidates = cand.size();
    if (cand.empty()) break;

    // ---- evaluation, one candidate per task --------------------------------------------------
    std::vector<Evaluation> ev(cand.size());
    std::unique_ptr<parallel::Progress> bar;
    if (params.progress)
      bar = std::make_unique<parallel::Progress>("co-location patterns of size " + std::to_string(k), cand.size(), "candidates");
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, cand.size(), 1), [&](const tbb::blocked_range<std::size_t>& r) {
      for (std::size_t c = r.begin(); c != r.end(); ++c) {
        if (parallel::cancel_requested()) return;
        const auto& C = cand[c];
        std::vector<Bits> allowed(k);
        for (std::size_t t = 0; t < k; ++t) {
          // allowed(c_t) = ∩_{s ≠ t} participants(C \ {c_s}, c_t); c_t sits at position
          // t − (s < t) in C \ {c_s}.
          bool first = true;
          for (std::size_t s = 0; s < k; ++s) {
            if (s == t) continue;
            const Bits& pb = prev.participants[subs[c][s]][t - (s < t ? 1 : 0)];
            if (first) {
              allowed[t] = pb;
              first = false;
            } else {
              for (std::size_t w = 0; w < pb.size(); ++w) allowed[t][w] &= pb[w];
            }
          }
        }
        ev[c] = miner.evaluate(C, std::move(allowed));
        if (bar) bar->advance();
      }
    });
    bar.reset();
    parallel::check_cancelled();

    // ---- collect ------------------------------------------------------------------------------
    Level next;
    for (std::size_t c = 0; c < cand.size(); ++c) {
      if (ev[c].pruned) ++lv.pruned;
      if (!ev[c].prevalent) continue;
      if (!ev[c].supported) {  // too few establishments: neither reported nor extended (exact: see params)
        ++lv.low_support;
        continue;
      }
      ColocationPattern pat;
      pat.features = cand[c];
      pat.participating = ev[c].count;
      pat.participation_index = 1;
      for (std::size_t t = 0; t < k; ++t) {
        const double pr = static_cast<double>(ev[c].count[t]) / static_cast<double>(res.instances[cand[c][t]]);
        pat.participation_ratio.push_back(pr);
        pat.participation_index = std::min(pat.participation_index, pr);
      }
      res.patterns.push_back(std::move(pat));
      next.pattern.push_back(cand[c]);
      next.participants.push_back(std::move(ev[c].bits));
    }
    lv.prevalent = next.pattern.size();
    res.levels.push_back(lv);
    prev = std::move(next);  // candidates were generated in lexicographic order
    if (prev.pattern.size() < 2) break;
  }
  return res;
}

std::vector<NeighbourPair> colocation_pairs(const std::vector<double>& x, const std::vector<double>& y,
                                            const std::vector<std::uint32_t>& feature, double distance,
                                            bool geographic) {
  AGGLO_ASSERT(x.size() == y.size() && x.size() == feature.size());
  if (!(distance > 0) || !std::isfinite(distance))
    throw_usage(ErrorCode::invalid_option_value, "--distance must be > 0",
                "the neighbour distance is in km for lon,lat points and in the coordinates' unit for x,y");
  // The shared grid kernel visits every pair within the distance once (O(n + pairs) work and
  // memory); pairs of one feature are dropped at once. Each task keeps its own list, the lists
  // are joined in task order and sorted, so the result does not depend on the thread count.
  const geo::PairGrid grid(x, y, geographic, distance);
  auto parts = grid.for_each_pair_parallel<std::vector<NeighbourPair>>(
      [] { return std::vector<NeighbourPair>(); },
      [&](std::vector<NeighbourPair>& out, std::size_t i, std::size_t j, double) {
        if (feature[i] != feature[j]) out.emplace_back(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j));
      });
  std::size_t total = 0;
  for (const auto& p : parts) total += p.size();
  std::vector<NeighbourPair> out;
  out.reserve(total);
  for (auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
    p = {};
  }
  tbb::parallel_sort(out.begin(), out.end());
  return out;
}

ColocationResult colocations_bruteforce(const std::vector<double>& x, const std::vector<double>& y,
                                        const std::vector<std::uint32_t>& feature, std::uint32_t num_features,
                                        double distance, bool geographic, const ColocationParams& params) {
  check(params);
  AGGLO_ASSERT(params.max_size >= 2);
  const std::size_t n = x.size();
  auto near = [&](std::size_t i, std::size_t j) {
    const double d = geographic ? geo::haversine_km(x[i], y[i], x[j], y[j]) : geo::euclidean(x[i], y[i], x[j], y[j]);
    return d <= distance;
  };
  ColocationResult res;
  res.instances.assign(num_features, 0);
  for (auto f : feature) ++res.instances[f];
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) res.neighbour_pairs += feature[i] != feature[j] && near(i, j);
  // pattern → per feature of the pattern, the set of participating points.
  std::map<std::vector<std::uint32_t>, std::vector<std::set<std::size_t>>> part;
  std::vector<std::size_t> pick;
  // Every k-subset i_1 < … < i_k of points, for k = 2 … max_size: a row instance when the
  // features are distinct and every pair is within the distance.
  auto rec = [&](auto&& self, std::size_t from, std::size_t k) -> void {
    if (pick.size() == k) {
      std::vector<std::pair<std::uint32_t, std::size_t>> fp;
      for (auto i : pick) fp.emplace_back(feature[i], i);
      std::sort(fp.begin(), fp.end());
      for (std::size_t a = 1; a < k; ++a)
        if (fp[a].first == fp[a - 1].first) return;
      for (std::size_t a = 0; a < k; ++a)
        for (std::size_t b = a + 1; b < k; ++b)
          if (!near(pick[a], pick[b])) return;
      std::vector<std::uint32_t> key;
      for (const auto& [f, i] : fp) key.push_back(f);
      auto& sets = part[key];
      sets.resize(k);
      for (std::size_t a = 0; a < k; ++a) sets[a].insert(fp[a].second);
      return;
    }
    for (std::size_t i = from; i < n; ++i) {
      pick.push_back(i);
      self(self, i + 1, k);
      pick.pop_back();
    }
  };
  for (std::size_t k = 2; k <= params.max_size; ++k) rec(rec, 0, k);
  std::vector<ColocationPattern> pats;
  for (const auto& [key, sets] : part) {
    ColocationPattern p;
    p.features = key;
    p.participation_index = 1;
    for (std::size_t a = 0; a < key.size(); ++a) {
      p.participating.push_back(static_cast<std::uint32_t>(sets[a].size()));
      const double pr = static_cast<double>(sets[a].size()) / static_cast<double>(res.instances[key[a]]);
      p.participation_ratio.push_back(pr);
      p.participation_index = std::min(p.participation_index, pr);
    }
    bool prevalent = true;
    for (std::size_t a = 0; a < key.size(); ++a)
      prevalent = prevalent && enough(sets[a].size(), res.instances[key[a]], params.min_prevalence) &&
                  sets[a].size() >= params.min_support;
    if (prevalent) pats.push_back(std::move(p));
  }
  std::stable_sort(pats.begin(), pats.end(), [](const ColocationPattern& a, const ColocationPattern& b) {
    return a.features.size() != b.features.size() ? a.features.size() < b.features.size() : a.features < b.features;
  });
  res.patterns = std::move(pats);
  return res;
}

}  // namespace agglo::spatial
