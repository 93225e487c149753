// agglo::api — the JSON codec of the registry: what the HTTP server (apps/server) and the
// report speak. Every function here is derived from the same Operation and OptionSpec
// descriptions that generate the CLI's flags, so a JSON request and a command line that name
// the same options are accepted or refused identically.
//
// Public header: no third-party types; JSON travels as serialised text.
#pragma once

#include <string>
#include <vector>

#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"

namespace agglo::api {

// {"operations": [{"name", "summary", "description", "examples", "output",
//   "options": [{"name", "type", "doc", "default", "required", "choices", "min", "max"}]}]}
// for every operation of `registry` except those named in `hidden`.
std::string schema_json(const Registry& registry, const std::vector<std::string>& hidden = {});

// The options object of a request ({"employment": "employment.csv", "top": 25,
// "summary": ["regions", "industries"], "directed": true}) as the text ParamMap the
// operations parse. Numbers keep their JSON spelling, booleans become "true"/"false" (false
// drops a flag), arrays are joined with commas. Names and values are checked against the
// operation's OptionSpecs now — unknown option, missing required option, a value that is not
// a number or not one of the choices — so a bad request is refused before it is queued.
// Throws agglo::Error (usage) naming the option.
core::ParamMap params_from_json(const Operation& op, const std::string& options_json);

// The Result as {"tables": {name: {"columns": [...], "rows": [[...], ...]}}, "summary": {...},
// "warnings": [...], "headline": "..."}; non-finite reals become null. At most `max_rows`
// rows of each table (0 = all), with "rows_total" telling how many there are.
std::string result_json(const Result& result, std::size_t max_rows = 0);

// {"error": {"code": 101, "kind": "usage", "message": "...", "hint": "..."}} for an Error.
std::string error_json(const Error& e);
std::string error_json(int code, const std::string& kind, const std::string& message);
const char* kind_name(ErrorKind kind);
// An option type's name in the schema ("text", "path", "integer", "real", "boolean", "list");
// the Python module's option descriptions use the same names.
const char* option_type_name(core::OptionType type);

// The command line and the Python call that reproduce a run ("reproduce this"):
//   agglo cluster-map --employment employment.csv --clusters industries.csv
//   agglo.cluster_map(employment="employment.csv", clusters="industries.csv")
std::string command_line(const std::string& operation, const core::ParamMap& params);
std::string python_call(const std::string& operation, const core::ParamMap& params);

}  // namespace agglo::api
