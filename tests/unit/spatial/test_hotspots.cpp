// Conditional permutation inference (Anselin 1995) for local Moran and G*: the fast path
// against the statistic-by-statistic reference, identical results for 1 and 2 threads and for
// any split of the regions (what MPI ranks do), agreement with spdep::localmoran_perm within
// Monte-Carlo error and with the analytical normal p-values on the US counties, a planted hot
// spot recovered, the `agglo hotspots` operation on files and its bad-input errors.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <random>

#include "../support/temp_dir.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/spatial/hotspots.hpp"
#include "agglo/spatial/weights_contiguity.hpp"
#include "agglo/spatial/weights_distance.hpp"
#include "test_hotspots_reference.hpp"

using namespace agglo;
using namespace agglo::spatial;
using namespace agglo::test_hotspots;

namespace {

struct Data {
  std::vector<double> x;
  SpatialWeights w;
};

Data knn_data(unsigned seed, std::size_t n, std::size_t k, bool integers = false) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(0, 1);
  PointSet p;
  Data d;
  for (std::size_t i = 0; i < n; ++i) {
    p.x.push_back(u(g)), p.y.push_back(u(g));
    const double v = std::exp(3 * u(g)) + 5 * p.x.back();
    d.x.push_back(integers ? std::floor(v) : v);
  }
  d.w = knn_weights(p, k);
  transform(d.w, WeightsTransform::row);
  return d;
}

const data::TextColumn& text(const data::Table& t, const std::string& c) {
  return std::get<data::TextColumn>(t.at(c).values);
}
const data::RealColumn& real(const data::Table& t, const std::string& c) {
  return std::get<data::RealColumn>(t.at(c).values);
}

const data::Table& table(const api::Result& r, const std::string& name) {
  for (const auto& [n, t] : r.tables)
    if (n == name) return t;
  throw std::runtime_error("no table " + name);
}

// A 12 × 12 grid of regions as lon/lat-free points (x, y) with a planted block of high values.
std::string grid_csv(bool constant = false) {
  std::string s = "region,x,y,value\n";
  std::mt19937_64 g(1);
  std::uniform_real_distribution<double> u(0, 1);
  for (int j = 0; j < 12; ++j)
    for (int i = 0; i < 12; ++i) {
      const bool hot = i >= 2 && i < 6 && j >= 2 && j < 6;
      const double v = constant ? 3.0 : (hot ? 10 : 0) + u(g);
      s += "r" + std::to_string(j * 12 + i) + "," + std::to_string(i) + "," + std::to_string(j) + "," + std::to_string(v) + "\n";
    }
  return s;
}

}  // namespace

TEST(HotspotsPermutation, FastPathEqualsReference) {
  for (unsigned seed : {1u, 2u}) {
    auto d = knn_data(seed, 120, seed == 1 ? 5 : 40);  // k = 40 takes the Fisher–Yates branch
    HotspotParams p;
    p.permutations = 199;
    p.seed = 42;
    const auto fast = conditional_permutations(d.x, d.w, p);
    const auto slow = conditional_permutations_reference(d.x, d.w, p);
    double mean = 0;
    for (double v : d.x) mean += v;
    mean /= static_cast<double>(d.x.size());
    for (std::size_t i = 0; i < d.x.size(); ++i) {
      EXPECT_EQ(fast.ge[i], slow.ge[i]) << i;
      EXPECT_EQ(fast.le[i], slow.le[i]) << i;
      EXPECT_NEAR(fast.mean_I[i], slow.mean_I[i], 1e-9 * (1 + std::fabs(slow.mean_I[i])));
      EXPECT_NEAR(fast.var_I[i], slow.var_I[i], 1e-8 * (1 + slow.var_I[i]));
    }
  }
}

TEST(HotspotsPermutation, DrawsAreWithoutReplacementAndUniform) {
  // With k = n − 1 every draw is the whole set: the simulated sum never changes, so every draw
  // ties with the observed one (ge = le = R).
  auto d = knn_data(3, 30, 29, true);  // integers: sums in any order are exact
  HotspotParams p;
  p.permutations = 50;
  const auto c = conditional_permutations(d.x, d.w, p);
  for (std::size_t i = 0; i < 30; ++i) {
    EXPECT_EQ(c.ge[i], 50u);
    EXPECT_EQ(c.le[i], 50u);
  }
  // k = 1: the drawn neighbour is uniform over the n − 1 others, so P(S_sim ≥ S_obs) is the
  // share of other regions with a value ≥ the neighbour's: the count is Binomial(R, q).
  auto e = knn_data(4, 50, 1);
  p.permutations = 20000;
  const auto c1 = conditional_permutations(e.x, e.w, p);
  for (std::size_t i = 0; i < 50; ++i) {
    const double obs = e.x[e.w.neighbour[e.w.offset[i]]];
    double q = 0;
    for (std::size_t j = 0; j < 50; ++j)
      if (j != i && e.x[j] >= obs) q += 1;
    q /= 49;
    const double sd = std::sqrt(20000 * q * (1 - q)) + 1;
    EXPECT_NEAR(c1.ge[i], 20000 * q, 5 * sd) << i;
  }
}

TEST(HotspotsPermutation, IdenticalForOneAndTwoThreadsAndAnySplitOfRegions) {
  auto d = knn_data(5, 500, 6, true);  // integer values: exact ties are counted the same way
  HotspotParams p;
  p.permutations = 999;
  p.seed = 7;
  PermutationCounts a, b;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    a = conditional_permutations(d.x, d.w, p);
  }
  {
    tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
    b = conditional_permutations(d.x, d.w, p);
  }
  EXPECT_EQ(a.ge, b.ge);
  EXPECT_EQ(a.le, b.le);
  EXPECT_EQ(a.mean_I, b.mean_I);
  EXPECT_EQ(a.var_I, b.var_I);
  // Regions dealt as to 3 MPI ranks (i mod 3): each region's counts are the same.
  for (std::uint32_t r = 0; r < 3; ++r) {
    std::vector<std::uint32_t> mine;
    for (std::uint32_t i = r; i < 500; i += 3) mine.push_back(i);
    const auto part = conditional_permutations(d.x, d.w, p, mine);
    for (auto i : mine) {
      EXPECT_EQ(part.ge[i], a.ge[i]);
      EXPECT_EQ(part.mean_I[i], a.mean_I[i]);
    }
  }
  // The whole analysis, twice with different thread counts: byte-identical numbers.
  HotspotResult h1, h2;
  {
    tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
    h1 = hotspots(d.x, d.w, p);
  }
  {
    tbb::global_control two(tbb::global_control::max_allowed_parallelism, 2);
    h2 = hotspots(d.x, d.w, p);
  }
  EXPECT_EQ(h1.lisa_p_sim, h2.lisa_p_sim);
  EXPECT_EQ(h1.gi_p_sim, h2.gi_p_sim);
  EXPECT_EQ(h1.klass, h2.klass);
  EXPECT_EQ(h1.global_p_sim, h2.global_p_sim);
  // Another seed gives other draws.
  p.seed = 8;
  const auto c = conditional_permutations(d.x, d.w, p);
  EXPECT_NE(c.ge, a.ge);
}

TEST(HotspotsPermutation, AgreesWithSpdepLocalmoranPermAndNormalTheoryOnUsCounties) {
  const auto c = counties();
  auto ref = read_csv(reference("local_perm_queen_row.csv"));
  auto loc = read_csv(reference("local_queen_row.csv"));
  std::vector<double> x(c.ids.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = num(loc["x"][i]);
  auto w = contiguity_weights(c.polygons, Contiguity::queen, 1.4901161193847656e-08);
  transform(w, WeightsTransform::row);
  HotspotParams p;
  p.permutations = 9999;
  const auto h = hotspots(x, w, p);
  // Two independent Monte-Carlo estimates of the same p (spdep draws with replacement, agglo
  // without, an O(k/n) difference): |Δ| within 4.5 standard errors sqrt(2 p (1 − p) / R) plus
  // the 1/(R+1) granularity for all but a handful of regions.
  std::size_t n = 0, outside = 0;
  double sum_abs = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (w.cardinality(i) == 0) continue;
    const double a = h.lisa_p_sim[i], b = num(ref["p_folded"][i]);
    const double pm = 0.5 * (a + b);
    const double se = std::sqrt(2 * pm * (1 - pm) / 9999.0) + 2.0 / 10000;
    outside += std::fabs(a - b) > 4.5 * se;
    sum_abs += std::fabs(a - b);
    ++n;
  }
  EXPECT_EQ(n, 3188u);
  EXPECT_LE(outside, 3u);
  EXPECT_LT(sum_abs / n, 0.004);
  // Against normal theory: the folded pseudo p is one-sided, so compare it with half the
  // two-sided normal p; they agree closely where the normal approximation holds (|z| < 3).
  double s = 0;
  std::size_t m = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (w.cardinality(i) > 0 && std::fabs(h.lisa.z[i]) < 3) s += std::fabs(h.lisa_p_sim[i] - 0.5 * h.lisa.p_normal[i]), ++m;
  EXPECT_LT(s / m, 0.03);
  // The simulated z of I_i and the analytical z (conditional moments) are close.
  double dz = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (w.cardinality(i) > 0 && !std::isnan(h.lisa_z_sim[i])) dz += std::fabs(h.lisa_z_sim[i] - h.lisa.z[i]);
  EXPECT_LT(dz / m, 0.1);
  // Global Moran: a strong positive autocorrelation of log area, p_sim at its floor.
  EXPECT_GT(h.global.I, 0.5);
  EXPECT_DOUBLE_EQ(h.global_p_sim, 1.0 / 10000);
}

TEST(HotspotsPermutation, CtrlCStopsThePermutations) {
  auto d = knn_data(6, 200, 6);
  HotspotParams p;
  p.permutations = 999;
  parallel::request_cancel();
  try {
    hotspots(d.x, d.w, p);
    ADD_FAILURE() << "not cancelled";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::cancelled);
  }
  parallel::reset_cancel();
  EXPECT_NO_THROW(hotspots(d.x, d.w, p));
}

TEST(HotspotsPermutation, FoldedPseudoP) {
  EXPECT_DOUBLE_EQ(folded_pseudo_p(0, 999), 1.0 / 1000);
  EXPECT_DOUBLE_EQ(folded_pseudo_p(999, 999), 1.0 / 1000);
  EXPECT_DOUBLE_EQ(folded_pseudo_p(500, 999), 500.0 / 1000);
  EXPECT_DOUBLE_EQ(folded_pseudo_p(24, 999), 25.0 / 1000);
}

TEST(HotspotsOperation, PlantedHotSpotIsFoundAndOutputFollowsTheContract) {
  test_support::TempDir dir;
  const auto f = dir.write("grid.csv", grid_csv());
  const auto* op = api::Registry::global().find("hotspots");
  ASSERT_NE(op, nullptr);
  api::Context ctx;
  ctx.quiet = true;
  auto r = op->run({{"regions", f}, {"value", "value"}, {"weights", "knn"}, {"k", "8"}, {"fdr", "0.05"}}, ctx);
  const auto& t = table(r, "hotspots");
  const std::vector<std::string> contract = {"region", "value", "gi_star", "local_moran", "z", "p", "class"};
  for (std::size_t c = 0; c < contract.size(); ++c) EXPECT_EQ(t.columns()[c].name, contract[c]);
  const auto& cls = text(t, "class");
  const auto& reg = text(t, "region");
  std::size_t hh_in_block = 0, hh_outside = 0;
  for (std::size_t i = 0; i < cls.size(); ++i) {
    const int id = std::stoi(reg[i].substr(1)), col = id % 12, row = id / 12;
    const bool hot = col >= 2 && col < 6 && row >= 2 && row < 6;
    if (cls[i] == "HH") (hot ? hh_in_block : hh_outside) += 1;
  }
  EXPECT_GE(hh_in_block, 12u);  // the 4 × 4 block, its rim cells mixing in low neighbours
  EXPECT_EQ(hh_outside, 0u);
  const auto& g = table(r, "global_moran");
  EXPECT_GT(real(g, "I")[0], 0.3);
  // Same with Gi*: hot spots in the block only.
  r = op->run({{"regions", f}, {"value", "value"}, {"weights", "distance"}, {"distance", "1.5"}, {"statistic", "gi"}}, ctx);
  const auto& t2 = table(r, "hotspots");
  std::size_t hot_in = 0;
  for (std::size_t i = 0; i < t2.rows(); ++i) {
    const int id = std::stoi(text(t2, "region")[i].substr(1)), col = id % 12, row = id / 12;
    const bool hot = col >= 1 && col < 7 && row >= 1 && row < 7;  // the block and its halo
    if (text(t2, "class")[i] == "hot") {
      EXPECT_TRUE(hot) << id;
      ++hot_in;
    }
  }
  EXPECT_GE(hot_in, 16u);
}

TEST(HotspotsOperation, BadInputGivesClearErrors) {
  test_support::TempDir dir;
  const auto* op = api::Registry::global().find("hotspots");
  api::Context ctx;
  ctx.quiet = true;
  const auto good = dir.write("grid.csv", grid_csv());
  auto expect_error = [&](const core::ParamMap& m, ErrorKind kind, ErrorCode code, std::uint64_t line = 0,
                          const std::string& column = "") {
    try {
      op->run(m, ctx);
      ADD_FAILURE() << "no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      EXPECT_EQ(e.code(), code) << e.what();
      if (line) EXPECT_EQ(e.where().line, line) << e.what();
      if (!column.empty()) EXPECT_EQ(e.where().column_name, column) << e.what();
    }
  };
  // missing value column; non-numeric value on line 4
  expect_error({{"regions", good}, {"value", "jobs"}, {"weights", "knn"}}, ErrorKind::input, ErrorCode::missing_column, 1, "jobs");
  std::string s = grid_csv();
  const auto pos = s.find('\n', s.find('\n', s.find('\n') + 1) + 1);  // end of line 3
  s.replace(s.rfind(',', pos) + 1, pos - s.rfind(',', pos) - 1, "many");
  expect_error({{"regions", dir.write("bad.csv", s)}, {"value", "value"}, {"weights", "knn"}}, ErrorKind::input,
               ErrorCode::wrong_type, 3, "value");
  // constant value: zero variance
  expect_error({{"regions", dir.write("const.csv", grid_csv(true))}, {"value", "value"}, {"weights", "knn"}}, ErrorKind::input,
               ErrorCode::invalid_value);
  // no neighbours at all under a tiny distance band
  expect_error({{"regions", good}, {"value", "value"}, {"weights", "distance"}, {"distance", "0.5"}}, ErrorKind::input,
               ErrorCode::invalid_value);
  // k ≥ n, distance ≤ 0, permutations 0, contiguity on points
  expect_error({{"regions", good}, {"value", "value"}, {"weights", "knn"}, {"k", "144"}}, ErrorKind::usage,
               ErrorCode::invalid_option_value);
  expect_error({{"regions", good}, {"value", "value"}, {"weights", "distance"}, {"distance", "0"}}, ErrorKind::usage,
               ErrorCode::invalid_option_value);
  expect_error({{"regions", good}, {"value", "value"}, {"weights", "knn"}, {"permutations", "0"}}, ErrorKind::usage,
               ErrorCode::invalid_option_value);
  expect_error({{"regions", good}, {"value", "value"}, {"weights", "queen"}}, ErrorKind::usage, ErrorCode::invalid_option_value);
  // a values table that misses a region
  expect_error({{"regions", good}, {"value", "v"}, {"values", dir.write("v.csv", "region,v\nr0,1\nr1,2\n")}, {"weights", "knn"}},
               ErrorKind::input, ErrorCode::unknown_reference);
}

TEST(HotspotsOperation, CountiesFromTopoJsonWithValuesTable) {
  const auto* op = api::Registry::global().find("hotspots");
  api::Context ctx;
  ctx.quiet = true;
  auto r = op->run({{"regions", counties_topojson()}, {"layer", "counties"}, {"id", "fips"},
                    {"values", reference("county_values.csv")}, {"value", "log_area"}, {"permutations", "99"}},
                   ctx);
  const auto& t = table(r, "hotspots");
  EXPECT_EQ(t.rows(), 3191u);
  std::size_t islands = 0;
  for (const auto& c : text(t, "class")) islands += c == "no_neighbours";
  EXPECT_EQ(islands, 3u);
  EXPECT_FALSE(r.warnings.empty());
}
