#pragma once
// One real source for the replica tests: a sandbox MariaDB in a private temp state dir, the toolkit daemon (fault
// proxy) in a forked child, and the replica target built on them. Everything is stopped by pid at exit.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon/daemon.hpp"
#include "daemon/daemon_client.hpp"
#include "db/connection.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/server.hpp"
#include "targets/replica.hpp"
#include "toolkit/toolkit.hpp"

namespace tc::test {

using Clock = std::chrono::steady_clock;
inline double secs_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// Polls `pred` every 50 ms until true or `timeout`; returns the seconds it took, or -1 on timeout.
inline double wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto t0 = Clock::now();
  while (Clock::now() - t0 < timeout) {
    if (pred()) return secs_since(t0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

class ReplicaFixture {
 public:
  static ReplicaFixture& get() {
    static ReplicaFixture f;
    return f;
  }
  std::string dir;
  toolkit::SandboxState source;
  int daemon_pid = 0;
  double create_seconds = 0;
  std::unique_ptr<targets::ReplicaTarget> replica;

  toolkit::Config config() const {
    toolkit::Config c;
    c.state_dir = dir;
    return c;
  }
  std::unique_ptr<db::Connection> source_conn() { return db::Connection::open(toolkit::source_dsn(config(), true)); }
  std::unique_ptr<db::Connection> dest_conn() {
    return db::Connection::open(db::Dsn::parse(replica->destination_dsn()));
  }

  /// `toolkit network <args>` in-process through the CLI's parser; returns the exit code.
  int network(const std::vector<std::string>& args, std::string* out = nullptr) {
    std::vector<std::string> argv = {"network"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::ostringstream os;
    auto result = toolkit::run_command(argv, config(), os);  // the CLI's own parser, in-process
    if (out) *out = os.str();
    return result.exit_code;
  }

  ~ReplicaFixture() {
    if (replica && replica->pid() > 0) toolkit::Server::attach(replica->dir()).stop();
    replica.reset();
    if (daemon_pid > 0) {
      toolkit::stop_daemon(dir);
      ::waitpid(daemon_pid, nullptr, 0);
    }
    try {
      toolkit::Sandbox(dir).down();
    } catch (...) {
    }
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

 private:
  ReplicaFixture() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tc-targets-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    source = toolkit::Sandbox(dir).up().state;
    toolkit::daemon_config_for(config()).save();
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setsid();
      _exit(toolkit::run_daemon(dir));
    }
    daemon_pid = pid;
    for (int i = 0; i < 500 && !toolkit::daemon_running(dir); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto t0 = Clock::now();
    replica = std::make_unique<targets::ReplicaTarget>(config(), targets::ReplicaProfile{});
    create_seconds = secs_since(t0);
  }
};

}  // namespace tc::test
