#pragma once
// Shared by the network tests: one private MariaDB (mariadb-install-db into a temp dir, a free port, stopped by
// pid) fronted as an external source with a pid file and a start command, a toolkit daemon run in a forked child
// (so it can be SIGKILLed), and `toolkit network ...` invoked through its CLI11 command.
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "daemon/daemon.hpp"
#include "daemon/daemon_client.hpp"
#include "daemon/daemon_service.hpp"
#include "db/connection.hpp"
#include "sandbox/seed.hpp"
#include "sandbox/server.hpp"
#include "toolkit/toolkit.hpp"
#include "util/process.hpp"

namespace tc::test {

/// One server for the whole test binary, stopped (by pid) at exit.
class NetworkFixture {
 public:
  static NetworkFixture& get() {
    static NetworkFixture f;
    return f;
  }
  std::string dir;
  int server_port = 0, public_port = 0;
  std::string source_dsn;
  int daemon_pid = 0;

  /// Forks a daemon for `dir` and waits until it answers. The child only runs the daemon and _exits.
  int start_daemon() {
    toolkit::daemon_config_for(config()).save();
    std::fflush(nullptr);  // or the child would flush our buffered output a second time
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setsid();
      _exit(toolkit::run_daemon(dir));
    }
    for (int i = 0; i < 500 && !toolkit::daemon_running(dir); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    daemon_pid = pid;
    return pid;
  }
  void stop_daemon() {
    if (daemon_pid <= 0) return;
    toolkit::stop_daemon(dir);
    ::waitpid(daemon_pid, nullptr, 0);
    daemon_pid = 0;
  }
  void kill_daemon() {
    ::kill(daemon_pid, SIGKILL);
    ::waitpid(daemon_pid, nullptr, 0);
    daemon_pid = 0;
  }

  /// Runs `toolkit network <args>`; returns the exit code, fills `out` with what it printed and `json` with output.
  toolkit::Config config() const {
    toolkit::Config cfg;
    cfg.state_dir = dir;
    cfg.source = source_dsn;
    // The service fault is destructive: this test owns the server, so it allows it by hostname:port.
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    cfg.allow_destructive = {fmt::format("{}:{}", host, server_port)};
    return cfg;
  }

  int network(const std::vector<std::string>& args, std::string* out = nullptr, Json* json = nullptr) {
    std::vector<std::string> argv = {"network"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::ostringstream os;
    auto result = toolkit::run_command(argv, config(), os);  // the CLI's own parser, in-process
    if (out) *out = os.str();
    if (json) *json = result.output;
    return result.exit_code;
  }

  db::Dsn public_dsn() const {
    db::Dsn d;
    d.user = toolkit::kEtlUser;
    d.password = toolkit::kEtlPassword;
    d.host = "127.0.0.1";
    d.port = public_port;
    d.database = toolkit::kDatabase;
    return d;
  }

  ~NetworkFixture() {
    stop_daemon();
    std::ifstream pid_in(dir + "/srv/mysqld.pid");
    int pid = 0;
    if (pid_in >> pid && pid > 0) {
      ::kill(pid, SIGTERM);
      for (int i = 0; i < 1000 && toolkit::process_alive(pid); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      if (toolkit::process_alive(pid)) ::kill(pid, SIGKILL);
    }
    std::error_code ec;
    if (!std::getenv("TC_KEEP_TMP")) std::filesystem::remove_all(dir, ec);
  }

 private:
  NetworkFixture() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tc-net-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    std::string srv = dir + "/srv";
    std::filesystem::create_directories(srv);
    auto r = run_process({"mariadb-install-db", "--no-defaults", "--auth-root-authentication-method=socket",
                          "--datadir=" + srv + "/data", "--skip-test-db"});
    if (r.exit_code != 0) throw std::runtime_error("mariadb-install-db failed: " + r.err);
    server_port = toolkit::pick_free_port();
    public_port = toolkit::pick_free_port();
    std::string start = fmt::format(
        "exec /usr/sbin/mariadbd --no-defaults --user=root --datadir={0}/data --socket={0}/mysqld.sock "
        "--pid-file={0}/mysqld.pid --port={1} --bind-address=127.0.0.1 --skip-name-resolve --log-error={0}/error.log "
        "--innodb-buffer-pool-size=32M --skip-log-bin --performance-schema=OFF",
        srv, server_port);
    ::setenv("TC_PROXY_PORT", std::to_string(public_port).c_str(), 1);
    ::setenv("TC_SOURCE_PID_FILE", (srv + "/mysqld.pid").c_str(), 1);
    ::setenv("TC_SOURCE_START_COMMAND", start.c_str(), 1);
    // root logs in by socket only; the interlock identifies the server over TCP as the ETL user.
    source_dsn = fmt::format("mysql://{}:{}@127.0.0.1:{}/", toolkit::kEtlUser, toolkit::kEtlPassword, server_port);
    toolkit::ServiceControl service(toolkit::daemon_config_for(config()).service, {"127.0.0.1", server_port, ""},
                                    srv + "/start.log");
    service.start();
    db::Dsn admin;
    admin.socket = srv + "/mysqld.sock";
    auto c = db::Connection::open(admin);
    c->execute("CREATE DATABASE testdb");
    c->execute("CREATE TABLE testdb.users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
    c->execute("INSERT INTO testdb.users (name) VALUES ('a'), ('b'), ('c'), ('d'), ('e')");
    c->execute(
        fmt::format("CREATE USER '{}'@'127.0.0.1' IDENTIFIED BY '{}'", toolkit::kEtlUser, toolkit::kEtlPassword));
    c->execute(fmt::format("GRANT ALL ON testdb.* TO '{}'@'127.0.0.1'", toolkit::kEtlUser));
    start_daemon();
  }
};

}  // namespace tc::test
