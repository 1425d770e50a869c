#pragma once
// The run lock of a state directory: one tc-run at a time injects faults into one sandbox/source.
#include <chrono>
#include <optional>
#include <stop_token>
#include <string>

namespace tc {

/// Who holds (or last held) a run lock: written into the lock file so others can name the holder.
struct LockHolder {
  long pid = 0;
  std::string scenario, variant, started, host;  // started: UTC ISO-8601
  /// "pid 1234 (TC-001 [reject], since 2026-01-01T10:00:00Z on host)".
  std::string describe() const;
};

/// An exclusive flock on <state_dir>/run.lock for the object's lifetime. The kernel releases it when the
/// holder dies, so a stale file from a killed run never blocks; its text only names the holder in messages.
class RunLock {
 public:
  /// Tries to take the lock, waiting up to `wait` (0 = once). nullopt-like: check held(); holder() names the other.
  RunLock(const std::string& state_dir, std::chrono::milliseconds wait, std::stop_token stop = {});
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  bool held() const { return fd_ >= 0; }
  /// When not held: the process that holds it (as far as its file tells).
  const std::optional<LockHolder>& holder() const { return other_; }
  /// Rewrites the holder text (the scenario and variant now running). Only when held.
  void set_holder(const std::string& scenario, const std::string& variant);
  std::string path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
  std::string started_;
  std::optional<LockHolder> other_;
};

/// The live holder of the state dir's run lock, or nullopt when nobody holds it (stale text is ignored).
std::optional<LockHolder> run_lock_holder(const std::string& state_dir);

/// True when `h` is this process or the run that started it (TC_RUN_LOCK_PID, set by RunLock for child processes).
bool run_lock_is_ours(const LockHolder& h);

}  // namespace tc
