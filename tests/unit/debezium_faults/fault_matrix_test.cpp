// Every toolkit fault against the Debezium target (~6 min; CTest label `long`, left out of the default test run:
// `scripts/test.sh -L long`). What the engine shows under each is the table in docs/targets.md.
#include <doctest/doctest.h>

#include "support/run_results.hpp"
#include "support/test_files.hpp"
#include "util/process.hpp"

using namespace tc;
using tc::test::observation;
using tc::test::results_of;
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
