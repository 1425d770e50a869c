#pragma once
// An exclusive flock on a file, so two runs sharing a state dir do not build the same replica at once.
#include <string>

namespace tc::targets {

/// Holds an exclusive lock on `path` (created if missing) for its lifetime.
class FileLock {
 public:
  explicit FileLock(const std::string& path);  // blocks until locked; throws std::runtime_error if it cannot open
  ~FileLock();
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace tc::targets
