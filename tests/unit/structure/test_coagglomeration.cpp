// The Ellison–Glaeser–Kerr co-agglomeration regression against numpy/statsmodels on a stored
// synthetic economy (tests/reference/structure/egk/, with the script that made the values), and
// on planted co-location: cluster blocks co-agglomerate, national blocks and a null do not.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "agglo/core/error.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/structure/coagglomeration.hpp"
#include "agglo/structure/structure_inputs.hpp"
#include "agglo/structure/synthetic.hpp"

namespace {

using namespace agglo::structure;

std::string egk(const std::string& name) { return std::string(AGGLO_TEST_DATA) + "/reference/structure/egk/" + name; }

nlohmann::json reference() {
  std::ifstream f(egk("egk_reference.json"));
  return nlohmann::json::parse(f);
}

TEST(Coagglomeration, EqualsNumpyAndStatsmodels) {
  const auto table = load_io_table(egk("flows.csv"), egk("totals.csv"));
  const auto em = employment_matrix(agglo::io::load_employment(egk("employment.csv")), table.industries);
  const auto occ = load_occupations(egk("occupations.csv"), table.industries);
  const auto ref = reference();
  for (const bool labour : {false, true}) {
    SCOPED_TRACE(labour ? "with labour" : "IO only");
    const auto r = coagglomeration(table, em, labour ? occ : std::vector<std::vector<double>>{}, 0, 1);
    ASSERT_EQ(r.pairs.size(), ref["pairs"].size());
    for (std::size_t p = 0; p < r.pairs.size(); ++p) {
      const auto& c = ref["pairs"][p];
      ASSERT_EQ(table.industries[r.pairs[p].i], c["a"].get<std::string>());
      ASSERT_EQ(table.industries[r.pairs[p].j], c["b"].get<std::string>());
      EXPECT_NEAR(r.pairs[p].coagglomeration, c["gamma_c"].get<double>(), 1e-12);
      EXPECT_NEAR(r.pairs[p].input, c["input"].get<double>(), 1e-12);
      EXPECT_NEAR(r.pairs[p].output, c["output"].get<double>(), 1e-12);
      if (labour) EXPECT_NEAR(r.pairs[p].labour, c["labour"].get<double>(), 1e-12);
    }
    const auto& o = ref[labour ? "ols_labour" : "ols"];
    ASSERT_EQ(r.terms.size(), o["terms"].size());
    EXPECT_NEAR(r.r2, o["r2"].get<double>(), 1e-10);
    for (std::size_t k = 0; k < r.terms.size(); ++k) {
      EXPECT_EQ(r.terms[k].term, o["terms"][k].get<std::string>());
      EXPECT_NEAR(r.terms[k].coefficient, o["coefficient"][k].get<double>(), 1e-9);
      EXPECT_NEAR(r.terms[k].std_error, o["std_error"][k].get<double>(), 1e-9);
      if (k > 0) {
        EXPECT_NEAR(r.terms[k].standardised, o["standardised"][k].get<double>(), 1e-9);
        EXPECT_NEAR(r.terms[k].standardised_se, o["standardised_se"][k].get<double>(), 1e-9);
      }
    }
  }
}

// Employment of the synthetic recession panel's first year as a matrix of the table's industries.
EmploymentMatrix first_year(const SyntheticStructure& s, const SyntheticStructureConfig& c) {
  EmploymentMatrix m;
  m.regions = s.regions;
  m.industries = s.table.industries;
  const std::size_t n = s.table.size(), R = s.regions.size();
  m.e.assign(R * n, 0.0);
  m.region_total.assign(R, 0.0);
  const auto& e = std::get<agglo::data::RealColumn>(s.employment.at("employment").values);
  const auto& y = std::get<agglo::data::IntColumn>(s.employment.at("year").values);
  for (std::size_t k = 0, cell = 0; k < e.size(); ++k) {
    if (y[k] != c.from) continue;
    m.e[cell] = e[k];  // rows are written region-major, industry-minor
    m.region_total[cell / n] += e[k];
    ++cell;
  }
  return m;
}

TEST(Coagglomeration, PlantedClusterBlocksCoagglomerateNationalOnesDoNot) {
  SyntheticStructureConfig c;
  c.colocated_blocks = 2;
  const auto s = synthetic_structure(c, 5);
  const auto r = coagglomeration(s.table, first_year(s, c), {}, 199, 5);
  double in_cluster = 0, in_national = 0, across = 0;
  std::size_t nc = 0, nn = 0, na = 0;
  for (const auto& p : r.pairs) {
    const auto bi = s.planted_block[p.i], bj = s.planted_block[p.j];
    if (bi >= 0 && bi == bj && s.location[p.i] == "cluster") {
      in_cluster += p.coagglomeration;
      ++nc;
    } else if (bi >= 0 && bi == bj) {
      in_national += p.coagglomeration;
      ++nn;
    } else {
      across += p.coagglomeration;
      ++na;
    }
  }
  EXPECT_GT(in_cluster / nc, 0.1);                 // co-located: strongly positive
  EXPECT_LT(std::abs(in_national / nn), 0.02);     // linked but spread: about zero
  EXPECT_LT(std::abs(across / na), 0.02);
  // IO-linked pairs co-locate more than others: the input–output coefficient is positive.
  double io = 0;
  for (const auto& t : r.terms)
    if (t.term == "output") io = t.standardised;
  EXPECT_GT(io, 0.2);
}

TEST(Coagglomeration, NoColocationGivesNoIoEffect) {
  SyntheticStructureConfig c;
  c.colocated_blocks = 0;
  std::size_t rejected = 0;
  const int seeds = 20;
  for (int seed = 1; seed <= seeds; ++seed) {
    const auto s = synthetic_structure(c, static_cast<std::uint64_t>(seed));
    const auto r = coagglomeration(s.table, first_year(s, c), {}, 199, static_cast<std::uint64_t>(seed));
    rejected += r.permutation_p < 0.05;
  }
  // Nominal 5 %: at most 4 of 20 (binomial P(X ≥ 5) ≈ 0.016).
  EXPECT_LE(rejected, 4u);
}

TEST(Coagglomeration, TooFewIndustriesIsInvalidInput) {
  IoTable t;
  t.industries = {"A", "B", "C"};
  t.flows = {0, 1, 1, 1, 0, 1, 1, 1, 0};
  t.output = {10, 10, 10};
  t.final_demand = {8, 8, 8};
  t.value_added = {8, 8, 8};
  EmploymentMatrix m;
  m.regions = {"R1", "R2"};
  m.industries = t.industries;
  m.e = {1, 2, 3, 3, 2, 1};
  m.region_total = {6, 6};
  EXPECT_THROW(coagglomeration(t, m, {}, 0, 1), agglo::Error);
}

}  // namespace
