#include "scenario/source_scan.hpp"

#include <fmt/format.h>

namespace tc::scenario::detail {

namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid UTF-8.
size_t utf8_length(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  // Reject overlong forms, surrogates and code points above U+10FFFF.
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;
  if (c == 0xED && b(i + 1) > 0x9F) return 0;
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;
  if (c == 0xF4 && b(i + 1) > 0x8F) return 0;
  return n;
}

// A line ending in a block scalar header (`key: |`, `- >-`) starts literal text whose tabs are content.
bool opens_block_scalar(std::string_view line) {
  size_t hash = line.find(" #");
  if (hash != std::string_view::npos) line = line.substr(0, hash);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
  while (!line.empty() && (line.back() == '-' || line.back() == '+' || (line.back() >= '1' && line.back() <= '9')))
    line.remove_suffix(1);
  if (line.empty() || (line.back() != '|' && line.back() != '>')) return false;
  line.remove_suffix(1);
  return line.empty() || line.back() == ' ' || line.back() == ':' || line.back() == '-';
}

size_t indent_of(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

}  // namespace

std::vector<Diagnostic> scan_source(std::string_view text, const std::string& file) {
  std::vector<Diagnostic> out;
  // Bytes first: one report is enough for binary junk (thousands of bad bytes would drown the message).
  int line = 1, col = 1;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    size_t n = utf8_length(text, i);
    bool control = c < 0x20 && c != '\t' && c != '\n' && c != '\r';
    if (n == 0 || control || c == 0x7F) {
      out.push_back(
          {Mark{file, line, col},
           fmt::format("invalid byte 0x{:02X}: a scenario must be UTF-8 text (this looks like binary data)", c)});
      return out;
    }
    if (c == '\n')
      ++line, col = 1;
    else
      ++col;
    i += n;
  }
  // Tabs in indentation: YAML forbids them and parsers give confusing messages, so name them precisely.
  size_t block_indent = std::string_view::npos;  // inside a block scalar deeper than this indent
  line = 0;
  for (size_t pos = 0; pos <= text.size();) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    ++line;
    size_t ind = indent_of(l);
    bool blank = l.find_first_not_of(" \t\r") == std::string_view::npos;
    if (block_indent != std::string_view::npos && (blank || ind > block_indent)) {
      // block scalar content: tabs after its indentation are text
    } else {
      block_indent = std::string_view::npos;
      size_t lead = l.find_first_not_of(" \t");
      std::string_view ws = l.substr(0, lead == std::string_view::npos ? l.size() : lead);
      size_t tab = ws.find('\t');
      if (tab != std::string_view::npos && !blank)
        out.push_back({Mark{file, line, static_cast<int>(tab) + 1},
                       "tab character in indentation: YAML indentation must use spaces"});
      if (opens_block_scalar(l)) block_indent = ind;
    }
    pos = end + 1;
  }
  return out;
}

}  // namespace tc::scenario::detail
