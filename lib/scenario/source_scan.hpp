#pragma once
// Checks raw scenario text before YAML parsing: binary junk, invalid UTF-8, tabs in indentation.
#include <string_view>
#include <vector>

#include "scenario/diagnostic.hpp"

namespace tc::scenario::detail {

/// Problems that make the text unfit for YAML parsing (each located); empty when the text is clean.
std::vector<Diagnostic> scan_source(std::string_view text, const std::string& file);

}  // namespace tc::scenario::detail
