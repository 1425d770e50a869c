#pragma once
// The http target: each pipeline action is a request to the tool's REST API; status is read from its JSON answer.
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "targets/target.hpp"

namespace tc::targets {

/// One request as configured: method, URL (absolute, or a path under base_url), headers, JSON body.
struct HttpAction {
  std::string method = "GET";
  std::string url;
  Json headers = Json::object();
  Json body;  // null = no body
};

/// A value in the status response and what it means: the first rule whose pointer holds a mapped value wins.
struct StatusRule {
  std::string pointer;  // JSON pointer into the response: /data/status/setup_state
  Json map;             // tool value -> state
};

/// One status request and the rules applied to its answer.
struct StatusRequest {
  HttpAction action;
  std::vector<StatusRule> rules;
  std::string error_pointer;              // where the last error text is, if anywhere
  Json detail_pointers = Json::object();  // name -> pointer, copied into PipelineStatus.detail
};

/// Drives a pipeline through HTTP (cpp-httplib). Config: a profile (targets/fivetran-api.json) overlaid by
/// the spec map; see docs/targets.md for the keys.
class HttpTarget : public Target {
 public:
  /// Throws std::invalid_argument when the config is malformed (no status request, bad method, bad pointer...).
  HttpTarget(const Json& config, std::string run_dir);

  std::string kind() const override { return "http"; }
  std::string etl_tool() const override { return etl_tool_; }
  PipelineStatus status() override;
  void start() override { perform("start"); }
  void stop() override { perform("stop"); }
  void restart() override { perform("restart"); }
  void resync() override { perform("resync"); }
  std::string destination_dsn() const override { return destination_; }
  std::vector<std::string> log_files() const override;

 private:
  struct Response {
    int status = 0;
    std::string body;
  };
  Response send(const HttpAction& a, const std::string& label);
  void perform(const std::string& action);

  std::string etl_tool_, destination_, run_dir_;
  Json auth_ = Json::object();
  std::chrono::seconds timeout_{30};
  std::vector<StatusRequest> status_;
  std::map<std::string, HttpAction> actions_;
  std::mutex log_mutex_;
};

}  // namespace tc::targets
