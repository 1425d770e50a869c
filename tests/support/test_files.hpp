#pragma once
// Shared by the end-to-end tests: read a file whole, and a private temp dir whose toolkit state is stopped on exit.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "util/process.hpp"

namespace tc::test {

/// The file's bytes ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A fresh directory under the temp dir; on exit `toolkit down` stops what its `state/` started (daemon, replica,
/// sandbox, by the pids it recorded), then the directory is removed.
struct RunTempDir {
  std::filesystem::path path;
  explicit RunTempDir(const std::string& prefix) {
    std::string t = (std::filesystem::temp_directory_path() / (prefix + "-XXXXXX")).string();
    if (!::mkdtemp(t.data())) throw std::runtime_error("mkdtemp failed for " + t);
    path = t;
  }
  ~RunTempDir() {
    run_process({std::string(TC_BINARY_DIR) + "/runner/toolkit", "--state-dir", (path / "state").string(), "down"});
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  RunTempDir(const RunTempDir&) = delete;
  RunTempDir& operator=(const RunTempDir&) = delete;
};

}  // namespace tc::test
