#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "report/writers.hpp"
#include "sample_run.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

using namespace tc;
using namespace tc::report;
using namespace tc::report::testing;

namespace {

// Parses the XML with a real parser (Python's minidom) and returns its structure as JSON.
const char* kSummarize = R"PY(
import json, sys, xml.dom.minidom
doc = xml.dom.minidom.parse(sys.argv[1])
root = doc.documentElement
out = {"root": root.tagName, "attrs": dict(root.attributes.items()), "suites": []}
for s in root.getElementsByTagName("testsuite"):
    cases = []
    for c in s.getElementsByTagName("testcase"):
        kinds = [n.tagName for n in c.childNodes if n.nodeType == n.ELEMENT_NODE]
        msg = ""
        for n in c.childNodes:
            if n.nodeType == n.ELEMENT_NODE and n.hasAttribute("message"):
                msg = n.getAttribute("message")
        cases.append({"name": c.getAttribute("name"), "classname": c.getAttribute("classname"),
                      "time": c.getAttribute("time"), "kinds": kinds, "message": msg})
    props = {p.getAttribute("name"): p.getAttribute("value") for p in s.getElementsByTagName("property")}
    out["suites"].append({"attrs": dict(s.attributes.items()), "cases": cases, "props": props})
print(json.dumps(out))
)PY";

Json parse_xml(const std::string& xml) {
  auto dir = std::filesystem::temp_directory_path() / ("tc-junit-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto file = dir / "junit.xml";
  std::ofstream(file) << xml;
  ProcessOptions opts;
  opts.timeout = std::chrono::seconds(30);
  auto r = run_process({"python3", "-c", kSummarize, file.string()}, opts);
  std::filesystem::remove_all(dir);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return Json::parse(r.out);
}

}  // namespace

TEST_CASE("junit: well-formed, one suite per run, one testcase per step and check; each failure counted once") {
  auto a = sample_run();
  auto b = sample_run();
  b.variant = "";
  b.verdict = Verdict::Pass;
  b.verdict_reason = "";
  b.steps.resize(2);
  Json x = parse_xml(render_junit({a, b}));
  CHECK(x["root"] == "testsuites");
  REQUIRE(x["suites"].size() == 2);
  const Json& s = x["suites"][0];
  CHECK(s["attrs"]["name"] == "TC-001 [reject]");
  CHECK(x["suites"][1]["attrs"]["name"] == "TC-001");
  CHECK(s["attrs"]["tests"] == "9");
  CHECK(s["attrs"]["failures"] == "2");  // manual FAIL, duplicate check: the FAIL verdict is not counted again
  CHECK(s["attrs"]["errors"] == "1");    // cleanup
  CHECK(s["attrs"]["skipped"] == "1");   // pending check
  CHECK(s["attrs"]["time"] == "12.345");
  CHECK(s["attrs"]["timestamp"] == "2026-02-10T23:59:58");
  CHECK(x["attrs"]["tests"] == "11");
  CHECK(s["props"]["verdict"] == "FAIL");
  CHECK(s["props"]["variant.failure"] == R"({"name":"reject","inject":"network --down --type reject"})");

  const Json& cases = s["cases"];
  REQUIRE(cases.size() == 9);
  CHECK(cases[0]["name"] == "toolkit status");
  CHECK(cases[0]["classname"] == "preconditions");
  CHECK(cases[0]["time"] == "0.085");
  CHECK(cases[0]["kinds"] == Json::array({"system-out"}));
  CHECK(cases[2]["kinds"] == Json::array());
  CHECK(cases[4]["name"] == "Click \"Fix Now\"");
  CHECK(cases[4]["kinds"] == Json::array({"failure"}));
  CHECK(cases[4]["message"] == "tester answered FAIL: pipeline stuck in Connecting");
  CHECK(cases[6]["classname"] == "checks");
  CHECK(cases[6]["kinds"] == Json::array({"failure"}));
  CHECK(cases[7]["kinds"] == Json::array({"skipped"}));
  CHECK(cases[7]["message"] == "pending: no answer from the tester");
  CHECK(cases[8]["classname"] == "cleanup");
  CHECK(cases[8]["kinds"] == Json::array({"error"}));
  for (const auto& c : cases) CHECK(c["name"] != "verdict");
  CHECK(x["suites"][1]["cases"].size() == 2);  // a passing run has no verdict testcase
}

TEST_CASE("junit: a run that is not green with no failing step (PENDING) gets a failing verdict testcase") {
  auto run = sample_run();
  run.verdict = Verdict::Error;
  run.verdict_reason = "1 manual step is PENDING";
  for (auto& st : run.steps)
    if (st.status == Status::Failed || st.status == Status::Error) st.status = Status::Passed;
  Json x = parse_xml(render_junit({run}));
  const Json& s = x["suites"][0];
  REQUIRE(s["cases"].size() == run.steps.size() + 1);
  CHECK(s["cases"].back()["name"] == "verdict");
  CHECK(s["cases"].back()["kinds"] == Json::array({"error"}));
  CHECK(s["attrs"]["errors"] == "1");
  CHECK(s["attrs"]["failures"] == "0");
}

TEST_CASE("junit: markup, quotes, control characters and bad UTF-8 stay well-formed and round-trip") {
  auto run = sample_run();
  run.scenario_id = "TC<&>\"'";
  run.steps[4].message = "expected <b> & \"q\" 'a'\x01\x1b[31m\xff end\nsecond line";
  run.steps[4].output_excerpt = "]]> <![CDATA[ x";
  Json x = parse_xml(render_junit({run}));
  CHECK(x["suites"][0]["attrs"]["name"] == "TC<&>\"' [reject]");
  CHECK(x["suites"][0]["cases"][4]["message"] == "expected <b> & \"q\" 'a'[31m\xEF\xBF\xBD end\nsecond line");
}

TEST_CASE("junit: an empty list of runs is still a valid document") {
  Json x = parse_xml(render_junit({}));
  CHECK(x["root"] == "testsuites");
  CHECK(x["attrs"]["tests"] == "0");
}
