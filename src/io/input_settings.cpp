#include "agglo/io/input_settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

#include "agglo/io/layouts.hpp"
#include "agglo/io/table_reader.hpp"

namespace agglo::io {

const std::vector<core::OptionSpec>& input_option_specs() {
  static const std::vector<core::OptionSpec> specs = [] {
    std::vector<core::OptionSpec> v;
    core::OptionSpec columns;
    columns.name = "columns";
    columns.doc = "map the inputs' column names to agglo's: NAME=SOURCE pairs (region=fips,employment=emp; "
                  "employment.region=fips for one input only), or @FILE with columns column,source[,input]";
    columns.type = core::OptionType::list;
    v.push_back(columns);
    core::OptionSpec delim;
    delim.name = "delimiter";
    delim.doc = "field separator of text inputs: auto (from the header: comma, semicolon, tab or |), or the character "
                "(tab for a tab)";
    delim.default_text = "auto";
    v.push_back(delim);
    core::OptionSpec layout;
    layout.name = "layout";
    layout.doc = "layout of a public source: auto (recognised from the header), plain (none), cbp (County Business "
                 "Patterns), qcew, qcew-msa, qcew-state (BLS QCEW), atlas (Atlas of Economic Complexity), oec";
    layout.default_text = "auto";
    layout.choices = layout_choices();
    v.push_back(layout);
    core::OptionSpec sup;
    sup.name = "suppressed";
    sup.doc = "cells the publisher withheld (CBP flag D, QCEW disclosure N): drop them, or impute them from "
              "establishment size classes where the file has them";
    sup.default_text = "drop";
    sup.choices = {"drop", "impute"};
    v.push_back(sup);
    core::OptionSpec layer;
    layer.name = "layer";
    layer.doc = "layer of a GDAL input (GeoPackage, PostGIS…); default: the first layer (for points, the first point layer)";
    v.push_back(layer);
    return v;
  }();
  return specs;
}

bool is_input_option(const std::string& name) {
  const auto& s = input_option_specs();
  return std::any_of(s.begin(), s.end(), [&](const core::OptionSpec& o) { return o.name == name; });
}

namespace {

void add_mapping(InputSettings& s, const std::string& item, const std::string& origin) {
  const auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
    throw_usage(ErrorCode::invalid_option_value,
                fmt::format("--columns: '{}'{} is not NAME=SOURCE", item, origin),
                "for example --columns region=fips,industry=naics,employment=emp");
  ColumnMapping m;
  std::string target = item.substr(0, eq);
  if (const auto dot = target.find('.'); dot != std::string::npos) {
    m.input = target.substr(0, dot);
    target = target.substr(dot + 1);
  }
  m.target = target;
  m.source = item.substr(eq + 1);
  s.columns.push_back(std::move(m));
}

// A mapping file: CSV with columns column,source[,input].
void read_mapping_file(InputSettings& s, const std::string& path) {
  TableSpec spec;
  spec.what = "column mapping";
  ColumnSpec c;
  c.kind = ColumnKind::text;
  c.name = "column";
  spec.columns.push_back(c);
  c.name = "source";
  spec.columns.push_back(c);
  c.name = "input";
  c.required = false;
  spec.columns.push_back(c);
  ReadOptions ro;
  ro.plain = true;  // the mapping file itself is read without mappings or layouts
  const auto t = read_table(path, spec, ro);
  for (std::size_t i = 0; i < t.rows; ++i) {
    ColumnMapping m;
    m.target = t.col("column").texts[i];
    m.source = t.col("source").texts[i];
    if (t.has("input")) m.input = t.col("input").texts[i];
    if (m.target.empty() || m.source.empty())
      throw_input(ErrorCode::wrong_type, "empty column or source name", Location{path, t.lines[i], 0, {}},
                  "each row maps one agglo column to one source column");
    s.columns.push_back(std::move(m));
  }
}

thread_local ScopedInput* t_scope = nullptr;
// The most recent scope of any thread: loaders running on worker threads of the same
// operation (TBB tasks) see the operation's settings through it.
std::atomic<ScopedInput*> g_last_scope{nullptr};

}  // namespace

void apply_input_option(InputSettings& s, const std::string& name, const std::string& value) {
  if (name == "columns") {
    for (const auto& item : core::parse_list(value)) {
      if (!item.empty() && item[0] == '@') read_mapping_file(s, item.substr(1));
      else add_mapping(s, item, "");
    }
  } else if (name == "delimiter") {
    if (value == "auto" || value.empty()) s.delimiter = 0;
    else if (value == "tab" || value == "\\t" || value == "\t") s.delimiter = '\t';
    else if (value == "comma") s.delimiter = ',';
    else if (value == "semicolon") s.delimiter = ';';
    else if (value.size() == 1 && value[0] != '"' && value[0] != '\n' && value[0] != '\r') s.delimiter = value[0];
    else
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--delimiter must be one character, auto or tab, got '{}'", value));
  } else if (name == "layout") {
    const auto choices = layout_choices();
    if (std::find(choices.begin(), choices.end(), value) == choices.end())
      throw_usage(ErrorCode::invalid_option_value,
                  fmt::format("--layout must be one of {}, got '{}'", fmt::join(choices, ", "), value));
    s.layout = value;
  } else if (name == "suppressed") {
    if (value != "drop" && value != "impute")
      throw_usage(ErrorCode::invalid_option_value, fmt::format("--suppressed must be drop or impute, got '{}'", value));
    s.suppressed = value;
  } else if (name == "layer") {
    s.layer = value;
  } else {
    throw_usage(ErrorCode::unknown_option, fmt::format("unknown input option '{}'", name));
  }
}

const InputSettings& current_input_settings() {
  static const InputSettings defaults;
  if (t_scope) return t_scope->settings();
  if (auto* g = g_last_scope.load(std::memory_order_acquire)) return g->settings();
  return defaults;
}

ScopedInput::ScopedInput(InputSettings s) : settings_(std::move(s)), previous_(t_scope) {
  t_scope = this;
  g_last_scope.store(this, std::memory_order_release);
}

ScopedInput::~ScopedInput() {
  t_scope = previous_;
  ScopedInput* self = this;
  g_last_scope.compare_exchange_strong(self, previous_, std::memory_order_acq_rel);
}

std::vector<std::string> ScopedInput::notes() const {
  std::lock_guard lock(mutex_);
  return notes_;
}

void add_input_note(std::string note) {
  ScopedInput* s = t_scope ? t_scope : g_last_scope.load(std::memory_order_acquire);
  if (!s) return;
  std::lock_guard lock(s->mutex_);
  if (std::find(s->notes_.begin(), s->notes_.end(), note) == s->notes_.end()) s->notes_.push_back(std::move(note));
}

}  // namespace agglo::io
