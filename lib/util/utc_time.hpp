#pragma once
// UTC time as text, the one formatter: ISO 8601 in JSON, logs, the ledger and the daemon; dates in report headings.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace tc {

/// "2026-02-10"
std::string utc_date(std::chrono::system_clock::time_point t);
/// "2026-02-10T12:34:56.789Z"
std::string utc_iso(std::chrono::system_clock::time_point t);
/// "2026-02-10T12:34:56" (the form JUnit consumers accept)
std::string utc_iso_seconds(std::chrono::system_clock::time_point t);
/// "20260210T123456Z": a run directory's name
std::string utc_stamp(std::chrono::system_clock::time_point t);
/// Parses what utc_iso writes (milliseconds optional); nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_utc_iso(std::string_view s);

}  // namespace tc
