#pragma once
// The argument shapes of the step types the scenario format defines (toolkit, sql, http, checks, ...).
#include <string>
#include <vector>

#include "scenario/load_context.hpp"

namespace tc::scenario::detail {

/// Every step type the format defines, in documentation order, and the subset that are checks.
const std::vector<std::string>& builtin_step_types();
const std::vector<std::string>& builtin_check_types();

/// Checks the argument of a step of `type` at `ptr` against the format. Types the format does not
/// define (added by a plugin) accept any argument; their plugin validates it.
void check_step_args(LoadContext& ctx, const std::string& type, const Json& args, const std::string& ptr);

/// Connection names an argument refers to (sql.connection, rows_match.source, ...), as pointers.
std::vector<std::string> connection_refs(const std::string& type, const Json& args, const std::string& ptr);

}  // namespace tc::scenario::detail
