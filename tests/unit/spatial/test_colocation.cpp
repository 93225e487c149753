// Co-location patterns (Huang, Shekhar & Xiong 2004): a small example worked by hand, the
// clique search against an O(n^k) enumeration of all row instances on random inputs, the
// anti-monotonicity of the participation index, thread-count independence, lon/lat against
// projected coordinates, bad parameters, and the `agglo colocation` operation on files.
#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/spatial/colocation.hpp"

using namespace agglo;
using namespace agglo::spatial;

namespace {

// The hand-worked example, D = 1 (Euclidean). Features A = 0, B = 1, C = 2.
//
//   A1 (0,0)   B1 (1,0)    C1 (0.5,0.8)   a triangle: |A1B1| = 1 (on the boundary, d ≤ D
//   B3 (0,-0.9)                            counts), |A1C1| = |B1C1| = √0.89 ≈ 0.943
//   A2 (10,0)  B2 (10.8,0)                 a pair A–B, 0.8 apart
//   A4 (20,10) B5 (20.9,10) C3 (19.1,10)   a star around A4 (0.9 to each) that is NOT a
//                                          clique: |B5C3| = 1.8
//   C4 (21.8,10) B6 (18.2,10)              C4 is 0.9 from B5 and B6 0.9 from C3 (both 1.8
//                                          from A4), so B5 and C3 do take part in {B,C}
//   A3 (20,0)  B4 (30,0)   C2 (10,5)       isolated
//
// Neighbour pairs of distinct features: A1B1, A1B3, A1C1, B1C1, A2B2, A4B5, A4C3, B5C4, B6C3
// (9). Instances: |A| = 4, |B| = 6, |C| = 4.
//   {A,B}: A1B1, A1B3, A2B2, A4B5   → A {1,2,4} 3/4, B {1,2,3,5} 4/6   → PI 2/3
//   {A,C}: A1C1, A4C3               → A 2/4, C {1,3} 2/4              → PI 1/2
//   {B,C}: B1C1, B5C4, B6C3         → B {1,5,6} 3/6, C {1,3,4} 3/4    → PI 1/2
//   {A,B,C}: A1B1C1 only            → A 1/4, B 1/6, C 1/4             → PI 1/6
// A4B5C3 is a star instance, not a row instance. Every one of its points takes part in all
// three pairs, so only the clique test rejects it; counting it would give {A,B,C} the ratios
// 2/4, 2/6, 2/4 and PI 1/3 (prevalent at θ = 0.2, where the truth 1/6 is not).
struct Pt { double x, y; std::uint32_t f; const char* id; };
const std::vector<Pt> hand = {{0, 0, 0, "A1"},     {10, 0, 0, "A2"},    {20, 0, 0, "A3"},   {20, 10, 0, "A4"},
                              {1, 0, 1, "B1"},     {10.8, 0, 1, "B2"},  {0, -0.9, 1, "B3"}, {30, 0, 1, "B4"},
                              {20.9, 10, 1, "B5"}, {18.2, 10, 1, "B6"}, {0.5, 0.8, 2, "C1"}, {10, 5, 2, "C2"},
                              {19.1, 10, 2, "C3"}, {21.8, 10, 2, "C4"}};

void split(const std::vector<Pt>& pts, std::vector<double>& x, std::vector<double>& y, std::vector<std::uint32_t>& f) {
  x.clear(), y.clear(), f.clear();
  for (const auto& p : pts) x.push_back(p.x), y.push_back(p.y), f.push_back(p.f);
}

ColocationResult mine(const std::vector<double>& x, const std::vector<double>& y, const std::vector<std::uint32_t>& f,
                      std::uint32_t F, double d, bool geo, double theta, std::size_t max_size) {
  ColocationParams p;
  p.min_prevalence = theta;
  p.max_size = max_size;
  return mine_colocations(f, F, colocation_pairs(x, y, f, d, geo), p);
}

const ColocationPattern* find(const ColocationResult& r, const std::vector<std::uint32_t>& fs) {
  for (const auto& p : r.patterns)
    if (p.features == fs) return &p;
  return nullptr;
}

// Every pattern identical: features, participating counts, ratios and PI bit for bit.
void expect_same(const ColocationResult& a, const ColocationResult& b, const std::string& what) {
  ASSERT_EQ(a.patterns.size(), b.patterns.size()) << what;
  for (std::size_t i = 0; i < a.patterns.size(); ++i) {
    EXPECT_EQ(a.patterns[i].features, b.patterns[i].features) << what << " pattern " << i;
    EXPECT_EQ(a.patterns[i].participating, b.patterns[i].participating) << what << " pattern " << i;
    EXPECT_EQ(a.patterns[i].participation_ratio, b.patterns[i].participation_ratio) << what << " pattern " << i;
    EXPECT_EQ(a.patterns[i].participation_index, b.patterns[i].participation_index) << what << " pattern " << i;
  }
  EXPECT_EQ(a.instances, b.instances) << what;
  EXPECT_EQ(a.neighbour_pairs, b.neighbour_pairs) << what;
}

// Clustered random points of F features: blobs where several features mix, plus background.
void random_points(unsigned seed, std::size_t n, std::uint32_t F, double span, std::vector<double>& x,
                   std::vector<double>& y, std::vector<std::uint32_t>& f) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> nd(0, 1);
  x.clear(), y.clear(), f.clear();
  std::vector<std::pair<double, double>> centres(4);
  for (auto& c : centres) c = {u(g) * span, u(g) * span};
  for (std::size_t i = 0; i < n; ++i) {
    if (u(g) < 0.3) {
      x.push_back(u(g) * span), y.push_back(u(g) * span);
    } else {
      const auto& c = centres[g() % centres.size()];
      x.push_back(c.first + nd(g) * span * 0.05), y.push_back(c.second + nd(g) * span * 0.05);
    }
    f.push_back(static_cast<std::uint32_t>(g() % F));
  }
}

const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}

}  // namespace

TEST(SpatialColocation, HandWorkedExample) {
  std::vector<double> x, y;
  std::vector<std::uint32_t> f;
  split(hand, x, y, f);
  auto r = mine(x, y, f, 3, 1.0, false, 0.15, 0);
  EXPECT_EQ(r.neighbour_pairs, 9u);
  EXPECT_EQ(r.instances, (std::vector<std::uint32_t>{4, 6, 4}));
  ASSERT_EQ(r.patterns.size(), 4u);
  const auto* ab = find(r, {0, 1});
  const auto* ac = find(r, {0, 2});
  const auto* bc = find(r, {1, 2});
  const auto* abc = find(r, {0, 1, 2});
  ASSERT_TRUE(ab && ac && bc && abc);
  EXPECT_EQ(ab->participating, (std::vector<std::uint32_t>{3, 4}));
  EXPECT_DOUBLE_EQ(ab->participation_index, 2.0 / 3);
  EXPECT_EQ(ac->participating, (std::vector<std::uint32_t>{2, 2}));
  EXPECT_DOUBLE_EQ(ac->participation_index, 0.5);
  EXPECT_EQ(bc->participating, (std::vector<std::uint32_t>{3, 3}));
  EXPECT_DOUBLE_EQ(bc->participation_ratio[1], 0.75);
  EXPECT_DOUBLE_EQ(bc->participation_index, 0.5);
  EXPECT_EQ(abc->participating, (std::vector<std::uint32_t>{1, 1, 1}));
  EXPECT_DOUBLE_EQ(abc->participation_ratio[0], 0.25);
  EXPECT_DOUBLE_EQ(abc->participation_index, 1.0 / 6);
  // Ordered by size, then by features.
  EXPECT_EQ(r.patterns[0].features, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(r.patterns[3].features, (std::vector<std::uint32_t>{0, 1, 2}));
  ASSERT_EQ(r.levels.size(), 2u);
  EXPECT_EQ(r.levels[0].candidates, 3u);
  EXPECT_EQ(r.levels[1].candidates, 1u);

  // θ = 0.2: {A,B,C} is a candidate (all its pairs are prevalent) but PI 1/6 < 0.2; had the
  // star A4B5C3 been counted, PI would be 1/3.
  r = mine(x, y, f, 3, 1.0, false, 0.2, 0);
  ASSERT_EQ(r.patterns.size(), 3u);
  EXPECT_EQ(find(r, {0, 1, 2}), nullptr);
  ASSERT_EQ(r.levels.size(), 2u);
  EXPECT_EQ(r.levels[1].candidates, 1u);
  EXPECT_EQ(r.levels[1].prevalent, 0u);
  // θ = 0.55: only {A,B}; no size-3 candidate.
  r = mine(x, y, f, 3, 1.0, false, 0.55, 0);
  ASSERT_EQ(r.patterns.size(), 1u);
  EXPECT_EQ(r.patterns[0].features, (std::vector<std::uint32_t>{0, 1}));
  // --max-size 2 stops after the pairs.
  r = mine(x, y, f, 3, 1.0, false, 0.15, 2);
  EXPECT_EQ(r.patterns.size(), 3u);
  // A slightly smaller distance drops the boundary pair A1B1 (d = 1), and with it the triangle.
  r = mine(x, y, f, 3, 0.99, false, 0.15, 0);
  EXPECT_EQ(find(r, {0, 1, 2}), nullptr);
  ASSERT_NE(find(r, {0, 1}), nullptr);
  EXPECT_EQ(find(r, {0, 1})->participating, (std::vector<std::uint32_t>{3, 3}));
  // The brute force agrees on the example.
  for (double theta : {0.15, 0.2, 0.55}) {
    ColocationParams p;
    p.min_prevalence = theta;
    p.max_size = 3;
    expect_same(mine(x, y, f, 3, 1.0, false, theta, 0), colocations_bruteforce(x, y, f, 3, 1.0, false, p), "hand");
  }
}

TEST(SpatialColocation, CliqueSearchEqualsBruteForceOnRandomInputs) {
  std::vector<double> x, y;
  std::vector<std::uint32_t> f;
  std::size_t nonempty = 0, size3 = 0, size4 = 0;
  for (unsigned seed = 1; seed <= 8; ++seed) {
    const std::uint32_t F = 3 + seed % 3;      // 3..5 features
    const std::size_t n = 30 + 4 * seed;       // 34..62 points
    random_points(seed, n, F, 10.0, x, y, f);
    for (double d : {0.8, 1.5}) {
      for (double theta : {0.05, 0.2, 0.4}) {
        for (std::size_t K : {2u, 3u, 4u}) {
          ColocationParams p;
          p.min_prevalence = theta;
          p.max_size = K;
          const auto brute = colocations_bruteforce(x, y, f, F, d, false, p);
          const auto fast = mine(x, y, f, F, d, false, theta, K);
          expect_same(fast, brute, "seed " + std::to_string(seed) + " d " + std::to_string(d) + " θ " +
                                       std::to_string(theta) + " K " + std::to_string(K));
          nonempty += !brute.patterns.empty();
          for (const auto& q : brute.patterns) size3 += q.features.size() == 3, size4 += q.features.size() == 4;
        }
      }
    }
    // Without a size limit the fast path stops by itself; with ≤ 4 features it must equal the
    // brute force up to size min(F, 4).
    ColocationParams p;
    p.min_prevalence = 0.1;
    p.max_size = std::min<std::size_t>(F, 4);
    const auto brute = colocations_bruteforce(x, y, f, F, 1.5, false, p);
    const auto fast = mine(x, y, f, F, 1.5, false, 0.1, 0);
    if (F <= 4) expect_same(fast, brute, "unlimited, seed " + std::to_string(seed));
  }
  // The inputs must exercise every size, or the comparison proves little.
  EXPECT_GT(nonempty, 50u);
  EXPECT_GT(size3, 20u);
  EXPECT_GT(size4, 3u);
}

TEST(SpatialColocation, MinimumSupportEqualsBruteForceAndDropsOnlyThinPatterns) {
  // Support (participating establishments per industry) is anti-monotone like PI, so Apriori
  // with both rules must equal the brute force that applies both to every pattern.
  std::vector<double> x, y;
  std::vector<std::uint32_t> f;
  std::size_t dropped = 0, kept = 0;
  for (unsigned seed = 1; seed <= 6; ++seed) {
    const std::uint32_t F = 3 + seed % 3;
    random_points(seed, 30 + 4 * seed, F, 10.0, x, y, f);
    for (std::size_t s : {2u, 3u, 5u}) {
      ColocationParams p;
      p.min_prevalence = 0.05;
      p.max_size = 4;
      p.min_support = s;
      const auto pairs = colocation_pairs(x, y, f, 1.5, false);
      const auto fast = mine_colocations(f, F, pairs, p);
      expect_same(fast, colocations_bruteforce(x, y, f, F, 1.5, false, p), "seed " + std::to_string(seed) + " support " + std::to_string(s));
      for (const auto& q : fast.patterns)
        for (auto c : q.participating) EXPECT_GE(c, s);
      ColocationParams p1 = p;
      p1.min_support = 1;
      const auto plain = mine_colocations(f, F, pairs, p1);
      std::size_t low = 0;
      for (const auto& lv : fast.levels) low += lv.low_support;
      // Every plain pattern is either kept or has an industry below the support (dropped itself
      // or a superset of a dropped one).
      std::size_t thin = 0;
      for (const auto& q : plain.patterns) thin += *std::min_element(q.participating.begin(), q.participating.end()) < s;
      EXPECT_EQ(plain.patterns.size() - thin, fast.patterns.size());
      EXPECT_LE(low, thin);
      EXPECT_EQ(low > 0, thin > 0);
      dropped += thin, kept += fast.patterns.size();
    }
  }
  EXPECT_GT(dropped, 10u);  // the inputs exercise the rule
  EXPECT_GT(kept, 10u);
  ColocationParams bad;
  bad.min_prevalence = 0.1;
  bad.min_support = 0;
  EXPECT_THROW(mine_colocations(f, 3, {}, bad), Error);
}

TEST(SpatialColocation, ParticipationIndexIsAntiMonotone) {
  std::vector<double> x, y;
  std::vector<std::uint32_t> f;
  std::size_t checked = 0;
  for (unsigned seed = 11; seed <= 14; ++seed) {
    random_points(seed, 50, 4, 10.0, x, y, f);
    ColocationParams p;
    p.min_prevalence = 1e-9;  // every pattern with at least one row instance
    p.max_size = 4;
    const auto all = colocations_bruteforce(x, y, f, 4, 1.5, false, p);
    std::map<std::vector<std::uint32_t>, const ColocationPattern*> by;
    for (const auto& q : all.patterns) by[q.features] = &q;
    for (const auto& q : all.patterns) {
      if (q.features.size() < 3) continue;
      for (std::size_t s = 0; s < q.features.size(); ++s) {
        std::vector<std::uint32_t> sub;
        for (std::size_t r = 0; r < q.features.size(); ++r)
          if (r != s) sub.push_back(q.features[r]);
        ASSERT_TRUE(by.count(sub)) << "a row instance of a pattern contains one of each subpattern";
        const auto* sp = by[sub];
        EXPECT_LE(q.participation_index, sp->participation_index);
        // Feature by feature: pr(f, C) ≤ pr(f, C \ {g}).
        for (std::size_t r = 0, w = 0; r < q.features.size(); ++r) {
          if (r == s) continue;
          EXPECT_LE(q.participation_ratio[r], sp->participation_ratio[w++]);
        }
        ++checked;
      }
    }
    // The fast path with the smallest threshold finds the same patterns.
    expect_same(mine(x, y, f, 4, 1.5, false, 1e-9, 4), all, "θ → 0, seed " + std::to_string(seed));
  }
  EXPECT_GT(checked, 30u);
}

TEST(SpatialColocation, SameResultOnOneAndTwoThreads) {
  std::vector<double> x, y;
  std::vector<std::uint32_t> f;
  random_points(7, 6000, 12, 100.0, x, y, f);
  ColocationResult one, two;
  tbb::task_arena(1).execute([&] { one = mine(x, y, f, 12, 1.2, false, 0.05, 0); });
  tbb::task_arena(2).execute([&] { two = mine(x, y, f, 12, 1.2, false, 0.05, 0); });
  ASSERT_GT(one.patterns.size(), 20u);
  bool has3 = false;
  for (const auto& q : one.patterns) has3 = has3 || q.features.size() >= 3;
  EXPECT_TRUE(has3);
  expect_same(one, two, "threads");
}

TEST(SpatialColocation, LonLatAgreesWithProjectedKilometres) {
  // The same points in a local km plane and as lon/lat (moved from a base point by those km).
  // Distances then agree to ~1e-4 relative; pairs whose distance lies within 1 % of D are
  // moved away so both coordinate systems see the same neighbour graph.
  std::vector<double> x, y, lon, lat;
  std::vector<std::uint32_t> f;
  const double D = 0.6;
  for (unsigned seed : {3u, 4u, 5u}) {
    random_points(seed, 60, 4, 5.0, x, y, f);
    for (std::size_t i = 0; i < x.size(); ++i)
      for (std::size_t j = 0; j < i; ++j) {
        const double d = std::hypot(x[i] - x[j], y[i] - y[j]);
        if (std::abs(d - D) < 0.01 * D) x[i] += 0.05;  // shift off the boundary (rechecked below)
      }
    lon.assign(x.size(), 0), lat.assign(x.size(), 0);
    for (std::size_t i = 0; i < x.size(); ++i) {
      lon[i] = 113.75, lat[i] = 23.0;  // Dongguan
      geo::offset_km(lon[i], lat[i], x[i], y[i]);
    }
    std::size_t ambiguous = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        ambiguous += (std::hypot(x[i] - x[j], y[i] - y[j]) <= D) != (geo::haversine_km(lon[i], lat[i], lon[j], lat[j]) <= D);
    ASSERT_EQ(ambiguous, 0u);
    const auto proj = mine(x, y, f, 4, D, false, 0.1, 0);
    const auto geo = mine(lon, lat, f, 4, D, true, 0.1, 0);
    ASSERT_FALSE(proj.patterns.empty());
    expect_same(proj, geo, "lon/lat seed " + std::to_string(seed));
    ColocationParams p;
    p.min_prevalence = 0.1;
    p.max_size = 4;
    expect_same(geo, colocations_bruteforce(lon, lat, f, 4, D, true, p), "lon/lat brute force");
  }
}

TEST(SpatialColocation, DegenerateInputs) {
  // Far apart: no neighbour pair, no pattern.
  std::vector<double> x{0, 10, 20}, y{0, 0, 0};
  std::vector<std::uint32_t> f{0, 1, 2};
  auto r = mine(x, y, f, 3, 1, false, 0.1, 0);
  EXPECT_TRUE(r.patterns.empty());
  EXPECT_EQ(r.neighbour_pairs, 0u);
  // All at one point: every pattern has PI 1, up to all features.
  x = {5, 5, 5, 5, 5}, y = {5, 5, 5, 5, 5}, f = {0, 1, 2, 3, 0};
  r = mine(x, y, f, 4, 1, false, 1.0, 0);
  EXPECT_EQ(r.patterns.size(), 6u + 4u + 1u);
  for (const auto& q : r.patterns) EXPECT_EQ(q.participation_index, 1.0);
  // A feature with no instance in the scope (present in the id range only) is ignored.
  f = {0, 1, 1, 3, 0};
  r = mine(x, y, f, 4, 1, false, 0.5, 0);
  EXPECT_EQ(r.patterns.size(), 3u + 1u);
  EXPECT_EQ(r.instances[2], 0u);
  // Same-feature pairs are not neighbours for co-location; repeated pairs count once.
  ColocationParams p;
  p.min_prevalence = 0.5;
  r = mine_colocations({0, 0, 1}, 2, {{0, 1}, {1, 2}, {2, 1}, {1, 2}}, p);
  EXPECT_EQ(r.neighbour_pairs, 1u);
  ASSERT_EQ(r.patterns.size(), 1u);
  EXPECT_EQ(r.patterns[0].participating, (std::vector<std::uint32_t>{1, 1}));
}

TEST(SpatialColocation, BadParametersAreUsageErrors) {
  std::vector<double> x{0, 1}, y{0, 0};
  std::vector<std::uint32_t> f{0, 1};
  auto kind = [&](double d, double theta, std::size_t K) {
    try {
      mine(x, y, f, 2, d, false, theta, K);
    } catch (const Error& e) {
      return e.kind();
    }
    return ErrorKind::internal;
  };
  EXPECT_EQ(kind(0, 0.5, 0), ErrorKind::usage);
  EXPECT_EQ(kind(-1, 0.5, 0), ErrorKind::usage);
  EXPECT_EQ(kind(std::nan(""), 0.5, 0), ErrorKind::usage);
  EXPECT_EQ(kind(1, 0, 0), ErrorKind::usage);
  EXPECT_EQ(kind(1, 1.5, 0), ErrorKind::usage);
  EXPECT_EQ(kind(1, 0.5, 1), ErrorKind::usage);
  EXPECT_EQ(kind(1, 1.0, 2), ErrorKind::internal);  // valid: no error
}

TEST(SpatialColocation, OperationOnFile) {
  test_support::TempDir d;
  std::string csv = "id,industry,x,y,region\n";
  for (const auto& p : hand)
    csv += std::string(p.id) + "," + "ABC"[p.f] + "," + std::to_string(p.x) + "," + std::to_string(p.y) + "," +
           (p.x < 15 ? "west" : "east") + "\n";
  const auto file = d.write("est.csv", csv);
  api::Context ctx;
  ctx.quiet = true;
  const auto* op = api::Registry::global().find("colocation");
  ASSERT_NE(op, nullptr);
  // The default --min-support 3 drops {A,C} (2 of A's establishments take part), with a warning.
  {
    auto r3 = op->run({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "0.2"}}, ctx);
    EXPECT_EQ(std::get<data::TextColumn>(table(r3, "colocation").at("pattern").values), (std::vector<std::string>{"A+B", "B+C"}));
    ASSERT_EQ(r3.warnings.size(), 1u);
    EXPECT_NE(r3.warnings[0].find("--min-support 3"), std::string::npos) << r3.warnings[0];
  }
  auto r = op->run({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "0.2"}, {"min-support", "1"}}, ctx);
  const auto& t = table(r, "colocation");
  ASSERT_EQ(t.rows(), 3u);
  EXPECT_EQ(t.columns()[0].name, "pattern");
  EXPECT_EQ(t.columns()[1].name, "size");
  EXPECT_EQ(t.columns()[2].name, "participation_index");
  // Size, then PI descending, then name ({A,B,C} has PI 1/6 < 0.2).
  EXPECT_EQ(std::get<data::TextColumn>(t.at("pattern").values), (std::vector<std::string>{"A+B", "A+C", "B+C"}));
  EXPECT_EQ(std::get<data::IntColumn>(t.at("size").values), (std::vector<std::int64_t>{2, 2, 2}));
  const auto& pi = std::get<data::RealColumn>(t.at("participation_index").values);
  EXPECT_DOUBLE_EQ(pi[0], 2.0 / 3);
  EXPECT_DOUBLE_EQ(pi[2], 0.5);
  // The industry with the smallest ratio (the first in the pattern on a tie).
  EXPECT_EQ(std::get<data::TextColumn>(t.at("limiting_industry").values), (std::vector<std::string>{"B", "A", "B"}));
  const auto& part = table(r, "participation");
  EXPECT_EQ(part.rows(), 6u);
  EXPECT_EQ(std::get<data::IntColumn>(part.at("participating").values), (std::vector<std::int64_t>{3, 4, 2, 2, 3, 3}));
  EXPECT_EQ(std::get<data::IntColumn>(part.at("establishments").values), (std::vector<std::int64_t>{4, 6, 4, 4, 6, 4}));
  EXPECT_NE(r.summary_json.find("\"neighbour_pairs\": 9"), std::string::npos);

  // --by region. West (x < 15): A1 A2 | B1 B2 B3 | C1 C2; east: A3 A4 | B4 B5 B6 | C3 C4.
  //   west: A+B 2/2 & 3/3 → 1; A+C 1/2 & 1/2 → 0.5; B+C 1/3 & 1/2 → 1/3; A+B+C 1/2, 1/3, 1/2 → 1/3
  //   east: B+C 2/3 & 2/2 → 2/3; A+C 1/2 & 1/2 → 0.5; A+B 1/2 & 1/3 → 1/3; A+B+C none (star)
  // A+B+C is prevalent in the west but not city-wide (1/6): 1 of 7 sub-regional patterns.
  r = op->run({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "0.2"}, {"by", "region"}, {"min-support", "1"}}, ctx);
  const auto& tb = table(r, "colocation");
  const auto& reg = std::get<data::TextColumn>(tb.at("region").values);
  const auto& pat = std::get<data::TextColumn>(tb.at("pattern").values);
  const auto& city = std::get<data::IntColumn>(tb.at("prevalent_citywide").values);
  std::map<std::string, std::vector<std::string>> per;
  for (std::size_t i = 0; i < tb.rows(); ++i) {
    per[reg[i]].push_back(pat[i]);
    EXPECT_EQ(city[i], pat[i] == "A+B+C" ? 0 : 1) << reg[i] << " " << pat[i];
  }
  EXPECT_EQ(per["*"], (std::vector<std::string>{"A+B", "A+C", "B+C"}));
  EXPECT_EQ(per["west"], (std::vector<std::string>{"A+B", "A+C", "B+C", "A+B+C"}));
  EXPECT_EQ(per["east"], (std::vector<std::string>{"B+C", "A+C", "A+B"}));
  EXPECT_NE(r.summary_json.find("\"subregions\": 2"), std::string::npos);
  EXPECT_NE(r.summary_json.find("\"subregion_patterns_not_citywide\": 1"), std::string::npos);

  // --industries A,C keeps two features.
  r = op->run({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "0.2"}, {"industries", "C,A"}, {"min-support", "1"}}, ctx);
  EXPECT_EQ(std::get<data::TextColumn>(table(r, "colocation").at("pattern").values), (std::vector<std::string>{"A+C"}));

  auto code = [&](const core::ParamMap& m) {
    try {
      op->run(m, ctx);
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::unknown;
  };
  EXPECT_EQ(code({{"establishments", file}, {"distance", "0"}, {"min-prevalence", "0.2"}}), ErrorCode::invalid_option_value);
  EXPECT_EQ(code({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "0"}}), ErrorCode::invalid_option_value);
  EXPECT_EQ(code({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "1.01"}}), ErrorCode::invalid_option_value);
  EXPECT_EQ(code({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "0.2"}, {"max-size", "1"}}),
            ErrorCode::invalid_option_value);
  EXPECT_EQ(code({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "0.2"}, {"industries", "A"}}),
            ErrorCode::invalid_option_value);
  EXPECT_EQ(code({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "0.2"}, {"industries", "A,Z"}}),
            ErrorCode::unknown_reference);
  EXPECT_EQ(code({{"establishments", file}, {"distance", "1"}, {"min-prevalence", "0.2"}, {"by", "zone"}}),
            ErrorCode::missing_column);
  const auto one = d.write("one.csv", "id,industry,x,y\na,A,0,0\nb,A,1,0\n");
  EXPECT_EQ(code({{"establishments", one}, {"distance", "1"}, {"min-prevalence", "0.2"}}), ErrorCode::invalid_value);
}

TEST(SpatialColocation, CancellationIsAnErrorNotAPartialResult) {
  std::vector<double> x, y;
  std::vector<std::uint32_t> f;
  random_points(9, 500, 5, 10.0, x, y, f);
  const auto pairs = colocation_pairs(x, y, f, 1.0, false);
  ColocationParams p;
  p.min_prevalence = 0.1;
  parallel::request_cancel();
  try {
    mine_colocations(f, 5, pairs, p);
    ADD_FAILURE() << "a cancelled run must throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
  }
  parallel::reset_cancel();
  EXPECT_FALSE(mine_colocations(f, 5, pairs, p).patterns.empty());
}

// The join-based miner of Huang, Shekhar & Xiong (2004) as a user would write it
// (bench/spatial_colocation_reference.py, Python + scipy), on 3,000 establishments of 16
// industries with planted groups (tests/reference/spatial_colocation/make_reference.sh):
// the same prevalent patterns with the same participation indices. The reference has no
// minimum support, so agglo runs with min_support = 1.
TEST(SpatialColocationReference, AgreesWithJoinBasedPythonMiner) {
  const std::string dir = std::string(AGGLO_TEST_DATA) + "/reference/spatial_colocation/";
  std::ifstream in(dir + "est3000.csv");
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line.substr(0, 15), "id,industry,x,y");
  std::vector<double> x, y;
  std::vector<std::string> code;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string id, ind, xs, ys;
    std::getline(ss, id, ','), std::getline(ss, ind, ','), std::getline(ss, xs, ','), std::getline(ss, ys, ',');
    code.push_back(ind), x.push_back(std::stod(xs)), y.push_back(std::stod(ys));
  }
  ASSERT_EQ(x.size(), 3000u);
  std::vector<std::string> names(code);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<std::uint32_t> f;
  for (const auto& c : code) f.push_back(static_cast<std::uint32_t>(std::lower_bound(names.begin(), names.end(), c) - names.begin()));
  ColocationParams p;
  p.min_prevalence = 0.1;
  p.max_size = 4;
  p.min_support = 1;
  const auto r = mine_colocations(f, static_cast<std::uint32_t>(names.size()), colocation_pairs(x, y, f, 0.4, false), p);
  EXPECT_EQ(r.neighbour_pairs, 11574u);  // the reference's count of pairs of distinct industries
  std::map<std::string, double> got;
  for (const auto& q : r.patterns) {
    std::string s;
    for (auto g : q.features) s += (s.empty() ? "" : "+") + names[g];
    got[s] = q.participation_index;
  }
  std::ifstream ref(dir + "join_based_d0.4_theta0.1_k4.csv");
  ASSERT_TRUE(ref);
  std::getline(ref, line);
  std::map<std::string, double> want;
  while (std::getline(ref, line)) {
    std::stringstream ss(line);
    std::string pat, size, pi;
    std::getline(ss, pat, ','), std::getline(ss, size, ','), std::getline(ss, pi, ',');
    want[pat] = std::stod(pi);
  }
  ASSERT_EQ(want.size(), 20u);
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [pat, pi] : want) {
    ASSERT_TRUE(got.count(pat)) << pat;
    EXPECT_DOUBLE_EQ(got[pat], pi) << pat;
  }
}
