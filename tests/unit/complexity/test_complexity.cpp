// Economic complexity against hand computation, a brute-force dense reference, theory (the
// eigenvector and reflections methods agree) and the bundled world trade data.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "agglo/api/operation.hpp"
#include "agglo/complexity/complexity.hpp"
#include "agglo/complexity/panel_dynamics.hpp"
#include "agglo/complexity/product_space.hpp"
#include "agglo/core/error.hpp"
#include "agglo/io/inputs.hpp"
#include "../support/temp_dir.hpp"

using namespace agglo;
using namespace agglo::complexity;
namespace fs = std::filesystem;

namespace {

// X = A:(4,2,0,4), B:(1,2,1,6), C:(6,0,0,4) over products (p1,p2,p3,p4).
// X_c = 10 each, X_p = (11, 4, 1, 14), X = 30, so X_p/X = (11/30, 4/30, 1/30, 14/30).
ExportMatrix hand() {
  ExportMatrix x;
  x.locations = {"A", "B", "C"};
  x.products = {"p1", "p2", "p3", "p4"};
  x.values = data::DenseMatrix(3, 4);
  const double v[3][4] = {{4, 2, 0, 4}, {1, 2, 1, 6}, {6, 0, 0, 4}};
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 4; ++p) x.values(c, p) = v[c][p];
  return x;
}

std::string world(const char* name) {
  return (fs::path(AGGLO_TEST_DATA).parent_path() / "data" / "reference" / name).string();
}

std::string write_temp(const std::string& name, const std::string& text) {
  const auto p = fs::temp_directory_path() / ("agglo_cx_" + name);
  std::ofstream(p) << text;
  return p.string();
}

const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}

}  // namespace

TEST(Complexity, HandRcaPresenceDiversityUbiquity) {
  const auto r = rca(hand());
  // RCA_A = (0.4/(11/30), 0.2/(4/30), 0, 0.4/(14/30)) = (12/11, 3/2, 0, 6/7)
  // RCA_B = (0.1/(11/30), 3/2, 0.1/(1/30), 0.6/(14/30)) = (3/11, 3/2, 3, 9/7)
  // RCA_C = (0.6/(11/30), 0, 0, 6/7) = (18/11, 0, 0, 6/7)
  const double expect[3][4] = {{12.0 / 11, 1.5, 0, 6.0 / 7}, {3.0 / 11, 1.5, 3, 9.0 / 7}, {18.0 / 11, 0, 0, 6.0 / 7}};
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 4; ++p) EXPECT_NEAR(r.rca(c, p), expect[c][p], 1e-14) << c << p;
  // M (RCA ≥ 1): A = {p1, p2}, B = {p2, p3, p4}, C = {p1}.
  EXPECT_EQ(r.m.diversity, (std::vector<int>{2, 3, 1}));
  EXPECT_EQ(r.m.ubiquity, (std::vector<int>{2, 2, 1, 1}));
  EXPECT_TRUE(r.warnings.empty());
  // Strict: nothing here equals 1 exactly, so M is unchanged; a threshold of 1.5 strict drops p2.
  RcaOptions strict;
  strict.threshold = 1.5;
  strict.strict = true;
  const auto s = rca(hand(), strict);
  EXPECT_EQ(s.m.diversity, (std::vector<int>{0, 1, 1}));  // A: 12/11 < 1.5 and 1.5 is not > 1.5
  EXPECT_FALSE(s.warnings.empty());                       // A has no product: named
}

TEST(Complexity, HandProximityAndDensity) {
  const auto r = rca(hand());
  // Co-occurrence: p1p2 = 1 (A); p2p3 = p2p4 = p3p4 = 1 (B); p1p3 = p1p4 = 0.
  // φ = C / max(k_p, k_p'): p1p2 = 1/2, p2p3 = 1/2, p2p4 = 1/2, p3p4 = 1/1 = 1.
  const auto phi = proximity(r.m);
  EXPECT_DOUBLE_EQ(phi(0, 1), 0.5);
  EXPECT_DOUBLE_EQ(phi(1, 2), 0.5);
  EXPECT_DOUBLE_EQ(phi(1, 3), 0.5);
  EXPECT_DOUBLE_EQ(phi(2, 3), 1.0);
  EXPECT_DOUBLE_EQ(phi(0, 2), 0.0);
  EXPECT_DOUBLE_EQ(phi(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(proximity(r.m, ProximityMeasure::min_conditional, true)(0, 0), 1.0);
  // Cosine p3p4 = 1/√(1·1) = 1; Jaccard p1p2 = 1/(2+2−1) = 1/3.
  EXPECT_DOUBLE_EQ(proximity(r.m, ProximityMeasure::cosine)(2, 3), 1.0);
  EXPECT_DOUBLE_EQ(proximity(r.m, ProximityMeasure::jaccard)(0, 1), 1.0 / 3);
  // Column sums of φ: (0.5, 1.5, 1.5, 1.5).
  //   d_A = (0.5/0.5, 0.5/1.5, 0.5/1.5, 0.5/1.5) = (1, 1/3, 1/3, 1/3)
  //   d_B = (0.5/0.5, (0.5+0.5)/1.5, (0.5+1)/1.5, (0.5+1)/1.5) = (1, 2/3, 1, 1)
  //   d_C = (0, 0.5/1.5, 0, 0) = (0, 1/3, 0, 0)
  const std::vector<double> pci(4, 1.0);
  const auto o = outlook(r.m, phi, pci);
  const double d[3][4] = {{1, 1.0 / 3, 1.0 / 3, 1.0 / 3}, {1, 2.0 / 3, 1, 1}, {0, 1.0 / 3, 0, 0}};
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 4; ++p) EXPECT_NEAR(o.density(c, p), d[c][p], 1e-15) << c << p;
  // With PCI ≡ 1, COI_c = Σ_{p absent} d_cp: A 2/3, B 1, C 1/3.
  EXPECT_NEAR(o.coi[0], 2.0 / 3, 1e-15);
  EXPECT_NEAR(o.coi[1], 1.0, 1e-15);
  EXPECT_NEAR(o.coi[2], 1.0 / 3, 1e-15);
  // COG of a present product is 0; for C and p3: (1−M) Σ_p' (1−M_Cp') φ_p'p3 / rowsum_p' =
  // φ_23/1.5 + φ_43/1.5 = (0.5 + 1)/1.5 = 1.
  EXPECT_EQ(o.cog(0, 0), 0.0);
  EXPECT_NEAR(o.cog(2, 2), 1.0, 1e-15);
}

TEST(Complexity, HandPerCapitaRca) {
  // Populations N = (1, 2, 7), N = 10; X_p = (11, 4, 1, 14).
  // RPOP_cp = (X_cp/N_c)/(X_p/N):
  //   A: 40/11, 5, 0, 20/7      B: 5/11, 5/2, 5, 15/7      C: 60/77, 0, 0, 20/49
  RcaOptions o;
  o.test = PresenceTest::rpop;
  o.population = {1, 2, 7};
  const auto r = rca(hand(), o);
  const double want[3][4] = {{40.0 / 11, 5, 0, 20.0 / 7}, {5.0 / 11, 2.5, 5, 15.0 / 7}, {60.0 / 77, 0, 0, 20.0 / 49}};
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 4; ++p) EXPECT_NEAR(r.rpop(c, p), want[c][p], 1e-14) << c << p;
  // Presence by RPOP ≥ 1: A {p1,p2,p4}, B {p2,p3,p4}, C none (warned, ECI undefined).
  EXPECT_EQ(r.m.diversity, (std::vector<int>{3, 3, 0}));
  EXPECT_EQ(r.m.ubiquity, (std::vector<int>{1, 2, 1, 2}));
  // Either test: RCA presence is A {p1,p2}, B {p2,p3,p4}, C {p1}; the union adds A's p4.
  o.test = PresenceTest::either;
  const auto u = rca(hand(), o);
  EXPECT_EQ(u.m.diversity, (std::vector<int>{3, 3, 1}));
  EXPECT_EQ(u.m.ubiquity, (std::vector<int>{2, 2, 1, 2}));
  // A location without population is excluded and named, not turned into NaN for everyone.
  o.test = PresenceTest::rpop;
  o.population = {1, std::nan(""), 7};
  const auto x = rca(hand(), o);
  EXPECT_TRUE(x.location_excluded[1]);
  EXPECT_FALSE(x.location_excluded[0]);
  bool named = false;
  for (const auto& w : x.warnings) named |= w.find("population") != std::string::npos && w.find('B') != std::string::npos;
  EXPECT_TRUE(named);
  // N = 8 without B; X_p without B = (10, 2, 0, 8): RPOP_A,p1 = (4/1)/(10/8) = 3.2.
  EXPECT_NEAR(x.rpop(0, 0), 3.2, 1e-14);
}

TEST(Complexity, HandEciSignAndBackbone) {
  const auto r = rca(hand());
  const auto e = eigen_complexity(r.m);
  // B (diversity 3) is the most complex; λ₂ of M̃^C = 0.71712927 (numpy).
  EXPECT_GT(e.eci[1], e.eci[0]);
  EXPECT_GT(e.eci[1], e.eci[2]);
  EXPECT_NEAR(e.eigenvalue2, 0.7171292729, 1e-8);
  // Atlas normalisation: ECI has mean 0 and population sd 1.
  const double mean = (e.eci[0] + e.eci[1] + e.eci[2]) / 3;
  double var = 0;
  for (double v : e.eci) var += (v - mean) * (v - mean) / 3;
  EXPECT_NEAR(mean, 0, 1e-12);
  EXPECT_NEAR(var, 1, 1e-12);
  // Backbone: the maximum spanning tree of {p1p2 .5, p2p3 .5, p2p4 .5, p3p4 1} has 3 edges,
  // including p3p4 (the strongest); with strong_min 0.55 nothing else is added.
  std::vector<bool> active(4, true);
  const auto b = backbone(proximity(r.m), active, 0.55);
  ASSERT_EQ(b.size(), 3u);
  int tree = 0;
  bool has34 = false;
  for (const auto& x : b) tree += x.in_tree, has34 |= (x.a == 2 && x.b == 3);
  EXPECT_EQ(tree, 3);
  EXPECT_TRUE(has34);
}

TEST(Complexity, MatrixFreeMatchesDenseReference) {
  // Random 60 × 150 presence matrix with heterogeneous densities (nested-ish).
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0, 1);
  data::DenseMatrix m01(60, 150);
  std::vector<double> a(60), b(150);
  for (auto& x : a) x = u(rng);
  for (auto& x : b) x = u(rng);
  for (int c = 0; c < 60; ++c)
    for (int p = 0; p < 150; ++p) m01(c, p) = u(rng) < 0.05 + 0.6 * a[c] * (1 - b[p]) ? 1 : 0;
  const auto m = presence_from(m01);
  for (auto norm : {Normalisation::atlas, Normalisation::own, Normalisation::none}) {
    const auto fast = eigen_complexity(m, norm);
    const auto dense = eigen_complexity_dense(m, norm);
    EXPECT_NEAR(fast.eigenvalue2, dense.eigenvalue2, 1e-10);
    EXPECT_NEAR(fast.eigenvalue3, dense.eigenvalue3, 1e-8);
    for (std::size_t c = 0; c < 60; ++c) EXPECT_NEAR(fast.eci[c], dense.eci[c], 1e-8) << c;
    for (std::size_t p = 0; p < 150; ++p) {
      if (std::isfinite(dense.pci[p])) {
        EXPECT_NEAR(fast.pci[p], dense.pci[p], 1e-8) << p;
      }
    }
  }
  // The bitset co-occurrence equals MᵀM computed naively.
  const auto cm = cooccurrence(m);
  for (int p = 0; p < 150; p += 7)
    for (int q = 0; q < 150; q += 5) {
      double n = 0;
      for (int c = 0; c < 60; ++c) n += m01(c, p) * m01(c, q);
      EXPECT_EQ(cm(p, q), n);
    }
}

TEST(Complexity, BlockedOutlookMatchesNaiveFormulas) {
  // 37 locations × 300 products: φ spans several 128-product row blocks and column strips
  // (and a ragged last block), so the blocked sparse product is checked against the formulas
  // of include/agglo/complexity/density.hpp evaluated naively.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  const int L = 37, P = 300;
  data::DenseMatrix m01(L, P);
  for (int c = 0; c < L; ++c)
    for (int p = 0; p < P; ++p) m01(c, p) = u(rng) < 0.05 + 0.4 * u(rng) ? 1 : 0;
  const auto m = presence_from(m01);
  std::vector<double> pci(P);
  for (auto& v : pci) v = u(rng) * 4 - 2;
  pci[5] = std::nan("");  // counts as 0 in the sums
  for (bool self : {false, true}) {
    const auto phi = proximity(m, ProximityMeasure::min_conditional, self);
    const auto o = outlook(m, phi, pci);
    std::vector<double> rowsum(P, 0.0);
    for (int p = 0; p < P; ++p)
      for (int q = 0; q < P; ++q) rowsum[p] += phi(p, q);
    for (int c = 0; c < L; ++c) {
      double coi = 0;
      for (int p = 0; p < P; ++p) {
        double num = 0, cog = 0;
        for (int q = 0; q < P; ++q) {
          num += m01(c, q) * phi(q, p);
          if (m01(c, q) == 0 && rowsum[q] > 0 && std::isfinite(pci[q])) cog += phi(q, p) * pci[q] / rowsum[q];
        }
        const double d = rowsum[p] > 0 ? num / rowsum[p] : 0.0;
        EXPECT_NEAR(o.density(c, p), d, 1e-12) << c << ' ' << p;
        EXPECT_NEAR(o.cog(c, p), m01(c, p) ? 0.0 : cog, 1e-10) << c << ' ' << p;
        if (m01(c, p) == 0 && std::isfinite(pci[p])) coi += d * pci[p];
      }
      EXPECT_NEAR(o.coi[c], coi, 1e-10) << c;
    }
  }
}

TEST(Complexity, PanelDecilesMatchSortedReference) {
  // 4 years of 13 locations × 17 products; densities from 7 values (many ties, so runs of
  // equal density straddle the decile cuts) and a few unobserved cells (255).
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> level(0, 6), state(0, 9);
  const std::size_t L = 13, P = 17;
  std::vector<Snapshot> years(4);
  for (int t = 0; t < 4; ++t) {
    years[t].year = 2000 + t;
    years[t].present.resize(L * P);
    years[t].density = data::DenseMatrix(L, P);
    for (std::size_t i = 0; i < L * P; ++i) {
      const int s = state(rng);
      years[t].present[i] = s == 0 ? 255 : (s < 5 ? 1 : 0);
      years[t].density.data()[i] = level(rng) / 6.0;
    }
  }
  const auto d = panel_dynamics(years, L, P);
  // Reference: pool (density, entered) over year pairs, sort, assign ⌊10k/n⌋+1 with tie runs
  // taking the decile of their first member.
  std::vector<std::pair<double, bool>> cand;
  int entries = 0, exits = 0;
  for (int t = 0; t + 1 < 4; ++t)
    for (std::size_t i = 0; i < L * P; ++i) {
      const auto x = years[t].present[i], y = years[t + 1].present[i];
      if (x > 1 || y > 1) continue;
      entries += x == 0 && y == 1;
      exits += x == 1 && y == 0;
      if (x == 0) cand.emplace_back(years[t].density.data()[i], y == 1);
    }
  std::stable_sort(cand.begin(), cand.end(), [](auto& a, auto& b) { return a.first < b.first; });
  const std::size_t n = cand.size();
  std::map<int, std::pair<std::size_t, std::size_t>> ref;  // decile → (candidates, entries)
  int prev = 0;
  for (std::size_t k = 0; k < n; ++k) {
    int dec = static_cast<int>(10 * k / n) + 1;
    if (k > 0 && cand[k].first == cand[k - 1].first) dec = prev;
    prev = dec;
    ref[dec].first += 1;
    ref[dec].second += cand[k].second;
  }
  EXPECT_EQ(d.candidates, n);
  ASSERT_EQ(d.deciles.size(), ref.size());
  for (const auto& row : d.deciles) {
    EXPECT_EQ(row.candidates, ref[row.decile].first) << row.decile;
    EXPECT_EQ(row.entries, ref[row.decile].second) << row.decile;
  }
  int got_entries = 0, got_exits = 0;
  for (const auto& c : d.changes) got_entries += c.entries, got_exits += c.exits;
  EXPECT_EQ(got_entries, entries);
  EXPECT_EQ(got_exits, exits);
}

TEST(Complexity, WorldDataMethodsAgreeAndEciTracksIncome) {
  const auto panel = io::load_exports(world("world_exports_sitc4_avg_1998_2000.csv"));
  const auto x = export_matrix(panel);
  ASSERT_EQ(x.locations.size(), 226u);
  ASSERT_EQ(x.products.size(), 785u);
  AnalysisOptions opts;
  const auto a = analyse(x, opts);
  // Theory: normalised reflections converge to the eigenvector (rate (λ₃/λ₂)^{N/2}).
  const double rho_eci = spearman(a.eigen.eci, a.refl.eci);
  const double rho_pci = spearman(a.eigen.pci, a.refl.pci);
  EXPECT_GT(rho_eci, 0.999) << rho_eci;  // 0.99992 with N = 20
  EXPECT_GT(rho_pci, 0.999) << rho_pci;  // 0.99997
  EXPECT_GT(pearson(a.eigen.eci, [&] {
              std::vector<double> d(a.rca.m.diversity.begin(), a.rca.m.diversity.end());
              return d;
            }()), 0);
  // ECI against log GDP per capita (countries in both files).
  std::map<std::string, double> gdp;
  {
    std::ifstream in(world("world_gdp_per_capita_avg_1998_2000.csv"));
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      const auto k = line.find(',');
      if (k != std::string::npos && k + 1 < line.size()) gdp[line.substr(0, k)] = std::stod(line.substr(k + 1));
    }
  }
  std::vector<double> eci, lg;
  for (std::size_t c = 0; c < x.locations.size(); ++c)
    if (auto it = gdp.find(x.locations[c]); it != gdp.end() && it->second > 0 && std::isfinite(a.eigen.eci[c])) {
      eci.push_back(a.eigen.eci[c]);
      lg.push_back(std::log(it->second));
    }
  const double r = pearson(eci, lg), rs = spearman(eci, lg);
  std::cout << "[ world ] n = " << eci.size() << ", Pearson(ECI, ln GDPpc) = " << r
            << ", Spearman = " << rs << ", Spearman(ECI eigen, reflections) = " << rho_eci << "\n";
  RecordProperty("pearson_eci_log_gdp", std::to_string(r));
  // 0.484 (n = 185) on every location (analyse() itself applies no sample); with the Atlas
  // sample, agglo complexity's default, 0.592 (n = 145; test_sample.cpp). The tiny territories
  // without GDP (sgs, hmd, bvt…) shape ECI here.
  EXPECT_GT(r, 0.45);
  EXPECT_GT(rs, 0.4);
}

TEST(Complexity, ZeroLocationExcludedByName) {
  auto x = hand();
  x.locations.push_back("Z");
  data::DenseMatrix v(4, 4, 0.0);
  for (int c = 0; c < 3; ++c)
    for (int p = 0; p < 4; ++p) v(c, p) = x.values(c, p);
  x.values = v;
  const auto a = analyse(x, AnalysisOptions{});
  EXPECT_TRUE(a.rca.location_excluded[3]);
  ASSERT_FALSE(a.warnings.empty());
  EXPECT_NE(a.warnings.front().find("Z"), std::string::npos);
  // The others are unaffected: same ECI as without Z.
  const auto b = analyse(hand(), AnalysisOptions{});
  for (int c = 0; c < 3; ++c) EXPECT_NEAR(a.eci[c], b.eci[c], 1e-12);
  EXPECT_TRUE(std::isnan(a.eci[3]));
}

TEST(Complexity, SingleProductIsDocumentedResult) {
  ExportMatrix x;
  x.locations = {"A", "B", "C"};
  x.products = {"p"};
  x.values = data::DenseMatrix(3, 1, 5.0);
  const auto a = analyse(x, AnalysisOptions{});
  // Every RCA is 1, every location has the product: ECI and PCI are 0 with a warning.
  for (int c = 0; c < 3; ++c) EXPECT_DOUBLE_EQ(a.rca.rca(c, 0), 1.0);
  for (int c = 0; c < 3; ++c) EXPECT_EQ(a.eci[c], 0.0);
  EXPECT_EQ(a.pci[0], 0.0);
  EXPECT_FALSE(a.eigen.warnings.empty());
  // Density: with py-ecomplexity's self term (the default) the product is related only to
  // itself, d = M φ_pp / φ_pp = 1; without it (agglo convention) it is related to nothing, 0.
  // COG and COI are 0: ECI has no spread to scale them by.
  EXPECT_EQ(a.outlook.density(0, 0), 1.0);
  for (int c = 0; c < 3; ++c) EXPECT_EQ(a.outlook.coi[c], 0.0);
  EXPECT_EQ(a.outlook.cog(0, 0), 0.0);
  AnalysisOptions old;
  old.convention = OutlookConvention::agglo;
  EXPECT_EQ(analyse(x, old).outlook.density(0, 0), 0.0);
}

TEST(Complexity, BadInputFromTheLoader) {
  const auto neg = write_temp("neg.csv", "location,product,value\nA,p,1\nB,p,-2\n");
  try {
    io::load_exports(neg);
    FAIL() << "negative value accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
    EXPECT_EQ(e.where().line, 3u);
  }
  const auto text = write_temp("text.csv", "location,product,value\nA,p,1\nB,p,lots\n");
  try {
    io::load_exports(text);
    FAIL() << "non-numeric value accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::wrong_type);
  }
  const auto dup = write_temp("dup.csv", "location,product,value\nA,p,1\nA,p,2\nB,q,1\n");
  const auto* op = api::Registry::global().find("complexity");
  ASSERT_NE(op, nullptr);
  api::Context ctx;
  try {
    op->run({{"exports", dup}}, ctx);
    FAIL() << "duplicate rows accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::duplicate_row);
  }
  // --duplicates sum adds them up: A's p value is 3.
  const auto r = op->run({{"exports", dup}, {"duplicates", "sum"}, {"tables", "rca"}}, ctx);
  const auto& rc = table(r, "rca");
  EXPECT_EQ(std::get<data::RealColumn>(rc.at("value").values)[0], 3.0);
}

TEST(Complexity, PanelAddsYearsAndDynamics) {
  // Two years; in year 2 location A enters p3 (dense for A: p3 co-occurs with p2, which A has).
  std::string csv = "location,product,value,year\n";
  const double y1[3][4] = {{4, 2, 0, 4}, {1, 2, 1, 6}, {6, 0, 0, 4}};
  const double y2[3][4] = {{4, 2, 3, 4}, {1, 2, 1, 6}, {6, 0, 0, 4}};
  const char* L[3] = {"A", "B", "C"};
  const char* P[4] = {"p1", "p2", "p3", "p4"};
  for (int y = 0; y < 2; ++y)
    for (int c = 0; c < 3; ++c)
      for (int p = 0; p < 4; ++p) {
        const double v = y == 0 ? y1[c][p] : y2[c][p];
        if (v > 0) csv += std::string(L[c]) + "," + P[p] + "," + std::to_string(v) + "," + std::to_string(2000 + y) + "\n";
      }
  const auto f = write_temp("panel.csv", csv);
  api::Context ctx;
  const auto r = api::Registry::global().find("complexity")->run({{"exports", f}}, ctx);
  const auto& eci = table(r, "eci");
  EXPECT_EQ(eci.rows(), 6u);
  EXPECT_EQ(eci.columns().back().name, "year");
  const auto& tr = table(r, "transitions");
  EXPECT_EQ(tr.rows(), 3u);
  const auto& entries = std::get<data::IntColumn>(tr.at("entries").values);
  EXPECT_EQ(entries[0], 1);  // A entered p3
  const auto& dec = table(r, "entry_by_density");
  EXPECT_GT(dec.rows(), 0u);
  // --year picks one year and drops the year column.
  const auto one = api::Registry::global().find("complexity")->run({{"exports", f}, {"year", "2001"}, {"tables", "eci"}}, ctx);
  EXPECT_EQ(table(one, "eci").columns().back().name, "total");
}

TEST(Complexity, OpportunitiesRankAndPath) {
  api::Context ctx;
  const auto r = api::Registry::global().find("opportunities")->run(
      {{"exports", world("world_exports_sitc4_avg_1998_2000.csv")}, {"location", "tha"}, {"top", "20"}}, ctx);
  const auto& t = table(r, "opportunities");
  ASSERT_EQ(t.rows(), 20u);
  const auto& rank = std::get<data::IntColumn>(t.at("rank").values);
  const auto& score = std::get<data::RealColumn>(t.at("score").values);
  for (std::size_t i = 0; i < t.rows(); ++i) EXPECT_EQ(rank[i], static_cast<std::int64_t>(i + 1));
  for (std::size_t i = 1; i < t.rows(); ++i) EXPECT_GE(score[i - 1], score[i]);
  const auto& path = std::get<data::TextColumn>(t.at("path").values);
  EXPECT_FALSE(path[0].empty());
  EXPECT_GT(table(r, "space_edges").rows(), 700u);  // at least the spanning tree
  EXPECT_THROW(api::Registry::global().find("opportunities")->run(
                   {{"exports", world("world_exports_sitc4_avg_1998_2000.csv")}, {"location", "nowhere"}}, ctx),
               Error);
}

TEST(Complexity, ProductSpaceGraphFile) {
  // --graph writes the backbone as node-link JSON: one node per product with some presence,
  // the location's present products flagged (as in the space_nodes table), every backbone link
  // once, and a spanning tree with nodes − components edges; the layout is seeded.
  test_support::TempDir dir;
  const auto file = dir.path() + "/kor.json";
  api::Context ctx;
  const auto r = api::Registry::global().find("opportunities")->run(
      {{"exports", world("world_exports_sitc4_avg_1998_2000.csv")}, {"location", "kor"}, {"graph", file}}, ctx);
  std::ifstream in(file);
  const auto g = nlohmann::json::parse(in);
  const auto& nodes = table(r, "space_nodes");
  const auto& present = std::get<data::IntColumn>(nodes.at("present").values);
  const auto& ids = std::get<data::TextColumn>(nodes.at("product").values);
  std::map<std::string, bool> want;
  for (std::size_t i = 0; i < nodes.rows(); ++i) want[ids[i]] = present[i] != 0;
  ASSERT_EQ(g["nodes"].size(), 785u);
  std::size_t n_present = 0;
  for (const auto& n : g["nodes"]) {
    EXPECT_EQ(n["present"].get<bool>(), want.at(n["id"].get<std::string>()));
    n_present += n["present"].get<bool>();
    EXPECT_TRUE(n["x"].is_number() && n["y"].is_number());
  }
  EXPECT_GT(n_present, 100u);
  EXPECT_EQ(g["links"].size(), table(r, "space_edges").rows());
  std::size_t tree = 0;
  for (const auto& l : g["links"]) tree += l["tree"].get<bool>();
  EXPECT_EQ(tree, 785u - 1);  // the world product space is connected
  // Same seed, same picture.
  const auto file2 = dir.path() + "/kor2.json";
  api::Registry::global().find("opportunities")->run(
      {{"exports", world("world_exports_sitc4_avg_1998_2000.csv")}, {"location", "kor"}, {"graph", file2}}, ctx);
  std::ifstream in2(file2);
  EXPECT_EQ(nlohmann::json::parse(in2)["nodes"][7]["x"], g["nodes"][7]["x"]);
}

TEST(Complexity, PanelIdenticalForOneAndTwoThreads) {
  // A 5-year panel (years are analysed two at a time, each in parallel inside): every number
  // of every table must be the same bytes with 1 and 2 worker threads.
  test_support::TempDir dir;
  const auto file = dir.path() + "/panel.csv";
  {
    std::ofstream out(file);
    out << "location,product,value,year\n";
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(0, 1);
    for (int y = 2001; y <= 2005; ++y)
      for (int c = 0; c < 30; ++c)
        for (int p = 0; p < 260; ++p)
          if (u(rng) < 0.6) out << "c" << c << ",p" << p << "," << std::floor(1 + 1000 * u(rng) * u(rng)) << "," << y << "\n";
  }
  auto run = [&](int threads) {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    api::Context ctx;
    return api::Registry::global().find("complexity")->run({{"exports", file}}, ctx);
  };
  const auto a = run(1), b = run(2);
  ASSERT_EQ(a.tables.size(), b.tables.size());
  for (std::size_t k = 0; k < a.tables.size(); ++k) {
    const auto& [name, ta] = a.tables[k];
    const auto& tb = b.tables[k].second;
    ASSERT_EQ(ta.rows(), tb.rows()) << name;
    for (const auto& col : ta.columns())
      if (const auto* x = std::get_if<data::RealColumn>(&col.values)) {
        const auto& y = std::get<data::RealColumn>(tb.at(col.name).values);
        for (std::size_t i = 0; i < x->size(); ++i)
          ASSERT_TRUE((*x)[i] == y[i] || (std::isnan((*x)[i]) && std::isnan(y[i]))) << name << "." << col.name << " row " << i;
      }
  }
  EXPECT_GT(table(a, "entry_by_density").rows(), 5u);
}
