// Synthetic establishment spells (include/agglo/dynamics/synthetic_spells.hpp).
#include "agglo/dynamics/synthetic_spells.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "agglo/core/rng.hpp"

namespace agglo::dynamics {

data::Table synthetic_spells(const SpellSpec& s, std::uint64_t seed) {
  data::Table t;
  auto& id = t.add_text("id");
  auto& region = t.add_text("region");
  auto& entry = t.add_integer("entry_year");
  auto& exit_year = t.add_integer("exit_year");
  auto& duration = t.add_real("duration");
  auto& exited = t.add_integer("exited");
  auto& density = t.add_real("density");
  auto& spinoff = t.add_integer("spinoff");
  auto& foreign = t.add_integer("foreign");
  auto& noise = t.add_real("noise");
  core::Stream rng(seed, core::stream_id("synthetic spells"));
  for (std::size_t i = 0; i < s.establishments; ++i) {
    id.push_back(fmt::format("e{:06d}", i + 1));
    region.push_back(fmt::format("r{:03d}", rng.below(std::max<std::size_t>(s.regions, 1)) + 1));
    const int y0 = s.first_year + static_cast<int>(rng.below(static_cast<std::uint64_t>(s.last_year - s.first_year)));
    const double d = rng.uniform();
    const int so = rng.bernoulli(0.3), fo = rng.bernoulli(0.15);
    const double z = rng.normal();
    const double rate = s.base_hazard * std::exp(s.beta_density * d + s.beta_spinoff * so + s.beta_foreign * fo);
    const double life = rng.exponential(rate);
    const double window = s.last_year - y0;
    const bool ends = life <= window;
    const double dur = ends ? std::max(1.0, std::ceil(life)) : window;
    entry.push_back(y0);
    exit_year.push_back(ends ? y0 + static_cast<int>(dur) : s.last_year);
    duration.push_back(dur);
    exited.push_back(ends ? 1 : 0);
    density.push_back(d);
    spinoff.push_back(so);
    foreign.push_back(fo);
    noise.push_back(z);
  }
  return t;
}

}  // namespace agglo::dynamics
