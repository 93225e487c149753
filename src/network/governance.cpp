// Provan & Kenis (2008) governance diagnosis (rules and cut-offs in governance.hpp).
#include "agglo/network/governance.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "agglo/network/centrality.hpp"

namespace agglo::network {

const char* governance_form_name(GovernanceForm f) {
  switch (f) {
    case GovernanceForm::shared: return "shared participant governance";
    case GovernanceForm::lead_organisation: return "lead organisation";
    case GovernanceForm::nao: return "network administrative organisation";
  }
  return "";
}

namespace {

const char* governed(GovernanceForm f) {
  return f == GovernanceForm::nao ? "externally governed" : "internally governed";
}

bool in(const std::vector<std::string>& set, const std::string& x) {
  return std::find(set.begin(), set.end(), x) != set.end();
}

}  // namespace

GovernanceDiagnosis diagnose_governance(const Graph& g, const std::vector<std::string>& ids,
                                        const std::vector<std::string>& node_type,
                                        const std::vector<std::string>& tie_type,
                                        const ClusterLevels& L, const GoalRatings* goals,
                                        const std::vector<std::string>& trust_types,
                                        const std::vector<std::string>& project_types,
                                        const GovernanceOptions& o) {
  GovernanceDiagnosis d;
  auto say = [&](std::string s) { d.reasoning.push_back(std::move(s)); };
  const bool clustered = L.n_clusters > 0;

  // ---- The form the network has -------------------------------------------------------------
  if (clustered) {
    say(fmt::format("The network has {} organisations in {} member clusters; {} ties inside clusters, {} across "
                    "clusters and {} with organisations outside the clusters.",
                    g.n, L.n_clusters, L.ties_inside, L.ties_across, L.ties_external));
    if (L.top_broker >= 0) {
      d.central_organisation = ids[static_cast<std::size_t>(L.top_broker)];
      d.central_share = L.top_share;
      d.central_external = L.node_cluster[static_cast<std::size_t>(L.top_broker)] < 0;
      say(fmt::format("The central broker of cross-cluster ties is {} ({}), on {:.1f}% of the cross-cluster "
                      "shortest paths.",
                      d.central_organisation, d.central_external ? "outside the member clusters" : "a member organisation",
                      100 * d.central_share));
    }
    if (L.top_external_broker >= 0 && L.top_external_share >= o.nao_share) {
      d.observed = GovernanceForm::nao;
      say(fmt::format("{} lies outside every member cluster and brokers {:.1f}% ≥ {:.1f}% (--nao-share) of the "
                      "cross-cluster paths: a central inter-cluster administrative organisation, i.e. a network "
                      "administrative organisation (NAO).",
                      ids[static_cast<std::size_t>(L.top_external_broker)], 100 * L.top_external_share, 100 * o.nao_share));
    } else {
      if (L.top_external_broker >= 0)
        say(fmt::format("The most central organisation outside the clusters, {}, brokers only {:.1f}% < {:.1f}% "
                        "(--nao-share) of the cross-cluster paths: no network administrative organisation.",
                        ids[static_cast<std::size_t>(L.top_external_broker)], 100 * L.top_external_share,
                        100 * o.nao_share));
      else
        say("No organisation lies outside the member clusters: no network administrative organisation.");
      if (L.inter_cluster_centralization >= o.lead_centralization) {
        d.observed = GovernanceForm::lead_organisation;
        say(fmt::format("The inter-cluster tie graph ({} organisations) has degree centralization {:.3f} ≥ {:.3f} "
                        "(--lead-centralization): one member organisation leads.",
                        L.inter_cluster_nodes, L.inter_cluster_centralization, o.lead_centralization));
      } else {
        d.observed = GovernanceForm::shared;
        say(fmt::format("The inter-cluster tie graph ({} organisations) has degree centralization {:.3f} < {:.3f} "
                        "(--lead-centralization): governance is shared among the participants.",
                        L.inter_cluster_nodes, L.inter_cluster_centralization, o.lead_centralization));
      }
    }
  } else {
    std::vector<double> deg(g.n);
    for (std::uint32_t v = 0; v < g.n; ++v) deg[v] = static_cast<double>(g.nb(v).size());
    const double cz = g.n >= 3 ? degree_centralization(deg, false) : 0.0;
    const auto top = static_cast<std::size_t>(std::max_element(deg.begin(), deg.end()) - deg.begin());
    d.central_organisation = g.n ? ids[top] : "";
    d.central_share = cz;
    d.central_external = g.n && in(o.administrative_types, node_type[top]);
    say(fmt::format("No cluster attribute: the whole network is one level of {} organisations; degree "
                    "centralization {:.3f}, most central {} (type '{}').",
                    g.n, cz, d.central_organisation, g.n ? node_type[top] : ""));
    if (cz >= o.lead_centralization && d.central_external) {
      d.observed = GovernanceForm::nao;
      say(fmt::format("Centralization ≥ {:.3f} around an administrative organisation: NAO.", o.lead_centralization));
    } else if (cz >= o.lead_centralization) {
      d.observed = GovernanceForm::lead_organisation;
      say(fmt::format("Centralization ≥ {:.3f} around a participant: lead organisation.", o.lead_centralization));
    } else {
      d.observed = GovernanceForm::shared;
      say(fmt::format("Centralization < {:.3f}: shared participant governance.", o.lead_centralization));
    }
  }
  d.observed_type = governed(d.observed);
  say(fmt::format("Form observed: {} → {} (Schüßler, Decker & Lerch 2013: an NAO with decentralised leads governs externally; shared "
                  "or internal lead governance is internal).",
                  governance_form_name(d.observed), d.observed_type));

  // ---- The forms the contingencies suggest --------------------------------------------------
  int votes[3] = {0, 0, 0};
  auto vote = [&](GovernanceMeasure m, GovernanceForm f) {
    m.suggests = governance_form_name(f);
    ++votes[static_cast<int>(f)];
    say(fmt::format("{} = {:.4g} ({}; {}) → {}.", m.name, m.value, m.level, m.rule, m.suggests));
    d.contingencies.push_back(std::move(m));
  };
  // Trust density.
  {
    GovernanceMeasure m;
    if (clustered && L.n_clusters > 1) {
      m.name = "trust density (cluster pairs with a trust tie)";
      m.value = L.cluster_trust_density;
    } else {
      std::size_t t = 0;
      for (std::size_t k = 0; k < g.edges(); ++k) t += in(trust_types, tie_type[k]);
      const double nn = static_cast<double>(g.n);
      m.name = "trust density (trust ties / node pairs)";
      m.value = g.n > 1 ? static_cast<double>(t) / (nn * (nn - 1) / (g.directed ? 1 : 2)) : 0.0;
    }
    m.rule = fmt::format("high ≥ {}, low < {}", o.trust_high, o.trust_low);
    if (m.value >= o.trust_high) { m.level = "high"; vote(m, GovernanceForm::shared); }
    else if (m.value < o.trust_low) { m.level = "low"; vote(m, GovernanceForm::lead_organisation); }
    else { m.level = "moderate"; vote(m, GovernanceForm::nao); }
  }
  // Participants.
  {
    GovernanceMeasure m;
    m.name = "participants (organisations)";
    m.value = static_cast<double>(g.n);
    m.rule = fmt::format("few ≤ {}, many ≥ {}", o.participants_few, o.participants_many);
    if (m.value <= static_cast<double>(o.participants_few)) { m.level = "few"; vote(m, GovernanceForm::shared); }
    else if (m.value >= static_cast<double>(o.participants_many)) { m.level = "many"; vote(m, GovernanceForm::nao); }
    else { m.level = "moderate"; vote(m, GovernanceForm::lead_organisation); }
  }
  // Goal consensus.
  {
    GovernanceMeasure m;
    m.name = "goal consensus";
    if (goals && !goals->goals.empty()) {
      const double half = (goals->scale_max - goals->scale_min) / 2;
      double sum = 0;
      std::size_t k = 0;
      for (const auto& r : goals->ratings) {
        if (r.empty()) continue;
        double mean = 0;
        for (double x : r) mean += x;
        mean /= static_cast<double>(r.size());
        double var = 0;
        for (double x : r) var += (x - mean) * (x - mean);
        var /= static_cast<double>(r.size());
        sum += half > 0 ? std::sqrt(var) / half : 0.0;
        ++k;
      }
      m.value = k ? 1.0 - sum / static_cast<double>(k) : 0.0;
      m.rule = fmt::format("high ≥ {}, moderately low < {}", o.consensus_high, o.consensus_low);
      if (m.value >= o.consensus_high) { m.level = "high"; vote(m, GovernanceForm::shared); }
      else if (m.value < o.consensus_low) { m.level = "moderately low"; vote(m, GovernanceForm::lead_organisation); }
      else { m.level = "moderately high"; vote(m, GovernanceForm::nao); }
    } else {
      m.measured = false;
      m.value = std::nan("");
      m.level = "not measured";
      m.rule = "no goal-rating table (--goals)";
      say("goal consensus: not measured (no --goals table), not voted.");
      d.contingencies.push_back(std::move(m));
    }
  }
  // Need for network-level competencies.
  {
    GovernanceMeasure m;
    m.name = "need for network-level competencies (joint-project share of ties leaving a cluster)";
    std::size_t leaving = 0, project = 0;
    for (std::size_t k = 0; k < g.edges(); ++k) {
      const auto cu = L.node_cluster.empty() ? -1 : L.node_cluster[g.source[k]];
      const auto cv = L.node_cluster.empty() ? -1 : L.node_cluster[g.target[k]];
      const bool leaves = clustered ? !(cu >= 0 && cu == cv) : true;
      if (!leaves) continue;
      ++leaving;
      project += in(project_types, tie_type[k]);
    }
    m.value = leaving ? static_cast<double>(project) / static_cast<double>(leaving) : 0.0;
    m.rule = fmt::format("high ≥ {}, low < {}", o.competence_high, o.competence_low);
    if (m.value >= o.competence_high) { m.level = "high"; vote(m, GovernanceForm::nao); }
    else if (m.value < o.competence_low) { m.level = "low"; vote(m, GovernanceForm::shared); }
    else { m.level = "moderate"; vote(m, GovernanceForm::lead_organisation); }
  }
  const int best = std::max({votes[0], votes[1], votes[2]});
  std::string names;
  for (int f = 0; f < 3; ++f)
    if (votes[f] == best) {
      d.suggested.push_back(static_cast<GovernanceForm>(f));
      names += (names.empty() ? "" : " or ") + std::string(governance_form_name(static_cast<GovernanceForm>(f)));
    }
  bool any_nao = false, any_internal = false;
  for (auto f : d.suggested) (f == GovernanceForm::nao ? any_nao : any_internal) = true;
  d.suggested_type = any_nao && any_internal ? "undecided" : any_nao ? "externally governed" : "internally governed";
  say(fmt::format("Votes: shared {}, lead organisation {}, NAO {} → the contingencies suggest {} ({}).", votes[0],
                  votes[1], votes[2], names, d.suggested_type));
  if (d.suggested.size() == 1 && d.suggested[0] == d.observed)
    say("The observed form fits its contingencies.");
  else if (std::find(d.suggested.begin(), d.suggested.end(), d.observed) != d.suggested.end())
    say("The observed form is among the suggested ones.");
  else
    say("The observed form differs from the suggested one: Provan & Kenis expect it to be less effective, or "
        "under pressure to change.");
  return d;
}

}  // namespace agglo::network
