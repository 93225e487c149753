// Plausibility of establishment coordinates: lon and lat swapped, the commonest mistake with
// point files (x/y in the wrong order, a spreadsheet's "latitude, longitude" columns).
//
// Two tests, both conservative (a point is flagged only when exchanging its coordinates puts
// it where it should be, not merely when it is far away):
//  1. With a region column of US county FIPS codes (at least 80 % of the distinct codes are
//     counties of data/geo/us_counties.csv): a point more than 3·r + 100 km from the centre of
//     the county it names (r = √(area/π), the radius of a disc of the county's area) whose
//     swapped position lies within that distance.
//  2. Otherwise, among at least 20 points: a point outside the box of the other points (the
//     1st–99th percentiles of lon and lat, widened by a quarter of their span and at least
//     1°) whose swapped position lies inside it.
// Distances are great-circle (haversine, R = 6371 km). O(n log n) for the percentiles.
#include "detail/plausibility.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <unordered_map>

#include "agglo/core/data_dir.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::io::detail {

namespace {

struct County {
  double lon, lat, radius_km;
  std::string name;
};

const std::unordered_map<std::string, County>& counties() {
  static std::once_flag once;
  static std::unordered_map<std::string, County> m;
  std::call_once(once, [] {
    const auto path = (std::filesystem::path(core::data_dir()) / "geo" / "us_counties.csv").string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return;
    TableSpec spec{"counties", {}, {}};
    auto text = [](const char* n) {
      ColumnSpec c;
      c.name = n;
      c.kind = ColumnKind::text;
      return c;
    };
    auto real = [](const char* n) {
      ColumnSpec c;
      c.name = n;
      c.kind = ColumnKind::real;
      return c;
    };
    spec.columns = {text("fips"), text("name"), text("state"), real("lon"), real("lat"), real("area_km2")};
    ReadOptions ro;
    ro.plain = true;
    try {
      const auto t = read_table(path, spec, ro);
      for (std::size_t i = 0; i < t.rows; ++i)
        m.emplace(t.col("fips").texts[i],
                  County{t.col("lon").reals[i], t.col("lat").reals[i],
                         std::sqrt(std::max(t.col("area_km2").reals[i], 0.0) / M_PI),
                         t.col("name").texts[i] + ", " + t.col("state").texts[i]});
    } catch (const Error&) {
      m.clear();  // the check is an extra; without the table it is skipped
    }
  });
  return m;
}

double haversine_km(double lon1, double lat1, double lon2, double lat2) {
  constexpr double d2r = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * d2r) * std::cos(lat2 * d2r) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * 6371.0 * std::asin(std::min(1.0, std::sqrt(a)));
}

double quantile(std::vector<double> v, double q) {
  const auto k = static_cast<std::size_t>(q * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

std::vector<Error> swapped_coordinates(const data::Establishments& e, const std::vector<std::uint64_t>& lines,
                                       const std::string& path, bool rows, std::size_t max_errors) {
  std::vector<Error> out;
  const std::size_t n = e.size();
  if (n == 0 || !e.crs.geographic) return out;
  auto loc = [&](std::size_t i) {
    return Location{path, i < lines.size() ? lines[i] : 0, 0, "lat", rows};
  };
  const auto hint = "exchange them with --columns lon=lat,lat=lon (or fix the file)";
  std::vector<std::size_t> flagged;
  std::string why;

  // 1. Against the counties the points name.
  const auto& cty = counties();
  bool by_region = false;
  if (!e.region.empty() && !cty.empty()) {
    std::vector<const County*> of(e.region_codes.size(), nullptr);
    std::size_t known = 0, distinct = 0;
    for (std::uint32_t r = 0; r < e.region_codes.size(); ++r) {
      const std::string code(e.region_codes.name(r));
      if (code.empty()) continue;
      ++distinct;
      if (auto it = cty.find(code); it != cty.end()) {
        of[r] = &it->second;
        ++known;
      }
    }
    if (distinct > 0 && known * 5 >= distinct * 4) {
      by_region = true;
      std::size_t checked = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const County* c = of[e.region[i]];
        if (!c || !std::isfinite(e.x[i]) || !std::isfinite(e.y[i])) continue;
        ++checked;
        const double reach = 3 * c->radius_km + 100;
        if (haversine_km(e.x[i], e.y[i], c->lon, c->lat) <= reach) continue;
        if (std::fabs(e.x[i]) > 90) continue;  // the swapped latitude would be impossible
        if (haversine_km(e.y[i], e.x[i], c->lon, c->lat) <= reach) flagged.push_back(i);
      }
      if (!flagged.empty()) {
        const auto i = flagged.front();
        const County* c = of[e.region[i]];
        if (flagged.size() * 2 > checked) {
          out.emplace_back(ErrorKind::input, ErrorCode::coordinate_out_of_range,
                           fmt::format("lon and lat look swapped: {} of {} establishments lie far from the county they "
                                       "name but inside it with lon and lat exchanged (e.g. lon {}, lat {} for county "
                                       "{}, {})",
                                       flagged.size(), checked, e.x[i], e.y[i], e.region_codes.name(e.region[i]), c->name),
                           loc(i), hint);
          return out;
        }
        why = "from the county it names";
      }
    }
  }
  // 2. Against the other points.
  if (!by_region && n >= 20) {
    std::vector<double> xs(e.x.begin(), e.x.end()), ys(e.y.begin(), e.y.end());
    const double x0 = quantile(xs, 0.01), x1 = quantile(xs, 0.99);
    const double y0 = quantile(ys, 0.01), y1 = quantile(ys, 0.99);
    const double wx = std::max(1.0, 0.25 * (x1 - x0)), wy = std::max(1.0, 0.25 * (y1 - y0));
    auto inside = [&](double x, double y) { return x >= x0 - wx && x <= x1 + wx && y >= y0 - wy && y <= y1 + wy; };
    for (std::size_t i = 0; i < n; ++i)
      if (!inside(e.x[i], e.y[i]) && inside(e.y[i], e.x[i])) flagged.push_back(i);
    why = "from the other establishments";
  }
  for (auto i : flagged) {
    if (out.size() >= std::max<std::size_t>(max_errors, 1)) break;
    std::string county;
    if (by_region)
      if (auto it = cty.find(std::string(e.region_codes.name(e.region[i]))); it != cty.end())
        county = fmt::format(" (county {}, {})", e.region_codes.name(e.region[i]), it->second.name);
    out.emplace_back(ErrorKind::input, ErrorCode::coordinate_out_of_range,
                     fmt::format("lon {} and lat {} look swapped: the point lies far {}{}, but where it belongs with "
                                 "lon and lat exchanged",
                                 e.x[i], e.y[i], why, county),
                     loc(i), hint);
  }
  return out;
}

}  // namespace agglo::io::detail
