#pragma once
// A consistent logical copy of the source's databases into the replica, with the GTID it corresponds to.
#include <chrono>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "util/json.hpp"

namespace tc::targets {

/// What a snapshot copied and how long it took.
struct Snapshot {
  std::string gtid;  // the source's GTID position the copy corresponds to: replication resumes from here
  std::vector<std::string> databases;
  long long bytes = 0;
  std::chrono::milliseconds dump_time{0}, load_time{0};
  Json to_json() const;
};

/// Dumps every non-system database of `source` (mariadb-dump --single-transaction --gtid --master-data=2) into
/// `work_dir`, drops the replica's databases the source no longer has, and loads the dump into `replica` with
/// the replica's own binlog off. Replication must be stopped. Throws std::runtime_error with the tool's stderr.
Snapshot copy_snapshot(const db::Dsn& source, const db::Dsn& replica, const std::string& work_dir);

}  // namespace tc::targets
