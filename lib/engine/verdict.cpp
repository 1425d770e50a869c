#include "engine/verdict.hpp"

#include <string>
#include <vector>

namespace tc::engine {

using report::Status;
using report::Verdict;

void decide_verdict(report::RunResult& r, bool interrupted) {
  std::string error, fail;
  std::vector<std::string> also_failed;  // the other failures, by name: one reason line shows them all
  int pending = 0, checks = 0;
  for (const auto& s : r.steps) {
    std::string where = s.phase + " " + std::to_string(s.index) + " (" + s.name + ")";
    if (s.phase == "checks") ++checks;
    if (s.status == Status::Pending && !s.background) ++pending;
    if (s.status == Status::Error && error.empty()) error = where + ": " + s.message;
    if (s.status == Status::Failed) {
      // A failed precondition or cleanup means the run itself could not be carried out as written.
      if ((s.phase == "preconditions" || s.phase == "cleanup") && error.empty())
        error = where + ": " + s.message;
      else if (fail.empty())
        fail = where + ": " + s.message;
      else
        also_failed.push_back(s.name);
    }
  }
  if (interrupted) {
    r.verdict = Verdict::Error;
    r.verdict_reason = "interrupted by a signal; cleanup was run";
  } else if (!error.empty()) {
    r.verdict = Verdict::Error;
    r.verdict_reason = error;
  } else if (!fail.empty()) {
    r.verdict = Verdict::Fail;
    r.verdict_reason = fail;
    if (!also_failed.empty()) {
      r.verdict_reason += "; also failed: ";
      for (size_t i = 0; i < also_failed.size() && i < 6; ++i) r.verdict_reason += (i ? ", " : "") + also_failed[i];
      if (also_failed.size() > 6) r.verdict_reason += ", ... (" + std::to_string(also_failed.size()) + " in all)";
    }
  } else if (pending > 0) {
    r.verdict = Verdict::Error;
    r.verdict_reason = std::to_string(pending) + " manual step(s) are pending a tester's answer";
  } else if (checks == 0) {
    // Nothing was verified, so nothing can be said to pass.
    r.verdict = Verdict::Error;
    r.verdict_reason = "the scenario has no checks: nothing was verified";
  } else {
    r.verdict = Verdict::Pass;
    r.verdict_reason = "every check held";
  }
}

int exit_code_for(const std::vector<report::RunResult>& runs) {
  int code = 0;
  for (const auto& r : runs) {
    if (r.verdict == Verdict::Error) return 2;
    if (r.verdict == Verdict::Fail) code = 1;
  }
  return code;
}

}  // namespace tc::engine
