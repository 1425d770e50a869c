#pragma once
// Which server a command works on (the sandbox or a DSN), an admin connection to it, and shared queries.
#include <chrono>
#include <memory>
#include <stop_token>
#include <string>

#include "db/connection.hpp"
#include "sandbox/flavour.hpp"
#include "toolkit/command.hpp"

namespace tc::toolkit {

/// The source a command targets.
struct Source {
  bool sandbox = true;
  db::Dsn dsn;             // the admin connection (the sandbox: root over its unix socket)
  std::string binlog_dir;  // local directory of its binlog files; "" when we have none (not ours)
  std::string state_dir;
  /// True when the toolkit may touch its files (corrupt/restore): the sandbox, or a configured binlog dir.
  bool owned() const { return !binlog_dir.empty(); }
};

/// Resolves cfg.source ("", "sandbox" or a DSN); `binlog_dir` (or $TC_BINLOG_DIR) declares a DSN server's
/// binlog directory as ours. Throws std::runtime_error with a clear message (sandbox down, bad DSN).
Source resolve_source(const Config& cfg, const std::string& binlog_dir = "");

/// An open admin session on the source.
struct Session {
  Source source;
  std::unique_ptr<db::Connection> conn;
  Flavour flavour;
  static Session open(const Config& cfg, const std::string& binlog_dir = "");
  /// Current binlog file and position.
  std::pair<std::string, long long> binlog_position();
  /// The binlog GTID position/set as text.
  std::string gtid();
  /// {file, position, gtid, files:[{name,size}], files_count, total_size}
  Json binlog_snapshot();
};

/// Writes a line of text output (suppressed under --json) and keeps it in result.text.
void say(CommandEnv& env, const std::string& line);
/// Sleeps, waking early when stop is requested; false when stopped.
bool sleep_or_stop(std::stop_token stop, std::chrono::milliseconds d);
/// Fails the command with a message (exit 1); what callbacks throw.
struct CommandFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace tc::toolkit
