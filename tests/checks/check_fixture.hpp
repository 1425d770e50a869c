#pragma once
// Two real MariaDB servers (source and destination) in a private temp dir for the whole test binary, a
// test-only Services that hands the check plugins their DSNs, and a helper that runs a check by name.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <stop_token>
#include <string>

#include "db/connection.hpp"
#include "plugins/registry.hpp"
#include "plugins/step_type.hpp"
#include "sandbox/data_template.hpp"
#include "sandbox/seed.hpp"
#include "sandbox/server.hpp"

namespace tc::test {

inline constexpr const char* kDb = "chk";

/// The two servers; started on first use, stopped by pid when the binary exits.
class ServerPair {
 public:
  static ServerPair& get() {
    static ServerPair p;
    return p;
  }
  std::string dir;
  std::unique_ptr<toolkit::Server> source, destination;

  toolkit::Server& server(const std::string& side) { return side == "source" ? *source : *destination; }
  db::Dsn dsn(const std::string& side) {
    db::Dsn d = server(side).dsn(toolkit::kAdminUser, toolkit::kAdminPassword);
    d.database = kDb;
    return d;
  }
  std::unique_ptr<db::Connection> open(const std::string& side) { return db::Connection::open(dsn(side)); }
  /// Runs the same statement on both servers.
  void both(const std::string& sql) {
    open("source")->execute(sql);
    open("destination")->execute(sql);
  }

  ~ServerPair() {
    for (auto* s : {source.get(), destination.get()})
      if (s) s->stop();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

 private:
  ServerPair() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tc-checks-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    auto t = toolkit::ensure_template(dir + "/cache");
    int id = 1;
    for (auto* slot : {&source, &destination}) {
      toolkit::ServerOptions o;
      o.dir = dir + (id == 1 ? "/source" : "/destination");
      o.server_id = id++;
      o.template_dir = t.datadir;
      o.extra = {"innodb-buffer-pool-size=128M"};
      *slot = std::make_unique<toolkit::Server>(o);
      (*slot)->start();
    }
    for (const char* side : {"source", "destination"}) {
      db::Dsn d = server(side).dsn(toolkit::kAdminUser, toolkit::kAdminPassword);
      db::Connection::open(d)->execute(std::string("CREATE DATABASE IF NOT EXISTS ") + kDb);
    }
  }
};

/// Test-only Services: real DSNs for source and destination (and any extra named connection); the parts of a
/// run the checks never use throw.
class FakeServices : public plugins::Services {
 public:
  std::map<std::string, db::Dsn> connections;
  std::vector<std::string> events;
  FakeServices() {
    auto& p = ServerPair::get();
    connections["source"] = p.dsn("source");
    connections["destination"] = p.dsn("destination");
  }
  const toolkit::Config& toolkit_config() override { return config_; }
  targets::Target& target() override { throw plugins::StepError("no target in the check tests"); }
  db::Dsn connection(const std::string& name) override {
    auto it = connections.find(name);
    if (it == connections.end()) throw plugins::StepError("unknown connection '" + name + "'");
    return it->second;
  }
  Prompter& prompter() override { throw plugins::StepError("no prompter in the check tests"); }
  void event(const std::string& kind, const std::string& text) override { events.push_back(kind + ": " + text); }
  plugins::Outcome evaluate(const scenario::Step&, std::stop_token) override {
    throw plugins::StepError("no nested steps in the check tests");
  }
  plugins::Outcome stop_background(const std::string&) override {
    throw plugins::StepError("no background steps in the check tests");
  }
  const scenario::Vars& vars() override { return vars_; }
  std::string run_dir() override { return ServerPair::get().dir; }
  bool check(const scenario::Assertion&, const Json&, std::string&) override {
    throw plugins::StepError("no assertions in the check tests");
  }

 private:
  toolkit::Config config_;
  scenario::Vars vars_;
};

/// The one FakeServices of the binary (tests may add named connections to it).
inline FakeServices& services() {
  static FakeServices s;
  return s;
}

/// Runs a registered check after checking its arguments statically, as the engine would.
inline plugins::Outcome run_check(const std::string& type, const Json& args, std::stop_token stop = {}) {
  const plugins::StepType* t = plugins::Registry::instance().find(type);
  REQUIRE(t != nullptr);
  CHECK(t->is_check());
  auto issues = t->validate(args);
  for (const auto& i : issues) FAIL_CHECK("validate: " << i.pointer << " " << i.message);
  scenario::Step step;
  step.type = type;
  step.args = args;
  plugins::StepContext ctx{step, args, services(), stop};
  return t->run(ctx);
}

}  // namespace tc::test
