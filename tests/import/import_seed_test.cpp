// Importing the team's seed test case (TC-001): the scenario loads, maps what it should, loses nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "import/import_markdown.hpp"
#include "import_helpers.hpp"
#include "scenario/loader.hpp"

using namespace tc::scenario;
using namespace import_test;

namespace {

const std::string kSeed = "TC-001-pipeline-restart-fix-now.md";

const ImportReport& seed_report() {
  static const ImportReport rep = import_markdown(read(corpus(kSeed)), kSeed);
  return rep;
}

// The checklist lines of the seed, counted from the markdown itself.
std::vector<std::string> checklist_lines(const std::string& md) {
  std::vector<std::string> out;
  std::istringstream in(md);
  bool inside = false;
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("## ", 0) == 0)
      inside = l.find("Verification Checklist") != std::string::npos;
    else if (inside && l.rfind("- [", 0) == 0)
      out.push_back(l.substr(6));
  }
  return out;
}

const Step* find_step(const std::vector<Step>& steps, const std::string& type, const std::string& args) {
  for (const auto& s : steps)
    if (s.type == type && s.args.is_string() && s.args.get<std::string>() == args) return &s;
  return nullptr;
}

}  // namespace

TEST_CASE("the seed imports into a scenario the loader accepts, with its metadata") {
  const auto& rep = seed_report();
  REQUIRE(rep.yaml.rfind("# yaml-language-server: $schema=../schemas/scenario.schema.json\n", 0) == 0);
  CHECK(rep.yaml.find(kSeed) != std::string::npos);
  Scenario sc;
  try {
    sc = load_string(rep.yaml, "TC-001.yaml", load_options());
  } catch (const LoadError& e) {
    for (const auto& d : e.diagnostics()) MESSAGE(d.str());
    FAIL("the imported YAML does not load");
  }
  CHECK(sc.id == "TC-001");
  CHECK(rep.id == "TC-001");
  CHECK(sc.title == "Pipeline Restart via Fix Now");
  CHECK(sc.category == "Recovery");
  CHECK(sc.severity == "Critical");
  CHECK(sc.etl_tools == std::vector<std::string>{"Hevo"});
  CHECK(sc.created == "2026-02-10");
  CHECK(sc.author == "Arun");
  CHECK(sc.description.find("\"Fix Now\" option is used after a failure") != std::string::npos);
}

TEST_CASE("the failure options of step 2 and the Toolkit Commands' timeout option form the matrix") {
  Scenario sc = load_string(seed_report().yaml, "TC-001.yaml", load_options());
  REQUIRE(sc.matrix.size() == 1);
  const auto& axis = sc.matrix[0];
  CHECK(axis.name == "failure");
  std::map<std::string, std::string> inject;
  for (const auto& v : axis.values) inject[v.at("name").get<std::string>()] = v.at("inject").get<std::string>();
  CHECK(inject.size() == 4);
  CHECK(inject["reject"] == "network --down --type reject");
  CHECK(inject["truncate"] == "corrupt --type truncate");
  CHECK(inject["service"] == "network --down --type service");
  CHECK(inject["timeout"] == "network --down --type timeout");
  CHECK(sc.variants().size() == 4);
  // One step injects whichever failure the variant selects.
  const Step* inj = find_step(sc.steps, "toolkit", "${failure.inject}");
  REQUIRE(inj != nullptr);
  CHECK(inj->name == "Simulate a failure scenario using one of:");
}

TEST_CASE("preconditions: known conditions become checks of state, the data generator runs in the background") {
  Scenario sc = load_string(seed_report().yaml, "TC-001.yaml", load_options());
  REQUIRE(sc.preconditions.size() == 4);
  const Step* status = find_step(sc.preconditions, "toolkit", "status");
  REQUIRE(status != nullptr);
  REQUIRE(status->expect.size() == 1);
  CHECK(status->expect[0].path == "binlog_format");
  CHECK(status->expect[0].operand == "ROW");
  REQUIRE(status->captures.size() == 1);  // for the binlog_advanced check
  CHECK(status->captures[0].var == "binlog_before");
  CHECK(status->captures[0].path == "binlog_gtid");  // a key toolkit status declares (validate checks it)
  // "connected and syncing" is a state to reach (a pipeline just started is connecting): a wait, not a snapshot.
  REQUIRE(sc.preconditions[1].type == "wait");
  CHECK(sc.preconditions[1].name == "ETL pipeline connected and syncing");
  REQUIRE(sc.preconditions[1].until.size() == 1);
  CHECK(sc.preconditions[1].until[0].type == "pipeline");
  // "Initial sync completed successfully": the destination holds the source's rows.
  CHECK(sc.preconditions[2].type == "converges");
  CHECK(sc.preconditions[2].args.at("table") == "users");
  const Step* gen = find_step(sc.preconditions, "toolkit", "generate-data --interval 60");
  REQUIRE(gen != nullptr);
  CHECK(gen->background);
  CHECK(!gen->id.empty());
}

TEST_CASE("test steps keep the document's order; commands are toolkit steps, the rest manual or known") {
  Scenario sc = load_string(seed_report().yaml, "TC-001.yaml", load_options());
  std::vector<std::string> kinds;
  for (const auto& s : sc.steps)
    kinds.push_back(s.type + ":" + (s.args.is_string() ? s.args.get<std::string>() : "{}"));
  const std::vector<std::string> expected = {"wait:{}",
                                             "toolkit:${failure.inject}",
                                             "wait:{}",
                                             "pipeline:restart",
                                             "sleep:5s",
                                             "toolkit:network --up",
                                             "toolkit:restore --all",
                                             "wait:{}"};
  CHECK(kinds == expected);
  // The detection wait records how long the pipeline took to notice.
  REQUIRE(sc.steps[2].until.size() == 1);
  CHECK(sc.steps[2].until[0].type == "pipeline");
  REQUIRE(sc.steps[2].observes.size() == 1);
  CHECK(sc.steps[2].observes[0].name == "time_to_detect");
  CHECK(sc.steps[3].name == "Click \"Fix Now\" option in the ETL tool");
}

TEST_CASE("every checklist line is a check: known ones automated, the rest manual PASS/FAIL") {
  const std::string md = read(corpus(kSeed));
  Scenario sc = load_string(seed_report().yaml, "TC-001.yaml", load_options());
  auto lines = checklist_lines(md);
  REQUIRE(lines.size() == 5);
  REQUIRE(sc.checks.size() == lines.size());
  CHECK(sc.checks[0].type == "pipeline");
  CHECK(sc.checks[0].name == lines[0]);
  CHECK(sc.checks[1].type == "pipeline");   // "All objects show Syncing": the target answers for its objects
  CHECK(sc.checks[2].type == "converges");  // row counts, once the destination has caught up
  CHECK(sc.checks[2].args.at("table") == "users");
  CHECK(sc.checks[3].type == "no_duplicates");
  CHECK(sc.checks[4].type == "binlog_advanced");
  CHECK(sc.checks[4].args.at("since") == "${binlog_before}");
  for (size_t i = 0; i < lines.size(); ++i)
    if (sc.checks[i].type != "manual") CHECK(sc.checks[i].name == lines[i]);
}

TEST_CASE("cleanup commands are cleanup steps named by the comment above them") {
  Scenario sc = load_string(seed_report().yaml, "TC-001.yaml", load_options());
  REQUIRE(sc.cleanup.size() == 3);
  CHECK(sc.cleanup[0].args == "network --up");
  CHECK(sc.cleanup[0].name == "Restore all connections");
  CHECK(sc.cleanup[1].args == "restore --all");
  CHECK(sc.cleanup[1].name == "Restore any corrupted binlogs");
  CHECK(sc.cleanup[2].args == "status");
  CHECK(sc.cleanup[2].name == "Verify status");
  for (const auto& s : sc.cleanup) CHECK(s.type == "toolkit");
}

TEST_CASE("the past run goes to the sidecar verbatim, not into the scenario") {
  const auto& rep = seed_report();
  const std::string md = read(corpus(kSeed));
  size_t log = md.find("## Test Execution Log");
  REQUIRE(log != std::string::npos);
  CHECK(rep.sidecar_markdown == md.substr(log));
  CHECK(rep.sidecar_markdown.find("### Run 1 - 2026-02-10") != std::string::npos);
  CHECK(rep.yaml.find("Run 1") == std::string::npos);
  CHECK(rep.yaml.find("ngrok") == std::string::npos);
  CHECK(rep.yaml.find("TC-001.runs.md") != std::string::npos);
}

TEST_CASE("every non-empty line of the seed is carried by the YAML or the sidecar") {
  const auto& rep = seed_report();
  const std::string md = read(corpus(kSeed));
  auto missing = uncovered(md, rep.yaml, rep.sidecar_markdown);
  for (const auto& m : missing) MESSAGE("not carried: " << m);
  CHECK(missing.empty());

  SUBCASE("the coverage check notices a dropped line") {
    std::string cut = rep.yaml;
    size_t at = cut.find("# Option 2: Simulate network timeout");
    REQUIRE(at != std::string::npos);
    cut.erase(at, cut.find('\n', at) - at);
    auto gone = uncovered(md, cut, rep.sidecar_markdown);
    REQUIRE(gone.size() == 1);
    CHECK(gone[0] == "# Option 2: Simulate network timeout");
    // Without the sidecar the past run is missing.
    auto no_side = uncovered(md, rep.yaml, "");
    CHECK(std::count(no_side.begin(), no_side.end(), "### Run 1 - 2026-02-10") == 1);
    CHECK(std::count(no_side.begin(), no_side.end(), "1. Connected Hevo pipeline to MySQL toolkit via ngrok") == 1);
  }
}

TEST_CASE("the report names what was mapped and what was not") {
  const auto& rep = seed_report();
  auto has = [](const std::vector<std::string>& list, const std::string& a, const std::string& b) {
    return std::any_of(list.begin(), list.end(), [&](const std::string& s) {
      return s.find(a) != std::string::npos && s.find(b) != std::string::npos;
    });
  };
  CHECK(has(rep.mapped, "Row counts match", "converges"));
  CHECK(has(rep.mapped, "No duplicate records", "no_duplicates"));
  CHECK(has(rep.mapped, "network --down --type timeout", "matrix failure: timeout"));
  CHECK(has(rep.mapped, "Test Execution Log", "sidecar TC-001.runs.md (1 past run)"));
  CHECK(has(rep.mapped, "Pipeline detects failure", "comment"));
  // Every line of the seed is automated now: it imports to a scenario that runs unattended.
  CHECK(has(rep.mapped, "Initial sync completed successfully", "converges"));
  CHECK(has(rep.mapped, "Wait for pipeline to attempt recovery", "sleep"));
  CHECK(has(rep.mapped, "All objects show", "pipeline: status"));
  CHECK(rep.unmapped.empty());
}

TEST_CASE("Windows line endings import to the same scenario") {
  std::string md = read(corpus(kSeed)), crlf;
  for (char c : md) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto a = import_markdown(md, kSeed), b = import_markdown(crlf, kSeed);
  CHECK(a.yaml == b.yaml);
  CHECK(b.yaml.find('\r') == std::string::npos);
}
