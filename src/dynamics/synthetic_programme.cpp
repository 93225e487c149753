// A staggered programme with planted heterogeneous effects (include/agglo/dynamics/synthetic_programme.hpp).
#include "agglo/dynamics/synthetic_programme.hpp"

#include <fmt/format.h>

#include <map>

#include "agglo/core/rng.hpp"

namespace agglo::dynamics {

SyntheticProgramme synthetic_programme(const ProgrammeSpec& s, std::uint64_t seed) {
  SyntheticProgramme out;
  auto& p = out.panel;
  const std::size_t T = s.periods;
  for (std::size_t t = 0; t < T; ++t) p.periods.push_back(s.first_period + static_cast<std::int64_t>(t));
  const std::size_t treated = static_cast<std::size_t>(s.treated_share * static_cast<double>(s.units));
  core::Stream rng(seed, core::stream_id("synthetic programme"));
  auto tau = [&](std::int64_t g, std::int64_t t) {
    std::size_t rank = 0;
    for (std::size_t c = 0; c < s.cohorts.size(); ++c)
      if (s.cohorts[c] == g) rank = c;
    return (s.effect + s.slope * static_cast<double>(t - g)) * (1 + s.cohort_gradient * static_cast<double>(rank));
  };
  std::map<std::int64_t, std::size_t> size;
  for (std::size_t i = 0; i < s.units; ++i) {
    p.unit_names.push_back(fmt::format("r{:04d}", i + 1));
    const std::int64_t g = i < treated && !s.cohorts.empty() ? s.cohorts[i % s.cohorts.size()] : 0;
    p.cohort.push_back(g);
    if (g) ++size[g];
    const double alpha = rng.normal();
    for (std::size_t t = 0; t < T; ++t) {
      const auto year = p.periods[t];
      double y = alpha + 0.1 * static_cast<double>(t) + s.noise * rng.normal();
      if (g && year >= g) y += tau(g, year);
      p.y.push_back(y);
    }
  }
  double num = 0, den = 0;
  for (auto g : s.cohorts)
    for (auto t : p.periods)
      if (t >= g && size[g]) {
        AttCell c;
        c.group = g;
        c.time = t;
        c.att = tau(g, t);
        c.post = true;
        out.truth.push_back(c);
        num += static_cast<double>(size[g]) * c.att;
        den += static_cast<double>(size[g]);
      }
  out.att_simple = den > 0 ? num / den : 0;
  return out;
}

}  // namespace agglo::dynamics
