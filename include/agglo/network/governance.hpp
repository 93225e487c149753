// agglo::network — governance diagnosis of a (cluster) network after Provan & Kenis (2008),
// "Modes of network governance", J. Public Administration Research and Theory 18: 229–252,
// applied to cluster networks as in Schüßler, Decker & Lerch (2013) (networks of clusters, internally vs externally
// governed).
//
// Provan & Kenis name three forms and the contingencies under which each is effective (their
// Table 2):
//
//   form                                    trust density       participants  goal consensus   need for network-level competencies
//   shared participant governance           high                few           high             low
//   lead organisation                       low, centralised    moderate      moderately low   moderate
//   network administrative organisation     moderate            moderate–many moderately high  high
//
// The form the network HAS is read from its structure:
//   1. NAO when an organisation outside every member cluster (or, without clusters, one whose
//      type is an administrative type) lies on at least `nao_share` of the cross-cluster
//      geodesics (multilevel.hpp, X(v)) — a central inter-cluster administrative organisation;
//   2. otherwise lead organisation when the inter-cluster tie graph is centralised (Freeman
//      degree centralization ≥ `lead_centralization`) around a member organisation;
//   3. otherwise shared participant governance.
// Schüßler, Decker & Lerch's (2013) two forms follow: an NAO (external broker plus decentralised leads) is an
// EXTERNALLY governed cluster network; shared governance or an internal lead organisation is
// INTERNALLY governed.
//
// The form the contingencies SUGGEST is a vote of the four contingencies, each measured from
// data where possible and classed by cut-offs (all options):
//   trust density        share of cluster pairs joined by at least one trust tie (without
//                        clusters: density of the trust ties among all nodes);
//                        ≥ trust_high → shared, < trust_low → lead organisation, else NAO;
//   participants         number of organisations; ≤ participants_few → shared,
//                        ≥ participants_many → NAO, else lead organisation;
//   goal consensus       from a goal-rating table: 1 − mean over goals of (standard deviation of
//                        the ratings / half the rating range); ≥ consensus_high → shared,
//                        < consensus_low → lead organisation, else NAO; not voted without a table;
//   network-level competencies  share of the ties leaving a cluster (across + external) that are
//                        joint-project ties (types in project_types): joint projects across
//                        clusters need competences at the network level (Schüßler, Decker & Lerch 2013, 4.2.2);
//                        ≥ competence_high → NAO, < competence_low → shared, else lead org.
// The form with most votes is suggested; on a tie every tied form is named.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "agglo/network/graph.hpp"
#include "agglo/network/multilevel.hpp"

namespace agglo::network {

struct GovernanceOptions {
  double nao_share = 0.3;
  double lead_centralization = 0.5;
  double trust_high = 0.75, trust_low = 0.35;
  std::int64_t participants_few = 50, participants_many = 200;
  double consensus_high = 0.8, consensus_low = 0.6;
  double competence_high = 0.4, competence_low = 0.15;
  std::vector<std::string> administrative_types = {"network_administrative_organisation"};
};

// Ratings of goals by participants (any numeric scale [scale_min, scale_max]).
struct GoalRatings {
  std::vector<std::string> goals;
  std::vector<std::vector<double>> ratings;  // per goal: the participants' ratings
  double scale_min = 1, scale_max = 5;
};

enum class GovernanceForm { shared, lead_organisation, nao };
const char* governance_form_name(GovernanceForm f);

struct GovernanceMeasure {
  std::string name;
  double value = 0;
  bool measured = true;
  std::string level;     // "high", "moderate", …
  std::string suggests;  // form name
  std::string rule;      // the cut-offs applied
};

struct GovernanceDiagnosis {
  GovernanceForm observed = GovernanceForm::shared;
  std::string observed_type;     // "internally governed" / "externally governed"
  std::string central_organisation;  // id of the top broker ("" when none)
  double central_share = 0;
  bool central_external = false;
  std::vector<GovernanceMeasure> contingencies;
  std::vector<GovernanceForm> suggested;  // one, or the tied forms
  std::string suggested_type;
  std::vector<std::string> reasoning;     // one sentence per step, printed by the CLI
};

// ids and type per node; tie_type per tie of g; levels from cluster_levels (clusters may be
// absent: n_clusters = 0, every node_cluster −1). goals may be null.
GovernanceDiagnosis diagnose_governance(const Graph& g, const std::vector<std::string>& ids,
                                        const std::vector<std::string>& node_type,
                                        const std::vector<std::string>& tie_type,
                                        const ClusterLevels& levels, const GoalRatings* goals,
                                        const std::vector<std::string>& trust_types,
                                        const std::vector<std::string>& project_types,
                                        const GovernanceOptions& options);

}  // namespace agglo::network
