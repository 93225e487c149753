// Synthetic development blocks and recession (include/agglo/structure/synthetic.hpp).
#include "agglo/structure/synthetic.hpp"

#include <fmt/format.h>

#include <cmath>

#include "agglo/core/rng.hpp"

namespace agglo::structure {

namespace {
// Stream ids: one per concept, so changing one part never shifts the draws of another.
constexpr std::uint64_t kFlows = 0x51a1, kSeries = 0x51a2, kRegions = 0x51a3, kCells = 0x51a4, kOccupations = 0x51a5;
}  // namespace

SyntheticStructure synthetic_structure(const SyntheticStructureConfig& c, std::uint64_t seed) {
  SyntheticStructure s;
  const std::size_t nb = c.blocks * c.block_size, n = nb + c.decoys * c.decoy_size;
  for (std::size_t i = 0; i < n; ++i) {
    s.table.industries.push_back(fmt::format("I{:03d}", i + 1));
    if (i < nb) {
      s.planted_block.push_back(static_cast<std::int64_t>(i / c.block_size));
      s.io_group.push_back(static_cast<std::int64_t>(i / c.block_size));
    } else {
      s.planted_block.push_back(-1);
      s.io_group.push_back(static_cast<std::int64_t>(c.blocks + (i - nb) / c.decoy_size));
    }
  }
  // IO table: coefficients first, flows z_ij = a_ij x_j.
  core::Stream fr(seed, kFlows);
  s.table.output.resize(n);
  for (auto& x : s.table.output) x = fr.uniform(1000, 2000);
  s.table.flows.assign(n * n, 0.0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      double a = 0;
      if (s.io_group[i] == s.io_group[j])
        a = fr.uniform(0.03, 0.10);
      else if (fr.bernoulli(0.3))
        a = fr.uniform(0.0, 0.12 / static_cast<double>(n));  // ≈ 0.018 per column whatever n
      s.table.flows[i * n + j] = a * s.table.output[j];
    }
  s.table.final_demand.resize(n);
  s.table.value_added.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double rs = 0, cs = 0;
    for (std::size_t j = 0; j < n; ++j) {
      rs += s.table.flows[i * n + j];
      cs += s.table.flows[j * n + i];
    }
    s.table.final_demand[i] = s.table.output[i] - rs;
    s.table.value_added[i] = s.table.output[i] - cs;
  }
  // Series.
  const std::size_t T = c.years;
  for (std::size_t t = 0; t < T; ++t) s.series.years.push_back(c.first_year + static_cast<long long>(t));
  s.series.industries = s.table.industries;
  s.series.values.assign(n, std::vector<double>(T));
  std::vector<std::vector<double>> trend(c.blocks, std::vector<double>(T, 0.0));
  for (std::size_t b = 0; b < c.blocks; ++b) {
    core::Stream st(seed, kSeries, b);
    for (std::size_t t = 1; t < T; ++t) trend[b][t] = trend[b][t - 1] + 0.02 + c.trend_sd * st.normal();
  }
  for (std::size_t i = 0; i < n; ++i) {
    core::Stream st(seed, kSeries, 1000 + i);
    const double base = std::log(s.table.output[i]);
    const bool planted = !c.null_series && s.planted_block[i] >= 0;
    const double lambda = st.uniform(0.7, 1.3);
    double u = 0, walk = 0;
    for (std::size_t t = 0; t < T; ++t) {
      double y;
      if (planted) {
        u = c.noise_ar * u + c.noise_sd * st.normal();
        y = base + lambda * trend[static_cast<std::size_t>(s.planted_block[i])][t] + u;
      } else {
        if (t > 0) walk += 0.02 + c.trend_sd * st.normal();
        y = base + walk;
      }
      s.series.values[i][t] = std::exp(y);
    }
  }
  // Recession panel.
  core::Stream rr(seed, kRegions);
  const std::size_t R = c.regions;
  std::vector<double> size(R), beta(R), rho(R);
  for (std::size_t r = 0; r < R; ++r) {
    s.regions.push_back(fmt::format("R{:02d}", r + 1));
    size[r] = rr.uniform(0.5, 3.0);
    beta[r] = rr.uniform(0.3, 2.0);
    rho[r] = rr.uniform(0.3, 2.0);
  }
  std::vector<double> e0(R * n), e1(R * n), e2(R * n);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < n; ++i) {
      core::Stream cs(seed, kCells, r * n + i);
      e0[r * n + i] = std::round(size[r] * cs.uniform(20, 400));
    }
  // Cluster blocks: move `home_pull` of each member's jobs elsewhere into the block's home region
  // (the industry's national total is unchanged).
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = s.planted_block[i];
    if (b < 0 || static_cast<std::size_t>(b) >= c.colocated_blocks) continue;
    const std::size_t home = static_cast<std::size_t>(b) % R;
    double moved = 0;
    for (std::size_t r = 0; r < R; ++r) {
      if (r == home) continue;
      const double keep = std::round(e0[r * n + i] * (1 - c.home_pull));
      moved += e0[r * n + i] - keep;
      e0[r * n + i] = keep;
    }
    e0[home * n + i] += moved;
  }
  // Rescale β so that Σ_r w_r β_r = 1 with w_r the regions' shares at `from`, then ρ with the
  // shares at the trough: the national rates are then c and g (up to the cell noise).
  auto weighted_mean = [&](const std::vector<double>& e, const std::vector<double>& v) {
    double num = 0, den = 0;
    for (std::size_t r = 0; r < R; ++r) {
      double er = 0;
      for (std::size_t i = 0; i < n; ++i) er += e[r * n + i];
      num += er * v[r];
      den += er;
    }
    return num / den;
  };
  const double mb = weighted_mean(e0, beta);
  for (auto& b : beta) b /= mb;
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < n; ++i) {
      core::Stream cs(seed, kCells, 1000000 + r * n + i);
      e1[r * n + i] = e0[r * n + i] * (1 + beta[r] * c.contraction) * (1 + c.cell_noise * cs.normal());
    }
  const double mr = weighted_mean(e1, rho);
  for (auto& v : rho) v /= mr;
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < n; ++i) {
      core::Stream cs(seed, kCells, 2000000 + r * n + i);
      e2[r * n + i] = e1[r * n + i] * (1 + rho[r] * c.recovery) * (1 + c.cell_noise * cs.normal());
    }
  s.sensitivity = beta;
  s.recovery_sensitivity = rho;

  for (std::size_t i = 0; i < n; ++i) {
    const auto b = s.planted_block[i];
    s.location.push_back(b < 0 ? "" : static_cast<std::size_t>(b) < c.colocated_blocks ? "cluster" : "national");
  }

  // Tables as written by `agglo synth-structure`.
  {
    auto& f = s.flows;
    auto& a = f.add_text("from");
    auto& b = f.add_text("to");
    auto& v = f.add_real("value");
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        if (s.table.flows[i * n + j] > 0) {
          a.push_back(s.table.industries[i]);
          b.push_back(s.table.industries[j]);
          v.push_back(s.table.flows[i * n + j]);
        }
  }
  {
    auto& t = s.totals;
    auto& ind = t.add_text("industry");
    auto& x = t.add_real("output");
    auto& f = t.add_real("final_demand");
    auto& v = t.add_real("value_added");
    for (std::size_t i = 0; i < n; ++i) {
      ind.push_back(s.table.industries[i]);
      x.push_back(s.table.output[i]);
      f.push_back(s.table.final_demand[i]);
      v.push_back(s.table.value_added[i]);
    }
  }
  {
    auto& t = s.series_table;
    auto& ind = t.add_text("industry");
    auto& y = t.add_integer("year");
    auto& v = t.add_real("value");
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < T; ++k) {
        ind.push_back(s.series.industries[i]);
        y.push_back(s.series.years[k]);
        v.push_back(s.series.values[i][k]);
      }
  }
  {
    auto& t = s.employment;
    auto& reg = t.add_text("region");
    auto& ind = t.add_text("industry");
    auto& e = t.add_real("employment");
    auto& y = t.add_integer("year");
    const std::vector<std::pair<int, const std::vector<double>*>> years = {{c.from, &e0}, {c.trough, &e1}, {c.to, &e2}};
    for (const auto& [year, m] : years)
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t i = 0; i < n; ++i) {
          reg.push_back(s.regions[r]);
          ind.push_back(s.table.industries[i]);
          e.push_back((*m)[r * n + i]);
          y.push_back(year);
        }
  }
  {
    auto& t = s.truth_blocks;
    auto& ind = t.add_text("industry");
    auto& b = t.add_integer("block");
    auto& g = t.add_integer("io_group");
    auto& l = t.add_text("location");
    for (std::size_t i = 0; i < n; ++i) {
      ind.push_back(s.table.industries[i]);
      b.push_back(s.planted_block[i]);
      g.push_back(s.io_group[i]);
      l.push_back(s.location[i]);
    }
  }
  {
    auto& t = s.occupations;
    auto& ind = t.add_text("industry");
    auto& occ = t.add_text("occupation");
    auto& sh = t.add_real("share");
    constexpr std::size_t kOcc = 12;
    for (std::size_t i = 0; i < n; ++i) {
      core::Stream os(seed, kOccupations, i);
      std::vector<double> w(kOcc);
      double sum = 0;
      for (std::size_t k = 0; k < kOcc; ++k) {
        const auto g = static_cast<std::size_t>(s.io_group[i]);
        w[k] = 1 + os.uniform() + (k == (2 * g) % kOcc || k == (2 * g + 1) % kOcc ? 6.0 : 0.0);
        sum += w[k];
      }
      for (std::size_t k = 0; k < kOcc; ++k) {
        ind.push_back(s.table.industries[i]);
        occ.push_back(fmt::format("O{:02d}", k + 1));
        sh.push_back(w[k] / sum);
      }
    }
  }
  {
    auto& t = s.truth_regions;
    auto& reg = t.add_text("region");
    auto& b = t.add_real("sensitivity");
    auto& r2 = t.add_real("recovery_sensitivity");
    auto& res = t.add_real("resistance");
    for (std::size_t r = 0; r < R; ++r) {
      reg.push_back(s.regions[r]);
      b.push_back(beta[r]);
      r2.push_back(rho[r]);
      res.push_back(1 - beta[r]);
    }
  }
  return s;
}

}  // namespace agglo::structure
