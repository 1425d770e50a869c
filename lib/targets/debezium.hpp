#pragma once
// The debezium target: Debezium's embedded engine (MariaDB connector) reading the source through the fault proxy
// and applying its change events to a private destination MariaDB (pipelines/debezium, a Java 17 program).
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/source.hpp"
#include "sandbox/config.hpp"
#include "targets/target.hpp"

namespace tc::targets {

/// The debezium target's settings (scenario map or profile): docs/targets.md explains each.
struct DebeziumSettings {
  std::string sink_mode = "upsert";       // upsert (idempotent by key) or append (every event a row)
  std::string snapshot_mode = "initial";  // Debezium's snapshot.mode
  std::chrono::milliseconds offset_flush{1000};
  bool auto_restart = false;  // off: a restart happens only where the test case says "Fix Now"
  std::chrono::milliseconds retry_window{std::chrono::minutes(5)};  // how long "Fix Now" retries a silent source
  std::chrono::milliseconds retry_every{std::chrono::seconds(3)};
  std::chrono::milliseconds start_timeout{std::chrono::seconds(90)};
  std::string heap = "384m";
  std::vector<std::string> tables;   // table.include.list; empty = every table of testdb
  Json properties = Json::object();  // passed to the engine as is (one's own Debezium configuration)
  /// From {type: debezium, sink_mode: append, offset_flush: 1s, properties: {...}}; throws std::invalid_argument
  /// naming the key on an unknown key or a bad value.
  static DebeziumSettings from_spec(const Json& spec);
  Json to_json() const;
};

/// Runs (or reuses) the engine in <state_dir>/debezium and its destination server in <state_dir>/debezium/dest.
/// Status, restart ("Fix Now"), stop, start and resync go to the engine's loopback HTTP API.
class DebeziumTarget : public Target {
 public:
  /// Makes sure the source, the destination server and the engine are up (reusing running ones whose settings
  /// match). Throws std::runtime_error with what to do when Java or the jar is missing or the engine will not start.
  DebeziumTarget(toolkit::Config cfg, DebeziumSettings settings);

  std::string kind() const override { return "debezium"; }
  std::string etl_tool() const override;
  PipelineStatus status() override;
  void start() override;
  void stop() override;
  void restart() override;  // "Fix Now": stop the engine and start it from its stored offsets
  void resync() override;   // new snapshot into emptied destination tables
  std::string destination_dsn() const override;
  std::vector<std::string> log_files() const override;

  const Json& setup() const { return setup_; }
  Json setup_info() const override { return setup_; }
  std::string dir() const { return dir_; }
  int engine_pid() const { return engine_pid_; }

 private:
  void ensure();
  void ensure_destination();
  void launch_engine();
  Json call(const std::string& method, const std::string& path, std::chrono::seconds timeout);
  std::string config_text() const;
  std::string engine_log_tail() const;

  toolkit::Config cfg_;
  DebeziumSettings settings_;
  std::string state_dir_, dir_;
  int dest_port_ = 0;
  int engine_pid_ = 0;
  int http_port_ = 0;
  std::string engine_name_;
  Json setup_ = Json::object();
  std::recursive_mutex mutex_;
};

/// The runnable jar: $TC_DEBEZIUM_JAR, pipelines/debezium/target/tc-debezium.jar above the working directory or
/// the executable, or <prefix>/share/tc-run/tc-debezium.jar. "" when none exists.
std::string find_debezium_jar();

/// Stops the engine (clean shutdown, then SIGKILL) and the destination server of a state dir; false if neither ran.
bool stop_debezium(const std::string& state_dir, std::chrono::seconds grace = std::chrono::seconds(20));

}  // namespace tc::targets
