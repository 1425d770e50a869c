// The dispatcher behind run_command(): one CLI11 parser, global options, one subcommand per file.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <ostream>
#include <regex>
#include <sstream>

#include "db/connection.hpp"
#include "toolkit/command.hpp"
#include "toolkit/session.hpp"
#include "util/text.hpp"

namespace tc::toolkit {

// One line per command; each is defined in its own file (cmd_<name>.cpp or another engineer's file).
void add_up_command(CLI::App&, CommandEnv&);
void add_down_command(CLI::App&, CommandEnv&);
void add_reset_command(CLI::App&, CommandEnv&);
void add_status_command(CLI::App&, CommandEnv&);
void add_monitor_command(CLI::App&, CommandEnv&);
void add_generate_data_command(CLI::App&, CommandEnv&);
void add_corrupt_command(CLI::App&, CommandEnv&);
void add_restore_command(CLI::App&, CommandEnv&);
void add_replicate_command(CLI::App&, CommandEnv&);
void add_schema_change_command(CLI::App&, CommandEnv&);
void add_transaction_command(CLI::App&, CommandEnv&);
// Commands written elsewhere: declare and list them here.
void add_network_command(CLI::App&, CommandEnv&);
void add_pipeline_command(CLI::App&, CommandEnv&);

// Commands that declare their output keys, one line each (defined beside the command).
CommandOutputs status_outputs();
CommandOutputs monitor_outputs();
CommandOutputs generate_data_outputs();
CommandOutputs corrupt_outputs();
CommandOutputs network_outputs();
CommandOutputs pipeline_outputs();

namespace {
constexpr DeclareOutputs kOutputs[] = {status_outputs,  monitor_outputs, generate_data_outputs,
                                       corrupt_outputs, network_outputs, pipeline_outputs};

constexpr AddCommand kCommands[] = {
    add_up_command,        add_down_command,          add_reset_command,       add_status_command,
    add_monitor_command,   add_generate_data_command, add_corrupt_command,     add_restore_command,
    add_replicate_command, add_schema_change_command, add_transaction_command, add_network_command,
    add_pipeline_command,
};

void print_json(const Config& cfg, std::ostream& out, const CommandResult& r) {
  if (cfg.json) out << r.output.dump(2) << "\n" << std::flush;
}
}  // namespace

namespace {
// The one parser both run_command and check_command use: global options and every subcommand.
void build_app(CLI::App& app, Config& cfg, CommandEnv& env) {
  app.require_subcommand(1, 1);
  app.fallthrough();  // global options (--json...) may also follow the subcommand
  app.add_option("--state-dir", cfg.state_dir, "state directory (default: $TC_STATE_DIR or $XDG_STATE_HOME/tc-run)");
  app.add_option("--source", cfg.source, "'sandbox' (default) or a DSN mysql://user:pass@host:port/db");
  app.add_flag("--json", cfg.json, "print structured JSON output");
  app.add_option("--allow-destructive", cfg.allow_destructive,
                 "server_uuid or hostname of a non-sandbox server destructive faults may touch (comma-separated; "
                 "also $TC_ALLOW_DESTRUCTIVE)")
      ->delimiter(',')
      ->allow_extra_args(false);
  for (AddCommand add : kCommands) add(app, env);
}

// "rejct not in {reject,timeout,service}" -> the same with "; did you mean 'reject'?"
std::string with_hint(const std::string& message) {
  static const std::regex not_in(R"(([^\s:]+) not in \{([^}]*)\})");
  std::smatch m;
  if (!std::regex_search(message, m, not_in)) return message;
  std::string hint = closest(m[1].str(), split_on(m[2].str(), ','));
  return hint.empty() ? message : message + "; did you mean '" + hint + "'?";
}

// Unknown words: "unknown option '--cuont' for generate-data; did you mean '--count'?" (or the closest subcommand).
std::string unknown_words(CLI::App& app, const std::vector<std::string>& argv, const std::string& fallback) {
  auto subs = app.get_subcommands();
  std::vector<std::string> names;
  std::string where = subs.empty() ? "" : " for " + subs.front()->get_name();
  if (subs.empty()) {
    for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
  } else {
    for (const auto* opt : subs.front()->get_options())
      for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
  }
  for (const auto* opt : app.get_options())  // global options may follow the subcommand
    for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
  for (size_t i = subs.empty() ? 0 : 1; i < argv.size(); ++i) {
    const std::string& word = argv[i];
    if (subs.empty() ? false : word.rfind("-", 0) != 0) continue;  // option values are judged by their option
    std::string flag = word.substr(0, word.find('='));
    if (std::find(names.begin(), names.end(), flag) != names.end()) continue;
    std::string hint = closest(flag, names);
    return (subs.empty() ? "unknown toolkit command '" : "unknown option '") + flag + "'" + where +
           (hint.empty() ? "" : "; did you mean '" + hint + "'?");
  }
  return fallback;
}
}  // namespace

std::string check_command(const std::vector<std::string>& argv) {
  CommandResult result;
  Config cfg;
  std::ostringstream sink;
  CommandEnv env{cfg, sink, {}, result};
  CLI::App app{"toolkit", "toolkit"};
  build_app(app, cfg, env);
  // Parse and validate, run nothing: the root's parse-complete callback runs after every option was converted and
  // checked and before any command's callback, and ends the parse there. (Replacing the commands' callbacks would
  // free the option structs they own while CLI11 still writes into them.)
  struct ParsedOnly {};
  app.parse_complete_callback([] { throw ParsedOnly{}; });
  std::vector<std::string> args(argv.rbegin(), argv.rend());
  try {
    app.parse(args);
  } catch (const ParsedOnly&) {
    return "";
  } catch (const CLI::CallForHelp&) {
    return "";
  } catch (const CLI::ExtrasError& e) {
    return unknown_words(app, argv, e.what());
  } catch (const CLI::RequiredError& e) {
    if (app.get_subcommands().empty() && !argv.empty()) return unknown_words(app, {argv.front()}, e.what());
    return e.what();
  } catch (const CLI::ParseError& e) {
    return with_hint(e.what());
  }
  return "";
}

CommandResult run_command(const std::vector<std::string>& argv, const Config& base, std::ostream& out,
                          std::stop_token stop) {
  CommandResult result;
  Config cfg = base;
  CommandEnv env{cfg, out, stop, result};
  CLI::App app{"toolkit: inject faults and generate load on a MySQL/MariaDB source (the sandbox by default)",
               "toolkit"};
  build_app(app, cfg, env);

  // CLI11 parses a reversed argv vector.
  std::vector<std::string> args(argv.rbegin(), argv.rend());
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    std::ostringstream help;
    app.exit(e, help, help);
    result.text = help.str();
    out << result.text;
    result.exit_code = 0;
    return result;
  } catch (const CLI::ParseError& e) {
    // A usage error: CLI11's own message, exit code 2.
    std::ostringstream msg;
    msg << "error: " << e.what() << "\n";
    if (auto* sub = app.get_subcommands().empty() ? nullptr : app.get_subcommands().front())
      msg << "run 'toolkit " << sub->get_name() << " --help' for its options\n";
    else
      msg << "run 'toolkit --help' for the commands\n";
    result.text += msg.str();
    result.exit_code = 2;
    result.output = {{"error", e.what()}, {"usage", true}};
    if (cfg.json)
      print_json(cfg, out, result);
    else
      out << msg.str();
    return result;
  } catch (const std::exception& e) {
    // A command ran and failed (server down, refused, SQL error): exit code 1 with the reason.
    std::string msg = std::string("error: ") + e.what();
    result.text += msg + "\n";
    result.exit_code = 1;
    result.output["error"] = e.what();
    if (cfg.json)
      print_json(cfg, out, result);
    else
      out << msg << "\n";
    return result;
  }
  print_json(cfg, out, result);
  return result;
}

std::vector<std::pair<std::string, std::vector<scenario::OutputDecl>>> declared_command_outputs() {
  std::vector<std::pair<std::string, std::vector<scenario::OutputDecl>>> out;
  for (DeclareOutputs declare : kOutputs) {
    CommandOutputs c = declare();
    out.emplace_back(c.command, c.outputs);
  }
  return out;
}

std::optional<std::vector<scenario::OutputDecl>> command_outputs(const std::vector<std::string>& argv) {
  if (argv.empty()) return std::nullopt;
  for (DeclareOutputs declare : kOutputs) {
    CommandOutputs c = declare();
    if (c.command == argv.front()) return c.outputs;
  }
  return std::nullopt;
}

}  // namespace tc::toolkit
