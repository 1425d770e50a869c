#pragma once
// A short execution log written from a fatal-signal handler (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT), so a run
// that dies between a fault and its cleanup still leaves a verdict (ERROR), the step it died in, and how to undo
// what it applied (`tc-run recover`, from the fault ledger) instead of nothing.
#include <string>

#include "result/result.hpp"

namespace tc::cli {

/// The handler's state: everything is formatted before the crash, because a signal handler may only write(2).
class CrashNote {
 public:
  /// Installs the handlers once (on an alternate stack, so a stack overflow is caught too).
  static void install();
  /// From now on a crash writes `run_dir`/execution-log.md and result.json for this run.
  /// `run` is the run as far as it is known (id, variant, tester, run_dir); `state_dir` is where its ledger is.
  static void arm(const report::RunResult& run, const std::string& state_dir);
  /// The step in flight (its label), shown in the note; cheap, called at each step start.
  static void step(const std::string& label);
  /// The run's own files are written: a crash no longer replaces them.
  static void disarm();
};

}  // namespace tc::cli
