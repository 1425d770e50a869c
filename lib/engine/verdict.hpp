#pragma once
// From step results to PASS / FAIL / ERROR, with the reason a reviewer reads first.
#include "result/result.hpp"

namespace tc::engine {

/// Decides the verdict of a finished run and fills result.verdict / verdict_reason.
void decide_verdict(report::RunResult& result, bool interrupted);

/// 0 when every run passed, 1 when any failed, 2 when any could not be carried out.
int exit_code_for(const std::vector<report::RunResult>& runs);

}  // namespace tc::engine
