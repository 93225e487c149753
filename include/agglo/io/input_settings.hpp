// agglo::io — how input tables are read: the input options every command with inputs shares.
//
// A command names its inputs by option (`--employment F`, `--establishments F`); *how* a
// source is read is described once, here, and applies to every input of the run:
//
//   --columns region=fips,industry=naics   column mapping: agglo's name = the source's name;
//                                          `employment.region=fips` limits it to one input kind;
//                                          `@map.csv` reads the pairs from a file (column,source)
//   --delimiter auto|,|;|tab|'|'           field separator of text files (auto: from the header)
//   --layout auto|plain|cbp|qcew|atlas|oec a public source's layout (auto: from the header)
//   --suppressed drop|impute               cells a source withholds (CBP "D", QCEW "N")
//   --layer NAME                           the layer of a GDAL source (GeoPackage, PostGIS…)
//
// The options are declared here (input_option_specs()) and appended by the api registry to
// every operation that reads a table, so the CLI flags, the Python keyword arguments and the
// HTTP JSON names are the same, as for any other option (DESIGN.md, "options described once").
//
// While an operation runs, its settings are installed for the calling thread (ScopedInput);
// the one table loader (io::read_table) reads them there. Notes the loader makes (a layout
// detected, suppressed cells dropped) are collected in the same scope and end up as the
// Result's warnings, whichever module did the reading.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "agglo/core/options.hpp"

namespace agglo::io {

struct ColumnMapping {
  std::string input;   // input kind ("employment") or empty = every input
  std::string target;  // agglo's column name ("region")
  std::string source;  // the source's column name ("fips")
};

struct InputSettings {
  std::vector<ColumnMapping> columns;
  char delimiter = 0;            // 0 = detect from the header
  std::string layout = "auto";   // auto, plain, or a layout name (layouts.hpp)
  std::string suppressed = "drop";
  std::string layer;             // empty = the first layer (the first point layer for points)
};

// The option descriptions (name, doc, default, choices) of the input settings.
const std::vector<core::OptionSpec>& input_option_specs();
// True when `name` is one of them.
bool is_input_option(const std::string& name);
// Parses one option value into `s`; usage errors name the option.
void apply_input_option(InputSettings& s, const std::string& name, const std::string& value);

// The settings of the operation running on this thread (defaults when none is).
const InputSettings& current_input_settings();

// Installs settings for this thread while alive, and collects the loader's notes.
class ScopedInput {
 public:
  explicit ScopedInput(InputSettings s);
  ~ScopedInput();
  ScopedInput(const ScopedInput&) = delete;
  ScopedInput& operator=(const ScopedInput&) = delete;
  const InputSettings& settings() const { return settings_; }
  // Notes made by loaders during the scope, in order, without repeats.
  std::vector<std::string> notes() const;

 private:
  friend void add_input_note(std::string note);
  InputSettings settings_;
  mutable std::mutex mutex_;
  std::vector<std::string> notes_;
  ScopedInput* previous_;
};

// Records a note for the user (a warning of the running operation); without a scope it is
// dropped. Called by loaders on the operation's thread.
void add_input_note(std::string note);

}  // namespace agglo::io
