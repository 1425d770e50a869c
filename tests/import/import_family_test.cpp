// A test case of the TC-001 family written the way testers write them (Alternative:, a Docker-only
// precondition, "< 5 minutes" checklist items) imports to a scenario that measures what it asks.
#include <doctest/doctest.h>

#include <algorithm>

#include "import/import_markdown.hpp"
#include "import_helpers.hpp"
#include "scenario/loader.hpp"

using namespace tc::scenario;
using namespace import_test;

namespace {
const std::string kTimeout = "TC-104-timeout-detection.md";

const Step* named(const std::vector<Step>& steps, const std::string& prefix) {
  for (const auto& s : steps)
    if (s.name.rfind(prefix, 0) == 0) return &s;
  return nullptr;
}
}  // namespace

TEST_CASE("Alternative: becomes a variant, a Docker-only precondition is dropped, time limits become asserts") {
  const std::string md = read(corpus(kTimeout));
  auto rep = import_markdown(md, kTimeout);
  INFO(rep.yaml);
  Scenario sc = load_string(rep.yaml, "imported.yaml", load_options());
  auto missing = uncovered(md, rep.yaml, rep.sidecar_markdown);
  for (const auto& m : missing) MESSAGE("not carried: " << m);
  CHECK(missing.empty());

  // "Simulate a network timeout: `...timeout`" with "- Alternative: `...reject`": two variants, timeout first.
  auto variants = sc.variants();
  REQUIRE(variants.size() == 2);
  CHECK(variants[0].name == "timeout");
  CHECK(variants[1].name == "reject");

  // The container precondition is not a step, and the scenario says why.
  for (const auto& p : sc.preconditions) CHECK(p.name.find("cap-add") == std::string::npos);
  CHECK(sc.preconditions.size() == 2);
  CHECK(rep.yaml.find("dropped (Docker-only") != std::string::npos);

  // The detection and recovery waits capture their times; the checklist's limits assert them.
  const Step* detect = named(sc.steps, "Wait for ETL tool to detect");
  REQUIRE(detect);
  REQUIRE(detect->captures.size() == 1);
  CHECK(detect->captures[0].var == "detect_ms");
  CHECK(detect->captures[0].path == "elapsed");
  const Step* within5 = named(sc.checks, "Timeout detected within reasonable time");
  REQUIRE(within5);
  CHECK(within5->type == "assert");
  CHECK(within5->args["value"] == "${detect_ms}");
  CHECK(within5->args["less_than"] == 300000);
  const Step* back = named(sc.checks, "Pipeline back to running within 2 minutes");
  REQUIRE(back);
  CHECK(back->type == "assert");
  CHECK(back->args["value"] == "${recover_ms}");
  CHECK(back->args["less_than"] == 120000);
  // Nothing is left to a person: the target answers every step.
  for (const auto* phase : {&sc.preconditions, &sc.steps, &sc.checks})
    for (const auto& s : *phase) CHECK_MESSAGE(s.type != "manual", s.name);
}

TEST_CASE("a time limit with no measurement to apply to stays a manual check") {
  const std::string md = R"(# TC-105: Limits without a wait
## Metadata
| Field | Value |
|-------|-------|
| ID | TC-105 |
## Test Steps
1. Restore the network: `toolkit network --up`
## Verification Checklist
- [ ] Error detected immediately (< 30 seconds)
)";
  auto rep = import_markdown(md, "TC-105.md");
  Scenario sc = load_string(rep.yaml, "imported.yaml", load_options());
  REQUIRE(sc.checks.size() == 1);
  CHECK(sc.checks[0].type == "manual");  // never an assert on a time nothing measured
}
