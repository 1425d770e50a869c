#pragma once
// The state of one variant's run, shared by the step executor, background steps and plugin services.
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <thread>

#include "engine/engine.hpp"
#include "engine/timeline.hpp"
#include "plugins/step_type.hpp"
#include "result/result.hpp"
#include "scenario/model.hpp"
#include "scenario/vars.hpp"
#include "targets/target.hpp"
#include "toolkit/toolkit.hpp"

namespace spdlog {
class logger;
}

namespace tc::engine {

class StatusLine;

/// A background step in flight.
struct BackgroundStep {
  const scenario::Step* step = nullptr;
  size_t result_index = 0;  // its slot in RunResult::steps
  std::stop_source stop;
  std::thread thread;
  plugins::Outcome outcome;
  bool collected = false;
};

/// Everything one variant's run holds.
struct RunState {
  const scenario::Scenario& scenario;
  const RunOptions& options;
  const RunHooks* hooks = nullptr;
  scenario::Variant variant;
  scenario::Vars vars;
  Timeline timeline;
  report::RunResult result;
  toolkit::Config toolkit;
  std::string run_dir;
  std::unique_ptr<targets::Target> target;
  std::unique_ptr<Prompter> prompter;
  std::unique_ptr<plugins::Services> services;
  std::shared_ptr<spdlog::logger> log;
  std::map<std::string, std::unique_ptr<BackgroundStep>> background;
  std::recursive_mutex mutex;  // guards result, vars and background
  bool in_cleanup = false;
  StatusLine* status = nullptr;  // the terminal's live line, when there is one
  /// Sizes of the state dir's log files when the run began: the run keeps only what it added to each.
  std::map<std::string, std::uintmax_t> log_sizes_at_start;

  RunState(const scenario::Scenario& s, const RunOptions& o) : scenario(s), options(o) {}
  /// The stop token steps of the current phase obey (cleanup ignores the interruption).
  std::stop_token phase_token() const;
};

/// Runs one step with its when/retry/timeout/expect/capture/observe and returns its result.
report::StepResult run_step(RunState& st, const scenario::Step& step, scenario::Phase phase, int index);
/// Runs one attempt of a step (resolve, plugin, expectations) without recording anything.
plugins::Outcome execute_once(RunState& st, const scenario::Step& step, std::stop_token stop);
/// The human label of a step (its name, else its described action).
std::string step_label(const RunState& st, const scenario::Step& step);
/// Starts a background step; its result is filled in when collected.
void start_background(RunState& st, const scenario::Step& step, scenario::Phase phase, int index);
/// Stops and collects one (or, with id "", every) background step.
plugins::Outcome collect_background(RunState& st, const std::string& id);

/// The plugin services backed by a run.
std::unique_ptr<plugins::Services> make_services(RunState& st);

}  // namespace tc::engine
