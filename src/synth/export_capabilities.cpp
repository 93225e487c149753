// The export matrix from a latent capability model (Hausmann & Hidalgo 2011, "The network
// structure of economic output", J. Econ. Growth 16:309–342).
//
// K capabilities. Location c holds each capability independently with probability r_c
// (r_c ~ U[0.15, 0.95]); product p requires each with probability q = 2.5/K (at least one).
// c makes p iff it holds every capability p requires. Then
//     value_cp = exp(N(ln S_c + ln T_p, 1))   if c makes p,
//              = exp(N(ln S_c + ln T_p − 4, 1)) with probability 0.02 otherwise (re-exports, noise),
// with S_c, T_p log-normal location and product sizes. GDP per capita rises with the share
// of capabilities held: ln y_c = 6.5 + 4 · (held_c / K) + N(0, 0.35).
// Planted truth: held_c per location (its ECI should rank like it) and needed_p per product.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "detail/parts.hpp"

namespace agglo::synth::detail {

void generate_exports(const SynthConfig& cfg, std::uint64_t seed, const std::string& data_dir,
                      std::vector<std::pair<std::string, data::Table>>& tables, Json& truth) {
  auto [all_locations, all_products] = load_trade_codes(data_dir);
  // Deterministic subsets: every k-th code, so small presets still span the classification.
  auto pick = [](const std::vector<std::string>& all, std::size_t n) {
    if (n == 0 || n >= all.size()) return all;
    std::vector<std::string> out;
    for (std::size_t k = 0; k < n; ++k) out.push_back(all[k * all.size() / n]);
    return out;
  };
  const auto locations = pick(all_locations, cfg.export_locations);
  const auto products = pick(all_products, cfg.export_products);
  const int K = cfg.capabilities;
  const std::size_t L = locations.size(), P = products.size();

  std::vector<std::vector<bool>> has(L, std::vector<bool>(static_cast<std::size_t>(K)));
  std::vector<int> held(L, 0);
  std::vector<double> size_c(L);
  for (std::size_t c = 0; c < L; ++c) {
    core::Stream rng(seed, core::stream_id("location capabilities"), c);
    const double r = rng.uniform(0.15, 0.95);
    for (int k = 0; k < K; ++k) {
      has[c][static_cast<std::size_t>(k)] = rng.uniform() < r;
      held[c] += has[c][static_cast<std::size_t>(k)];
    }
    size_c[c] = std::exp(rng.normal(16.0, 1.5));
  }
  std::vector<std::vector<int>> needs(P);
  std::vector<double> size_p(P);
  const double q = 2.5 / K;
  for (std::size_t p = 0; p < P; ++p) {
    core::Stream rng(seed, core::stream_id("product requirements"), p);
    for (int k = 0; k < K; ++k)
      if (rng.uniform() < q) needs[p].push_back(k);
    if (needs[p].empty()) needs[p].push_back(static_cast<int>(rng.below(static_cast<std::uint64_t>(K))));
    size_p[p] = std::exp(rng.normal(0.0, 1.0));
  }
  data::Table ex;
  auto& loc = ex.add_text("location");
  auto& prod = ex.add_text("product");
  auto& val = ex.add_real("value");
  for (std::size_t c = 0; c < L; ++c) {
    core::Stream rng(seed, core::stream_id("export values"), c);
    for (std::size_t p = 0; p < P; ++p) {
      const bool makes = std::all_of(needs[p].begin(), needs[p].end(),
                                     [&](int k) { return has[c][static_cast<std::size_t>(k)]; });
      const double noise = rng.normal();
      const double u = rng.uniform();
      double v = 0;
      if (makes) v = std::exp(std::log(size_c[c] * size_p[p]) - 6.0 + noise);
      else if (u < 0.02) v = std::exp(std::log(size_c[c] * size_p[p]) - 10.0 + noise);
      v = std::round(v);
      if (v > 0) {
        loc.push_back(locations[c]);
        prod.push_back(products[p]);
        val.push_back(v);
      }
    }
  }
  data::Table gdp;
  auto& gc = gdp.add_text("country");
  auto& gv = gdp.add_real("value");
  data::Table tc;
  auto& tl = tc.add_text("location");
  auto& th = tc.add_integer("capabilities");
  for (std::size_t c = 0; c < L; ++c) {
    core::Stream rng(seed, core::stream_id("gdp"), c);
    gc.push_back(locations[c]);
    gv.push_back(std::round(std::exp(6.5 + 4.0 * held[c] / K + rng.normal(0.0, 0.35))));
    tl.push_back(locations[c]);
    th.push_back(held[c]);
  }
  tables.emplace_back("exports", std::move(ex));
  tables.emplace_back("gdp", std::move(gdp));
  tables.emplace_back("truth_capabilities", std::move(tc));
  truth["exports"] = {{"locations", L},
                      {"products", P},
                      {"capabilities", K},
                      {"requirement_probability", q},
                      {"model", "Hausmann & Hidalgo (2011) latent capabilities; see src/synth/export_capabilities.cpp"}};
}

}  // namespace agglo::synth::detail
