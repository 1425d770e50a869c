#pragma once
// Test helpers: pull one bold-titled section ("**Observations:**") out of a rendered execution log.
#include <sstream>
#include <string>
#include <vector>

namespace tc::report::testing {

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

/// The lines after `title` up to the next blank line (empty when the title is missing).
inline std::vector<std::string> section(const std::string& md, const std::string& title) {
  auto lines = lines_of(md);
  std::vector<std::string> out;
  size_t i = 0;
  while (i < lines.size() && lines[i] != title) ++i;
  for (++i; i < lines.size() && !lines[i].empty(); ++i) out.push_back(lines[i]);
  return out;
}

inline bool has_line(const std::vector<std::string>& lines, const std::string& line) {
  for (const auto& l : lines)
    if (l == line) return true;
  return false;
}

}  // namespace tc::report::testing
