#pragma once
// Wall-clock timestamps for recorded answers and requests.
#include <string>

namespace tc::targets {
/// Now, as ISO-8601 UTC with milliseconds: 2026-02-10T10:00:00.123Z.
std::string utc_now_iso();
}  // namespace tc::targets
