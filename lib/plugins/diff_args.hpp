#pragma once
// The arguments data_match and converges share: table, key, where, chunk_size, max_report, source, destination.
#include <string>
#include <vector>

#include "plugins/step_type.hpp"
#include "plugins/table_diff.hpp"

namespace tc::plugins::checks {

/// The keys both checks accept, declared once (converges adds timeout and every).
std::vector<scenario::ArgField> diff_arg_fields();
/// What a table comparison returns (DiffReport::to_json), plus what a tester's answer gives instead.
std::vector<scenario::OutputDecl> diff_outputs();
/// The comparison options from resolved arguments (throws StepError on bad values).
DiffOptions diff_options(const Json& args);
/// "data_match users by id where ..." for plans and logs.
std::string describe_diff(const std::string& type, const Json& args);

}  // namespace tc::plugins::checks
