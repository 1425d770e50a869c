#include "report/text_escape.hpp"

#include <algorithm>
#include <cstdint>

namespace tc::report {

namespace {

// Decodes one code point at s[i]; returns its length, or 0 when the bytes are not valid UTF-8.
size_t utf8_length(std::string_view s, size_t i, uint32_t& cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  size_t n;
  if (c < 0x80) return cp = c, 1;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF)
    n = 3, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4)
    n = 4, cp = c & 0x07;
  else
    return 0;
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid.
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

size_t longest_backtick_run(std::string_view s) {
  size_t best = 0, cur = 0;
  for (char c : s) {
    cur = c == '`' ? cur + 1 : 0;
    best = std::max(best, cur);
  }
  return best;
}

}  // namespace

std::string utf8_clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    size_t n = utf8_length(s, i, cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string md_cell(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '|')
      out += "\\|";
    else if (c == '\r')
      continue;
    else if (c == '\n')
      out += i + 1 < s.size() ? "<br>" : "";
    else
      out += c;
  }
  return out;
}

std::string md_line(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\r') continue;
    out += c == '\n' ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string md_code(std::string_view s) {
  std::string text = md_line(s);
  std::string ticks(longest_backtick_run(text) + 1, '`');
  // A space pad keeps a leading or trailing backtick from merging with the delimiters.
  bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return ticks + (pad ? " " : "") + text + (pad ? " " : "") + ticks;
}

std::string md_fence(std::string_view s, const std::string& indent) {
  std::string fence(std::max<size_t>(3, longest_backtick_run(s) + 1), '`');
  std::string out = indent + fence + "\n";
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('\n', start);
    std::string_view line = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (end == std::string_view::npos && line.empty()) break;  // no empty line for a trailing newline
    out += indent;
    out += line;
    out += "\n";
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out + indent + fence + "\n";
}

std::string xml_escape(std::string_view raw) {
  std::string s = utf8_clean(raw);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      // Character references keep line breaks and tabs intact inside attribute values too.
      case '\n': out += "&#10;"; break;
      case '\r': out += "&#13;"; break;
      case '\t': out += "&#9;"; break;
      default:
        if (c < 0x20) break;  // XML 1.0 forbids other control characters, even as references
        // U+FFFE and U+FFFF (EF BF BE / EF BF BF) are not XML characters either.
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(s[i + 2]) == 0xBE || static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
          i += 2;
          break;
        }
        out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace tc::report
