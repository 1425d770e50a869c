#pragma once
// UTC time formatting for reports (dates in headings, ISO 8601 in JSON and JUnit).
#include <optional>
#include <string>
#include <string_view>

#include "result/result.hpp"

namespace tc::report {

/// "2026-02-10"
std::string utc_date(Clock::time_point t);
/// "2026-02-10T12:34:56.789Z"
std::string utc_iso(Clock::time_point t);
/// "2026-02-10T12:34:56" (the form JUnit consumers accept)
std::string utc_iso_seconds(Clock::time_point t);
/// Parses what utc_iso writes (milliseconds optional); nullopt when malformed.
std::optional<Clock::time_point> parse_utc_iso(std::string_view s);

}  // namespace tc::report
