// The byte codec that carries simulation runs from MPI ranks to rank 0 (src/simulate/detail/)
// and the one-process meaning of the MPI wrapper (no session open inside the unit tests).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "agglo/core/error.hpp"
#include "agglo/parallel/mpi.hpp"
#include "simulate/detail/run_codec.hpp"

namespace agglo::simulate {
namespace {

RunResult sample_run(double x) {
  RunResult r;
  r.metrics = {{"share", x}, {"tiny", 1e-300}, {"nan", std::numeric_limits<double>::quiet_NaN()}};
  r.steps.add_integer("step", {0, 1, 2});
  r.steps.add_real("n", {0.1, 0.2, x});
  r.steps.add_text("phase", {"low", "", "high, with comma"});
  r.final_state = {x, -0.0, 3.0};
  r.regions.add_text("region", {"06019", "06085"});
  r.regions.add_real("lq", {x, std::numeric_limits<double>::quiet_NaN()});
  r.regions.add_integer("cluster_detected", {1, 0});
  return r;
}

TEST(SimulateRunCodec, RoundTripsEveryFieldBitForBit) {
  std::vector<std::uint8_t> bytes;
  detail::encode_run(bytes, 7, sample_run(0.1 + 0.2));
  detail::encode_run(bytes, 42, RunResult{});  // an empty run (no steps, no metrics) too
  const auto runs = detail::decode_runs(bytes);
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].first, 7u);
  EXPECT_EQ(runs[1].first, 42u);
  const auto& r = runs[0].second;
  ASSERT_EQ(r.metrics.size(), 3u);
  EXPECT_EQ(r.metrics[0].first, "share");
  EXPECT_EQ(r.metrics[0].second, 0.1 + 0.2);  // exactly 0.30000000000000004, not 0.3
  EXPECT_EQ(r.metrics[1].second, 1e-300);
  EXPECT_TRUE(std::isnan(r.metrics[2].second));
  ASSERT_EQ(r.steps.cols(), 3u);
  EXPECT_EQ(r.steps.rows(), 3u);
  EXPECT_EQ(std::get<data::IntColumn>(r.steps.at("step").values), (data::IntColumn{0, 1, 2}));
  EXPECT_EQ(std::get<data::RealColumn>(r.steps.at("n").values)[2], 0.1 + 0.2);
  EXPECT_EQ(std::get<data::TextColumn>(r.steps.at("phase").values)[2], "high, with comma");
  EXPECT_EQ(r.final_state.size(), 3u);
  EXPECT_TRUE(std::signbit(r.final_state[1]));  // -0.0 survives
  ASSERT_EQ(r.regions.cols(), 3u);  // the per-region table travels too
  EXPECT_EQ(std::get<data::TextColumn>(r.regions.at("region").values)[0], "06019");
  EXPECT_EQ(std::get<data::RealColumn>(r.regions.at("lq").values)[0], 0.1 + 0.2);
  EXPECT_TRUE(std::isnan(std::get<data::RealColumn>(r.regions.at("lq").values)[1]));
  EXPECT_EQ(std::get<data::IntColumn>(r.regions.at("cluster_detected").values), (data::IntColumn{1, 0}));
  EXPECT_EQ(runs[1].second.regions.cols(), 0u);
  EXPECT_TRUE(runs[1].second.metrics.empty());
  EXPECT_EQ(runs[1].second.steps.cols(), 0u);
}

TEST(SimulateRunCodec, TruncatedBufferIsAnInternalError) {
  std::vector<std::uint8_t> bytes;
  detail::encode_run(bytes, 1, sample_run(2.0));
  bytes.pop_back();
  EXPECT_THROW(detail::decode_runs(bytes), Error);
}

TEST(SimulateMpi, WithoutASessionThereIsOneRankAndGatherReturnsTheLocalBuffer) {
  EXPECT_FALSE(parallel::mpi::active());
  EXPECT_EQ(parallel::mpi::rank(), 0);
  EXPECT_EQ(parallel::mpi::size(), 1);
  const std::vector<std::uint8_t> local{1, 2, 3};
  const auto all = parallel::mpi::gather_to_root(local);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0], local);
  parallel::mpi::barrier();                 // a no-op
  parallel::mpi::abort_job(5, "not fatal");  // returns: nothing to abort
}

}  // namespace
}  // namespace agglo::simulate
