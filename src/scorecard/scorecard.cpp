// Cluster scorecards: criteria from data and peer benchmarking
// (include/agglo/scorecard/scorecard.hpp; definitions in docs/methods/scorecard.md).
#include "agglo/scorecard/scorecard.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <tuple>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

#include "agglo/complexity/rca.hpp"
#include "agglo/core/error.hpp"
#include "agglo/stats/descriptive.hpp"

namespace agglo::scorecard {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::vector<double> numeric(const data::Table& t, const char* name) {
  const auto* c = t.find(name);
  std::vector<double> v;
  if (!c) return v;
  if (c->is_real()) return std::get<data::RealColumn>(c->values);
  if (c->is_integer())
    for (auto x : std::get<data::IntColumn>(c->values)) v.push_back(static_cast<double>(x));
  return v;
}

// "Biopharmaceuticals #2" → "Biopharmaceuticals": an initiative's number after the cluster.
std::string cluster_key(const std::string& s) {
  const auto p = s.rfind(" #");
  return p == std::string::npos ? s : s.substr(0, p);
}

bool is_firm(const std::string& t) { return t == "firm" || t == "sme" || t == "large_firm" || t == "company" || t == "enterprise"; }
bool is_research(const std::string& t) { return t == "university" || t == "research_institute" || t == "research" || t == "rto"; }
bool is_support(const std::string& t) {
  return t == "government" || t == "cluster_organisation" || t == "university" || t == "research_institute" || t == "incubator" ||
         t == "accelerator" || t == "agency" || t == "chamber";
}
}  // namespace

const std::vector<CatalogueEntry>& catalogue() {
  static const std::vector<CatalogueEntry> c{
      {"Economic Impact", "Export Performance", "--exports with location = region and product = industry codes of the clusters"},
      {"Economic Impact", "Employment Levels", "--employment (region,industry,employment)"},
      {"Economic Impact", "Business Density", "establishments (the employment file's establishments column or --establishments) and --regions with area_km2"},
      {"Innovation and Collaboration", "Collaboration on Innovation", "--nodes/--edges with firms and universities or research institutes (node type) placed by region and cluster"},
      {"Innovation and Collaboration", "R&D Intensity", "--establishments with rnd (and sales) columns"},
      {"Innovation and Collaboration", "Patents and Intellectual Property", "--establishments with a patents column"},
      {"Innovation and Collaboration", "Knowledge Sharing", "--nodes/--edges placed by region and cluster (ties among the cluster's actors)"},
      {"Innovation and Collaboration", "Joint Ventures and Partnerships", "--edges with type joint_venture, partnership or alliance"},
      {"Network and Linkages", "Business Linkages", "--nodes/--edges with firm nodes (type sme, large_firm or firm)"},
      {"Network and Linkages", "Supplier Network Density", "--edges with type supply between the cluster's actors"},
      {"Support Structures", "Institutional Support", "--nodes with support institutions (government, cluster_organisation, university, research_institute, incubator)"},
      {"Support Structures", "Policy and Regulatory Support", "a policy register or survey items on regulation (no input of agglo carries it yet)"},
      {"Support Structures", "Funding Access", "--edges with type funding (or investor nodes) placed by region and cluster"},
      {"Human Capital", "Talent Attraction and Retention", "--employment with a wages column (wage premium)"},
      {"Human Capital", "Skill Levels", "occupation or education data by region and industry (no input of agglo carries it yet)"},
      {"Market and Business Environment", "Market Reach and Access", "exports by destination (a partner column; not in agglo's exports schema yet)"},
      {"Market and Business Environment", "Industry Diversity", "--employment with the cluster's member industries"},
  };
  return c;
}

ScorecardData compute_metrics(const ScorecardInput& in) {
  ScorecardData d;
  const auto& E = in.employment;
  const std::size_t R = E.regions.size();
  d.regions = E.regions;
  d.clusters = in.definitions.names;
  const std::size_t C = d.clusters.size();

  clusters::ClusterMapInput mi;
  mi.employment = in.employment;
  mi.establishments = in.establishments;
  mi.wages = in.wages;
  mi.employment_from = in.employment_from;
  mi.growth_years = in.growth_years;
  // One level: every region is compared with all regions (region types only group peers).
  const auto map = clusters::cluster_map(mi, in.definitions, in.map_params);
  for (const auto& w : map.warnings) d.warnings.push_back(w);
  const auto& cells = map.cells;
  const auto& creg = std::get<data::TextColumn>(cells.at("region").values);
  const auto& cclu = std::get<data::TextColumn>(cells.at("cluster").values);
  const auto emp = numeric(cells, "employment");
  const auto lq = numeric(cells, "lq");
  const auto strong = numeric(cells, "strong");
  const auto stars = numeric(cells, "stars");
  const auto cagr = numeric(cells, "cagr");
  const auto wage_pe = numeric(cells, "wage_per_employee");
  const auto est = numeric(cells, "establishments");
  std::unordered_map<std::string, std::uint32_t> rix, cix;
  for (std::size_t r = 0; r < R; ++r) rix.emplace(E.regions[r], static_cast<std::uint32_t>(r));
  for (std::size_t c = 0; c < C; ++c) cix.emplace(d.clusters[c], static_cast<std::uint32_t>(c));
  const std::size_t N = cells.rows();
  d.cells.reserve(N);
  std::vector<std::int64_t> cell_of(R * C, -1);
  for (std::size_t k = 0; k < N; ++k) {
    const auto r = rix.at(creg[k]), c = cix.at(cclu[k]);
    cell_of[r * C + c] = static_cast<std::int64_t>(d.cells.size());
    d.cells.emplace_back(r, c);
  }
  auto add = [&](Criterion cr, std::vector<double> v) {
    d.criteria.push_back(std::move(cr));
    d.values.push_back(std::move(v));
  };
  auto missing = [&](const std::string& criterion, const std::string& why = {}) {
    for (const auto& e : catalogue())
      if (e.criterion == criterion) {
        d.missing.emplace_back(criterion, why.empty() ? e.needs : why + "; needs " + e.needs);
        return;
      }
    d.missing.emplace_back(criterion, why);
  };

  // Economic Impact
  add({"Employment Levels", "Economic Impact", "employment", "jobs in the cluster's industries in the region, E_rc", "jobs", 1,
       "employment"},
      emp);
  if (!cagr.empty())
    add({"Employment Growth", "Economic Impact", "employment_cagr",
         fmt::format("compound annual growth of E_rc over {} year(s) (derived: the catalogue's 'number of jobs created')", in.growth_years),
         "per year", 1, "employment (two years)"},
        cagr);

  if (in.exports) {
    // Region × cluster exports: products are industry codes, summed into their clusters; RCA
    // by complexity::rca (Balassa 1965) on that matrix.
    std::unordered_map<std::string, std::uint32_t> cluster_of_industry;
    for (std::size_t i = 0; i < in.definitions.industries.size(); ++i)
      cluster_of_industry.emplace(in.definitions.industries[i], in.definitions.cluster_of[i]);
    complexity::ExportMatrix xm;
    xm.locations = E.regions;
    xm.products = d.clusters;
    xm.values = data::DenseMatrix(R, C, 0.0);
    std::size_t matched = 0;
    for (std::size_t k = 0; k < in.exports->size(); ++k) {
      const auto loc = rix.find(std::string(in.exports->rows.name(in.exports->row[k])));
      const auto cl = cluster_of_industry.find(std::string(in.exports->cols.name(in.exports->col[k])));
      if (loc == rix.end() || cl == cluster_of_industry.end() || !std::isfinite(in.exports->value[k])) continue;
      xm.values(loc->second, cl->second) += in.exports->value[k];
      ++matched;
    }
    if (matched == 0) {
      missing("Export Performance", "no export row has a location of the employment regions and a product among the clusters' industries");
    } else {
      const auto rc = complexity::rca(xm);
      std::vector<double> v(N, nan);
      for (std::size_t k = 0; k < N; ++k) v[k] = rc.rca(d.cells[k].first, d.cells[k].second);
      add({"Export Performance", "Economic Impact", "export_rca",
           "revealed comparative advantage of the region in the cluster's products, (X_rc/X_r)/(X_c/X) (Balassa 1965)", "ratio", 1,
           "exports"},
          std::move(v));
    }
  } else {
    missing("Export Performance");
  }

  // Business density: establishments per km² of the region.
  {
    std::vector<double> n_est(N, nan);
    std::string src;
    if (!est.empty()) {
      n_est = est;
      src = "employment (establishments column)";
    } else if (in.plants && !in.plants->region.empty()) {
      std::unordered_map<std::string, std::uint32_t> cluster_of_industry;
      for (std::size_t i = 0; i < in.definitions.industries.size(); ++i)
        cluster_of_industry.emplace(in.definitions.industries[i], in.definitions.cluster_of[i]);
      std::vector<double> cnt(N, 0.0);
      for (std::size_t p = 0; p < in.plants->size(); ++p) {
        const auto r = rix.find(std::string(in.plants->region_codes.name(in.plants->region[p])));
        const auto c = cluster_of_industry.find(std::string(in.plants->industry_codes.name(in.plants->industry[p])));
        if (r == rix.end() || c == cluster_of_industry.end()) continue;
        const auto k = cell_of[r->second * C + c->second];
        if (k >= 0) cnt[static_cast<std::size_t>(k)] += 1;
      }
      n_est = cnt;
      src = "establishments";
    }
    const bool have_area = !in.area_km2.empty() && std::any_of(in.area_km2.begin(), in.area_km2.end(), [](double a) { return a > 0; });
    if (src.empty()) missing("Business Density");
    else if (!have_area) missing("Business Density", "the regions' areas are unknown");
    else {
      std::vector<double> v(N, nan);
      for (std::size_t k = 0; k < N; ++k) {
        const double a = in.area_km2[d.cells[k].first];
        if (a > 0 && std::isfinite(n_est[k])) v[k] = n_est[k] / a;
      }
      add({"Business Density", "Economic Impact", "establishments_per_km2", "the cluster's establishments per km² of the region",
           "establishments/km²", 1, src + " and regions (area_km2)"},
          std::move(v));
    }
  }

  // Innovation from establishment attributes: R&D intensity and patents.
  if (in.plants && !in.plants->region.empty() && (!in.plants->rnd.empty() || !in.plants->patents.empty())) {
    std::unordered_map<std::string, std::uint32_t> cluster_of_industry;
    for (std::size_t i = 0; i < in.definitions.industries.size(); ++i)
      cluster_of_industry.emplace(in.definitions.industries[i], in.definitions.cluster_of[i]);
    std::vector<double> rnd(N, 0.0), sales(N, 0.0), pat(N, 0.0), emp_p(N, 0.0);
    for (std::size_t p = 0; p < in.plants->size(); ++p) {
      const auto r = rix.find(std::string(in.plants->region_codes.name(in.plants->region[p])));
      const auto c = cluster_of_industry.find(std::string(in.plants->industry_codes.name(in.plants->industry[p])));
      if (r == rix.end() || c == cluster_of_industry.end()) continue;
      const auto k = cell_of[r->second * C + c->second];
      if (k < 0) continue;
      const auto ku = static_cast<std::size_t>(k);
      auto val = [&](const std::vector<double>& v) { return v.empty() || !std::isfinite(v[p]) ? 0.0 : v[p]; };
      rnd[ku] += val(in.plants->rnd);
      sales[ku] += val(in.plants->sales);
      pat[ku] += val(in.plants->patents);
      emp_p[ku] += val(in.plants->employees);
    }
    if (!in.plants->rnd.empty()) {
      const bool by_sales = !in.plants->sales.empty();
      std::vector<double> v(N, nan);
      for (std::size_t k = 0; k < N; ++k) {
        const double den = by_sales ? sales[k] : emp_p[k];
        if (den > 0) v[k] = by_sales ? 100 * rnd[k] / den : rnd[k] / den;
      }
      add({"R&D Intensity", "Innovation and Collaboration", by_sales ? "rnd_share_of_sales" : "rnd_per_employee",
           by_sales ? "R&D spending as a percentage of the sales of the cluster's establishments"
                    : "R&D spending per employee of the cluster's establishments",
           by_sales ? "%" : "currency/employee", 1, "establishments (rnd" + std::string(by_sales ? ", sales)" : ", employees)")},
          std::move(v));
    } else {
      missing("R&D Intensity");
    }
    if (!in.plants->patents.empty()) {
      std::vector<double> v(N, nan);
      for (std::size_t k = 0; k < N; ++k)
        if (emp_p[k] > 0) v[k] = 1000 * pat[k] / emp_p[k];
      add({"Patents and Intellectual Property", "Innovation and Collaboration", "patents_per_1000_employees",
           "patents of the cluster's establishments per 1,000 employees", "patents/1,000 jobs", 1, "establishments (patents, employees)"},
          std::move(v));
    } else {
      missing("Patents and Intellectual Property");
    }
  } else {
    missing("R&D Intensity");
    missing("Patents and Intellectual Property");
  }

  // Network criteria: actors placed in a region-cluster by their region and cluster attributes.
  const char* network_criteria[] = {"Collaboration on Innovation", "Knowledge Sharing", "Joint Ventures and Partnerships",
                                    "Business Linkages", "Supplier Network Density", "Institutional Support", "Funding Access"};
  bool placed_any = false;
  if (in.network && in.network->nodes() > 0) {
    const auto& net = *in.network;
    std::unordered_map<std::string, std::uint32_t> ckey;
    for (std::size_t c = 0; c < C; ++c) ckey.emplace(d.clusters[c], static_cast<std::uint32_t>(c));
    std::vector<std::int64_t> node_cell(net.nodes(), -1);
    for (std::size_t v = 0; v < net.nodes(); ++v) {
      if (net.region.empty() || net.cluster.empty()) break;
      const auto r = rix.find(net.region[v]);
      auto c = ckey.find(net.cluster[v]);
      if (c == ckey.end()) c = ckey.find(cluster_key(net.cluster[v]));
      if (r == rix.end() || c == ckey.end()) continue;
      node_cell[v] = cell_of[r->second * C + c->second];
      placed_any = placed_any || node_cell[v] >= 0;
    }
    if (placed_any) {
      std::vector<double> firms(N, 0), actors(N, 0), support(N, 0), investors(N, 0);
      std::vector<double> firm_research(N, 0), ties(N, 0), jv(N, 0), firm_firm(N, 0), supply(N, 0), funding(N, 0);
      bool any_jv = false, any_supply = false, any_funding = false, any_research = false, any_firm = false;
      for (std::size_t v = 0; v < net.nodes(); ++v) {
        if (node_cell[v] < 0) continue;
        const auto k = static_cast<std::size_t>(node_cell[v]);
        actors[k] += 1;
        const auto& t = net.type.empty() ? std::string() : net.type[v];
        if (is_firm(t)) {
          firms[k] += 1;
          any_firm = true;
        }
        if (is_support(t)) support[k] += 1;
        if (is_research(t)) any_research = true;
        if (t == "investor" || t == "venture_capital" || t == "bank") investors[k] += 1;
      }
      for (std::size_t e = 0; e < net.edges(); ++e) {
        const auto a = net.source[e], b = net.target[e];
        // A tie counts for a region-cluster when both ends belong to it.
        if (node_cell[a] < 0 || node_cell[a] != node_cell[b]) continue;
        const auto k = static_cast<std::size_t>(node_cell[a]);
        const auto& ta = net.type.empty() ? std::string() : net.type[a];
        const auto& tb = net.type.empty() ? std::string() : net.type[b];
        const auto& et = net.edge_type.empty() ? std::string() : net.edge_type[e];
        ties[k] += 1;
        if ((is_firm(ta) && is_research(tb)) || (is_firm(tb) && is_research(ta))) firm_research[k] += 1;
        if (is_firm(ta) && is_firm(tb)) firm_firm[k] += 1;
        if (et == "joint_venture" || et == "partnership" || et == "alliance") {
          jv[k] += 1;
          any_jv = true;
        }
        if (et == "supply") {
          supply[k] += 1;
          any_supply = true;
        }
        if (et == "funding") {
          funding[k] += 1;
          any_funding = true;
        }
      }
      auto per_firm = [&](const std::vector<double>& x) {
        std::vector<double> v(N, nan);
        for (std::size_t k = 0; k < N; ++k)
          if (firms[k] > 0) v[k] = x[k] / firms[k];
        return v;
      };
      if (any_firm && any_research)
        add({"Collaboration on Innovation", "Innovation and Collaboration", "firm_research_ties_per_firm",
             "ties between the cluster's firms and its universities or research institutes, per firm", "ties/firm", 1, "nodes, edges"},
            per_firm(firm_research));
      else
        missing("Collaboration on Innovation", "the network has no firm or no research node");
      {
        std::vector<double> v(N, nan);
        for (std::size_t k = 0; k < N; ++k)
          if (actors[k] >= 2) v[k] = 2 * ties[k] / (actors[k] * (actors[k] - 1));
        add({"Knowledge Sharing", "Innovation and Collaboration", "network_density",
             "density of the ties among the cluster's actors in the region, 2T/(n(n−1)) (Wasserman & Faust 1994)", "share of pairs", 1,
             "nodes, edges"},
            std::move(v));
      }
      if (any_jv)
        add({"Joint Ventures and Partnerships", "Innovation and Collaboration", "joint_venture_ties_per_firm",
             "joint-venture, partnership and alliance ties among the cluster's actors, per firm", "ties/firm", 1, "edges (type)"},
            per_firm(jv));
      else
        missing("Joint Ventures and Partnerships", "no edge has type joint_venture, partnership or alliance");
      if (any_firm)
        add({"Business Linkages", "Network and Linkages", "firm_firm_ties_per_firm", "ties between the cluster's firms, per firm",
             "ties/firm", 1, "nodes, edges"},
            per_firm(firm_firm));
      else
        missing("Business Linkages", "the network has no firm node");
      if (!in.io.empty())
        ;  // from the input–output table below
      else if (any_supply && any_firm)
        add({"Supplier Network Density", "Network and Linkages", "supply_ties_per_firm", "supply ties among the cluster's actors, per firm",
             "ties/firm", 1, "edges (type supply)"},
            per_firm(supply));
      else
        missing("Supplier Network Density", "no edge has type supply");
      if (any_firm) {
        std::vector<double> v(N, nan);
        for (std::size_t k = 0; k < N; ++k)
          if (firms[k] > 0) v[k] = 100 * support[k] / firms[k];
        add({"Institutional Support", "Support Structures", "support_institutions_per_100_firms",
             "government bodies, cluster organisations, universities, research institutes and incubators in the cluster, per 100 firms",
             "institutions/100 firms", 1, "nodes (type)"},
            std::move(v));
      } else {
        missing("Institutional Support", "the network has no firm node");
      }
      if (any_funding && any_firm)
        add({"Funding Access", "Support Structures", "funding_ties_per_firm", "funding ties of the cluster's actors, per firm", "ties/firm", 1,
             "edges (type funding)"},
            per_firm(funding));
      else
        missing("Funding Access", "no edge has type funding");
    }
  }
  if (!placed_any)
    for (const char* c : network_criteria)
      if (std::string(c) != "Supplier Network Density" || in.io.empty())
        missing(c, in.network ? "no actor's region and cluster match a region-cluster of the employment data" : "");
  if (!in.io.empty()) {
    // Local supplier coverage: a_jc = Σ_{i∈c} flow(j → i), the cluster's purchases from
    // industry j; coverage_rc = Σ_j a_jc [E_rj > 0] / Σ_j a_jc.
    std::unordered_map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < E.industries.size(); ++i) col.emplace(E.industries[i], i);
    std::unordered_map<std::string, std::uint32_t> cluster_of_industry;
    for (std::size_t i = 0; i < in.definitions.industries.size(); ++i)
      cluster_of_industry.emplace(in.definitions.industries[i], in.definitions.cluster_of[i]);
    std::vector<std::vector<std::pair<std::size_t, double>>> inputs(C);
    std::vector<double> total(C, 0.0);
    std::size_t matched = 0;
    for (const auto& f : in.io) {
      const auto c = cluster_of_industry.find(f.to);
      if (c == cluster_of_industry.end() || !(f.value > 0)) continue;
      total[c->second] += f.value;
      const auto j = col.find(f.from);
      if (j != col.end()) inputs[c->second].emplace_back(j->second, f.value);
      ++matched;
    }
    if (matched == 0) {
      missing("Supplier Network Density", "no flow of the input–output table goes into an industry of the clusters");
    } else {
      std::vector<double> v(N, nan);
      for (std::size_t k = 0; k < N; ++k) {
        const auto [r, c] = d.cells[k];
        if (!(total[c] > 0)) continue;
        double local = 0;
        for (const auto& [j, a] : inputs[c])
          if (E.values(r, j) > 0) local += a;
        v[k] = local / total[c];
      }
      add({"Supplier Network Density", "Network and Linkages", "local_supplier_coverage",
           "share of the cluster's intermediate inputs (input–output flows into its industries) made by industries present in "
           "the region",
           "share", 1, "io (from,to,value) and employment"},
          std::move(v));
    }
  }
  missing("Policy and Regulatory Support");

  // Human capital: wage premium over the cluster's national wage per employee.
  if (!wage_pe.empty()) {
    std::vector<double> wsum(C, 0), esum(C, 0);
    for (std::size_t k = 0; k < N; ++k)
      if (std::isfinite(wage_pe[k])) {
        wsum[d.cells[k].second] += wage_pe[k] * emp[k];
        esum[d.cells[k].second] += emp[k];
      }
    std::vector<double> v(N, nan);
    for (std::size_t k = 0; k < N; ++k) {
      const auto c = d.cells[k].second;
      if (std::isfinite(wage_pe[k]) && esum[c] > 0 && wsum[c] > 0) v[k] = wage_pe[k] / (wsum[c] / esum[c]);
    }
    add({"Talent Attraction and Retention", "Human Capital", "wage_premium",
         "wage per employee of the region-cluster over the cluster's wage per employee in all regions (attraction of skilled workers)",
         "ratio", 1, "employment (wages)"},
        std::move(v));
  } else {
    missing("Talent Attraction and Retention");
  }
  missing("Skill Levels");
  missing("Market Reach and Access");

  // Industry diversity: Shannon evenness of the cluster's employment over its industries.
  {
    std::unordered_map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < E.industries.size(); ++i) col.emplace(E.industries[i], i);
    std::vector<std::vector<std::size_t>> members(C);
    for (std::size_t i = 0; i < in.definitions.industries.size(); ++i) {
      const auto it = col.find(in.definitions.industries[i]);
      if (it != col.end()) members[in.definitions.cluster_of[i]].push_back(it->second);
    }
    std::vector<double> v(N, nan);
    for (std::size_t k = 0; k < N; ++k) {
      const auto [r, c] = d.cells[k];
      if (members[c].size() < 2) continue;
      double tot = 0, h = 0;
      for (auto i : members[c]) tot += E.values(r, i);
      if (!(tot > 0)) continue;
      for (auto i : members[c]) {
        const double s = E.values(r, i) / tot;
        if (s > 0) h -= s * std::log(s);
      }
      v[k] = h / std::log(static_cast<double>(members[c].size()));
    }
    add({"Industry Diversity", "Market and Business Environment", "industry_evenness",
         "Shannon entropy of the cluster's employment over its industries in the region, over ln(number of the cluster's industries) "
         "(Pielou 1966 evenness, 0–1)",
         "evenness 0–1", 1, "employment"},
        std::move(v));
  }

  // Derived indicators: the US Cluster Mapping Project's strong flag and ECO stars.
  add({"Cluster Strength (US CMP)", "Derived indicators", "strong_cmp",
       "1 when the region-cluster is strong by the US Cluster Mapping Project's rule (Delgado, Porter & Stern 2016), else 0", "0/1", 1,
       "employment (cluster-map)"},
      strong);
  add({"ECO Stars", "Derived indicators", "eco_stars",
       "European Cluster Observatory stars: size, specialisation, focus (and productivity with wages), 0–4 (ECO 2008)", "stars", 1,
       "employment (cluster-map)"},
      stars);

  // Peer-group attributes: size terciles of regional employment, LQ classes, region types.
  {
    const auto tot = E.values.row_sums();
    std::vector<double> sorted(tot.begin(), tot.end());
    std::sort(sorted.begin(), sorted.end());
    const double t1 = stats::quantile_sorted(sorted, 1.0 / 3), t2 = stats::quantile_sorted(sorted, 2.0 / 3);
    for (std::size_t k = 0; k < N; ++k) {
      const double t = tot[d.cells[k].first];
      d.size_class.push_back(t <= t1 ? "small" : t <= t2 ? "medium" : "large");
      d.lq_class.push_back(!std::isfinite(lq[k]) ? "" : lq[k] < 1 ? "lq<1" : lq[k] < 2 ? "lq1-2" : "lq>=2");
      d.region_type.push_back(in.region_type.empty() ? "" : in.region_type[d.cells[k].first]);
    }
  }
  return d;
}

ScorecardData initiative_metrics(const std::vector<InitiativeRow>& ini, const std::string& region) {
  ScorecardData d;
  d.regions = {region};
  std::vector<double> emp, prod, size;
  for (std::size_t i = 0; i < ini.size(); ++i) {
    d.clusters.push_back(ini[i].name);
    d.cells.emplace_back(0, static_cast<std::uint32_t>(i));
    emp.push_back(ini[i].employees);
    prod.push_back(ini[i].employees > 0 ? ini[i].sales / ini[i].employees : nan);
    size.push_back(ini[i].firms > 0 ? ini[i].employees / ini[i].firms : nan);
    d.size_class.emplace_back();
    d.lq_class.emplace_back();
    d.region_type.emplace_back();
  }
  d.criteria.push_back({"Employment Levels", "Economic Impact", "employees", "employees of the initiative's member firms", "jobs", 1,
                        "initiatives (employees)"});
  d.values.push_back(emp);
  d.criteria.push_back({"Productivity", "Economic Impact", "turnover_per_employee",
                        "sales per employee of the member firms (derived: the catalogue's 'quality of jobs' proxy)", "sales/employee", 1,
                        "initiatives (sales, employees)"});
  d.values.push_back(prod);
  d.criteria.push_back({"Average Firm Size", "Economic Impact", "employees_per_firm", "employees per member firm (derived)", "jobs/firm", 1,
                        "initiatives (firms, employees)"});
  d.values.push_back(size);
  for (const auto& e : catalogue())
    if (e.criterion != "Employment Levels")
      d.missing.emplace_back(e.criterion, e.criterion == "Business Density"
                                              ? "the initiatives' area; needs member establishments with their region's area_km2"
                                              : e.needs);
  d.across_clusters = true;
  d.warnings.push_back("the initiatives are compared with each other: every criterion's peers are the other initiatives");
  return d;
}

Benchmark benchmark(const ScorecardData& d, const BenchmarkParams& bp) {
  Benchmark b;
  auto& t = b.cards;
  auto& reg = t.add_text("region");
  auto& clu = t.add_text("cluster");
  auto& cri = t.add_text("criterion");
  auto& val = t.add_real("value");
  auto& pct = t.add_real("percentile");
  auto& ass = t.add_text("assessment");
  auto& cat = t.add_text("category");
  auto& met = t.add_text("metric");
  auto& uni = t.add_text("unit");
  auto& dir = t.add_integer("direction");
  auto& npe = t.add_integer("peers");
  auto& med = t.add_real("peer_median");
  auto& gmed = t.add_real("gap_to_median");
  auto& fro = t.add_real("frontier");
  auto& gfro = t.add_real("gap_to_frontier");
  auto& rob = t.add_integer("robust");
  auto& p = b.peers;
  auto& preg = p.add_text("region");
  auto& pclu = p.add_text("cluster");
  auto& pcri = p.add_text("criterion");
  auto& pgrp = p.add_text("peer_group");
  auto& pgv = p.add_text("group");
  auto& pn = p.add_integer("peers");
  auto& ppct = p.add_real("percentile");
  auto& pmed = p.add_real("peer_median");
  auto& pfro = p.add_real("frontier");
  auto& pass = p.add_text("assessment");

  const std::size_t N = d.cells.size();
  auto assess = [&](double pc, std::size_t n) -> std::string {
    if (n < bp.min_peers || !std::isfinite(pc)) return "neutral";
    return pc >= bp.strength ? "strength" : pc <= bp.weakness ? "weakness" : "neutral";
  };
  for (std::size_t k = 0; k < d.criteria.size(); ++k) {
    const auto& cr = d.criteria[k];
    const double dd = cr.direction;
    // Per cluster, per peer group: the directed values of the members.
    struct Group {
      std::vector<std::size_t> cells;
    };
    std::map<std::tuple<std::uint32_t, int, std::string>, Group> groups;  // (cluster, kind, value)
    const char* kinds[] = {"all", "size", "specialisation", "region_type"};
    auto key_of = [&](std::size_t cell, int kind) -> std::string {
      switch (kind) {
        case 0: return "all";
        case 1: return d.size_class[cell];
        case 2: return d.lq_class[cell];
        default: return d.region_type[cell];
      }
    };
    for (std::size_t c = 0; c < N; ++c) {
      if (!std::isfinite(d.values[k][c])) continue;
      for (int kind = 0; kind < 4; ++kind) {
        const auto g = key_of(c, kind);
        if (g.empty()) continue;
        groups[{d.across_clusters ? 0u : d.cells[c].second, kind, g}].cells.push_back(c);
      }
    }
    // Percentiles within each group.
    struct Stat {
      double percentile = nan, median = nan, frontier = nan;
      std::size_t n = 0;
    };
    std::vector<std::array<Stat, 4>> stat(N);
    for (const auto& [key, g] : groups) {
      std::vector<double> x;
      for (auto c : g.cells) x.push_back(dd * d.values[k][c]);
      const auto r = stats::average_ranks(x);
      const double med_d = stats::quantile(x, 0.5);
      const double best = *std::max_element(x.begin(), x.end());
      for (std::size_t j = 0; j < g.cells.size(); ++j) {
        auto& s = stat[g.cells[j]][static_cast<std::size_t>(std::get<1>(key))];
        s.n = g.cells.size();
        s.percentile = s.n > 1 ? 100 * (r[j] - 1) / static_cast<double>(s.n - 1) : nan;
        s.median = dd * med_d;
        s.frontier = dd * best;
      }
    }
    for (std::size_t c = 0; c < N; ++c) {
      const auto& s0 = stat[c][0];
      const double x = d.values[k][c];
      const std::string a = std::isfinite(x) ? assess(s0.percentile, s0.n) : "neutral";
      // Robust: the same assessment in every peer group with enough peers.
      // It needs at least one peer group besides "all" to be tested against.
      bool robust = a != "neutral";
      std::size_t tested = 0;
      for (int kind = 1; kind < 4 && robust; ++kind) {
        const auto& s = stat[c][static_cast<std::size_t>(kind)];
        if (s.n < bp.min_peers) continue;
        ++tested;
        if (assess(s.percentile, s.n) != a) robust = false;
      }
      robust = robust && tested > 0;
      reg.push_back(d.regions[d.cells[c].first]);
      clu.push_back(d.clusters[d.cells[c].second]);
      cri.push_back(cr.name);
      val.push_back(x);
      pct.push_back(std::isfinite(x) ? s0.percentile : nan);
      ass.push_back(a);
      cat.push_back(cr.category);
      met.push_back(cr.metric);
      uni.push_back(cr.unit);
      dir.push_back(cr.direction);
      npe.push_back(static_cast<std::int64_t>(s0.n));
      med.push_back(s0.median);
      gmed.push_back(std::isfinite(x) ? dd * (x - s0.median) : nan);
      fro.push_back(s0.frontier);
      gfro.push_back(std::isfinite(x) ? dd * (x - s0.frontier) : nan);
      rob.push_back(robust ? 1 : 0);
      if (a == "strength") ++b.strengths;
      if (a == "weakness") ++b.weaknesses;
      if (robust) ++b.robust;
      if (!std::isfinite(x)) continue;
      for (int kind = 0; kind < 4; ++kind) {
        const auto& s = stat[c][static_cast<std::size_t>(kind)];
        if (s.n == 0) continue;
        preg.push_back(d.regions[d.cells[c].first]);
        pclu.push_back(d.clusters[d.cells[c].second]);
        pcri.push_back(cr.name);
        pgrp.push_back(kinds[kind]);
        pgv.push_back(key_of(c, kind));
        pn.push_back(static_cast<std::int64_t>(s.n));
        ppct.push_back(s.percentile);
        pmed.push_back(s.median);
        pfro.push_back(s.frontier);
        pass.push_back(assess(s.percentile, s.n));
      }
    }
  }
  return b;
}

std::pair<IndicatorTree, IndicatorData> index_inputs(const ScorecardData& d) {
  std::vector<TreeNode> nodes;
  std::vector<std::string> cats;
  for (const auto& c : d.criteria)
    if (std::find(cats.begin(), cats.end(), c.category) == cats.end()) cats.push_back(c.category);
  for (const auto& c : d.criteria) {
    TreeNode n;
    n.name = c.name;
    n.parent_name = c.category;
    n.direction = c.direction;
    nodes.push_back(n);
  }
  for (const auto& c : cats) {
    TreeNode n;
    n.name = c;
    n.parent_name = "Index";
    nodes.push_back(n);
  }
  TreeNode root;
  root.name = "Index";
  nodes.push_back(root);
  auto tree = make_tree(std::move(nodes), "scorecard criteria");
  IndicatorData data;
  data.source = "scorecard";
  for (const auto& [r, c] : d.cells) {
    data.units.push_back(d.regions[r]);
    data.by.push_back(d.clusters[c]);
  }
  // Leaves are the criteria in order (make_tree keeps file order for leaves).
  for (int leaf : tree.leaves) {
    const auto& name = tree.nodes[static_cast<std::size_t>(leaf)].name;
    for (std::size_t k = 0; k < d.criteria.size(); ++k)
      if (d.criteria[k].name == name) data.values.push_back(d.values[k]);
  }
  return {std::move(tree), std::move(data)};
}

}  // namespace agglo::scorecard
