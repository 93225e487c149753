#include "agglo/measure/concentration.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <cmath>
#include <limits>
#include <map>

#include "agglo/core/error.hpp"

namespace agglo::measure {

namespace {
double sum_sq(const std::vector<double>& v) {
  double s = 0;
  for (double a : v) s += a * a;
  return s;
}
}  // namespace

double herfindahl(const std::vector<double>& e) {
  double t = 0;
  for (double v : e) t += v;
  if (t <= 0) return std::numeric_limits<double>::quiet_NaN();
  double h = 0;
  for (double v : e) h += (v / t) * (v / t);
  return h;
}

double ellison_glaeser(const std::vector<double>& s, const std::vector<double>& x, double H) {
  double G = 0;
  for (std::size_t r = 0; r < s.size(); ++r) G += (s[r] - x[r]) * (s[r] - x[r]);
  const double sx2 = sum_sq(x);
  if (H >= 1.0 || sx2 >= 1.0) return std::numeric_limits<double>::quiet_NaN();
  return (G / (1.0 - sx2) - H) / (1.0 - H);
}

double maurel_sedillot(const std::vector<double>& s, const std::vector<double>& x, double H) {
  const double sx2 = sum_sq(x);
  if (H >= 1.0 || sx2 >= 1.0) return std::numeric_limits<double>::quiet_NaN();
  return ((sum_sq(s) - sx2) / (1.0 - sx2) - H) / (1.0 - H);
}

ConcentrationResult concentration(const data::Establishments& e,
                                  const std::vector<std::pair<std::string, double>>& reference) {
  if (e.region.size() != e.size())
    throw_input(ErrorCode::missing_column, "concentration indices need the region of every establishment", {},
                "add a region column to the establishments file");
  const std::size_t R = e.region_codes.size(), I = e.industry_codes.size(), n = e.size();
  auto weight = [&](std::size_t j) { return e.employees.empty() ? 1.0 : e.employees[j]; };
  ConcentrationResult out;
  for (std::uint32_t r = 0; r < R; ++r) out.regions.emplace_back(e.region_codes.name(r));
  // Reference shares x_r.
  out.x.assign(R, 0.0);
  if (reference.empty()) {
    for (std::size_t j = 0; j < n; ++j) out.x[e.region[j]] += weight(j);
  } else {
    std::map<std::string, double, std::less<>> ref(reference.begin(), reference.end());
    for (std::size_t r = 0; r < R; ++r) {
      auto it = ref.find(out.regions[r]);
      if (it == ref.end())
        throw_input(ErrorCode::unknown_reference,
                    fmt::format("region '{}' of the establishments has no reference employment", out.regions[r]), {},
                    "the reference employment must cover every region of the establishments");
      out.x[r] = it->second;
    }
    // Regions with reference employment but no plants at all still count in Σx².
    for (const auto& [code, v] : reference)
      if (!e.region_codes.find(code)) {
        out.regions.push_back(code);
        out.x.push_back(v);
      }
  }
  double xt = 0;
  for (double v : out.x) xt += v;
  if (xt <= 0) throw_input(ErrorCode::empty_input, "total employment is zero", {}, "");
  for (double& v : out.x) v /= xt;
  if (sum_sq(out.x) >= 1.0 - 1e-12)
    throw_input(ErrorCode::invalid_value, "all employment is in one region: concentration indices are undefined", {},
                "concentration compares regions; give establishments in at least two regions");

  // Plants by industry.
  std::vector<std::vector<std::size_t>> plants(I);
  for (std::size_t j = 0; j < n; ++j) plants[e.industry[j]].push_back(j);
  const std::size_t RR = out.regions.size();
  out.shares = data::DenseMatrix(RR, I, 0.0);
  out.industries.resize(I);
  tbb::parallel_for(std::size_t(0), I, [&](std::size_t i) {
    auto& ic = out.industries[i];
    ic.industry = std::string(e.industry_codes.name(static_cast<std::uint32_t>(i)));
    ic.establishments = plants[i].size();
    std::vector<double> emp;
    emp.reserve(plants[i].size());
    for (auto j : plants[i]) {
      emp.push_back(weight(j));
      ic.employment += weight(j);
      out.shares(e.region[j], i) += weight(j);
    }
    std::vector<double> s(RR);
    for (std::size_t r = 0; r < RR; ++r) s[r] = ic.employment > 0 ? out.shares(r, i) / ic.employment : 0.0;
    for (std::size_t r = 0; r < RR; ++r) out.shares(r, i) = s[r];
    ic.herfindahl = herfindahl(emp);
    for (std::size_t r = 0; r < RR; ++r) ic.raw_g += (s[r] - out.x[r]) * (s[r] - out.x[r]);
    ic.ellison_glaeser = ellison_glaeser(s, out.x, ic.herfindahl);
    ic.maurel_sedillot = maurel_sedillot(s, out.x, ic.herfindahl);
  });
  std::vector<std::string> single;
  for (const auto& ic : out.industries)
    if (!(ic.herfindahl < 1.0)) single.push_back(ic.industry);
  if (!single.empty())
    out.warnings.push_back(fmt::format("{} industr{} with a single establishment (or all employment in one plant) "
                                       "have no Ellison–Glaeser or Maurel–Sédillot index (H = 1): {}{}",
                                       single.size(), single.size() == 1 ? "y" : "ies", single.front(),
                                       single.size() > 1 ? fmt::format(" and {} more", single.size() - 1) : ""));
  return out;
}

data::DenseMatrix coagglomeration(const ConcentrationResult& c) {
  const std::size_t R = c.x.size(), I = c.industries.size();
  const double denom = 1.0 - sum_sq(c.x);
  // Centre the shares once; then γᶜ = DᵀD / (1 − Σx²), an I × I product over regions.
  data::DenseMatrix d(R, I);
  for (std::size_t r = 0; r < R; ++r)
    for (std::size_t i = 0; i < I; ++i) d(r, i) = c.shares(r, i) - c.x[r];
  data::DenseMatrix g(I, I, 0.0);
  tbb::parallel_for(std::size_t(0), I, [&](std::size_t a) {
    for (std::size_t b = a; b < I; ++b) {
      double s = 0;
      for (std::size_t r = 0; r < R; ++r) s += d(r, a) * d(r, b);
      g(a, b) = s / denom;
    }
  });
  for (std::size_t a = 0; a < I; ++a)
    for (std::size_t b = 0; b < a; ++b) g(a, b) = g(b, a);
  return g;
}

}  // namespace agglo::measure
