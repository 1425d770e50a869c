#include "sandbox/config.hpp"

#include <cstdlib>

namespace tc::toolkit {

std::string Config::resolved_state_dir() const {
  if (!state_dir.empty()) return state_dir;
  if (const char* e = std::getenv("TC_STATE_DIR"); e && *e) return e;
  if (const char* x = std::getenv("XDG_STATE_HOME"); x && *x) return std::string(x) + "/tc-run";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : "/tmp") + "/.local/state/tc-run";
}

}  // namespace tc::toolkit
