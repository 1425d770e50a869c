#include "util/utc_time.hpp"

#include <fmt/format.h>

#include <cctype>
#include <cstdio>
#include <ctime>

namespace tc {

using Clock = std::chrono::system_clock;

namespace {

struct Split {
  std::tm tm{};
  long long ms = 0;
};

Split split(Clock::time_point t) {
  auto ms_total = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  long long secs = ms_total / 1000, ms = ms_total % 1000;
  if (ms < 0) ms += 1000, secs -= 1;  // floor for times before 1970
  std::time_t tt = static_cast<std::time_t>(secs);
  Split s;
  gmtime_r(&tt, &s.tm);
  s.ms = ms;
  return s;
}

}  // namespace

std::string utc_date(Clock::time_point t) {
  auto s = split(t);
  return fmt::format("{:04}-{:02}-{:02}", s.tm.tm_year + 1900, s.tm.tm_mon + 1, s.tm.tm_mday);
}

std::string utc_iso_seconds(Clock::time_point t) {
  auto s = split(t);
  return fmt::format("{}T{:02}:{:02}:{:02}", utc_date(t), s.tm.tm_hour, s.tm.tm_min, s.tm.tm_sec);
}

std::string utc_iso(Clock::time_point t) {
  return fmt::format("{}.{:03}Z", utc_iso_seconds(t), split(t).ms);
}

std::string utc_stamp(Clock::time_point t) {
  auto s = split(t);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", s.tm.tm_year + 1900, s.tm.tm_mon + 1, s.tm.tm_mday,
                     s.tm.tm_hour, s.tm.tm_min, s.tm.tm_sec);
}

std::optional<Clock::time_point> parse_utc_iso(std::string_view s) {
  std::tm tm{};
  int ms = 0, consumed = 0;
  std::string text(s);
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return std::nullopt;
  std::string_view rest = s.substr(static_cast<size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    size_t i = 1;
    int digits = 0;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) {
      if (digits < 3) ms = ms * 10 + (rest[i] - '0'), ++digits;
      ++i;
    }
    if (digits == 0) return std::nullopt;
    while (digits++ < 3) ms *= 10;
    rest.remove_prefix(i);
  }
  if (rest == "Z") rest.remove_prefix(1);
  if (!rest.empty()) return std::nullopt;
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::time_t secs = timegm(&tm);
  return Clock::time_point(
      std::chrono::duration_cast<Clock::duration>(std::chrono::seconds(secs) + std::chrono::milliseconds(ms)));
}

}  // namespace tc
