#pragma once
// YAML text to the neutral JSON tree, recording where every value and key was written.
#include <optional>
#include <string_view>

#include "scenario/load_context.hpp"
#include "util/json.hpp"

namespace tc::scenario::detail {

/// Parses one YAML document into JSON (YAML 1.2 core scalars; quoted scalars stay strings).
/// Fills ctx.marks/key_marks; reports syntax errors, duplicate keys, unsupported tags and merge keys.
/// nullopt when the text cannot be turned into JSON at all.
std::optional<Json> yaml_to_json(LoadContext& ctx, std::string_view text);

/// A plain (unquoted) YAML scalar as YAML 1.2 core reads it: null, bool, int, float or string.
Json plain_scalar(const std::string& text);

}  // namespace tc::scenario::detail
