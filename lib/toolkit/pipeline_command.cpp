// `toolkit pipeline start|stop|restart|status|resync|last-error`: drives the pipeline under test (by default the
// local replica in <state_dir>/replica) from the terminal, as the `pipeline:` step does in a scenario.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "targets/factory.hpp"
#include "targets/registry.hpp"
#include "toolkit/command.hpp"
#include "toolkit/session.hpp"
#include "util/prompter_terminal.hpp"
#include "util/text.hpp"

namespace tc::toolkit {

namespace {

struct PipelineOptions {
  std::string action;
  std::string target = "replica";
  bool server = false;
};

void print_status(CommandEnv& env, const targets::PipelineStatus& s) {
  std::string lag = s.lag_seconds ? fmt::format(", lag {} s", *s.lag_seconds) : "";
  say(env, fmt::format("pipeline:  {}{}", s.state, lag));
  if (s.last_errno || !s.last_error.empty()) say(env, fmt::format("error:     {} {}", s.last_errno, s.last_error));
  for (const char* k : {"Slave_IO_State", "Gtid_IO_Pos", "gtid_slave_pos", "Exec_Master_Log_Pos", "Master_Port"})
    if (s.detail.contains(k) && !s.detail[k].is_null())
      say(env, fmt::format("{:<10} {}", std::string(k) + ":",
                           s.detail[k].is_string() ? s.detail[k].get<std::string>() : s.detail[k].dump()));
}

void run_pipeline(const PipelineOptions& o, CommandEnv& env) {
  if (o.server && o.action != "stop") throw std::invalid_argument("--server goes with `pipeline stop`");
  if (o.server) {
    // Stopping the pipeline's servers and engines themselves (not just replication): nothing to create first.
    auto stopped = targets::stop_pipeline_servers(env.cfg.resolved_state_dir(), std::chrono::seconds(20));
    bool was = !stopped.empty();
    env.result.output = {{"stopped_server", was}, {"stopped", stopped}};
    say(env, was ? join(stopped) + " pipeline server stopped" : "no pipeline server was running");
    return;
  }
  TerminalPrompter prompter(std::cin, env.out, "");
  targets::TargetEnv tenv{env.cfg, &prompter, ""};
  auto target = targets::make_target(Json(o.target), tenv);
  env.result.output["setup"] = target->setup_info();
  if (o.action == "last-error") {
    std::string e = target->last_error();
    env.result.output["value"] = e;
    say(env, e.empty() ? "no error" : e);
    return;
  }
  if (o.action == "start")
    target->start();
  else if (o.action == "stop")
    target->stop();
  else if (o.action == "restart")
    target->restart();
  else if (o.action == "resync")
    target->resync();
  auto s = target->status();
  Json out = s.to_json();
  out["setup"] = env.result.output.value("setup", Json::object());
  out["destination"] = target->destination_dsn();
  env.result.output = out;
  if (o.action != "status") say(env, fmt::format("{} done on {}", o.action, target->etl_tool()));
  print_status(env, s);
}

}  // namespace

void add_pipeline_command(CLI::App& app, CommandEnv& env) {
  auto opts = std::make_shared<PipelineOptions>();
  auto* cmd =
      app.add_subcommand("pipeline", "drive the pipeline under test: status, start, stop, restart (Fix Now), resync");
  cmd->add_option("action", opts->action, "status, start, stop, restart, resync or last-error")
      ->required()
      ->check(CLI::IsMember({"status", "start", "stop", "restart", "resync", "last-error"}));
  cmd->add_option("--target", opts->target,
                  "replica (default), debezium, or a target profile name (hevo, fivetran, airbyte...)");
  cmd->add_flag("--server", opts->server,
                "with stop: also shut down the pipeline's servers (the replica's MariaDB, the Debezium engine)");
  cmd->callback([opts, &env] { run_pipeline(*opts, env); });
}

CommandOutputs pipeline_outputs() {
  using O = scenario::OutputType;
  return {"pipeline",
          {{"state", O::Text, "running, connecting, failed, stopped or unknown"},
           {"value", O::Text, "the state; last-error: the error text"},
           {"last_errno", O::Number, "the pipeline's last error number (0 = none)"},
           {"last_error", O::Text, "its last error text"},
           {"lag_seconds", O::Number, "how far behind the source, when the target knows"},
           {"detail", O::Map, "what the target fills (docs/targets.md's reference)"},
           {"setup", O::Map, "how the target was set up (profile, ready_ms, ...)"},
           {"destination", O::Text, "the destination server's DSN, when the target has one"},
           {"stopped_server", O::Bool, "stop --server: a pipeline server was running"},
           {"stopped", O::List, "stop --server: the targets whose servers were stopped"},
           {"exit_code", O::Number, "0 when it ran"}}};
}

}  // namespace tc::toolkit
