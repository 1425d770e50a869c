#include "import/markdown_yaml_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

namespace tc::scenario::md {

namespace {

// YAML 1.1 words a plain scalar would turn into booleans or null.
bool reserved_word(const std::string& s) {
  static const char* words[] = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"};
  std::string lower = s;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::any_of(std::begin(words), std::end(words), [&](const char* w) { return lower == w; });
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += fmt::format("\\x{:02x}", static_cast<unsigned>(c));
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

std::string yaml_scalar(const Json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  if (!v.is_string()) return yaml_flow(v);
  const std::string s = v.get<std::string>();
  // Plain only for words, commands and labels: starts with a letter, no YAML indicators.
  static const std::regex plain(R"(^[A-Za-z][A-Za-z0-9 _./-]*$)");
  if (!s.empty() && s.back() != ' ' && std::regex_match(s, plain) && !reserved_word(s)) return s;
  return quoted(s);
}

std::string yaml_key(const std::string& k) {
  static const std::regex plain(R"(^[A-Za-z_][A-Za-z0-9_-]*$)");
  return std::regex_match(k, plain) && !reserved_word(k) ? k : quoted(k);
}

std::string yaml_flow(const Json& v) {
  if (v.is_object()) {
    std::string out = "{";
    bool first = true;
    for (const auto& [k, x] : v.items()) {
      out += (first ? "" : ", ") + yaml_key(k) + ": " + yaml_flow(x);
      first = false;
    }
    return out + "}";
  }
  if (v.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + yaml_flow(v[i]);
    return out + "]";
  }
  return yaml_scalar(v);
}

std::string yaml_comment(const std::string& text, int indent) {
  std::string pad(static_cast<size_t>(indent), ' ');
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    out += pad + (line.empty() ? "#" : "# " + line) + "\n";
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

std::string yaml_list_entry(const Json& map, int indent) {
  std::string pad(static_cast<size_t>(indent), ' ');
  std::string out;
  bool first = true;
  for (const auto& [k, x] : map.items()) {
    out += pad + (first ? "- " : "  ") + yaml_key(k) + ": " + yaml_flow(x) + "\n";
    first = false;
  }
  return out;
}

std::string escape_vars(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') out += '$';
    out += text[i];
  }
  return out;
}

std::string to_utf8(const std::string& text, bool* converted) {
  std::string out;
  bool changed = false;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) >> 6) == 0x2;
    if (ok) {
      out.append(text, i, len);
      i += len;
    } else {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
      changed = true;
      ++i;
    }
  }
  if (converted) *converted = changed;
  return out;
}

}  // namespace tc::scenario::md
