#pragma once
// Shared by the reliability tests: a real sandbox in a private temp state dir (ephemeral ports), its real toolkit
// daemon, real `tc-run` processes started here (and SIGKILLed), and the checks every recovery must pass.
#include <doctest/doctest.h>
#include <signal.h>
#include <unistd.h>

#include <boost/process.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon/daemon_client.hpp"
#include "db/connection.hpp"
#include "faults/ledger.hpp"
#include "sandbox/sandbox.hpp"
#include "support/test_files.hpp"
#include "toolkit/toolkit.hpp"
#include "util/json.hpp"
#include "util/process.hpp"

namespace reltest {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using tc::test::slurp;

inline std::string bin(const std::string& name) {
  return std::string(TC_BINARY_DIR) + "/runner/" + name;
}

/// Polls `cond` every 20 ms until true or `timeout`; returns its last value.
template <class F>
bool eventually(F cond, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (cond()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return cond();
}

/// One sandbox (and daemon) per test binary; everything it started is stopped by pid at exit.
class World {
 public:
  static World& get() {
    static World w;
    return w;
  }
  fs::path root;
  tc::toolkit::Config cfg;

  std::string state_dir() const { return cfg.state_dir; }

  /// `toolkit ARGS` in-process (the same code as the CLI).
  tc::toolkit::CommandResult toolkit(const std::vector<std::string>& args, std::string* text = nullptr) {
    std::ostringstream out;
    auto r = tc::toolkit::run_command(args, cfg, out);
    if (text) *text = out.str();
    return r;
  }

  /// Writes a scenario file and returns its path.
  fs::path scenario(const std::string& name, const std::string& yaml) const {
    fs::path p = root / (name + ".yaml");
    std::ofstream(p) << yaml;
    return p;
  }

  std::vector<std::string> tc_run_argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {bin("tc-run")};
    argv.insert(argv.end(), args.begin(), args.end());
    if (!args.empty() && args.front() == "run")
      argv.insert(argv.end(), {"--reports", (root / "reports").string(), "--tester", "reliability", "-q"});
    argv.insert(argv.end(), {"--state-dir", state_dir()});
    return argv;
  }

  /// A real tc-run process, waited for.
  tc::ProcessResult tc_run(const std::vector<std::string>& args) const {
    tc::ProcessOptions po;
    po.timeout = 120s;
    return tc::run_process(tc_run_argv(args), po);
  }

  /// A real tc-run process left running (to be SIGKILLed).
  boost::process::child tc_run_async(const std::vector<std::string>& args) const {
    auto argv = tc_run_argv(args);
    std::string exe = argv.front();
    argv.erase(argv.begin());
    return boost::process::child(exe, boost::process::args(argv),
                                 boost::process::std_out > (root / "async.out").string(),
                                 boost::process::std_err > (root / "async.err").string());
  }

  std::vector<tc::toolkit::LedgerEntry> outstanding() const { return tc::toolkit::Ledger(state_dir()).outstanding(); }

  bool ledger_shows(const std::string& kind) const {
    for (const auto& e : outstanding())
      if (e.kind == kind) return true;
    return false;
  }

  /// The run folder whose tc-run.log mentions `text` (the newest run of scenario `id`), or "".
  bool run_log_mentions(const std::string& id, const std::string& text) const {
    fs::path dir = root / "reports" / id;
    if (!fs::exists(dir)) return false;
    for (const auto& e : fs::directory_iterator(dir))
      if (slurp(e.path() / "tc-run.log").find(text) != std::string::npos) return true;
    return false;
  }

  int daemon_pid() const {
    std::ifstream in(state_dir() + "/daemon.pid");
    int pid = 0;
    in >> pid;
    return pid;
  }

  /// users rows, read through the fault proxy's public port as a pipeline would (the ETL user, real connector).
  long long rows_through_proxy() const {
    auto c = tc::db::Connection::open(tc::toolkit::source_dsn(cfg, false));
    return c->scalar("SELECT COUNT(*) FROM users").get<long long>();
  }
  long long rows_direct() const {
    auto c = tc::db::Connection::open(tc::toolkit::source_dsn(cfg, true));
    return c->scalar("SELECT COUNT(*) FROM users").get<long long>();
  }

 private:
  World() {
    std::string t = (fs::temp_directory_path() / "tc-reliability-XXXXXX").string();
    if (!::mkdtemp(t.data())) throw std::runtime_error("mkdtemp");
    root = t;
    cfg.state_dir = (root / "state").string();
    ::unsetenv("TC_STATE_DIR");
    std::ostringstream out;
    auto r = tc::toolkit::run_command({"up"}, cfg, out);
    if (r.exit_code != 0) throw std::runtime_error("toolkit up failed: " + out.str());
    tc::toolkit::ensure_daemon(cfg);
  }
  ~World() {
    std::ostringstream out;
    tc::toolkit::run_command({"down", "--grace", "10"}, cfg, out);  // stops the daemon, then the server, by pid
    std::error_code ec;
    if (!std::getenv("TC_KEEP_TMP")) fs::remove_all(root, ec);
  }
};

}  // namespace reltest
