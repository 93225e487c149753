// Harrell's C (include/agglo/stats/concordance.hpp).
#include "agglo/stats/concordance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "agglo/core/error.hpp"

namespace agglo::stats {

namespace {
// Fenwick (binary indexed) tree of counts over score ranks 1…m.
struct Fenwick {
  std::vector<double> t;
  explicit Fenwick(std::size_t m) : t(m + 1, 0.0) {}
  void add(std::size_t i, double v) {
    for (++i; i < t.size(); i += i & (~i + 1)) t[i] += v;
  }
  double prefix(std::size_t i) const {  // sum over ranks < i
    double s = 0;
    for (; i > 0; i -= i & (~i + 1)) s += t[i];
    return s;
  }
};
}  // namespace

Concordance harrell_concordance(std::span<const double> time, std::span<const std::uint8_t> event,
                                std::span<const double> risk, std::span<const std::uint32_t> strata) {
  const std::size_t n = time.size();
  AGGLO_ASSERT(event.size() == n && risk.size() == n && (strata.empty() || strata.size() == n));
  // ranks of the distinct risk scores
  std::vector<double> sorted(risk.begin(), risk.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<std::size_t> rank(n);
  for (std::size_t i = 0; i < n; ++i)
    rank[i] = static_cast<std::size_t>(std::lower_bound(sorted.begin(), sorted.end(), risk[i]) - sorted.begin());
  auto st = [&](std::size_t i) { return strata.empty() ? 0u : strata[i]; };
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (st(a) != st(b)) return st(a) < st(b);
    return time[a] > time[b];
  });
  Concordance c;
  Fenwick fw(sorted.size());
  std::vector<std::size_t> inserted;
  std::size_t p = 0;
  while (p < n) {
    const auto s = st(order[p]);
    for (auto i : inserted) fw.add(rank[i], -1.0);  // new stratum: empty the tree
    inserted.clear();
    double in_tree = 0;
    while (p < n && st(order[p]) == s) {
      const double t = time[order[p]];
      std::size_t e = p;
      while (e < n && st(order[e]) == s && time[order[e]] == t) ++e;
      // censored at t are still at risk at t: they join before the events are compared
      for (std::size_t q = p; q < e; ++q)
        if (!event[order[q]]) fw.add(rank[order[q]], 1.0), inserted.push_back(order[q]), in_tree += 1;
      double d = 0;
      for (std::size_t q = p; q < e; ++q) {
        const std::size_t i = order[q];
        if (!event[i]) continue;
        d += 1;
        const double below = fw.prefix(rank[i]);
        const double upto = fw.prefix(rank[i] + 1);
        c.concordant += below;                // the later subject has a lower risk
        c.tied_risk += upto - below;
        c.discordant += in_tree - upto;
      }
      c.tied_time += d * (d - 1) / 2;
      for (std::size_t q = p; q < e; ++q)
        if (event[order[q]]) fw.add(rank[order[q]], 1.0), inserted.push_back(order[q]), in_tree += 1;
      p = e;
    }
  }
  const double den = c.concordant + c.discordant + c.tied_risk;
  c.value = den > 0 ? (c.concordant + c.tied_risk / 2) / den : std::numeric_limits<double>::quiet_NaN();
  return c;
}

}  // namespace agglo::stats
