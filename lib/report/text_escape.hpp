#pragma once
// Escaping text for the report formats: markdown table cells and code, XML, and valid UTF-8.
#include <string>
#include <string_view>

namespace tc::report {

/// Replaces invalid UTF-8 sequences with U+FFFD so every writer can emit the text safely.
std::string utf8_clean(std::string_view s);
/// One markdown table cell: `|` escaped, line breaks as <br>.
std::string md_cell(std::string_view s);
/// One line of markdown text: line breaks folded into spaces.
std::string md_line(std::string_view s);
/// An inline code span that survives backticks inside the text (single-line text only).
std::string md_code(std::string_view s);
/// A fenced code block, each line prefixed by `indent`, with a fence longer than any run of backticks inside.
std::string md_fence(std::string_view s, const std::string& indent);
/// XML character data / attribute value: markup escaped, characters XML 1.0 forbids dropped.
std::string xml_escape(std::string_view s);

}  // namespace tc::report
