// The permutation conventions of `agglo hotspots` by name (--gi-permutation conditional|total,
// --sampling without|with) against the implementations they are named after:
//   * exactly: spdep 1.2-7 and 1.4-3 (localG_perm, localmoran_perm) and PySAL esda's
//     G_Local(star=True), each fed the complete enumeration of equally likely draws on a 12-region
//     lattice (tests/reference/spatial_hotspots/perm_exact.R and perm_exact_esda.py), give the
//     same counts as agglo's exact_permutation_counts, which shares its per-draw comparisons with
//     the Monte-Carlo path;
//   * in distribution: agglo's random draws in each convention converge to that convention's
//     exact p-value (and not to the other convention's);
//   * statistically on the 3,191 US counties: agglo total/with against spdep 1.2-7 localG_perm and
//     conditional/with against spdep 1.4-3 localG_perm, 9,999 permutations each (perm_counties.R),
//     within Monte-Carlo error — while the two conventions differ far beyond it.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

#include "agglo/core/error.hpp"
#include "agglo/spatial/hotspots.hpp"
#include "agglo/spatial/weights_contiguity.hpp"
#include "agglo/spatial/weights_distance.hpp"
#include "test_hotspots_reference.hpp"

using namespace agglo;
using namespace agglo::spatial;
using namespace agglo::test_hotspots;

namespace {

struct Lattice {
  std::vector<double> x;
  SpatialWeights w;  // binary
};

Lattice lattice() {
  Lattice l;
  auto xs = read_csv(reference("perm_exact_x.csv"));
  for (const auto& v : xs["x"]) l.x.push_back(std::stod(v));
  auto nb = read_csv(reference("perm_exact_nb.csv"));
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  for (std::size_t e = 0; e < nb["from"].size(); ++e)
    pairs.emplace_back(static_cast<std::uint32_t>(std::stoul(nb["from"][e])), static_cast<std::uint32_t>(std::stoul(nb["to"][e])));
  l.w = weights_from_pairs(l.x.size(), pairs);
  transform(l.w, WeightsTransform::binary);
  return l;
}

HotspotParams params(const std::string& gi, const std::string& sampling) {
  HotspotParams p;
  p.gi_permutation = gi == "total" ? GiPermutation::total : GiPermutation::conditional;
  p.sampling = sampling == "with" ? PermutationSampling::with_replacement : PermutationSampling::without_replacement;
  return p;
}

double mean_of(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m += v;
  return m / static_cast<double>(x.size());
}

// The count M in spdep's terms (#simulated statistic ≥ observed) and the number of draws D.
std::pair<std::uint64_t, std::uint64_t> spdep_counts(const ExactCounts& e, bool gi, double zi) {
  if (gi) return {e.gi_ge, e.gi_draws};
  return {zi > 0 ? e.lisa_ge : e.lisa_le, e.draws};  // I_i decreases with the neighbour sum when z_i < 0
}

}  // namespace

TEST(HotspotsConventions, ExactCountsEqualSpdepFedTheSameEnumeration) {
  const auto l = lattice();
  ASSERT_EQ(l.x.size(), 12u);
  ASSERT_EQ(l.w.links(), 34u);  // 3 × 4 rook lattice: 2·(3·3 + 2·4) links
  const double xbar = mean_of(l.x);
  auto ref = read_csv(reference("perm_exact_spdep.csv"));
  const std::size_t rows = ref["region"].size();
  ASSERT_EQ(rows, 96u);  // 8 implementation settings × 12 regions
  std::map<std::string, std::size_t> checked;
  std::size_t exact_p = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const bool gi = ref["statistic"][r] == "gi";
    const auto i = static_cast<std::size_t>(std::stoul(ref["region"][r]));
    const auto nsim = std::stoull(ref["nsim"][r]), m_folded = std::stoull(ref["m_folded"][r]);
    ASSERT_EQ(l.w.cardinality(i), std::stoul(ref["k"][r])) << "region " << i;
    const auto p = params(gi ? ref["gi_permutation"][r] : "conditional", ref["sampling"][r]);
    const auto e = exact_permutation_counts(l.x, l.w, p, i);
    const auto [M, D] = spdep_counts(e, gi, l.x[i] - xbar);
    // spdep may enumerate a slot it then overwrites with x_i (fix_i_in_Gstar_permutations):
    // each of agglo's tuples then appears c = nsim / D times.
    ASSERT_EQ(nsim % D, 0u) << ref["implementation"][r] << " region " << i;
    const std::uint64_t c = nsim / D;
    EXPECT_EQ(c * std::min(M, D - M), m_folded) << ref["implementation"][r] << " region " << i << " M " << M << " D " << D;
    if (c == 1) {
      EXPECT_EQ(folded_pseudo_p(M, D), std::stod(ref["p_folded"][r])) << ref["implementation"][r] << " region " << i;
      ++exact_p;
    }
    ++checked[ref["implementation"][r]];
  }
  EXPECT_EQ(checked.size(), 8u);
  EXPECT_EQ(exact_p, 72u);  // 1.2-7 G*, 1.4-3 G* without fix_i (2) and the three LISA runs: the same N, the same p
}

TEST(HotspotsConventions, ExactCountsEqualEsdaFedTheSameEnumeration) {
  const auto l = lattice();
  auto ref = read_csv(reference("perm_exact_esda.csv"));
  ASSERT_EQ(ref["region"].size(), 12u);
  ASSERT_EQ(ref["ge"].size(), 12u);
  ASSERT_EQ(ref["draws"].size(), 12u);
  const auto p = params("conditional", "without");
  for (std::size_t r = 0; r < 12; ++r) {
    const auto i = static_cast<std::size_t>(std::stoul(ref["region"][r]));
    const auto e = exact_permutation_counts(l.x, l.w, p, i);
    const auto N = std::stoull(ref["draws"][r]), M = std::stoull(ref["ge"][r]);
    // esda's draws are prefixes of one enumeration of 4-tuples: M/N = agglo's gi_ge/gi_draws.
    EXPECT_EQ(M * e.gi_draws, e.gi_ge * N) << "region " << i << ": esda " << M << "/" << N << ", agglo " << e.gi_ge << "/"
                                           << e.gi_draws;
  }
}

TEST(HotspotsConventions, ExactCountsByHand) {
  // Region 3 (top right corner, x = 7) has neighbours 2 (x = 2) and 7 (x = 1): sum 3, the
  // smallest sum of two distinct other regions (values 1 and 2; two regions hold a 2), so every
  // distinct draw is ≥ it and four ordered draws tie with it; with replacement (1,1) = 2 is
  // smaller: 1 of the 11² tuples.
  const auto l = lattice();
  auto e = exact_permutation_counts(l.x, l.w, params("conditional", "without"), 3);
  EXPECT_EQ(e.draws, 110u);
  EXPECT_EQ(e.lisa_ge, 110u);
  EXPECT_EQ(e.lisa_le, 4u);  // (1, 2a), (2a, 1), (1, 2b), (2b, 1)
  EXPECT_EQ(e.gi_ge, 110u);
  e = exact_permutation_counts(l.x, l.w, params("conditional", "with"), 3);
  EXPECT_EQ(e.draws, 121u);
  EXPECT_EQ(e.lisa_ge, 120u);
  // total: 3 slots from the other 11 values, compared with 7 + 2 + 1 = 10.
  e = exact_permutation_counts(l.x, l.w, params("total", "without"), 3);
  EXPECT_EQ(e.gi_draws, 11u * 10u * 9u);
  std::uint64_t ge = 0;
  std::vector<double> others;
  for (std::size_t j = 0; j < 12; ++j)
    if (j != 3) others.push_back(l.x[j]);
  for (std::size_t a = 0; a < 11; ++a)
    for (std::size_t b = 0; b < 11; ++b)
      for (std::size_t c = 0; c < 11; ++c)
        if (a != b && b != c && a != c) ge += others[a] + others[b] + others[c] >= 10;
  EXPECT_EQ(e.gi_ge, ge);
  EXPECT_THROW(exact_permutation_counts(l.x, l.w, params("total", "with"), 5, 1000), Error);  // 11^5 > 1000
}

TEST(HotspotsConventions, MonteCarloConvergesToTheExactValueOfItsOwnConvention) {
  const auto l = lattice();
  const std::size_t R = 20000;
  std::size_t far_from_other = 0;
  for (const std::string gi : {"conditional", "total"})
    for (const std::string smp : {"without", "with"}) {
      auto p = params(gi, smp);
      p.permutations = R;
      p.seed = 11;
      const auto mc = conditional_permutations(l.x, l.w, p);
      auto other = params(gi == "total" ? "conditional" : "total", smp);
      for (std::size_t i = 0; i < 12; ++i) {
        const auto e = exact_permutation_counts(l.x, l.w, p, i);
        const double q = static_cast<double>(e.gi_ge) / static_cast<double>(e.gi_draws);
        const double sd = std::sqrt(R * q * (1 - q)) + 0.5;
        EXPECT_NEAR(mc.gi_ge[i], R * q, 5 * sd) << gi << "/" << smp << " region " << i;
        const double ql = static_cast<double>(e.lisa_ge) / static_cast<double>(e.draws);
        EXPECT_NEAR(mc.ge[i], R * ql, 5 * std::sqrt(R * ql * (1 - ql)) + 0.5) << gi << "/" << smp << " region " << i;
        const auto eo = exact_permutation_counts(l.x, l.w, other, i);
        const double qo = static_cast<double>(eo.gi_ge) / static_cast<double>(eo.gi_draws);
        far_from_other += std::fabs(mc.gi_ge[i] - R * qo) > 5 * (std::sqrt(R * qo * (1 - qo)) + 0.5);
      }
    }
  // The conventions are distinguishable here: most regions' G* counts are far from the other
  // convention's exact value (so the agreement above is not a test that cannot fail).
  EXPECT_GE(far_from_other, 30u);
}

TEST(HotspotsConventions, FastPathEqualsReferenceInEveryConventionAndLisaIgnoresTheGiConvention) {
  std::mt19937_64 g(3);
  std::uniform_real_distribution<double> u(0, 1);
  PointSet pts;
  std::vector<double> x;
  for (int i = 0; i < 150; ++i) pts.x.push_back(u(g)), pts.y.push_back(u(g)), x.push_back(std::floor(20 * u(g)));
  for (std::size_t k : {5u, 45u}) {  // 45: the Fisher–Yates branch for k + 1 slots
    auto w = knn_weights(pts, k);
    transform(w, WeightsTransform::row);
    std::map<std::string, PermutationCounts> base;  // conditional counts per sampling
    for (const std::string gi : {"conditional", "total"})
      for (const std::string smp : {"without", "with"}) {
        auto p = params(gi, smp);
        p.permutations = 199;
        p.seed = 5;
        const auto fast = conditional_permutations(x, w, p);
        const auto slow = conditional_permutations_reference(x, w, p);
        for (std::size_t i = 0; i < x.size(); ++i) {
          EXPECT_EQ(fast.gi_ge[i], slow.gi_ge[i]) << gi << "/" << smp << " k " << k << " region " << i;
          if (x[i] != mean_of(x)) {
            EXPECT_EQ(fast.ge[i], slow.ge[i]) << gi << "/" << smp << " region " << i;
            EXPECT_EQ(fast.le[i], slow.le[i]) << gi << "/" << smp << " region " << i;
          }
        }
        if (gi == "conditional") {
          base[smp] = fast;
          EXPECT_EQ(fast.gi_ge, fast.ge);  // equal weights: G* and the LISA sum rank draws alike
        } else {
          EXPECT_EQ(fast.ge, base[smp].ge);  // the LISA draws do not depend on the G* convention
          EXPECT_EQ(fast.le, base[smp].le);
          EXPECT_NE(fast.gi_ge, fast.ge);
        }
      }
  }
}

TEST(HotspotsConventions, TotalWithoutReplacementNeedsRoomForTheOwnSlot) {
  // k_i = n − 1 neighbours: k_i + 1 distinct other values do not exist.
  PointSet pts;
  std::vector<double> x;
  for (int i = 0; i < 6; ++i) pts.x.push_back(i), pts.y.push_back(0), x.push_back(i * i);
  auto w = knn_weights(pts, 5);
  auto p = params("total", "without");
  try {
    hotspots(x, w, p);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(std::string(e.what()).find("--gi-permutation total"), std::string::npos) << e.what();
  }
  p.sampling = PermutationSampling::with_replacement;
  EXPECT_NO_THROW(hotspots(x, w, p));
  p = params("conditional", "without");
  EXPECT_NO_THROW(hotspots(x, w, p));
}

TEST(HotspotsConventions, AgreesWithSpdepLocalGPermOnUsCounties) {
  const auto c = counties();
  auto ref = read_csv(reference("perm_counties_gi.csv"));
  ASSERT_EQ(ref["fips"].size(), c.ids.size());
  auto w = contiguity_weights(c.polygons, Contiguity::queen, 1.4901161193847656e-08);
  transform(w, WeightsTransform::binary);
  const std::size_t R = 9999;
  struct Run {
    std::string gi, column;
    std::vector<double> p;
  };
  std::vector<Run> runs{{"total", "p_total_with", {}}, {"conditional", "p_conditional_with", {}}};
  for (auto& run : runs) {
    auto p = params(run.gi, "with");
    p.permutations = R;
    run.p = hotspots(c.value, w, p).gi_p_sim;
  }
  // Two independent Monte-Carlo estimates of one p: |Δ| within 4.5 standard errors
  // sqrt(2 p (1 − p) / R) plus the 1/(R + 1) granularity for all but a handful of regions.
  auto compare = [&](const std::vector<double>& a, const std::string& column, std::size_t& n, double& mean_abs) {
    std::size_t outside = 0;
    double sum = 0;
    n = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (w.cardinality(i) == 0) continue;
      EXPECT_EQ(ref["fips"][i], c.ids[i]);
      const double b = num(ref[column][i]);
      const double pm = 0.5 * (a[i] + b);
      outside += std::fabs(a[i] - b) > 4.5 * (std::sqrt(2 * pm * (1 - pm) / R) + 2.0 / (R + 1));
      sum += std::fabs(a[i] - b);
      ++n;
    }
    mean_abs = sum / static_cast<double>(n);
    return outside;
  };
  std::size_t n = 0;
  double mean_abs = 0;
  for (const auto& run : runs) {
    EXPECT_LE(compare(run.p, run.column, n, mean_abs), 3u) << run.gi;
    EXPECT_EQ(n, 3188u);
    EXPECT_LT(mean_abs, 0.004) << run.gi;
  }
  // The wrong convention is far off: many regions beyond 4.5 standard errors.
  EXPECT_GT(compare(runs[0].p, "p_conditional_with", n, mean_abs), 200u);
  EXPECT_GT(compare(runs[1].p, "p_total_with", n, mean_abs), 200u);
}

TEST(HotspotsGlobal, PermutationPAgreesWithMoranMc) {
  // spdep's moran.mc (9,999 permutations, alternative "greater") on a weakly autocorrelated value
  // of the counties (tests/reference/spatial_hotspots/moran_mc.R): I identical, the permutation p
  // within Monte-Carlo error (two independent estimates: 4.5 standard errors of their difference).
  const auto c = counties();
  auto vals = read_csv(reference("moran_mc_values.csv"));
  auto mc = read_csv(reference("moran_mc.csv"));
  ASSERT_EQ(vals["fips"].size(), c.ids.size());
  std::vector<double> x;
  for (std::size_t i = 0; i < c.ids.size(); ++i) {
    ASSERT_EQ(vals["fips"][i], c.ids[i]);
    x.push_back(std::stod(vals["value"][i]));
  }
  auto w = contiguity_weights(c.polygons, Contiguity::queen, 1.4901161193847656e-08);
  transform(w, WeightsTransform::row);
  HotspotParams p;
  p.permutations = 9999;
  const auto h = hotspots(x, w, p);
  EXPECT_NEAR(h.global.I, std::stod(mc["I"][0]), 1e-12);
  const double ref = std::stod(mc["p"][0]);
  ASSERT_GT(ref, 0.002);  // not at the floor 1/(R + 1): the comparison is informative
  ASSERT_LT(ref, 0.5);
  const double se = std::sqrt(2 * ref * (1 - ref) / 9999.0);
  EXPECT_NEAR(h.global_p_sim, ref, 4.5 * se + 1.0 / 10000) << "agglo " << h.global_p_sim << " moran.mc " << ref;
  EXPECT_GT(h.global.I, h.global.expected);  // the folded p is moran.mc's "greater" p here
}
