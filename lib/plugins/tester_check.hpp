#pragma once
// Data checks on a destination tc-run cannot read (a dashboard target without a destination DSN): the tester looks.
#include <string>

#include "plugins/step_type.hpp"

namespace tc::plugins::checks {

/// Asks the tester `question` (keyed by the step's id or name, like a manual step) and turns the answer into the
/// check's outcome: FAIL when they say so, PENDING when nobody answers. `facts` (what tc-run measured on the
/// source) are kept in the output so the log shows what the tester compared against.
Outcome ask_tester_instead(StepContext& ctx, const std::string& question, Json facts);

/// The outputs a tester's answer gives a data check (asked_tester, answered, verdict, observation, operator).
std::vector<scenario::OutputDecl> tester_outputs();

/// Rows of `table` (optionally filtered) on the named source connection, for the question's figures.
long long source_row_count(StepContext& ctx, const std::string& table, const std::string& where,
                           const std::string& source_name);

/// The pipeline tool's name as the question should say it ("Hevo").
std::string tool_name(StepContext& ctx);

}  // namespace tc::plugins::checks
