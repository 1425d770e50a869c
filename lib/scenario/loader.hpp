#pragma once
// YAML scenario files to the typed model. The only place in tc-run that reads YAML.
#include <string>
#include <string_view>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/step_decl.hpp"

namespace tc::scenario {

/// What the loader must know from outside, handed over by the layer that owns the plugins and targets.
struct LoadOptions {
  std::vector<StepDecl> steps;            // the step types accepted as action keys, with their argument shapes
  std::vector<std::string> target_types;  // names `target:` accepts (the targets registry's); empty = any
};

/// Loads and validates one file; throws LoadError carrying every problem found.
Scenario load_file(const std::string& path, const LoadOptions& opts);
/// Same, from text; `name` is used as the file name in messages.
Scenario load_string(std::string_view text, const std::string& name, const LoadOptions& opts);
/// True when the file is a YAML map with top-level `id` and `steps` (what a folder run picks up; answers files and
/// other YAML are not scenarios). Never throws.
bool looks_like_scenario(const std::string& path);
/// Scenario ids must be unique across files (`tc-run validate` over many files); one diagnostic per repeat.
std::vector<Diagnostic> check_unique_ids(const std::vector<Scenario>& scenarios);

}  // namespace tc::scenario
