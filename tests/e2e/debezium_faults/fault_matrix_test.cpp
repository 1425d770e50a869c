// Every toolkit fault against the Debezium target (~6 min; CTest label `long`, left out of the default test run:
// `scripts/test.sh -L long`). What the engine shows under each is the table in docs/targets.md.
#include <doctest/doctest.h>

#include "daemon/daemon_spawn.hpp"
#include "support/run_results.hpp"
#include "support/test_files.hpp"
#include "util/process.hpp"

using namespace tc;
using tc::test::observation;
using tc::test::results_of;
using tc::test::slurp;
using tc::test::tail;

TEST_CASE("debezium fault matrix: every toolkit fault gives a state and Debezium's text, never ERROR, no loss") {
  test::RunTempDir tmp("tc-dbz");
  ProcessOptions po;
  po.timeout = std::chrono::minutes(20);
  auto r = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run",
                        std::string(TC_SOURCE_DIR) + "/scenarios/examples/debezium-faults.yaml", "--state-dir",
                        (tmp.path / "state").string(), "--reports", (tmp.path / "reports").string()},
                       po);
  INFO(tail(r.err));
  REQUIRE_FALSE(r.timed_out);
  auto results = results_of(tmp.path / "reports", "DBZ-FAULTS");
  REQUIRE(results.size() == 9);
  for (auto& [variant, res] : results) {
    CAPTURE(variant);
    CAPTURE(res["verdict_reason"]);
    CHECK(res["verdict"] != "ERROR");
    CHECK_FALSE(observation(res, "state shown").empty());
    // Whatever the engine showed, after the restore and "Fix Now" the data is complete and without duplicates.
    for (const auto& s : res["steps"])
      if (s["phase"] == "checks" && s["type"] != "assert") CHECK_MESSAGE(s["status"] == "passed", s["name"]);
    if (observation(res, "state shown").rfind("connecting", 0) == 0)
      CHECK_FALSE(observation(res, "error text shown").empty());  // a disconnected engine says why
  }
  CHECK(results["reject"]["verdict"] == "PASS");
  CHECK(observation(results["reject"], "error text shown").find("Connection reset") != std::string::npos);
}

TEST_CASE("debezium replay: append mode shows the duplicates of a crash before the offset flush, upsert does not") {
  // Label `long` with the fault matrix, not in CI: the append-mode replay did not show reliably (in some runs the
  // restart after the kill brought no duplicate although the offsets were put back); see issue 18's note.
  std::map<std::string, Json> results;
  for (const char* mode : {"upsert", "append"}) {
    test::RunTempDir tmp("tc-dbz");
    ProcessOptions po;
    po.timeout = std::chrono::minutes(6);
    auto r = run_process(
        {std::string(TC_BINARY_DIR) + "/runner/tc-run",
         std::string(TC_SOURCE_DIR) + "/scenarios/examples/debezium-replay.yaml", "--variant", mode, "--state-dir",
         (tmp.path / "state").string(), "--reports", (tmp.path / "reports").string(), "--var", "rows=100"},
        po);
    INFO(r.out);
    INFO(tail(r.err));
    REQUIRE_FALSE(r.timed_out);
    auto res = results_of(tmp.path / "reports", "DBZ-REPLAY");
    REQUIRE(res.size() == 1);
    results[mode] = res.begin()->second;
    CHECK(r.exit_code == (std::string(mode) == "upsert" ? 0 : 1));
    // `toolkit down` stops the engine by its pid.
    int pid = std::stoi("0" + slurp(tmp.path / "state" / "debezium" / "engine.pid"));
    REQUIRE(pid > 0);
    run_process({std::string(TC_BINARY_DIR) + "/runner/toolkit", "--state-dir", (tmp.path / "state").string(), "down"});
    CHECK_FALSE(toolkit::pid_alive(pid));
  }
  CAPTURE(results["upsert"]["verdict_reason"]);
  CAPTURE(results["append"]["verdict_reason"]);
  CHECK(results["upsert"]["verdict"] == "PASS");
  CHECK(results["append"]["verdict"] == "FAIL");
  bool caught = false;
  for (const auto& s : results["append"]["steps"])
    if (s["phase"] == "checks" && s["type"] == "no_duplicates") {
      caught = s["status"] == "failed" && s["output"]["duplicates"].get<long long>() > 0;
      CHECK(s["output"]["source_duplicates"] == 0);  // the source has none: these are the pipeline's
    }
  CHECK(caught);
}
