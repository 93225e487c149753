// The registry's JSON codec (include/agglo/api/json_codec.hpp).
#include "agglo/api/json_codec.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace agglo::api {

using json = nlohmann::ordered_json;

namespace {


// A JSON scalar as the text a command line would carry.
std::string scalar_text(const std::string& option, const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_number_float()) return core::format_option_real(v.get<double>());
  throw_usage(ErrorCode::invalid_option_value,
              fmt::format("option '{}' must be a string, number or boolean, not {}", option, v.type_name()),
              "give lists as JSON arrays of scalars");
}

// The same checks OptionSchema::parse makes, without building the Options (the server
// refuses a bad request before it queues a job).
void check_value(const core::OptionSpec& spec, const std::string& text) {
  switch (spec.type) {
    case core::OptionType::integer: core::check_option_bounds(spec, static_cast<double>(core::parse_integer(spec.name, text)), text); break;
    case core::OptionType::real: core::check_option_bounds(spec, core::parse_real(spec.name, text), text); break;
    case core::OptionType::boolean: core::parse_boolean(spec.name, text); break;
    case core::OptionType::list:
      for (const auto& item : core::parse_list(text)) core::check_option_choice(spec, item);
      break;
    case core::OptionType::text: core::check_option_choice(spec, text); break;
    case core::OptionType::path: break;
  }
}

std::string shell_quote(const std::string& s) {
  const bool plain = !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || std::string_view("-_./=:,+@%").find(static_cast<char>(c)) != std::string_view::npos;
  });
  if (plain) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

const char* option_type_name(core::OptionType t) {
  switch (t) {
    case core::OptionType::text: return "text";
    case core::OptionType::path: return "path";
    case core::OptionType::integer: return "integer";
    case core::OptionType::real: return "real";
    case core::OptionType::boolean: return "boolean";
    case core::OptionType::list: return "list";
  }
  return "text";
}

const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::usage: return "usage";
    case ErrorKind::input: return "input";
    case ErrorKind::io: return "io";
    case ErrorKind::internal: return "internal";
    case ErrorKind::cancelled: return "cancelled";
  }
  return "internal";
}

std::string schema_json(const Registry& registry, const std::vector<std::string>& hidden) {
  json ops = json::array();
  for (const auto& op : registry.all()) {
    if (std::find(hidden.begin(), hidden.end(), op.name) != hidden.end()) continue;
    json options = json::array();
    for (const auto& s : op.options) {
      json o = {{"name", s.name}, {"type", option_type_name(s.type)}, {"doc", s.doc}, {"required", s.required}};
      o["default"] = s.default_text.empty() ? json(nullptr) : json(s.default_text);
      if (!s.choices.empty()) o["choices"] = s.choices;
      if (s.min) o["min"] = *s.min;
      if (s.max) o["max"] = *s.max;
      options.push_back(std::move(o));
    }
    ops.push_back({{"name", op.name},
                   {"summary", op.summary},
                   {"description", op.description},
                   {"examples", op.examples},
                   {"output", op.output_doc},
                   {"options", std::move(options)}});
  }
  return json{{"version", AGGLO_VERSION}, {"operations", std::move(ops)}}.dump();
}

core::ParamMap params_from_json(const Operation& op, const std::string& options_json) {
  const json doc = options_json.empty() ? json::object() : json::parse(options_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    throw_usage(ErrorCode::invalid_option_value, "\"options\" must be a JSON object of option names and values",
                R"(for example {"employment": "employment.csv", "top": 25})");
  core::ParamMap params;
  for (const auto& [name, value] : doc.items()) {
    const core::OptionSpec* spec = nullptr;
    for (const auto& s : op.options)
      if (s.name == name) spec = &s;
    if (!spec) {
      std::string known;
      for (const auto& s : op.options) known += (known.empty() ? "" : ", ") + s.name;
      throw_usage(ErrorCode::unknown_option, fmt::format("'{}' has no option '{}'", op.name, name),
                  "its options are: " + known);
    }
    if (value.is_null()) continue;
    std::string text;
    if (value.is_array()) {
      for (const auto& item : value) text += (text.empty() ? "" : ",") + scalar_text(name, item);
    } else {
      text = scalar_text(name, value);
    }
    if (spec->type == core::OptionType::boolean && !core::parse_boolean(name, text)) continue;
    check_value(*spec, text);
    params[name] = text;
  }
  for (const auto& s : op.options)
    if (s.required && !params.count(s.name))
      throw_usage(ErrorCode::missing_option, fmt::format("option '{}' is required by '{}'", s.name, op.name), s.doc);
  return params;
}

std::string result_json(const Result& result, std::size_t max_rows) {
  json doc;
  json tables = json::object();
  for (const auto& [name, t] : result.tables) {
    json cols = json::array();
    for (const auto& c : t.columns()) cols.push_back(c.name);
    const std::size_t n = t.rows(), shown = max_rows ? std::min(n, max_rows) : n;
    json rows = json::array();
    for (std::size_t i = 0; i < shown; ++i) {
      json row = json::array();
      for (const auto& c : t.columns()) {
        if (c.is_real()) {
          const double v = std::get<data::RealColumn>(c.values)[i];
          row.push_back(std::isfinite(v) ? json(v) : json(nullptr));
        } else if (c.is_integer()) {
          row.push_back(std::get<data::IntColumn>(c.values)[i]);
        } else {
          row.push_back(std::get<data::TextColumn>(c.values)[i]);
        }
      }
      rows.push_back(std::move(row));
    }
    tables[name] = {{"columns", std::move(cols)}, {"rows", std::move(rows)}, {"rows_total", n}};
  }
  doc["tables"] = std::move(tables);
  doc["summary"] = result.summary_json.empty() ? json::object() : json::parse(result.summary_json, nullptr, false);
  if (doc["summary"].is_discarded()) doc["summary"] = json::object();
  doc["warnings"] = result.warnings;
  doc["headline"] = result.headline;
  doc["text"] = result.text;
  return doc.dump();
}

std::string error_json(int code, const std::string& kind, const std::string& message) {
  return json{{"error", {{"code", code}, {"kind", kind}, {"message", message}}}}.dump();
}

std::string error_json(const Error& e) {
  json err = {{"code", static_cast<int>(e.code())}, {"kind", kind_name(e.kind())}, {"message", std::string(e.what())}};
  if (!e.hint().empty()) err["hint"] = e.hint();
  return json{{"error", std::move(err)}}.dump();
}

std::string command_line(const std::string& operation, const core::ParamMap& params) {
  std::string s = "agglo " + operation;
  for (const auto& [k, v] : params) {
    s += " --" + k;
    if (v != "true") s += " " + shell_quote(v);
  }
  return s;
}

std::string python_call(const std::string& operation, const core::ParamMap& params) {
  std::string fn = operation;
  std::replace(fn.begin(), fn.end(), '-', '_');
  std::replace(fn.begin(), fn.end(), ' ', '.');
  std::string args;
  for (const auto& [k, v] : params) {
    std::string key = k;
    std::replace(key.begin(), key.end(), '-', '_');
    args += fmt::format("{}{}={}", args.empty() ? "" : ", ", key, v == "true" ? "True" : json(v).dump());
  }
  return fmt::format("agglo.{}({})", fn, args);
}

}  // namespace agglo::api
