// `agglo io`: technical coefficients, Leontief and Ghosh inverses, linkages, key sectors,
// multipliers and hypothetical extraction (include/agglo/structure/input_output.hpp).
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agglo/api/operation.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/structure/input_output.hpp"
#include "agglo/structure/regional_io.hpp"
#include "agglo/structure/structure_inputs.hpp"
#include "agglo/structure/supply_risk.hpp"
#include "structure_ops.hpp"

namespace agglo::api {

namespace {

struct IoOptions {
  std::string io;
  std::string totals;
  std::vector<std::string> extract;
  double min_rcond = 1e-12;
  std::string employment, region, regionalise = "flq", clusters;
  double delta = 0.3, supplier_cover = 0.5;
  std::optional<std::int64_t> year;

  static void describe(core::OptionSchema<IoOptions>& s) {
    s.add("io", &IoOptions::io, "inter-industry flows from,to,value (value ≥ 0, seller → buyer)").path().required();
    s.add("totals", &IoOptions::totals,
          "industry,output[,final_demand,value_added]: gross output per industry (final demand and value added "
          "default to the balancing items x − row sum and x − column sum)")
        .path()
        .required();
    s.add("extract", &IoOptions::extract, "also extract this set of industries together (comma-separated codes)");
    s.add("min-rcond", &IoOptions::min_rcond, "refuse an I − A whose reciprocal condition number is below this").min(0);
    s.add("employment", &IoOptions::employment,
          "region,industry,employment[,year]: regional employment, for --region and for the supplier-region "
          "concentration in inputs.csv (its latest year, or --year)")
        .path();
    s.add("year", &IoOptions::year, "year of --employment to use (default: the latest)");
    s.add("region", &IoOptions::region,
          "analyse this region's table, estimated from the national one by location quotients (needs --employment)");
    s.add("regionalise", &IoOptions::regionalise,
          "slq: r_ij = a_ij·min(1, SLQ_i); flq: Flegg's quotient λ*·SLQ_i/SLQ_j, λ* = log2(1 + E_r/E_N)^δ")
        .choices({"slq", "flq"});
    s.add("delta", &IoOptions::delta, "Flegg's δ (0.3: Flegg & Tohmo 2013)").min(0).max(0.99);
    s.add("clusters", &IoOptions::clusters,
          "industry,cluster: for each cluster, the output lost when its supplier block fails (cluster_supply.csv)")
        .path();
    s.add("supplier-cover", &IoOptions::supplier_cover,
          "a cluster's supplier block: its largest outside suppliers until they cover this share of its outside inputs")
        .min(0.01)
        .max(1);
  }
  void validate() const {
    if (!region.empty() && employment.empty())
      throw_usage(ErrorCode::missing_option, "--region needs --employment (regional employment by industry)");
  }
};

Result run_io(const IoOptions& o, Context& ctx) {
  const auto national = structure::load_io_table(o.io, o.totals);
  std::optional<structure::EmploymentMatrix> em;
  std::optional<structure::RegionalTable> regional;
  if (!o.employment.empty()) {
    io::ReadOptions ro;
    ro.allow_duplicate_rows = true;  // repeated region × industry rows are summed
    std::optional<int> year;
    if (o.year) year = static_cast<int>(*o.year);
    em = structure::employment_matrix(io::load_employment(o.employment, ro), national.industries, year);
  }
  if (!o.region.empty())
    regional = structure::regionalise(national, *em, o.region,
                                      o.regionalise == "slq" ? structure::Regionalisation::slq : structure::Regionalisation::flq,
                                      o.delta);
  const auto& table = regional ? regional->table : national;
  structure::IoOptions so;
  so.min_rcond = o.min_rcond;
  so.extract_set = o.extract;
  const auto a = structure::analyse_io(table, so);
  Result res;
  res.warnings = a.warnings;
  {
    data::Table t;
    auto& ind = t.add_text("industry");
    auto& bl = t.add_real("backward");
    auto& fl = t.add_real("forward");
    auto& bn = t.add_real("backward_norm");
    auto& fn = t.add_real("forward_norm");
    auto& key = t.add_integer("key_sector");
    auto& cls = t.add_text("linkage_class");
    auto& fll = t.add_real("forward_leontief");
    auto& flln = t.add_real("forward_leontief_norm");
    for (std::size_t j = 0; j < a.industries.size(); ++j) {
      const auto& k = a.linkages[j];
      ind.push_back(a.industries[j]);
      bl.push_back(k.backward);
      fl.push_back(k.forward);
      bn.push_back(k.backward_norm);
      fn.push_back(k.forward_norm);
      key.push_back(k.key_sector ? 1 : 0);
      cls.push_back(k.linkage_class);
      fll.push_back(k.forward_leontief);
      flln.push_back(k.forward_leontief_norm);
    }
    res.tables.emplace_back("linkages", std::move(t));
  }
  {
    data::Table t;
    auto& ind = t.add_text("industry");
    auto& om = t.add_real("output_multiplier");
    auto& vm = t.add_real("value_added_multiplier");
    auto& dw = t.add_real("domar_weight");
    auto& os = t.add_real("own_share");
    auto& inf = t.add_real("influence");
    auto& infn = t.add_real("influence_network");
    for (std::size_t j = 0; j < a.industries.size(); ++j) {
      const auto& m = a.multipliers[j];
      ind.push_back(a.industries[j]);
      om.push_back(m.output);
      vm.push_back(m.value_added);
      dw.push_back(m.domar_weight);
      os.push_back(m.own_share);
      inf.push_back(m.influence);
      infn.push_back(m.influence_network);
    }
    res.tables.emplace_back("multipliers", std::move(t));
  }
  {
    data::Table t;
    auto& ind = t.add_text("industry");
    auto& size = t.add_integer("sectors");
    auto& bl = t.add_real("backward_loss");
    auto& fl = t.add_real("forward_loss");
    auto& tl = t.add_real("total_loss");
    auto& bs = t.add_real("backward_share");
    auto& fs = t.add_real("forward_share");
    auto& ts = t.add_real("total_share");
    for (std::size_t j = 0; j < a.industries.size(); ++j) {
      const auto& e = a.extraction[j];
      ind.push_back(a.industries[j]);
      size.push_back(1);
      bl.push_back(e.backward_loss);
      fl.push_back(e.forward_loss);
      tl.push_back(e.total_loss);
      bs.push_back(e.backward_share);
      fs.push_back(e.forward_share);
      ts.push_back(e.total_share);
    }
    for (const auto& e : a.set_extraction) {
      ind.push_back(fmt::format("{}", fmt::join(e.members, "+")));
      size.push_back(static_cast<std::int64_t>(e.members.size()));
      bl.push_back(e.backward_loss);
      fl.push_back(e.forward_loss);
      tl.push_back(e.total_loss);
      bs.push_back(e.backward_share);
      fs.push_back(e.forward_share);
      ts.push_back(e.total_share);
    }
    res.tables.emplace_back("extraction", std::move(t));
  }
  {
    // Supplier concentration of the analysed table (and, for a region, the share of inputs bought
    // outside it). The supplier regions come from the national table under the national-pool
    // assumption: a regional table holds only the local part of the flows.
    auto sc = structure::supplier_concentration(table, regional ? nullptr : (em ? &*em : nullptr));
    if (regional) {
      const auto nat = structure::supplier_concentration(national, &*em);
      for (auto& c : sc) {
        const auto& n = nat[static_cast<std::size_t>(
            std::find(national.industries.begin(), national.industries.end(), c.industry) - national.industries.begin())];
        c.region_hhi = n.region_hhi;
        c.top_region = n.top_region;
        c.top_region_share = n.top_region_share;
      }
    }
    data::Table t;
    auto& ind = t.add_text("industry");
    auto& is = t.add_real("intermediate_share");
    auto& h = t.add_real("supplier_hhi");
    auto& es = t.add_real("effective_suppliers");
    auto& ts = t.add_text("top_supplier");
    auto& tsh = t.add_real("top_supplier_share");
    auto& rh = t.add_real("supplier_region_hhi");
    auto& tr = t.add_text("top_supplier_region");
    auto& trs = t.add_real("top_region_share");
    auto& imp = t.add_real("import_share");
    auto& slq = t.add_real("slq");
    for (std::size_t j = 0; j < sc.size(); ++j) {
      const auto& c = sc[j];
      ind.push_back(c.industry);
      is.push_back(c.intermediate_share);
      h.push_back(c.hhi);
      es.push_back(c.effective_suppliers);
      ts.push_back(c.top_supplier);
      tsh.push_back(c.top_share);
      rh.push_back(c.region_hhi);
      tr.push_back(c.top_region);
      trs.push_back(c.top_region_share);
      imp.push_back(regional ? regional->import_share[j] : std::nan(""));
      slq.push_back(regional ? regional->slq[j] : std::nan(""));
    }
    res.tables.emplace_back("inputs", std::move(t));
  }
  nlohmann::ordered_json supply = nullptr;
  if (!o.clusters.empty()) {
    std::size_t missing = 0;
    const auto groups = structure::group_industries(structure::load_industry_labels(o.clusters, "clusters", "cluster"),
                                                    table.industries, &missing);
    if (groups.empty())
      throw_input(ErrorCode::unknown_reference,
                  fmt::format("no industry of the {} table is in a cluster of {}", regional ? "regional" : "input–output",
                              o.clusters),
                  {}, "the clusters file needs industry,cluster rows with the table's industry codes");
    const auto risk = structure::cluster_supply_risk(table, groups, o.supplier_cover);
    data::Table t;
    auto& cl = t.add_text("cluster");
    auto& nm = t.add_integer("members");
    auto& co = t.add_real("cluster_output");
    auto& oi = t.add_real("outside_input");
    auto& sup = t.add_text("suppliers");
    auto& cov = t.add_real("covered");
    auto& loss = t.add_real("cluster_loss");
    auto& lossh = t.add_real("cluster_loss_share");
    auto& el = t.add_real("economy_loss");
    auto& els = t.add_real("economy_loss_share");
    const structure::ClusterSupplyRisk* worst = nullptr;
    for (const auto& c : risk) {
      cl.push_back(c.cluster);
      nm.push_back(static_cast<std::int64_t>(c.members.size()));
      co.push_back(c.cluster_output);
      oi.push_back(c.outside_input);
      sup.push_back(fmt::format("{}", fmt::join(c.suppliers, "+")));
      cov.push_back(c.covered);
      loss.push_back(c.cluster_loss);
      lossh.push_back(c.cluster_loss_share);
      el.push_back(c.economy_loss);
      els.push_back(c.economy_loss_share);
      if (!worst || c.cluster_loss_share > worst->cluster_loss_share) worst = &c;
    }
    res.tables.emplace_back("cluster_supply", std::move(t));
    supply = {{"clusters", risk.size()},
              {"industries_without_cluster", missing},
              {"supplier_cover", o.supplier_cover},
              {"most_exposed", worst->cluster},
              {"most_exposed_loss_share", worst->cluster_loss_share}};
  }
  nlohmann::ordered_json keys = nlohmann::ordered_json::array();
  for (std::size_t j = 0; j < a.industries.size(); ++j)
    if (a.linkages[j].key_sector) keys.push_back(a.industries[j]);
  nlohmann::ordered_json summary{{"industries", a.industries.size()},
                                 {"total_output", a.total_output},
                                 {"rcond", a.rcond},
                                 {"max_column_sum", a.max_column_sum},
                                 {"forward_linkage", "ghosh (row sums of the supply-side inverse)"},
                                 {"key_sector_count", keys.size()},
                                 {"key_sectors", keys.size() <= 50 ? keys : nlohmann::ordered_json("(more than 50: see linkages.csv)")},
                                 {"alpha", a.alpha},
                                 {"influence_l2", a.influence_l2},
                                 {"influence_l2_balanced", 1.0 / std::sqrt(static_cast<double>(a.industries.size()))}};
  if (regional) {
    summary["region"] = {{"region", regional->region},
                         {"method", o.regionalise},
                         {"delta", o.regionalise == "flq" ? nlohmann::ordered_json(o.delta) : nlohmann::ordered_json(nullptr)},
                         {"lambda", regional->lambda},
                         {"employment_share", regional->region_share},
                         {"import_share", regional->total_import_share},
                         {"industries_absent", regional->dropped.size()},
                         {"year", em->year ? nlohmann::ordered_json(*em->year) : nlohmann::ordered_json(nullptr)}};
    if (!regional->dropped.empty())
      res.warnings.push_back(fmt::format("{} industries have no employment in {} and are left out of its table (their "
                                         "sales to it count as imports)",
                                         regional->dropped.size(), regional->region));
  }
  if (!supply.is_null()) summary["cluster_supply"] = supply;
  summary["warnings"] = res.warnings;
  res.summary_json = summary.dump(1);
  res.headline = fmt::format("{}{} industries; {} key sectors; largest column sum of A {:.3f}",
                             regional ? regional->region + " (" + o.regionalise + "): " : "", a.industries.size(),
                             keys.size(), a.max_column_sum);
  (void)ctx;
  return res;
}

}  // namespace

void register_structure_io(Registry& r) {
  r.add(make_operation<IoOptions>(
      "io", "input–output linkages, key sectors, multipliers and hypothetical extraction",
      "From inter-industry flows z_ij (seller i → buyer j) and gross output x: technical coefficients "
      "a_ij = z_ij/x_j, the Leontief inverse L = (I − A)⁻¹ (Leontief 1936) and the Ghosh inverse "
      "G = (I − B)⁻¹ with b_ij = z_ij/x_i. Backward linkage = Σ_i L_ij (Rasmussen 1956; the output "
      "multiplier); forward linkage = Σ_j G_ij (supply side, Miller & Blair 2009 §12.2; the Leontief row "
      "sum is kept as forward_leontief); _norm = divided by the mean; key sector = both normalised > 1. "
      "Hypothetical extraction of every single sector (backward, forward, total; Dietzenbacher & Lahr "
      "2013) and of --extract sets. A singular, ill-conditioned or unproductive I − A, or a negative flow, "
      "is invalid input (exit 3). See docs/methods/structure.md.",
      {"agglo io --io flows.csv --totals totals.csv -o io/",
       "agglo io --io flows.csv --totals totals.csv --extract C,F -o io/"},
      "a directory: linkages.csv (industry,backward,forward,backward_norm,forward_norm,key_sector,…), "
      "multipliers.csv, extraction.csv, summary.json",
      &run_io));
}

}  // namespace agglo::api
