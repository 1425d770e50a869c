#pragma once
// A markdown test case split into what the importer needs: title, sections, lists, tables, code blocks.
// Every piece remembers its source line numbers so the importer can prove no line was dropped.
#include <string>
#include <vector>

namespace tc::scenario::md {

/// One source line (1-based number, text without the line break).
struct Line {
  int number = 0;
  std::string text;
};

/// A `## Heading` and the lines under it up to the next `##` (fenced code is never read as a heading).
struct Section {
  std::string title;  // heading text, trimmed ("" for lines before the first `##`)
  int heading_line = 0;
  std::vector<Line> body;
};

/// The whole document.
struct Document {
  std::vector<Line> lines;  // every line of the source
  std::string title;        // text of the first `# ` heading ("" when there is none)
  int title_line = 0;
  std::vector<Section> sections;  // sections[0] is the untitled part before the first `##`
};

Document parse_document(const std::string& text);

/// One list item (`- x`, `* x`, `1. x`, `- [ ] x`) with its wrapped continuation lines and nested items.
struct ListItem {
  std::vector<int> lines;  // the item line and its continuation lines
  std::string raw;         // the item line as written (trimmed)
  std::string text;        // without marker and checkbox, continuations joined by a space
  bool checkbox = false;
  bool checked = false;
  std::vector<ListItem> children;
};

/// Lines of a section that are list items, fenced code or plain prose.
struct Blocks {
  std::vector<ListItem> items;  // top-level list items
  struct Code {
    std::vector<Line> lines;  // content, without the fences
    std::vector<int> fences;  // line numbers of the fence lines
  };
  std::vector<Code> code;
  std::vector<Line> prose;  // everything else that is not blank
};

Blocks split_blocks(const std::vector<Line>& body);

/// A `| a | b |` table: header cells, rows of cells, and the lines each came from.
struct Table {
  std::vector<std::string> header;
  int header_line = 0, separator_line = 0;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> row_lines;
};

/// The first pipe table in `body`, if any (header row, separator row, data rows).
bool find_table(const std::vector<Line>& body, Table& out);
bool is_table_row(const std::string& line);
bool is_table_separator(const std::string& line);
bool is_fence(const std::string& line);
/// A thematic break: `---`, `***`, `___` (three or more).
bool is_rule(const std::string& line);

/// Contents of `code spans` in a line, in order.
std::vector<std::string> code_spans(const std::string& text);
/// Markdown emphasis and code markers removed (`**x**` -> x, `` `x` `` -> x).
std::string plain_text(const std::string& text);

}  // namespace tc::scenario::md
