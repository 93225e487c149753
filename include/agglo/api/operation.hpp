// agglo::api — the one registry of operations (DESIGN.md, "One facade, thin front ends").
//
// An operation is a name, its Options description and a run function. The CLI, the Python
// module and the HTTP server all look operations up here, build the Options from the same
// description (core::OptionSchema) and render the same Result; none of them holds an
// algorithm. Adding a command to every front end is one call to Registry::add.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "agglo/core/options.hpp"
#include "agglo/core/rng.hpp"
#include "agglo/data/table.hpp"

namespace agglo::api {

// What every operation receives besides its own options: the global flags.
struct Context {
  std::uint64_t seed = core::Stream::default_seed;
  int threads = 0;        // 0 = all hardware threads
  bool quiet = false;
  // Add `<code>_name` columns beside industry, product, location and region codes in every
  // table (io/code_names.hpp); --no-names turns it off.
  bool names = true;
  // Add phase timings ("seconds") to summaries (--timings). Off by default: a wall-clock time
  // in a result would make two identical runs differ byte for byte.
  bool timings = false;
  std::string output;     // -o/--output; empty = standard output
  // Where operations send progress notes and warnings for the user (stderr in the CLI).
  std::function<void(const std::string&)> note = [](const std::string&) {};
};

// What an operation returns. Expected outcomes (no convergence, problems found by validate)
// are fields here, not exceptions.
struct Result {
  std::vector<std::pair<std::string, data::Table>> tables;  // the first is the main table
  std::string summary_json;         // serialised JSON object, operation-specific
  std::vector<std::string> warnings;
  std::vector<std::string> files;   // files the operation wrote itself
  std::string text;                 // a human-readable report for standard output
  // One line that says what the run found ("67 clusters of 160 industries; 12 traded"). The
  // CLI prints it on stderr after writing the output (unless --quiet); when empty, the
  // front end prints a generic line naming the tables and their rows.
  std::string headline;
  int exit_code = 0;                // non-zero for an expected failure (validate found errors)
  bool output_written = false;      // the operation already wrote everything to ctx.output
};

struct Operation {
  std::string name;                   // "synth", "validate"; nested commands use a space
  std::string summary;                // one line for the command list
  std::string description;            // a paragraph for --help: method, reference, units
  std::vector<std::string> examples;  // full command lines
  std::string output_doc;             // what -o receives
  std::vector<core::OptionSpec> options;
  std::function<Result(const core::ParamMap&, Context&)> run;
};

class Registry {
 public:
  // The process-wide registry with every built-in operation registered.
  static Registry& global();
  void add(Operation op);
  const Operation* find(const std::string& name) const;
  const std::vector<Operation>& all() const { return ops_; }

 private:
  std::vector<Operation> ops_;
};

namespace detail {
// The shared input options (io/input_settings.hpp: --columns, --delimiter, --layout,
// --suppressed, --layer) join every operation that reads tables, except those the operation
// declares itself. Defined in registry.cpp.
void add_input_options(std::vector<core::OptionSpec>& options);
// Runs `body` with the input options of `params` installed for the loaders (and the others
// passed on); the loaders' notes become warnings of the Result, and code columns get names.
Result run_operation(const core::ParamMap& params, const std::vector<core::OptionSpec>& own, Context& ctx,
                     const std::function<Result(const core::ParamMap&)>& body);
}  // namespace detail

// Builds an Operation from a typed Options struct (with static describe()) and a function.
template <class Options>
Operation make_operation(std::string name, std::string summary, std::string description,
                         std::vector<std::string> examples, std::string output_doc,
                         Result (*fn)(const Options&, Context&)) {
  auto schema = std::make_shared<core::OptionSchema<Options>>();
  Options::describe(*schema);
  Operation op;
  op.name = std::move(name);
  op.summary = std::move(summary);
  op.description = std::move(description);
  op.examples = std::move(examples);
  op.output_doc = std::move(output_doc);
  op.options = schema->specs();
  auto own = std::make_shared<const std::vector<core::OptionSpec>>(op.options);
  detail::add_input_options(op.options);
  op.run = [schema, fn, own](const core::ParamMap& params, Context& ctx) {
    return detail::run_operation(params, *own, ctx, [&](const core::ParamMap& p) {
      Options o = schema->parse(p);
      o.validate();
      return fn(o, ctx);
    });
  };
  return op;
}

// Renders a Result to `output` with the format chosen by its extension:
//   .csv      the main table; other tables beside it as OUT.<name>.csv
//   .json     every table and the summary in one document
//   .gpkg     every table as a layer (point layers where there are lon/lat columns), added
//             to the GeoPackage when it exists (a workspace), replacing same-named layers
//   .geojson  the main table as features
//   other     a directory: <name>.csv per table and summary.json
// Empty output: the main table as CSV on standard output. Returns the paths written.
std::vector<std::string> write_result(const Result& result, const std::string& output);

}  // namespace agglo::api
