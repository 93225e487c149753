// The regional economy: counties (nested in Economic Areas), industries of the benchmark
// taxonomy, establishments with positions and sizes, and the region × industry employment
// panel that sums them.
//
// Model (all parameters in SynthConfig):
//   population P_r ~ LogNormal(10.2, 1.25) per county (synthetic; the geography is real);
//   expected establishments of industry i in county r
//       λ_ir ∝ s_i · P_r · m_c(i)(r) · ε_ir,        ε_ir ~ LogNormal(0, σ)
//   with s_i ~ LogNormal(0, 0.8) the industry's national scale and, for a traded cluster c,
//       m_c(r) = B_c                 in the cluster's hub counties (B_c ~ U[boost_min, boost_max]),
//              = 1 + (B_c − 1)/5     in the other counties of a hub's Economic Area,
//              = non_hub_level       elsewhere;
//   for local industries m = local_level (they follow population) and σ is small; local_level
//   is set so that local industries hold roughly half of all jobs, as in the US (where traded
//   clusters hold about 36 %; Delgado, Porter & Stern 2016).
//   The λ are scaled so that Σ λ = the preset's establishment count; counts are Poisson(λ_ir).
//   Sizes: 1 + ⌊LogNormal(ln 8, 1.0)⌋ employees for traded, 1 + ⌊LogNormal(ln 4, 0.9)⌋ for local.
//   Positions: in a hub county, establishments of a localised traded industry are drawn from
//   N(site, scale_c² I) around the cluster's site (a point within half the county radius);
//   every other establishment is uniform in a disc of 0.8 × the county's equal-area radius.
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "agglo/geo/coordinates.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/progress.hpp"
#include "detail/parts.hpp"

namespace agglo::synth::detail {

namespace {
constexpr double kPi = 3.14159265358979323846;

std::uint64_t sid(const char* name) { return core::stream_id(name); }
}  // namespace

RegionalTruth generate_regional(const SynthConfig& cfg, std::uint64_t seed, std::vector<County>& counties,
                                const std::vector<BenchmarkIndustry>& industries,
                                std::vector<std::pair<std::string, data::Table>>& tables, Json& truth) {
  const std::size_t R = counties.size();
  const std::size_t I = industries.size();

  // --- population -------------------------------------------------------------------------
  for (std::size_t r = 0; r < R; ++r) {
    core::Stream rng(seed, sid("population"), r);
    counties[r].population = std::round(std::exp(rng.normal(10.2, 1.25)));
  }

  // --- traded clusters and their hubs ---------------------------------------------------------
  RegionalTruth rt;
  std::map<int, std::size_t> cluster_index;  // benchmark id → traded cluster slot
  for (const auto& b : industries)
    if (b.traded && !cluster_index.count(b.cluster_id)) {
      cluster_index[b.cluster_id] = rt.cluster_ids.size();
      rt.cluster_ids.push_back(b.cluster_id);
      rt.cluster_names.push_back(b.cluster);
    }
  const std::size_t C = rt.cluster_ids.size();
  rt.hubs.resize(C);
  rt.scale_km.resize(C);
  std::vector<double> boost(C);
  const double scales[] = {2.0, 5.0, 10.0, 20.0};
  std::map<std::string, std::vector<std::size_t>> ea_members;
  for (std::size_t r = 0; r < R; ++r) ea_members[counties[r].ea_id].push_back(r);
  for (std::size_t c = 0; c < C; ++c) {
    core::Stream rng(seed, sid("hubs"), static_cast<std::uint64_t>(rt.cluster_ids[c]));
    const int h = cfg.hubs_min + static_cast<int>(rng.below(static_cast<std::uint64_t>(cfg.hubs_max - cfg.hubs_min + 1)));
    // Weighted sampling without replacement, weight √P (big places host more clusters, but
    // not only big places): Efraimidis–Spirakis keys u^(1/w), the h largest win.
    std::vector<std::pair<double, std::size_t>> keys(R);
    for (std::size_t r = 0; r < R; ++r)
      keys[r] = {std::log(rng.uniform() + 1e-300) / std::sqrt(counties[r].population), r};
    const std::size_t take = std::min<std::size_t>(static_cast<std::size_t>(h), R);
    std::partial_sort(keys.begin(), keys.begin() + static_cast<long>(take), keys.end(),
                      [](auto& a, auto& b) { return a.first > b.first; });
    for (std::size_t k = 0; k < take; ++k) rt.hubs[c].push_back(keys[k].second);
    std::sort(rt.hubs[c].begin(), rt.hubs[c].end());
    boost[c] = rng.uniform(cfg.hub_boost_min, cfg.hub_boost_max);
    rt.scale_km[c] = scales[rng.below(4)];
  }
  // Multiplier m_c(r), stored sparsely: only hub counties and their EA neighbours differ from
  // the non-hub level.
  std::vector<std::map<std::size_t, double>> mult(C);
  for (std::size_t c = 0; c < C; ++c) {
    for (std::size_t hub : rt.hubs[c])
      for (std::size_t r : ea_members[counties[hub].ea_id])
        mult[c].emplace(r, 1.0 + (boost[c] - 1.0) / 5.0);
    for (std::size_t hub : rt.hubs[c]) mult[c][hub] = boost[c];
  }

  // --- industries ------------------------------------------------------------------------------
  std::vector<double> scale(I);
  std::vector<bool> localised(I);
  std::vector<int> slot(I, -1);
  for (std::size_t i = 0; i < I; ++i) {
    core::Stream rng(seed, sid("industry"), i);
    scale[i] = std::exp(rng.normal(0.0, 0.8));
    if (industries[i].traded) {
      slot[i] = static_cast<int>(cluster_index[industries[i].cluster_id]);
      localised[i] = rng.uniform() < cfg.localised_share;
    }
  }

  // --- expected counts and the normalising constant -------------------------------------------
  // λ_ir = K · w_ir; the weights are recomputed per county in the parallel pass below from the
  // same streams, so only their total is needed here.
  auto weight = [&](std::size_t r, std::size_t i, core::Stream& rng) {
    const auto& b = industries[i];
    double m = cfg.local_level, sigma = 0.15;
    if (b.traded) {
      sigma = 0.5;
      const auto& mc = mult[static_cast<std::size_t>(slot[i])];
      auto it = mc.find(r);
      m = it == mc.end() ? cfg.non_hub_level : it->second;
    }
    return scale[i] * counties[r].population * m * std::exp(rng.normal(0.0, sigma));
  };
  std::vector<double> county_total(R, 0.0);
  tbb::parallel_for(std::size_t(0), R, [&](std::size_t r) {
    core::Stream rng(seed, sid("weights"), r);
    double s = 0;
    for (std::size_t i = 0; i < I; ++i) s += weight(r, i, rng);
    county_total[r] = s;
  });
  const double total = std::accumulate(county_total.begin(), county_total.end(), 0.0);
  const double K = static_cast<double>(cfg.establishments) / total;

  // --- establishments, county by county ---------------------------------------------------------
  struct Plant {
    std::uint32_t industry;
    double lon, lat, employees;
  };
  std::vector<std::vector<Plant>> plants(R);
  parallel::Progress progress("generating establishments", R, "counties");
  tbb::parallel_for(std::size_t(0), R, [&](std::size_t r) {
    if (parallel::cancel_requested()) return;
    const auto& cty = counties[r];
    const double radius = std::max(2.0, std::sqrt(cty.area_km2 / kPi));
    core::Stream wr(seed, sid("weights"), r);  // same stream as the totals: same weights
    core::Stream rng(seed, sid("establishments"), r);
    // Each traded cluster with this county as a hub has one site here.
    std::map<std::size_t, std::pair<double, double>> site;
    for (std::size_t c = 0; c < C; ++c)
      if (std::binary_search(rt.hubs[c].begin(), rt.hubs[c].end(), r)) {
        core::Stream srng(seed, sid("site"), c * 1000003ULL + r);
        double lon = cty.lon, lat = cty.lat;
        jitter_disc(srng, lon, lat, 0.5 * radius);
        site[c] = {lon, lat};
      }
    auto& out = plants[r];
    for (std::size_t i = 0; i < I; ++i) {
      const double lambda = K * weight(r, i, wr);
      const auto n = rng.poisson(lambda);
      const bool traded = industries[i].traded;
      const auto sit = traded ? site.find(static_cast<std::size_t>(slot[i])) : site.end();
      const bool clustered = traded && localised[i] && sit != site.end();
      for (std::uint64_t k = 0; k < n; ++k) {
        Plant p;
        p.industry = static_cast<std::uint32_t>(i);
        p.employees = 1.0 + std::floor(traded ? rng.lognormal(std::log(8.0), 1.0)
                                              : rng.lognormal(std::log(4.0), 0.9));
        if (clustered) {
          p.lon = sit->second.first;
          p.lat = sit->second.second;
          const double s = rt.scale_km[static_cast<std::size_t>(slot[i])];
          geo::offset_km(p.lon, p.lat, rng.normal(0.0, s), rng.normal(0.0, s));
        } else {
          p.lon = cty.lon;
          p.lat = cty.lat;
          jitter_disc(rng, p.lon, p.lat, 0.8 * radius);
        }
        out.push_back(p);
      }
    }
    progress.advance();
  });
  parallel::check_cancelled();

  // --- tables ------------------------------------------------------------------------------------
  // regions: Economic Areas first (parents), then counties.
  {
    data::Table t;
    auto& code = t.add_text("code");
    auto& name = t.add_text("name");
    auto& level = t.add_text("level");
    auto& parent = t.add_text("parent");
    auto& state = t.add_text("state");
    auto& lon = t.add_real("lon");
    auto& lat = t.add_real("lat");
    auto& area = t.add_real("area_km2");
    auto& pop = t.add_real("population");
    std::map<std::string, std::tuple<std::string, double, double, double, double>> eas;  // id → name, Σlon·P, Σlat·P, area, P
    for (const auto& c : counties) {
      auto& e = eas[c.ea_id];
      std::get<0>(e) = c.ea_name;
      std::get<1>(e) += c.lon * c.population;
      std::get<2>(e) += c.lat * c.population;
      std::get<3>(e) += c.area_km2;
      std::get<4>(e) += c.population;
    }
    for (const auto& [id, e] : eas) {
      code.push_back(id);
      name.push_back(std::get<0>(e));
      level.push_back("economic_area");
      parent.push_back("");
      state.push_back("");
      lon.push_back(std::get<1>(e) / std::get<4>(e));  // population-weighted centre
      lat.push_back(std::get<2>(e) / std::get<4>(e));
      area.push_back(std::get<3>(e));
      pop.push_back(std::get<4>(e));
    }
    for (const auto& c : counties) {
      code.push_back(c.fips);
      name.push_back(c.name);
      level.push_back("county");
      parent.push_back(c.ea_id);
      state.push_back(c.state);
      lon.push_back(c.lon);
      lat.push_back(c.lat);
      area.push_back(c.area_km2);
      pop.push_back(c.population);
    }
    tables.emplace_back("regions", std::move(t));
  }
  {
    data::Table t;
    auto& code = t.add_text("code");
    auto& kind = t.add_text("kind");
    auto& cid = t.add_integer("cluster_id");
    auto& cname = t.add_text("cluster");
    for (const auto& b : industries) {
      code.push_back(b.naics);
      kind.push_back(b.traded ? "traded" : "local");
      cid.push_back(b.cluster_id);
      cname.push_back(b.cluster);
    }
    tables.emplace_back("industries", std::move(t));
  }
  std::size_t n_plants = 0;
  for (const auto& v : plants) n_plants += v.size();
  {
    data::Table t;
    auto& id = t.add_text("id");
    auto& ind = t.add_text("industry");
    auto& reg = t.add_text("region");
    auto& lon = t.add_real("lon");
    auto& lat = t.add_real("lat");
    auto& emp = t.add_real("employees");
    id.reserve(n_plants);
    ind.reserve(n_plants);
    reg.reserve(n_plants);
    lon.reserve(n_plants);
    lat.reserve(n_plants);
    emp.reserve(n_plants);
    std::size_t k = 0;
    for (std::size_t r = 0; r < R; ++r)
      for (const auto& p : plants[r]) {
        id.push_back(fmt::format("e{}", ++k));
        ind.push_back(industries[p.industry].naics);
        reg.push_back(counties[r].fips);
        // Six decimals of a degree is ~0.1 m: plenty, and keeps files small.
        lon.push_back(std::round(p.lon * 1e6) / 1e6);
        lat.push_back(std::round(p.lat * 1e6) / 1e6);
        emp.push_back(p.employees);
      }
    tables.emplace_back("establishments", std::move(t));
  }
  {
    // employment = Σ employees of the establishments in each county × industry cell.
    data::Table t;
    auto& reg = t.add_text("region");
    auto& ind = t.add_text("industry");
    auto& emp = t.add_real("employment");
    auto& est = t.add_real("establishments");
    for (std::size_t r = 0; r < R; ++r) {
      std::vector<std::pair<double, double>> cell(I, {0.0, 0.0});
      for (const auto& p : plants[r]) {
        cell[p.industry].first += p.employees;
        cell[p.industry].second += 1;
      }
      for (std::size_t i = 0; i < I; ++i)
        if (cell[i].second > 0) {
          reg.push_back(counties[r].fips);
          ind.push_back(industries[i].naics);
          emp.push_back(cell[i].first);
          est.push_back(cell[i].second);
        }
    }
    tables.emplace_back("employment", std::move(t));
  }
  {
    // Ground-truth tables: industry → cluster and localisation; cluster → hubs.
    data::Table t;
    auto& ind = t.add_text("industry");
    auto& cid = t.add_integer("cluster_id");
    auto& kind = t.add_text("kind");
    auto& loc = t.add_integer("localised");
    auto& sc = t.add_real("scale_km");
    for (std::size_t i = 0; i < I; ++i) {
      ind.push_back(industries[i].naics);
      cid.push_back(industries[i].cluster_id);
      kind.push_back(industries[i].traded ? "traded" : "local");
      loc.push_back(localised[i] ? 1 : 0);
      sc.push_back(localised[i] ? rt.scale_km[static_cast<std::size_t>(slot[i])] : std::nan(""));
    }
    tables.emplace_back("truth_industries", std::move(t));
  }
  {
    data::Table t;
    auto& cid = t.add_integer("cluster_id");
    auto& cname = t.add_text("cluster");
    auto& hub = t.add_text("region");
    auto& b = t.add_real("boost");
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t h : rt.hubs[c]) {
        cid.push_back(rt.cluster_ids[c]);
        cname.push_back(rt.cluster_names[c]);
        hub.push_back(counties[h].fips);
        b.push_back(boost[c]);
      }
    tables.emplace_back("truth_hubs", std::move(t));
  }

  Json clusters = Json::array();
  for (std::size_t c = 0; c < C; ++c) {
    Json hubs = Json::array();
    for (std::size_t h : rt.hubs[c]) hubs.push_back(counties[h].fips);
    clusters.push_back({{"cluster_id", rt.cluster_ids[c]}, {"cluster", rt.cluster_names[c]},
                        {"hubs", hubs}, {"boost", boost[c]}, {"site_scale_km", rt.scale_km[c]}});
  }
  truth["regional"] = {
      {"counties", R},
      {"economic_areas", ea_members.size()},
      {"industries", I},
      {"traded_clusters", C},
      {"establishments", n_plants},
      {"model", "lambda_ir ∝ s_i P_r m_c(r) eps_ir; see src/synth/regional_economy.cpp"},
      {"clusters", clusters},
  };
  return rt;
}

}  // namespace agglo::synth::detail
