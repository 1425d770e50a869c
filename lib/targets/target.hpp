#pragma once
// The pipeline under test, behind one interface: status, start/stop, restart ("Fix Now"), resync, last error.
#include <memory>
#include <optional>
#include <string>

#include "util/json.hpp"

namespace tc::targets {

/// A pipeline's state, mapped to the words test cases use.
struct PipelineStatus {
  std::string state = "unknown";  // running, connecting, failed, stopped, unknown
  std::optional<double> lag_seconds;
  int last_errno = 0;
  std::string last_error;  // exact text as the pipeline reports it
  Json detail = Json::object();
  Json to_json() const;
};

/// A pipeline adapter (replica, manual, http, exec).
class Target {
 public:
  virtual ~Target() = default;
  virtual std::string kind() const = 0;      // replica, manual, http, exec
  virtual std::string etl_tool() const = 0;  // for the log's "ETL Tool" row: "MariaDB replica", "Hevo"
  virtual PipelineStatus status() = 0;
  virtual void start() = 0;
  virtual void stop() = 0;
  virtual void restart() = 0;  // "Fix Now"
  virtual void resync() = 0;
  virtual std::string last_error() { return status().last_error; }
  /// Connection string of where the pipeline writes (for the data checks), "" if unknown.
  virtual std::string destination_dsn() const { return ""; }
  /// Log files worth keeping beside the report.
  virtual std::vector<std::string> log_files() const { return {}; }
  /// What creating the target did (servers reused or started, snapshots, times), for the log; {} if nothing.
  virtual Json setup_info() const { return Json::object(); }
};

}  // namespace tc::targets
