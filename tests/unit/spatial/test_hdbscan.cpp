// HDBSCAN* (Campello, Moulavi & Sander 2013; McInnes & Healy 2017): a small example worked by
// hand, core distances and the Borůvka kd-tree spanning tree against O(n²) loops (k-th
// smallest distance; Prim over all pairs), the whole method against its brute-force
// composition, agreement with R's dbscan::hdbscan on stored reference outputs
// (tests/reference/spatial_density), 1 vs 2 threads, ties and degenerate inputs, bad input,
// the `agglo hdbscan` operation, and recovery of planted clusters by DBSCAN and HDBSCAN.
#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/spatial/dbscan.hpp"
#include "agglo/spatial/hdbscan.hpp"

using namespace agglo;
using namespace agglo::spatial;

namespace {

// Adjusted Rand index (Hubert & Arabie 1985) of two labelings; every label, −1 included, is
// one class.
double ari(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  EXPECT_EQ(a.size(), b.size());
  std::map<std::pair<std::int64_t, std::int64_t>, double> nij;
  std::map<std::int64_t, double> ai, bj;
  for (std::size_t i = 0; i < a.size(); ++i) ++nij[{a[i], b[i]}], ++ai[a[i]], ++bj[b[i]];
  auto c2 = [](double v) { return v * (v - 1) / 2; };
  double sij = 0, sa = 0, sb = 0;
  for (const auto& [k, v] : nij) sij += c2(v);
  for (const auto& [k, v] : ai) sa += c2(v);
  for (const auto& [k, v] : bj) sb += c2(v);
  const double expected = sa * sb / c2(static_cast<double>(a.size()));
  const double maxv = (sa + sb) / 2;
  if (maxv == expected) return 1.0;
  return (sij - expected) / (maxv - expected);
}

template <class T>
std::vector<std::int64_t> widen(const std::vector<T>& v) {
  return std::vector<std::int64_t>(v.begin(), v.end());
}

// Blobs of different spread, uniform background, optional lattice rounding (ties) and
// duplicated points; projected (units) or lon/lat near the antimeridian.
void random_points(unsigned seed, bool geographic, std::size_t n, bool ties, std::vector<double>& x,
                   std::vector<double>& y) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> nd(0, 1);
  x.clear(), y.clear();
  const double span = geographic ? 2.0 : 100.0;
  const double x0 = geographic ? 179.0 : 0, y0 = geographic ? 50.0 : 0;
  std::vector<std::pair<double, double>> c(4);
  for (auto& cc : c) cc = {u(g) * span, u(g) * span};
  for (std::size_t i = 0; i < n; ++i) {
    double a, b;
    if (u(g) < 0.25) {
      a = u(g) * span, b = u(g) * span;
    } else {
      const auto k = g() % c.size();
      const double s = span * 0.01 * static_cast<double>(k + 1);
      a = c[k].first + nd(g) * s, b = c[k].second + nd(g) * s;
    }
    if (ties) a = std::round(a), b = std::round(b);  // a lattice: many equal distances
    a += x0, b += y0;
    if (geographic) {
      if (a > 180) a -= 360;
      b = std::clamp(b, -90.0, 90.0);
    }
    x.push_back(a), y.push_back(b);
    if (ties && u(g) < 0.1) x.push_back(a), y.push_back(b), ++i;  // a duplicate
  }
  x.resize(n), y.resize(n);
}

double weight(const std::vector<MstEdge>& t) {
  double s = 0;
  for (const auto& e : t) s += e.weight;
  return s;
}

bool spanning(std::size_t n, const std::vector<MstEdge>& t) {
  if (t.size() + 1 != n) return false;
  std::vector<std::size_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = i;
  std::function<std::size_t(std::size_t)> f = [&](std::size_t a) { return p[a] == a ? a : p[a] = f(p[a]); };
  for (const auto& e : t) {
    const auto a = f(e.a), b = f(e.b);
    if (a == b) return false;
    p[a] = b;
  }
  return true;
}

// A CSV with a header into columns by name.
std::map<std::string, std::vector<double>> read_csv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  std::stringstream hs(line);
  for (std::string f; std::getline(hs, f, ',');) names.push_back(f);
  std::map<std::string, std::vector<double>> cols;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::size_t j = 0;
    for (std::string f; std::getline(ls, f, ','); ++j) cols[names.at(j)].push_back(f == "NaN" || f == "NA" ? std::nan("") : std::stod(f));
  }
  return cols;
}

const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}

}  // namespace

// Points 0, 1, 2, 4 and 10, 11, 12 on a line, min_cluster_size = min_samples = 2.
// Core distances (nearest other point): 1, 1, 1, 2 | 1, 1, 1. Mutual reachability tree:
// (0,1) 1, (1,2) 1, (2,4) 2, (10,11) 1, (11,12) 1, and (4,10) max(2, 1, 6) = 6.
// At d = 6 (λ = 1/6) the root splits into A = {0,1,2,4} and B = {10,11,12}. In A, 4 leaves at
// λ = 1/2, then {0,1,2} at λ = 1 (single points, below 2); in B all leave at λ = 1.
// S(A) = (1/2 − 1/6) + 3 (1 − 1/6) = 17/6, S(B) = 3 (1 − 1/6) = 5/2: both leaf clusters are
// selected. λ_max = 1 in both: probability 1, and 1/2 for the point 4. R's convention:
// max core in A is 2 → (2 − 1)/2 = 1/2 for 0, 1, 2 and 0 for 4; in B max core 1 → 0.
TEST(SpatialHdbscan, HandWorkedLine) {
  const std::vector<double> x = {0, 1, 2, 4, 10, 11, 12}, y(7, 0.0);
  const auto r = hdbscan(x, y, {2, 2, false});
  EXPECT_EQ(r.label, (std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(r.clusters, 2u);
  EXPECT_EQ(r.noise, 0u);
  EXPECT_EQ(r.core_distance, (std::vector<double>{1, 1, 1, 2, 1, 1, 1}));
  EXPECT_DOUBLE_EQ(r.mst_weight, 1 + 1 + 2 + 1 + 1 + 6);
  ASSERT_EQ(r.stability.size(), 2u);
  EXPECT_NEAR(r.stability[0], 17.0 / 6, 1e-12);
  EXPECT_NEAR(r.stability[1], 5.0 / 2, 1e-12);
  EXPECT_NEAR(r.lambda_birth[0], 1.0 / 6, 1e-15);
  const std::vector<double> pl = {1, 1, 1, 0.5, 1, 1, 1};
  for (std::size_t i = 0; i < 7; ++i) EXPECT_NEAR(r.probability[i], pl[i], 1e-12) << i;
  const std::vector<double> pc = {0.5, 0.5, 0.5, 0, 0, 0, 0};
  for (std::size_t i = 0; i < 7; ++i) EXPECT_NEAR(r.probability_coredist[i], pc[i], 1e-12) << i;
  // With min_cluster_size 4, B (3 points) is too small: the root never splits into two
  // clusters, so there is no cluster at all (the root is not selectable).
  const auto r4 = hdbscan(x, y, {4, 2, false});
  EXPECT_EQ(r4.clusters, 0u);
  EXPECT_EQ(r4.noise, 7u);
}

TEST(SpatialHdbscanMst, CoreDistancesEqualSortedDistances) {
  for (bool geo : {false, true})
    for (bool ties : {false, true}) {
      std::vector<double> x, y;
      random_points(3 + ties, geo, 400, ties, x, y);
      for (std::size_t k : {1u, 2u, 5u, 17u}) {
        const auto core = core_distances(x, y, k, geo);
        // Brute force: the k-th smallest of all distances (the point's own 0 included), in
        // the same metric space (chord of unit vectors for lon/lat).
        for (std::size_t i = 0; i < x.size(); i += 7) {
          std::vector<double> d;
          for (std::size_t j = 0; j < x.size(); ++j) {
            if (geo) {
              auto u = [&](std::size_t t) {
                const double l = x[t] * 3.14159265358979323846 / 180, p = y[t] * 3.14159265358979323846 / 180;
                return std::array<double, 3>{std::cos(p) * std::cos(l), std::cos(p) * std::sin(l), std::sin(p)};
              };
              const auto a = u(i), b = u(j);
              d.push_back(std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2])));
            } else {
              d.push_back(std::hypot(x[i] - x[j], y[i] - y[j]));
            }
          }
          std::sort(d.begin(), d.end());
          EXPECT_NEAR(core[i], d[k - 1], 1e-12 * (1 + d[k - 1])) << "geo " << geo << " k " << k << " i " << i;
        }
      }
    }
}

TEST(SpatialHdbscanMst, BoruvkaWeightEqualsPrim) {
  for (bool geo : {false, true})
    for (bool ties : {false, true})
      for (unsigned seed : {1u, 2u, 3u})
        for (std::size_t k : {1u, 4u, 12u}) {
          std::vector<double> x, y;
          random_points(seed * 10 + ties, geo, 600, ties, x, y);
          const auto core = core_distances(x, y, k, geo);
          const auto b = mreach_mst(x, y, core, geo);
          const auto p = mreach_mst_prim(x, y, core, geo);
          ASSERT_TRUE(spanning(x.size(), b));
          ASSERT_TRUE(spanning(x.size(), p));
          EXPECT_NEAR(weight(b), weight(p), 1e-9 * weight(p)) << "geo " << geo << " ties " << ties << " seed " << seed << " k " << k;
          // The multiset of weights of any two minimum spanning trees is the same.
          for (std::size_t i = 0; i < b.size(); ++i) ASSERT_NEAR(b[i].weight, p[i].weight, 1e-12 * (1 + p[i].weight)) << i;
        }
}

TEST(SpatialHdbscan, EqualsBruteForce) {
  for (bool geo : {false, true})
    for (bool ties : {false, true})
      for (auto conv : {HdbscanConvention::campello, HdbscanConvention::r_dbscan})
        for (std::size_t mcs : {5u, 15u}) {
          std::vector<double> x, y;
          random_points(7 + ties, geo, 700, ties, x, y);
          HdbscanParams p{mcs, 0, geo, conv};
          const auto a = hdbscan(x, y, p);
          const auto b = hdbscan_bruteforce(x, y, p);
          EXPECT_EQ(a.label, b.label) << geo << ties << mcs;
          EXPECT_GT(a.clusters, 1u);
          for (std::size_t i = 0; i < x.size(); ++i) ASSERT_NEAR(a.probability[i], b.probability[i], 1e-9) << i;
          p.min_samples = 3;
          EXPECT_EQ(hdbscan(x, y, p).label, hdbscan_bruteforce(x, y, p).label);
        }
}

TEST(SpatialHdbscan, SameResultOnOneAndTwoThreads) {
  for (bool geo : {false, true}) {
    std::vector<double> x, y;
    random_points(21, geo, 30000, !geo, x, y);  // lattice ties and duplicates in the projected case
    HdbscanResult a, b;
    std::vector<MstEdge> ta, tb;
    const auto core = core_distances(x, y, 10, geo);
    tbb::task_arena(1).execute([&] { a = hdbscan(x, y, {25, 10, geo}); ta = mreach_mst(x, y, core, geo); });
    tbb::task_arena(2).execute([&] { b = hdbscan(x, y, {25, 10, geo}); tb = mreach_mst(x, y, core, geo); });
    EXPECT_EQ(a.label, b.label);
    EXPECT_EQ(a.probability, b.probability);
    EXPECT_GT(a.clusters, 1u);
    ASSERT_EQ(ta.size(), tb.size());
    for (std::size_t i = 0; i < ta.size(); ++i) {
      ASSERT_EQ(ta[i].a, tb[i].a) << i;
      ASSERT_EQ(ta[i].b, tb[i].b) << i;
      ASSERT_EQ(ta[i].weight, tb[i].weight) << i;
    }
  }
}

// R's dbscan::hdbscan (r-cran-dbscan 1.1-11) on the stored cases. Core distances agree to
// 1e-9. The partitions agree except for "split-tie" points (see hdbscan.hpp): a point, or a
// small group, joining at exactly the level where its cluster splits; R's binary dendrogram
// hands it to one child (membership_prob 0 when it is a single point with the largest core
// distance), agglo's multi-way merge leaves it to the parent (noise). Every disagreement must
// be such a point, the rest must be the same partition (ARI = 1), and R's membership_prob must
// agree to 1e-9 on every cluster whose members are the same.
TEST(SpatialHdbscanR, AgreesWithRDbscan) {
  const std::string dir = std::string(AGGLO_TEST_DATA) + "/reference/spatial_density/";
  struct Case { const char* file; std::size_t minpts; bool geo; };
  for (const Case c : {Case{"hdbscan_blobs_minpts5.csv", 5, false}, Case{"hdbscan_blobs_minpts12.csv", 12, false},
                       Case{"hdbscan_medium_minpts10.csv", 10, false}, Case{"hdbscan_medium_minpts25.csv", 25, false},
                       Case{"hdbscan_ties_minpts4.csv", 4, false}, Case{"hdbscan_ties_minpts6.csv", 6, false},
                       Case{"hdbscan_lonlat_minpts8.csv", 8, true}}) {
    SCOPED_TRACE(c.file);
    auto cols = read_csv(dir + c.file);
    const auto& x = cols[c.geo ? "lon" : "x"];
    const auto& y = cols[c.geo ? "lat" : "y"];
    const std::size_t n = x.size();
    ASSERT_GT(n, 50u);
    const auto r = hdbscan(x, y, {c.minpts, 0, c.geo, HdbscanConvention::r_dbscan});
    // Core distances (R's are chord km for the lon/lat case: compare through the chord).
    for (std::size_t i = 0; i < n; ++i) {
      double ours = r.core_distance[i];
      if (c.geo) ours = 2 * 6371.0088 * std::sin(ours / (2 * 6371.0088));
      ASSERT_NEAR(ours, cols["coredist"][i], 1e-9 * (1 + ours)) << i;
    }
    std::vector<std::int64_t> ra, oa;
    std::size_t ties = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto rc = static_cast<std::int64_t>(cols["cluster"][i]) - 1;  // R: 0 = noise
      if ((rc < 0) != (r.label[i] < 0)) {
        EXPECT_TRUE(r.split_tie[i] && r.label[i] < 0) << "point " << i << " R " << rc << " agglo " << r.label[i];
        ++ties;
        continue;
      }
      ra.push_back(rc), oa.push_back(r.label[i]);
    }
    EXPECT_LE(ties, 3u);
    EXPECT_DOUBLE_EQ(ari(ra, oa), 1.0);
    // Probabilities on identical clusters.
    std::map<std::int64_t, std::set<std::size_t>> rm, om;
    for (std::size_t i = 0; i < n; ++i) {
      const auto rc = static_cast<std::int64_t>(cols["cluster"][i]);
      if (rc > 0) rm[rc].insert(i);
      if (r.label[i] >= 0) om[r.label[i]].insert(i);
    }
    std::size_t same = 0;
    for (const auto& [k, members] : rm)
      for (const auto& [l, ours] : om)
        if (members == ours) {
          ++same;
          for (auto i : members)
            if (!std::isnan(cols["membership_prob"][i]))  // lon/lat: R's are on chord km
              ASSERT_NEAR(r.probability[i], cols["membership_prob"][i], c.geo ? 1e-6 : 1e-9) << i;
        }
    EXPECT_GE(same, (rm.size() + 1) / 2);
    // The default (Campello) convention gives the same partition on these cases.
    const auto d = hdbscan(x, y, {c.minpts, 0, c.geo});
    EXPECT_EQ(d.label, r.label);
  }
}

TEST(SpatialHdbscan, TiesAndDegenerateInputs) {
  // All points identical: one level, no structure; all noise (R dbscan agrees).
  std::vector<double> x(10, 1.5), y(10, -3.0);
  auto r = hdbscan(x, y, {3, 0, false});
  EXPECT_EQ(r.clusters, 0u);
  EXPECT_EQ(r.noise, 10u);
  // Two stacks of identical points far apart: two clusters, probability 1 (λ = ∞).
  x = {0, 0, 0, 0, 5, 5, 5, 5};
  y = {0, 0, 0, 0, 0, 0, 0, 0};
  r = hdbscan(x, y, {3, 3, false});
  EXPECT_EQ(r.label, (std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 1, 1}));
  for (double p : r.probability) EXPECT_EQ(p, 1.0);
  // A point bridging two clusters at exactly their split level is noise (split tie), whatever
  // the input order.
  // Unit squares at x 0..1 and 4..5, the bridge at (2.5, 0.5): its core distance (min_samples
  // 2) is √(1.5² + 0.5²), the distance to either square, so it joins both at that level, where
  // the squares (4 points each) split.
  x = {0, 1, 0, 1, 2.5, 5, 4, 5, 4};
  y = {0, 0, 1, 1, 0.5, 0, 0, 1, 1};
  const auto a = hdbscan(x, y, {4, 2, false});
  EXPECT_EQ(a.clusters, 2u);
  EXPECT_EQ(a.label[4], -1);
  EXPECT_EQ(a.split_tie[4], 1);
  std::vector<double> xr(x.rbegin(), x.rend()), yr(y.rbegin(), y.rend());
  const auto b = hdbscan(xr, yr, {4, 2, false});
  std::vector<std::int32_t> back(b.label.rbegin(), b.label.rend());
  EXPECT_DOUBLE_EQ(ari(widen(a.label), widen(back)), 1.0);
  // min_samples 1: core distance 0, plain single linkage.
  EXPECT_EQ(core_distances(x, y, 1, false), std::vector<double>(x.size(), 0.0));
}

TEST(SpatialHdbscan, BadParameters) {
  std::vector<double> x = {0, 1, 2}, y = {0, 0, 0};
  try {
    hdbscan(x, y, {1, 0, false});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
  }
  try {
    hdbscan(x, y, {4, 0, false});
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
  }
}

TEST(SpatialHdbscan, OperationOnFile) {
  test_support::TempDir d;
  std::string csv = "id,industry,x,y,employees\n";
  std::vector<double> x, y;
  random_points(5, false, 600, false, x, y);
  for (std::size_t i = 0; i < x.size(); ++i)
    csv += "e" + std::to_string(i) + "," + (i % 3 ? "A" : "B") + "," + std::to_string(x[i]) + "," + std::to_string(y[i]) + ",10\n";
  const auto f = d.write("est.csv", csv);
  api::Context ctx;
  const auto* op = api::Registry::global().find("hdbscan");
  ASSERT_NE(op, nullptr);
  auto r = op->run({{"establishments", f}, {"min-cluster-size", "10"}}, ctx);
  const auto& t = table(r, "hdbscan");
  ASSERT_EQ(t.cols(), 5u);  // id, cluster, probability and the point's own x, y
  EXPECT_EQ(t.columns()[0].name, "id");
  EXPECT_EQ(t.columns()[1].name, "cluster");
  EXPECT_EQ(t.columns()[2].name, "probability");
  EXPECT_EQ(t.columns()[3].name, "x");
  EXPECT_EQ(t.columns()[4].name, "y");
  const auto& cl = std::get<data::IntColumn>(t.at("cluster").values);
  const auto& c = table(r, "clusters");
  EXPECT_GT(c.rows(), 1u);
  std::int64_t members = 0;
  for (auto v : std::get<data::IntColumn>(c.at("establishments").values)) members += v;
  EXPECT_EQ(members, std::count_if(cl.begin(), cl.end(), [](std::int64_t v) { return v >= 0; }));
  EXPECT_NE(r.summary_json.find("\"min_samples\": 10"), std::string::npos);
  // Bad options.
  for (auto bad : std::vector<core::ParamMap>{{{"establishments", f}, {"min-cluster-size", "1"}},
                                             {{"establishments", f}, {"min-cluster-size", "5"}, {"min-samples", "0"}},
                                             {{"establishments", f}, {"min-cluster-size", "5"}, {"concavity", "0"}}}) {
    try {
      op->run(bad, ctx);
      ADD_FAILURE();
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::usage);
    }
  }
  try {
    op->run({{"establishments", f}, {"min-cluster-size", "700"}}, ctx);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
  }
}

// Planted clusters: 6 Gaussian clusters (σ from 0.3 to 1.5 km, 150–600 points) on a 100 km
// square with 15% uniform background (seeded). Planted labels: the cluster, or −1 for the
// background. DBSCAN (eps 0.6 km, minPts 10) and HDBSCAN (min cluster size 40) must recover
// them with ARI ≥ 0.9 (measured 0.920 and 0.923: see docs/methods/spatial.md).
TEST(SpatialPlanted, DbscanAndHdbscanRecoverPlantedClusters) {
  std::mt19937_64 g(20261123);
  std::normal_distribution<double> nd(0, 1);
  std::uniform_real_distribution<double> u(0, 100);
  const std::vector<std::pair<double, double>> centre = {{15, 20}, {70, 25}, {40, 60}, {85, 80}, {20, 85}, {55, 35}};
  const std::vector<double> sigma = {0.3, 0.6, 1.0, 1.5, 0.8, 0.5};
  const std::vector<std::size_t> size = {150, 300, 600, 500, 250, 200};
  std::vector<double> x, y;
  std::vector<std::int64_t> truth;
  for (std::size_t k = 0; k < centre.size(); ++k)
    for (std::size_t i = 0; i < size[k]; ++i) {
      x.push_back(centre[k].first + sigma[k] * nd(g));
      y.push_back(centre[k].second + sigma[k] * nd(g));
      truth.push_back(static_cast<std::int64_t>(k));
    }
  for (std::size_t i = 0; i < 350; ++i) x.push_back(u(g)), y.push_back(u(g)), truth.push_back(-1);
  const auto db = dbscan(x, y, {}, {0.6, 10, false});
  const auto hd = hdbscan(x, y, {40, 0, false});
  const double ari_db = ari(truth, widen(db.label)), ari_hd = ari(truth, widen(hd.label));
  std::cout << "[planted] DBSCAN clusters " << db.clusters << " ARI " << ari_db << "; HDBSCAN clusters " << hd.clusters
            << " ARI " << ari_hd << "\n";
  EXPECT_GE(ari_db, 0.9);
  EXPECT_GE(ari_hd, 0.9);
  EXPECT_EQ(hd.clusters, 6u);
  // Noise of the planted background: most of it is noise in both.
  std::size_t bg = 0, bg_db = 0, bg_hd = 0;
  for (std::size_t i = 0; i < truth.size(); ++i)
    if (truth[i] < 0) ++bg, bg_db += db.label[i] < 0, bg_hd += hd.label[i] < 0;
  EXPECT_GE(static_cast<double>(bg_db) / bg, 0.8);
  EXPECT_GE(static_cast<double>(bg_hd) / bg, 0.65);  // HDBSCAN keeps background points near clusters
}
