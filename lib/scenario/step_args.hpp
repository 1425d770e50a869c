#pragma once
// Checks step arguments against the step types' declarations (scenario/step_decl.hpp) handed to the loader.
#include <string>
#include <vector>

#include "scenario/load_context.hpp"

namespace tc::scenario::detail {

/// The declaration of `type` among the load's, or nullptr (a plugin type without one accepts any argument).
const StepDecl* find_decl(const LoadContext& ctx, const std::string& type);

/// Checks the argument of a step of `type` at `ptr` against its declaration.
void check_step_args(LoadContext& ctx, const std::string& type, const Json& args, const std::string& ptr);

/// Connection names an argument refers to (sql.connection, rows_match.source, ...), as pointers.
std::vector<std::string> connection_refs(const LoadContext& ctx, const std::string& type, const Json& args,
                                         const std::string& ptr);

}  // namespace tc::scenario::detail
