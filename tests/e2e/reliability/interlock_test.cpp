// Interlocks: destructive faults (service stop, binlog corruption, GTID gap, DDL) run only on the sandbox or on a
// server allowed by its server_uuid/hostname; anything else is refused before anything is touched. Proved on a
// second private mariadbd (not the sandbox) given by --source DSN.
#include "toolkit/interlock.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/daemon_client.hpp"
#include "db/connection.hpp"
#include "engine/engine.hpp"
#include "sandbox/data_template.hpp"
#include "sandbox/server.hpp"
#include "scenario/diagnostic.hpp"
#include "scenario/loader.hpp"
#include "support/private_server.hpp"
#include "support/test_files.hpp"
#include "toolkit/toolkit.hpp"

namespace fs = std::filesystem;
using namespace tc;
using tc::test::slurp;

namespace {

// A private MariaDB that is NOT the sandbox: its own dir and port, with the seeded testdb and binlog on.
struct Other {
  fs::path root;
  std::unique_ptr<toolkit::Server> server;
  toolkit::Config cfg;
  std::string hostname;
  static Other& get() {
    static Other o;
    return o;
  }
  std::unique_ptr<db::Connection> connect() const { return db::Connection::open(test::root_dsn(*server)); }
  struct Ran {
    toolkit::CommandResult r;
    std::string text;
  };
  Ran run(const std::vector<std::string>& args, const toolkit::Config& c) const {
    std::ostringstream out;
    auto r = toolkit::run_command(args, c, out);
    return {r, out.str()};
  }
  Ran run(const std::vector<std::string>& args) const { return run(args, cfg); }
  std::string active_binlog() const {
    auto c = connect();
    return server->datadir() + "/" + c->query("SHOW MASTER STATUS").rows.front()["File"].get<std::string>();
  }
  // What the refused commands could have touched.
  struct Snapshot {
    std::string binlog_bytes, gtid;
    long long columns = 0, tables = 0;
    bool ledger = false, backups = false;
    bool operator==(const Snapshot&) const = default;
  };
  Snapshot snapshot() const {
    Snapshot s;
    auto c = connect();
    s.binlog_bytes = slurp(active_binlog());
    s.gtid = c->scalar("SELECT @@gtid_binlog_pos").get<std::string>();
    s.columns =
        c->scalar("SELECT COUNT(*) FROM information_schema.columns WHERE table_schema='testdb'").get<long long>();
    s.tables = c->scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='testdb'").get<long long>();
    s.ledger = fs::exists(cfg.state_dir + "/ledger.jsonl") && fs::file_size(cfg.state_dir + "/ledger.jsonl") > 0;
    s.backups = fs::exists(cfg.state_dir + "/backups") && !fs::is_empty(cfg.state_dir + "/backups");
    return s;
  }

 private:
  Other() {
    std::string t = (fs::temp_directory_path() / "tc-interlock-XXXXXX").string();
    if (!::mkdtemp(t.data())) throw std::runtime_error("mkdtemp");
    root = t;
    server = test::start_private_server(root / "other");
    auto d = test::root_dsn(*server);
    cfg.source = d.str(true);
    cfg.state_dir = (root / "state").string();
    hostname = connect()->scalar("SELECT @@hostname").get<std::string>();
    ::unsetenv("TC_ALLOW_DESTRUCTIVE");
  }
  ~Other() {
    toolkit::stop_daemon(cfg.state_dir);
    server->stop();
    std::error_code ec;
    if (!std::getenv("TC_KEEP_TMP")) fs::remove_all(root, ec);
  }
};

const std::vector<std::vector<std::string>> kDestructive = {
    {"corrupt", "--type", "magic-number"},
    {"corrupt", "--type", "truncate"},
    {"replicate", "--scenario", "gtid-gap"},
    {"schema-change", "--type", "add-column"},
    {"schema-change", "--type", "create-table"},
    {"network", "--down", "--type", "service"},
    {"network", "--flap", "--type", "service", "--interval", "1", "--duration", "3"},
};

}  // namespace

TEST_CASE("destructive commands on a server that is not the sandbox are refused before anything is touched") {
  auto& o = Other::get();
  auto before = o.snapshot();
  for (auto args : kDestructive) {
    if (args.front() == "corrupt") args.insert(args.end(), {"--binlog-dir", o.server->datadir()});
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    SUBCASE(cmd.c_str()) {
      auto r = o.run(args);
      INFO(r.text);
      CHECK(r.r.exit_code == 1);
      CHECK(r.text.find("refusing to") != std::string::npos);
      CHECK(r.text.find("hostname " + o.hostname) != std::string::npos);  // names the server
      CHECK(r.text.find("port " + std::to_string(o.server->port())) != std::string::npos);
      // ... and says exactly how to allow it, three ways.
      // hostname:port, not the bare hostname, which every server on that host shares.
      std::string key = o.hostname + ":" + std::to_string(o.server->port());
      CHECK(r.text.find("allow_destructive: [\"" + key + "\"]") != std::string::npos);
      CHECK(r.text.find("TC_ALLOW_DESTRUCTIVE=" + key) != std::string::npos);
      CHECK(r.text.find("--allow-destructive " + key) != std::string::npos);
      CHECK(o.snapshot() == before);  // nothing touched: binlog bytes, GTIDs, schema, no ledger, no backup
      CHECK(o.server->running());
      CHECK_FALSE(toolkit::daemon_running(o.cfg.state_dir));
    }
  }
}

TEST_CASE("an allow-list naming another server does not allow this one") {
  auto& o = Other::get();
  auto c = o.cfg;
  c.allow_destructive = {"some-other-host", "00000000-0000-0000-0000-000000000000"};
  auto r = o.run({"schema-change", "--type", "add-column"}, c);
  INFO(r.text);
  CHECK(r.r.exit_code == 1);
  CHECK(r.text.find("allowed now: some-other-host") != std::string::npos);
}

TEST_CASE("allowed by hostname: --allow-destructive, TC_ALLOW_DESTRUCTIVE or the scenario's list; then it proceeds") {
  auto& o = Other::get();
  SUBCASE("--allow-destructive on the toolkit CLI: schema-change runs") {
    auto before = o.snapshot();
    auto r = o.run({"--allow-destructive", "nope," + o.hostname, "schema-change", "--type", "add-column"});
    INFO(r.text);
    CHECK(r.r.exit_code == 0);
    CHECK(o.snapshot().columns == before.columns + 1);
  }
  SUBCASE("TC_ALLOW_DESTRUCTIVE: a GTID gap is made") {
    auto before = o.snapshot();
    ::setenv("TC_ALLOW_DESTRUCTIVE", (" " + o.hostname + " ").c_str(), 1);
    auto r = o.run({"replicate", "--scenario", "gtid-gap", "--gap", "5"});
    ::unsetenv("TC_ALLOW_DESTRUCTIVE");
    INFO(r.text);
    CHECK(r.r.exit_code == 0);
    CHECK(o.snapshot().gtid != before.gtid);
  }
  SUBCASE("Config::allow_destructive (the scenario's allow_destructive) with hostname:port: corrupt, then restore") {
    auto c = o.cfg;
    c.allow_destructive = {o.hostname + ":" + std::to_string(o.server->port())};
    std::string path = o.active_binlog();
    std::string bytes = slurp(path);
    auto r = o.run({"corrupt", "--type", "magic-number", "--binlog-dir", o.server->datadir()}, c);
    INFO(r.text);
    CHECK(r.r.exit_code == 0);
    CHECK(slurp(path).substr(0, 4) == std::string(4, '\0'));
    auto rs = o.run({"restore", "--all"}, c);
    INFO(rs.text);
    CHECK(rs.r.exit_code == 0);
    CHECK(slurp(path).compare(0, bytes.size(), bytes) == 0);
  }
}

TEST_CASE("non-destructive commands still work on a server that is not the sandbox") {
  auto& o = Other::get();
  CHECK(o.run({"status"}).r.exit_code == 0);
  auto rows = o.connect()->scalar("SELECT COUNT(*) FROM users").get<long long>();
  auto g = o.run({"generate-data", "--count", "3"});
  INFO(g.text);
  CHECK(g.r.exit_code == 0);
  CHECK(o.connect()->scalar("SELECT COUNT(*) FROM users").get<long long>() == rows + 3);
  // network reject through the proxy in front of it.
  int proxy_port = toolkit::pick_free_port();
  ::setenv("TC_PROXY_PORT", std::to_string(proxy_port).c_str(), 1);
  auto via_proxy = [&] {
    auto d = test::root_dsn(*o.server);
    d.port = proxy_port;
    return db::Connection::open(d);
  };
  auto down = o.run({"network", "--down", "--type", "reject"});
  INFO(down.text);
  REQUIRE(down.r.exit_code == 0);
  CHECK_THROWS(via_proxy());
  auto up = o.run({"network", "--up"});
  INFO(up.text);
  CHECK(up.r.exit_code == 0);
  CHECK(via_proxy()->scalar("SELECT COUNT(*) FROM users").get<long long>() == rows + 3);
  toolkit::stop_daemon(o.cfg.state_dir);
  ::unsetenv("TC_PROXY_PORT");
}

TEST_CASE("the scenario's allow_destructive: a list of strings, located errors otherwise") {
  scenario::LoadOptions opts = engine::load_options();
  auto sc = scenario::load_string(
      "id: T-1\ntitle: t\nallow_destructive: [db-host-1, 3e11fa47-71ca-11e1-9e33-c80aa9429562]\n"
      "steps:\n  - toolkit: status\n",
      "ok.yaml", opts);
  REQUIRE(sc.allow_destructive.size() == 2);
  CHECK(sc.allow_destructive[1] == "3e11fa47-71ca-11e1-9e33-c80aa9429562");
  try {
    scenario::load_string("id: T-1\ntitle: t\nallow_destructive: {host: x}\nsteps:\n  - toolkit: status\n", "bad.yaml",
                          opts);
    FAIL("expected a LoadError");
  } catch (const scenario::LoadError& e) {
    REQUIRE(!e.diagnostics().empty());
    std::string msg = e.diagnostics().front().str();
    CHECK(msg.find("bad.yaml:3:") != std::string::npos);
    CHECK(msg.find("allow_destructive") != std::string::npos);
  }
}
