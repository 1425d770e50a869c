#include "daemon/daemon_client.hpp"

#include <unistd.h>

#include <boost/process/search_path.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "daemon/daemon_spawn.hpp"
#include "db/dsn.hpp"
#include "sandbox/sandbox.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace tc::toolkit {

using namespace std::chrono_literals;

namespace {
std::string env_or(const char* name, const std::string& fallback = "") {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string toolkit_exe() {
  if (auto e = env_or("TC_TOOLKIT_BIN"); !e.empty()) return e;
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    if (self.filename() == "toolkit") return self.string();
    if (fs::exists(self.parent_path() / "toolkit")) return (self.parent_path() / "toolkit").string();
  }
  auto p = boost::process::search_path("toolkit");
  if (!p.empty()) return p.string();
  throw std::runtime_error("cannot find the `toolkit` executable to start the daemon (set TC_TOOLKIT_BIN)");
}

std::string tail(const std::string& path, size_t max = 1500) {
  std::ifstream in(path);
  std::string s((std::istreambuf_iterator<char>(in)), {});
  return s.size() > max ? s.substr(s.size() - max) : s;
}
}  // namespace

DaemonConfig daemon_config_for(const Config& cfg) {
  DaemonConfig d;
  d.state_dir = cfg.resolved_state_dir();
  if (cfg.sandbox()) {
    auto st = Sandbox(d.state_dir).state();
    if (!st) throw std::runtime_error("the sandbox is not set up in " + d.state_dir + "; run `toolkit up` first");
    d.upstream = Upstream{"127.0.0.1", st->private_port, ""};
    d.public_port = st->public_port;
    d.service.sandbox_state_dir = d.state_dir;
    return d;
  }
  db::Dsn dsn;
  try {
    dsn = db::Dsn::parse(cfg.source);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("bad source: ") + e.what());
  }
  d.upstream = dsn.socket.empty() ? Upstream{dsn.host, dsn.port, ""} : Upstream{"", 0, dsn.socket};
  if (auto p = env_or("TC_PROXY_PORT"); !p.empty()) {
    try {
      d.public_port = std::stoi(p);
    } catch (...) {
      throw std::runtime_error("TC_PROXY_PORT is not a port number: " + p);
    }
  }
  d.service.pid_file = env_or("TC_SOURCE_PID_FILE");
  d.service.stop_command = env_or("TC_SOURCE_STOP_COMMAND");
  d.service.start_command = env_or("TC_SOURCE_START_COMMAND");
  return d;
}

bool daemon_running(const std::string& state_dir) {
  try {
    return daemon_request(DaemonPaths(state_dir).socket, {{"op", "ping"}}, 2s).value("ok", false);
  } catch (const std::exception&) {
    return false;
  }
}

std::string ensure_daemon(const Config& cfg) {
  std::string dir = cfg.resolved_state_dir();
  DaemonPaths paths(dir);
  if (daemon_running(dir)) return paths.socket;
  auto dc = daemon_config_for(cfg);
  dc.save();
  int pid = spawn_detached({toolkit_exe(), "daemon", "--state-dir", dir}, paths.log);
  auto deadline = std::chrono::steady_clock::now() + 15s;
  while (std::chrono::steady_clock::now() < deadline) {
    if (daemon_running(dir)) return paths.socket;
    if (!pid_alive(pid)) break;
    std::this_thread::sleep_for(20ms);
  }
  if (daemon_running(dir)) return paths.socket;  // lost a race with another starter: fine
  throw std::runtime_error("the toolkit daemon did not start; its log (" + paths.log + ") ends with:\n" +
                           tail(paths.log));
}

bool stop_daemon(const std::string& state_dir) {
  DaemonPaths paths(state_dir);
  if (!daemon_running(state_dir)) return false;
  try {
    daemon_request(paths.socket, {{"op", "shutdown"}}, 5s);
  } catch (const std::exception&) {
  }
  for (int i = 0; i < 1500 && fs::exists(paths.socket); ++i) std::this_thread::sleep_for(20ms);
  return true;
}

}  // namespace tc::toolkit
