// Suites end to end: a folder of scenarios run whole, in shards and with --jobs 2 by real tc-run processes, and
// `tc-run merge` over what they wrote.
#include <doctest/doctest.h>
#include <signal.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "daemon/daemon_spawn.hpp"
#include "faults/ledger.hpp"
#include "support/test_files.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using namespace tc;
using tc::test::slurp;

namespace {

std::string tc_run() {
  return std::string(TC_BINARY_DIR) + "/runner/tc-run";
}

// Three variants (one fails on purpose) and a second scenario in a subfolder, plus files a folder run must skip.
void write_cases(const fs::path& dir) {
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "a.yaml") << R"(id: S-A
title: three variants
matrix:
  n: [one, two, three]
steps:
  - exec: "echo ${n}"
checks:
  - name: not three
    exec: "test ${n} != three"
)";
  std::ofstream(dir / "sub" / "b.yaml") << R"(id: S-B
title: in a subfolder
steps:
  - toolkit: status
checks:
  - toolkit: status
    expect: {running: true}
)";
  std::ofstream(dir / "answers.yaml") << "pipeline.status: Active\n";  // not a scenario
  std::ofstream(dir / "TEMPLATE.yaml") << "id: TEMPLATE\ntitle: t\nsteps: []\n";
}

ProcessResult tc_cmd(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {tc_run()};
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessOptions po;
  po.timeout = std::chrono::minutes(4);
  return run_process(argv, po);
}

Json suite_json_in(const fs::path& reports) {
  for (const auto& e : fs::directory_iterator(reports))
    if (e.path().filename().string().rfind("suite-", 0) == 0) return Json::parse(slurp(e.path() / "suite.json"));
  return Json();
}

// key -> verdict
std::map<std::string, std::string> verdicts(const Json& suite) {
  std::map<std::string, std::string> out;
  for (const auto& r : suite["runs"]) out[r["key"].get<std::string>()] = r["verdict"].get<std::string>();
  return out;
}

}  // namespace

TEST_CASE("suite: two shards cover every run once, merged they equal the whole run; a missing shard is exit 2") {
  test::RunTempDir tmp("tc-suite");
  write_cases(tmp.path / "cases");
  std::string state = (tmp.path / "state").string();
  auto whole = tc_cmd(
      {"run", (tmp.path / "cases").string(), "--state-dir", state, "--reports", (tmp.path / "whole").string(), "-q"});
  INFO(whole.out << whole.err);
  CHECK(whole.exit_code == 1);  // S-A [three] fails on purpose
  auto all = verdicts(suite_json_in(tmp.path / "whole"));
  REQUIRE(all.size() == 4);  // the answers file and TEMPLATE.yaml are skipped
  CHECK(all["S-A|three|replica"] == "FAIL");
  CHECK(all["S-B||replica"] == "PASS");

  for (const char* shard : {"1/2", "2/2"}) {
    std::string name = std::string("shard") + shard[0];
    auto r = tc_cmd({"run", (tmp.path / "cases").string(), "--state-dir", state, "--reports",
                     (tmp.path / name).string(), "-q", "--shard", shard});
    INFO(r.out << r.err);
    CHECK(r.exit_code <= 1);
  }
  auto s1 = verdicts(suite_json_in(tmp.path / "shard1")), s2 = verdicts(suite_json_in(tmp.path / "shard2"));
  CHECK(s1.size() + s2.size() == 4);
  for (const auto& [k, v] : s1) CHECK(s2.count(k) == 0);  // disjoint

  auto merged = tc_cmd({"merge", (tmp.path / "shard1").string(), (tmp.path / "shard2").string(), "--out",
                        (tmp.path / "merged").string()});
  INFO(merged.out << merged.err);
  CHECK(merged.exit_code == 1);  // the worst verdict
  Json m = Json::parse(slurp(tmp.path / "merged" / "suite.json"));
  CHECK(verdicts(m) == all);
  CHECK(m["shard_count"] == 2);
  std::string md = slurp(tmp.path / "merged" / "suite.md");
  CHECK(md.find("| S-A: three variants | three | [FAIL](") != std::string::npos);
  CHECK(md.find("## FAIL and ERROR") != std::string::npos);
  // Links work from the merged folder.
  for (const auto& r : m["runs"]) CHECK(fs::exists(tmp.path / "merged" / r["log"].get<std::string>()));
  CHECK(fs::exists(tmp.path / "merged" / "junit.xml"));

  auto partial = tc_cmd({"merge", (tmp.path / "shard1").string(), "--out", (tmp.path / "partial").string()});
  CHECK(partial.exit_code == 2);
  CHECK(partial.err.find("shard 2/2 is missing") != std::string::npos);
  CHECK(slurp(tmp.path / "partial" / "suite.md").find("Shard 2/2 is missing") != std::string::npos);

  // More shards than runs: the empty one says so, and merge does not call the suite complete.
  auto empty = tc_cmd({"run", (tmp.path / "cases" / "sub" / "b.yaml").string(), "--state-dir", state, "--reports",
                       (tmp.path / "e2").string(), "-q", "--shard", "2/2"});
  CHECK(empty.out.find("shard 2/2: 0 run(s)") != std::string::npos);
  auto first = tc_cmd({"run", (tmp.path / "cases" / "sub" / "b.yaml").string(), "--state-dir", state, "--reports",
                       (tmp.path / "e1").string(), "-q", "--shard", "1/2"});
  auto me =
      tc_cmd({"merge", (tmp.path / "e1").string(), (tmp.path / "e2").string(), "--out", (tmp.path / "me").string()});
  CHECK(me.exit_code == 2);
  CHECK(me.err.find("shard 2/2 ran nothing") != std::string::npos);
}

TEST_CASE("suite: --jobs 2 gives the verdicts of --jobs 1, each job in its own state dir, nothing left running") {
  test::RunTempDir tmp("tc-suite");
  write_cases(tmp.path / "cases");
  std::string state = (tmp.path / "state").string();
  auto one = tc_cmd(
      {"run", (tmp.path / "cases").string(), "--state-dir", state, "--reports", (tmp.path / "j1").string(), "-q"});
  auto two = tc_cmd({"run", (tmp.path / "cases").string(), "--state-dir", state, "--reports",
                     (tmp.path / "j2").string(), "-q", "--jobs", "2", "--target", "replica"});
  INFO(two.out << two.err);
  INFO(suite_json_in(tmp.path / "j2").dump(1));
  CHECK(two.exit_code == one.exit_code);
  CHECK(verdicts(suite_json_in(tmp.path / "j2")) == verdicts(suite_json_in(tmp.path / "j1")));
  CHECK(two.err.find("[job 1] start") != std::string::npos);
  CHECK(two.err.find("[job 2] start") != std::string::npos);
  for (const char* job : {"job-1", "job-2"}) {
    fs::path sandbox = fs::path(state) / job / "sandbox" / "server.json";
    REQUIRE_MESSAGE(fs::exists(sandbox), job);
    int pid = Json::parse(slurp(sandbox)).value("pid", 0);
    CHECK(pid > 0);
    CHECK_FALSE(toolkit::pid_alive(pid));                                            // stopped when the suite ended
    CHECK(toolkit::Ledger((fs::path(state) / job).string()).outstanding().empty());  // no fault left
  }
}

TEST_CASE("suite: a job that is killed gives its run an ERROR result; the other jobs go on") {
  test::RunTempDir tmp("tc-suite");
  fs::create_directories(tmp.path / "cases");
  // The step's shell kills the tc-run process running this variant (its parent) with SIGKILL.
  std::ofstream(tmp.path / "cases" / "crash.yaml") << R"(id: S-CRASH
title: one variant's process dies
matrix:
  v: [dies, lives]
steps:
  - exec: "if [ ${v} = dies ]; then kill -9 $PPID; sleep 5; fi; true"
checks:
  - exec: "true"
)";
  std::string state = (tmp.path / "state").string();
  auto r = tc_cmd({"run", (tmp.path / "cases").string(), "--state-dir", state, "--reports", (tmp.path / "r").string(),
                   "-q", "--jobs", "2"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 2);
  auto v = verdicts(suite_json_in(tmp.path / "r"));
  CHECK(v["S-CRASH|dies|replica"] == "ERROR");
  CHECK(v["S-CRASH|lives|replica"] == "PASS");
  Json s = suite_json_in(tmp.path / "r");
  INFO(s.dump(1));
  for (const auto& run : s["runs"])
    if (run["variant"] == "dies")
      CHECK(run["verdict_reason"].get<std::string>().find("ended with exit code") != std::string::npos);
  // The killed run left a ledger that the suite's `toolkit down` and `tc-run recover` can read: nothing active.
  for (const char* job : {"job-1", "job-2"})
    CHECK(toolkit::Ledger((fs::path(state) / job).string()).outstanding().empty());
}

TEST_CASE("suite: SIGINT stops every job, each runs its cleanup, the suite is ERROR") {
  test::RunTempDir tmp("tc-suite");
  fs::create_directories(tmp.path / "cases");
  std::ofstream(tmp.path / "cases" / "slow.yaml") << R"(id: S-SLOW
title: long steps
matrix:
  v: [a, b, c]
steps:
  - sleep: 60s
checks:
  - exec: "true"
cleanup:
  - exec: "touch '${run_dir}/cleaned'"
)";
  std::string state = (tmp.path / "state").string();
  namespace bp = boost::process;
  bp::ipstream out, err;
  bp::child c(tc_run(),
              bp::args = {"run", (tmp.path / "cases").string(), "--state-dir", state, "--reports",
                          (tmp.path / "r").string(), "-q", "--jobs", "2"},
              bp::std_out > out, bp::std_err > err);
  // Wait until both jobs are inside their sleep, then interrupt the suite.
  auto t0 = std::chrono::steady_clock::now();
  auto running = [&] {
    int n = 0;
    if (fs::exists(tmp.path / "r" / "S-SLOW"))
      for (const auto& e : fs::directory_iterator(tmp.path / "r" / "S-SLOW"))
        n += slurp(e.path() / "tc-run.log").find("step.start sleep") != std::string::npos;
    return n;
  };
  while (running() < 2 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60))
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  REQUIRE(running() == 2);
  ::kill(c.id(), SIGINT);
  c.wait();
  CHECK(c.exit_code() == 2);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(50));  // nobody slept the 60 s out
  int cleaned = 0, runs = 0;
  for (const auto& e : fs::directory_iterator(tmp.path / "r" / "S-SLOW")) {
    ++runs;
    cleaned += fs::exists(e.path() / "cleaned");
    CHECK(Json::parse(slurp(e.path() / "result.json"))["verdict"] == "ERROR");
  }
  CHECK(runs == 2);  // the third variant never started
  CHECK(cleaned == 2);
}

TEST_CASE("suite: on a terminal each job has one live line (tmux); in CI plain lines") {
  test::RunTempDir tmp("tc-suite");
  fs::create_directories(tmp.path / "cases");
  std::ofstream(tmp.path / "cases" / "w.yaml") << R"(id: S-W
title: waits
matrix:
  v: [a, b]
steps:
  - sleep: 4s
checks:
  - exec: "true"
)";
  std::string session = "tc-suite-" + std::to_string(::getpid());
  std::string cmd = "env -u CI " + tc_run() + " run " + (tmp.path / "cases").string() + " --state-dir " +
                    (tmp.path / "state").string() + " --reports " + (tmp.path / "r").string() + " --jobs 2; sleep 30";
  REQUIRE(run_process({"tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "30", cmd}).exit_code == 0);
  auto screen = [&] { return run_process({"tmux", "capture-pane", "-p", "-t", session}).out; };
  std::string seen;
  auto t0 = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(40)) {
    seen = screen();
    if (seen.find("  job 1: S-W [") != std::string::npos && seen.find("  job 2: S-W [") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  INFO(seen);
  CHECK(seen.find("  job 1: S-W [") != std::string::npos);  // both jobs shown at once, each on its own line
  CHECK(seen.find("  job 2: S-W [") != std::string::npos);
  CHECK(seen.find("[job 1] start") == std::string::npos);  // no plain start lines on a terminal
  while (std::chrono::steady_clock::now() - t0 < std::chrono::seconds(60) &&
         screen().find("Suite report:") == std::string::npos)
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::string end = screen();
  CHECK(end.find("PASS S-W [a]") != std::string::npos);
  CHECK(end.find("PASS S-W [b]") != std::string::npos);
  run_process({"tmux", "kill-session", "-t", session});
}
