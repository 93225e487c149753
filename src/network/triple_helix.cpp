// Triple Helix mutual information (formulas in triple_helix.hpp).
#include "agglo/network/triple_helix.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace agglo::network {

namespace {

// Entropy in bits of the distribution of `keys` (weighted), by sorting.
template <class Key>
double entropy(std::vector<std::pair<Key, double>> kv, double total) {
  if (total <= 0) return 0;
  std::sort(kv.begin(), kv.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double h = 0;
  for (std::size_t i = 0; i < kv.size();) {
    double w = 0;
    std::size_t j = i;
    for (; j < kv.size() && kv[j].first == kv[i].first; ++j) w += kv[j].second;
    if (w > 0) {
      const double p = w / total;
      h -= p * std::log2(p);
    }
    i = j;
  }
  return h;
}

TripleHelix compute(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y,
                    const std::vector<std::uint32_t>& z, const std::vector<double>& w,
                    const std::vector<std::size_t>& rows) {
  TripleHelix t;
  std::vector<std::pair<std::uint64_t, double>> a, b, c, ab, ac, bc;
  std::vector<std::pair<std::tuple<std::uint32_t, std::uint32_t, std::uint32_t>, double>> abc;
  for (auto i : rows) {
    const double wi = w.empty() ? 1.0 : w[i];
    t.n += wi;
    a.emplace_back(x[i], wi);
    b.emplace_back(y[i], wi);
    c.emplace_back(z[i], wi);
    ab.emplace_back(std::uint64_t{x[i]} << 32 | y[i], wi);
    ac.emplace_back(std::uint64_t{x[i]} << 32 | z[i], wi);
    bc.emplace_back(std::uint64_t{y[i]} << 32 | z[i], wi);
    abc.emplace_back(std::make_tuple(x[i], y[i], z[i]), wi);
  }
  t.h_x = entropy(std::move(a), t.n);
  t.h_y = entropy(std::move(b), t.n);
  t.h_z = entropy(std::move(c), t.n);
  t.h_xy = entropy(std::move(ab), t.n);
  t.h_xz = entropy(std::move(ac), t.n);
  t.h_yz = entropy(std::move(bc), t.n);
  t.h_xyz = entropy(std::move(abc), t.n);
  t.t_xy = t.h_x + t.h_y - t.h_xy;
  t.t_xz = t.h_x + t.h_z - t.h_xz;
  t.t_yz = t.h_y + t.h_z - t.h_yz;
  t.t_xyz = t.h_x + t.h_y + t.h_z - t.h_xy - t.h_xz - t.h_yz + t.h_xyz;
  return t;
}

}  // namespace

TripleHelix triple_helix(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y,
                         const std::vector<std::uint32_t>& z, const std::vector<double>& weight) {
  std::vector<std::size_t> rows(x.size());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return compute(x, y, z, weight, rows);
}

TripleHelixDecomposition triple_helix_by(const std::vector<std::uint32_t>& x, const std::vector<std::uint32_t>& y,
                                         const std::vector<std::uint32_t>& z, const std::vector<std::uint32_t>& group,
                                         const std::vector<double>& weight) {
  TripleHelixDecomposition d;
  d.total = triple_helix(x, y, z, weight);
  std::map<std::uint32_t, std::vector<std::size_t>> rows;
  for (std::size_t i = 0; i < group.size(); ++i) rows[group[i]].push_back(i);
  for (const auto& [g, r] : rows) {
    TripleHelixGroup tg;
    tg.group = g;
    tg.t = compute(x, y, z, weight, r);
    if (d.total.n > 0) d.within += tg.t.n / d.total.n * tg.t.t_xyz;
    d.groups.push_back(tg);
  }
  d.between = d.total.t_xyz - d.within;
  return d;
}

}  // namespace agglo::network
