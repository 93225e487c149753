#include "agglo/stats/descriptive.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace agglo::stats {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Σ dᵏ for k = 2, 3, 4 about the mean of the finite values.
struct Moments {
  std::size_t n = 0;
  double m2 = 0, m3 = 0, m4 = 0;
};
Moments central_moments(std::span<const double> x) {
  Moments m;
  const double mu = mean(x);
  for (double v : x)
    if (std::isfinite(v)) {
      const double d = v - mu, d2 = d * d;
      ++m.n;
      m.m2 += d2;
      m.m3 += d2 * d;
      m.m4 += d2 * d2;
    }
  return m;
}
}  // namespace

std::size_t count_finite(std::span<const double> x) {
  return static_cast<std::size_t>(std::count_if(x.begin(), x.end(), [](double v) { return std::isfinite(v); }));
}

double mean(std::span<const double> x) {
  double s = 0;
  std::size_t n = 0;
  for (double v : x)
    if (std::isfinite(v)) {
      s += v;
      ++n;
    }
  return n ? s / static_cast<double>(n) : nan;
}

double sd(std::span<const double> x) {
  const auto m = central_moments(x);
  return m.n < 2 ? nan : std::sqrt(m.m2 / static_cast<double>(m.n - 1));
}

double skewness(std::span<const double> x) {
  const auto m = central_moments(x);
  if (m.n < 3 || m.m2 <= 0) return nan;
  const double n = static_cast<double>(m.n);
  const double g1 = std::sqrt(n) * m.m3 / std::pow(m.m2, 1.5);
  return g1 * std::sqrt(n * (n - 1)) / (n - 2);
}

double kurtosis(std::span<const double> x) {
  const auto m = central_moments(x);
  if (m.n < 4 || m.m2 <= 0) return nan;
  const double n = static_cast<double>(m.n);
  const double r = n * m.m4 / (m.m2 * m.m2);
  return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3));
}

double pearson(std::span<const double> x, std::span<const double> y) {
  const std::size_t n = std::min(x.size(), y.size());
  double sx = 0, sy = 0;
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i])) {
      sx += x[i];
      sy += y[i];
      ++k;
    }
  if (k < 3) return nan;
  const double mx = sx / static_cast<double>(k), my = sy / static_cast<double>(k);
  double cxy = 0, cxx = 0, cyy = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (std::isfinite(x[i]) && std::isfinite(y[i])) {
      const double dx = x[i] - mx, dy = y[i] - my;
      cxy += dx * dy;
      cxx += dx * dx;
      cyy += dy * dy;
    }
  if (cxx <= 0 || cyy <= 0) return nan;
  return cxy / std::sqrt(cxx * cyy);
}

std::vector<double> average_ranks(std::span<const double> x) {
  std::vector<std::size_t> idx;
  idx.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i])) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size(), nan);
  for (std::size_t s = 0; s < idx.size();) {
    std::size_t e = s + 1;
    while (e < idx.size() && x[idx[e]] == x[idx[s]]) ++e;
    const double avg = 0.5 * static_cast<double>(s + 1 + e);  // mean of ranks s+1 … e
    for (std::size_t k = s; k < e; ++k) r[idx[k]] = avg;
    s = e;
  }
  return r;
}

std::vector<int> descending_min_ranks(std::span<const double> x) {
  std::vector<std::size_t> idx;
  idx.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(x[i])) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return x[a] > x[b]; });
  std::vector<int> r(x.size(), 0);
  for (std::size_t k = 0; k < idx.size(); ++k)
    r[idx[k]] = (k > 0 && x[idx[k]] == x[idx[k - 1]]) ? r[idx[k - 1]] : static_cast<int>(k + 1);
  return r;
}

double quantile_sorted(std::span<const double> sorted, double p) {
  if (sorted.empty()) return nan;
  const double h = (static_cast<double>(sorted.size()) - 1) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double quantile(std::span<const double> x, double p) {
  std::vector<double> v;
  v.reserve(x.size());
  for (double d : x)
    if (std::isfinite(d)) v.push_back(d);
  std::sort(v.begin(), v.end());
  return quantile_sorted(v, p);
}

double cronbach_alpha(const std::vector<std::vector<double>>& items) {
  const std::size_t k = items.size();
  if (k < 2) return nan;
  const std::size_t n = items.front().size();
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < n; ++i) {
    bool ok = true;
    for (const auto& it : items) ok = ok && i < it.size() && std::isfinite(it[i]);
    if (ok) rows.push_back(i);
  }
  if (rows.size() < 2) return nan;
  auto variance = [&](auto value) {
    double s = 0, s2 = 0;
    for (auto i : rows) {
      const double v = value(i);
      s += v;
      s2 += v * v;
    }
    const double m = static_cast<double>(rows.size());
    return (s2 - s * s / m) / (m - 1);
  };
  double sum_var = 0;
  for (const auto& it : items) sum_var += variance([&](std::size_t i) { return it[i]; });
  const double total_var = variance([&](std::size_t i) {
    double t = 0;
    for (const auto& it : items) t += it[i];
    return t;
  });
  if (total_var <= 0) return nan;
  const double kk = static_cast<double>(k);
  return kk / (kk - 1) * (1 - sum_var / total_var);
}

}  // namespace agglo::stats
