#pragma once
// Splits a markdown document into lines and tells which lie inside fenced code blocks.
#include <string>
#include <string_view>
#include <vector>

namespace tc::report {

/// One line of a markdown document.
struct MdLine {
  size_t begin = 0;      // offset of the line in the document
  size_t end = 0;        // offset past its newline (or the document's end)
  std::string text;      // without the line break (and without a trailing \r)
  bool in_code = false;  // inside (or delimiting) a fenced code block
};

std::vector<MdLine> markdown_lines(std::string_view doc);

}  // namespace tc::report
