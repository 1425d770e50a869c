#pragma once
// Mapping what a tool says ("Active", "broken", "SYNCING") to the pipeline states test cases use.
#include <optional>
#include <string>
#include <vector>

#include "util/json.hpp"

namespace tc::targets {

/// The states a PipelineStatus may carry.
const std::vector<std::string>& state_words();
bool is_state_word(const std::string& word);

/// A JSON value as the text a mapping is keyed by: strings as-is, true/false, numbers, "null".
std::string value_text(const Json& v);

/// Looks `value` up in `map` (object tool-word -> state), case-insensitively; nullopt when absent.
std::optional<std::string> map_state(const Json& map, const std::string& value);

/// Throws std::invalid_argument (naming `where`) unless `map` is an object whose values are state words.
void check_state_map(const Json& map, const std::string& where);

}  // namespace tc::targets
