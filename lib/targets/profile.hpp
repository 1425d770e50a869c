#pragma once
// Target profiles: JSON files under targets/ (targets/hevo.json...) worded for one tool, overlaid by the spec map.
#include <string>
#include <vector>

#include "util/json.hpp"

namespace tc::targets {

/// Where profile `name` would be looked for, in order: the name itself when it is a path (has '/' or ends in
/// .json), $TC_TARGETS_DIR/<name>.json, then targets/<name>.json in the working directory, the executable's
/// directory and each of their parents.
std::vector<std::string> profile_candidates(const std::string& name);

/// Reads and parses the first candidate that exists. Throws std::invalid_argument naming the places tried,
/// or the file and the JSON error when it is malformed.
Json load_profile(const std::string& name);

/// The profile with the spec map's keys laid over it (RFC 7396 merge: the spec wins, null removes a key).
Json overlay(const Json& profile, const Json& spec);

/// The values {placeholders} expand to: the profile's "defaults" plus every scalar top-level key of `config`.
Json placeholder_values(const Json& config);

/// Replaces {name} ([A-Za-z_][A-Za-z0-9_]*) with values[name]; other braces are left alone. Throws
/// std::invalid_argument naming the placeholder and `where` when a name has no value.
std::string expand(const std::string& text, const Json& values, const std::string& where);
/// The same for every string inside a JSON value (keys are left alone).
Json expand_json(const Json& v, const Json& values, const std::string& where);

}  // namespace tc::targets
