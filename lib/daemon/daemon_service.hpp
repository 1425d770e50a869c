#pragma once
// How the daemon stops and restarts the source server for `network --down --type service` and `--up`.
#include <chrono>
#include <string>

#include "proxy/proxy.hpp"
#include "util/json.hpp"

namespace tc::toolkit {

/// Stop/start recipe: stop by pid (clean SIGTERM, SIGKILL after `grace`) or by a command; start by a command.
struct ServiceSpec {
  std::string sandbox_state_dir;  // the embedded sandbox of this state dir: stopped/started through Sandbox
  std::string pid_file;           // the server's pid file (sandbox, or a local server)
  std::string stop_command;       // used when there is no pid file (external source)
  std::string start_command;      // run detached through /bin/sh; the server is up once `server` speaks
  std::chrono::milliseconds grace{20000}, start_timeout{60000};
  bool configured() const {
    return !sandbox_state_dir.empty() || ((!pid_file.empty() || !stop_command.empty()) && !start_command.empty());
  }
  Json to_json() const;
  static ServiceSpec from_json(const Json& j);
};

/// Stops and starts one server, checking each step with a probe connection.
class ServiceControl {
 public:
  ServiceControl(ServiceSpec spec, Upstream server, std::string log_path);
  const ServiceSpec& spec() const { return spec_; }
  /// Where the server listens now (the sandbox picks a new private port at each start).
  Upstream upstream() const;
  /// The server answers a connection with its greeting.
  bool accepting() const;
  /// Stops it; returns once it no longer accepts connections. Throws std::runtime_error on failure.
  void stop();
  /// Starts it unless it already accepts; returns once it does. Throws std::runtime_error on failure/timeout.
  void start();

 private:
  ServiceSpec spec_;
  Upstream server_;
  std::string log_path_;
};

}  // namespace tc::toolkit
