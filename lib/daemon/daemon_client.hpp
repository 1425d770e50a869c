#pragma once
// Finding, starting and stopping the toolkit daemon of a state directory (used by `toolkit network`, `up`, tc-run).
#include <string>

#include "daemon/daemon_protocol.hpp"
#include "sandbox/config.hpp"

namespace tc::toolkit {

/// What the daemon fronts for this config: the sandbox (from sandbox.json) or a DSN. For a DSN the public port
/// and the stop/start recipe come from $TC_PROXY_PORT, $TC_SOURCE_PID_FILE, $TC_SOURCE_STOP_COMMAND and
/// $TC_SOURCE_START_COMMAND. Throws std::runtime_error naming what is missing.
DaemonConfig daemon_config_for(const Config& cfg);

/// Makes sure a daemon runs for cfg's state dir, starting `toolkit daemon` detached if needed ($TC_TOOLKIT_BIN,
/// else the `toolkit` next to this executable, else PATH). Returns its socket path. Throws with the log's tail.
std::string ensure_daemon(const Config& cfg);

/// True if a daemon answers on this state dir's socket.
bool daemon_running(const std::string& state_dir);

/// Asks the daemon to undo its faults and exit; waits for it. False if none was running.
bool stop_daemon(const std::string& state_dir);

}  // namespace tc::toolkit
