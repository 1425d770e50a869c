// The debezium target end to end: a real Debezium embedded engine (pipelines/debezium, built by scripts/setup.sh)
// reading the sandbox through the fault proxy and applying to its own destination MariaDB, driven by tc-run.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "daemon/daemon_spawn.hpp"
#include "support/run_results.hpp"
#include "support/test_files.hpp"
#include "targets/debezium.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using namespace tc;
using tc::test::observation;
using tc::test::results_of;
using tc::test::slurp;
using tc::test::tail;

namespace {

std::string tc_run() {
  return std::string(TC_BINARY_DIR) + "/runner/tc-run";
}

}  // namespace

TEST_CASE("debezium: the jar the set-up script builds is found without a path") {
  std::string jar = targets::find_debezium_jar();
  INFO("run scripts/setup.sh to build pipelines/debezium");
  REQUIRE_FALSE(jar.empty());
  CHECK(fs::file_size(jar) > 1'000'000);  // the shaded jar carries Debezium, Kafka Connect's runtime and the drivers
}

TEST_CASE("TC-001 --target debezium: every variant unattended, PASS or a FAIL that quotes Debezium, never ERROR") {
  test::RunTempDir tmp("tc-dbz");
  ProcessOptions po;
  po.timeout = std::chrono::minutes(12);
  auto r = run_process({tc_run(), std::string(TC_SOURCE_DIR) + "/scenarios/TC-001.yaml", "--target", "debezium",
                        "--state-dir", (tmp.path / "state").string(), "--reports", (tmp.path / "reports").string(),
                        "--tester", "ci", "--var", "detect_timeout=30s", "--var", "recover_timeout=90s"},
                       po);
  INFO(r.out);
  INFO(tail(r.err));
  REQUIRE_FALSE(r.timed_out);
  auto results = results_of(tmp.path / "reports", "TC-001");
  REQUIRE(results.size() == 4);
  for (auto& [variant, res] : results) {
    CAPTURE(variant);
    CAPTURE(res["verdict_reason"]);
    CHECK(res["verdict"] != "ERROR");
    CHECK(res["target"] == "debezium");
    std::string md = slurp(fs::path(res["_dir"].get<std::string>()) / "execution-log.md");
    CHECK(md.find("| ETL Tool | Debezium ") != std::string::npos);
    CHECK(md.find("(embedded, MariaDB connector)") != std::string::npos);
    // The engine's own log is kept beside the report.
    CHECK(fs::exists(fs::path(res["_dir"].get<std::string>()) / "logs" / "pipeline-debezium-engine.log"));
  }
  // A refused connection stops Debezium's task (its MariaDB connector treats the error as non-retriable): the
  // run sees the failure, quotes Debezium's error, and "Fix Now" after the restore brings it back with no loss.
  auto& reject = results["reject"];
  CHECK(reject["verdict"] == "PASS");
  CHECK(observation(reject, "time to detect").find("not reached") == std::string::npos);
  CHECK(observation(reject, "error text shown").find("Exception") != std::string::npos);
  CHECK(r.exit_code <= 1);
}
