// `status`: is the server up, its binlog settings and position, binlog files, users row count.
#include <fmt/format.h>

#include "sandbox/sandbox.hpp"
#include "toolkit/command.hpp"
#include "toolkit/session.hpp"
#include "toolkit/status_query.hpp"

namespace tc::toolkit {

namespace {
std::string human_size(long long n) {
  if (n >= 1 << 20) return fmt::format("{:.1f} MiB", n / 1048576.0);
  if (n >= 1 << 10) return fmt::format("{:.1f} KiB", n / 1024.0);
  return fmt::format("{} B", n);
}
}  // namespace

void add_status_command(CLI::App& app, CommandEnv& env) {
  auto* cmd =
      app.add_subcommand("status", "server up?, uptime, threads, binlog file/position/GTID, binlog files, users rows");
  cmd->callback([&env] {
    Session s;
    try {
      s = Session::open(env.cfg);
    } catch (const std::exception& e) {
      // Down is an answer, not a crash: report it (exit 1, since nothing can be done against it).
      env.result.output = {{"running", false}, {"error", e.what()}};
      env.result.exit_code = 1;
      say(env, std::string("server: DOWN (") + e.what() + ")");
      return;
    }
    Json j = server_status(s);
    if (s.source.sandbox) {
      if (auto st = Sandbox(s.source.state_dir).state()) {
        j["sandbox"] = {{"pid", st->pid},
                        {"private_port", st->private_port},
                        {"public_port", st->public_port},
                        {"socket", st->socket},
                        {"error_log", st->error_log}};
      }
    }
    env.result.output = j;
    say(env,
        fmt::format("server:        UP ({}, {})", j["version"].get<std::string>(), j["source"].get<std::string>()));
    say(env, fmt::format("uptime:        {} s", j["uptime_s"].dump()));
    say(env, fmt::format("threads:       {} connected, {} running", j["threads_connected"].dump(),
                         j["threads_running"].dump()));
    say(env, fmt::format("server_id:     {}", j["server_id"].dump()));
    say(env, fmt::format("binlog:        {} format {}, row image {}, GTID {}", j["log_bin"].get<bool>() ? "ON" : "OFF",
                         j["binlog_format"].get<std::string>(), j["binlog_row_image"].get<std::string>(),
                         j["gtid_mode"].is_string() ? j["gtid_mode"].get<std::string>() : j["gtid_mode"].dump()));
    if (j.contains("binlog_file")) {
      say(env, fmt::format("position:      {}:{}", j["binlog_file"].get<std::string>(), j["binlog_position"].dump()));
      say(env, fmt::format("GTID:          {}", j["binlog_gtid"].get<std::string>()));
      say(env, fmt::format("binlog files:  {} ({})", j["binlog_files_count"].dump(),
                           human_size(j["binlog_total_size"].get<long long>())));
    }
    say(env, fmt::format("users rows:    {}", j["users_rows"].dump()));
    if (j.contains("sandbox"))
      say(env, fmt::format("sandbox:       pid {}, private port {}, public port {}", j["sandbox"]["pid"].dump(),
                           j["sandbox"]["private_port"].dump(), j["sandbox"]["public_port"].dump()));
  });
}

void add_monitor_command(CLI::App& app, CommandEnv& env) {
  auto* cmd = app.add_subcommand("monitor", "binlog file/position/GTID, binlog files with sizes, users rows");
  auto watch = std::make_shared<bool>(false);
  auto interval = std::make_shared<double>(2);
  auto max = std::make_shared<int>(0);
  cmd->add_flag("--watch", *watch, "refresh every --interval seconds until stopped");
  cmd->add_option("--interval", *interval, "seconds between refreshes (2)")->check(CLI::Range(0.05, 86400.0));
  cmd->add_option("--iterations", *max, "with --watch: stop after N refreshes (0 = until stopped)")
      ->check(CLI::NonNegativeNumber);
  cmd->callback([&env, watch, interval, max] {
    Session s = Session::open(env.cfg);
    Json snaps = Json::array();
    for (int i = 0;; ++i) {
      Json snap = monitor_snapshot(s);
      snaps.push_back(snap);
      if (env.cfg.json && *watch) env.out << snap.dump() << "\n" << std::flush;  // one JSON line per refresh
      say(env, fmt::format("binlog {}:{}  GTID {}  users {}", snap["file"].get<std::string>(), snap["position"].dump(),
                           snap["gtid"].get<std::string>(), snap["users_rows"].dump()));
      for (const auto& f : snap["files"])
        say(env, fmt::format("  {:<24} {:>12}", f["name"].get<std::string>(), human_size(f["size"].get<long long>())));
      if (!*watch || (*max && i + 1 >= *max)) break;
      if (!sleep_or_stop(env.stop, std::chrono::milliseconds(static_cast<long long>(*interval * 1000)))) break;
    }
    env.result.output = snaps.back();
    env.result.output["refreshes"] = snaps.size();
    if (*watch) env.result.output["first"] = snaps.front();
  });
}

namespace {
using O = scenario::OutputType;
// binlog_snapshot(): the file, position and GTID, the files with sizes; status prefixes them with binlog_.
std::vector<scenario::OutputDecl> binlog_keys(const std::string& prefix) {
  return {{prefix + "file", O::Text, "current binlog file"},
          {prefix + "position", O::Number, "position in it"},
          {prefix + "gtid", O::Text, "the binlog GTID position"},
          {prefix + "files", O::List, "binlog files: name, size"},
          {prefix + "files_count", O::Number, "how many binlog files"},
          {prefix + "total_size", O::Number, "their total size in bytes"}};
}
}  // namespace

CommandOutputs status_outputs() {
  CommandOutputs c{"status",
                   {{"running", O::Bool, "whether the server answers"},
                    {"error", O::Text, "why it does not, when it does not"},
                    {"source", O::Text, "sandbox or the DSN"},
                    {"version", O::Text, "server version"},
                    {"flavour", O::Text, "mariadb or mysql"},
                    {"uptime_s", O::Number, "server uptime in seconds"},
                    {"threads_connected", O::Number, "connected threads"},
                    {"threads_running", O::Number, "running threads"},
                    {"server_id", O::Number, "server_id"},
                    {"log_bin", O::Bool, "binary logging on"},
                    {"binlog_format", O::Text, "ROW, MIXED or STATEMENT"},
                    {"binlog_row_image", O::Text, "FULL, MINIMAL or NOBLOB"},
                    {"max_binlog_size", O::Number, "max_binlog_size"},
                    {"gtid_mode", O::Any, "the GTID mode"},
                    {"users_rows", O::Number, "rows in testdb.users"},
                    {"sandbox", O::Map, "the sandbox's pid and ports"},
                    {"value", O::Any, "the command's text"},
                    {"exit_code", O::Number, "0 when it ran"}}};
  for (auto& k : binlog_keys("binlog_")) c.outputs.push_back(k);
  return c;
}

CommandOutputs monitor_outputs() {
  CommandOutputs c{"monitor",
                   {{"users_rows", O::Number, "rows in testdb.users"},
                    {"refreshes", O::Number, "snapshots taken"},
                    {"first", O::Map, "the first snapshot (--watch)"},
                    {"value", O::Any, "the command's text"},
                    {"exit_code", O::Number, "0 when it ran"}}};
  for (auto& k : binlog_keys("")) c.outputs.push_back(k);
  return c;
}

}  // namespace tc::toolkit
