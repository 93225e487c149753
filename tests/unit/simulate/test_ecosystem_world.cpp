// The extended productive-ecosystem model (issue 8, items 1 and 3): cluster detection by the
// engine's own US Cluster Mapping rule, real geography, institutions as agents, firm–firm ties.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <filesystem>
#include <fstream>

#include "agglo/core/error.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/simulate/agents.hpp"
#include "agglo/simulate/cluster_detection.hpp"
#include "agglo/simulate/ecosystem.hpp"
#include "agglo/simulate/ecosystem_world.hpp"
#include "agglo/simulate/experiment.hpp"
#include "agglo/simulate/model.hpp"

namespace agglo::simulate {
namespace {

namespace fs = std::filesystem;
using ecosystem::World;

Params eco(std::vector<std::string> a = {}) { return resolve_params(find_model("ecosystem"), a); }

struct TempDir {
  fs::path dir;
  TempDir() : dir(fs::temp_directory_path() / ("agglo_sim_world_" + std::to_string(::getpid()))) { fs::create_directories(dir); }
  ~TempDir() { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) const {
    const auto p = (dir / name).string();
    std::ofstream(p) << text;
    return p;
  }
};

// ---- (e) cluster detection ------------------------------------------------------------------

TEST(SimulateClusterDetection, HandComputedStrongRegion) {
  // E = {100, 10, 10, 10}, B = {900, 990, 990, 990}: LQ_0 = (100/1000)/(130/4000) = 3.0769…,
  // the others 0.30769…; Q_0.25(E) = 10 and Q_0.25(N) = 2, so only region 0 qualifies;
  // Q_0.75(LQ) = 0.3077 + 0.25 (3.0769 − 0.3077) = 1.0, so region 0 is strong.
  const std::vector<std::string> codes{"a", "b", "c", "d"};
  const auto d = detect_clusters(codes, {20, 2, 2, 2}, {100, 10, 10, 10}, {900, 990, 990, 990});
  EXPECT_NEAR(d.lq[0], 0.1 / (130.0 / 4000.0), 1e-12);
  EXPECT_NEAR(d.lq[1], 0.01 / (130.0 / 4000.0), 1e-12);
  EXPECT_EQ(d.strong, (std::vector<std::uint8_t>{1, 0, 0, 0}));
  EXPECT_EQ(d.strong_regions, 1u);
  // Four equal regions: LQ = 1 everywhere but none exceeds the size quartile: nothing strong.
  const auto flat = detect_clusters(codes, {5, 5, 5, 5}, {50, 50, 50, 50}, {950, 950, 950, 950});
  EXPECT_EQ(flat.strong_regions, 0u);
}

TEST(SimulateClusterDetection, ClusterMapAgreesWithTheRuleWrittenOut) {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    core::Stream rng(seed, core::stream_id("detect test"), 0);
    const std::size_t R = 2 + rng.below(30);
    std::vector<std::string> codes;
    std::vector<double> firms, emp, bg;
    for (std::size_t r = 0; r < R; ++r) {
      codes.push_back("r" + std::to_string(r));
      const double n = rng.uniform() < 0.2 ? 0.0 : std::floor(rng.uniform(0, 60));
      firms.push_back(n);
      emp.push_back(n * rng.uniform(1, 20));
      bg.push_back(rng.uniform() < 0.05 ? 0.0 : rng.uniform(100, 5000));
    }
    const auto a = detect_clusters(codes, firms, emp, bg);
    const auto b = detect_clusters_reference(firms, emp, bg);
    for (std::size_t r = 0; r < R; ++r) {
      if (std::isnan(b.lq[r])) EXPECT_TRUE(std::isnan(a.lq[r]));
      else EXPECT_NEAR(a.lq[r], b.lq[r], 1e-12 * b.lq[r]);
      EXPECT_EQ(a.significant[r], b.significant[r]) << "seed " << seed << " region " << r;
      EXPECT_EQ(a.strong[r], b.strong[r]) << "seed " << seed << " region " << r;
    }
  }
}

TEST(SimulateClusterDetection, GrantSweepDetectsTheFocalClusterWhereTheMeanFieldDoes) {
  // Eight regions kept small (n_other = 3, α_other = 0.5); grants push the focal region past
  // critical mass. Where the mean field says "cluster" (grant 3 and 6), the focal region is the
  // one strong region with an LQ above 5; without grants it is not a cluster by the mean field
  // and its LQ stays below 2 (it may still be the largest of nine small regions, so the
  // relative strong rule is not asserted there).
  const auto& m = find_model("ecosystem");
  ExperimentConfig cfg;
  cfg.seed = 3;
  cfg.replicates = 2;
  cfg.steps = 300;
  const auto ex = run_experiment(m, eco({"regions=9,scale=5,n_other=3,alpha_other=0.5"}), parse_sweep(m, "grant=0:6:3"), cfg);
  const auto& g = std::get<data::RealColumn>(ex.runs.at("grant").values);
  const auto& det = std::get<data::RealColumn>(ex.runs.at("cluster_detected").values);
  const auto& mf = std::get<data::RealColumn>(ex.runs.at("cluster_meanfield").values);
  const auto& lq = std::get<data::RealColumn>(ex.runs.at("focal_lq").values);
  const auto& strong = std::get<data::RealColumn>(ex.runs.at("strong_regions").values);
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (g[i] == 0) {
      EXPECT_EQ(mf[i], 0.0);
      EXPECT_LT(lq[i], 2.0);
    } else {
      EXPECT_EQ(mf[i], 1.0);
      EXPECT_EQ(det[i], 1.0);
      EXPECT_EQ(strong[i], 1.0);
      EXPECT_GT(lq[i], 5.0);
    }
  }
}

// ---- (a) real geography -------------------------------------------------------------------

const char* kRegions =
    "code,name,level,lon,lat\n"
    "A,Alpha,county,-122.0,37.4\n"
    "B,Beta,county,-121.9,37.3\n"
    "C,Gamma,county,-118.2,34.0\n"
    "D,Delta,county,-117.2,32.7\n";

TEST(SimulateEcosystemWorld, LoadsRegionsWithGreatCircleDistancesAndAFocalRegion) {
  TempDir t;
  ecosystem::WorldFiles f;
  f.regions = t.write("regions.csv", kRegions);
  f.focal = "C";
  const auto w = ecosystem::load_world(f);
  ASSERT_EQ(w.size(), 4u);
  EXPECT_EQ(w.focal, 2u);
  EXPECT_TRUE(w.geographic);
  EXPECT_DOUBLE_EQ(w.distance(0, 2), geo::haversine_km(-122.0, 37.4, -118.2, 34.0));
  EXPECT_NEAR(w.distance(0, 1), 14.1, 0.5);  // about 14 km between the two Bay Area points
  // A run writes one row per region and flags the focal one.
  const auto model = ecosystem::make_model(std::make_shared<const World>(w));
  RunConfig rc;
  rc.seed = 1;
  rc.steps = 20;
  const auto r = model->run(resolve_params(*model, {"ell=30"}), rc);
  ASSERT_EQ(r.regions.rows(), 4u);
  EXPECT_EQ(std::get<data::TextColumn>(r.regions.at("region").values)[2], "C");
  EXPECT_EQ(std::get<data::IntColumn>(r.regions.at("focal").values), (data::IntColumn{0, 0, 1, 0}));
  EXPECT_EQ(r.final_state.size(), 4u);
}

void expect_error(const std::function<void()>& f, ErrorKind kind, const std::vector<std::string>& parts) {
  try {
    f();
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind) << e.what();
    for (const auto& p : parts) EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what() << " lacks " << p;
  }
}

TEST(SimulateEcosystemWorld, BadReferencesAreClearErrors) {
  TempDir t;
  ecosystem::WorldFiles f;
  f.regions = t.write("regions.csv", kRegions);
  f.focal = "Z";
  expect_error([&] { ecosystem::load_world(f); }, ErrorKind::usage, {"focal region 'Z'", "A, B, C, D"});
  auto g = f;
  g.focal = "A";
  g.regions = t.write("nocoords.csv", "code,name\nA,Alpha\n");
  expect_error([&] { ecosystem::load_world(g); }, ErrorKind::input, {"nocoords.csv", "lon"});
  auto h = f;
  h.focal = "A";
  h.institutions = t.write("inst.csv", "id,type,region\nu1,university,A\nx,think_tank,B\n");
  expect_error([&] { ecosystem::load_world(h); }, ErrorKind::input, {"inst.csv:3", "think_tank"});
  h.institutions = t.write("inst2.csv", "id,type,region\nu1,university,Q\n");
  expect_error([&] { ecosystem::load_world(h); }, ErrorKind::input, {"inst2.csv:2", "'Q'"});
  auto k = f;
  k.focal = "A";
  k.establishments = t.write("est.csv", "id,industry,lon,lat,region,employees\nf1,x,-122,37.4,A,5\nf2,x,-121.9,37.3,B,3\n");
  k.ties = t.write("ties.csv", "source,target\nf1,f2\nf1,f9\n");
  expect_error([&] { ecosystem::load_world(k); }, ErrorKind::input, {"ties.csv:3", "'f9'"});
  k.ties = "";
  k.establishments = t.write("est2.csv", "id,industry,lon,lat,region\nf1,x,-122,37.4,A\nf2,x,-121.9,37.3,Q\n");
  expect_error([&] { ecosystem::load_world(k); }, ErrorKind::input, {"est2.csv:3", "region 'Q'"});
}

TEST(SimulateEcosystemWorld, EmploymentTableGivesInitialFirmsAndBackground) {
  TempDir t;
  ecosystem::WorldFiles f;
  f.regions = t.write("regions.csv", kRegions);
  f.focal = "A";
  f.employment = t.write("emp.csv", "region,industry,employment,establishments\nA,chips,500,40\nA,retail,9500,300\n"
                                    "B,chips,60,5\nB,retail,4000,100\nC,retail,20000,800\n");
  f.industry = "chips";
  const auto w = ecosystem::load_world(f);
  EXPECT_EQ(w.initial_firms, (std::vector<double>{40, 5, 0, 0}));
  EXPECT_EQ(w.background, (std::vector<double>{9500, 4000, 20000, 0}));
  EXPECT_DOUBLE_EQ(w.firm_employees[0], 12.5);
  // The focal region's initial firms enter the mean-field check of cluster formation.
  const auto p = eco({"congestion=0"});
  EXPECT_TRUE(ecosystem::cluster_forms(p, &w));  // 40 firms > critical mass 20.1
  auto w2 = w;
  w2.focal = 1;  // 5 firms: below it
  EXPECT_FALSE(ecosystem::cluster_forms(p, &w2));
}

// ---- (d) institutions as agents -----------------------------------------------------------

TEST(SimulateEcosystemInstitutions, LeversActThroughInstitutionsWithTheirCatalogueEffect) {
  // The network lever funds a cluster organisation, the skills lever a training programme:
  // alone, each has exactly the effect of the catalogue table.
  const auto base = ecosystem::focal_rates(eco());
  const auto net = ecosystem::focal_rates(eco({"network=5"}));
  EXPECT_DOUBLE_EQ(net.gamma, base.gamma * (1 + 0.04 * 5));
  const auto sk = ecosystem::focal_rates(eco({"skills=5"}));
  EXPECT_DOUBLE_EQ(sk.h, base.h / (1 + 0.04 * 5));
  const auto inst = ecosystem::institutions(eco({"network=5,skills=1"}), ecosystem::grid_world(eco()));
  ASSERT_EQ(inst.size(), 2u);
  EXPECT_TRUE(inst[0].founded_by_lever && inst[1].founded_by_lever);
  // Institutions of their own: a university adds σ_U spin-offs and divides h by 1 + θ_U; a
  // cluster organisation multiplies γ by 1 + c_B; both in the focal region's mean field.
  const auto own = ecosystem::focal_rates(eco({"universities=2,cluster_orgs=1"}));
  EXPECT_DOUBLE_EQ(own.alpha, base.alpha + 2 * 0.5);
  EXPECT_DOUBLE_EQ(own.h, base.h / (1.1 * 1.1));
  EXPECT_DOUBLE_EQ(own.gamma, base.gamma * 1.04);
}

TEST(SimulateEcosystemInstitutions, SimulationAgreesWithTheMeanFieldFixedPoint) {
  // One region, no congestion: dn/dt = α + σ_U U + γ(1 + c_B L) n²/(h'²+n²) − δn with
  // h' = h/(1+θ_U)^U. Time-averaged focal firms over the second half of 8 runs of 80 years,
  // started at the high state, lie within 3 % of the high fixed point; without the
  // institutions that fixed point is > 15 % lower (so the test can tell them apart).
  const auto p = eco({"regions=1,scale=10,congestion=0,universities=2,cluster_orgs=1,n_focal=60"});
  const auto fp = ecosystem::focal_fixed_points(p);
  ASSERT_EQ(fp.size(), 3u);
  const auto without = ecosystem::focal_fixed_points(eco({"regions=1,scale=10,congestion=0,n_focal=60"}));
  EXPECT_GT(fp[2], 1.15 * without.back());
  const auto& m = find_model("ecosystem");
  ExperimentConfig cfg;
  cfg.seed = 17;
  cfg.replicates = 8;
  cfg.steps = 800;
  const auto ex = run_experiment(m, p, std::nullopt, cfg);
  const auto& step = std::get<data::IntColumn>(ex.steps.at("step").values);
  const auto& focal = std::get<data::RealColumn>(ex.steps.at("focal_firms").values);
  double sum = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < step.size(); ++i)
    if (step[i] > 400) { sum += focal[i]; ++n; }
  EXPECT_NEAR(sum / n, fp[2], 0.03 * fp[2]);
  // The cluster organisation recruited members and tied them.
  EXPECT_GT(ex.runs.rows(), 0u);
  for (double v : std::get<data::RealColumn>(ex.runs.at("members").values)) EXPECT_GT(v, 0.0);
  for (double v : std::get<data::RealColumn>(ex.runs.at("ties").values)) EXPECT_GT(v, 0.0);
}

TEST(SimulateEcosystemInstitutions, ResearchPartnersInnovateMore) {
  const auto& m = find_model("ecosystem");
  ExperimentConfig cfg;
  cfg.seed = 5;
  cfg.replicates = 4;
  cfg.steps = 200;
  auto rate = [&](const std::string& boost) {
    const auto ex = run_experiment(m, eco({"regions=1,congestion=0,n_focal=40,research_centres=1,rc_partners=20,spillover=0,rc_knowledge=0," + boost}),
                                   std::nullopt, cfg);
    const auto& v = std::get<data::RealColumn>(ex.steps.at("innovation_rate").values);
    double s = 0;
    for (double x : v) s += x;
    return s / v.size();
  };
  // 20 of ~40 firms innovate at ι(1+φ): with φ = 3 the mean rate is about (1 + 3·20/40) = 2.5×.
  const double r0 = rate("rc_boost=0"), r3 = rate("rc_boost=3");
  // (innovation_rate counts the growth of the region's knowledge, net of the knowledge exits
  // take away, so it sits below ι = 0.2; the ratio is what the partnerships change.)
  EXPECT_GT(r0, 0.05);
  EXPECT_LT(r0, 0.25);
  EXPECT_GT(r3, 1.8 * r0);
}

// ---- (c) ties -----------------------------------------------------------------------------

std::shared_ptr<const World> two_tied_firms(bool tied) {
  World w;
  w.codes = {"only"};
  w.names = {"only"};
  w.x = {0};
  w.y = {0};
  w.firm_ids = {"a", "b"};
  w.firm_region = {0, 0};
  w.firm_employees = {5, 5};
  if (tied) w.ties = {{0, 1}};
  return std::make_shared<const World>(w);
}

TEST(SimulateEcosystemTies, HandCheckableTwoFirms) {
  // Two firms, no entry, (almost) no exits, innovation probability ι dt = 0.05 per step, no
  // spillover field. With τ = 1 a partner's innovation is always passed on: once either firm
  // has innovated, at least one innovates in every later step, so the last step's rate is
  // ≥ 1 innovation / 2 firms / 0.1 year = 5. With τ = 0 the two are independent.
  const std::string base = "alpha=0,alpha_other=0,gamma=0,delta=0.000001,iota=0.5,spillover=0,mobility=0";
  RunConfig rc;
  rc.seed = 9;
  rc.steps = 300;
  const auto tied = ecosystem::make_model(two_tied_firms(true));
  const auto r1 = tied->run(resolve_params(*tied, {base + ",tie_spill=1"}), rc);
  EXPECT_EQ(r1.metric("firms"), 2.0);
  const auto& rate = std::get<data::RealColumn>(r1.steps.at("innovation_rate").values);
  std::size_t first = 0;
  while (first < rate.size() && rate[first] == 0) ++first;
  ASSERT_LT(first, 100u);
  for (std::size_t i = first + 1; i < rate.size(); ++i) EXPECT_GE(rate[i], 5.0) << "step " << i;
  // τ = 0: the ties carry nothing, the run equals the run without ties bit for bit.
  const auto untied = ecosystem::make_model(two_tied_firms(false));
  const auto r0 = tied->run(resolve_params(*tied, {base + ",tie_spill=0"}), rc);
  const auto rn = untied->run(resolve_params(*untied, {base + ",tie_spill=0.7"}), rc);
  for (std::size_t k = 0; k < r0.metrics.size(); ++k)
    if (r0.metrics[k].first != "ties") EXPECT_EQ(r0.metrics[k].second, rn.metrics[k].second) << r0.metrics[k].first;
  EXPECT_EQ(r0.metric("ties"), 1.0);
  double s0 = 0;
  for (double v : std::get<data::RealColumn>(r0.steps.at("innovation_rate").values)) s0 += v;
  EXPECT_LT(s0 / rate.size(), 2.0);  // about ι = 0.5 without the ties
}

TEST(SimulateEcosystemTies, ZeroTieSpillIsTheModelWithoutTies) {
  // A cluster organisation ties its members; with τ = 0 and its brokering at 0 the ties and
  // memberships change no draw of the firms: every observable but members and ties equals the
  // run without the organisation.
  const auto& m = find_model("ecosystem");
  RunConfig rc;
  rc.seed = 4;
  rc.steps = 150;
  const std::string base = "regions=2,scale=5,congestion=0,n_focal=40,";
  const auto a = m.run(eco({base + "cluster_orgs=1,co_broker=0,tie_spill=0"}), rc);
  const auto b = m.run(eco({base + "tie_spill=0"}), rc);
  EXPECT_GT(a.metric("ties"), 0.0);
  for (std::size_t k = 0; k < a.metrics.size(); ++k) {
    const auto& name = a.metrics[k].first;
    if (name == "members" || name == "ties") continue;
    EXPECT_EQ(a.metrics[k].second, b.metrics[k].second) << name;
  }
  // With τ > 0 the members' innovations spread along the ties: more innovation.
  auto mean_rate = [](const RunResult& r) {
    const auto& v = std::get<data::RealColumn>(r.steps.at("innovation_rate").values);
    double s = 0;
    for (double x : v) s += x;
    return s / v.size();
  };
  const auto c = m.run(eco({base + "cluster_orgs=1,co_broker=0,tie_spill=0.5"}), rc);
  EXPECT_GT(mean_rate(c), 1.2 * mean_rate(a));
}

// ---- determinism and checkpoints on real regions -------------------------------------------

TEST(SimulateEcosystemWorld, OneAndTwoThreadsIdenticalOnRealRegionsWithInstitutionsAndTies) {
  TempDir t;
  ecosystem::WorldFiles f;
  f.regions = t.write("regions.csv", kRegions);
  f.focal = "A";
  std::string est = "id,industry,lon,lat,region,employees\n", ties = "source,target\n";
  for (int i = 0; i < 120; ++i) {
    est += "f" + std::to_string(i) + ",x,-122,37.4," + std::string(1, "ABCD"[i % 4]) + "," + std::to_string(1 + i % 7) + "\n";
    if (i > 0) ties += "f" + std::to_string(i) + ",f" + std::to_string((i * 7) % i) + "\n";
  }
  f.establishments = t.write("est.csv", est);
  f.ties = t.write("ties.csv", ties);
  f.institutions = t.write("inst.csv", "id,type,region,level\nu,university,A,1\nrc,research_centre,A,2\nco,cluster_organisation,B,1\n");
  auto w = std::make_shared<const World>(ecosystem::load_world(f));
  const auto model = ecosystem::make_model(w);
  auto run = [&](int threads) {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    ExperimentConfig cfg;
    cfg.seed = 8;
    cfg.replicates = 3;
    cfg.steps = 120;
    return run_experiment(*model, resolve_params(*model, {"ell=25,network=2"}), std::nullopt, cfg);
  };
  const auto a = run(1), b = run(2);
  auto same = [](const data::Table& x, const data::Table& y) {
    ASSERT_EQ(x.rows(), y.rows());
    ASSERT_EQ(x.cols(), y.cols());
    for (std::size_t c = 0; c < x.cols(); ++c)
      for (std::size_t r = 0; r < x.rows(); ++r) ASSERT_EQ(x.cell_text(r, c), y.cell_text(r, c));
  };
  same(a.runs, b.runs);
  same(a.steps, b.steps);
  same(a.regions, b.regions);
  EXPECT_EQ(a.regions.rows(), 12u);
}

TEST(SimulateEcosystemWorld, CheckpointResumesOnRealRegionsAndRefusesOtherVersionsOrRegions) {
  TempDir t;
  ecosystem::WorldFiles f;
  f.regions = t.write("regions.csv", kRegions);
  f.focal = "A";
  f.institutions = t.write("inst.csv", "id,type,region\nu,university,A\nco,cluster_organisation,A\n");
  const auto w = ecosystem::load_world(f);
  const auto model = ecosystem::make_model(std::make_shared<const World>(w));
  const auto p = resolve_params(*model, {"ell=20,skills=3"});
  const auto ck = (t.dir / "a.ckpt").string();
  const auto whole = ecosystem::run_with_checkpoint(p, 5, 60, "", "", &w);
  ecosystem::run_with_checkpoint(p, 5, 30, "", ck, &w);
  const auto second = ecosystem::run_with_checkpoint(p, 5, 30, ck, "", &w);
  for (std::size_t k = 0; k < whole.metrics.size() - 1; ++k)
    EXPECT_EQ(whole.metrics[k].second, second.metrics[k].second) << whole.metrics[k].first;
  // On the grid (another geography) it is refused.
  expect_error([&] { ecosystem::run_with_checkpoint(p, 5, 1, ck, ""); }, ErrorKind::input, {"other regions"});
  // A checkpoint of model version 1 ("ecosystem", before institutions and ties) is refused.
  AgentStore s;
  s.add_int("region");
  AgentStore::Header h;
  h.model = "ecosystem";
  const auto old = (t.dir / "v1.ckpt").string();
  s.save(old, h);
  expect_error([&] { ecosystem::run_with_checkpoint(p, 5, 1, old, "", &w); }, ErrorKind::input,
               {"v1.ckpt", "model 'ecosystem'", "model version 1"});
}

}  // namespace
}  // namespace agglo::simulate

namespace agglo::simulate {
namespace {

// ---- (b) neighbour search -----------------------------------------------------------------

World random_world(std::uint64_t seed, std::size_t R, bool geographic) {
  core::Stream rng(seed, core::stream_id("world test"), 0);
  World w;
  w.geographic = geographic;
  for (std::size_t r = 0; r < R; ++r) {
    w.codes.push_back(std::to_string(r));
    w.names.push_back(w.codes.back());
    // lon/lat over the contiguous US, or a 50 × 50 plane; a few duplicates.
    const bool dup = r > 0 && rng.uniform() < 0.05;
    w.x.push_back(dup ? w.x[r - 1] : geographic ? rng.uniform(-124, -67) : rng.uniform(0, 50));
    w.y.push_back(dup ? w.y[r - 1] : geographic ? rng.uniform(25, 49) : rng.uniform(0, 50));
  }
  return w;
}

TEST(SimulateNeighbours, AgentNeighbourhoodMatchesBruteForce) {
  for (bool geographic : {false, true}) {
    const auto w = random_world(geographic ? 2 : 1, 400, geographic);
    const double radius = geographic ? 300.0 : 4.0;
    const Neighbourhood nb(w.x, w.y, geographic, radius);
    const auto lists = nb.lists();
    for (std::size_t i = 0; i < w.size(); ++i) {
      std::vector<std::uint32_t> expect;
      for (std::size_t j = 0; j < w.size(); ++j)
        if (w.distance(i, j) <= radius) expect.push_back(static_cast<std::uint32_t>(j));
      const std::vector<std::uint32_t> got(lists.index.begin() + static_cast<std::ptrdiff_t>(lists.start[i]),
                                           lists.index.begin() + static_cast<std::ptrdiff_t>(lists.start[i + 1]));
      ASSERT_EQ(got, expect) << "agent " << i << (geographic ? " (lon/lat)" : " (x/y)");
    }
    // A query around a point: the agents within r of it.
    std::vector<std::size_t> hits;
    nb.within(w.x[7], w.y[7], radius / 2, [&](std::size_t j, double) { hits.push_back(j); });
    std::sort(hits.begin(), hits.end());
    std::vector<std::size_t> expect;
    for (std::size_t j = 0; j < w.size(); ++j)
      if (w.distance(7, j) <= radius / 2) expect.push_back(j);
    EXPECT_EQ(hits, expect);
  }
}

TEST(SimulateNeighbours, SpilloverKernelOnPairGridEqualsAllPairsWithinTheCutoff) {
  for (bool geographic : {false, true}) {
    const auto w = random_world(geographic ? 4 : 3, 500, geographic);
    const double ell = geographic ? 15.0 : 0.2;
    const auto a = ecosystem::spillover_kernel(w, ell, 1e-6);
    const auto b = ecosystem::spillover_kernel_bruteforce(w, ell, 1e-6);
    EXPECT_EQ(a.start, b.start);
    EXPECT_EQ(a.source, b.source);
    EXPECT_EQ(a.weight, b.weight);  // bit for bit: same pairs, same order, same formula
    EXPECT_LT(a.source.size(), w.size() * w.size() / 4);  // truncated: far from all pairs
    // Truncation error of S_r = Σ_q I_q e^{−d/ℓ} against the full sum: at most ε Σ_q I_q.
    core::Stream rng(9, core::stream_id("innovations"), 0);
    std::vector<double> I(w.size());
    double total = 0;
    for (auto& v : I) total += (v = std::floor(rng.uniform(0, 10)));
    for (std::size_t r = 0; r < w.size(); r += 37) {
      double full = 0, cut = 0;
      for (std::size_t q = 0; q < w.size(); ++q) full += I[q] * std::exp(-w.distance(r, q) / ell);
      for (auto k = a.start[r]; k < a.start[r + 1]; ++k) cut += I[a.source[k]] * a.weight[k];
      EXPECT_LE(full - cut, 1e-6 * total + 1e-12);
      EXPECT_GE(full - cut, -1e-12);
    }
  }
}

TEST(SimulateNeighbours, RelocationWithinARadiusStaysNearby) {
  // Firms of a 25-region grid relocate only to regions within move_radius = 1 (the 4-neighbours
  // and themselves): after the run no firm of the corner region's start can be far away — the
  // regions' counts change, and the runs are still identical for 1 and 2 threads.
  const auto& m = find_model("ecosystem");
  RunConfig rc;
  rc.seed = 2;
  rc.steps = 100;
  auto run = [&](int threads) {
    tbb::global_control gc(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(threads));
    return m.run(eco({"regions=25,mobility=2,move_radius=1"}), rc);
  };
  const auto a = run(1), b = run(2);
  EXPECT_EQ(a.final_state, b.final_state);
  const auto far = m.run(eco({"regions=25,mobility=2"}), rc);
  EXPECT_NE(a.final_state, far.final_state);
  const auto nb = ecosystem::region_neighbours(ecosystem::grid_world(eco({"regions=25"})), 1.0);
  EXPECT_EQ(nb.start[1] - nb.start[0], 3u);   // region 0 (a corner): itself, 1 and 5
  EXPECT_EQ(nb.start[13] - nb.start[12], 5u);  // region 12 (the centre): itself and 4
}

}  // namespace
}  // namespace agglo::simulate

namespace agglo::simulate {
namespace {

TEST(SimulateNeighbours, ResearchCentreReachesFirmsWithinItsRadius) {
  // A research centre in the focal region of a 25-region grid that holds ~2 firms wants 60
  // partners: alone in its region it finds at most the region's firms; with rc_radius = 1.5 it
  // reaches the focal region and its 3 grid neighbours (about 3 × 17 + 2 firms) via the regions'
  // neighbour search.
  const auto& m = find_model("ecosystem");
  RunConfig rc;
  rc.seed = 6;
  rc.steps = 50;
  const auto own = m.run(eco({"regions=25,n_focal=0,n_other=20,research_centres=1,rc_partners=60"}), rc);
  EXPECT_LE(own.metric("partners"), own.metric("focal_firms"));
  const auto near = m.run(eco({"regions=25,n_focal=0,n_other=20,research_centres=1,rc_partners=60,rc_radius=1.5"}), rc);
  EXPECT_GT(near.metric("partners"), near.metric("focal_firms") + 10);
  EXPECT_LE(near.metric("partners"), 60.0);
}

}  // namespace
}  // namespace agglo::simulate
