#pragma once
// The toolkit's one entry point: a command line in the testers' words ("network --down --type reject").
// Both front ends call this: the `toolkit` executable and the `toolkit:` step plugin.
#include <iosfwd>
#include <stop_token>
#include <string>
#include <vector>

#include "db/dsn.hpp"
#include "util/json.hpp"

namespace tc::toolkit {

/// Where the toolkit keeps its state, and which source it works on.
struct Config {
  std::string state_dir;  // "" -> $TC_STATE_DIR or $XDG_STATE_HOME/tc-run or ~/.local/state/tc-run
  std::string source;     // "" or "sandbox" -> the embedded sandbox; else a DSN
  bool json = false;      // print JSON instead of text
  /// Servers (server_uuid or hostname, optionally hostname:port) destructive faults may touch besides the
  /// sandbox: the scenario's allow_destructive, --allow-destructive; $TC_ALLOW_DESTRUCTIVE adds to it.
  std::vector<std::string> allow_destructive;
  /// The state directory after applying the defaults above.
  std::string resolved_state_dir() const;
  /// True when the source is the embedded sandbox (which tc-run owns).
  bool sandbox() const { return source.empty() || source == "sandbox"; }
};

/// What one command did: its exit code, a structured output (positions, GTIDs, counts, timings) and text.
struct CommandResult {
  int exit_code = 0;
  Json output = Json::object();
  std::string text;  // what the CLI prints (already written to `out` as it went)
};

/// Runs one toolkit command (argv without the program name). Long-running commands
/// (generate-data --interval, monitor --watch) stop when `stop` is requested.
/// Errors are reported as exit_code != 0 with a message in text; it never throws for bad input.
CommandResult run_command(const std::vector<std::string>& argv, const Config& cfg, std::ostream& out,
                          std::stop_token stop = {});

/// Parses a command line exactly as run_command would, running nothing: "" when it is valid, else what is wrong
/// (unknown command or option, a bad option value) with a did-you-mean. `validate` and `plan` use it.
std::string check_command(const std::vector<std::string>& argv);

/// The source as tc-run reaches it. `direct`: the server itself (admin work, checks, data generation);
/// otherwise the address pipelines use (through the fault proxy). Throws std::runtime_error when it is not up.
db::Dsn source_dsn(const Config& cfg, bool direct = true);

/// Makes the source usable: for the sandbox, starts the server and the toolkit daemon if they are not up.
/// Returns a one-line description of what it did ("sandbox already up on 127.0.0.1:P", "started ... in 0.41 s").
std::string ensure_source(const Config& cfg);

/// Undoes every fault the ledger still lists (`network --up`, then `restore --all`), printing to `out`;
/// returns the kinds of the faults that are still outstanding afterwards (empty = recovered).
std::vector<std::string> recover_leftovers(const Config& cfg, std::ostream& out);

}  // namespace tc::toolkit
