// Development blocks: IO communities tested for cointegration (include/agglo/structure/blocks.hpp).
#include "agglo/structure/blocks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "agglo/core/error.hpp"
#include "agglo/network/communities.hpp"
#include "agglo/network/graph.hpp"

namespace agglo::structure {

namespace {

// Leiden communities of the undirected graph w on the nodes `nodes` (indices into w).
std::vector<std::vector<std::size_t>> communities_of(const std::vector<double>& w, std::size_t n,
                                                     const std::vector<std::size_t>& nodes, const BlockOptions& o,
                                                     std::uint64_t salt, double* modularity) {
  std::vector<std::uint32_t> src, dst;
  std::vector<double> wt;
  for (std::size_t p = 0; p < nodes.size(); ++p)
    for (std::size_t q = p + 1; q < nodes.size(); ++q) {
      const double v = w[nodes[p] * n + nodes[q]];
      if (v > 0) {
        src.push_back(static_cast<std::uint32_t>(p));
        dst.push_back(static_cast<std::uint32_t>(q));
        wt.push_back(v);
      }
    }
  std::vector<std::vector<std::size_t>> out;
  if (src.empty()) {  // no ties: every node alone
    for (auto v : nodes) out.push_back({v});
    return out;
  }
  network::GraphOptions go;
  go.duplicates = network::DuplicateTies::sum;
  const auto g = network::Graph::build(nodes.size(), false, src, dst, wt, go);
  network::CommunityOptions co;
  co.resolution = o.resolution;
  co.seed = o.seed * 1000003ULL + salt;
  const auto c = network::communities(g, co);
  if (modularity) *modularity = c.modularity;
  out.resize(c.count);
  for (std::size_t p = 0; p < nodes.size(); ++p) out[static_cast<std::size_t>(c.membership[p])].push_back(nodes[p]);
  return out;
}

// Splits communities larger than max_size by Leiden on their own subgraph; a community that
// Leiden will not split is cut into max_size chunks by decreasing internal strength (and says
// so in the note).
void split(const std::vector<double>& w, std::size_t n, std::vector<std::size_t> nodes, int level, const BlockOptions& o,
           std::vector<std::pair<std::vector<std::size_t>, int>>& out, std::vector<std::string>& warnings) {
  if (nodes.size() <= o.max_size) {
    out.emplace_back(std::move(nodes), level);
    return;
  }
  auto parts = communities_of(w, n, nodes, o, static_cast<std::uint64_t>(level) * 7919 + nodes.front(), nullptr);
  if (parts.size() <= 1 || level >= 6) {
    std::vector<std::pair<double, std::size_t>> strength;
    for (auto v : nodes) {
      double s = 0;
      for (auto u : nodes) s += w[v * n + u];
      strength.emplace_back(-s, v);
    }
    std::sort(strength.begin(), strength.end());
    for (std::size_t s = 0; s < strength.size(); s += o.max_size) {
      std::vector<std::size_t> chunk;
      for (std::size_t t = s; t < std::min(strength.size(), s + o.max_size); ++t) chunk.push_back(strength[t].second);
      std::sort(chunk.begin(), chunk.end());
      out.emplace_back(std::move(chunk), level + 1);
    }
    warnings.push_back(fmt::format("a community of {} industries could not be split by Leiden; cut into groups of at most {}",
                                   nodes.size(), o.max_size));
    return;
  }
  for (auto& p : parts) split(w, n, std::move(p), level + 1, o, out, warnings);
}

}  // namespace

BlockResult find_blocks(const IoTable& table, const IndustrySeries& series, const BlockOptions& o) {
  if (o.max_size < 2 || o.max_size > 12)
    throw_usage(ErrorCode::invalid_option_value, fmt::format("--max-size {} is outside 2…12 (the Johansen tables)", o.max_size));
  BlockResult r;
  // Industries in both inputs, in table order.
  std::unordered_map<std::string, std::size_t> in_series;
  for (std::size_t i = 0; i < series.industries.size(); ++i) in_series.emplace(series.industries[i], i);
  std::vector<std::size_t> tab, ser;
  for (std::size_t i = 0; i < table.size(); ++i) {
    const auto it = in_series.find(table.industries[i]);
    if (it == in_series.end()) continue;
    tab.push_back(i);
    ser.push_back(it->second);
    r.industries.push_back(table.industries[i]);
  }
  if (tab.size() < table.size())
    r.warnings.push_back(fmt::format("{} industries of the IO table have no series and are left out", table.size() - tab.size()));
  if (ser.size() < series.industries.size())
    r.warnings.push_back(fmt::format("{} industries of the series are not in the IO table and are left out",
                                     series.industries.size() - ser.size()));
  const std::size_t n = tab.size();
  if (n < 2)
    throw_input(ErrorCode::invalid_value,
                fmt::format("only {} industries are in both the IO table and the series; blocks need at least two", n), {},
                "use the same industry codes in --io/--totals and --series");
  r.years = series.years.size();

  // Normalised, symmetrised flows w_ij = a_ij + a_ji.
  std::vector<double> w(n * n, 0.0);
  for (std::size_t p = 0; p < n; ++p)
    for (std::size_t q = 0; q < n; ++q)
      if (p != q)
        w[p * n + q] = table.z(tab[p], tab[q]) / table.output[tab[q]] + table.z(tab[q], tab[p]) / table.output[tab[p]];

  // Series net of the aggregate trend.
  std::vector<std::vector<double>> y(n);
  for (std::size_t p = 0; p < n; ++p) y[p] = series.values[ser[p]];
  if (o.detrend_aggregate) {
    for (std::size_t t = 0; t < r.years; ++t) {
      double m = 0;
      for (std::size_t p = 0; p < n; ++p) m += y[p][t];
      m /= static_cast<double>(n);
      for (std::size_t p = 0; p < n; ++p) y[p][t] -= m;
    }
  }

  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), 0);
  const auto top = communities_of(w, n, all, o, 0, &r.modularity);
  std::vector<std::pair<std::vector<std::size_t>, int>> cands;
  for (const auto& c : top) split(w, n, c, 1, o, cands, r.warnings);
  // Order: larger candidates first, then by first member, so ids do not depend on igraph labels.
  std::stable_sort(cands.begin(), cands.end(), [](const auto& a, const auto& b) {
    if (a.first.size() != b.first.size()) return a.first.size() > b.first.size();
    return a.first.front() < b.first.front();
  });

  r.candidate.assign(n, -1);
  r.block.assign(n, -1);
  const std::size_t var_lags = o.k_ar_diff + 1;
  for (std::size_t c = 0; c < cands.size(); ++c) {
    CandidateTest ct;
    ct.candidate = c;
    ct.members = cands[c].first;
    ct.level = cands[c].second;
    for (auto m : ct.members) r.candidate[m] = static_cast<std::int64_t>(c);
    const std::size_t k = ct.members.size();
    if (k == 1) {
      ct.status = "single";
      ct.note = "one industry: cointegration needs at least two series";
      r.candidates.push_back(std::move(ct));
      continue;
    }
    // Johansen needs n = T − p − 1 > k(p + 1) + 1; the Granger VAR needs T − P > k P + 1.
    const std::size_t need = std::max(o.k_ar_diff + 2 + k * (o.k_ar_diff + 1) + 1, var_lags + k * var_lags + 3);
    if (r.years < need) {
      ct.status = "too_short";
      ct.note = fmt::format("{} years are too few for {} series with lag order {} (need {})", r.years, k, o.k_ar_diff, need);
      r.candidates.push_back(std::move(ct));
      continue;
    }
    stats::Series ys;
    for (auto m : ct.members) ys.push_back(y[m]);
    if (r.years >= o.tension_window + 3) {
      std::vector<double> link(k * k, 0.0);
      for (std::size_t p = 0; p < k; ++p)
        for (std::size_t q = 0; q < k; ++q) link[p * k + q] = w[ct.members[p] * n + ct.members[q]];
      ct.tension = structural_tension(ys, series.years, link, o.tension_window);
    }
    try {
      ct.johansen = stats::johansen(ys, 0, o.k_ar_diff);
    } catch (const Error& e) {
      ct.status = "untestable";
      ct.note = e.message();
      r.candidates.push_back(std::move(ct));
      continue;
    }
    const double nobs = static_cast<double>(ct.johansen.observations);
    ct.scale = o.small_sample ? std::max(0.0, (nobs - static_cast<double>(k * var_lags)) / nobs) : 1.0;
    ct.rank = 0;
    for (std::size_t r0 = 0; r0 < k; ++r0) {
      if (ct.scale * ct.johansen.trace_stat[r0] > ct.johansen.trace_cv[r0][static_cast<std::size_t>(o.level)])
        ct.rank = r0 + 1;
      else
        break;
    }
    if (ct.rank == 0 || ct.rank == k) {
      // rank k means every series is stationary (no common trend to share): not a block.
      ct.status = ct.rank == 0 ? "not_cointegrated" : "stationary";
      r.candidates.push_back(std::move(ct));
      continue;
    }
    ct.status = "block";
    const auto id = static_cast<std::int64_t>(r.blocks++);
    for (auto m : ct.members) r.block[m] = id;
    const auto v = stats::vecm(ys, ct.rank, o.k_ar_diff);
    ct.irf = stats::vecm_impulse_responses(v, o.horizon);
    ct.adjustment.assign(k, 0.0);
    for (std::size_t i = 0; i < k; ++i)
      for (std::size_t j = 0; j < ct.rank; ++j) ct.adjustment[i] += std::abs(v.alpha[i][j]);
    ct.granger_p.assign(k, std::nan(""));
    ct.granger_f.assign(k, std::nan(""));
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<std::size_t> rest;
      for (std::size_t j = 0; j < k; ++j)
        if (j != i) rest.push_back(j);
      const auto g = stats::granger_causality(ys, rest, {i}, var_lags);
      ct.granger_p[i] = g.p_value;
      ct.granger_f[i] = g.statistic;
    }
    r.candidates.push_back(std::move(ct));
  }
  std::size_t short_ = 0, single = 0;
  for (const auto& c : r.candidates) {
    short_ += c.status == "too_short";
    single += c.status == "single";
  }
  if (short_)
    r.warnings.push_back(fmt::format("{} candidates were not tested: {} years are too few for their size with lag order {} "
                                     "(a candidate of k industries needs at least k(p+1) + p + 3 years); use --lags 0 or "
                                     "longer series",
                                     short_, r.years, o.k_ar_diff));
  if (single)
    r.warnings.push_back(fmt::format("{} industries form IO candidates of their own (status single): cointegration needs "
                                     "at least two series, so they belong to no block",
                                     single));
  return r;
}

}  // namespace agglo::structure

namespace agglo::structure {

std::vector<BlockLocation> block_locations(const data::Panel& p, const std::vector<std::string>& industries,
                                           const std::vector<std::int64_t>& block, double colocated) {
  std::int64_t nb = 0;
  for (auto b : block) nb = std::max(nb, b + 1);
  std::unordered_map<std::string, std::int64_t> of;
  for (std::size_t i = 0; i < industries.size(); ++i)
    if (block[i] >= 0) of[industries[i]] = block[i];
  const std::size_t R = p.rows.size();
  std::vector<double> er(R, 0.0), erb(R * static_cast<std::size_t>(nb), 0.0);
  // A panel with years: the latest year.
  const int last = p.has_years() ? *std::max_element(p.year.begin(), p.year.end()) : 0;
  for (std::size_t k = 0; k < p.size(); ++k) {
    if (p.has_years() && p.year[k] != last) continue;
    er[p.row[k]] += p.value[k];
    const auto it = of.find(std::string(p.cols.name(p.col[k])));
    if (it != of.end()) erb[p.row[k] * static_cast<std::size_t>(nb) + static_cast<std::size_t>(it->second)] += p.value[k];
  }
  double e = 0;
  for (double v : er) e += v;
  std::vector<BlockLocation> out;
  for (std::int64_t b = 0; b < nb; ++b) {
    BlockLocation loc;
    loc.block = b;
    for (std::size_t r = 0; r < R; ++r) loc.employment += erb[r * static_cast<std::size_t>(nb) + static_cast<std::size_t>(b)];
    if (!(loc.employment > 0) || !(e > 0)) {
      loc.location_class = "none";
      out.push_back(std::move(loc));
      continue;
    }
    for (std::size_t r = 0; r < R; ++r) {
      const double x = erb[r * static_cast<std::size_t>(nb) + static_cast<std::size_t>(b)];
      loc.hoover += 0.5 * std::abs(x / loc.employment - er[r] / e);
      const double lq = er[r] > 0 ? (x / er[r]) / (loc.employment / e) : 0.0;
      const std::string name(p.rows.name(static_cast<std::uint32_t>(r)));
      loc.lq.emplace_back(name, lq);
      if (lq > loc.top_lq) {
        loc.top_lq = lq;
        loc.top_region = name;
      }
    }
    loc.location_class = loc.hoover >= colocated ? "cluster" : "national";
    out.push_back(std::move(loc));
  }
  return out;
}

}  // namespace agglo::structure
