// `agglo io`: technical coefficients, Leontief and Ghosh inverses, linkages, key sectors,
// multipliers and hypothetical extraction (include/agglo/structure/input_output.hpp).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "agglo/api/operation.hpp"
#include "agglo/structure/input_output.hpp"
#include "agglo/structure/structure_inputs.hpp"
#include "structure_ops.hpp"

namespace agglo::api {

namespace {

struct IoOptions {
  std::string io;
  std::string totals;
  std::vector<std::string> extract;
  double min_rcond = 1e-12;

  static void describe(core::OptionSchema<IoOptions>& s) {
    s.add("io", &IoOptions::io, "inter-industry flows from,to,value (value ≥ 0, seller → buyer)").path().required();
    s.add("totals", &IoOptions::totals,
          "industry,output[,final_demand,value_added]: gross output per industry (final demand and value added "
          "default to the balancing items x − row sum and x − column sum)")
        .path()
        .required();
    s.add("extract", &IoOptions::extract, "also extract this set of industries together (comma-separated codes)");
    s.add("min-rcond", &IoOptions::min_rcond, "refuse an I − A whose reciprocal condition number is below this").min(0);
  }
  void validate() const {}
};

Result run_io(const IoOptions& o, Context& ctx) {
  const auto table = structure::load_io_table(o.io, o.totals);
  structure::IoOptions so;
  so.min_rcond = o.min_rcond;
  so.extract_set = o.extract;
  const auto a = structure::analyse_io(table, so);
  Result res;
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
    for (std::size_t j = 0; j < a.industries.size(); ++j) {
      const auto& m = a.multipliers[j];
      ind.push_back(a.industries[j]);
      om.push_back(m.output);
      vm.push_back(m.value_added);
      dw.push_back(m.domar_weight);
      os.push_back(m.own_share);
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
  nlohmann::ordered_json keys = nlohmann::ordered_json::array();
  for (std::size_t j = 0; j < a.industries.size(); ++j)
    if (a.linkages[j].key_sector) keys.push_back(a.industries[j]);
  res.warnings = a.warnings;
  res.summary_json = nlohmann::ordered_json{{"industries", a.industries.size()},
                                            {"total_output", a.total_output},
                                            {"rcond", a.rcond},
                                            {"max_column_sum", a.max_column_sum},
                                            {"forward_linkage", "ghosh (row sums of the supply-side inverse)"},
                                            {"key_sector_count", keys.size()},
                                            {"key_sectors", keys.size() <= 50 ? keys : nlohmann::ordered_json("(more than 50: see linkages.csv)")},
                                            {"warnings", a.warnings}}
                         .dump(1);
  res.headline = fmt::format("{} industries; {} key sectors; largest column sum of A {:.3f}", a.industries.size(),
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
