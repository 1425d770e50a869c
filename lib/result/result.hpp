#pragma once
// The result model: everything a run produced. Every report (markdown, JUnit, JSON) renders from this alone.
#include <chrono>
#include <string>
#include <vector>

#include "util/duration.hpp"
#include "util/json.hpp"

namespace tc::report {

using Clock = std::chrono::system_clock;

enum class Status { Passed, Failed, Error, Skipped, Pending };
const char* status_name(Status s);  // "passed", "failed", ...

enum class Verdict { Pass, Fail, Error };
const char* verdict_name(Verdict v);  // "PASS", "FAIL", "ERROR"

/// One try of a step (retries produce several).
struct Attempt {
  Millis offset{0};  // from run start
  Millis duration{0};
  Status status = Status::Passed;
  std::string message;
};

/// A measured value for the Observations section.
struct Observation {
  std::string name;
  std::string value;  // already formatted, with its unit when it has one
  std::string unit;   // "s", "rows", "" ...
  std::string step;   // the step that observed it
  std::string note;   // why the value is not what was asked: "not reached: ...", "no value: ...", "empty"
};

/// A measured table for the Observations section (e.g. a flap's per-cycle recovery times).
struct Table {
  std::string title;
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // cells already formatted, one per column
  std::string step;                            // the step that measured it
};

/// What happened to one step of one phase.
struct StepResult {
  std::string phase;  // preconditions, steps, checks, cleanup
  int index = 0;      // 1-based within its phase
  std::string id;
  std::string name;    // human label
  std::string type;    // step type
  std::string action;  // the resolved action as written, secrets masked ("toolkit network --down --type reject")
  Status status = Status::Skipped;
  std::string message;         // why it failed / was skipped / is pending (masked)
  std::string output_excerpt;  // short excerpt of the output (masked)
  Json output;                 // structured output (masked)
  Clock::time_point started{};
  Millis offset{0};  // T+ from the run start
  Millis duration{0};
  bool background = false;
  std::vector<Attempt> attempts;
  std::string log_file;  // relative path of its full output in the run folder, "" if none
};

/// One line of the timeline.
struct Event {
  Millis offset{0};
  std::string kind;  // run, phase, step.start, step.end, fault.applied, fault.undone, wait.satisfied, ...
  std::string text;
};

/// A file kept beside the report (server log, pipeline log, step output).
struct Artifact {
  std::string label;
  std::string path;  // relative to the run folder
};

/// One execution of one scenario variant.
struct RunResult {
  // Scenario metadata
  std::string scenario_id, title, category, severity, description, scenario_file;
  std::vector<std::string> etl_tools;
  std::string variant;  // "" when the scenario has no matrix
  Json variant_values = Json::object();
  // Run facts
  std::string tester, etl_tool, toolkit_version, tc_run_version, target, source;
  std::string target_name;  // the target as asked for (replica, debezium, hevo); `target` is the adapter kind
  std::string shard;        // "I/N" when the run was one of N shards of a suite, else ""
  Clock::time_point started{}, finished{};
  Verdict verdict = Verdict::Error;
  std::string verdict_reason;
  std::vector<StepResult> steps;  // all phases, in execution order
  std::vector<Observation> observations;
  std::vector<Table> tables;  // measured tables, rendered under Observations
  /// Time series recorded by `sample` steps: [{step, samples: [{t_ms, state, lag_seconds, ...}]}], for figures.
  Json series = Json::array();
  std::vector<Event> timeline;
  std::vector<Artifact> artifacts;
  std::vector<std::string> notes;
  std::string run_dir;  // absolute path of the run folder

  Millis duration() const { return std::chrono::duration_cast<Millis>(finished - started); }
};

}  // namespace tc::report
