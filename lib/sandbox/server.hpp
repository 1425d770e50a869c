#pragma once
// A private mariadbd process living in a directory of its own (the sandbox source, or a replica).
#include <chrono>
#include <string>
#include <vector>

#include "db/dsn.hpp"
#include "util/json.hpp"

namespace tc::toolkit {

/// How to run one private server. Everything it writes stays under `dir`.
struct ServerOptions {
  std::string dir;  // <dir>/data, <dir>/mysqld.sock, <dir>/error.log, <dir>/server.json
  int port = 0;     // 0 = pick a free loopback port at start()
  int server_id = 1;
  bool log_bin = true;             // binlog ROW, FULL row image, basename mysql-bin
  bool log_slave_updates = false;  // on for replicas that must write what they apply
  std::vector<std::string> extra;  // extra my.cnf lines ("key=value" or "key"), passed as --key=value
  std::string template_dir;        // when set and <dir>/data is missing, the data dir is copied from here
};

/// Where a started server is; persisted as <dir>/server.json so another process can attach to it.
struct ServerInfo {
  int pid = 0;
  int port = 0;
  std::string socket;
  std::string datadir;
  std::string error_log;
  int server_id = 0;
  std::chrono::milliseconds start_time{0};  // from spawn to accepting connections
  Json to_json() const;
  static ServerInfo from_json(const Json& j);
};

/// One mariadbd child, started detached (own session) so it outlives the command that started it.
class Server {
 public:
  explicit Server(ServerOptions opts);
  /// Attaches to a server started earlier in `dir` (reads <dir>/server.json); running() tells if it still is.
  static Server attach(const std::string& dir);

  /// Starts mariadbd and waits until it accepts connections (throws with the error log's tail on failure).
  void start(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  /// SIGTERM (clean shutdown), SIGKILL to its process group after `grace`; returns true if it was running.
  bool stop(std::chrono::milliseconds grace = std::chrono::seconds(20));
  bool running() const;

  int pid() const { return info_.pid; }
  int port() const { return info_.port; }
  const std::string& dir() const { return opts_.dir; }
  std::string socket_path() const { return info_.socket; }
  std::string error_log_path() const { return opts_.dir + "/error.log"; }
  std::string datadir() const { return opts_.dir + "/data"; }
  const ServerInfo& info() const { return info_; }
  /// A DSN reaching this server over TCP on 127.0.0.1 (or over its socket when `via_socket`).
  db::Dsn dsn(const std::string& user, const std::string& password, bool via_socket = false) const;

 private:
  std::vector<std::string> arguments() const;
  ServerOptions opts_;
  ServerInfo info_;
};

/// A TCP port on 127.0.0.1 that was free a moment ago.
int pick_free_port();
/// True if `pid` is a live (non-zombie) process; reaps it first if it is our exited child.
bool process_alive(int pid);
/// The socket path for a server dir: <dir>/mysqld.sock, or a short /tmp path when that is too long for sun_path.
std::string socket_path_for(const std::string& dir);

}  // namespace tc::toolkit
