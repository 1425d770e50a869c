// The soak scenarios (scenarios/soak/flap-*.yaml) end to end in their shortened CI form: the network flaps while data
// is generated continuously and the replica follows; the verdict is PASS and the log holds one table row per cycle.
// TC_SOAK_DURATION / TC_SOAK_INTERVAL (e.g. 300s / 30s) run the full length through the same test.
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/test_files.hpp"
#include "util/duration.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using namespace tc;
using tc::test::slurp;

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

// Runs one soak scenario and checks verdict, convergence checks and the per-cycle table.
void soak(const std::string& type) {
  test::RunTempDir tmp("tc-soak");
  std::string duration = env_or("TC_SOAK_DURATION", "20s"), interval = env_or("TC_SOAK_INTERVAL", "4s");
  auto d = parse_duration(duration), i = parse_duration(interval);
  REQUIRE(d);
  REQUIRE(i);
  ProcessOptions po;
  po.timeout = *d + std::chrono::minutes(6);
  po.env = {{"CI", "1"}};
  auto r = run_process({std::string(TC_BINARY_DIR) + "/runner/tc-run",
                        std::string(TC_SOURCE_DIR) + "/scenarios/soak/flap-" + type + ".yaml", "--state-dir",
                        (tmp.path / "state").string(), "--reports", (tmp.path / "reports").string(), "--tester", "ci",
                        "--var", "flap_duration=" + duration, "--var", "flap_interval=" + interval},
                       po);
  INFO(r.out);
  INFO(r.err.substr(r.err.size() > 8000 ? r.err.size() - 8000 : 0));
  REQUIRE_FALSE(r.timed_out);
  std::string id = "SOAK-FLAP-" + std::string(type == "reject" ? "REJECT" : "TIMEOUT");
  fs::path run;
  for (const auto& e : fs::directory_iterator(tmp.path / "reports" / id)) run = e.path();
  REQUIRE_FALSE(run.empty());
  auto res = Json::parse(slurp(run / "result.json"));
  std::string md = slurp(run / "execution-log.md");
  INFO(md);
  CHECK(r.exit_code == 0);
  CHECK(res["verdict"] == "PASS");

  // The flap's cycles, as the flap_recovery step recorded them: on one interval, off the next.
  const Json* follow = nullptr;
  for (const auto& s : res["steps"])
    if (s.value("type", "") == "flap_recovery") follow = &s;
  REQUIRE(follow);
  const Json& cycles = (*follow)["output"]["cycles"];
  long long expected = static_cast<long long>(std::ceil(static_cast<double>(d->count()) / (2.0 * i->count())));
  CHECK(static_cast<long long>(cycles.size()) == expected);
  for (const auto& c : cycles) {
    CHECK(c["up_at_ms"].get<long long>() - c["down_at_ms"].get<long long>() >= i->count() - 100);
    CHECK(c["up_at_ms"].get<long long>() - c["down_at_ms"].get<long long>() <= i->count() + 500);
  }
  CHECK_FALSE(cycles.back()["recovered_at_ms"].is_null());  // the pipeline recovered after the last up

  // The execution log's table: a header and one row per cycle, rendered from the result model.
  REQUIRE(res["tables"].size() == 1);
  CHECK(res["tables"][0]["rows"].size() == cycles.size());
  auto at = md.find("Flap cycles");
  REQUIRE(at != std::string::npos);
  CHECK(md.find("| Cycle | Down at | Failed at | Error shown | Up at | Recovered at | Recovery time |", at) !=
        std::string::npos);
  for (const auto& c : cycles) CHECK(c.contains("failed_at_ms"));  // null when the pipeline never showed failed
  size_t rows = 0;
  std::istringstream lines(md.substr(at));
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("  | ", 0) != 0) {
      if (rows > 0) break;
      continue;
    }
    if (line.find("Cycle") == std::string::npos) ++rows;
  }
  CHECK(rows == cycles.size());
  for (const char* check : {"- [x] Row counts match between source and destination",
                            "- [x] No duplicate keys in destination (id)", "- [x] Every row equal on both sides"})
    CHECK_MESSAGE(md.find(check) != std::string::npos, check);
}

}  // namespace

TEST_CASE("soak: a reject flap under load: the replica recovers after every cycle and converges") {
  soak("reject");
}

TEST_CASE("soak: a timeout flap under load: the replica recovers after every cycle and converges") {
  soak("timeout");
}
