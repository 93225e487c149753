// `agglo resilience` (Martin 2012 sensitivity; Martin, Sunley, Gardiner & Tyler 2016 resistance
// and recovery) and `agglo synth-structure` (planted blocks and recession).
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "agglo/api/operation.hpp"
#include "agglo/io/atomic_file.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_writer.hpp"
#include "agglo/structure/resilience.hpp"
#include "agglo/structure/structure_inputs.hpp"
#include "agglo/structure/synthetic.hpp"
#include "structure_ops.hpp"

namespace agglo::api {

namespace {

struct ResilienceOptions {
  std::string employment, groups;
  std::int64_t group_digits = 0;
  std::optional<std::int64_t> from, trough, to;

  static void describe(core::OptionSchema<ResilienceOptions>& s) {
    s.add("employment", &ResilienceOptions::employment, "region,industry,employment,year panel").path().required();
    s.add("from", &ResilienceOptions::from, "pre-recession year (the peak)").required();
    s.add("trough", &ResilienceOptions::trough, "the trough year").required();
    s.add("to", &ResilienceOptions::to, "end of the recovery (optional; without it recovery columns are empty)");
    s.add("groups", &ResilienceOptions::groups,
          "industry,group: the sector of each industry, for related and unrelated variety (Frenken et al. 2007)")
        .path();
    s.add("group-digits", &ResilienceOptions::group_digits,
          "sectors as the first N characters of the industry codes (e.g. 2 for NAICS sectors of 4-digit codes)")
        .min(0)
        .max(12);
  }
  void validate() const {
    if (!groups.empty() && group_digits > 0) throw_usage(ErrorCode::invalid_option_value, "give --groups or --group-digits, not both");
  }
};

Result run_resilience(const ResilienceOptions& o, Context& ctx) {
  io::ReadOptions ro;
  ro.allow_duplicate_rows = true;  // repeated region × industry × year rows are summed
  const auto panel = io::load_employment(o.employment, ro);
  std::optional<int> to;
  if (o.to) to = static_cast<int>(*o.to);
  std::unordered_map<std::string, std::string> groups;
  if (!o.groups.empty())
    for (auto& [ind, g] : structure::load_industry_labels(o.groups, "groups", "group")) groups.emplace(ind, g);
  if (o.group_digits > 0)
    for (std::uint32_t c = 0; c < panel.cols.size(); ++c) {
      const std::string code(panel.cols.name(c));
      groups.emplace(code, code.substr(0, static_cast<std::size_t>(o.group_digits)));
    }
  const auto r = structure::resilience(panel, static_cast<int>(*o.from), static_cast<int>(*o.trough), to, o.employment, groups);
  Result res;
  data::Table t;
  auto& reg = t.add_text("region");
  auto& sens = t.add_real("sensitivity");
  auto& resis = t.add_real("resistance");
  auto& recov = t.add_real("recovery");
  auto& exp = t.add_real("expected_change");
  auto& act = t.add_real("actual_change");
  auto& rs = t.add_real("recovery_sensitivity");
  auto& rexp = t.add_real("recovery_expected_change");
  auto& ract = t.add_real("recovery_actual_change");
  auto& e0 = t.add_real("employment_from");
  auto& e1 = t.add_real("employment_trough");
  auto& e2 = t.add_real("employment_to");
  auto& div = t.add_real("diversity");
  auto& ent = t.add_real("entropy");
  auto& uv = t.add_real("unrelated_variety");
  auto& rv = t.add_real("related_variety");
  std::size_t resistant = 0;
  for (const auto& x : r.regions) {
    reg.push_back(x.region);
    sens.push_back(x.sensitivity);
    resis.push_back(x.resistance);
    recov.push_back(x.recovery);
    exp.push_back(x.expected_change);
    act.push_back(x.actual_change);
    rs.push_back(x.recovery_sensitivity);
    rexp.push_back(x.recovery_expected_change);
    ract.push_back(x.recovery_actual_change);
    e0.push_back(x.employment_from);
    e1.push_back(x.employment_trough);
    e2.push_back(x.employment_to);
    div.push_back(x.diversity);
    ent.push_back(x.entropy);
    uv.push_back(x.unrelated_variety);
    rv.push_back(x.related_variety);
    if (x.resistance > 0) ++resistant;
  }
  res.tables.emplace_back("resilience", std::move(t));
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
  res.summary_json = nlohmann::ordered_json{{"regions", r.regions.size()},
                                            {"from", *o.from},
                                            {"trough", *o.trough},
                                            {"to", o.to ? nlohmann::ordered_json(*o.to) : nlohmann::ordered_json(nullptr)},
                                            {"national_contraction", num(r.national_contraction)},
                                            {"national_recovery", num(r.national_recovery)},
                                            {"resistant_regions", resistant},
                                            {"warnings", r.warnings}}
                         .dump(1);
  res.warnings = r.warnings;
  res.headline = fmt::format("{} regions; national change {:+.2f} % from {} to {}; {} regions more resistant than their mix",
                             r.regions.size(), 100 * r.national_contraction, *o.from, *o.trough, resistant);
  (void)ctx;
  return res;
}

struct SynthStructureOptions {
  std::int64_t blocks = 4, block_size = 5, decoys = 3, decoy_size = 4, years = 40, regions = 30, colocated = 2;
  bool null_series = false;
  double trend_sd = 0.05, noise_sd = 0.01, noise_ar = 0.0;

  static void describe(core::OptionSchema<SynthStructureOptions>& s) {
    s.add("trend-sd", &SynthStructureOptions::trend_sd, "innovation sd of each block's stochastic trend (log points)").min(0);
    s.add("noise-sd", &SynthStructureOptions::noise_sd, "innovation sd of the members' stationary AR(1) deviations").min(0);
    s.add("noise-ar", &SynthStructureOptions::noise_ar, "AR(1) coefficient of the deviations").min(0).max(0.99);
    s.add("blocks", &SynthStructureOptions::blocks, "planted development blocks").min(0).max(200);
    s.add("block-size", &SynthStructureOptions::block_size, "industries per block").min(2).max(12);
    s.add("decoys", &SynthStructureOptions::decoys, "IO-linked groups whose series are independent").min(0).max(200);
    s.add("decoy-size", &SynthStructureOptions::decoy_size, "industries per decoy group").min(2).max(12);
    s.add("years", &SynthStructureOptions::years, "years of industry series").min(10).max(500);
    s.add("regions", &SynthStructureOptions::regions, "regions of the recession panel").min(2).max(10000);
    s.add("null-series", &SynthStructureOptions::null_series, "every industry an independent random walk (no blocks)");
    s.add("colocated", &SynthStructureOptions::colocated,
          "the first this many blocks are co-located in a home region (cluster blocks); the rest are national")
        .min(0)
        .max(200);
  }
  void validate() const {}
};

Result run_synth_structure(const SynthStructureOptions& o, Context& ctx) {
  if (ctx.output.empty()) throw_usage(ErrorCode::missing_option, "synth-structure writes a directory: give -o DIR");
  structure::SyntheticStructureConfig c;
  c.blocks = static_cast<std::size_t>(o.blocks);
  c.block_size = static_cast<std::size_t>(o.block_size);
  c.decoys = static_cast<std::size_t>(o.decoys);
  c.decoy_size = static_cast<std::size_t>(o.decoy_size);
  c.years = static_cast<std::size_t>(o.years);
  c.regions = static_cast<std::size_t>(o.regions);
  c.null_series = o.null_series;
  c.colocated_blocks = static_cast<std::size_t>(o.colocated);
  c.trend_sd = o.trend_sd;
  c.noise_sd = o.noise_sd;
  c.noise_ar = o.noise_ar;
  const auto s = structure::synthetic_structure(c, ctx.seed);
  const std::vector<std::pair<std::string, const data::Table*>> tables = {
      {"flows", &s.flows},           {"totals", &s.totals},           {"series", &s.series_table},
      {"employment", &s.employment}, {"occupations", &s.occupations}, {"truth_blocks", &s.truth_blocks},
      {"truth_regions", &s.truth_regions}};
  io::AtomicDirectory dir(ctx.output);
  for (const auto& [name, table] : tables) io::write_csv(*table, dir.path(name + ".csv"));
  dir.commit();
  Result r;
  r.output_written = true;
  for (const auto& [name, table] : tables) {
    r.text += fmt::format("{:<20} {:>8} rows\n", name + ".csv", table->rows());
    r.files.push_back(ctx.output + "/" + name + ".csv");
  }
  r.summary_json = nlohmann::ordered_json{{"industries", s.table.size()},
                                          {"blocks", c.blocks},
                                          {"decoys", c.decoys},
                                          {"years", c.years},
                                          {"regions", c.regions},
                                          {"from", c.from},
                                          {"trough", c.trough},
                                          {"to", c.to},
                                          {"null_series", c.null_series},
                                          {"colocated_blocks", c.colocated_blocks}}
                       .dump(1);
  return r;
}

}  // namespace

void register_structure_resilience(Registry& r) {
  r.add(make_operation<ResilienceOptions>(
      "resilience", "regional resilience to a recession: sensitivity, resistance and recovery",
      "From region × industry × year employment: Martin's (2012) sensitivity index β_r = (ΔE_r/E_r)/(ΔE_N/E_N) "
      "over --from → --trough (and over --trough → --to as recovery_sensitivity), and the resistance and recovery "
      "of Martin, Sunley, Gardiner & Tyler (2016): (ΔE_r − ΔE_r^e)/|ΔE_r^e|, with the expected change "
      "ΔE_r^e = Σ_i g_iN E_ir from the national growth rate of each industry in that phase (shift share). "
      "Resistance > 0: the region lost fewer jobs than its industry mix predicts. Also the Shannon entropy of "
      "the pre-recession structure (diversity) and, with --groups or --group-digits, its related and unrelated "
      "variety (Frenken, Van Oort & Verburg 2007; entropy = UV + RV, in bits). See docs/methods/structure.md.",
      {"agglo resilience --employment panel.csv --from 2007 --trough 2009 --to 2014 -o resilience.csv",
       "agglo resilience --employment panel.csv --from 2007 --trough 2009 --group-digits 2 -o resilience.csv"},
      "region,sensitivity,resistance,recovery,expected_change,actual_change,recovery_sensitivity,…",
      &run_resilience));
  r.add(make_operation<SynthStructureOptions>(
      "synth-structure", "synthetic IO table, industry series and recession panel with planted blocks and sensitivities",
      "Planted development blocks (IO-linked industries sharing one stochastic trend per block; the first "
      "--colocated of them concentrated in a home region), decoy groups "
      "(IO-linked, independent random walks), and a recession panel whose regions have planted sensitivities "
      "β_r and ρ_r (employment-weighted mean 1), so `agglo blocks` and `agglo resilience` can be scored on a "
      "known answer. Same --seed, same files. See docs/methods/structure.md.",
      {"agglo synth-structure -o structure/",
       "agglo synth-structure --null-series -o null/"},
      "a directory: flows.csv, totals.csv, series.csv, employment.csv, occupations.csv, truth_blocks.csv "
      "(industry,block,io_group,location), truth_regions.csv",
      &run_synth_structure));
}

}  // namespace agglo::api
