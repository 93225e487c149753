// Traded vs local by the dartboard test (clusters/traded_local.hpp) on hand-built economies
// whose answer is known: no local industries, no traded ones, and a mix; thread independence;
// the establishment approximation.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>
#include <iostream>

#include "agglo/clusters/traded_local.hpp"
#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/measure/dartboard.hpp"

using namespace agglo;

namespace {

// R regions with log-normal populations. A local industry places its N establishments with
// probabilities ∝ P_r · LogNormal(0, noise) (local demand with idiosyncratic noise); a traded
// one ∝ P_r · m(r), m = 15 in its cluster's two hub regions and 0.3 elsewhere. N is drawn
// log-uniformly in [n_min, n_max].
struct Economy {
  data::DenseMatrix est;
  std::vector<bool> traded;
  std::vector<double> population;
};

Economy make_economy(std::size_t R, std::size_t n_local, std::size_t n_traded, std::uint64_t seed,
                     double n_min = 30, double n_max = 2000, double noise = 0.1) {
  Economy e;
  core::Stream pop(seed, core::stream_id("population"), 0);
  for (std::size_t r = 0; r < R; ++r) e.population.push_back(std::exp(pop.normal(10, 1.2)));
  const std::size_t n = n_local + n_traded;
  e.est = data::DenseMatrix(R, n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    core::Stream rng(seed, core::stream_id("industry"), i);
    const bool traded = i >= n_local;
    e.traded.push_back(traded);
    std::vector<double> w(R);
    // clusters of five traded industries share their hubs
    core::Stream hubs(seed, core::stream_id("hubs"), traded ? (i - n_local) / 5 : 0);
    const std::size_t h1 = hubs.below(R), h2 = hubs.below(R);
    for (std::size_t r = 0; r < R; ++r)
      w[r] = e.population[r] * (traded ? (r == h1 || r == h2 ? 15.0 : 0.3) : std::exp(rng.normal(0, noise)));
    const measure::DartboardNull sampler(w);
    const auto N = static_cast<std::uint64_t>(std::round(std::exp(rng.uniform(std::log(n_min), std::log(n_max)))));
    for (std::uint64_t k = 0; k < N; ++k) e.est(sampler.draw(rng), i) += 1;
  }
  return e;
}

std::size_t count(const std::vector<bool>& v) { return static_cast<std::size_t>(std::count(v.begin(), v.end(), true)); }

}  // namespace

TEST(TradedLocal, NoTradedIndustriesGiveAllLocal) {
  // 40 local industries with 30–2,000 establishments over 80 regions, nothing concentrated.
  const auto e = make_economy(80, 40, 0, 1);
  for (const std::string ref : {"local", "all", "given"}) {
    clusters::TradedLocalOptions o;
    o.reference = ref;
    if (ref == "given") o.reference_weights = e.population;
    const auto s = clusters::split_traded_local(e.est, o);
    EXPECT_EQ(count(s.traded), 0u) << ref;
  }
  // Without the γ floor the demand noise of the largest industries becomes detectable: the
  // floor is what keeps a large, slightly uneven local industry local.
  clusters::TradedLocalOptions o;
  o.min_excess = 0;
  const auto s = clusters::split_traded_local(e.est, o);
  std::cout << "[ local   ] without the γ floor " << count(s.traded) << " of 40 local industries are called traded:";
  for (std::size_t i = 0; i < s.traded.size(); ++i)
    if (s.traded[i]) {
      std::cout << " N = " << s.tests[i].establishments << ", V = " << s.tests[i].excess << ";";
      EXPECT_LT(s.tests[i].excess, 0.25);
      EXPECT_GE(s.tests[i].establishments, 300u);
    }
  std::cout << "\n";
}

TEST(TradedLocal, NoLocalIndustriesGiveAllTraded) {
  // 30 traded industries in six clusters of five with two hubs each, 40–800 establishments.
  const auto e = make_economy(80, 0, 30, 2, 40, 800);
  clusters::TradedLocalOptions o;
  const auto s = clusters::split_traded_local(e.est, o);
  EXPECT_EQ(count(s.traded), 30u);
  // The reference core is the less concentrated half of the traded industries; each of them
  // still differs from the others' pooled distribution (their hubs differ).
  EXPECT_EQ(count(s.in_reference), 15u);
  for (std::size_t i = 0; i < 30; ++i) EXPECT_GT(s.tests[i].excess, 0.25) << i;
}

TEST(TradedLocal, MixedEconomyRecoversThePlantedSplit) {
  // 30 local and 20 traded industries; the traded hubs pull the all-industries reference away
  // from local demand, which the local reference corrects.
  const auto e = make_economy(80, 30, 20, 3, 40, 1500);
  clusters::TradedLocalOptions o;
  const auto s = clusters::split_traded_local(e.est, o);
  EXPECT_EQ(s.traded, e.traded);
  EXPECT_EQ(s.reference, "local");
  // The core is the 25 industries closest to the all-establishments dartboard: mostly local
  // ones (a few small traded industries are indistinguishable from them at that stage).
  std::size_t core_traded = 0;
  for (std::size_t i = 0; i < 50; ++i) core_traded += s.in_reference[i] && e.traded[i];
  EXPECT_EQ(count(s.in_reference), 25u);
  EXPECT_LE(core_traded, 5u);
  // The all-industries reference (EG's dartboard) is pulled towards the hubs: local industries
  // then look unevenly spread (the significance test alone calls most of them traded; the
  // materiality floor keeps most of them local).
  clusters::TradedLocalOptions all = o;
  all.reference = "all";
  const auto a = clusters::split_traded_local(e.est, all);
  all.min_excess = 0;
  const auto a0 = clusters::split_traded_local(e.est, all);
  std::cout << "[ mixed   ] against all establishments " << count(a.traded) << " of 50 are called traded, "
            << count(a0.traded) << " without the floor (20 planted)\n";
  EXPECT_GT(count(a.traded), 20u);
  EXPECT_GT(count(a0.traded), 30u);
  std::cout << "[ mixed   ] " << count(s.traded) << " traded of 50; the reference core (" << core_traded
            << " traded industries in it) holds " << s.local_share * 100 << " % of establishments\n";
  // Population as the reference gives the same split.
  o.reference = "given";
  o.reference_weights = e.population;
  EXPECT_EQ(clusters::split_traded_local(e.est, o).traded, e.traded);
  // Every q is a BH-adjusted p: q ≥ p.
  for (std::size_t i = 0; i < s.q.size(); ++i) EXPECT_GE(s.q[i], s.tests[i].p);
}

TEST(TradedLocal, SameResultForAnyThreadCount) {
  const auto e = make_economy(60, 20, 15, 4, 5, 300);  // many industries on the Monte Carlo path
  clusters::TradedLocalOptions o;
  clusters::TradedLocalSplit one, two;
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
    one = clusters::split_traded_local(e.est, o);
  }
  {
    tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
    two = clusters::split_traded_local(e.est, o);
  }
  ASSERT_EQ(one.tests.size(), two.tests.size());
  std::size_t mc = 0;
  for (std::size_t i = 0; i < one.tests.size(); ++i) {
    EXPECT_EQ(one.tests[i].p, two.tests[i].p) << i;
    EXPECT_EQ(one.tests[i].draws, two.tests[i].draws) << i;
    mc += one.tests[i].monte_carlo;
  }
  EXPECT_GT(mc, 5u);
  EXPECT_EQ(one.traded, two.traded);
  // another seed changes the draws, not the clear-cut answers
  o.test.seed = 99;
  const auto other = clusters::split_traded_local(e.est, o);
  std::size_t differ = 0;
  for (std::size_t i = 0; i < other.traded.size(); ++i) differ += other.traded[i] != one.traded[i];
  EXPECT_LE(differ, 1u);
}

TEST(TradedLocal, ApproximatedEstablishmentsAndBadInput) {
  data::DenseMatrix emp(2, 2, 0.0);
  emp(0, 0) = 3;    // below the mean size: still one establishment
  emp(0, 1) = 40;   // 40 / 16 = 2.5 → 3 (round half away from zero)
  emp(1, 1) = 100;  // 6.25 → 6
  const auto n = clusters::approximate_establishments(emp, 16);
  EXPECT_EQ(n(0, 0), 1);
  EXPECT_EQ(n(0, 1), 3);
  EXPECT_EQ(n(1, 0), 0);
  EXPECT_EQ(n(1, 1), 6);
  EXPECT_THROW(clusters::approximate_establishments(emp, 0), Error);
  clusters::TradedLocalOptions o;
  o.reference = "nearest";
  EXPECT_THROW(clusters::split_traded_local(n, o), Error);
  o.reference = "given";  // no weights
  EXPECT_THROW(clusters::split_traded_local(n, o), Error);
  EXPECT_THROW(clusters::split_traded_local(data::DenseMatrix(2, 2, 0.0), clusters::TradedLocalOptions{}), Error);
}
