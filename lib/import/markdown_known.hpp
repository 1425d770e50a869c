#pragma once
// The testers' phrases the importer recognises: known conditions, known checks, toolkit commands.
// Each match yields a step (as JSON, the YAML to write) and a short note for the import report.
#include <optional>
#include <string>
#include <vector>

#include "util/json.hpp"

namespace tc::scenario::md {

/// A recognised phrase: the step to write (without `name`) and how it was understood.
struct Known {
  Json step = Json::object();
  std::string note;  // "pipeline: status, expect running"
};

/// The variables the detection and recovery waits capture their elapsed milliseconds into.
inline constexpr const char* kDetectVar = "detect_ms";
inline constexpr const char* kRecoverVar = "recover_ms";

/// A checklist item's time limit ("Error detected immediately (< 30 seconds)"): the bound and which measured time
/// it limits (detect_ms, recover_ms, or "" when the words do not tell).
struct TimeBound {
  long long ms = 0;
  std::string var;
  std::string words;  // "< 30 seconds"
};
std::optional<TimeBound> time_bound(const std::string& text);

/// A precondition only a Docker set-up needs (`--cap-add=NET_ADMIN`, a privileged container): the sandbox and the
/// fault proxy need neither, so the importer drops it with a note.
bool docker_only(const std::string& text);

/// Preconditions and test steps: binlog enabled, pipeline connected/running, "Fix Now", waits.
std::optional<Known> known_condition(const std::string& text);
/// Verification checklist items: row counts, duplicates, binlog position, GTIDs, pipeline status.
std::optional<Known> known_check(const std::string& text);

/// The `toolkit ...` commands in a line's code spans, without the word toolkit.
std::vector<std::string> toolkit_commands(const std::string& text);
/// A whole line that is a toolkit command (`toolkit network --up`), without the word toolkit; "" otherwise.
std::string toolkit_command_line(const std::string& line);
/// Commands that run until stopped (generate-data --interval N, monitor --watch, network --flap).
bool runs_until_stopped(const std::string& command);
/// Commands that inject a fault (network --down/--flap/--slow, corrupt, replicate).
bool is_fault(const std::string& command);
/// A short name for a fault command: its --type or --scenario value, else its first word.
std::string fault_name(const std::string& command);
/// Lowercase identifier-like slug of a phrase ("Generate data" -> generate_data).
std::string slug(const std::string& text);

}  // namespace tc::scenario::md
