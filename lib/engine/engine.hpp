#pragma once
// Runs scenarios: preconditions, steps, checks, cleanup (always), per variant; produces result models.
#include <chrono>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "result/result.hpp"
#include "scenario/loader.hpp"
#include "scenario/model.hpp"

namespace tc::engine {

/// How to run (from the tc-run command line).
struct RunOptions {
  std::vector<std::pair<std::string, std::string>> vars;  // --var k=v
  std::string variant;                                    // --variant NAME ("" = all)
  std::string reports_dir = "reports";
  std::string tester;        // --tester ("" = the user name)
  std::string target;        // --target override ("" = the scenario's)
  std::string source;        // --source override
  std::string answers_file;  // --answers
  std::string append_to;     // --append-to FILE.md
  std::string state_dir;     // --state-dir ("" = toolkit default)
  std::string shard;         // "I/N": recorded in each result so `tc-run merge` can tell a missing shard
  bool interactive = false;  // a tester is at a terminal
  bool recover = false;      // --recover: undo leftover faults before starting
  bool quiet = false;
  std::chrono::milliseconds lock_wait{0};  // --lock-wait: how long to wait for another run on the same state dir
};

/// Every variant's result and the process exit code (0 all pass, 1 a check failed, 2 a run could not be carried out).
struct RunSummary {
  std::vector<report::RunResult> runs;
  int exit_code = 0;
};

/// What the loader must know, from the registries: the step types' declarations and the target names.
scenario::LoadOptions load_options();
/// Loads with load_options().
scenario::Scenario load_scenario(const std::string& path);
/// Loads and validates every step's argument against its plugin, and every variant's toolkit lines (resolved with
/// `opts`' --var and --target) with the toolkit's own parser; throws scenario::LoadError with all problems.
scenario::Scenario load_and_validate(const std::string& path, const RunOptions& opts = {});

/// What the caller does around each variant: the engine produces results, the runner writes them (report files,
/// --append-to) and keeps the crash note armed. Every hook is optional.
struct RunHooks {
  std::function<void(const report::RunResult&)> started;   // the run folder exists; id, variant, tester are known
  std::function<void(const std::string&)> step;            // a step (its label) starts
  std::function<void(const report::RunResult&)> finished;  // the variant's result is complete
};

RunSummary run_scenario(const scenario::Scenario& sc, const RunOptions& opts, std::ostream& progress,
                        const RunHooks& hooks = {});

/// The plan: every variant's steps fully resolved, secrets masked (text for the terminal).
std::string render_plan(const scenario::Scenario& sc, const RunOptions& opts);

/// Installs SIGINT/SIGTERM handling: the first signal stops the running step and goes to cleanup;
/// further signals during cleanup are refused with a message.
void install_signal_handlers();

}  // namespace tc::engine
