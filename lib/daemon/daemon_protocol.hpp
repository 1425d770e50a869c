#pragma once
// The toolkit daemon's control protocol: JSON lines over a unix socket in the state dir (docs/daemon-protocol.md).
#include <chrono>
#include <string>

#include "daemon/daemon_service.hpp"
#include "proxy/proxy.hpp"
#include "util/json.hpp"

namespace tc::toolkit {

/// Files the daemon keeps in its state directory.
struct DaemonPaths {
  std::string socket, pid_file, log, config;
  explicit DaemonPaths(const std::string& state_dir);
};

/// What the daemon fronts and how: written to <state>/daemon.json before the daemon starts.
struct DaemonConfig {
  std::string state_dir;
  Upstream upstream;    // the server's private address
  int public_port = 0;  // where clients connect; 0 = any free port (reported by status)
  ServiceSpec service;
  Json to_json() const;
  static DaemonConfig from_json(const Json& j);  // throws std::runtime_error naming what is missing
  void save() const;
  static DaemonConfig load(const std::string& state_dir);  // throws if absent or malformed
};

/// Thrown when the daemon cannot be reached (not running, stale socket).
class DaemonUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Sends one request line and reads one response line. Throws DaemonUnavailable if it cannot connect,
/// std::runtime_error on a timeout or a malformed answer.
Json daemon_request(const std::string& socket_path, const Json& request,
                    std::chrono::milliseconds timeout = std::chrono::minutes(2));

}  // namespace tc::toolkit
