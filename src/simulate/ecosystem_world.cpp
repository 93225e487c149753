// Geography, initial firms, ties and institutions of the ecosystem model; see
// include/agglo/simulate/ecosystem_world.hpp.
#include "agglo/simulate/ecosystem_world.hpp"

#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/io/table_reader.hpp"
#include "agglo/simulate/agents.hpp"

namespace agglo::simulate::ecosystem {

const char* to_string(InstitutionType t) {
  switch (t) {
    case InstitutionType::university: return "university";
    case InstitutionType::research_centre: return "research_centre";
    case InstitutionType::cluster_organisation: return "cluster_organisation";
  }
  return "?";
}

double World::distance(std::size_t a, std::size_t b) const {
  if (geographic) return geo::haversine_km(x[a], y[a], x[b], y[b]);
  return std::hypot(x[a] - x[b], y[a] - y[b]);  // the grid: Euclidean in grid units
}

World grid_world(const Params& p) {
  World w;
  const int R = static_cast<int>(p.at("regions"));
  const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(R))));
  for (int r = 0; r < R; ++r) {
    w.codes.push_back(fmt::format("{}", r));
    w.names.push_back(r == 0 ? "focal" : fmt::format("region {}", r));
    w.x.push_back(r % side);
    w.y.push_back(r / side);
  }
  w.focal = 0;
  return w;
}

namespace {

io::ColumnSpec col(std::string name, io::ColumnKind kind, bool required) {
  io::ColumnSpec c;
  c.name = std::move(name);
  c.kind = kind;
  c.required = required;
  return c;
}

Location at(const io::LoadedTable& t, std::size_t row, const std::string& column) {
  Location l;
  l.file = t.path;
  l.line = row < t.lines.size() ? t.lines[row] : 0;
  l.column_name = column;
  for (std::size_t k = 0; k < t.header.size(); ++k)
    if (t.header[k] == column) l.column = static_cast<std::uint32_t>(k + 1);
  return l;
}

std::string region_hint(const World& w) {
  std::string s;
  for (std::size_t r = 0; r < w.size() && r < 5; ++r) s += (s.empty() ? "" : ", ") + w.codes[r];
  return fmt::format("codes of {} are e.g. {}", w.source, s);
}

}  // namespace

World load_world(const WorldFiles& f) {
  World w;
  w.source = f.regions;
  w.geographic = true;
  {
    // lon/lat are optional in the regions schema but needed here: check their presence first,
    // so the error names the file and says what is missing.
    io::TableSpec spec{"regions", {col("code", io::ColumnKind::code, true), col("lon", io::ColumnKind::real, true),
                                   col("lat", io::ColumnKind::real, true)}, {}};
    spec.columns[1].meaning = "a longitude in degrees (the simulation needs each region's position)";
    spec.columns[2].meaning = "a latitude in degrees (the simulation needs each region's position)";
    io::read_table(f.regions, spec);
  }
  const auto regions = io::load_regions(f.regions);
  if (regions.size() == 0)
    throw_input(ErrorCode::empty_input, "the regions file holds no region", Location{f.regions, 0, 0, {}},
                "give one row per region with code, lon and lat");
  for (const auto& r : regions.items()) {
    w.codes.push_back(r.code);
    w.names.push_back(r.name);
    w.x.push_back(r.lon);
    w.y.push_back(r.lat);
  }
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t r = 0; r < w.codes.size(); ++r) index.emplace(w.codes[r], r);
  if (f.focal.empty())
    throw_usage(ErrorCode::missing_option, "--regions needs --focal CODE (the region the policy levers act on)",
                region_hint(w));
  if (auto it = index.find(f.focal); it != index.end()) w.focal = it->second;
  else
    throw_usage(ErrorCode::invalid_option_value, fmt::format("focal region '{}' is not a region of {}", f.focal, f.regions),
                region_hint(w));

  if (!f.establishments.empty() && !f.employment.empty())
    throw_usage(ErrorCode::invalid_option_value, "give initial firms by --establishments or by --employment, not both");
  if (!f.establishments.empty()) {
    const auto e = io::load_establishments(f.establishments);
    if (e.region.empty())
      throw_input(ErrorCode::missing_column, "the establishments file has no region column",
                  Location{f.establishments, 1, 0, "region"}, "add a region column with codes of the regions file");
    std::uint32_t industry = UINT32_MAX;
    if (!f.industry.empty()) {
      for (std::uint32_t k = 0; k < e.industry_codes.size(); ++k)
        if (e.industry_codes.name(k) == f.industry) industry = k;
      if (industry == UINT32_MAX)
        throw_usage(ErrorCode::invalid_option_value, fmt::format("industry '{}' has no establishment in {}", f.industry, f.establishments));
    }
    std::vector<std::uint32_t> region_of_code(e.region_codes.size(), UINT32_MAX);
    for (std::uint32_t k = 0; k < e.region_codes.size(); ++k)
      if (auto it = index.find(std::string(e.region_codes.name(k))); it != index.end()) region_of_code[k] = it->second;
    for (std::size_t i = 0; i < e.size(); ++i) {
      if (industry != UINT32_MAX && e.industry[i] != industry) continue;
      const auto r = region_of_code[e.region[i]];
      if (r == UINT32_MAX)
        throw_input(ErrorCode::unknown_reference,
                    fmt::format("establishment '{}' is in region '{}', which is not in {}", e.ids.name(static_cast<std::uint32_t>(i)),
                                e.region_codes.name(e.region[i]), f.regions),
                    Location{f.establishments, i + 2, 0, "region"}, region_hint(w));
      w.firm_ids.emplace_back(e.ids.name(static_cast<std::uint32_t>(i)));
      w.firm_region.push_back(r);
      const double emp = e.employees.empty() || !std::isfinite(e.employees[i]) ? 1.0 : std::max(1.0, e.employees[i]);
      w.firm_employees.push_back(emp);
    }
    if (w.firm_ids.empty())
      throw_input(ErrorCode::empty_input, "no establishment to start the simulation from", Location{f.establishments, 0, 0, {}},
                  f.industry.empty() ? "the file has no rows" : "no row has that --industry");
  }
  if (!f.employment.empty()) {
    if (f.industry.empty())
      throw_usage(ErrorCode::missing_option, "--employment needs --industry CODE (the simulated industry)");
    const auto panel = io::load_employment(f.employment);
    if (panel.has_years())
      throw_usage(ErrorCode::invalid_option_value, "the employment table has several years; give a one-year table");
    w.initial_firms.assign(w.size(), 0.0);
    w.background.assign(w.size(), 0.0);
    std::vector<double> emp(w.size(), 0.0);
    bool found = false;
    for (std::size_t k = 0; k < panel.size(); ++k) {
      const std::string code(panel.rows.name(panel.row[k]));
      auto it = index.find(code);
      if (it == index.end())
        throw_input(ErrorCode::unknown_reference, fmt::format("region '{}' of the employment table is not in {}", code, f.regions),
                    Location{f.employment, k + 2, 1, "region"}, region_hint(w));
      const auto r = it->second;
      if (panel.cols.name(panel.col[k]) == f.industry) {
        found = true;
        emp[r] += panel.value[k];
        const double n = !panel.establishments.empty() && std::isfinite(panel.establishments[k])
                             ? panel.establishments[k]
                             : std::round(panel.value[k] / f.firm_size);
        w.initial_firms[r] += n;
      } else {
        w.background[r] += panel.value[k];
      }
    }
    if (!found)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("industry '{}' does not occur in {}", f.industry, f.employment));
    // Employees per firm: the region's employment shared equally (kept with the counts).
    w.firm_employees.clear();
    for (std::size_t r = 0; r < w.size(); ++r) w.firm_employees.push_back(w.initial_firms[r] > 0 ? emp[r] / w.initial_firms[r] : 0.0);
  }

  if (!f.institutions.empty()) {
    io::TableSpec spec{"institutions", {col("id", io::ColumnKind::text, true), col("type", io::ColumnKind::text, true),
                                        col("region", io::ColumnKind::text, true), col("level", io::ColumnKind::real, false)}, {}};
    spec.columns[3].non_negative = true;
    spec.columns[3].meaning = "a level ≥ 0";
    const auto t = io::read_table(f.institutions, spec);
    for (std::size_t i = 0; i < t.rows; ++i) {
      Institution in;
      in.id = t.col("id").texts[i];
      const auto& type = t.col("type").texts[i];
      if (type == "university") in.type = InstitutionType::university;
      else if (type == "research_centre") in.type = InstitutionType::research_centre;
      else if (type == "cluster_organisation") in.type = InstitutionType::cluster_organisation;
      else
        throw_input(ErrorCode::invalid_value, fmt::format("unknown institution type '{}'", type), at(t, i, "type"),
                    "types: university, research_centre, cluster_organisation");
      const auto& reg = t.col("region").texts[i];
      auto it = index.find(reg);
      if (it == index.end())
        throw_input(ErrorCode::unknown_reference, fmt::format("institution '{}' is in region '{}', which is not in {}", in.id, reg, f.regions),
                    at(t, i, "region"), region_hint(w));
      in.region = it->second;
      if (t.has("level")) in.level = t.col("level").reals[i];
      w.institutions.push_back(std::move(in));
    }
  }

  if (!f.ties.empty()) {
    if (w.firm_ids.empty())
      throw_usage(ErrorCode::invalid_option_value, "--ties names firms: give the initial firms with --establishments",
                  "ties are source,target pairs of establishment ids");
    std::unordered_map<std::string, std::uint32_t> firm;
    for (std::uint32_t i = 0; i < w.firm_ids.size(); ++i) firm.emplace(w.firm_ids[i], i);
    io::TableSpec spec{"ties", {col("source", io::ColumnKind::text, true), col("target", io::ColumnKind::text, true)}, {}};
    const auto t = io::read_table(f.ties, spec);
    for (std::size_t i = 0; i < t.rows; ++i) {
      std::uint32_t ends[2];
      for (int k = 0; k < 2; ++k) {
        const char* c = k ? "target" : "source";
        const auto& id = t.col(c).texts[i];
        auto it = firm.find(id);
        if (it == firm.end())
          throw_input(ErrorCode::unknown_reference, fmt::format("tie {} '{}' is not a firm of {}", c, id, f.establishments), at(t, i, c),
                      "ties name establishment ids of the simulated industry");
        ends[k] = it->second;
      }
      if (ends[0] == ends[1])
        throw_input(ErrorCode::invalid_value, fmt::format("tie from firm '{}' to itself", t.col("source").texts[i]), at(t, i, "target"));
      w.ties.emplace_back(ends[0], ends[1]);
    }
  }
  return w;
}

SpilloverKernel spillover_kernel(const World& w, double ell, double eps) {
  SpilloverKernel k;
  k.cutoff = ell * std::log(1.0 / eps);
  const Neighbourhood nb(w.x, w.y, w.geographic, k.cutoff);
  const auto lists = nb.lists();
  k.start.assign(1, 0);
  for (std::size_t r = 0; r < w.size(); ++r) {
    for (auto i = lists.start[r]; i < lists.start[r + 1]; ++i) {
      const auto q = lists.index[i];
      // The grid chose the pair; the weight uses the model's own distance (bit-identical to
      // a full loop over every pair within the cutoff).
      k.source.push_back(q);
      k.weight.push_back(std::exp(-w.distance(r, q) / ell));
    }
    k.start.push_back(k.source.size());
  }
  return k;
}

SpilloverKernel spillover_kernel_bruteforce(const World& w, double ell, double eps) {
  SpilloverKernel k;
  k.cutoff = ell * std::log(1.0 / eps);
  k.start.assign(1, 0);
  for (std::size_t r = 0; r < w.size(); ++r) {
    for (std::size_t q = 0; q < w.size(); ++q) {
      const double d = w.distance(r, q);
      if (d > k.cutoff) continue;
      k.source.push_back(static_cast<std::uint32_t>(q));
      k.weight.push_back(std::exp(-d / ell));
    }
    k.start.push_back(k.source.size());
  }
  return k;
}

RegionNeighbours region_neighbours(const World& w, double radius) {
  const Neighbourhood nb(w.x, w.y, w.geographic, radius);
  auto l = nb.lists();
  return {std::move(l.start), std::move(l.index)};
}

double world_fingerprint(const World& w) {
  // FNV-1a over the defining content, reduced to 52 bits so it survives a double exactly.
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&](const void* p, std::size_t n) {
    const auto* b = static_cast<const unsigned char*>(p);
    for (std::size_t i = 0; i < n; ++i) { h ^= b[i]; h *= 1099511628211ULL; }
  };
  for (std::size_t r = 0; r < w.size(); ++r) {
    mix(w.codes[r].data(), w.codes[r].size());
    mix(&w.x[r], sizeof(double));
    mix(&w.y[r], sizeof(double));
  }
  mix(&w.focal, sizeof w.focal);
  for (double v : w.initial_firms) mix(&v, sizeof v);
  for (double v : w.background) mix(&v, sizeof v);
  for (const auto& id : w.firm_ids) mix(id.data(), id.size());
  for (const auto& [a, b] : w.ties) { mix(&a, sizeof a); mix(&b, sizeof b); }
  for (const auto& in : w.institutions) {
    mix(in.id.data(), in.id.size());
    mix(&in.type, sizeof in.type);
    mix(&in.region, sizeof in.region);
    mix(&in.level, sizeof in.level);
  }
  return static_cast<double>(h >> 12);
}

}  // namespace agglo::simulate::ecosystem
