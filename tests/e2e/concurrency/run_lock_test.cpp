// Two real tc-run processes on one state dir: the second refuses naming the first (or waits with --lock-wait);
// their faults never interleave; a lock left by a killed run does not block; toolkit commands see the holder.
#include "util/run_lock.hpp"

#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "support/test_files.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

namespace fs = std::filesystem;
using namespace tc;
using tc::test::slurp;
using namespace std::chrono_literals;

namespace {

const std::string kBin = std::string(TC_BINARY_DIR) + "/runner/";

// A scenario that holds a reject fault for `hold`, tagged with its own id.
std::string fault_scenario(const std::string& id) {
  return "id: " + id +
         "\n"
         "title: holds a reject fault\n"
         "vars: {hold: 3s}\n"
         "steps:\n"
         "  - toolkit: network --down --type reject\n"
         "  - sleep: ${hold}\n"
         "  - toolkit: network --up\n"
         "checks:\n"
         "  - name: the server answers through the proxy again\n"
         "    toolkit: status\n"
         "cleanup:\n"
         "  - toolkit: network --up\n";
}

struct World {
  test::RunTempDir tmp{"tc-lock"};  // on exit stops what state/ started (daemon, sandbox) by pid, then removes it
  fs::path root = tmp.path;
  World() {
    std::ofstream(root / "a.yaml") << fault_scenario("LOCK-A");
    std::ofstream(root / "b.yaml") << fault_scenario("LOCK-B");
  }
  std::string state() const { return (root / "state").string(); }
  std::vector<std::string> tc_run(const std::string& file, std::vector<std::string> extra = {}) const {
    std::vector<std::string> argv = {kBin + "tc-run", (root / file).string(),      "--state-dir", state(),
                                     "--reports",     (root / "reports").string(), "--tester",    "ci"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
  }
  // Waits until a tc-run holds the lock with this scenario id; returns the holder.
  LockHolder wait_for_holder(const std::string& id, std::chrono::seconds limit = 120s) const {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      auto h = run_lock_holder(state());
      if (h && h->scenario == id) return *h;
      std::this_thread::sleep_for(50ms);
    }
    FAIL("no tc-run took the run lock for " << id);
    return {};
  }
  std::vector<Json> results(const std::string& id) const {
    std::vector<Json> out;
    if (!fs::exists(root / "reports" / id)) return out;
    for (const auto& e : fs::directory_iterator(root / "reports" / id))
      out.push_back(Json::parse(slurp(e.path() / "result.json")));
    return out;
  }
  std::vector<Json> ledger() const {
    std::vector<Json> out;
    std::ifstream in(root / "state" / "ledger.jsonl");
    for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
    return out;
  }
};

ProcessOptions opts(std::chrono::seconds t = 300s) {
  ProcessOptions po;
  po.timeout = t;
  return po;
}

}  // namespace

TEST_CASE("a second tc-run on the same state dir refuses at once, naming the first; toolkit commands see it") {
  World w;
  // Start the sandbox first so the first run's hold is not spent starting it.
  REQUIRE(run_process({kBin + "toolkit", "--state-dir", w.state(), "up"}, opts()).exit_code == 0);
  auto first = std::async(std::launch::async, [&] {
    return run_process(w.tc_run("a.yaml", {"--var", "hold=8s"}), opts());
  });
  LockHolder h = w.wait_for_holder("LOCK-A");
  CHECK(h.pid > 0);

  auto second = run_process(w.tc_run("b.yaml"), opts());
  INFO(second.err);
  CHECK(second.exit_code == 2);
  CHECK(second.err.find("refused: another run") != std::string::npos);
  CHECK(second.err.find("pid " + std::to_string(h.pid)) != std::string::npos);
  CHECK(second.err.find("LOCK-A") != std::string::npos);
  CHECK(second.err.find("--lock-wait") != std::string::npos);
  CHECK(second.elapsed < 5s);
  CHECK(w.results("LOCK-B").empty());  // it did nothing: no run folder

  auto status = run_process({kBin + "toolkit", "--state-dir", w.state(), "network", "--status"}, opts());
  INFO(status.out);
  CHECK(status.out.find("tc-run pid " + std::to_string(h.pid)) != std::string::npos);
  auto down = run_process({kBin + "toolkit", "--state-dir", w.state(), "network", "--down"}, opts());
  INFO(down.out);
  CHECK(down.exit_code != 0);
  CHECK(down.out.find("pid " + std::to_string(h.pid)) != std::string::npos);
  auto recover = run_process({kBin + "tc-run", "recover", "--state-dir", w.state()}, opts());
  CHECK(recover.exit_code == 2);
  CHECK(recover.err.find("pid " + std::to_string(h.pid)) != std::string::npos);

  auto a = first.get();
  INFO(a.err);
  CHECK(a.exit_code == 0);
  auto ra = w.results("LOCK-A");
  REQUIRE(ra.size() == 1);
  CHECK(ra[0]["verdict"] == "PASS");
  CHECK_FALSE(run_lock_holder(w.state()));  // released at exit
}

TEST_CASE("with --lock-wait the second run waits for the first, then runs; the faults never interleave") {
  World w;
  REQUIRE(run_process({kBin + "toolkit", "--state-dir", w.state(), "up"}, opts()).exit_code == 0);
  auto first = std::async(std::launch::async, [&] {
    return run_process(w.tc_run("a.yaml", {"--var", "hold=4s"}), opts());
  });
  w.wait_for_holder("LOCK-A");
  auto second = run_process(w.tc_run("b.yaml", {"--lock-wait", "2m", "--var", "hold=1s"}), opts());
  auto a = first.get();
  INFO(a.err);
  INFO(second.err);
  CHECK(second.err.find("waiting up to") != std::string::npos);
  CHECK(a.exit_code == 0);
  CHECK(second.exit_code == 0);
  auto ra = w.results("LOCK-A"), rb = w.results("LOCK-B");
  REQUIRE(ra.size() == 1);
  REQUIRE(rb.size() == 1);
  std::string a_end = ra[0]["finished"], b_start = rb[0]["started"];
  CHECK(b_start >= a_end);  // ISO-8601 UTC strings order like times

  // The ledger: A's fault is applied and undone inside A's run, B's inside B's; never two applied at once.
  auto ledger = w.ledger();
  int applied = 0, open = 0, max_open = 0;
  std::vector<std::string> apply_times;
  for (const auto& e : ledger) {
    if (e["op"] == "apply") {
      ++applied;
      max_open = std::max(max_open, ++open);
      apply_times.push_back(e["at"]);
    } else if (e["op"] == "undo") {
      --open;
    }
  }
  CHECK(applied == 2);
  CHECK(max_open == 1);
  REQUIRE(apply_times.size() == 2);
  CHECK(apply_times[0] < a_end);
  CHECK(apply_times[1] >= b_start);
}

TEST_CASE("a lock file left by a killed run does not block the next run") {
  World w;
  REQUIRE(run_process({kBin + "toolkit", "--state-dir", w.state(), "up"}, opts()).exit_code == 0);
  std::ofstream(w.root / "idle.yaml")
      << "id: LOCK-IDLE\ntitle: idles\nsteps:\n  - sleep: 60s\nchecks:\n  - sleep: 1ms\n";
  auto pid_file = w.root / "pid";
  // Started through a shell so the test knows its pid and can SIGKILL exactly it.
  std::string cmd;
  for (const auto& a : w.tc_run("idle.yaml")) cmd += "'" + a + "' ";
  auto killed = std::async(std::launch::async,
                           [&] { return run_shell(cmd + "& echo $! > '" + pid_file.string() + "'; wait", opts()); });
  LockHolder h = w.wait_for_holder("LOCK-IDLE");
  long pid = std::stol(slurp(pid_file));
  CHECK(h.pid == pid);
  REQUIRE(::kill(static_cast<pid_t>(pid), SIGKILL) == 0);
  killed.get();
  CHECK(slurp(w.root / "state" / "run.lock").find(std::to_string(pid)) != std::string::npos);  // stale text
  CHECK_FALSE(run_lock_holder(w.state()));

  auto next = run_process(w.tc_run("a.yaml", {"--var", "hold=1s"}), opts());
  INFO(next.err);
  CHECK(next.exit_code == 0);
  CHECK(next.err.find("refused: another run") == std::string::npos);
}
