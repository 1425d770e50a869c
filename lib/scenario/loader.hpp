#pragma once
// YAML scenario files to the typed model. The only place in tc-run that reads YAML.
#include <string>
#include <string_view>
#include <vector>

#include "scenario/model.hpp"

namespace tc::scenario {

/// What the loader must know from outside: the step types the registry offers.
struct LoadOptions {
  std::vector<std::string> step_types;    // action keys accepted in steps (toolkit, sql, wait, ...); empty = all the
                                          // types the format defines
  std::vector<std::string> check_types;   // subset that are checks (rows_match, ...)
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
