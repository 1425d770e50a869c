#pragma once
// The embedded source: a seeded private MariaDB in <state_dir>/sandbox, described by <state_dir>/sandbox.json.
//
// sandbox.json (read by the fault proxy and the runner; written atomically on up/down/reset):
//   running       bool    the server process is up (as of the last up/down; check `pid` to be sure)
//   pid           int     mariadbd's pid (its own process group), 0 when down
//   private_port  int     the port mariadbd itself listens on (127.0.0.1); clients should NOT use it
//   socket        string  mariadbd's unix socket (the toolkit's own admin connection uses it)
//   public_port   int     the port pipelines connect to: the fault proxy listens here and forwards to
//                         private_port. Chosen once (--port or a free port) and kept across down/up/reset.
//   datadir, binlog_dir, error_log   paths under <state_dir>/sandbox
//   server_id, start_ms, template_build_ms, started_at
#include <chrono>
#include <optional>
#include <string>

#include "db/dsn.hpp"
#include "util/json.hpp"

namespace tc::toolkit {

/// What sandbox.json says.
struct SandboxState {
  bool running = false;
  int pid = 0;
  int private_port = 0;
  std::string socket;
  int public_port = 0;
  std::string datadir, binlog_dir, error_log;
  int server_id = 1;
  long long start_ms = 0, template_build_ms = 0;
  std::string started_at;
  Json to_json() const;
  static SandboxState from_json(const Json& j);
};

/// The sandbox of one state directory.
class Sandbox {
 public:
  explicit Sandbox(std::string state_dir);
  /// Result of up/reset.
  struct Up {
    SandboxState state;
    bool already_running = false;
    bool fresh = false;  // data dir copied from the template (first up, or reset)
  };
  /// Starts it (copying the template on first use). public_port 0 = keep the recorded one or pick a free one.
  Up up(int public_port = 0);
  /// Stops it by pid (clean shutdown); false if it was not running.
  bool down(std::chrono::milliseconds grace = std::chrono::seconds(20));
  /// Back to the seeded state: stop, fresh copy of the template, start.
  Up reset();
  /// The recorded state with `running` checked against the live process; nullopt before the first up.
  std::optional<SandboxState> state() const;
  bool running() const;
  /// root over the unix socket: the toolkit's admin connection, not subject to network faults.
  db::Dsn admin_dsn() const;
  std::string json_path() const { return state_dir_ + "/sandbox.json"; }
  std::string server_dir() const { return state_dir_ + "/sandbox"; }
  const std::string& state_dir() const { return state_dir_; }

 private:
  std::string state_dir_;
};

}  // namespace tc::toolkit
