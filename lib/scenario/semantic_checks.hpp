#pragma once
// Checks that need the whole scenario: ${...} names, unique step ids, stop targets, connection names.
#include "scenario/load_context.hpp"
#include "scenario/model.hpp"

namespace tc::scenario::detail {

/// Names a ${...} may use without being defined by the scenario.
const std::vector<std::string>& builtin_variables();

/// Every ${...} in the document (except metadata prose) must name a var, matrix axis, capture or built-in.
void check_variables(LoadContext& ctx, const Json& root, const Scenario& sc);
/// Step ids unique; `stop:` names a background step; connection names are defined.
void check_references(LoadContext& ctx, const Scenario& sc);

/// Every step of the scenario with where it sits, including wait conditions.
std::vector<const Step*> all_steps(const Scenario& sc);

}  // namespace tc::scenario::detail
