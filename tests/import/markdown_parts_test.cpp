// The importer's parts: YAML scalars that survive a round trip, and the markdown reader's edge cases.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "import/markdown_doc.hpp"
#include "import/markdown_known.hpp"
#include "import/markdown_yaml_writer.hpp"

using namespace tc::scenario::md;

TEST_CASE("every string written as a YAML scalar reads back unchanged") {
  const std::vector<std::string> tricky = {"plain words",
                                           "network --down --type reject",
                                           "a: b",
                                           "#x",
                                           "a #b",
                                           "- x",
                                           "yes",
                                           "No",
                                           "null",
                                           "~",
                                           "",
                                           "  lead",
                                           "trail ",
                                           "tab\there",
                                           "line\nbreak",
                                           "quote\"d",
                                           "back\\slash",
                                           "{x}",
                                           "[x]",
                                           "*alias",
                                           "&anchor",
                                           "!tag",
                                           "%dir",
                                           "@x",
                                           "`x`",
                                           "123",
                                           "1.5",
                                           "0x1F",
                                           "2026-02-10",
                                           "${failure.inject}",
                                           "caf\xc3\xa9",
                                           "\x01"};
  for (const auto& s : tricky) {
    std::string doc = "k: " + yaml_scalar(s) + "\nf: " + yaml_flow(tc::Json{{"v", s}, {"l", {s, s}}}) + "\n";
    YAML::Node n = YAML::Load(doc);
    CHECK_MESSAGE(n["k"].as<std::string>() == s, doc);
    CHECK_MESSAGE(n["f"]["v"].as<std::string>() == s, doc);
    CHECK_MESSAGE(n["f"]["l"][1].as<std::string>() == s, doc);
  }
  CHECK(yaml_scalar("network --up") == "network --up");  // readable where it is safe
  CHECK(yaml_scalar("yes") == "\"yes\"");
  CHECK(yaml_comment("a\nb", 2) == "  # a\n  # b\n");
  CHECK(escape_vars("x ${HOME} $y") == "x $${HOME} $y");
  bool converted = false;
  CHECK(to_utf8("caf\xe9", &converted) == "caf\xc3\xa9");
  CHECK(converted);
  CHECK(to_utf8("caf\xc3\xa9", &converted) == "caf\xc3\xa9");
  CHECK_FALSE(converted);
}

TEST_CASE("markdown: headings inside fenced code are not sections; lists nest and wrap") {
  Document d = parse_document(
      "# T-1: Title\n## Steps\n```\n# a comment\n## not a section\n```\n1. first\n   wrapped\n   - child `toolkit "
      "status`\n2) second\n\nloose text\n---\n## Other\n");
  REQUIRE(d.sections.size() == 3);
  CHECK(d.title == "T-1: Title");
  CHECK(d.sections[1].title == "Steps");
  CHECK(d.sections[2].title == "Other");
  Blocks b = split_blocks(d.sections[1].body);
  REQUIRE(b.code.size() == 1);
  CHECK(b.code[0].lines.size() == 2);
  CHECK(b.code[0].fences.size() == 2);
  REQUIRE(b.items.size() == 2);
  CHECK(b.items[0].text == "first wrapped");
  CHECK(b.items[0].lines == std::vector<int>{7, 8});
  REQUIRE(b.items[0].children.size() == 1);
  CHECK(toolkit_commands(b.items[0].children[0].text) == std::vector<std::string>{"status"});
  CHECK(b.items[1].text == "second");
  REQUIRE(b.prose.size() == 1);  // the rule carries no words
  CHECK(b.prose[0].text == "loose text");
}

TEST_CASE("markdown: tables, checkboxes and code spans") {
  std::vector<Line> body = {{1, "| Field | Value |"}, {2, "|:--|--:|"}, {3, "| Jira | A \\| B |"}, {4, "| ID |"}};
  Table t;
  REQUIRE(find_table(body, t));
  CHECK(t.header == std::vector<std::string>{"Field", "Value"});
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0] == std::vector<std::string>{"Jira", "A | B"});
  CHECK(t.rows[1] == std::vector<std::string>{"ID"});
  CHECK_FALSE(find_table({{1, "| not a table |"}, {2, "text"}}, t));

  Blocks b = split_blocks({{1, "- [x] done"}, {2, "- [ ] open"}, {3, "- [link](x)"}});
  REQUIRE(b.items.size() == 3);
  CHECK(b.items[0].checked);
  CHECK(b.items[1].checkbox);
  CHECK_FALSE(b.items[1].checked);
  CHECK_FALSE(b.items[2].checkbox);
  CHECK(b.items[2].text == "[link](x)");

  CHECK(code_spans("a `x` b ``y ` z`` `unclosed") == std::vector<std::string>{"x", "y ` z"});
  CHECK(plain_text("**ID** `x`") == "ID x");
}

TEST_CASE("known phrases: commands, faults and their names") {
  CHECK(runs_until_stopped("generate-data --interval 60"));
  CHECK_FALSE(runs_until_stopped("generate-data --interval 0"));
  CHECK_FALSE(runs_until_stopped("generate-data --count 5"));
  CHECK(is_fault("network --down --type timeout"));
  CHECK(is_fault("corrupt --type truncate"));
  CHECK_FALSE(is_fault("network --up"));
  CHECK_FALSE(is_fault("network --slow --off"));
  CHECK(fault_name("corrupt --type random-bytes") == "random_bytes");
  CHECK(fault_name("replicate --scenario gtid-gap") == "gtid_gap");
  CHECK(fault_name("network --flap") == "flap");
  CHECK(toolkit_command_line("$ toolkit status") == "status");
  CHECK(toolkit_command_line("toolkitx status").empty());
  CHECK_FALSE(known_check("The dashboard looks fine").has_value());
  CHECK(known_check("No duplicate rows in `orders`")->step.at("no_duplicates").at("table") == "orders");
  CHECK_FALSE(known_condition("Pipeline has failed and stopped").has_value());
}
