#pragma once
// Writes YAML text for the markdown importer: safe scalars, flow maps, steps and comment blocks.
// Strings are plain only when plainly safe, otherwise double-quoted with escapes.
#include <string>

#include "util/json.hpp"

namespace tc::scenario::md {

/// A scalar: plain when unambiguous (`network --down`), else "double-quoted" with escapes.
std::string yaml_scalar(const Json& v);
/// Any value on one line: scalars as above, maps as {k: v}, lists as [a, b].
std::string yaml_flow(const Json& v);
/// A map key (plain when it is a simple word).
std::string yaml_key(const std::string& k);
/// `text` as comment lines (`# ...`), each indented by `indent` spaces.
std::string yaml_comment(const std::string& text, int indent);
/// A map as a block-style list entry (`- k: v` then `  k: v`), nested values in flow style.
std::string yaml_list_entry(const Json& map, int indent);
/// Makes text that must stay literal safe from ${...} interpolation ($${).
std::string escape_vars(const std::string& text);
/// Valid UTF-8 for any input: bytes that are not UTF-8 are read as Latin-1.
std::string to_utf8(const std::string& text, bool* converted = nullptr);

}  // namespace tc::scenario::md
