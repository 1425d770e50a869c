#pragma once
// The scenario format as JSON Schema 2020-12, generated from the step types' declarations and the target names
// (`tc-run schema`; schemas/scenario.schema.json is its output), and the step reference of docs/scenario-format.md.
#include <string>
#include <vector>

#include "scenario/step_decl.hpp"
#include "util/json.hpp"

namespace tc::scenario {

/// The whole schema: the fixed parts of the format plus one property per declared step type and the targets' names.
Json scenario_schema(const std::vector<StepDecl>& steps, const std::vector<std::string>& targets);

/// The schema as the committed file holds it (two-space indent, sorted keys, a final newline).
std::string scenario_schema_text(const std::vector<StepDecl>& steps, const std::vector<std::string>& targets);

/// A markdown table of output keys (output | type | meaning).
std::string outputs_table(const std::vector<OutputDecl>& outputs);

/// The step reference in markdown: per step type its summary, forms, argument keys and outputs.
std::string step_reference(const std::vector<StepDecl>& steps);

}  // namespace tc::scenario
