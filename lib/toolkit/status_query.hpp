#pragma once
// The server facts `status` and `monitor` report, gathered in one place.
#include "toolkit/session.hpp"

namespace tc::toolkit {

/// Uptime, threads, version, binlog settings and position, binlog files, users row count.
Json server_status(Session& s);
/// Binlog file/position/GTID, binlog files with sizes, users row count (what `monitor` shows).
Json monitor_snapshot(Session& s);
/// Row count of <database>.users, or null when the table does not exist.
Json users_rows(Session& s);

}  // namespace tc::toolkit
