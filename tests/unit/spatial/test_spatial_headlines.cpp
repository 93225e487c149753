// The one-line headline (api::Result::headline) of every spatial command says what the run
// found, on small bundled inputs (tests/cli/good) whose answer is known: a clumped industry is
// localised and a uniform one is not, a planted hot-spot block is significant, and so on.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "agglo/api/operation.hpp"

using namespace agglo;

namespace {

std::string good(const std::string& f) { return (std::filesystem::path(AGGLO_TEST_DATA) / "cli" / "good" / f).string(); }

api::Result run(const std::string& op, const core::ParamMap& m) {
  api::Context ctx;
  ctx.quiet = true;
  const auto* o = api::Registry::global().find(op);
  EXPECT_NE(o, nullptr) << op;
  return o->run(m, ctx);
}

void contains(const api::Result& r, const std::string& what) {
  EXPECT_NE(r.headline.find(what), std::string::npos) << "headline: " << r.headline << "\nexpected: " << what;
}

}  // namespace

TEST(SpatialHeadlines, DistanceMeasuresSayWhetherTheIndustryIsConcentrated) {
  const auto pts = good("dist_points.csv");
  auto r = run("kdensity", {{"establishments", pts}, {"industry", "LOC"}, {"simulations", "99"}, {"max-distance", "300"}});
  contains(r, "LOC is localised: K-density above the global band from 0 to");
  contains(r, "60 establishments, 99 simulations");
  EXPECT_EQ(r.headline.find("see warnings"), std::string::npos);
  r = run("kdensity", {{"establishments", pts}, {"industry", "RND"}, {"simulations", "99"}, {"max-distance", "300"}});
  contains(r, "RND is ");
  EXPECT_EQ(r.headline.find("localised:"), std::string::npos) << r.headline;
  r = run("kdensity", {{"establishments", pts}, {"industry", "LOC"}, {"simulations", "19"}, {"max-distance", "300"}});
  contains(r, "(see warnings)");
  r = run("mfunction", {{"establishments", pts}, {"industry", "LOC"}, {"simulations", "99"}, {"max-distance", "100"}});
  contains(r, "M of LOC peaks at");
  contains(r, "above its global band at");
  r = run("ripley", {{"establishments", pts}, {"industry", "LOC"}, {"simulations", "99"}});
  contains(r, "Ripley's K and L of 60 points");
  contains(r, "isotropic K above the CSR band at");
}

TEST(SpatialHeadlines, ClustersPatternsAndHotSpotsAreCounted) {
  auto r = run("dbscan", {{"establishments", good("spatial_thirteen.csv")}, {"eps", "1.2"}, {"min-points", "3"}});
  contains(r, "2 DBSCAN clusters of 13 establishments");
  r = run("hdbscan", {{"establishments", good("dens_two_groups.csv")}, {"min-cluster-size", "3"}});
  contains(r, "HDBSCAN cluster");
  r = run("colocation", {{"establishments", good("coloc_hand.csv")}, {"distance", "1"}, {"min-prevalence", "0.15"}});
  contains(r, "2 prevalent co-location patterns of 3 industries within 1 unit (PI >= 0.15, largest of size 2); 1 below --min-support 3 dropped");
  r = run("hotspots", {{"regions", good("hot_points.csv")}, {"value", "value"}, {"weights", "knn"}, {"k", "4"}});
  contains(r, "regions significant by local Moran (HH ");
  contains(r, "global Moran's I = ");
}
