#pragma once
// Checks a step's capture, observe and expect paths against the outputs it declares: a value that does not exist
// can never be compared or recorded, so a misspelt path is an error at validate time, not an ERROR mid-run.
#include <functional>
#include <string>
#include <vector>

#include "scenario/diagnostic.hpp"
#include "scenario/model.hpp"
#include "scenario/step_decl.hpp"

namespace tc::scenario {

/// One problem per path of `s` that `outputs` does not give (`elapsed` is every step's; sub-paths are allowed
/// under maps and lists; `last.x` of a polling step is checked against its condition's declaration, found with
/// `decl_of`), and per numeric comparison of a true/false, list or map output. `what` names the step's action in
/// messages, quoted as it should appear ("'sql'", "'toolkit status'").
std::vector<Diagnostic> output_path_problems(const std::string& what, const std::vector<OutputDecl>& outputs,
                                             const Step& s,
                                             const std::function<const StepDecl*(const std::string&)>& decl_of);

}  // namespace tc::scenario
