#pragma once
// The arguments data_match and converges share: table, key, where, chunk_size, max_report, source, destination.
#include <string>
#include <vector>

#include "plugins/step_type.hpp"
#include "plugins/table_diff.hpp"

namespace tc::plugins::checks {

/// The keys both checks accept (converges adds timeout and every).
std::vector<std::string> diff_arg_keys();
/// Static checks of those keys.
void validate_diff_args(const Json& args, std::vector<StepType::Issue>& out);
/// The comparison options from resolved arguments (throws StepError on bad values).
DiffOptions diff_options(const Json& args);
/// "data_match users by id where ..." for plans and logs.
std::string describe_diff(const std::string& type, const Json& args);

}  // namespace tc::plugins::checks
