#pragma once
// The manual target: a person at the tool's dashboard (Hevo, Fivetran, Airbyte...) is asked to act and report.
#include <mutex>
#include <string>

#include "targets/target.hpp"
#include "util/prompter.hpp"

namespace tc::targets {

/// Every action becomes a prompt worded by the profile (targets/<name>.json); answers are kept with their times.
/// Prompt keys (for answers files): pipeline.status, pipeline.restart, pipeline.resync, pipeline.start,
/// pipeline.stop, pipeline.last_error.
class ManualTarget : public Target {
 public:
  /// `config`: the profile overlaid by the spec map (see docs/targets.md). Throws std::invalid_argument when a
  /// prompt or the status map is missing or malformed, or a {placeholder} has no value.
  ManualTarget(const Json& config, Prompter* prompter, std::string run_dir);

  std::string kind() const override { return "manual"; }
  std::string etl_tool() const override { return etl_tool_; }
  PipelineStatus status() override;
  void start() override { act("start"); }
  void stop() override { act("stop"); }
  void restart() override { act("restart"); }
  void resync() override { act("resync"); }
  std::string last_error() override;
  std::string destination_dsn() const override { return destination_; }
  std::vector<std::string> log_files() const override;

  /// Every question asked so far with its answer and time (also the `history` in status detail).
  Json history() const;

 private:
  Answer ask(const std::string& action, const std::vector<std::string>& choices);
  void act(const std::string& action);

  Prompter* prompter_;
  std::string run_dir_, etl_tool_, destination_;
  Json prompts_ = Json::object();   // action -> expanded text
  Json statuses_ = Json::object();  // tool word -> state
  std::vector<std::string> status_choices_;
  mutable std::mutex mutex_;
  Json history_ = Json::array();
};

}  // namespace tc::targets
