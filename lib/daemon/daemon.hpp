#pragma once
// The toolkit daemon: owns the fault proxy, applies and verifies faults, keeps their schedules, and answers
// JSON-lines requests on <state>/daemon.sock (protocol: docs/daemon-protocol.md).
#include <memory>

#include "daemon/daemon_protocol.hpp"
#include "util/json.hpp"

namespace tc::toolkit {

/// One daemon per state directory.
class Daemon {
 public:
  explicit Daemon(DaemonConfig cfg);
  ~Daemon();
  /// Takes the pid-file lock, undoes leftovers of a dead daemon (ledger), starts the proxy and the control socket.
  /// Throws std::runtime_error if another daemon runs for this state dir or a port/socket cannot be bound.
  void start();
  /// Blocks until a shutdown request (or request_stop()); then undoes every fault and stops.
  void wait();
  void request_stop();
  /// One request -> one response (what the socket does; callable in-process).
  Json handle(const Json& request);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// `toolkit daemon --state-dir D`: loads D/daemon.json, runs until shut down (SIGTERM/SIGINT too). Exit code.
int run_daemon(const std::string& state_dir);

}  // namespace tc::toolkit
