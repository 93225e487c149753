// A multi-level actor network (the IMP network approach and Schüßler, Decker & Lerch (2013)): organisations in cluster initiatives,
// initiatives linked into a cluster network.
//
// Each of G initiatives ("communities") has n organisations: one cluster organisation, one or
// two universities, a research institute, a government agency, an investor, the rest firms
// (20 % of them large). Ties are a stochastic block model: inside an initiative with
// probability p_in = 6/(n−1) (mean internal degree ≈ 6), across with p_out = 0.3/(N−n).
// Planted brokers: every cluster organisation ties to half its members (it administers the
// initiative) and to the cluster organisations of two other initiatives (inter-cluster
// level); one firm per initiative is a bridging firm with four ties into other initiatives.
// Ties carry a type (collaboration, supply, trust, funding), a weight 1–5 and a level
// (organisation, cluster, inter-cluster).
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "detail/parts.hpp"

namespace agglo::synth::detail {

void generate_network(const SynthConfig& cfg, std::uint64_t seed, const std::vector<County>& counties,
                      const RegionalTruth& rt, std::vector<std::pair<std::string, data::Table>>& tables,
                      Json& truth) {
  const std::size_t G = cfg.network_clusters, n = cfg.network_orgs_per_cluster;
  const std::size_t N = G * n;
  std::vector<std::string> id(N), type(N), group(N), cluster(N), region(N);
  std::vector<int> broker(N, 0);
  for (std::size_t g = 0; g < G; ++g) {
    core::Stream rng(seed, core::stream_id("network nodes"), g);
    const std::size_t c = rt.cluster_ids.empty() ? 0 : g % rt.cluster_ids.size();
    const std::string cname = rt.cluster_names.empty() ? fmt::format("cluster {}", g + 1)
                                                       : fmt::format("{} #{}", rt.cluster_names[c], g / std::max<std::size_t>(1, rt.cluster_ids.size()) + 1);
    const std::string reg = rt.hubs.empty() || rt.hubs[c].empty() ? "" : counties[rt.hubs[c][0]].fips;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t v = g * n + k;
      id[v] = fmt::format("o{}", v + 1);
      if (k == 0) type[v] = "cluster_organisation";
      else if (k == 1) type[v] = "university";
      else if (k == 2) type[v] = rng.bernoulli(0.5) ? "university" : "research_institute";
      else if (k == 3) type[v] = "government";
      else if (k == 4) type[v] = "investor";
      else type[v] = rng.bernoulli(0.2) ? "large_firm" : "sme";
      group[v] = fmt::format("g{}", g + 1);
      cluster[v] = cname;
      region[v] = reg;
    }
    broker[g * n] = 1;          // the cluster organisation
    broker[g * n + 5 % n] = 2;  // the bridging firm
  }
  std::set<std::pair<std::size_t, std::size_t>> seen;
  data::Table edges;
  auto& src = edges.add_text("source");
  auto& dst = edges.add_text("target");
  auto& w = edges.add_real("weight");
  auto& et = edges.add_text("type");
  auto& lv = edges.add_text("level");
  const char* types[] = {"collaboration", "supply", "trust", "funding"};
  auto add = [&](core::Stream& rng, std::size_t a, std::size_t b, const char* level) {
    if (a == b) return;
    auto key = std::minmax(a, b);
    if (!seen.insert({key.first, key.second}).second) return;
    src.push_back(id[a]);
    dst.push_back(id[b]);
    w.push_back(static_cast<double>(1 + rng.below(5)));
    et.push_back(types[rng.below(4)]);
    lv.push_back(level);
  };
  const double p_in = n > 1 ? std::min(1.0, 6.0 / static_cast<double>(n - 1)) : 0.0;
  const double p_out = N > n ? 0.3 / static_cast<double>(N - n) : 0.0;
  for (std::size_t g = 0; g < G; ++g) {
    core::Stream rng(seed, core::stream_id("network ties"), g);
    for (std::size_t a = g * n; a < (g + 1) * n; ++a) {
      // Inside the initiative: geometric skipping would be faster, but n is small.
      for (std::size_t b = a + 1; b < (g + 1) * n; ++b)
        if (rng.uniform() < p_in) add(rng, a, b, "organisation");
      // Across initiatives: the expected count p_out·(N−n) is tiny, so draw it directly.
      const auto k = rng.poisson(p_out * static_cast<double>(N - n));
      for (std::uint64_t t = 0; t < k; ++t) {
        const std::size_t b = rng.below(N);
        if (b / n != g) add(rng, a, b, "inter-cluster");
      }
    }
    const std::size_t org = g * n;
    for (std::size_t k = 1; k < n; ++k)
      if (k % 2 == 1) add(rng, org, g * n + k, "cluster");
    if (G > 1)
      for (std::size_t s = 1; s <= std::min<std::size_t>(2, G - 1); ++s)
        add(rng, org, ((g + s) % G) * n, "inter-cluster");
    if (n > 5 && G > 1)
      for (int t = 0; t < 4; ++t) {
        const std::size_t other = (g + 1 + rng.below(G - 1)) % G;
        add(rng, g * n + 5, other * n + 1 + rng.below(n - 1), "inter-cluster");
      }
  }
  data::Table nodes;
  nodes.add_text("id", id);
  nodes.add_text("type", type);
  nodes.add_text("group", group);
  nodes.add_text("cluster", cluster);
  nodes.add_text("region", region);
  data::Table tn;
  tn.add_text("id", id);
  tn.add_text("community", group);
  auto& br = tn.add_text("broker");
  for (int b : broker) br.push_back(b == 1 ? "cluster_organisation" : b == 2 ? "bridging_firm" : "");
  const auto n_edges = src.size();
  tables.emplace_back("nodes", std::move(nodes));
  tables.emplace_back("edges", std::move(edges));
  tables.emplace_back("truth_network", std::move(tn));
  truth["network"] = {{"communities", G}, {"organisations_per_community", n}, {"nodes", N},
                      {"edges", n_edges}, {"p_in", p_in}, {"p_out", p_out},
                      {"brokers", "one cluster organisation and one bridging firm per community; see truth_network.csv"}};
}

}  // namespace agglo::synth::detail
