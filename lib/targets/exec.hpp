#pragma once
// The exec target: each pipeline action is a shell command (for pipelines with a CLI).
#include <chrono>
#include <map>
#include <string>

#include "targets/target.hpp"

namespace tc::targets {

/// Spec: {type: exec, status: "cmd", restart: "cmd", start, stop, resync, last_error: "cmd",
///        status_map: {tool word: state}, timeout: seconds, env: {K: V}, cwd: dir, etl_tool, destination}.
/// status: the first line of the command's stdout is the tool's word for the state (mapped by status_map, or a
/// state word itself); the remaining lines, if any, are the last error text. A non-zero exit with an unmapped
/// output is an error (the status could not be read).
class ExecTarget : public Target {
 public:
  /// Throws std::invalid_argument when `status` is missing or a key is malformed.
  ExecTarget(const Json& spec, std::string run_dir, std::string state_dir);

  std::string kind() const override { return "exec"; }
  std::string etl_tool() const override { return etl_tool_; }
  PipelineStatus status() override;
  void start() override { perform("start"); }
  void stop() override { perform("stop"); }
  void restart() override { perform("restart"); }
  void resync() override { perform("resync"); }
  std::string last_error() override;
  std::string destination_dsn() const override { return destination_; }

 private:
  void perform(const std::string& action);
  std::map<std::string, std::string> commands_;
  Json status_map_ = Json::object();
  std::map<std::string, std::string> env_;
  std::string cwd_, etl_tool_, destination_;
  std::chrono::milliseconds timeout_{std::chrono::seconds(60)};
};

}  // namespace tc::targets
