#include "targets/clock_text.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include "util/utc_time.hpp"

namespace tc::targets {

std::string utc_now_iso() {
  return utc_iso(std::chrono::system_clock::now());
}

}  // namespace tc::targets
