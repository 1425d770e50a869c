#include "targets/replica_status.hpp"

#include "targets/state_words.hpp"

namespace tc::targets {

namespace {
// Columns worth keeping in the log: where replication is and what each thread is doing.
const std::vector<std::string> kDetailColumns = {
    "Slave_IO_State",      "Slave_IO_Running",      "Slave_SQL_Running",       "Master_Host",
    "Master_Port",         "Master_User",           "Connect_Retry",           "Using_Gtid",
    "Gtid_IO_Pos",         "Master_Log_File",       "Read_Master_Log_Pos",     "Relay_Master_Log_File",
    "Exec_Master_Log_Pos", "Seconds_Behind_Master", "Last_IO_Errno",           "Last_IO_Error",
    "Last_SQL_Errno",      "Last_SQL_Error",        "Slave_SQL_Running_State", "Retried_transactions"};

std::string text(const Json& row, const char* col) {
  if (!row.contains(col) || row[col].is_null()) return "";
  return value_text(row[col]);
}
int number(const Json& row, const char* col) {
  if (!row.contains(col) || row[col].is_null()) return 0;
  if (row[col].is_number()) return row[col].get<int>();
  try {
    return std::stoi(row[col].get<std::string>());
  } catch (...) {
    return 0;
  }
}
}  // namespace

const std::vector<std::string>& slave_detail_columns() {
  return kDetailColumns;
}

PipelineStatus status_from_slave_row(const Json& row, const std::string& gtid_slave_pos) {
  PipelineStatus s;
  s.detail["gtid_slave_pos"] = gtid_slave_pos;
  if (!row.is_object()) {
    s.state = "stopped";
    s.detail["note"] = "replication is not configured on the replica";
    return s;
  }
  for (const auto& c : kDetailColumns)
    if (row.contains(c)) s.detail[c] = row[c];
  std::string io = text(row, "Slave_IO_Running"), sql = text(row, "Slave_SQL_Running");
  int io_errno = number(row, "Last_IO_Errno"), sql_errno = number(row, "Last_SQL_Errno");
  if (io_errno != 0 || sql_errno != 0) {
    s.state = "failed";
    // The IO thread's error is the one a network fault causes; report it first.
    s.last_errno = io_errno ? io_errno : sql_errno;
    s.last_error = io_errno ? text(row, "Last_IO_Error") : text(row, "Last_SQL_Error");
    s.detail["error_thread"] = io_errno ? "io" : "sql";
  } else if (io == "Yes" && sql == "Yes") {
    s.state = "running";
  } else if (io == "Connecting") {
    s.state = "connecting";
  } else {
    s.state = "stopped";
  }
  if (row.contains("Seconds_Behind_Master") && !row["Seconds_Behind_Master"].is_null()) {
    const Json& v = row["Seconds_Behind_Master"];
    if (v.is_number())
      s.lag_seconds = v.get<double>();
    else {
      try {
        s.lag_seconds = std::stod(value_text(v));
      } catch (...) {
      }
    }
  }
  return s;
}

}  // namespace tc::targets
