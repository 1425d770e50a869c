#pragma once
// Builds a variant's variable scope: vars, --var overrides, matrix values, built-ins; secrets marked.
#include "engine/run_state.hpp"

namespace tc::engine {

/// Fills st.vars for st.variant. Throws scenario::UndefinedVariable / std::invalid_argument on bad values.
void build_variables(RunState& st);

/// The same scope without a run (for `tc-run plan`).
scenario::Vars variables_for(const scenario::Scenario& sc, const scenario::Variant& v, const RunOptions& opts,
                             const std::string& run_dir);

}  // namespace tc::engine
