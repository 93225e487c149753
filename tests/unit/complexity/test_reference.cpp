// agglo complexity against py-ecomplexity, the Growth Lab's reference implementation
// (cid-harvard/py-ecomplexity 0.5.2): its outputs on the bundled world trade data (the Atlas
// country sample and every location) and on a synthetic 3-year panel (RCA and per-capita RCA
// presence) are stored in tests/reference/complexity/ with the script that made them
// (make_reference.py). Every number py-ecomplexity reports is compared: diversity, ubiquity
// and M exactly; RCA and per-capita RCA to 1e-12 relative; ECI, PCI, density, COI, COG and
// proximity to 1e-10 absolute (measured: at most 1.1e-13 — PCI through the Lanczos solver
// against numpy's dense eigen-decomposition; every other quantity ≤ 2.1e-14).
// The test runs the command through the api registry, the path the CLI takes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "agglo/api/operation.hpp"
#include "agglo/data/table.hpp"

using namespace agglo;
namespace fs = std::filesystem;

namespace {

constexpr double kTol = 1e-10;

std::string repo(const std::string& rel) { return (fs::path(AGGLO_TEST_DATA).parent_path() / rel).string(); }
std::string ref_file(const std::string& name) { return repo("tests/reference/complexity/" + name); }

// A reference CSV (no quoted fields) as rows of column → text.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line;
  std::getline(in, line);
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string f;
    while (std::getline(ss, f, ',')) out.push_back(f);
    if (!s.empty() && s.back() == ',') out.push_back("");
    return out;
  };
  const auto header = split(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    const auto f = split(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = i < f.size() ? f[i] : "";
    rows.push_back(std::move(row));
  }
  return rows;
}

double num(const std::string& s) { return s.empty() ? std::nan("") : std::stod(s); }

const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}

// One table keyed by the text of its key columns joined with '|'.
struct Keyed {
  std::map<std::string, std::size_t> row;
  const data::Table* t = nullptr;
  double real(const std::string& key, const char* col) const {
    return std::get<data::RealColumn>(t->at(col).values)[row.at(key)];
  }
  std::int64_t integer(const std::string& key, const char* col) const {
    return std::get<data::IntColumn>(t->at(col).values)[row.at(key)];
  }
};

Keyed keyed(const data::Table& t, const std::vector<std::string>& keys) {
  Keyed k;
  k.t = &t;
  for (std::size_t i = 0; i < t.rows(); ++i) {
    std::string key;
    for (const auto& name : keys) {
      const auto& col = t.at(name);
      if (const auto* txt = std::get_if<data::TextColumn>(&col.values)) key += (*txt)[i] + "|";
      else key += std::to_string(std::get<data::IntColumn>(col.values)[i]) + "|";
    }
    k.row[key] = i;
  }
  return k;
}

std::string key_of(const std::map<std::string, std::string>& row, const std::vector<std::string>& keys) {
  std::string key;
  for (const auto& k : keys) key += row.at(k) + "|";
  return key;
}

void expect_near_or_both_nan(double want, double got, double tol, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": py-ecomplexity has no value, agglo " << got;
  } else {
    EXPECT_NEAR(got, want, tol) << what;
  }
}

// Compares one case (locations, products, cells) with a complexity run.
void compare(const std::string& name, const api::Result& r, bool years) {
  std::vector<std::string> lk{"location"}, pk{"product"}, ck{"location", "product"};
  if (years) lk.push_back("year"), pk.push_back("year"), ck.push_back("year");
  const auto eci = keyed(table(r, "eci"), lk), coi = keyed(table(r, "coi"), lk);
  const auto pci = keyed(table(r, "pci"), pk);
  const auto dens = keyed(table(r, "density"), ck), rca = keyed(table(r, "rca"), ck);

  const auto locs = read_csv(ref_file(name + "_locations.csv"));
  ASSERT_FALSE(locs.empty());
  // The same locations in the calculation (the Atlas sample included): no more, no fewer.
  EXPECT_EQ(eci.row.size(), locs.size()) << name;
  for (const auto& row : locs) {
    const auto key = key_of(row, lk);
    ASSERT_TRUE(eci.row.count(key)) << name << ": agglo has no ECI for " << key;
    EXPECT_EQ(eci.integer(key, "diversity"), std::stoll(row.at("diversity"))) << name << " " << key;
    expect_near_or_both_nan(num(row.at("eci")), eci.real(key, "eci"), kTol, name + " eci " + key);
    expect_near_or_both_nan(num(row.at("coi")), coi.real(key, "coi"), kTol, name + " coi " + key);
  }
  const auto prods = read_csv(ref_file(name + "_products.csv"));
  EXPECT_EQ(pci.row.size(), prods.size()) << name;
  for (const auto& row : prods) {
    const auto key = key_of(row, pk);
    ASSERT_TRUE(pci.row.count(key)) << name << ": agglo has no PCI for " << key;
    EXPECT_EQ(pci.integer(key, "ubiquity"), std::stoll(row.at("ubiquity"))) << name << " " << key;
    expect_near_or_both_nan(num(row.at("pci")), pci.real(key, "pci"), kTol, name + " pci " + key);
  }
  const auto cells = read_csv(ref_file(name + "_cells.csv"));
  std::size_t with_value = 0;
  for (const auto& row : cells) {
    const auto key = key_of(row, ck);
    ASSERT_TRUE(dens.row.count(key)) << name << ": agglo has no density for " << key;
    EXPECT_EQ(dens.integer(key, "mcp"), std::stoll(row.at("mcp"))) << name << " " << key;
    expect_near_or_both_nan(num(row.at("density")), dens.real(key, "density"), kTol, name + " density " + key);
    expect_near_or_both_nan(num(row.at("cog")), dens.real(key, "cog"), kTol, name + " cog " + key);
    // rca.csv holds the cells with a value > 0 (RCA 0 elsewhere).
    const double want = num(row.at("rca"));
    if (want > 0) {
      ++with_value;
      ASSERT_TRUE(rca.row.count(key)) << name << ": agglo has no RCA for " << key;
      EXPECT_NEAR(rca.real(key, "rca") / want, 1.0, 1e-12) << name << " rca " << key;
      if (row.count("rpop")) {
        EXPECT_NEAR(rca.real(key, "rpop") / num(row.at("rpop")), 1.0, 1e-12) << name << " rpop " << key;
      }
    } else {
      EXPECT_FALSE(rca.row.count(key)) << name << " " << key << " has no value but is in rca.csv";
    }
  }
  EXPECT_GT(with_value, cells.size() / 5) << name;
}

api::Result run(const core::ParamMap& params) {
  api::Context ctx;
  ctx.quiet = true;
  return api::Registry::global().find("complexity")->run(params, ctx);
}

const std::string kWorld = "data/reference/world_exports_sitc4_avg_1998_2000.csv";

}  // namespace

TEST(ComplexityReference, WorldAtlasSampleMatchesPyEcomplexity) {
  // Defaults only: the Atlas sample (population ≥ 1 million from the bundled population; no
  // export floor on the bundled relative values), py-ecomplexity's COG/COI convention.
  const auto r = run({{"exports", repo(kWorld)}, {"tables", "eci,pci,rca,density,coi,proximity"}});
  compare("world_atlas", r, false);
  // Proximity: py-ecomplexity's proximity() rows of three products against all the others.
  const auto& t = table(r, "proximity");
  const auto& a = std::get<data::TextColumn>(t.at("product_a").values);
  const auto& b = std::get<data::TextColumn>(t.at("product_b").values);
  const auto& v = std::get<data::RealColumn>(t.at("proximity").values);
  std::map<std::pair<std::string, std::string>, double> phi;
  for (std::size_t i = 0; i < t.rows(); ++i) phi[{a[i], b[i]}] = phi[{b[i], a[i]}] = v[i];
  std::size_t positive = 0;
  for (const auto& row : read_csv(ref_file("world_atlas_proximity.csv"))) {
    const double want = num(row.at("proximity"));
    const auto it = phi.find({row.at("product_1"), row.at("product_2")});
    if (want > 0) {
      ++positive;
      ASSERT_NE(it, phi.end()) << row.at("product_1") << "-" << row.at("product_2");
      EXPECT_NEAR(it->second, want, kTol) << row.at("product_1") << "-" << row.at("product_2");
    } else {
      EXPECT_EQ(it, phi.end()) << "φ = 0 pairs are not written";
    }
  }
  EXPECT_GT(positive, 1000u);
}

TEST(ComplexityReference, WorldEveryLocationMatchesPyEcomplexity) {
  compare("world_all", run({{"exports", repo(kWorld)}, {"min-population", "0"}, {"tables", "eci,pci,rca,density,coi"}}),
          false);
}

TEST(ComplexityReference, PanelMatchesPyEcomplexity) {
  // Year by year; q36 is not traded in 2002 and r14 reports nothing in 2003 (both dropped from
  // that year). The locations are not country codes, so no Atlas floor applies.
  const auto r = run({{"exports", ref_file("panel_exports.csv")}, {"tables", "eci,pci,rca,density,coi"}});
  compare("panel", r, true);
  const auto s = nlohmann::json::parse(r.summary_json);
  EXPECT_FALSE(s["sample"]["countries"].get<bool>());
  EXPECT_EQ(s["sample"]["min_population"].get<double>(), 0.0);
}

TEST(ComplexityReference, PanelPerCapitaMatchesPyEcomplexity) {
  compare("panel_rpop",
          run({{"exports", ref_file("panel_exports.csv")}, {"presence", "rpop"}, {"population", ref_file("panel_population.csv")},
               {"tables", "eci,pci,rca,density,coi"}}),
          true);
}

TEST(ComplexityReference, AggloConventionDiffersByTheDocumentedShift) {
  // --cog-convention agglo (with --density-self-term, so φ and density are py-ecomplexity's)
  // feeds the Atlas-normalised PCI = (kp − m)/s to COG and COI, where py-ecomplexity feeds kp
  // and divides by s (m, s = mean and sd of kc). Hence, with k = m/s and the location's
  // absent products A_c,
  //   COG_eco(c,p) = COG_agglo(c,p) + k · W(c,p),   W(c,p) = Σ_{p'∈A_c} φ_p'p / Σ_q φ_p'q,
  //   COI_eco(c)   = zscore_c( COI_agglo(c) + k · D(c) ),   D(c) = Σ_{p∈A_c} d_cp.
  // W and D are rebuilt here from the proximity and density tables; k must be one constant.
  const auto eco = run({{"exports", repo(kWorld)}, {"tables", "density,coi,proximity"}});
  const auto old = run({{"exports", repo(kWorld)}, {"tables", "density,coi"}, {"cog-convention", "agglo"},
                        {"density-self-term", "true"}});
  const auto& dt = table(eco, "density");
  const auto& loc = std::get<data::TextColumn>(dt.at("location").values);
  const auto& prod = std::get<data::TextColumn>(dt.at("product").values);
  const auto& mcp = std::get<data::IntColumn>(dt.at("mcp").values);
  const auto& d_eco = std::get<data::RealColumn>(dt.at("density").values);
  const auto& d_old = std::get<data::RealColumn>(table(old, "density").at("density").values);
  const auto& g_eco = std::get<data::RealColumn>(dt.at("cog").values);
  const auto& g_old = std::get<data::RealColumn>(table(old, "density").at("cog").values);
  ASSERT_EQ(d_eco.size(), d_old.size());
  for (std::size_t i = 0; i < d_eco.size(); ++i) ASSERT_NEAR(d_eco[i], d_old[i], 1e-14);  // same φ, same density
  // φ with its diagonal of 1 (every product here has ubiquity ≥ 1).
  std::map<std::string, std::size_t> index;
  for (const auto& p : prod)
    if (!index.count(p)) index.emplace(p, index.size());
  const std::size_t P = index.size();
  std::vector<double> phi(P * P, 0.0), rowsum(P, 0.0);
  for (std::size_t p = 0; p < P; ++p) phi[p * P + p] = 1;
  const auto& pt = table(eco, "proximity");
  const auto& pa = std::get<data::TextColumn>(pt.at("product_a").values);
  const auto& pb = std::get<data::TextColumn>(pt.at("product_b").values);
  const auto& pv = std::get<data::RealColumn>(pt.at("proximity").values);
  for (std::size_t i = 0; i < pt.rows(); ++i) {
    const auto a = index.at(pa[i]), b = index.at(pb[i]);
    phi[a * P + b] = phi[b * P + a] = pv[i];
  }
  for (std::size_t p = 0; p < P; ++p)
    for (std::size_t q = 0; q < P; ++q) rowsum[p] += phi[p * P + q];
  // Rows of one location are contiguous in density.csv.
  std::map<std::string, double> d_sum;
  double k = std::nan(""), worst = 0;
  std::size_t checked = 0;
  for (std::size_t begin = 0; begin < loc.size();) {
    std::size_t end = begin;
    while (end < loc.size() && loc[end] == loc[begin]) ++end;
    std::vector<std::size_t> absent;
    for (std::size_t i = begin; i < end; ++i)
      if (!mcp[i]) absent.push_back(index.at(prod[i])), d_sum[loc[i]] += d_eco[i];
    if (loc[begin] == "col" || loc[begin] == "jpn" || loc[begin] == "nga") {
      for (std::size_t i = begin; i < end; ++i) {
        if (mcp[i]) continue;
        const auto p = index.at(prod[i]);
        double w = 0;
        for (const auto q : absent) w += phi[q * P + p] / rowsum[q];
        if (w < 0.5) continue;
        const double ki = (g_eco[i] - g_old[i]) / w;
        if (std::isnan(k)) k = ki;
        worst = std::max(worst, std::fabs(ki - k));
        ++checked;
      }
    }
    begin = end;
  }
  ASSERT_GT(checked, 300u);
  EXPECT_LT(worst, 1e-9) << "k = " << k;
  EXPECT_GT(std::fabs(k), 0.05);  // the conventions really differ (COG by up to 0.56 here)
  // COI: standardise COI_agglo + k·D and compare with py-ecomplexity's convention.
  const auto& ct = table(old, "coi");
  const auto& cl = std::get<data::TextColumn>(ct.at("location").values);
  const auto& c_old = std::get<data::RealColumn>(ct.at("coi").values);
  const auto& c_eco = std::get<data::RealColumn>(table(eco, "coi").at("coi").values);
  std::vector<double> u(cl.size());
  double mean = 0, ss = 0;
  for (std::size_t i = 0; i < cl.size(); ++i) u[i] = c_old[i] + k * d_sum.at(cl[i]), mean += u[i] / cl.size();
  for (double v : u) ss += (v - mean) * (v - mean) / u.size();
  for (std::size_t i = 0; i < cl.size(); ++i) EXPECT_NEAR((u[i] - mean) / std::sqrt(ss), c_eco[i], 1e-9) << cl[i];
}
