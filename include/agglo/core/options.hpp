// agglo::core — options described once (DESIGN.md, "One facade, thin front ends").
//
// Each operation has an Options struct with defaults. Its static describe() lists every field
// once: name, documentation, default and check. From that one description:
//   * the CLI generates its flags and --help text,
//   * the Python module derives keyword arguments,
//   * the HTTP server accepts the same names in a JSON body,
// and all three go through parse(), so the same value is accepted or rejected identically.
//
// Values travel as text ("2.5", "a,b", "true") in a ParamMap. That keeps the public headers
// free of third-party types and makes the CLI the reference: every front end can print what
// it received as an equivalent command line.
//
// Example:
//   struct SynthOptions {
//     std::string preset = "tiny";
//     std::int64_t seed = 1;
//     static void describe(OptionSchema<SynthOptions>& s) {
//       s.add("preset", &SynthOptions::preset, "size of the economy").choices({"tiny", "small"});
//       s.add("seed", &SynthOptions::seed, "random seed").min(0);
//     }
//   };
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "agglo/core/error.hpp"

namespace agglo::core {

using ParamMap = std::map<std::string, std::string>;

enum class OptionType { text, path, integer, real, boolean, list };

// The front-end-neutral description of one option.
struct OptionSpec {
  std::string name;          // flag name without dashes, words joined by '-': "min-points"
  std::string doc;           // one sentence, shown in --help
  OptionType type = OptionType::text;
  std::string default_text;  // empty with required = false: "not set"
  bool required = false;
  std::vector<std::string> choices;  // allowed values for text options, empty = any
  std::optional<double> min, max;    // inclusive bounds for numbers
  std::string placeholder() const;   // "N", "X", "PATH"… for help text
};

// Text → value conversions with messages that name the option. Throw usage errors.
std::int64_t parse_integer(const std::string& option, const std::string& text);
double parse_real(const std::string& option, const std::string& text);
bool parse_boolean(const std::string& option, const std::string& text);
std::vector<std::string> parse_list(const std::string& text);

template <class T>
class OptionSchema {
 public:
  class Field {
   public:
    Field& required() { spec_.required = true; return *this; }
    Field& choices(std::vector<std::string> c) { spec_.choices = std::move(c); return *this; }
    Field& min(double v) { spec_.min = v; return *this; }
    Field& max(double v) { spec_.max = v; return *this; }
    Field& path() { spec_.type = OptionType::path; return *this; }
    const OptionSpec& spec() const { return spec_; }

   private:
    friend class OptionSchema;
    OptionSpec spec_;
    std::function<void(T&, const OptionSpec&, const std::string&)> set_;
  };

  template <class M>
  Field& add(std::string name, M T::*member, std::string doc) {
    Field f;
    f.spec_.name = std::move(name);
    f.spec_.doc = std::move(doc);
    T defaults{};
    f.spec_.type = type_of<M>();
    f.spec_.default_text = to_text(defaults.*member);
    // The spec is passed at call time (not captured) because required()/choices()/min()
    // refine it after add() returns.
    f.set_ = [member](T& o, const OptionSpec& spec, const std::string& text) {
      o.*member = from_text<M>(spec, text);
    };
    fields_.push_back(std::move(f));
    return fields_.back();
  }

  std::vector<OptionSpec> specs() const {
    std::vector<OptionSpec> out;
    for (const auto& f : fields_) out.push_back(f.spec_);
    return out;
  }

  // Builds Options from text parameters: defaults first, then every given value parsed and
  // checked. Unknown names and missing required options are usage errors.
  T parse(const ParamMap& params) const {
    T o{};
    for (const auto& [key, value] : params) {
      const Field* f = find(key);
      if (!f)
        throw_usage(ErrorCode::unknown_option, "unknown option '" + key + "'",
                    "see --help for the options of this command");
      f->set_(o, f->spec_, value);
    }
    for (const auto& f : fields_)
      if (f.spec_.required && !params.count(f.spec_.name))
        throw_usage(ErrorCode::missing_option, "option --" + f.spec_.name + " is required",
                    f.spec_.doc);
    return o;
  }

 private:
  const Field* find(const std::string& name) const {
    for (const auto& f : fields_)
      if (f.spec_.name == name) return &f;
    return nullptr;
  }

  template <class M>
  static constexpr OptionType type_of() {
    if constexpr (std::is_same_v<M, bool>) return OptionType::boolean;
    else if constexpr (std::is_integral_v<M>) return OptionType::integer;
    else if constexpr (std::is_floating_point_v<M>) return OptionType::real;
    else if constexpr (std::is_same_v<M, std::vector<std::string>>) return OptionType::list;
    else if constexpr (std::is_same_v<M, std::optional<double>>) return OptionType::real;
    else if constexpr (std::is_same_v<M, std::optional<std::int64_t>>) return OptionType::integer;
    else return OptionType::text;
  }

  template <class M>
  static std::string to_text(const M& v) {
    if constexpr (std::is_same_v<M, bool>) return v ? "true" : "false";
    else if constexpr (std::is_integral_v<M>) return std::to_string(v);
    else if constexpr (std::is_floating_point_v<M>) return format_real(v);
    else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
      return s;
    } else if constexpr (std::is_same_v<M, std::optional<double>>) return v ? format_real(*v) : "";
    else if constexpr (std::is_same_v<M, std::optional<std::int64_t>>) return v ? std::to_string(*v) : "";
    else return v;
  }

  template <class M>
  static M from_text(const OptionSpec& spec, const std::string& text) {
    if constexpr (std::is_same_v<M, bool>) {
      return parse_boolean(spec.name, text);
    } else if constexpr (std::is_integral_v<M>) {
      const auto v = parse_integer(spec.name, text);
      check_bounds(spec, static_cast<double>(v), text);
      return static_cast<M>(v);
    } else if constexpr (std::is_floating_point_v<M>) {
      const auto v = parse_real(spec.name, text);
      check_bounds(spec, v, text);
      return static_cast<M>(v);
    } else if constexpr (std::is_same_v<M, std::vector<std::string>>) {
      auto items = parse_list(text);
      for (const auto& it : items) check_choice(spec, it);
      return items;
    } else if constexpr (std::is_same_v<M, std::optional<double>>) {
      const auto v = parse_real(spec.name, text);
      check_bounds(spec, v, text);
      return v;
    } else if constexpr (std::is_same_v<M, std::optional<std::int64_t>>) {
      const auto v = parse_integer(spec.name, text);
      check_bounds(spec, static_cast<double>(v), text);
      return v;
    } else {
      check_choice(spec, text);
      return text;
    }
  }

  static std::string format_real(double v);
  static void check_bounds(const OptionSpec& spec, double v, const std::string& text);
  static void check_choice(const OptionSpec& spec, const std::string& text);

  std::vector<Field> fields_;
};

// Shared non-template helpers (defined in options.cpp).
std::string format_option_real(double v);
void check_option_bounds(const OptionSpec& spec, double v, const std::string& text);
void check_option_choice(const OptionSpec& spec, const std::string& text);

template <class T>
std::string OptionSchema<T>::format_real(double v) { return format_option_real(v); }
template <class T>
void OptionSchema<T>::check_bounds(const OptionSpec& s, double v, const std::string& t) {
  check_option_bounds(s, v, t);
}
template <class T>
void OptionSchema<T>::check_choice(const OptionSpec& s, const std::string& t) {
  check_option_choice(s, t);
}

}  // namespace agglo::core
