#pragma once
// Durations as testers write them: 250ms, 30s, 5m, 1h (also combined: 1m30s).
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.hpp"

namespace tc {
using Millis = std::chrono::milliseconds;

/// Parses "250ms", "30s", "5m", "1h", "1m30s", "1.5s"; a bare number is seconds. nullopt if malformed.
std::optional<Millis> parse_duration(std::string_view text);
/// A duration as a scenario or a spec gives it: a number of seconds (fractional, >= 0) or a text parse_duration
/// reads. nullopt for anything else, a negative or non-finite number, or more than 1e12 ms. The one reader of
/// duration values: loader, steps and targets alike.
std::optional<Millis> duration_value(const Json& v);
/// Formats for humans: "250 ms", "4.312 s", "2 min 5.0 s".
std::string format_duration(Millis d);
/// Formats a millisecond count as seconds with millisecond precision: "4.312".
std::string format_seconds(Millis d);
}  // namespace tc
