#include "daemon/daemon_service.hpp"

#include <signal.h>

#include <fstream>
#include <stdexcept>
#include <thread>

#include "daemon/daemon_spawn.hpp"
#include "daemon/fault_probe.hpp"
#include "sandbox/sandbox.hpp"
#include "util/process.hpp"

namespace tc::toolkit {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

Json ServiceSpec::to_json() const {
  return Json{{"sandbox_state_dir", sandbox_state_dir},
              {"pid_file", pid_file},
              {"stop_command", stop_command},
              {"start_command", start_command},
              {"grace_ms", grace.count()},
              {"start_timeout_ms", start_timeout.count()}};
}

ServiceSpec ServiceSpec::from_json(const Json& j) {
  ServiceSpec s;
  if (!j.is_object()) return s;
  s.sandbox_state_dir = j.value("sandbox_state_dir", "");
  s.pid_file = j.value("pid_file", "");
  s.stop_command = j.value("stop_command", "");
  s.start_command = j.value("start_command", "");
  s.grace = std::chrono::milliseconds(j.value("grace_ms", 20000));
  s.start_timeout = std::chrono::milliseconds(j.value("start_timeout_ms", 60000));
  return s;
}

ServiceControl::ServiceControl(ServiceSpec spec, Upstream server, std::string log_path)
    : spec_(std::move(spec)), server_(std::move(server)), log_path_(std::move(log_path)) {}

Upstream ServiceControl::upstream() const {
  if (spec_.sandbox_state_dir.empty()) return server_;
  auto st = Sandbox(spec_.sandbox_state_dir).state();
  if (!st || st->private_port <= 0) return server_;
  return Upstream{"127.0.0.1", st->private_port, ""};
}

bool ServiceControl::accepting() const {
  return probe(upstream(), 2s).outcome == "data";
}

namespace {
int read_pid(const std::string& path) {
  std::ifstream in(path);
  int pid = 0;
  in >> pid;
  return pid;
}
}  // namespace

void ServiceControl::stop() {
  if (!spec_.configured()) throw std::runtime_error("no way to stop/start this server is configured");
  if (!spec_.sandbox_state_dir.empty()) {
    Sandbox(spec_.sandbox_state_dir).down(spec_.grace);
  } else if (!spec_.pid_file.empty()) {
    int pid = read_pid(spec_.pid_file);
    if (pid > 0 && pid_alive(pid)) {
      ::kill(pid, SIGTERM);  // clean shutdown first
      auto deadline = Clock::now() + spec_.grace;
      while (pid_alive(pid) && Clock::now() < deadline) std::this_thread::sleep_for(20ms);
      if (pid_alive(pid)) {
        ::kill(pid, SIGKILL);
        for (int i = 0; i < 250 && pid_alive(pid); ++i) std::this_thread::sleep_for(20ms);
      }
      if (pid_alive(pid)) throw std::runtime_error("server pid " + std::to_string(pid) + " survived SIGKILL");
    }
  } else {
    ProcessOptions opts;
    opts.timeout = spec_.grace + 10s;
    auto r = run_shell(spec_.stop_command, opts);
    if (r.exit_code != 0)
      throw std::runtime_error("stop command failed (exit " + std::to_string(r.exit_code) + "): " + r.err);
  }
  auto p = probe(upstream(), 1s);
  if (p.outcome == "data") throw std::runtime_error("server still accepts connections after stop");
}

void ServiceControl::start() {
  if (accepting()) return;
  if (!spec_.sandbox_state_dir.empty()) {
    Sandbox(spec_.sandbox_state_dir).up();  // returns once it accepts connections
    if (!accepting()) throw std::runtime_error("the sandbox started but does not answer on its private port");
    return;
  }
  if (spec_.start_command.empty()) throw std::runtime_error("no start command configured for this server");
  spawn_detached({"/bin/sh", "-c", spec_.start_command}, log_path_);
  auto deadline = Clock::now() + spec_.start_timeout;
  while (Clock::now() < deadline) {
    if (probe(upstream(), 1s).outcome == "data") return;
    std::this_thread::sleep_for(50ms);
  }
  throw std::runtime_error("server did not accept connections within " + std::to_string(spec_.start_timeout.count()) +
                           " ms after start");
}

}  // namespace tc::toolkit
