#include "import/markdown_doc.hpp"

#include <regex>

#include "util/text.hpp"

namespace tc::scenario::md {

namespace {

// Leading whitespace width, a tab counting as four columns.
int indent_of(const std::string& s) {
  int n = 0;
  for (char c : s) {
    if (c == ' ')
      ++n;
    else if (c == '\t')
      n += 4;
    else
      break;
  }
  return n;
}

bool heading(const std::string& line, int& level, std::string& text) {
  static const std::regex re(R"(^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$)");
  std::smatch m;
  if (!std::regex_match(line, m, re)) return false;
  level = static_cast<int>(m[1].length());
  text = trim(m[2].str());
  return true;
}

struct ItemStart {
  int indent = 0;
  std::string text;
};

bool item_start(const std::string& line, ItemStart& out) {
  static const std::regex re(R"(^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$)");
  std::smatch m;
  if (!std::regex_match(line, m, re) || is_rule(line)) return false;
  out.indent = indent_of(m[1].str());
  out.text = trim(m[3].str());
  return true;
}

ListItem make_item(const Line& l, const ItemStart& s) {
  ListItem it;
  it.lines.push_back(l.number);
  it.raw = trim(l.text);
  std::string t = s.text;
  if (t.size() >= 3 && t[0] == '[' && t[2] == ']' && (t[1] == ' ' || t[1] == 'x' || t[1] == 'X') &&
      (t.size() == 3 || t[3] == ' ' || t[3] == '\t')) {
    it.checkbox = true;
    it.checked = t[1] != ' ';
    t = trim(t.substr(3));
  }
  it.text = t;
  return it;
}

std::vector<std::string> split_cells(const std::string& line) {
  std::string s = trim(line);
  std::vector<std::string> cells;
  std::string cur;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '|') {
      cur += '|';
      ++i;
    } else if (s[i] == '|') {
      cells.push_back(trim(cur));
      cur.clear();
    } else {
      cur += s[i];
    }
  }
  cells.push_back(trim(cur));
  // Border pipes leave an empty first and last cell.
  if (!s.empty() && s.front() == '|' && !cells.empty()) cells.erase(cells.begin());
  if (!s.empty() && s.back() == '|' && !cells.empty()) cells.pop_back();
  return cells;
}

}  // namespace

bool is_fence(const std::string& line) {
  std::string t = trim(line);
  return t.starts_with("```") || t.starts_with("~~~");
}

bool is_rule(const std::string& line) {
  static const std::regex re(R"(^ {0,3}((-[ \t]*){3,}|(\*[ \t]*){3,}|(_[ \t]*){3,})$)");
  return std::regex_match(line, re);
}

bool is_table_row(const std::string& line) {
  return trim(line).starts_with("|");
}

bool is_table_separator(const std::string& line) {
  static const std::regex re(R"(^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$)");
  return line.find('|') != std::string::npos && std::regex_match(line, re);
}

Document parse_document(const std::string& text) {
  Document doc;
  int number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string l = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    doc.lines.push_back({++number, l});
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  // A final line break does not start another (empty) line.
  if (!doc.lines.empty() && doc.lines.back().text.empty() && !text.empty() && text.back() == '\n') doc.lines.pop_back();

  doc.sections.push_back({});
  bool in_code = false;
  for (const auto& l : doc.lines) {
    int level = 0;
    std::string htext;
    if (is_fence(l.text))
      in_code = !in_code;
    else if (!in_code && heading(l.text, level, htext)) {
      if (level == 1 && doc.title_line == 0) {
        doc.title = htext;
        doc.title_line = l.number;
        continue;
      }
      if (level <= 2) {
        doc.sections.push_back({htext, l.number, {}});
        continue;
      }
    }
    doc.sections.back().body.push_back(l);
  }
  return doc;
}

Blocks split_blocks(const std::vector<Line>& body) {
  Blocks b;
  bool in_code = false;
  int base = -1;           // indent of the current list's top-level items (-1: no list open)
  bool last_item = false;  // the previous non-blank line belonged to a list item
  bool blank_since = false;
  ListItem* current = nullptr;  // item that continuation lines append to
  for (const auto& l : body) {
    if (in_code) {
      if (is_fence(l.text)) {
        b.code.back().fences.push_back(l.number);
        in_code = false;
      } else {
        b.code.back().lines.push_back(l);
      }
      continue;
    }
    if (is_fence(l.text)) {
      b.code.push_back({});
      b.code.back().fences.push_back(l.number);
      in_code = true;
      base = -1, last_item = false, current = nullptr;
      continue;
    }
    if (trim(l.text).empty()) {
      blank_since = true;
      continue;
    }
    if (is_rule(l.text)) continue;  // a thematic break carries no words
    ItemStart s;
    if (item_start(l.text, s)) {
      if (base < 0 || s.indent <= base + 1 || b.items.empty()) {
        if (base < 0 || s.indent < base) base = s.indent;
        b.items.push_back(make_item(l, s));
        current = &b.items.back();
      } else {
        b.items.back().children.push_back(make_item(l, s));
        current = &b.items.back().children.back();
      }
      last_item = true, blank_since = false;
      continue;
    }
    // Wrapped text of an item: right after it, or indented under it after a blank line.
    if (current && last_item && (!blank_since || indent_of(l.text) > base)) {
      current->lines.push_back(l.number);
      current->text += " " + trim(l.text);
      blank_since = false;
      continue;
    }
    b.prose.push_back(l);
    base = -1, last_item = false, current = nullptr, blank_since = false;
  }
  return b;
}

bool find_table(const std::vector<Line>& body, Table& out) {
  bool in_code = false;
  for (size_t i = 0; i + 1 < body.size(); ++i) {
    if (is_fence(body[i].text)) in_code = !in_code;
    if (in_code || !is_table_row(body[i].text) || !is_table_separator(body[i + 1].text)) continue;
    out = {};
    out.header = split_cells(body[i].text);
    out.header_line = body[i].number;
    out.separator_line = body[i + 1].number;
    for (size_t j = i + 2; j < body.size() && is_table_row(body[j].text); ++j) {
      out.rows.push_back(split_cells(body[j].text));
      out.row_lines.push_back(body[j].number);
    }
    return true;
  }
  return false;
}

std::vector<std::string> code_spans(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '`') {
      ++i;
      continue;
    }
    size_t run = 0;
    while (i + run < text.size() && text[i + run] == '`') ++run;
    std::string delim(run, '`');
    size_t close = text.find(delim, i + run);
    if (close == std::string::npos) break;  // an unmatched backtick is just a character
    out.push_back(trim(text.substr(i + run, close - i - run)));
    i = close + run;
  }
  return out;
}

std::string plain_text(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '`') continue;
    if ((text[i] == '*' || text[i] == '_') && i + 1 < text.size() && text[i + 1] == text[i]) {
      ++i;
      continue;
    }
    out += text[i];
  }
  return trim(out);
}

}  // namespace tc::scenario::md
