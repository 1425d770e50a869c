// Durations as testers write them.
#include "util/duration.hpp"

#include <doctest/doctest.h>

using tc::Millis;
using tc::parse_duration;

TEST_CASE("durations parse in every documented form") {
  CHECK(parse_duration("250ms") == Millis(250));
  CHECK(parse_duration("30s") == Millis(30'000));
  CHECK(parse_duration("5m") == Millis(300'000));
  CHECK(parse_duration("5min") == Millis(300'000));
  CHECK(parse_duration("1h") == Millis(3'600'000));
  CHECK(parse_duration("1m30s") == Millis(90'000));
  CHECK(parse_duration("1.5s") == Millis(1'500));
  CHECK(parse_duration("2") == Millis(2'000));
  CHECK(parse_duration("0.25") == Millis(250));
  CHECK(parse_duration("1h2m3s4ms") == Millis(3'723'004));
}

TEST_CASE("malformed durations are rejected, not guessed") {
  for (const char* bad : {"", "s", "5x", "-5s", " 5s", "5s ", "1.2.3s", ".5s", "5.s", "1 second", "5sec", "1e3s", "3 s",
                          "5m5", "99999999999h"})
    CHECK_MESSAGE(!parse_duration(bad), bad);
}

TEST_CASE("durations format for humans") {
  CHECK(tc::format_duration(Millis(250)) == "250 ms");
  CHECK(tc::format_duration(Millis(4312)) == "4.312 s");
  CHECK(tc::format_seconds(Millis(4312)) == "4.312");
}
