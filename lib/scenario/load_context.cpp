#include "scenario/load_context.hpp"

#include <fmt/format.h>

#include <cctype>

#include "util/text.hpp"

namespace tc::scenario::detail {

std::string ptr_join(const std::string& base, const std::string& key) {
  std::string out = base + "/";
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string ptr_join(const std::string& base, size_t index) {
  return base + "/" + std::to_string(index);
}

static std::string parent_of(const std::string& ptr) {
  size_t slash = ptr.rfind('/');
  return slash == std::string::npos ? std::string() : ptr.substr(0, slash);
}

Mark LoadContext::at(const std::string& ptr) const {
  for (std::string p = ptr;; p = parent_of(p)) {
    auto it = marks.find(p);
    if (it != marks.end()) return it->second;
    if (p.empty()) break;
  }
  return Mark{file, 1, 1};
}

Mark LoadContext::key_at(const std::string& ptr) const {
  auto it = key_marks.find(ptr);
  return it != key_marks.end() ? it->second : at(ptr);
}

Mark LoadContext::within(const std::string& ptr, size_t offset) const {
  Mark m = at(ptr);
  auto it = marks.find(ptr);
  if (it == marks.end() || m.line < 1 || m.line > static_cast<int>(lines.size())) return m;
  // Only exact when the scalar starts on its line as written (plain or quoted without escapes before offset).
  const std::string& line = lines[m.line - 1];
  size_t col = static_cast<size_t>(m.column - 1);
  if (col >= line.size()) return m;
  if (line[col] == '"' || line[col] == '\'') ++col;
  if (col + offset > line.size()) return m;
  Mark out = m;
  out.column = static_cast<int>(col + offset) + 1;
  // Verify the text there really is a reference, or a name inside a ${= ...} expression before it.
  if (line.compare(col + offset, 2, "${") == 0) return out;
  bool in_expr = line.substr(col, offset).find("${=") != std::string::npos && col + offset < line.size() &&
                 (std::isalpha(static_cast<unsigned char>(line[col + offset])) || line[col + offset] == '_');
  return in_expr ? out : m;
}

void LoadContext::error(const Mark& where, std::string message) {
  diags.push_back({where, std::move(message)});
}

std::string describe(const Json& v) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return fmt::format("the string '{}'", s);
  }
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return "the number " + v.dump();
  if (v.is_array()) return v.empty() ? "an empty list" : fmt::format("a list of {}", v.size());
  if (v.is_object()) return v.empty() ? "an empty map" : "a map";
  return "nothing (null)";
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best = closest(word, candidates);
  return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

}  // namespace tc::scenario::detail
