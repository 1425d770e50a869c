#pragma once
// The toolkit's one entry point: a command line in the testers' words ("network --down --type reject").
// Both front ends call this: the `toolkit` executable and the `toolkit:` step plugin. The CLI layer: it sits above
// the sandbox, faults, proxy, daemon, datagen and targets folders and drives them.
#include <iosfwd>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "daemon/source.hpp"
#include "sandbox/config.hpp"
#include "scenario/step_decl.hpp"
#include "util/json.hpp"

namespace tc::toolkit {

/// What one command did: its exit code, a structured output (positions, GTIDs, counts, timings) and text.
/// Whether a command changed the faults in force: the tc-run timeline shows fault.applied / fault.undone from it.
enum class FaultChange { none, applied, undone };

/// What one toolkit command did: its exit code, its JSON document, its text.
struct CommandResult {
  int exit_code = 0;
  Json output = Json::object();
  std::string text;  // what the CLI prints (already written to `out` as it went)
  FaultChange fault = FaultChange::none;
};

/// Runs one toolkit command (argv without the program name). Long-running commands
/// (generate-data --interval, monitor --watch) stop when `stop` is requested.
/// Errors are reported as exit_code != 0 with a message in text; it never throws for bad input.
CommandResult run_command(const std::vector<std::string>& argv, const Config& cfg, std::ostream& out,
                          std::stop_token stop = {});

/// Parses a command line exactly as run_command would, running nothing: "" when it is valid, else what is wrong
/// (unknown command or option, a bad option value) with a did-you-mean. `validate` and `plan` use it.
std::string check_command(const std::vector<std::string>& argv);

/// The output keys of the command `argv` names, when it declares them (status, monitor, generate-data): what a
/// `toolkit:` step's capture, observe and expect may name. nullopt: not declared (checked when the step runs).
std::optional<std::vector<scenario::OutputDecl>> command_outputs(const std::vector<std::string>& argv);
/// Every command that declares its outputs, with them, in the registry's order (for the generated docs).
std::vector<std::pair<std::string, std::vector<scenario::OutputDecl>>> declared_command_outputs();

/// Undoes every fault the ledger still lists (`network --up`, then `restore --all`), printing to `out`;
/// returns the kinds of the faults that are still outstanding afterwards (empty = recovered).
std::vector<std::string> recover_leftovers(const Config& cfg, std::ostream& out);

}  // namespace tc::toolkit
