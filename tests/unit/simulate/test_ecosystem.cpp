// The productive-ecosystem model: engine pieces, checkpoints, critical mass, tipping point and
// hysteresis as a lever varies, policy ranking.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "agglo/core/error.hpp"
#include "agglo/simulate/agents.hpp"
#include "agglo/simulate/brenner.hpp"
#include "agglo/simulate/ecosystem.hpp"
#include "agglo/simulate/experiment.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate {
namespace {

namespace fs = std::filesystem;

Params eco(std::vector<std::string> a = {}) { return resolve_params(find_model("ecosystem"), a); }

TEST(SimulateEngine, AgentStoreCompactsAndKeepsIds) {
  AgentStore s;
  const auto c = s.add_real("x");
  s.append(5);
  for (std::size_t i = 0; i < 5; ++i) s.real(c)[i] = static_cast<double>(i);
  s.kill(1);
  s.kill(3);
  s.compact();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s.real(c), (std::vector<double>{0, 2, 4}));
  EXPECT_EQ(s.id(2), 4u);
  EXPECT_EQ(s.append(1), 3u);
  EXPECT_EQ(s.id(3), 5u);
  const auto o1 = activation_order(100, 1, 7), o2 = activation_order(100, 1, 7), o3 = activation_order(100, 1, 8);
  EXPECT_EQ(o1, o2);
  EXPECT_NE(o1, o3);
  auto sorted = o1;
  std::sort(sorted.begin(), sorted.end());
  for (std::uint32_t i = 0; i < 100; ++i) EXPECT_EQ(sorted[i], i);
}

TEST(SimulateEngine, CheckpointRoundTripAndVersionCheck) {
  const auto dir = fs::temp_directory_path() / ("agglo_sim_ckpt_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto path = (dir / "a.ckpt").string();
  AgentStore s;
  const auto c = s.add_real("x");
  const auto k = s.add_int("k");
  s.append(3);
  s.real(c) = {1.5, 2.5, 3.5};
  s.integer(k) = {7, 8, 9};
  AgentStore::Header h;
  h.model = "ecosystem";
  h.step = 12;
  h.params = {{"alpha", 1.5}};
  s.save(path, h);
  AgentStore::Header back;
  const auto t = AgentStore::load(path, back);
  EXPECT_EQ(back.step, 12u);
  EXPECT_EQ(t.real(t.real_column("x")), s.real(c));
  EXPECT_EQ(t.integer(t.int_column("k")), s.integer(k));
  // Another agglo version: patch the version string after the magic and format fields.
  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  const auto pos = bytes.find(AGGLO_VERSION);
  ASSERT_NE(pos, std::string::npos);
  bytes[pos] = bytes[pos] == '9' ? '8' : '9';
  {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
  }
  try {
    AgentStore::load(path, back);
    FAIL() << "a checkpoint from another version was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::input);
    EXPECT_NE(std::string(e.what()).find("checkpoint written by agglo"), std::string::npos);
  }
  fs::remove_all(dir);
}

TEST(SimulateEcosystem, ResumeFromCheckpointEqualsOneLongRun) {
  const auto dir = fs::temp_directory_path() / ("agglo_sim_eco_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const auto ck = (dir / "eco.ckpt").string();
  const auto p = eco({"regions=4,n_other=30,grant=2"});
  const auto whole = ecosystem::run_with_checkpoint(p, 5, 60, "", "");
  const auto first = ecosystem::run_with_checkpoint(p, 5, 30, "", ck);
  const auto second = ecosystem::run_with_checkpoint(p, 5, 30, ck, "");
  for (std::size_t k = 0; k < whole.metrics.size() - 1; ++k)  // all but agent_updates (counted per call)
    EXPECT_EQ(whole.metrics[k].second, second.metrics[k].second) << whole.metrics[k].first;
  // Another parameter value or seed is refused.
  EXPECT_THROW(ecosystem::run_with_checkpoint(eco({"regions=4,n_other=30,grant=3"}), 5, 1, ck, ""), Error);
  EXPECT_THROW(ecosystem::run_with_checkpoint(p, 6, 1, ck, ""), Error);
  fs::remove_all(dir);
}

TEST(SimulateEcosystem, MeanFieldIsBrennersProcessWithoutLeversOrCongestion) {
  const auto p = eco({"congestion=0"});
  const auto fp = ecosystem::focal_fixed_points(p);
  const auto b = brenner::fixed_points({1.5, 60, 30, 1});
  ASSERT_EQ(fp.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(fp[i], b[i], 1e-8);
  EXPECT_FALSE(ecosystem::cluster_forms(p));
  // Enough grants remove the low state: α_eff > the saddle node 4.0465 → grant > 2.5465.
  EXPECT_NEAR(ecosystem::min_budget(p, {"grants", {{"grant", 1}}}), 4.046535 - 1.5, 1e-4);
}

TEST(SimulateEcosystem, GrantSweepShowsTippingPointAndHysteresis) {
  // The shipped experiment (data/experiments/ecosystem_grant_hysteresis.*) at a smaller size.
  const auto& m = find_model("ecosystem");
  auto p = eco({"regions=4,scale=10"});
  ExperimentConfig cfg;
  cfg.seed = 1;
  cfg.replicates = 8;  // 3 are too few for Welch's test to clear Holm's correction
  cfg.hysteresis = true;
  cfg.steps = 300;
  const auto ex = run_experiment(m, p, parse_sweep(m, "grant=0:5:11"), cfg);
  ASSERT_EQ(ex.tipping.size(), 2u);
  ASSERT_TRUE(ex.tipping[0].found) << ex.tipping[0].reason;
  // Going up the cluster forms near the mean-field threshold; coming down it persists.
  const double threshold = ecosystem::min_budget(p, {"grants", {{"grant", 1}}});
  EXPECT_TRUE(ex.tipping[0].tested);
  EXPECT_NEAR(ex.tipping[0].location, threshold, 0.75);
  EXPECT_LE(ex.tipping[0].interval_lo, threshold);  // the mean-field threshold lies in the tip's interval
  EXPECT_GE(ex.tipping[0].interval_hi, threshold);
  EXPECT_FALSE(ex.tipping[1].found) << ex.tipping[1].reason;
  EXPECT_EQ(ex.hysteresis.verdict, "irreversible") << ex.hysteresis.reason;
  const auto refs = m.reference_tips(p, "grant", 0, 5, true);
  ASSERT_EQ(refs.size(), 1u);  // the high state never vanishes within grant 0..5
  EXPECT_EQ(refs[0].direction, "up");
  EXPECT_NEAR(refs[0].value, threshold, 1e-4);
  const double critical = ecosystem::focal_fixed_points(p)[1];
  const auto& dir = std::get<data::TextColumn>(ex.phase.at("direction").values);
  const auto& g = std::get<data::RealColumn>(ex.phase.at("grant").values);
  const auto& mean = std::get<data::RealColumn>(ex.phase.at("mean").values);
  double up0 = -1, down0 = -1;
  for (std::size_t i = 0; i < g.size(); ++i)
    if (g[i] == 0) (dir[i] == "up" ? up0 : down0) = mean[i];
  EXPECT_LT(up0, critical);        // no cluster before support
  EXPECT_GT(down0, 1.5 * critical);  // the cluster outlives the support that created it
}

TEST(SimulateEcosystem, PolicyMixesRankedByLeastBudget) {
  const auto t = ecosystem::rank_mixes(eco());
  ASSERT_GE(t.rows(), 10u);
  const auto& b = std::get<data::RealColumn>(t.at("min_budget").values);
  for (std::size_t i = 1; i < b.size(); ++i) EXPECT_LE(b[i - 1], b[i]);
  EXPECT_TRUE(std::isfinite(b.front()));
  EXPECT_GT(b.front(), 0.0);
}

}  // namespace
}  // namespace agglo::simulate
