// scenarios/examples/: each feature's example runs unattended against the replica and PASSes; its false twin (the
// same file with one --var that makes an assertion false) FAILs at that assertion, never ERRORs.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "support/test_files.hpp"
#include "util/json.hpp"
#include "util/process.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;
using namespace tc;
using tc::test::slurp;

namespace {

std::string example(const char* name) {
  return std::string(TC_SOURCE_DIR) + "/scenarios/examples/" + name;
}

// Runs tc-run with `args` in a private state dir; returns every result.json under the reports folder by id.
std::map<std::string, Json> run(const fs::path& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {std::string(TC_BINARY_DIR) + "/runner/tc-run", "run"};
  argv.insert(argv.end(), args.begin(), args.end());
  for (const std::string& a :
       std::vector<std::string>{"--state-dir", (dir / "state").string(), "--reports", (dir / "reports").string(), "-q"})
    argv.push_back(a);
  ProcessOptions po;
  po.timeout = std::chrono::minutes(6);
  auto r = run_process(argv, po);
  INFO(r.out);
  INFO(r.err.substr(r.err.size() > 4000 ? r.err.size() - 4000 : 0));
  REQUIRE_FALSE(r.timed_out);
  std::map<std::string, Json> out;
  for (const auto& e : fs::recursive_directory_iterator(dir / "reports"))
    if (e.path().filename() == "result.json") {
      auto j = Json::parse(slurp(e.path()));
      out[j["scenario"]["id"].get<std::string>()] = j;
    }
  run_process({std::string(TC_BINARY_DIR) + "/runner/toolkit", "--state-dir", (dir / "state").string(), "down"}, {});
  return out;
}

std::string checklist(const Json& result) {
  std::string s;
  for (const auto& st : result["steps"])
    if (st["phase"] == "checks") s += st["status"].get<std::string>() + " " + st["name"].get<std::string>() + "\n";
  return s;
}

}  // namespace

TEST_CASE("the examples PASS against the replica") {
  test::RunTempDir tmp("tc-examples");
  auto res = run(tmp.path, {example("refused-detect.yaml"), example("latency-hold.yaml"),
                            example("truncate-notice.yaml"), "--jobs", "2"});
  REQUIRE(res.count("EX-REFUSED"));
  REQUIRE(res.count("EX-LATENCY"));
  REQUIRE(res.count("EX-TRUNCATE"));
  for (const auto& [id, r] : res) {
    CAPTURE(id);
    INFO(checklist(r));
    CHECK(r["verdict"] == "PASS");
  }
  // The expression check compared against a real number (rows before + rows generated), not an empty value.
  bool computed = false;
  for (const auto& st : res["EX-REFUSED"]["steps"])
    if (st["name"].get<std::string>().find("Final row count") == 0 && st["status"] == "passed") computed = true;
  CHECK(computed);
}

TEST_CASE("each example's false twin FAILs at its assertion") {
  test::RunTempDir tmp("tc-examples-twin");
  auto refused = run(tmp.path / "a", {example("refused-detect.yaml"), "--var", "max_detect_ms=0"});
  REQUIRE(refused.count("EX-REFUSED"));
  INFO(checklist(refused["EX-REFUSED"]));
  CHECK(refused["EX-REFUSED"]["verdict"] == "FAIL");
  CHECK(refused["EX-REFUSED"]["verdict_reason"].get<std::string>().find("Error detected immediately") !=
        std::string::npos);

  auto truncate =
      run(tmp.path / "c", {example("truncate-notice.yaml"), "--var", "backup_slack=1", "--var", "notice_within=2s"});
  REQUIRE(truncate.count("EX-TRUNCATE"));
  INFO(checklist(truncate["EX-TRUNCATE"]));
  CHECK(truncate["EX-TRUNCATE"]["verdict"] == "FAIL");
  CHECK(truncate["EX-TRUNCATE"]["verdict_reason"].get<std::string>().find("Backup holds the whole file") !=
        std::string::npos);

  auto latency = run(tmp.path / "b",
                     {example("latency-hold.yaml"), "--var", "state_under_latency=failed", "--var", "hold_for=5s"});
  REQUIRE(latency.count("EX-LATENCY"));
  const Json& r = latency["EX-LATENCY"];
  INFO(checklist(r));
  CHECK(r["verdict"] == "FAIL");
  bool broken = false;
  for (const auto& st : r["steps"])
    if (st["name"] == "Pipeline remains connected under latency")
      broken = st["status"] == "failed" && st["message"].get<std::string>().find("did not hold") == 0;
  CHECK(broken);
}

// "Every YAML example in docs/ that can run on the sandbox is run": the complete scenarios of the docs that need
// nothing outside it (no tester, no vendor API, no other server) run unattended and PASS.
TEST_CASE("the docs' complete example scenarios that need only the sandbox run and PASS") {
  test::RunTempDir tmp("tc-doc-examples");
  fs::create_directories(tmp.path / "docs");
  std::vector<std::string> ran, left_out;
  for (const char* doc : {"authoring.md", "scenario-format.md", "checks.md", "targets.md", "ci.md"}) {
    std::string text = slurp(fs::path(TC_SOURCE_DIR) / "docs" / doc);
    size_t pos = 0;
    while ((pos = text.find("```yaml\n", pos)) != std::string::npos) {
      size_t end = text.find("```", pos + 8);
      std::string block = text.substr(pos + 8, end - pos - 8);
      pos = end + 3;
      if (block.rfind("id:", 0) != 0) continue;  // a snippet, loaded by the docs test
      std::string id = block.substr(4, block.find('\n') - 4);
      bool outside = block.find("manual:") != std::string::npos || block.find("http:") != std::string::npos ||
                     block.find("connections:") != std::string::npos || block.find("target:") != std::string::npos;
      if (outside) {
        left_out.push_back(id);
        continue;
      }
      std::ofstream(tmp.path / "docs" / (id + ".yaml")) << block;
      ran.push_back(id);
    }
  }
  MESSAGE("run: " << join(ran) << "; needing more than the sandbox: " << join(left_out));
  REQUIRE(ran.size() >= 3);
  auto res = run(tmp.path, {(tmp.path / "docs").string(), "--jobs", "2"});
  for (const auto& id : ran) {
    CAPTURE(id);
    REQUIRE(res.count(id));
    INFO(checklist(res[id]));
    INFO(res[id]["verdict_reason"].get<std::string>());
    CHECK(res[id]["verdict"] == "PASS");
  }
}

// The importer's promise: the seed test case imports to a scenario that runs unattended on the replica and ends
// in a verdict of the pipeline's making (here PASS for the refused network), never a manual prompt or an ERROR.
TEST_CASE("the seed TC-001 imports to a scenario that runs unattended and PASSes its reject variant") {
  test::RunTempDir tmp("tc-import-run");
  std::string seed = std::string(TC_SOURCE_DIR) + "/tests/corpus/markdown/TC-001-pipeline-restart-fix-now.md";
  REQUIRE(fs::exists(seed));
  std::string yaml = (tmp.path / "TC-001.yaml").string();
  auto imp = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run", "import", seed, "-o", yaml});
  INFO(imp.out << imp.err);
  REQUIRE(imp.exit_code == 0);
  CHECK(imp.out.find("Not mapped, carried as manual steps or comments (0):") != std::string::npos);
  auto res = run(tmp.path, {yaml, "--variant", "reject"});
  REQUIRE(res.count("TC-001"));
  INFO(checklist(res["TC-001"]));
  INFO(res["TC-001"]["verdict_reason"].get<std::string>());
  CHECK(res["TC-001"]["verdict"] == "PASS");
}

// A test case of the family written like the seed but with an Alternative: line, a Docker-only precondition and
// "< N minutes" items: it imports with nothing manual and runs unattended, its limits asserted on measured times.
TEST_CASE("TC-104 (timeout detection) imports and runs unattended: its time limits are asserted, it PASSes") {
  test::RunTempDir tmp("tc-import-run");
  std::string md = std::string(TC_SOURCE_DIR) + "/tests/corpus/markdown/TC-104-timeout-detection.md";
  std::string yaml = (tmp.path / "TC-104.yaml").string();
  auto imp = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run", "import", md, "-o", yaml});
  INFO(imp.out << imp.err);
  REQUIRE(imp.exit_code == 0);
  CHECK(imp.out.find("Not mapped, carried as manual steps or comments (0):") != std::string::npos);
  auto res = run(tmp.path, {yaml, "--variant", "reject"});
  REQUIRE(res.count("TC-104"));
  INFO(checklist(res["TC-104"]));
  INFO(res["TC-104"]["verdict_reason"].get<std::string>());
  CHECK(res["TC-104"]["verdict"] == "PASS");
  bool asserted = false;
  for (const auto& s : res["TC-104"]["steps"])
    if (s["name"].get<std::string>().rfind("Timeout detected within reasonable time", 0) == 0) {
      asserted = true;
      CHECK(s["type"] == "assert");
      CHECK(s["status"] == "passed");
    }
  CHECK(asserted);
}
