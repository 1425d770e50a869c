#include "targets/clock_text.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

namespace tc::targets {

std::string utc_now_iso() {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - secs).count();
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

}  // namespace tc::targets
