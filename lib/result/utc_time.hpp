#pragma once
// UTC time formatting for reports: the util formatter, under the names the report code uses.
#include "util/utc_time.hpp"

namespace tc::report {
using tc::parse_utc_iso;
using tc::utc_date;
using tc::utc_iso;
using tc::utc_iso_seconds;
}  // namespace tc::report
