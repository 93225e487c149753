// Likert-scale summaries of perceived cluster benefits (include/agglo/survey/likert.hpp).
#include "agglo/survey/likert.hpp"

#include <algorithm>
#include <charconv>
#include <cctype>
#include <cmath>

#include "agglo/core/error.hpp"

namespace agglo::survey {

int parse_likert(const std::string& text, int scale) {
  std::string t;
  for (char c : text)
    if (c != '"') t.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  std::size_t b = 0;
  while (b < t.size() && std::isspace(static_cast<unsigned char>(t[b]))) ++b;
  t = t.substr(b);
  if (t.empty()) return 0;
  long v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec == std::errc() && ptr == t.data() + t.size()) return v >= 1 && v <= scale ? static_cast<int>(v) : -1;
  if (scale == 5) {
    static const char* labels[5][2] = {{"strongly disagree", "strongly_disagree"},
                                       {"disagree", "disagree"},
                                       {"neutral", "neither agree nor disagree"},
                                       {"agree", "agree"},
                                       {"strongly agree", "strongly_agree"}};
    for (int l = 0; l < 5; ++l)
      if (t == labels[l][0] || t == labels[l][1]) return l + 1;
  }
  return -1;
}

std::vector<LikertItem> summarise_likert(const std::vector<std::string>& items, const std::vector<std::vector<int>>& values,
                                         const std::vector<double>& weights, const LikertOptions& o) {
  if (o.scale < 2 || o.scale > 11)
    throw_usage(ErrorCode::invalid_option_value, "a Likert scale has 2 to 11 points");
  const int K = o.scale;
  auto agrees = [&](int v) { return o.agree_min > 0 ? v >= o.agree_min : 2 * v > K + 1; };
  auto disagrees = [&](int v) { return o.disagree_max > 0 ? v <= o.disagree_max : 2 * v < K + 1; };
  if (o.agree_min > 0 && o.disagree_max > 0 && o.disagree_max >= o.agree_min)
    throw_usage(ErrorCode::invalid_option_value, "--disagree-max must be below --agree-min");
  std::vector<LikertItem> out;
  for (std::size_t k = 0; k < items.size(); ++k) {
    const auto& v = values[k];
    LikertItem it;
    it.item = items[k];
    it.level_counts.assign(static_cast<std::size_t>(K), 0);
    std::vector<double> agree01(v.size(), std::nan(""));
    double sw = 0, swn = 0, swd = 0, swv = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i] <= 0) continue;
      const double w = weights.empty() ? 1.0 : weights[i];
      ++it.level_counts[static_cast<std::size_t>(v[i] - 1)];
      agree01[i] = agrees(v[i]) ? 1 : 0;
      sw += w;
      swv += w * v[i];
      if (disagrees(v[i])) swd += w, ++it.disagree;
      else if (!agrees(v[i])) swn += w, ++it.neutral;
    }
    it.agree = estimate_share(agree01, weights, {}, o.level, o.method);
    it.share_neutral = sw > 0 ? swn / sw : std::nan("");
    it.share_disagree = sw > 0 ? swd / sw : std::nan("");
    it.mean = sw > 0 ? swv / sw : std::nan("");
    out.push_back(std::move(it));
  }
  return out;
}

}  // namespace agglo::survey
