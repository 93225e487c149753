// `agglo concentrate`: Herfindahl, Ellison–Glaeser and Maurel–Sédillot indices per industry
// from establishments (formulas in include/agglo/measure/concentration.hpp).
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/measure/concentration.hpp"

namespace agglo::api {

namespace {

struct ConcentrateOptions {
  std::string establishments;
  std::string employment;
  std::string crs;
  bool pairs = false;
  std::int64_t min_establishments = 1;

  static void describe(core::OptionSchema<ConcentrateOptions>& s) {
    s.add("establishments", &ConcentrateOptions::establishments, "establishments CSV with region and employees columns").path().required();
    s.add("employment", &ConcentrateOptions::employment, "reference employment by region (region,industry,employment; summed over industries); default: all establishments").path();
    s.add("crs", &ConcentrateOptions::crs, "CRS of x,y coordinates (unused by these indices; checked when given)");
    s.add("pairs", &ConcentrateOptions::pairs, "also write the Ellison–Glaeser–Kerr co-agglomeration of every industry pair (side table coagglomeration)");
    s.add("min-establishments", &ConcentrateOptions::min_establishments, "report industries with at least this many establishments").min(1);
  }
  void validate() const {}
};

Result run_concentrate(const ConcentrateOptions& o, Context& ctx) {
  const auto e = io::load_establishments(o.establishments, o.crs);
  std::vector<std::pair<std::string, double>> reference;
  if (!o.employment.empty()) {
    io::ReadOptions ro;
    ro.allow_duplicate_rows = true;
    const auto p = io::load_employment(o.employment, ro);
    std::map<std::string, double> by_region;
    for (std::size_t k = 0; k < p.size(); ++k) by_region[std::string(p.rows.name(p.row[k]))] += p.value[k];
    reference.assign(by_region.begin(), by_region.end());
  }
  const auto c = measure::concentration(e, reference);
  Result res;
  data::Table t;
  auto& ind = t.add_text("industry");
  auto& n = t.add_integer("establishments");
  auto& emp = t.add_real("employment");
  auto& h = t.add_real("herfindahl");
  auto& eg = t.add_real("ellison_glaeser");
  auto& ms = t.add_real("maurel_sedillot");
  auto& g = t.add_real("raw_concentration");
  for (const auto& ic : c.industries) {
    if (ic.establishments < static_cast<std::size_t>(o.min_establishments)) continue;
    ind.push_back(ic.industry);
    n.push_back(static_cast<std::int64_t>(ic.establishments));
    emp.push_back(ic.employment);
    h.push_back(ic.herfindahl);
    eg.push_back(ic.ellison_glaeser);
    ms.push_back(ic.maurel_sedillot);
    g.push_back(ic.raw_g);
  }
  res.tables.emplace_back("concentration", std::move(t));
  if (o.pairs) {
    const auto gc = measure::coagglomeration(c);
    data::Table p;
    auto& a = p.add_text("industry_a");
    auto& b = p.add_text("industry_b");
    auto& v = p.add_real("coagglomeration");
    for (std::size_t i = 0; i < c.industries.size(); ++i)
      for (std::size_t j = i + 1; j < c.industries.size(); ++j) {
        a.push_back(c.industries[i].industry);
        b.push_back(c.industries[j].industry);
        v.push_back(gc(i, j));
      }
    res.tables.emplace_back("coagglomeration", std::move(p));
  }
  res.warnings = c.warnings;
  res.summary_json = nlohmann::ordered_json{{"industries", c.industries.size()},
                                            {"regions", c.regions.size()},
                                            {"establishments", e.size()},
                                            {"reference", o.employment.empty() ? "establishments" : o.employment},
                                            {"warnings", c.warnings}}
                         .dump(1);
  (void)ctx;
  return res;
}

}  // namespace

void register_concentrate(Registry& r) {
  r.add(make_operation<ConcentrateOptions>(
      "concentrate", "Ellison–Glaeser and Maurel–Sédillot concentration by industry",
      "Per industry: the Herfindahl index of plant employment H, raw geographic concentration "
      "G = Σ_r (s_r − x_r)², Ellison & Glaeser's (1997) γ = (G/(1−Σx²) − H)/(1 − H) and Maurel & "
      "Sédillot's (1999) γ = ((Σs² − Σx²)/(1−Σx²) − H)/(1 − H), with x_r the regions' shares of "
      "total employment (all establishments, or --employment). --pairs adds Ellison, Glaeser & "
      "Kerr's (2010) co-agglomeration for every industry pair. An industry with one plant has no "
      "index (empty cell and a warning). See docs/methods/specialisation.md.",
      {"agglo concentrate --establishments establishments.csv -o concentration.csv",
       "agglo concentrate --establishments establishments.csv --pairs -o out/"},
      "industry,establishments,employment,herfindahl,ellison_glaeser,maurel_sedillot,raw_concentration "
      "(+ coagglomeration side table with --pairs)",
      &run_concentrate));
}

}  // namespace agglo::api
