// A tc-run that dies of a fatal signal between a fault and its cleanup still leaves an execution log and a
// result.json (verdict ERROR, the step it died in, how to undo its faults), and `tc-run recover` undoes the fault.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/test_files.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using namespace tc;
using tc::test::slurp;

TEST_CASE("a fatal signal mid-run leaves the short log, and recover undoes the fault it applied") {
  test::RunTempDir tmp("tc-crash");
  std::ofstream(tmp.path / "crash.yaml") << R"(id: CRASH-1
title: dies in the middle
steps:
  - name: Slow the network
    toolkit: network --slow --latency 50
  - name: Long pause
    sleep: 60s
checks:
  - exec: "true"
)";
  std::string tc_run = std::string(TC_BINARY_DIR) + "/runner/tc-run";
  std::string state = (tmp.path / "state").string();
  namespace bp = boost::process;
  bp::ipstream out, err;
  bp::child c(tc_run,
              bp::args = {"run", (tmp.path / "crash.yaml").string(), "--state-dir", state, "--reports",
                          (tmp.path / "r").string(), "-q"},
              bp::std_out > out, bp::std_err > err);
  auto t0 = std::chrono::steady_clock::now();
  fs::path run_dir;
  auto in_pause = [&] {
    if (!fs::exists(tmp.path / "r" / "CRASH-1")) return false;
    for (const auto& e : fs::directory_iterator(tmp.path / "r" / "CRASH-1")) {
      run_dir = e.path();
      if (slurp(e.path() / "tc-run.log").find("step.start Long pause") != std::string::npos) return true;
    }
    return false;
  };
  while (!in_pause() && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(90))
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  REQUIRE(in_pause());
  ::kill(c.id(), SIGSEGV);
  c.wait();
  // It dies of the signal; in a sanitized build the sanitizer's handler (which the note hands it to) reports it and
  // exits non-zero instead.
  int wait_status = c.native_exit_code();
  CHECK((WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) == SIGSEGV : WEXITSTATUS(wait_status) != 0));

  std::string md = slurp(run_dir / "execution-log.md");
  INFO(md);
  CHECK(md.find("| Result | ERROR |") != std::string::npos);
  CHECK(md.find("tc-run died of signal 11 (SIGSEGV) during the step 'Long pause'") != std::string::npos);
  CHECK(md.find("tc-run recover --state-dir " + state) != std::string::npos);
  auto result = Json::parse(slurp(run_dir / "result.json"));
  CHECK(result["verdict"] == "ERROR");
  CHECK(result["verdict_reason"].get<std::string>().find("during the step 'Long pause'") != std::string::npos);

  // The latency it applied is still on, recorded in the ledger: the next run refuses, recover undoes it.
  auto again = run_process({tc_run, "run", (tmp.path / "crash.yaml").string(), "--state-dir", state, "--reports",
                            (tmp.path / "r2").string(), "-q"});
  CHECK(again.exit_code != 0);
  auto rec = run_process({tc_run, "recover", "--state-dir", state});
  INFO(rec.out << rec.err);
  CHECK(rec.exit_code == 0);
  CHECK((rec.out + rec.err).find("latency") != std::string::npos);
  auto status = run_process(
      {std::string(TC_BINARY_DIR) + "/runner/toolkit", "--state-dir", state, "--json", "network", "--status"});
  auto net = Json::parse(status.out);
  CHECK(net["proxy"]["latency_ms"] == 0);
  CHECK(net["faults"].empty());
}
