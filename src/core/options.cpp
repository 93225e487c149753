#include "agglo/core/options.hpp"

#include <fast_float/fast_float.h>
#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace agglo::core {

std::string OptionSpec::placeholder() const {
  switch (type) {
    case OptionType::integer: return "N";
    case OptionType::real: return "X";
    case OptionType::boolean: return "BOOL";
    case OptionType::path: return "PATH";
    case OptionType::list: return "A,B,...";
    case OptionType::text: return choices.empty() ? "TEXT" : "CHOICE";
  }
  return "VALUE";
}

std::int64_t parse_integer(const std::string& option, const std::string& text) {
  std::int64_t v = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || text.empty())
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("--{} expects a whole number, got '{}'", option, text));
  return v;
}

double parse_real(const std::string& option, const std::string& text) {
  double v = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = fast_float::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || text.empty() || !std::isfinite(v))
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("--{} expects a finite number, got '{}'", option, text));
  return v;
}

bool parse_boolean(const std::string& option, const std::string& text) {
  if (text == "true" || text == "1" || text == "yes" || text == "on") return true;
  if (text == "false" || text == "0" || text == "no" || text == "off") return false;
  throw_usage(ErrorCode::invalid_option_value,
              fmt::format("--{} expects true or false, got '{}'", option, text));
}

std::vector<std::string> parse_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

std::string format_option_real(double v) { return fmt::format("{}", v); }

void check_option_bounds(const OptionSpec& spec, double v, const std::string& text) {
  if ((spec.min && v < *spec.min) || (spec.max && v > *spec.max)) {
    std::string range;
    if (spec.min && spec.max) range = fmt::format("between {} and {}", *spec.min, *spec.max);
    else if (spec.min) range = fmt::format("at least {}", *spec.min);
    else range = fmt::format("at most {}", *spec.max);
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("--{} must be {}, got {}", spec.name, range, text));
  }
}

void check_option_choice(const OptionSpec& spec, const std::string& text) {
  if (spec.choices.empty()) return;
  for (const auto& c : spec.choices)
    if (c == text) return;
  throw_usage(ErrorCode::invalid_option_value,
              fmt::format("--{} must be one of {}, got '{}'", spec.name,
                          fmt::join(spec.choices, ", "), text));
}

}  // namespace agglo::core
