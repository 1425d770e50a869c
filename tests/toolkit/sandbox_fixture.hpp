#pragma once
// One real sandbox per test binary, in a private temp state dir; stopped by pid at exit.
#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "db/connection.hpp"
#include "sandbox/sandbox.hpp"
#include "toolkit/toolkit.hpp"

namespace tktest {

struct Ran {
  tc::toolkit::CommandResult r;
  std::string out;
};

class TestSandbox {
 public:
  static TestSandbox& get() {
    static TestSandbox s;
    return s;
  }
  Ran run(const std::vector<std::string>& args, std::stop_token stop = {}) {
    std::ostringstream out;
    auto r = tc::toolkit::run_command(args, cfg, out, stop);
    return {r, out.str()};
  }
  /// Runs and requires exit 0, showing the output otherwise.
  tc::Json ok(const std::vector<std::string>& args) {
    auto r = run(args);
    INFO(r.out);
    REQUIRE(r.r.exit_code == 0);
    return r.r.output;
  }
  std::unique_ptr<tc::db::Connection> connect() {
    return tc::db::Connection::open(tc::toolkit::Sandbox(dir).admin_dsn());
  }
  std::string dir;
  tc::toolkit::Config cfg;

 private:
  TestSandbox() {
    std::string t = (std::filesystem::temp_directory_path() / "tc-toolkit-test-XXXXXX").string();
    if (!mkdtemp(t.data())) throw std::runtime_error("mkdtemp");
    dir = t;
    cfg.state_dir = dir;
    std::ostringstream out;
    auto r = tc::toolkit::run_command({"up"}, cfg, out);
    if (r.exit_code != 0) throw std::runtime_error("toolkit up failed: " + out.str());
  }
  ~TestSandbox() {
    std::ostringstream out;
    tc::toolkit::run_command({"down"}, cfg, out);  // the daemon `up` started (by pid), then the server
    tc::toolkit::Sandbox(dir).down();              // in case the command could not
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

}  // namespace tktest
