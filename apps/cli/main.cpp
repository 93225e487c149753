// The agglo command-line program: a thin front end over the api registry.
//
// parse flags → ParamMap → Registry operation → Result → render. No algorithm lives here:
// every subcommand, flag and help text is generated from the operations' option
// descriptions, so the CLI, the Python module and the HTTP server cannot drift apart.
//
// Exit codes: 0 success, 2 usage error, 3 invalid input data, 4 I/O error, 5 internal error,
// 130 cancelled (Ctrl-C). Errors print one line "agglo: error: FILE:LINE:COL: what (hint)".
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

#include "agglo/api/operation.hpp"
#include "agglo/core/error.hpp"
#include "agglo/parallel/cancel.hpp"
#include "agglo/parallel/mpi.hpp"
#include "agglo/parallel/progress.hpp"
#ifdef AGGLO_HAVE_SERVER
#include "server.hpp"
#endif

namespace {

using agglo::api::Operation;
using agglo::api::Registry;

struct Globals {
  int threads = 0;
  std::uint64_t seed = agglo::core::Stream::default_seed;
  std::string progress = "auto";
  bool quiet = false;
  bool no_names = false;
  bool timings = false;
  std::string output;
};

// One generated subcommand: its CLI11 app and the string slots its options fill.
struct Command {
  const Operation* op;
  CLI::App* app;
  std::map<std::string, std::string> values;
  std::map<std::string, bool> flags;
};

// Edit distance (Levenshtein) between two short words, for "did you mean".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// The closest of `names` to `word`: within two edits (one for short words), or the only
// name that `word` is a prefix of. Empty when nothing is close.
std::string closest(const std::string& word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = word.size() <= 4 ? 1 : 2;
  bool found = false;
  for (const auto& n : names) {
    const auto d = edit_distance(word, n);
    if (d <= best_d && (!found || d < best_d)) {
      best = n;
      best_d = d;
      found = true;
    }
  }
  if (found) return best;
  std::string prefix_of;
  int count = 0;
  for (const auto& n : names)
    if (n.size() > word.size() && n.compare(0, word.size(), word) == 0) {
      prefix_of = n;
      ++count;
    }
  return count == 1 && word.size() >= 3 ? prefix_of : std::string();
}

bool takes_global_value(const std::string& a) {
  return a == "--threads" || a == "--seed" || a == "--progress" || a == "-o" || a == "--output";
}

// After CLI11 refused the command line: name the unknown command, subcommand or option and
// suggest the closest known one. Returns true when it printed a message.
bool explain_parse_error(CLI::App& app, int argc, char** argv) {
  CLI::App* cur = &app;
  std::string path;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.empty()) continue;
    if (a[0] == '-') {
      if (takes_global_value(a)) {
        ++i;
        continue;
      }
      if (a.rfind("--", 0) != 0 || a == "--help" || a == "--version") continue;
      const std::string name = a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2);
      // Known to the current command or to the program?
      bool known = false;
      std::vector<std::string> names;
      for (CLI::App* scope : {cur, &app}) {
        for (const auto* o : scope->get_options()) {
          for (const auto& ln : o->get_lnames()) {
            names.push_back(ln);
            known = known || ln == name;
          }
        }
      }
      if (known) {
        // Skip its value unless it is a flag.
        const CLI::Option* opt = nullptr;
        for (CLI::App* scope : {cur, &app})
          if (!opt) opt = scope->get_option_no_throw("--" + name);
        // (A flag expects no item; CLI11 2.1 reports type size 1 for flags too, so ask for items.)
        if (opt && opt->get_items_expected_max() != 0 && a.find('=') == std::string::npos) ++i;
        continue;
      }
      const auto near = closest(name, names);
      std::fprintf(stderr, "agglo: error: %s has no option --%s%s (see agglo %s--help)\n",
                   path.empty() ? "agglo" : ("'agglo " + path + "'").c_str(), name.c_str(),
                   near.empty() ? "" : ("; did you mean --" + near + "?").c_str(), path.empty() ? "" : (path + " ").c_str());
      return true;
    }
    // A word: the next subcommand, when the current command has subcommands.
    const auto subs = cur->get_subcommands([](CLI::App*) { return true; });
    if (subs.empty()) continue;  // a positional value of the command
    CLI::App* next = nullptr;
    std::vector<std::string> names;
    for (auto* sc : subs) {
      names.push_back(sc->get_name());
      if (sc->get_name() == a) next = sc;
    }
    if (!next) {
      const auto near = closest(a, names);
      std::string list;
      for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
      std::fprintf(stderr, "agglo: error: unknown %s '%s'%s (%s: %s; see agglo %s--help)\n",
                   path.empty() ? "command" : "subcommand", a.c_str(),
                   near.empty() ? "" : ("; did you mean '" + (path.empty() ? "" : path + " ") + near + "'?").c_str(),
                   path.empty() ? "commands" : ("'" + path + "' subcommands").c_str(), list.c_str(),
                   path.empty() ? "" : (path + " ").c_str());
      return true;
    }
    cur = next;
    path += (path.empty() ? "" : " ") + a;
  }
  // A command group given without its subcommand ("agglo survey").
  const auto subs = cur->get_subcommands([](CLI::App*) { return true; });
  if (cur != &app && !subs.empty()) {
    std::string list;
    for (auto* sc : subs) list += (list.empty() ? "" : ", ") + sc->get_name();
    std::fprintf(stderr, "agglo: error: 'agglo %s' needs a subcommand: %s (see agglo %s --help)\n", path.c_str(),
                 list.c_str(), path.c_str());
    return true;
  }
  return false;
}

// The line printed after a run: the operation's headline, or what was written.
std::string result_line(const Operation& op, const agglo::api::Result& r, const std::string& output) {
  if (!r.headline.empty()) return fmt::format("agglo {}: {}", op.name, r.headline);
  // An operation that printed its own report (validate, survey tables) needs no second line.
  if (r.tables.empty() || !r.text.empty()) return {};
  std::string parts;
  for (std::size_t i = 0; i < r.tables.size() && i < 4; ++i)
    parts += fmt::format("{}{} {} row{}", i ? ", " : "", r.tables[i].first, r.tables[i].second.rows(),
                         r.tables[i].second.rows() == 1 ? "" : "s");
  if (r.tables.size() > 4) parts += fmt::format(" and {} more table(s)", r.tables.size() - 4);
  return fmt::format("agglo {}: {}{}", op.name, parts, output.empty() || output == "-" ? "" : " → " + output);
}

std::string help_footer(const Operation& op) {
  std::string s;
  if (!op.description.empty()) s += "\n" + op.description + "\n";
  if (!op.output_doc.empty()) s += "\nOutput (-o): " + op.output_doc + "\n";
  if (!op.examples.empty()) {
    s += "\nExamples:\n";
    for (const auto& e : op.examples) s += "  " + e + "\n";
  }
  s += "\nGlobal flags (see 'agglo --help'): --threads N, --seed S, --progress auto|always|never, "
       "--quiet, --no-names, --timings, -o/--output PATH.\n";
  bool inputs = false;
  for (const auto& o : op.options) inputs = inputs || o.name == "columns";
  if (inputs)
    s += "Inputs: CSV (any of , ; tab |, gzip-compressed or not), any GDAL vector source with --layer, public "
         "layouts (--layout cbp|qcew|atlas|oec, recognised by their header) and other column names with "
         "--columns NAME=SOURCE; see docs/input-formats.md.\n";
  return s;
}

void add_global_flags(CLI::App& app, Globals& g) {
  app.add_option("--threads", g.threads, "worker threads (0 = all cores)")->check(CLI::Range(0, 4096));
  app.add_option("--seed", g.seed, "seed of every random stream; results are reproducible");
  app.add_option("--progress", g.progress, "progress bar on stderr: auto (when a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  app.add_flag("-q,--quiet", g.quiet, "print nothing but errors");
  app.add_flag("--no-names", g.no_names, "no <code>_name columns beside industry, product, country and county codes");
  app.add_flag("--timings", g.timings,
               "add phase timings (\"seconds\") to summary.json (off: identical runs give identical files)");
  app.add_option("-o,--output", g.output,
                 "output path; the format follows the extension: .csv .json .gpkg .geojson, or a directory");
}

}  // namespace

int main(int argc, char** argv) {
  // Under mpirun (and built with MPI) this opens MPI until main returns; otherwise a no-op.
  // Every rank parses the same command line; `agglo simulate` deals its runs to the ranks.
  agglo::parallel::mpi::Session mpi_session(argc, argv);
  agglo::parallel::install_signal_handlers();
  Globals g;
  CLI::App app{"agglo — industrial cluster intelligence: detect clusters of related industries and "
               "firms, measure their strength, find new industries a region can enter, analyse "
               "cluster networks, test cluster effects on firms, simulate critical mass."};
  app.set_version_flag("--version", std::string("agglo ") + AGGLO_VERSION_STRING);
  app.require_subcommand(1);
  app.footer("\nRun 'agglo COMMAND --help' for a command's options and examples.\n"
             "Exit codes: 0 ok, 2 usage, 3 invalid input data, 4 I/O error, 5 internal error, 130 cancelled.");
  add_global_flags(app, g);
  app.fallthrough();

#ifdef AGGLO_HAVE_SERVER
  // `agglo serve` is a front end of its own (apps/server), added beside the engine's operations.
  agglo::server::register_serve_operation(Registry::global());
#endif
  const auto& registry = Registry::global();
  std::vector<std::unique_ptr<Command>> commands;
  std::map<std::string, CLI::App*> groups;  // "survey" for "survey diamond"
  for (const auto& op : registry.all()) {
    auto cmd = std::make_unique<Command>();
    cmd->op = &op;
    CLI::App* parent = &app;
    std::string leaf = op.name;
    if (auto sp = op.name.find(' '); sp != std::string::npos) {
      const auto group = op.name.substr(0, sp);
      leaf = op.name.substr(sp + 1);
      if (!groups.count(group)) {
        groups[group] = app.add_subcommand(group, group + " commands");
        groups[group]->require_subcommand(1);
        groups[group]->fallthrough();
      }
      parent = groups[group];
    }
    cmd->app = parent->add_subcommand(leaf, op.summary);
    cmd->app->footer(help_footer(op));
    for (const auto& spec : op.options) {
      std::string doc = spec.doc;
      if (!spec.choices.empty()) doc += fmt::format(" [{}]", fmt::join(spec.choices, ", "));
      if (spec.type == agglo::core::OptionType::boolean) {
        cmd->flags[spec.name] = false;
        cmd->app->add_flag("--" + spec.name, cmd->flags[spec.name], doc);
        continue;
      }
      auto* opt = cmd->app->add_option("--" + spec.name, cmd->values[spec.name], doc);
      opt->type_name(spec.placeholder());
      // A default with spaces is quoted in the help ("--title TEXT=\"agglo report\""), so that
      // it cannot be read as the start of the option's sentence.
      if (!spec.default_text.empty())
        opt->default_str(spec.default_text.find(' ') == std::string::npos ? spec.default_text
                                                                          : "\"" + spec.default_text + "\"");
      if (spec.required) opt->required();
      // A list may be given as one comma-separated value or by repeating the option
      // (--param sigma=5 --param mu=0.4): occurrences are joined with commas.
      if (spec.type == agglo::core::OptionType::list)
        opt->multi_option_policy(CLI::MultiOptionPolicy::Join)->delimiter(',');
    }
    commands.push_back(std::move(cmd));
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0 in CLI11.
    if (e.get_exit_code() == 0) return app.exit(e);
    // Name an unknown command, subcommand or option (with the closest known one) instead of
    // CLI11's generic "a subcommand is required" or "arguments were not expected".
    if (explain_parse_error(app, argc, argv)) return agglo::exit_code(agglo::ErrorKind::usage);
    std::fprintf(stderr, "agglo: error: %s (see --help)\n", e.what());
    return agglo::exit_code(agglo::ErrorKind::usage);
  }

  agglo::parallel::set_progress_mode(g.quiet || g.progress == "never" ? agglo::parallel::ProgressMode::never
                                     : g.progress == "always"         ? agglo::parallel::ProgressMode::always
                                                                      : agglo::parallel::ProgressMode::automatic);
  std::optional<tbb::global_control> threads;
  if (g.threads > 0) threads.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(g.threads));

  for (auto& cmd : commands) {
    if (!cmd->app->parsed()) continue;
    agglo::core::ParamMap params;
    for (const auto& spec : cmd->op->options) {
      if (spec.type == agglo::core::OptionType::boolean) {
        if (cmd->flags[spec.name]) params[spec.name] = "true";
      } else if (cmd->app->count("--" + spec.name) > 0) {
        params[spec.name] = cmd->values[spec.name];
      }
    }
    agglo::api::Context ctx;
    ctx.seed = g.seed;
    ctx.threads = g.threads;
    ctx.quiet = g.quiet;
    ctx.names = !g.no_names;
    ctx.timings = g.timings;
    ctx.output = g.output;
    ctx.note = [&](const std::string& msg) {
      if (!g.quiet) std::fprintf(stderr, "%s\n", msg.c_str());
    };
    try {
      auto result = cmd->op->run(params, ctx);
      if (!result.output_written && (!ctx.output.empty() || result.text.empty()))
        agglo::api::write_result(result, ctx.output);
      if (!g.quiet && !result.text.empty()) std::fputs(result.text.c_str(), stdout);
      std::fflush(stdout);  // the result first, then the notes on stderr
      if (!g.quiet)
        for (const auto& w : result.warnings) std::fprintf(stderr, "agglo: warning: %s\n", w.c_str());
      // One line that says what the run did, on stderr so that stdout stays the result.
      if (!g.quiet)
        if (const auto line = result_line(*cmd->op, result, ctx.output); !line.empty())
          std::fprintf(stderr, "%s\n", line.c_str());
      std::fflush(stdout);
      return result.exit_code;
    } catch (const agglo::Error& e) {
      std::fflush(stdout);
      std::fprintf(stderr, "agglo: %s: %s\n",
                   e.kind() == agglo::ErrorKind::cancelled ? "cancelled" : "error", e.what());
      return agglo::exit_code(e.kind());
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "agglo: error: out of memory\n");
      return agglo::exit_code(agglo::ErrorKind::internal);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "agglo: internal error: %s (please report this as a bug)\n", e.what());
      return agglo::exit_code(agglo::ErrorKind::internal);
    }
  }
  return agglo::exit_code(agglo::ErrorKind::usage);
}
