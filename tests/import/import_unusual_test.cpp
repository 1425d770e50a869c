// Importing hand-written documents that stray from the template: odd layouts load, bad ones fail clearly.
#include <doctest/doctest.h>

#include <algorithm>

#include "import/import_markdown.hpp"
#include "import_helpers.hpp"
#include "scenario/loader.hpp"
#include "scenario/vars.hpp"

using namespace tc::scenario;
using namespace import_test;

namespace {

const std::string kOdd = "TC-102-unusual-layout.md";

Scenario load_or_fail(const std::string& yaml) {
  try {
    return load_string(yaml, "imported.yaml", load_options());
  } catch (const LoadError& e) {
    for (const auto& d : e.diagnostics()) MESSAGE(d.str());
    MESSAGE(yaml);
    throw;
  }
}

std::string error_of(const std::string& md, const std::string& name = "case.md") {
  try {
    import_markdown(md, name);
  } catch (const ImportError& e) {
    return e.what();
  }
  return "";
}

bool any_contains(const std::vector<std::string>& list, const std::string& a, const std::string& b = "") {
  return std::any_of(list.begin(), list.end(), [&](const std::string& s) {
    return s.find(a) != std::string::npos && s.find(b) != std::string::npos;
  });
}

const char* kMinimal = R"(# TC-200: Minimal
## Metadata
| Field | Value |
|---|---|
| ID | TC-200 |

## Test Steps
1. Do the thing
)";

}  // namespace

TEST_CASE("an unusual layout still loads, and every line is carried") {
  const std::string md = read(corpus(kOdd));
  auto rep = import_markdown(md, kOdd);
  Scenario sc = load_or_fail(rep.yaml);
  auto missing = uncovered(md, rep.yaml, rep.sidecar_markdown);
  for (const auto& m : missing) MESSAGE("not carried: " << m);
  CHECK(missing.empty());
  CHECK(rep.sidecar_markdown.empty());  // the execution log has no runs

  // Metadata: known fields normalised, the others kept as comments and reported.
  CHECK(sc.id == "TC-102");
  CHECK(sc.title == "Schema change while the pipeline is paused");
  CHECK(sc.category == "Schema Evolution");
  CHECK(sc.severity == "High");
  CHECK(sc.etl_tools == std::vector<std::string>{"Fivetran", "Airbyte"});
  CHECK(sc.created.empty());
  CHECK(rep.yaml.find("# Metadata: Created = 10/02/2026 (created must be a date YYYY-MM-DD)") != std::string::npos);
  CHECK(rep.yaml.find("# Metadata: Jira = QA-123 | QA-124") != std::string::npos);
  CHECK(any_contains(rep.unmapped, "Priority", "severity must be"));
  // Prose keys are never interpolated: ${HOME} stays text.
  CHECK(sc.description.find("${HOME}/dumps") != std::string::npos);
  CHECK(sc.description.find("\n\nA second paragraph") != std::string::npos);
}

TEST_CASE("steps of an unusual layout run in the document's order with literal ${...} kept literal") {
  auto rep = import_markdown(read(corpus(kOdd)), kOdd);
  Scenario sc = load_or_fail(rep.yaml);
  std::vector<std::string> types;
  for (const auto& s : sc.steps) types.push_back(s.type);
  const std::vector<std::string> expected = {"manual",  "toolkit", "manual", "toolkit", "manual",
                                             "toolkit", "manual",  "manual", "wait",    "manual"};
  CHECK(types == expected);
  // A wrapped item line is one step; the code block's comment names the commands under it.
  CHECK(sc.steps[0].args == "Pause the pipeline from the dashboard and wait until it shows \"Paused\"");
  CHECK(sc.steps[5].args == "monitor");
  CHECK(sc.steps[5].name == "not a heading, a comment inside code");
  CHECK(sc.steps[6].args == "Run in a shell: mysql -e \"SELECT COUNT(*) FROM testdb.users\"");
  CHECK(sc.steps[7].args ==
        "Resume the pipeline: key: value, [brackets], {braces}, 'quotes', \"double\", #hash, & and * and !tag");
  // Inline "either a or b" is a matrix.
  REQUIRE(sc.matrix.size() == 1);
  REQUIRE(sc.matrix[0].values.size() == 2);
  CHECK(sc.matrix[0].values[0].at("inject") == "network --slow --latency 500");
  CHECK(sc.matrix[0].values[1].at("name") == "flap");
  // ${RUN} in a tester's text is escaped so it reaches the tester unchanged.
  const Step* snap = nullptr;
  for (const auto& s : sc.preconditions)
    if (s.type == "manual") snap = &s;
  REQUIRE(snap != nullptr);
  Vars vars;
  CHECK(vars.interpolate(snap->args.get<std::string>()) ==
        "A schema snapshot exists in `/tmp/snap-${RUN}` # taken by hand");
}

TEST_CASE("checks of an unusual layout: known checks with their tables, the rest manual") {
  auto rep = import_markdown(read(corpus(kOdd)), kOdd);
  Scenario sc = load_or_fail(rep.yaml);
  REQUIRE(sc.checks.size() == 5);
  CHECK(sc.checks[0].type == "gtid_contiguous");
  CHECK(sc.checks[1].type == "data_match");
  CHECK(sc.checks[1].args.at("table") == "orders");
  CHECK(sc.checks[2].type == "converges");  // row counts, once caught up
  CHECK(sc.checks[2].args.at("table") == "customers");
  CHECK(sc.checks[3].type == "manual");
  CHECK(sc.checks[4].args.at("instruction") == "Latency stays < 5s # approx");
  // Cleanup keeps prose as a manual step and the commands under their comment.
  REQUIRE(sc.cleanup.size() == 3);
  CHECK(sc.cleanup[0].type == "manual");
  CHECK(sc.cleanup[1].args == "network --slow --off");
  CHECK(sc.cleanup[1].name == "Remove latency");
}

TEST_CASE("sections outside the template and text before the first section become comments") {
  auto rep = import_markdown(read(corpus(kOdd)), kOdd);
  CHECK(rep.yaml.find("# \"## Risks\" (line 49) is not a section of the template; kept verbatim:") !=
        std::string::npos);
  CHECK(rep.yaml.find("#   - The dashboard may cache the old schema for up to 10 minutes.") != std::string::npos);
  CHECK(rep.yaml.find("#   Written from memory after the incident of 2026-01-30.") != std::string::npos);
  CHECK(rep.yaml.find("#   > Draft: not yet reviewed by the QA lead.") != std::string::npos);
  CHECK(any_contains(rep.unmapped, "Risks", "not a section of the template"));
  CHECK(any_contains(rep.unmapped, "toolkit monitor --watch --interval 5", "no step uses it"));
  CHECK(any_contains(rep.unmapped, "docker logs mysql-toolkit", "not a toolkit command"));
  CHECK(any_contains(rep.unmapped, "Nothing else to do", "no command follows it"));
}

TEST_CASE("no metadata table is a clear error naming the document") {
  const std::string msg = error_of(read(corpus("TC-103-no-metadata.md")), "TC-103-no-metadata.md");
  CHECK(msg.find("TC-103-no-metadata.md: no metadata table found") != std::string::npos);
  CHECK(msg.find("| Field | Value |") != std::string::npos);
  CHECK(error_of("").find("no metadata table") != std::string::npos);
  CHECK(error_of(std::string("\x00\x01\xff garbage", 12)).find("NUL") != std::string::npos);
}

TEST_CASE("missing ID, title or steps are clear errors") {
  std::string no_id = kMinimal;
  no_id.replace(no_id.find("| ID | TC-200 |"), 15, "| Author | Ann |");
  no_id.replace(0, no_id.find('\n'), "# Minimal");
  CHECK(error_of(no_id).find("no test case ID") != std::string::npos);

  std::string bad_id = kMinimal;
  bad_id.replace(bad_id.find("TC-200 |"), 6, "TC 200");
  CHECK(error_of(bad_id).find("'TC 200' is not a word") != std::string::npos);

  std::string no_steps = std::string(kMinimal).substr(0, std::string(kMinimal).find("## Test Steps"));
  CHECK(error_of(no_steps).find("no test steps found") != std::string::npos);

  // The heading alone gives the ID when the table has none.
  std::string heading_id = kMinimal;
  heading_id.replace(heading_id.find("| ID | TC-200 |"), 15, "| Author | Ann |");
  auto rep = import_markdown(heading_id, "x.md");
  CHECK(load_or_fail(rep.yaml).id == "TC-200");
}

TEST_CASE("a minimal document loads; bytes that are not UTF-8 are read as Latin-1 and reported") {
  auto rep = import_markdown(kMinimal, "min.md");
  Scenario sc = load_or_fail(rep.yaml);
  REQUIRE(sc.steps.size() == 1);
  CHECK(sc.steps[0].type == "manual");
  CHECK(sc.preconditions.empty());
  CHECK(sc.checks.empty());

  std::string latin = kMinimal;
  latin.replace(latin.find("Do the thing"), 12, "Caf\xe9 step");
  auto rep2 = import_markdown(latin, "latin.md");
  CHECK(load_or_fail(rep2.yaml).steps[0].args == "Caf\xc3\xa9 step");
  CHECK(any_contains(rep2.unmapped, "Latin-1"));
}
