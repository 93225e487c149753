#include "agglo/core/rng.hpp"

namespace agglo::core {

namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
}  // namespace

Stream::Stream(std::uint64_t seed, std::uint64_t stream, std::uint64_t step) noexcept {
  // Fold the three key parts through the mixer one after another, so (1,2,3) and (3,2,1)
  // give unrelated states; then expand the key into the four state words.
  std::uint64_t k = splitmix64(seed);
  k = splitmix64(k ^ stream);
  k = splitmix64(k ^ (step * 0xD1342543DE82EF95ULL));
  for (auto& w : s_) {
    k += 0x9E3779B97F4A7C15ULL;
    w = splitmix64(k);
  }
}

std::uint64_t Stream::next() noexcept {
  // xoshiro256** 1.0.
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t Stream::below(std::uint64_t n) noexcept {
  // Lemire's nearly-divisionless method: the high word of a 128-bit product is uniform on
  // [0, n) once the few biased low words are rejected.
  __extension__ typedef unsigned __int128 u128;  // GCC/Clang extension: a 64×64→128 product
  u128 m = static_cast<u128>(next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<u128>(next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double Stream::normal() noexcept {
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  // Polar method: a point uniform in the unit disc gives two independent normals.
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_ = v * f;
  has_spare_ = true;
  return u * f;
}

double Stream::gamma(double shape) noexcept {
  if (shape < 1.0) {
    // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a).
    const double g = gamma(shape + 1.0);
    return g * std::pow(uniform(), 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = normal();
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    const double u = uniform();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double Stream::beta(double a, double b) noexcept {
  const double x = gamma(a);
  const double y = gamma(b);
  return x / (x + y);
}

std::uint64_t Stream::poisson(double mean) noexcept {
  if (mean <= 0.0) return 0;
  if (mean < 10.0) {
    // Knuth: count uniforms until their product drops below e^-mean.
    const double limit = std::exp(-mean);
    double p = uniform();
    std::uint64_t k = 0;
    while (p > limit) {
      ++k;
      p *= uniform();
    }
    return k;
  }
  // PTRS: transformed rejection with squeeze (Hörmann 1993, "The transformed rejection method
  // for generating Poisson random variables").
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = uniform() - 0.5;
    const double v = uniform();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::uint64_t>(k);
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - std::lgamma(k + 1))
      return static_cast<std::uint64_t>(k);
  }
}

}  // namespace agglo::core
