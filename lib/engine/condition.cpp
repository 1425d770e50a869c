#include "engine/condition.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "util/text.hpp"

namespace tc::engine {

namespace {
std::string unquote(std::string s) {
  s = trim(s);
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front())
    return s.substr(1, s.size() - 2);
  return s;
}

bool truthy(const std::string& raw) {
  std::string s = unquote(raw);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return !(s.empty() || s == "false" || s == "0" || s == "no" || s == "off" || s == "null");
}
}  // namespace

bool evaluate_condition(const std::string& text) {
  std::string t = trim(text);
  if (t.starts_with("not ")) return !evaluate_condition(t.substr(4));
  if (auto p = t.find("=="); p != std::string::npos) return unquote(t.substr(0, p)) == unquote(t.substr(p + 2));
  if (auto p = t.find("!="); p != std::string::npos) return unquote(t.substr(0, p)) != unquote(t.substr(p + 2));
  if (auto p = t.find(" in ["); p != std::string::npos) {
    if (t.back() != ']') throw std::invalid_argument("'in' needs a closing ]: " + text);
    std::string lhs = unquote(t.substr(0, p));
    std::string list = t.substr(p + 5, t.size() - p - 6);
    size_t pos = 0;
    while (pos <= list.size()) {
      size_t comma = list.find(',', pos);
      if (unquote(list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos)) == lhs) return true;
      if (comma == std::string::npos) break;
      pos = comma + 1;
    }
    return false;
  }
  return truthy(t);
}

}  // namespace tc::engine
