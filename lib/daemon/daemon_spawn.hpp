#pragma once
// Starting a process fully detached (double fork, own session), so it outlives the command that started it.
#include <string>
#include <vector>

namespace tc::toolkit {

/// Starts argv detached with stdout/stderr appended to log_path; returns the grandchild's pid.
/// Throws std::runtime_error if it cannot fork or exec (an exec failure is reported through a pipe).
int spawn_detached(const std::vector<std::string>& argv, const std::string& log_path);

/// True while a process with this pid exists (and is not a zombie of ours).
bool pid_alive(int pid);

}  // namespace tc::toolkit
