#include "import/markdown_importer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <regex>

#include "import/markdown_known.hpp"
#include "import/markdown_yaml_writer.hpp"
#include "util/text.hpp"

namespace tc::scenario::md {

namespace {

bool contains(const std::string& hay, const char* needle) {
  return hay.find(needle) != std::string::npos;
}

std::string rtrim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::string collapse_spaces(const std::string& s) {
  return fmt::format("{}", fmt::join(split_ws(s), " "));
}

// The item's words without its `toolkit ...` code spans: "Restore normal operation: `a` or `b`" -> "Restore
// normal operation".
std::string label_of(const std::string& text) {
  static const std::regex cmd_span(R"(`+\s*(\$\s+)?toolkit\s[^`]*`+)");
  static const std::regex empty_parens(R"(\(\s*\))");
  static const std::regex dangling(R"((\s*(:|,|;|-|\bor|\band|\bthen|\bwith|\busing))+\s*$)", std::regex::icase);
  std::string t = std::regex_replace(text, cmd_span, " ");
  t = std::regex_replace(t, empty_parens, " ");
  t = collapse_spaces(t);
  t = std::regex_replace(t, dangling, "");
  return trim(t);
}

std::string short_text(const std::string& s) {
  std::string t = trim(s);
  return t.size() > 90 ? t.substr(0, 87) + "..." : t;
}

// "# Restore all connections" -> "Restore all connections".
std::string comment_text(const std::string& t) {
  size_t b = t.find_first_not_of('#');
  return b == std::string::npos ? "" : trim(t.substr(b));
}

std::string norm_cmd(const std::string& c) {
  return collapse_spaces(c);
}

const char* kChoices[] = {"PASS", "FAIL"};

}  // namespace

// Items, code blocks and prose are collected separately; steps must run in the document's order.
void in_document_order(Phase& p) {
  std::stable_sort(p.entries.begin(), p.entries.end(), [](const Entry& a, const Entry& b) { return a.line < b.line; });
}

SectionKind classify(const std::string& heading) {
  const std::string t = lower(heading);
  if (contains(t, "execution log") || contains(t, "test log") || t == "runs" || t == "past runs")
    return SectionKind::Log;
  if (contains(t, "metadata")) return SectionKind::Metadata;
  if (contains(t, "description")) return SectionKind::Description;
  if (contains(t, "precondition") || contains(t, "pre-condition") || contains(t, "prerequisite"))
    return SectionKind::Preconditions;
  if (contains(t, "toolkit command") || t == "commands") return SectionKind::Commands;
  if (contains(t, "test steps") || t == "steps" || contains(t, "procedure")) return SectionKind::Steps;
  if (contains(t, "expected")) return SectionKind::Expected;
  if (contains(t, "verification") || contains(t, "checklist")) return SectionKind::Checklist;
  if (contains(t, "cleanup") || contains(t, "clean-up") || contains(t, "clean up") || contains(t, "teardown"))
    return SectionKind::Cleanup;
  return SectionKind::Other;
}

Importer::Importer(const Document& doc, std::string source)
    : doc_(doc), source_(std::move(source)), used_(doc.lines.size() + 2, false) {}

void Importer::use(int line) {
  if (line > 0 && static_cast<size_t>(line) < used_.size()) used_[static_cast<size_t>(line)] = true;
}

void Importer::use(const ListItem& item) {
  for (int n : item.lines) use(n);
  for (const auto& c : item.children) use(c);
}

std::string Importer::line_text(int line) const {
  return line > 0 && static_cast<size_t>(line) <= doc_.lines.size() ? doc_.lines[static_cast<size_t>(line) - 1].text
                                                                    : "";
}

void Importer::mapped(const std::string& sec, int line, const std::string& text, const std::string& what) {
  mapped_.emplace_back(line, fmt::format("{} (line {}): \"{}\" -> {}", sec, line, short_text(text), what));
}

void Importer::unmapped(const std::string& sec, int line, const std::string& text, const std::string& what) {
  unmapped_.emplace_back(line, fmt::format("{} (line {}): \"{}\" -> {}", sec, line, short_text(text), what));
}

std::string Importer::unique_id(const std::string& base) {
  std::string id = base;
  for (int n = 2; ids_.count(id); ++n) id = fmt::format("{}_{}", base, n);
  ids_.insert(id);
  return id;
}

Entry Importer::toolkit_entry(const std::string& cmd, const std::string& name, bool background) {
  Entry e;
  if (!name.empty()) e.step["name"] = escape_vars(name);
  if (background) e.step["id"] = unique_id(slug(split_ws(cmd).empty() ? "background" : split_ws(cmd)[0]));
  e.step["toolkit"] = escape_vars(cmd);
  if (background) e.step["background"] = true;
  commands_used_.insert(norm_cmd(cmd));
  return e;
}

// ---- Metadata -------------------------------------------------------------------------------------------------

void Importer::metadata() {
  // The table lives under "## Metadata"; a template-less document may carry it before the first section.
  const Section* where = nullptr;
  Table table;
  for (const auto& s : doc_.sections)
    if (classify(s.title) == SectionKind::Metadata && find_table(s.body, table)) {
      where = &s;
      break;
    }
  if (!where && find_table(doc_.sections.front().body, table) && table.header.size() >= 2 &&
      lower(plain_text(table.header[0])) == "field")
    where = &doc_.sections.front();
  if (!where)
    throw ImportError(
        fmt::format("{}: no metadata table found; the template starts with a \"## Metadata\" section holding a "
                    "| Field | Value | table with at least the ID row (| ID | TC-001 |)",
                    source_));
  const std::string sec = where->title.empty() ? "Metadata" : where->title;
  if (where->heading_line) use(where->heading_line);
  out_.header.push_back(fmt::format("Metadata: the {} table of \"## {}\" (line {}).",
                                    trim(line_text(table.header_line)), sec, table.header_line));
  use(table.header_line);
  use(table.separator_line);

  std::string id, title;
  Json meta = Json::object();
  for (size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    int line = table.row_lines[r];
    use(line);
    std::string field = row.empty() ? "" : plain_text(row[0]);
    std::string value = row.size() > 1 ? plain_text(row[1]) : "";
    std::string key = lower(field);
    auto keep_as_comment = [&](const std::string& why) {
      out_.meta_comments.push_back(fmt::format("Metadata: {} = {} ({})", field, value, why));
      unmapped(sec, line, line_text(line), "comment (" + why + ")");
    };
    if (row.size() > 2) keep_as_comment("extra cells: " + trim(line_text(line)));
    if (value.empty()) {
      keep_as_comment("empty value");
      continue;
    }
    if (key == "id" || key == "test id" || key == "test case id") {
      id = value;
      mapped(sec, line, line_text(line), "id");
    } else if (key == "title" || key == "name") {
      title = value;
      mapped(sec, line, line_text(line), "title");
    } else if (key == "category") {
      meta["category"] = value;
      mapped(sec, line, line_text(line), "category");
    } else if (key == "etl tools" || key == "etl tool" || key == "tools") {
      Json list = Json::array();
      std::string part;
      for (char c : value + ",") {
        if (c == ',' || c == ';') {
          if (!trim(part).empty()) list.push_back(trim(part));
          part.clear();
        } else {
          part += c;
        }
      }
      meta["etl_tools"] = list;
      mapped(sec, line, line_text(line), "etl_tools");
    } else if (key == "tags" || key == "labels") {
      Json list = Json::array();
      for (const auto& t : split_ws(std::regex_replace(value, std::regex("[,;]"), " "))) list.push_back(t);
      meta["tags"] = list;
      mapped(sec, line, line_text(line), "tags");
    } else if (key == "severity" || key == "priority") {
      std::string s = lower(value);
      if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
      if (s == "Critical" || s == "High" || s == "Medium" || s == "Low") {
        meta["severity"] = s;
        mapped(sec, line, line_text(line), "severity");
      } else {
        keep_as_comment("severity must be Critical, High, Medium or Low");
      }
    } else if (key == "created" || key == "date" || key == "created on") {
      if (std::regex_match(value, std::regex(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))"))) {
        meta["created"] = value;
        mapped(sec, line, line_text(line), "created");
      } else {
        keep_as_comment("created must be a date YYYY-MM-DD");
      }
    } else if (key == "author" || key == "owner") {
      meta["author"] = value;
      mapped(sec, line, line_text(line), "author");
    } else {
      keep_as_comment("no scenario field for it");
    }
  }

  // The heading "# TC-001: Title" names the test case too; the table's ID wins when both are given.
  std::string heading_id, heading_title = doc_.title;
  static const std::regex id_title(R"(^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*[:-]\s+(.+)$)");
  std::smatch m;
  if (std::regex_match(doc_.title, m, id_title) && std::regex_search(m[1].str(), std::regex("\\d"))) {
    heading_id = m[1].str();
    heading_title = trim(m[2].str());
  }
  if (doc_.title_line) {
    use(doc_.title_line);
    out_.header.insert(out_.header.begin(),
                       fmt::format("Source heading (line {}): {}", doc_.title_line, line_text(doc_.title_line)));
    mapped("Heading", doc_.title_line, line_text(doc_.title_line), "id and title");
  }
  if (id.empty()) id = heading_id;
  if (id.empty())
    throw ImportError(fmt::format("{}: no test case ID: add a \"| ID | TC-001 |\" row to the metadata table{}", source_,
                                  doc_.title_line ? "" : " or a \"# TC-001: Title\" heading"));
  if (!std::regex_match(id, std::regex("[A-Za-z0-9][A-Za-z0-9_.-]*")))
    throw ImportError(
        fmt::format("{}: the ID '{}' is not a word such as TC-001 (letters, digits, '-', '_', '.')", source_, id));
  if (!heading_id.empty() && heading_id != id)
    out_.meta_comments.push_back(
        fmt::format("The heading names {} but the metadata table says {}; the table's ID is used.", heading_id, id));
  if (title.empty()) title = heading_title;
  if (title.empty())
    throw ImportError(
        fmt::format("{}: no title: add a \"# {}: Title\" heading or a \"| Title | ... |\" row", source_, id));

  out_.meta["id"] = id;
  out_.meta["title"] = title;
  for (const char* k : {"category", "severity", "etl_tools", "created", "author", "tags"})
    if (meta.contains(k)) out_.meta[k] = meta[k];
  rep_.id = id;

  // Text around the table in the metadata section.
  for (const auto& l : where->body)
    if (!used_[static_cast<size_t>(l.number)] && !trim(l.text).empty() && !is_rule(l.text)) {
      use(l.number);
      out_.meta_comments.push_back(l.text);
      unmapped(sec, l.number, l.text, "comment");
    }
}

// ---- Description ----------------------------------------------------------------------------------------------

void Importer::description(const Section& s) {
  use(s.heading_line);
  std::string text;
  int blank = 0;
  for (const auto& l : s.body) {
    if (trim(l.text).empty()) {
      ++blank;
      continue;
    }
    if (!text.empty()) text += blank ? "\n\n" : "\n";
    text += rtrim(l.text);
    blank = 0;
    use(l.number);
  }
  if (text.empty()) return;
  std::string prev = out_.meta.contains("description") ? out_.meta["description"].get<std::string>() + "\n\n" : "";
  out_.meta["description"] = prev + text;
  mapped(s.title, s.heading_line, s.title, "description");
}

// ---- Steps of any phase ---------------------------------------------------------------------------------------

void Importer::item_to_phase(const ListItem& item, Phase& phase, const std::string& sec, bool conditions) {
  for (int n : item.lines) use(n);
  const int line = item.lines.front();
  if (conditions && docker_only(item.text)) {
    phase.comments.push_back(
        fmt::format("line {}: dropped (Docker-only; the sandbox and the fault proxy need no "
                    "container or NET_ADMIN): {}",
                    line, item.raw));
    mapped(sec, line, item.text, "dropped: a Docker-only precondition (noted in the scenario)");
    use(item);
    return;
  }
  const auto cmds = toolkit_commands(item.text);
  if (!cmds.empty()) {
    const std::string label = label_of(item.text);
    const std::string t = lower(item.text);
    bool said_background = contains(t, "actively") || contains(t, "continuous") || contains(t, "in the background");
    for (size_t i = 0; i < cmds.size(); ++i) {
      bool bg = runs_until_stopped(cmds[i]) || said_background;
      Entry e = toolkit_entry(cmds[i], label, bg);
      e.line = line;
      if (i == 0) {
        e.comments.push_back(fmt::format("line {}: {}", line, item.raw));
        if (cmds.size() > 1 && std::regex_search(t, std::regex("`\\s+or\\s+`")))
          e.comments.push_back(
              "The document offers these commands as alternatives; each undoes a different fault,"
              " so all of them run.");
      }
      phase.entries.push_back(std::move(e));
      mapped(sec, line, item.text, fmt::format("toolkit: {}{}", cmds[i], bg ? " (background)" : ""));
    }
  } else if (auto k = conditions ? known_condition(item.text) : std::nullopt) {
    Entry e;
    e.line = line;
    e.step["name"] = escape_vars(item.text);
    for (const auto& [key, v] : k->step.items()) e.step[key] = v;
    phase.entries.push_back(std::move(e));
    mapped(sec, line, item.text, k->note);
  } else {
    Entry e;
    e.line = line;
    e.step["manual"] = escape_vars(item.text);
    phase.entries.push_back(std::move(e));
    unmapped(sec, line, item.text, "manual step");
  }
  for (const auto& c : item.children) item_to_phase(c, phase, sec, conditions);
}

void Importer::code_to_phase(const Blocks::Code& code, Phase& phase, const std::string& sec) {
  for (int f : code.fences) use(f);
  std::string label;
  for (const auto& l : code.lines) {
    std::string t = trim(l.text);
    use(l.number);
    if (t.empty()) {
      label.clear();
      continue;
    }
    if (t[0] == '#') {
      label = comment_text(t);
      continue;
    }
    std::string cmd = toolkit_command_line(t);
    if (!cmd.empty()) {
      Entry e = toolkit_entry(cmd, label, runs_until_stopped(cmd));
      e.line = l.number;
      mapped(sec, l.number, t, fmt::format("toolkit: {}{}", cmd, label.empty() ? "" : " named \"" + label + "\""));
      phase.entries.push_back(std::move(e));
    } else {
      Entry e;
      e.line = l.number;
      if (!label.empty()) e.step["name"] = escape_vars(label);
      e.step["manual"] = escape_vars("Run in a shell: " + t);
      phase.entries.push_back(std::move(e));
      unmapped(sec, l.number, t, "manual step (not a toolkit command)");
    }
  }
  // A comment line with no command after it is still kept.
  for (size_t i = 0; i < code.lines.size(); ++i) {
    std::string t = trim(code.lines[i].text);
    if (t.empty() || t[0] != '#') continue;
    bool followed = false;
    for (size_t j = i + 1; j < code.lines.size(); ++j) {
      std::string u = trim(code.lines[j].text);
      if (u.empty()) break;
      if (u[0] != '#') {
        followed = true;
        break;
      }
    }
    if (!followed) {
      phase.comments.push_back(t);
      unmapped(sec, code.lines[i].number, t, "comment (no command follows it)");
    }
  }
}

void Importer::preconditions(const Section& s) {
  use(s.heading_line);
  auto& phase = out_.preconditions;
  phase.comments.push_back(fmt::format("From \"## {}\" (line {})", s.title, s.heading_line));
  Blocks b = split_blocks(s.body);
  for (const auto& item : b.items) item_to_phase(item, phase, s.title, true);
  for (const auto& c : b.code) code_to_phase(c, phase, s.title);
  for (const auto& l : b.prose) {
    use(l.number);
    phase.comments.push_back(l.text);
    unmapped(s.title, l.number, l.text, "comment");
  }
}

bool Importer::alternatives(const ListItem& item, const std::string& sec) {
  struct Alt {
    std::string cmd, label;
    int line;
    std::string raw;
  };
  std::vector<Alt> alts;
  for (const auto& c : item.children) {
    auto cmds = toolkit_commands(c.text);
    if (!cmds.empty()) alts.push_back({cmds.front(), label_of(c.text), c.lines.front(), c.raw});
  }
  const bool one_of = std::regex_search(lower(item.text), std::regex(R"(\bone of\b|\beither\b|\balternatives?\b)"));
  auto inline_cmds = toolkit_commands(item.text);
  // "Simulate a timeout: `toolkit ...`" with "- Alternative: `toolkit ...`" / "- Option 2: ..." under it: the
  // step's own command is the first variant.
  const bool labelled = std::any_of(item.children.begin(), item.children.end(), [](const ListItem& c) {
    return std::regex_search(lower(c.text), std::regex(R"(^\s*(alternative|alternatively|option\s*\d+)\b)"));
  });
  if (labelled && !alts.empty() && !inline_cmds.empty())
    alts.insert(alts.begin(), Alt{inline_cmds.front(), label_of(item.text), item.lines.front(), ""});
  if (alts.empty() && one_of && inline_cmds.size() >= 2)
    for (const auto& c : inline_cmds) alts.push_back({c, "", item.lines.front(), ""});
  if (!(alts.size() >= 2 || (one_of && !alts.empty()))) return false;

  Axis axis;
  bool faults = std::any_of(alts.begin(), alts.end(), [](const Alt& a) { return is_fault(a.cmd); });
  std::string base = faults || contains(lower(item.text), "fail") ? "failure" : "option";
  axis.name = base;
  for (int n = 2;
       std::any_of(out_.matrix.begin(), out_.matrix.end(), [&](const Axis& a) { return a.name == axis.name; }); ++n)
    axis.name = fmt::format("{}_{}", base, n);
  std::set<std::string> names;
  for (const auto& a : alts) {
    std::string name = fault_name(a.cmd), n0 = name;
    for (int n = 2; names.count(name); ++n) name = fmt::format("{}_{}", n0, n);
    names.insert(name);
    Json v = Json::object();
    v["name"] = name;
    v["inject"] = escape_vars(a.cmd);
    if (!a.label.empty()) v["description"] = escape_vars(a.label);
    axis.values.push_back(v);
    commands_used_.insert(norm_cmd(a.cmd));
    mapped(sec, a.line, a.raw.empty() ? a.cmd : a.raw, fmt::format("matrix {}: {}", axis.name, name));
  }
  Entry e;
  e.line = item.lines.front();
  e.comments.push_back(fmt::format("line {}: {}", item.lines.front(), item.raw));
  for (const auto& c : item.children) {
    e.comments.push_back(fmt::format("line {}:   {}", c.lines.front(), c.raw));
    auto cmds = toolkit_commands(c.text);
    if (cmds.empty()) unmapped(sec, c.lines.front(), c.text, "comment (an alternative without a toolkit command)");
    for (size_t i = 1; i < cmds.size(); ++i)
      unmapped(sec, c.lines.front(), c.text, "comment (only the first command of an alternative is injected)");
    for (const auto& g : c.children)
      e.comments.push_back(fmt::format("line {}:     {}", g.lines.front(), g.raw)),
          unmapped(sec, g.lines.front(), g.text, "comment");
  }
  e.step["name"] = escape_vars(item.text);
  e.step["toolkit"] = fmt::format("${{{}.inject}}", axis.name);
  out_.steps.entries.push_back(std::move(e));
  out_.matrix_comments.push_back(fmt::format("Matrix axis '{}': the alternatives of the step at line {} (\"{}\").",
                                             axis.name, item.lines.front(), item.text));
  out_.matrix.push_back(std::move(axis));
  use(item);
  mapped(sec, item.lines.front(), item.text,
         fmt::format("toolkit: ${{{}.inject}} over the matrix", out_.matrix.back().name));
  return true;
}

void Importer::steps(const Section& s) {
  use(s.heading_line);
  auto& phase = out_.steps;
  phase.comments.push_back(fmt::format("From \"## {}\" (line {})", s.title, s.heading_line));
  Blocks b = split_blocks(s.body);
  for (const auto& item : b.items)
    if (!alternatives(item, s.title)) item_to_phase(item, phase, s.title, true);
  for (const auto& c : b.code) code_to_phase(c, phase, s.title);
  for (const auto& l : b.prose) {
    use(l.number);
    if (is_table_row(l.text)) {
      phase.comments.push_back(l.text);
      unmapped(s.title, l.number, l.text, "comment");
      continue;
    }
    Entry e;
    e.line = l.number;
    e.step["manual"] = escape_vars(trim(l.text));
    phase.entries.push_back(std::move(e));
    unmapped(s.title, l.number, l.text, "manual step");
  }
}

void Importer::cleanup(const Section& s) {
  use(s.heading_line);
  auto& phase = out_.cleanup;
  phase.comments.push_back(fmt::format("From \"## {}\" (line {})", s.title, s.heading_line));
  Blocks b = split_blocks(s.body);
  for (const auto& c : b.code) code_to_phase(c, phase, s.title);
  for (const auto& item : b.items) item_to_phase(item, phase, s.title, false);
  for (const auto& l : b.prose) {
    use(l.number);
    auto cmds = toolkit_commands(l.text);
    for (const auto& c : cmds) {
      phase.entries.push_back(toolkit_entry(c, label_of(l.text), false));
      phase.entries.back().line = l.number;
      mapped(s.title, l.number, l.text, "toolkit: " + c);
    }
    if (cmds.empty()) {
      Entry e;
      e.line = l.number;
      e.step["manual"] = escape_vars(trim(l.text));
      phase.entries.push_back(std::move(e));
      unmapped(s.title, l.number, l.text, "manual cleanup step");
    } else {
      phase.entries[phase.entries.size() - cmds.size()].comments.push_back(
          fmt::format("line {}: {}", l.number, trim(l.text)));
    }
  }
}

// ---- Checks ---------------------------------------------------------------------------------------------------

void Importer::checklist(const Section& s) {
  use(s.heading_line);
  has_checklist_ = true;
  auto& phase = out_.checks;
  phase.comments.push_back(fmt::format("From \"## {}\" (line {}): every item is a check.", s.title, s.heading_line));
  Blocks b = split_blocks(s.body);
  std::vector<const ListItem*> items;
  std::function<void(const ListItem&)> flatten = [&](const ListItem& i) {
    items.push_back(&i);
    for (const auto& c : i.children) flatten(c);
  };
  for (const auto& i : b.items) flatten(i);
  for (const ListItem* i : items) {
    for (int n : i->lines) use(n);
    Entry e;
    e.line = i->lines.front();
    auto bound = time_bound(i->text);
    std::string timed = bound ? captured_time(bound->var) : "";
    if (!timed.empty()) {
      // "Timeout detected within reasonable time (< 5 minutes)": the time the matching wait measured, asserted.
      e.step["name"] = escape_vars(i->text);
      e.step["assert"] = Json{{"value", "${" + timed + "}"}, {"less_than", bound->ms}};
      mapped(s.title, i->lines.front(), i->text,
             fmt::format("assert ${{{}}} < {} ms ({})", timed, bound->ms, bound->words));
    } else if (auto k = known_check(i->text)) {
      e.step["name"] = escape_vars(i->text);
      for (const auto& [key, v] : k->step.items()) e.step[key] = v;
      mapped(s.title, i->lines.front(), i->text, k->note);
    } else {
      e.step["manual"] = Json{{"instruction", escape_vars(i->text)}, {"choices", Json(kChoices)}};
      unmapped(s.title, i->lines.front(), i->text, "manual check (PASS/FAIL)");
    }
    phase.entries.push_back(std::move(e));
  }
  for (const auto& c : b.code)
    for (const auto& l : c.lines) {
      use(l.number);
      phase.comments.push_back(l.text);
      unmapped(s.title, l.number, l.text, "comment");
    }
  for (const auto& c : b.code)
    for (int f : c.fences) use(f);
  for (const auto& l : b.prose) {
    use(l.number);
    phase.comments.push_back(l.text);
    unmapped(s.title, l.number, l.text, "comment");
  }
}

std::string Importer::captured_time(const std::string& wanted) const {
  std::set<std::string> vars;
  for (const auto* phase : {&out_.preconditions, &out_.steps})
    for (const auto& e : phase->entries)
      if (e.step.contains("wait") && e.step.contains("capture") && e.step["capture"].is_object())
        for (const auto& [var, path] : e.step["capture"].items())
          if (path == "elapsed") vars.insert(var);
  // Words that name no measurement ("Latency stays < 5s") are not guessed at: they stay a manual check.
  return !wanted.empty() && vars.count(wanted) ? wanted : "";
}

void Importer::capture_binlog_position() {
  bool needs = std::any_of(out_.checks.entries.begin(), out_.checks.entries.end(),
                           [](const Entry& e) { return e.step.contains("binlog_advanced"); });
  if (!needs) return;
  const Json capture = Json{{"binlog_before", "binlog_gtid"}};  // a key `toolkit status` declares
  for (auto& e : out_.preconditions.entries)
    if (e.step.contains("toolkit") && e.step["toolkit"] == "status" && !e.step.contains("capture")) {
      e.step["capture"] = capture;
      e.comments.push_back("capture: the binlog position before the test, for the binlog_advanced check");
      return;
    }
  Entry e;
  e.step["name"] = "Record the binlog position before the test";
  e.step["toolkit"] = "status";
  e.step["capture"] = capture;
  e.comments.push_back("Added by the importer: the binlog_advanced check compares against this position.");
  out_.preconditions.entries.insert(out_.preconditions.entries.begin(), std::move(e));
}

// ---- Comment-only sections ------------------------------------------------------------------------------------

void Importer::commands(const Section& s) {
  use(s.heading_line);
  Axis* faults = nullptr;
  for (auto& a : out_.matrix)
    if (a.name == "failure") faults = &a;
  std::vector<std::string>& notes = faults ? out_.matrix_comments : out_.steps.comments;
  notes.push_back(
      fmt::format("\"## {}\" (line {}) of the document, and where each command went:", s.title, s.heading_line));
  Blocks b = split_blocks(s.body);
  for (const auto& c : b.code) {
    for (int f : c.fences) use(f);
    std::string label;
    for (const auto& l : c.lines) {
      use(l.number);
      std::string t = trim(l.text);
      if (t.empty()) {
        label.clear();
        continue;
      }
      if (t[0] == '#') {
        label = comment_text(t);
        notes.push_back("  " + t);
        continue;
      }
      std::string cmd = toolkit_command_line(t);
      std::string where;
      if (cmd.empty()) {
        where = "not a toolkit command: not run";
        unmapped(s.title, l.number, t, "comment (not a toolkit command)");
      } else if (faults && std::any_of(faults->values.begin(), faults->values.end(), [&](const Json& v) {
                   return norm_cmd(v.value("inject", "")) == norm_cmd(cmd);
                 })) {
        where = "in the matrix";
        mapped(s.title, l.number, t, "already in the matrix");
      } else if (commands_used_.count(norm_cmd(cmd))) {
        where = "already a step";
        mapped(s.title, l.number, t, "already a step");
      } else if (faults && is_fault(cmd)) {
        std::string name = fault_name(cmd), n0 = name;
        for (int n = 2; std::any_of(faults->values.begin(), faults->values.end(),
                                    [&](const Json& v) { return v.value("name", "") == name; });
             ++n)
          name = fmt::format("{}_{}", n0, n);
        std::string desc =
            std::regex_replace(label, std::regex(R"(^option\s*\d+\s*[:.)-]?\s*)", std::regex::icase), "");
        Json v = Json::object();
        v["name"] = name;
        v["inject"] = escape_vars(cmd);
        if (!desc.empty()) v["description"] = escape_vars(desc);
        faults->values.push_back(v);
        commands_used_.insert(norm_cmd(cmd));
        where = fmt::format("added to the matrix as failure '{}'", name);
        mapped(s.title, l.number, t, fmt::format("matrix failure: {}", name));
      } else {
        where = "not used by any step";
        unmapped(s.title, l.number, t, "comment (no step uses it)");
      }
      notes.push_back(fmt::format("  {}    <- {}", t, where));
    }
  }
  for (const auto& item : b.items) {
    use(item);
    notes.push_back("  " + item.raw);
    unmapped(s.title, item.lines.front(), item.text, "comment");
  }
  for (const auto& l : b.prose) {
    use(l.number);
    notes.push_back("  " + trim(l.text));
    unmapped(s.title, l.number, l.text, "comment");
  }
}

void Importer::expected(const Section& s) {
  use(s.heading_line);
  std::vector<std::string> c;
  c.push_back(
      fmt::format("\"## {}\" (line {}), kept for the reviewer (not checked automatically):", s.title, s.heading_line));
  for (const auto& l : s.body) {
    if (trim(l.text).empty()) continue;
    use(l.number);
    c.push_back("  " + rtrim(l.text));
    mapped(s.title, l.number, l.text, "comment above checks");
  }
  auto& cc = out_.checks.comments;
  cc.insert(cc.begin(), c.begin(), c.end());
}

void Importer::log(const Section& s) {
  use(s.heading_line);
  bool has_runs = std::any_of(s.body.begin(), s.body.end(), [](const Line& l) { return !trim(l.text).empty(); });
  if (!has_runs) {
    out_.tail.push_back(fmt::format("\"## {}\" (line {}) is empty: no past runs.", s.title, s.heading_line));
    return;
  }
  std::string side = line_text(s.heading_line) + "\n";
  size_t last = s.body.size();
  while (last > 0 && trim(s.body[last - 1].text).empty()) --last;
  int runs = 0;
  for (size_t i = 0; i < last; ++i) {
    side += s.body[i].text + "\n";
    use(s.body[i].number);
    if (trim(s.body[i].text).starts_with("### ")) ++runs;
  }
  rep_.sidecar_markdown += (rep_.sidecar_markdown.empty() ? "" : "\n") + side;
  mapped(s.title, s.heading_line, s.title,
         fmt::format("sidecar {}.runs.md ({} past run{})", rep_.id, runs, runs == 1 ? "" : "s"));
}

void Importer::other(const Section& s, const std::string& why) {
  const bool heading_done = s.heading_line && used_[static_cast<size_t>(s.heading_line)];
  bool anything = std::any_of(s.body.begin(), s.body.end(), [&](const Line& l) {
    return !used_[static_cast<size_t>(l.number)] && !trim(l.text).empty();
  });
  if (!anything && (heading_done || !s.heading_line)) return;
  if (s.heading_line) use(s.heading_line);
  std::vector<std::string> lines;
  for (const auto& l : s.body)
    if (!used_[static_cast<size_t>(l.number)]) lines.push_back(rtrim(l.text));
  while (!lines.empty() && trim(lines.back()).empty()) lines.pop_back();
  while (!lines.empty() && trim(lines.front()).empty()) lines.erase(lines.begin());
  out_.tail.push_back(s.heading_line
                          ? fmt::format("\"## {}\" (line {}) {}; kept verbatim:", s.title, s.heading_line, why)
                          : fmt::format("Text before the first section, kept verbatim:"));
  for (const auto& l : lines) out_.tail.push_back("  " + l);
  for (const auto& l : s.body)
    if (!used_[static_cast<size_t>(l.number)] && !trim(l.text).empty()) {
      use(l.number);
      unmapped(s.heading_line ? s.title : "Preamble", l.number, l.text, "comment");
    }
  if (s.heading_line && !heading_done) unmapped(s.title, s.heading_line, s.title, "comment (" + why + ")");
}

void Importer::leftovers() {
  bool first = true;
  for (const auto& l : doc_.lines) {
    if (used_[static_cast<size_t>(l.number)] || trim(l.text).empty()) continue;
    use(l.number);
    // Rules, fences and table separators carry no words of their own.
    if (is_rule(l.text) || is_fence(l.text) || is_table_separator(l.text)) continue;
    if (first) out_.tail.push_back("Lines not placed elsewhere, kept verbatim:");
    first = false;
    out_.tail.push_back(fmt::format("  line {}: {}", l.number, l.text));
    unmapped("Document", l.number, l.text, "comment");
  }
}

// ---- Driver ---------------------------------------------------------------------------------------------------

ImportReport Importer::run() {
  metadata();
  const std::string& id = rep_.id;
  out_.header.insert(out_.header.begin(), fmt::format("Imported by `tc-run import` from {}.", source_));
  std::vector<const Section*> deferred;
  for (const auto& s : doc_.sections) {
    switch (s.heading_line ? classify(s.title) : SectionKind::Preamble) {
      case SectionKind::Preamble: break;  // after the metadata table has taken its lines
      case SectionKind::Metadata: break;
      case SectionKind::Description: description(s); break;
      case SectionKind::Preconditions: preconditions(s); break;
      case SectionKind::Steps: steps(s); break;
      case SectionKind::Checklist: checklist(s); break;
      case SectionKind::Cleanup: cleanup(s); break;
      case SectionKind::Log: log(s); break;
      case SectionKind::Commands:  // needs the matrix and every step's command first
      case SectionKind::Expected:  // placed above the checks
      case SectionKind::Other: deferred.push_back(&s); break;
    }
  }
  for (const Section* s : deferred) {
    SectionKind k = classify(s->title);
    if (k == SectionKind::Commands)
      commands(*s);
    else if (k == SectionKind::Expected)
      expected(*s);
    else
      other(*s, "is not a section of the template");
  }
  // Leftovers of the metadata section and the preamble.
  for (const auto& s : doc_.sections)
    if (!s.heading_line)
      other(s, "");
    else if (classify(s.title) == SectionKind::Metadata)
      other(s, "is a second metadata section");
  leftovers();
  for (Phase* p : {&out_.preconditions, &out_.steps, &out_.checks, &out_.cleanup}) in_document_order(*p);
  capture_binlog_position();

  if (out_.steps.entries.empty())
    throw ImportError(
        fmt::format("{}: no test steps found: expected a numbered list under \"## Test Steps\"", source_));
  if (!rep_.sidecar_markdown.empty())
    out_.header.push_back(
        fmt::format("Past runs (\"## Test Execution Log\") are kept in {}.runs.md beside this file.", id));
  if (out_.meta.contains("etl_tools"))
    for (const auto& tool : out_.meta["etl_tools"]) {
      std::string t = lower(tool.get<std::string>());
      if (t == "hevo" || t == "fivetran" || t == "airbyte")
        out_.header.push_back(
            fmt::format("ETL Tools lists {}: run with --target {} to drive its dashboard; "
                        "the default target is the local replica.",
                        tool.get<std::string>(), t));
    }
  out_.header.push_back("Review the manual steps and the comments: they are what the importer could not automate.");
  for (auto [from, into] : {std::pair{&mapped_, &rep_.mapped}, std::pair{&unmapped_, &rep_.unmapped}}) {
    std::stable_sort(from->begin(), from->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [line, text] : *from) into->push_back(std::move(text));
  }
  rep_.yaml = write_yaml(out_);
  return std::move(rep_);
}

}  // namespace tc::scenario::md
