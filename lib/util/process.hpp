#pragma once
// Running child processes with Boost.Process: output captured, timeouts and cancellation kill the whole group.
#include <chrono>
#include <map>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

namespace tc {

/// How to run a command.
struct ProcessOptions {
  std::optional<std::chrono::milliseconds> timeout;
  std::stop_token stop;                    // requesting stop kills the process group
  std::map<std::string, std::string> env;  // added to the inherited environment
  std::string cwd;
  std::string stdin_text;
  size_t max_capture = 4 << 20;  // bytes of stdout/stderr kept in memory
};

/// What a finished command left behind.
struct ProcessResult {
  int exit_code = -1;  // -1 when killed
  bool timed_out = false;
  bool cancelled = false;
  std::string out, err;
  std::chrono::milliseconds elapsed{0};
};

/// Runs argv[0] (looked up in PATH) with arguments; throws std::runtime_error if it cannot start.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& opts = {});
/// Runs a command line through /bin/sh -c.
ProcessResult run_shell(const std::string& command, const ProcessOptions& opts = {});

}  // namespace tc
