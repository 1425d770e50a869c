// `up`, `down`, `reset`: the sandbox's life cycle.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "daemon/daemon_client.hpp"
#include "sandbox/sandbox.hpp"
#include "sandbox/seed.hpp"
#include "sandbox/server.hpp"
#include "targets/registry.hpp"
#include "toolkit/command.hpp"
#include "toolkit/session.hpp"

namespace tc::toolkit {

namespace {
void require_sandbox(const CommandEnv& env) {
  if (!env.cfg.sandbox()) throw CommandFailure("up/down/reset manage the sandbox only; --source names another server");
}

void report_up(CommandEnv& env, const Sandbox::Up& up, const char* verb) {
  const auto& s = up.state;
  env.result.output = s.to_json();
  env.result.output["already_running"] = up.already_running;
  env.result.output["fresh"] = up.fresh;
  env.result.output["public_dsn"] =
      fmt::format("mysql://{}:{}@127.0.0.1:{}/{}", kEtlUser, kEtlPassword, s.public_port, kDatabase);
  if (up.already_running) {
    say(env, fmt::format("sandbox already running (pid {}, private port {}, public port {})", s.pid, s.private_port,
                         s.public_port));
    return;
  }
  say(env,
      fmt::format("sandbox {} in {} ms{} (pid {})", verb, s.start_ms,
                  up.fresh ? fmt::format(", fresh copy of the seeded template{}",
                                         s.template_build_ms ? fmt::format(" built in {} ms", s.template_build_ms) : "")
                           : "",
                  s.pid));
  say(env, fmt::format("  server:      127.0.0.1:{} (private), socket {}", s.private_port, s.socket));
  say(env, fmt::format("  public port: {} (pipelines connect here through the fault proxy)", s.public_port));
  say(env,
      fmt::format("  users:       {}/{} (admin), {}/{} (ETL)", kAdminUser, kAdminPassword, kEtlUser, kEtlPassword));
  say(env, fmt::format("  error log:   {}", s.error_log));
}

// The public port is only useful with the daemon's fault proxy listening on it: start it with the server.
void start_proxy(CommandEnv& env) {
  bool was = daemon_running(env.cfg.resolved_state_dir());
  ensure_daemon(env.cfg);
  env.result.output["proxy"] = "listening";
  if (!was) say(env, "  fault proxy: listening on the public port (toolkit daemon started)");
}
}  // namespace

void add_up_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("up", "start the sandbox MariaDB (seeded testdb, binlog ROW, GTID)");
  auto port = std::make_shared<int>(0);
  cmd->add_option("--port", *port, "public port pipelines connect to (default: a free port, kept across up/down)")
      ->check(CLI::Range(1, 65535));
  cmd->callback([&env, port] {
    require_sandbox(env);
    Sandbox sb(env.cfg.resolved_state_dir());
    report_up(env, sb.up(*port), "started");
    start_proxy(env);
  });
}

void add_down_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("down", "stop the sandbox (clean shutdown; data kept for the next up)");
  auto grace = std::make_shared<int>(20);
  cmd->add_option("--grace", *grace, "seconds to wait for a clean shutdown before SIGKILL (20)")
      ->check(CLI::Range(0, 3600));
  cmd->callback([&env, grace] {
    require_sandbox(env);
    std::string state_dir = env.cfg.resolved_state_dir();
    Sandbox sb(state_dir);
    auto before = sb.state();
    // Everything `up` and tc-run started goes down with it: the daemon (which undoes its faults first),
    // the pipelines' servers and engines (replica, Debezium), then the source.
    bool daemon = stop_daemon(state_dir);
    if (daemon) say(env, "toolkit daemon stopped (its faults undone)");
    std::vector<std::string> pipelines;
    try {
      pipelines = targets::stop_pipeline_servers(state_dir, std::chrono::seconds(*grace));
    } catch (const std::exception& e) {
      say(env, std::string("pipeline servers: ") + e.what());
    }
    for (const auto& p : pipelines) say(env, p + " pipeline stopped");
    bool replica = std::find(pipelines.begin(), pipelines.end(), "replica") != pipelines.end();
    bool was = sb.down(std::chrono::seconds(*grace));
    env.result.output = {{"stopped", was},
                         {"pid", before ? before->pid : 0},
                         {"daemon_stopped", daemon},
                         {"replica_stopped", replica},
                         {"pipelines_stopped", pipelines}};
    say(env, was ? fmt::format("sandbox stopped (pid {})", before->pid) : "sandbox was not running");
  });
}

void add_reset_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("reset", "return the sandbox to its seeded state (fresh data, empty binlog)");
  cmd->callback([&env] {
    require_sandbox(env);
    Sandbox sb(env.cfg.resolved_state_dir());
    report_up(env, sb.reset(), "reset to the seeded state");
    start_proxy(env);
  });
}

}  // namespace tc::toolkit
