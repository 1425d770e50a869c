#include "report/markdown_lines.hpp"

namespace tc::report {

namespace {

// The fence opening/closing a code block ("```", "~~~~"...) at the start of a line, or "" when none.
std::string fence_of(const std::string& line) {
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return "";
  size_t j = i;
  while (j < line.size() && line[j] == line[i]) ++j;
  return j - i >= 3 ? line.substr(i, j - i) : "";
}

}  // namespace

std::vector<MdLine> markdown_lines(std::string_view doc) {
  std::vector<MdLine> lines;
  std::string open;  // the fence of the block we are in
  size_t pos = 0;
  while (pos < doc.size()) {
    size_t nl = doc.find('\n', pos);
    size_t end = nl == std::string_view::npos ? doc.size() : nl + 1;
    MdLine l;
    l.begin = pos;
    l.end = end;
    l.text = std::string(doc.substr(pos, (nl == std::string_view::npos ? doc.size() : nl) - pos));
    if (!l.text.empty() && l.text.back() == '\r') l.text.pop_back();
    std::string f = fence_of(l.text);
    if (open.empty() && !f.empty()) {
      open = f;
      l.in_code = true;
    } else if (!open.empty()) {
      l.in_code = true;
      // A closing fence uses the same character, is at least as long, and carries nothing after it.
      if (!f.empty() && f[0] == open[0] && f.size() >= open.size() &&
          l.text.find_first_not_of(" \t", l.text.find(f) + f.size()) == std::string::npos)
        open.clear();
    }
    lines.push_back(std::move(l));
    pos = end;
  }
  return lines;
}

}  // namespace tc::report
