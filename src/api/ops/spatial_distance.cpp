// Distance-based measures of spatial concentration (issue 5): `agglo kdensity`
// (Duranton & Overman 2005), `agglo mfunction` (Marcon & Puech 2010) and `agglo ripley`
// (Ripley's K and L with spatstat's edge corrections). Algorithms in include/agglo/spatial/
// {kdensity,mfunction,ripley,envelope}.hpp; method notes in docs/methods/spatial-distance.md.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "../builtin.hpp"
#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/geo/coordinates.hpp"
#include "agglo/io/inputs.hpp"
#include "agglo/spatial/envelope.hpp"
#include "agglo/spatial/kdensity.hpp"
#include "agglo/spatial/mfunction.hpp"
#include "agglo/spatial/ripley.hpp"

namespace agglo::api {

namespace {

using json = nlohmann::ordered_json;

std::vector<std::size_t> industry_members(const data::Establishments& e, const std::string& code,
                                          const std::string& path, const std::string& option) {
  const auto c = e.industry_codes.find(code);
  if (!c)
    throw_input(ErrorCode::unknown_reference, fmt::format("{} '{}' has no establishments", option, code),
                Location{path, 0, 0, "industry"}, "industry codes are matched exactly, as text");
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < e.size(); ++i)
    if (e.industry[i] == *c) out.push_back(i);
  return out;
}

void need_employees(const data::Establishments& e, const std::string& path) {
  if (e.employees.empty())
    throw_input(ErrorCode::missing_column, "--weight employees needs an employees column",
                Location{path, 1, 0, "employees"}, "add the column or drop --weight");
}

double json_number(double v) { return std::isfinite(v) ? v : 0.0; }

// The distance unit for a one-line headline: "km" for lon,lat (great circle), else the file's unit.
std::string short_unit(const geo::CoordinateSystem& crs) {
  if (crs.geographic) return "km";
  const std::string u = crs.distance_unit();
  return u == "unit" ? "units" : u;
}

void add_warning(std::vector<std::string>& w, std::string msg) {
  if (!msg.empty()) w.push_back(std::move(msg));
}

// The small-sample warnings of the distance measures (thresholds and reasons in envelope.hpp).
void sample_warnings(std::vector<std::string>& w, const std::string& measure, const std::string& industry, std::size_t n,
                     const std::string& neighbour, std::size_t nb, std::size_t simulations, double alpha) {
  add_warning(w, spatial::small_industry_warning(measure, fmt::format("industry '{}'", industry), n));
  if (!neighbour.empty() && neighbour != industry)
    add_warning(w, spatial::small_industry_warning(measure, fmt::format("neighbour industry '{}'", neighbour), nb));
  add_warning(w, spatial::envelope_size_warning(simulations, alpha));
}

// ---- kdensity ---------------------------------------------------------------------------------

struct KdensityOptions {
  std::string establishments;
  std::string industry;
  std::string neighbour_industry;
  std::string weight = "none";
  std::string null_model = "sites";
  double max_distance = 0;
  std::int64_t points = 101;
  std::int64_t simulations = 1000;
  double alpha = 0.05;
  bool no_envelope = false;
  std::string crs;

  static void describe(core::OptionSchema<KdensityOptions>& s) {
    s.add("establishments", &KdensityOptions::establishments, "establishments CSV with lon,lat or x,y").path().required();
    s.add("industry", &KdensityOptions::industry, "reference industry code").required();
    s.add("neighbour-industry", &KdensityOptions::neighbour_industry, "bivariate K-density: distances from --industry to this industry (DO 2005 §6)");
    s.add("weight", &KdensityOptions::weight, "weight pairs by e_i·e_j, the employees (DO 2005 weighted K-density)").choices({"none", "employees"});
    s.add("null", &KdensityOptions::null_model, "counterfactual: sites = the industry's establishments redrawn on existing sites (DO); labels = random labelling of establishments").choices({"sites", "labels"});
    s.add("max-distance", &KdensityOptions::max_distance, "largest distance evaluated; 0 = the median distance between all pairs of sites (DO)");
    s.add("points", &KdensityOptions::points, "number of evaluation distances from 0 to --max-distance").min(2);
    s.add("simulations", &KdensityOptions::simulations, "number of counterfactual simulations (seeded; identical for any thread or MPI rank count)");
    s.add("alpha", &KdensityOptions::alpha, "one-sided level of each band (DO: 0.05)");
    s.add("no-envelope", &KdensityOptions::no_envelope, "skip the counterfactual simulations: the K-density only (band columns empty)");
    s.add("crs", &KdensityOptions::crs, "CRS of x,y coordinates (checked when given)");
  }
  void validate() const {
    if (max_distance < 0 || !std::isfinite(max_distance) || (max_distance == 0 && std::signbit(max_distance)))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--max-distance must be > 0 (got {})", max_distance),
                  "omit it to use the median distance between all pairs of sites");
    if (!no_envelope && simulations < 1)
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--simulations must be ≥ 1 (got {})", simulations),
                  "the bands need counterfactual simulations (DO use 1000); --no-envelope skips them");
    if (!(alpha > 0 && alpha < 0.5))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--alpha must be in (0, 0.5) (got {})", alpha));
  }
};

Result run_kdensity(const KdensityOptions& o, Context& ctx) {
  auto e = io::load_establishments(o.establishments, o.crs);
  const bool weighted = o.weight == "employees";
  if (weighted) need_employees(e, o.establishments);
  spatial::KdSpec s;
  s.x = e.x;
  s.y = e.y;
  if (weighted) s.employees = e.employees;
  s.geographic = e.crs.geographic;
  s.reference = industry_members(e, o.industry, o.establishments, "--industry");
  if (!o.neighbour_industry.empty() && o.neighbour_industry != o.industry)
    s.neighbour = industry_members(e, o.neighbour_industry, o.establishments, "--neighbour-industry");
  s.weighted = weighted;
  s.max_distance = o.max_distance;
  s.points = static_cast<std::size_t>(o.points);
  s.simulations = !o.no_envelope ? static_cast<std::size_t>(o.simulations) : 0;
  s.alpha = o.alpha;
  s.null_model = o.null_model == "labels" ? spatial::KdNull::labels : spatial::KdNull::sites;
  s.seed = ctx.seed;
  const auto r = spatial::kdensity(s);
  Result res;
  if (!r.root) {
    res.output_written = true;  // rank 0 writes everything
    return res;
  }
  data::Table t;
  t.add_real("distance", r.distance);
  t.add_real("kd", r.kd);
  t.add_real("local_lower", r.local_lower);
  t.add_real("local_upper", r.local_upper);
  t.add_real("global_lower", r.global_lower);
  t.add_real("global_upper", r.global_upper);
  res.tables.emplace_back("kdensity", std::move(t));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  data::Table ix;
  ix.add_text("industry", {o.industry});
  ix.add_text("neighbour_industry", {s.neighbour.empty() ? o.industry : o.neighbour_industry});
  ix.add_integer("establishments", {static_cast<std::int64_t>(s.reference.size())});
  ix.add_integer("neighbour_establishments", {static_cast<std::int64_t>(s.neighbour.empty() ? s.reference.size() : s.neighbour.size())});
  ix.add_real("gamma", {!o.no_envelope ? r.gamma : nan});
  ix.add_real("psi", {!o.no_envelope ? r.psi : nan});
  ix.add_text("pattern", {!!o.no_envelope ? "" : r.localised ? "localised" : r.dispersed ? "dispersed" : "neither"});
  ix.add_real("localised_from", {r.localised ? r.localised_from : nan});
  ix.add_real("localised_to", {r.localised ? r.localised_to : nan});
  ix.add_real("bandwidth", {r.bandwidth});
  ix.add_real("max_distance", {r.max_distance});
  res.tables.emplace_back("indices", std::move(ix));
  res.warnings = r.warnings;
  sample_warnings(res.warnings, "K-density", o.industry, s.reference.size(), o.neighbour_industry, s.neighbour.size(), s.simulations,
                  o.alpha);
  json js{{"industry", o.industry},
          {"neighbour_industry", s.neighbour.empty() ? json() : json(o.neighbour_industry)},
          {"establishments", s.reference.size()},
          {"neighbour_establishments", s.neighbour.size()},
          {"sites", e.size()},
          {"weight", o.weight},
          {"null", o.null_model},
          {"distance_units", e.crs.distance_unit()},
          {"max_distance", r.max_distance},
          {"max_distance_rule", r.median_default ? "median distance between all pairs of sites (DO 2005)" : "--max-distance"},
          {"site_diameter", r.diameter},
          {"bandwidth", r.bandwidth},
          {"bin_width", r.bin_width},
          {"simulations", s.simulations},
          {"seed", ctx.seed},
          {"alpha", o.alpha}};
  if (!o.no_envelope) {
    js["gamma"] = r.gamma;
    js["psi"] = r.psi;
    js["localised"] = r.localised;
    js["dispersed"] = r.dispersed;
    js["global_upper_rank"] = r.upper_rank;
    js["global_lower_rank"] = r.lower_rank;
    js["global_upper_crossing_share"] = r.upper_crossing;
    js["global_lower_crossing_share"] = r.lower_crossing;
    js["global_upper_local_percentile"] = r.upper_percentile;
    js["global_lower_local_percentile"] = r.lower_percentile;
    if (r.localised) js["peak_excess_distance"] = json_number(r.peak_excess_distance);
  }
  js["warnings"] = res.warnings;
  res.summary_json = js.dump(1);
  {
    const std::string who = o.industry + (s.neighbour.empty() ? "" : " → " + o.neighbour_industry);
    const std::string tail = res.warnings.empty() ? "" : " (see warnings)";
    if (o.no_envelope)
      res.headline = fmt::format("K-density of {} ({} establishments), 0–{:.4g} {}, no envelope{}", who, s.reference.size(),
                                 r.max_distance, short_unit(e.crs), tail);
    else if (r.localised)
      res.headline = fmt::format("{} is localised: K-density above the global band from {:.4g} to {:.4g} {} (Γ = {:.4g}; {} "
                                 "establishments, {} simulations){}",
                                 who, r.localised_from, r.localised_to, short_unit(e.crs), r.gamma, s.reference.size(),
                                 s.simulations, tail);
    else
      res.headline = fmt::format("{} is {}: K-density within the global band (Γ = 0, Ψ = {:.4g}; {} establishments, {} "
                                 "simulations){}",
                                 who, r.dispersed ? "dispersed" : "neither localised nor dispersed", r.psi, s.reference.size(),
                                 s.simulations, tail);
  }
  res.text = fmt::format("K-density of {}{}: bandwidth {:.6g}, 0..{:.6g} {}{}\n", o.industry,
                         s.neighbour.empty() ? "" : " → " + o.neighbour_industry, r.bandwidth, r.max_distance,
                         e.crs.distance_unit(),
                         !o.no_envelope ? fmt::format(", Γ = {:.6g}, Ψ = {:.6g} ({})", r.gamma, r.psi,
                                                  r.localised ? "localised" : r.dispersed ? "dispersed" : "neither")
                                    : "");
  return res;
}


// ---- mfunction --------------------------------------------------------------------------------

struct MfunctionOptions {
  std::string establishments;
  std::string industry;
  std::string neighbour_industry;
  std::string weight = "employees";
  std::string null_model = "sites";
  double max_distance = 0;
  std::int64_t points = 101;
  std::int64_t simulations = 1000;
  double alpha = 0.05;
  double bandwidth = 0;
  std::string crs;

  static void describe(core::OptionSchema<MfunctionOptions>& s) {
    s.add("establishments", &MfunctionOptions::establishments, "establishments CSV with lon,lat or x,y").path().required();
    s.add("industry", &MfunctionOptions::industry, "reference industry code").required();
    s.add("neighbour-industry", &MfunctionOptions::neighbour_industry, "bivariate M: frequency of this industry around --industry");
    s.add("weight", &MfunctionOptions::weight, "neighbours weigh their employees (Marcon & Puech's weighted M) or 1").choices({"employees", "none"});
    s.add("null", &MfunctionOptions::null_model, "counterfactual: sites = establishments with their employees moved to random existing sites (DO; dbmss RandomLocation); labels = industries permuted, employees stay (RandomLabeling)").choices({"sites", "labels"});
    s.add("max-distance", &MfunctionOptions::max_distance, "largest r; 0 = the median distance between all pairs of sites");
    s.add("points", &MfunctionOptions::points, "number of r values from 0 to --max-distance").min(2);
    s.add("simulations", &MfunctionOptions::simulations, "number of counterfactual simulations (0 = no bands)").min(0);
    s.add("alpha", &MfunctionOptions::alpha, "one-sided level of each band");
    s.add("bandwidth", &MfunctionOptions::bandwidth, "kernel bandwidth of the density m; 0 = Silverman on the reference points' neighbour distances");
    s.add("crs", &MfunctionOptions::crs, "CRS of x,y coordinates (checked when given)");
  }
  void validate() const {
    if (max_distance < 0 || !std::isfinite(max_distance))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--max-distance must be > 0 (got {})", max_distance),
                  "omit it to use the median distance between all pairs of sites");
    if (bandwidth < 0 || !std::isfinite(bandwidth))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--bandwidth must be ≥ 0 (got {})", bandwidth));
    if (!(alpha > 0 && alpha < 0.5))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--alpha must be in (0, 0.5) (got {})", alpha));
  }
};

Result run_mfunction(const MfunctionOptions& o, Context& ctx) {
  auto e = io::load_establishments(o.establishments, o.crs);
  const bool weighted = o.weight == "employees";
  if (weighted) need_employees(e, o.establishments);
  const auto A = industry_members(e, o.industry, o.establishments, "--industry");
  const bool biv = !o.neighbour_industry.empty() && o.neighbour_industry != o.industry;
  const auto B = biv ? industry_members(e, o.neighbour_industry, o.establishments, "--neighbour-industry") : A;
  if (!biv && A.size() < 2)
    throw_input(ErrorCode::invalid_value, fmt::format("industry '{}' has {} establishment(s); the M function needs at least 2", o.industry, A.size()));
  spatial::MSpec s;
  s.x = e.x;
  s.y = e.y;
  if (weighted) s.weight = e.employees;
  s.geographic = e.crs.geographic;
  s.in_a.assign(e.size(), 0);
  s.in_b.assign(e.size(), 0);
  for (auto i : A) s.in_a[i] = 1;
  for (auto i : B) s.in_b[i] = 1;
  std::vector<std::string> warnings;
  double diameter = 0, median = 0;
  if (o.max_distance > 0) {
    s.max_distance = o.max_distance;
  } else {
    spatial::site_distance_summary(e.x, e.y, e.crs.geographic, median, diameter);
    if (!(median > 0))
      throw_input(ErrorCode::invalid_value, "all establishments are at the same place: every distance is 0", Location{o.establishments, 0, 0, ""});
    s.max_distance = median;
  }
  s.points = static_cast<std::size_t>(o.points);
  s.bandwidth = o.bandwidth;
  s.simulations = static_cast<std::size_t>(o.simulations);
  s.alpha = o.alpha;
  s.null_model = o.null_model == "labels" ? spatial::MNull::labels : spatial::MNull::sites;
  s.seed = ctx.seed;
  const auto r = spatial::mfunction(s);
  Result res;
  if (!r.root) {
    res.output_written = true;
    return res;
  }
  const bool bands = s.simulations > 0;
  const std::vector<double> none(r.distance.size(), std::numeric_limits<double>::quiet_NaN());
  data::Table t;
  t.add_real("distance", r.distance);
  t.add_real("m", r.m);
  t.add_real("lower", bands ? r.m_bands.local_lower : none);
  t.add_real("upper", bands ? r.m_bands.local_upper : none);
  t.add_real("global_lower", bands ? r.m_bands.global_lower : none);
  t.add_real("global_upper", bands ? r.m_bands.global_upper : none);
  res.tables.emplace_back("mfunction", std::move(t));
  data::Table d;
  d.add_real("distance", r.distance);
  d.add_real("density", r.density);
  d.add_real("lower", bands ? r.density_bands.local_lower : none);
  d.add_real("upper", bands ? r.density_bands.local_upper : none);
  d.add_real("global_lower", bands ? r.density_bands.global_lower : none);
  d.add_real("global_upper", bands ? r.density_bands.global_upper : none);
  res.tables.emplace_back("density", std::move(d));
  // M(0) is 0/0 unless establishments share a site: only undefined values at r > 0 are news.
  std::size_t undefined = 0;
  for (std::size_t g = 0; g < r.m.size(); ++g) undefined += std::isnan(r.m[g]) && r.distance[g] > 0;
  if (undefined > 0)
    warnings.push_back(fmt::format("M is undefined (NaN) at {} of the {} distances r > 0: no reference establishment has a neighbour "
                                   "that close", undefined, r.m.size() - 1));
  sample_warnings(warnings, "M function", o.industry, A.size(), biv ? o.neighbour_industry : "", B.size(), s.simulations, o.alpha);
  res.warnings = warnings;
  json js{{"industry", o.industry},
          {"neighbour_industry", biv ? json(o.neighbour_industry) : json()},
          {"establishments", A.size()},
          {"neighbour_establishments", B.size()},
          {"sites", e.size()},
          {"weight", o.weight},
          {"null", o.null_model},
          {"distance_units", e.crs.distance_unit()},
          {"max_distance", s.max_distance},
          {"max_distance_rule", o.max_distance > 0 ? "--max-distance" : "median distance between all pairs of sites"},
          {"density_bandwidth", r.bandwidth},
          {"simulations", s.simulations},
          {"seed", ctx.seed},
          {"alpha", o.alpha}};
  if (bands) {
    js["global_upper_crossing_share"] = r.m_bands.upper_crossing;
    js["global_lower_crossing_share"] = r.m_bands.lower_crossing;
  }
  js["warnings"] = warnings;
  res.summary_json = js.dump(1);
  {
    std::size_t above = 0, below = 0;
    double peak = 0, at = 0;
    for (std::size_t g = 0; g < r.m.size(); ++g) {
      if (!std::isfinite(r.m[g])) continue;
      if (bands && r.m[g] > r.m_bands.global_upper[g]) ++above;
      if (bands && r.m[g] < r.m_bands.global_lower[g]) ++below;
      if (r.m[g] > peak) peak = r.m[g], at = r.distance[g];
    }
    const std::string who = o.industry + (biv ? " → " + o.neighbour_industry : "");
    res.headline = fmt::format("M of {} peaks at {:.3g} (r = {:.4g} {}){}{}", who, peak, at, short_unit(e.crs),
                               bands ? fmt::format("; above its global band at {} and below at {} of {} distances", above, below,
                                                   r.m.size())
                                     : "",
                               warnings.empty() ? "" : " (see warnings)");
  }
  return res;
}

// ---- ripley -----------------------------------------------------------------------------------

struct RipleyOptions {
  std::string establishments;
  std::string industry;
  std::string window;
  double max_distance = 0;
  std::int64_t points = 101;
  std::int64_t simulations = 0;
  std::string correction = "isotropic";
  double alpha = 0.05;
  std::string crs;

  static void describe(core::OptionSchema<RipleyOptions>& s) {
    s.add("establishments", &RipleyOptions::establishments, "establishments CSV with projected x,y (lon,lat is refused)").path().required();
    s.add("industry", &RipleyOptions::industry, "use only the establishments of this industry code");
    s.add("window", &RipleyOptions::window, "rectangular window xmin,ymin,xmax,ymax (default: the points' bounding box)");
    s.add("max-distance", &RipleyOptions::max_distance, "largest r; 0 = spatstat's rule min(short side/4, √(1000/(πλ)))");
    s.add("points", &RipleyOptions::points, "number of r values from 0 to --max-distance").min(2);
    s.add("simulations", &RipleyOptions::simulations, "CSR simulations for the envelope (0 = none; spatstat's envelope uses 99)").min(0);
    s.add("correction", &RipleyOptions::correction, "edge correction the envelope is computed for").choices({"border", "translation", "isotropic"});
    s.add("alpha", &RipleyOptions::alpha, "one-sided level of each envelope band");
    s.add("crs", &RipleyOptions::crs, "CRS of x,y coordinates (checked when given)");
  }
  void validate() const {
    if (max_distance < 0 || !std::isfinite(max_distance))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--max-distance must be > 0 (got {})", max_distance));
    if (!(alpha > 0 && alpha < 0.5))
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--alpha must be in (0, 0.5) (got {})", alpha));
  }
};

spatial::RectWindow parse_window(const std::string& text) {
  spatial::RectWindow w;
  double v[4];
  std::size_t k = 0, pos = 0;
  while (k < 4) {
    const auto comma = text.find(',', pos);
    const std::string part = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    try {
      std::size_t used = 0;
      v[k] = std::stod(part, &used);
      if (used != part.size() || !std::isfinite(v[k])) throw std::invalid_argument(part);
    } catch (const std::exception&) {
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--window: '{}' is not a number", part), "give xmin,ymin,xmax,ymax");
    }
    ++k;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (k != 4 || text.find(',', pos) != std::string::npos)
    throw_usage(ErrorCode::invalid_option_value, "--window needs four numbers xmin,ymin,xmax,ymax");
  w = {v[0], v[1], v[2], v[3]};
  if (!(w.xmax > w.xmin && w.ymax > w.ymin))
    throw_usage(ErrorCode::invalid_option_value, "--window: xmax must exceed xmin and ymax exceed ymin");
  return w;
}

Result run_ripley(const RipleyOptions& o, Context& ctx) {
  auto e = io::load_establishments(o.establishments, o.crs);
  if (e.crs.geographic)
    throw_usage(ErrorCode::invalid_option_value, "agglo ripley needs projected x,y coordinates, not lon,lat",
                "Ripley's K is defined on a planar window; project the points (e.g. to a UTM zone) and give x,y columns");
  std::vector<std::size_t> sel;
  if (o.industry.empty()) {
    sel.resize(e.size());
    for (std::size_t i = 0; i < sel.size(); ++i) sel[i] = i;
  } else {
    sel = industry_members(e, o.industry, o.establishments, "--industry");
  }
  std::vector<double> x, y;
  for (std::size_t i : sel) x.push_back(e.x[i]), y.push_back(e.y[i]);
  if (x.size() < 2) throw_input(ErrorCode::invalid_value, fmt::format("Ripley's K needs at least 2 points (got {})", x.size()));
  spatial::RectWindow w;
  if (!o.window.empty()) {
    w = parse_window(o.window);
  } else {
    const auto [x0, x1] = std::minmax_element(x.begin(), x.end());
    const auto [y0, y1] = std::minmax_element(y.begin(), y.end());
    w = {*x0, *y0, *x1, *y1};
    if (!(w.width() > 0 && w.height() > 0))
      throw_input(ErrorCode::invalid_value, "the points' bounding box has no area (all points identical or on one line)",
                  Location{o.establishments, 0, 0, ""}, "give --window xmin,ymin,xmax,ymax");
  }
  const double lambda = static_cast<double>(x.size()) / w.area();
  const double rmax = o.max_distance > 0 ? o.max_distance
                                         : std::min(0.25 * std::min(w.width(), w.height()), std::sqrt(1000 / (3.14159265358979323846 * lambda)));
  const auto G = static_cast<std::size_t>(o.points);
  const auto k = spatial::ripley_k(x, y, w, rmax, G);
  spatial::RipleyEnvelope env;
  const auto corr = o.correction == "border" ? spatial::RipleyCorrection::border
                    : o.correction == "translation" ? spatial::RipleyCorrection::translation
                                                    : spatial::RipleyCorrection::isotropic;
  if (o.simulations > 0) {
    env = spatial::ripley_envelope(x.size(), w, rmax, G, corr, static_cast<std::size_t>(o.simulations), o.alpha, ctx.seed);
    if (!env.root) {
      Result r;
      r.output_written = true;
      return r;
    }
  }
  auto L = [](const std::vector<double>& K) {
    std::vector<double> l(K.size());
    for (std::size_t g = 0; g < K.size(); ++g) l[g] = std::isfinite(K[g]) ? std::sqrt(std::max(0.0, K[g]) / 3.14159265358979323846) : K[g];
    return l;
  };
  Result res;
  data::Table t;
  t.add_real("distance", k.distance);
  t.add_real("k_theo", k.theo);
  t.add_real("k_border", k.border);
  t.add_real("k_translation", k.translation);
  t.add_real("k_isotropic", k.isotropic);
  t.add_real("l_theo", k.distance);
  t.add_real("l_border", L(k.border));
  t.add_real("l_translation", L(k.translation));
  t.add_real("l_isotropic", L(k.isotropic));
  if (o.simulations > 0) {
    t.add_real("k_lower", env.k.local_lower);
    t.add_real("k_upper", env.k.local_upper);
    t.add_real("k_global_lower", env.k.global_lower);
    t.add_real("k_global_upper", env.k.global_upper);
    t.add_real("l_lower", env.l.local_lower);
    t.add_real("l_upper", env.l.local_upper);
    t.add_real("l_global_lower", env.l.global_lower);
    t.add_real("l_global_upper", env.l.global_upper);
  }
  res.tables.emplace_back("ripley", std::move(t));
  add_warning(res.warnings, spatial::envelope_size_warning(static_cast<std::size_t>(o.simulations), o.alpha));
  json js{{"points", x.size()},
          {"industry", o.industry.empty() ? json() : json(o.industry)},
          {"window", {w.xmin, w.ymin, w.xmax, w.ymax}},
          {"window_rule", o.window.empty() ? "bounding box of the points" : "--window"},
          {"area", w.area()},
          {"intensity", lambda},
          {"max_distance", rmax},
          {"max_distance_rule", o.max_distance > 0 ? "--max-distance" : "spatstat rmax.rule: min(short side/4, sqrt(1000/(pi lambda)))"},
          {"distance_units", e.crs.distance_unit()},
          {"translation_defined_below", std::min(w.width(), w.height())},
          {"isotropic_defined_below", 0.5 * std::hypot(w.width(), w.height())},
          {"simulations", o.simulations},
          {"seed", ctx.seed},
          {"warnings", res.warnings}};
  if (o.simulations > 0) {
    js["envelope_correction"] = o.correction;
    js["alpha"] = o.alpha;
    js["k_global_upper_crossing_share"] = env.k.upper_crossing;
    js["k_global_lower_crossing_share"] = env.k.lower_crossing;
  }
  res.summary_json = js.dump(1);
  {
    std::size_t above = 0, below = 0;
    const auto& K = corr == spatial::RipleyCorrection::border ? k.border : corr == spatial::RipleyCorrection::translation ? k.translation : k.isotropic;
    if (o.simulations > 0)
      for (std::size_t g = 0; g < K.size(); ++g) {
        if (!std::isfinite(K[g])) continue;
        above += K[g] > env.k.global_upper[g];
        below += K[g] < env.k.global_lower[g];
      }
    res.headline = fmt::format("Ripley's K and L of {} points, r to {:.4g} {}{}{}", x.size(), rmax, short_unit(e.crs),
                               o.simulations > 0 ? fmt::format("; {} K above the CSR band at {} and below at {} of {} distances",
                                                               o.correction, above, below, K.size())
                                                 : "",
                               res.warnings.empty() ? "" : " (see warnings)");
  }
  return res;
}

}  // namespace

void register_spatial_distance(Registry& r) {
  r.add(make_operation<KdensityOptions>(
      "kdensity", "Duranton–Overman K-density of an industry with counterfactual bands (DO 2005)",
      "K-density of the distances between the establishments of an industry (Duranton & Overman "
      "2005, Review of Economic Studies 72:1077–1106): a Gaussian kernel density of the pair "
      "distances with Silverman's bandwidth (R's bw.nrd0) and reflection at 0, unweighted or "
      "weighted by e_i·e_j (--weight employees), univariate or bivariate (--neighbour-industry: "
      "distances between the two industries). Counterfactuals place the industry's establishments "
      "on sites drawn without replacement from all establishments' sites (--null sites, DO's null) "
      "or relabel establishments at random (--null labels); simulation k uses the random stream "
      "(seed, k), so the result is the same for any thread count and under mpirun. Local bands are "
      "the alpha and 1−alpha percentiles at each distance; global bands are DO's: one percentile for "
      "all distances such that at most alpha of the simulated curves cross the band anywhere. The "
      "side table gives DO's localisation index Γ (area of K above the global upper band) and "
      "dispersion index Ψ (area below the global lower band, when Γ = 0). Distances are great-circle "
      "km for lon,lat, the coordinates' unit for x,y; the default range is 0 to the median distance "
      "between all pairs of sites. Industries with fewer than 30 establishments and envelopes from fewer than 99 "
      "simulations get a warning (too few to tell). The examples run on the synthetic economy of `agglo synth --preset "
      "tiny --seed 7 -o tiny/`, whose truth_industries.csv plants 336111, 336322 (automotive) and 325991 as localised "
      "and 621991 (a local industry) as not. See docs/methods/spatial-distance.md.",
      {"agglo kdensity --establishments tiny/establishments.csv --industry 336111 -o kd.csv",
       "agglo kdensity --establishments tiny/establishments.csv --industry 621991 -o kd_local_industry.csv",
       "agglo kdensity --establishments tiny/establishments.csv --industry 325991 --weight employees --simulations 999 --max-distance 100 -o kd/",
       "mpirun -n 2 agglo kdensity --establishments tiny/establishments.csv --industry 336111 --neighbour-industry 336322 -o kd.csv"},
      "distance,kd,local_lower,local_upper,global_lower,global_upper + indices side table "
      "(industry,neighbour_industry,establishments,neighbour_establishments,gamma,psi,pattern,"
      "localised_from,localised_to,bandwidth,max_distance) + summary",
      &run_kdensity));
  r.add(make_operation<MfunctionOptions>(
      "mfunction", "Marcon–Puech M function (cumulative, relative, weighted) and its density m",
      "Marcon & Puech's M function (2010, Journal of Economic Geography 10:745–762; typology in "
      "Marcon & Puech 2017, Regional Science and Urban Economics): around each establishment of "
      "--industry, the share of --neighbour-industry (default: the same industry) in the employees "
      "(--weight employees, the default) or establishments within r, divided by that industry's share "
      "in the whole economy, averaged as Σ_i ratio_i / Σ_i global_i. M = 1 is the null of no "
      "concentration, M > 1 concentration at distance r. The side table `density` gives m, the same "
      "ratio with a Gaussian kernel of the distance instead of the indicator d ≤ r (Lang, Marcon & "
      "Puech 2020). Counterfactuals permute the establishments over the existing sites (--null sites, "
      "with their employees) or permute the industries only (--null labels); simulation s uses the "
      "random stream (seed, s), so results are the same for any thread count and under mpirun. Local "
      "bands are alpha and 1−alpha percentiles; global bands follow Duranton & Overman. Distances are "
      "great-circle km for lon,lat and the coordinates' unit for x,y. Industries with fewer than 30 establishments and "
      "envelopes from fewer than 99 simulations get a warning. The examples run on `agglo synth --preset tiny --seed 7 "
      "-o tiny/` (336111 and 336322 are planted as localised). See docs/methods/spatial-distance.md.",
      {"agglo mfunction --establishments tiny/establishments.csv --industry 336111 --max-distance 20 --simulations 99 -o m.csv",
       "agglo mfunction --establishments tiny/establishments.csv --industry 336111 --neighbour-industry 336322 --max-distance 20 "
       "--simulations 199 -o m/"},
      "distance,m,lower,upper,global_lower,global_upper (m = M(r); lower/upper = local bands) + density "
      "side table (distance,density,lower,upper,global_lower,global_upper) + summary",
      &run_mfunction));
  r.add(make_operation<RipleyOptions>(
      "ripley", "Ripley's K and L functions with spatstat's edge corrections, optional CSR envelope",
      "Ripley's K function (Ripley 1976, 1977) of establishment points on a rectangular window "
      "(--window, or the points' bounding box), with the three edge corrections exactly as "
      "spatstat's Kest defines them: border (reduced sample: centres at least r inside the window), "
      "translation (Ohser–Stoyan weights |W|/|W ∩ (W + x_j − x_i)|) and isotropic (Ripley's weights: "
      "1 / the fraction of the circle inside the window), each weight capped at 100 as in spatstat, "
      "and L(r) = √(K(r)/π). Translation values are NaN for r ≥ the window's short side and "
      "isotropic values for r ≥ half its diagonal, as in Kest. With --simulations S the points are "
      "compared with complete spatial randomness: S sets of n uniform points in the window give "
      "local (alpha, 1−alpha percentiles) and global (Duranton–Overman) bands for K and L of the "
      "--correction chosen; simulation s uses the random stream (seed, s), so the envelope is the "
      "same for any thread count and under mpirun; fewer than 99 simulations get a warning. Projected x,y coordinates "
      "only. The examples use tests/cli/good/dist_points.csv: LOC is clumped, RND uniform. See "
      "docs/methods/spatial-distance.md.",
      {"agglo ripley --establishments tests/cli/good/dist_points.csv --industry LOC --simulations 99 -o k.csv",
       "agglo ripley --establishments tests/cli/good/dist_points.csv --industry RND --window 0,0,1000,1000 --max-distance 250 "
       "--simulations 99 -o k/"},
      "distance,k_theo,k_border,k_translation,k_isotropic,l_theo,l_border,l_translation,l_isotropic "
      "(+ k_lower,k_upper,k_global_lower,k_global_upper,l_lower,l_upper,l_global_lower,l_global_upper "
      "with --simulations) + summary",
      &run_ripley));
}

}  // namespace agglo::api
