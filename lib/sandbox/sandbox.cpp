#include "sandbox/sandbox.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <filesystem>
#include <stdexcept>

#include "faults/binlog_recovery.hpp"
#include "sandbox/data_template.hpp"
#include "sandbox/seed.hpp"
#include "sandbox/server.hpp"
#include "util/file_util.hpp"
#include "util/utc_time.hpp"

namespace fs = std::filesystem;

namespace tc::toolkit {

namespace {
std::string now_iso() {
  return utc_iso_seconds(std::chrono::system_clock::now()) + "Z";
}
}  // namespace

Json SandboxState::to_json() const {
  return {{"running", running},
          {"pid", pid},
          {"private_port", private_port},
          {"socket", socket},
          {"public_port", public_port},
          {"datadir", datadir},
          {"binlog_dir", binlog_dir},
          {"error_log", error_log},
          {"server_id", server_id},
          {"start_ms", start_ms},
          {"template_build_ms", template_build_ms},
          {"started_at", started_at}};
}

SandboxState SandboxState::from_json(const Json& j) {
  SandboxState s;
  s.running = j.value("running", false);
  s.pid = j.value("pid", 0);
  s.private_port = j.value("private_port", 0);
  s.socket = j.value("socket", "");
  s.public_port = j.value("public_port", 0);
  s.datadir = j.value("datadir", "");
  s.binlog_dir = j.value("binlog_dir", "");
  s.error_log = j.value("error_log", "");
  s.server_id = j.value("server_id", 1);
  s.start_ms = j.value("start_ms", 0LL);
  s.template_build_ms = j.value("template_build_ms", 0LL);
  s.started_at = j.value("started_at", "");
  return s;
}

Sandbox::Sandbox(std::string state_dir) : state_dir_(fs::absolute(state_dir).lexically_normal().string()) {}

std::optional<SandboxState> Sandbox::state() const {
  Json j = read_json_file(json_path());
  if (!j.is_object()) return std::nullopt;
  SandboxState s = SandboxState::from_json(j);
  Server srv = Server::attach(server_dir());
  s.running = srv.running() && srv.pid() == s.pid;
  return s;
}

bool Sandbox::running() const {
  auto s = state();
  return s && s->running;
}

Sandbox::Up Sandbox::up(int public_port) {
  Up r;
  auto prev = state();
  if (prev && prev->running) {
    if (public_port && public_port != prev->public_port)
      throw std::runtime_error(
          fmt::format("the sandbox is already running with public port {}; run `toolkit down` first to change it",
                      prev->public_port));
    r.state = *prev;
    r.already_running = true;
    return r;
  }
  fs::create_directories(state_dir_);
  ServerOptions opts;
  opts.dir = server_dir();
  long long build_ms = 0;
  if (!fs::exists(server_dir() + "/data")) {
    auto t = ensure_template(shared_template_dir());
    build_ms = t.build_time.count();
    opts.template_dir = t.datadir;
    r.fresh = true;
  }
  // Never start on a binlog the toolkit corrupted: a zeroed magic number in it keeps mariadbd from starting
  // (and a crashed run may have left one). Put the backups back first; refuse to start if that fails.
  restore_sandbox_corruptions(state_dir_, r.fresh);
  Server server(opts);
  server.start();
  SandboxState s;
  s.running = true;
  s.pid = server.pid();
  s.private_port = server.port();
  s.socket = server.socket_path();
  s.public_port = public_port ? public_port : (prev && prev->public_port ? prev->public_port : pick_free_port());
  s.datadir = server.datadir();
  s.binlog_dir = server.datadir();
  s.error_log = server.error_log_path();
  s.server_id = 1;
  s.start_ms = server.info().start_time.count();
  s.template_build_ms = build_ms;
  s.started_at = now_iso();
  write_json_file(json_path(), s.to_json());
  r.state = s;
  return r;
}

bool Sandbox::down(std::chrono::milliseconds grace) {
  auto s = state();
  Server server = Server::attach(server_dir());
  bool was = server.stop(grace);
  if (s) {
    s->running = false;
    s->pid = 0;
    write_json_file(json_path(), s->to_json());
  }
  return was;
}

Sandbox::Up Sandbox::reset() {
  auto prev = state();
  down();
  std::error_code ec;
  fs::remove_all(server_dir() + "/data", ec);
  if (ec) throw std::runtime_error("cannot remove " + server_dir() + "/data: " + ec.message());
  return up(prev ? prev->public_port : 0);
}

db::Dsn Sandbox::admin_dsn() const {
  auto s = state();
  if (!s || !s->running)
    throw std::runtime_error("the sandbox is not running (state dir " + state_dir_ + "); run `toolkit up`");
  db::Dsn d;
  d.user = kAdminUser;
  d.password = kAdminPassword;
  d.host = "127.0.0.1";
  d.port = s->private_port;
  d.socket = s->socket;
  d.database = kDatabase;
  return d;
}

}  // namespace tc::toolkit
