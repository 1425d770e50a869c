#pragma once
// The typed scenario model: what a YAML test case means, free of YAML.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenario/diagnostic.hpp"
#include "util/duration.hpp"
#include "util/json.hpp"

namespace tc::scenario {

/// One assertion on a step's output: `path op operand` (path "" or "value" is the primary value).
struct Assertion {
  std::string path;  // dotted path into the output, e.g. "exit_code", "row.n", "value"
  std::string op;    // equals, not_equals, less_than, greater_than, at_most, at_least, between, contains,
                     // not_contains, matches, in
  Json operand;      // may hold ${...} references, resolved at run time
  Mark where;
  std::optional<Json> fallback = std::nullopt;  // `default:`: the value compared when the step gives no such path
};

/// What to record into the report's Observations.
struct Observe {
  std::string name;  // label in the report
  std::string path;  // output path, or "elapsed" for the step's (or wait's) elapsed time
  Mark where;
  std::optional<Json> fallback = std::nullopt;  // `default:`: recorded (and marked so) when the path is absent
};

/// Saves an output value into a variable for later steps.
struct Capture {
  std::string var;
  std::string path;  // output path ("value" = primary value)
  Mark where;
  std::optional<Json> fallback = std::nullopt;  // `default:`: the value taken when the path is absent
};

struct Retry {
  int count = 0;  // extra attempts after the first
  Millis delay{1000};
};

/// One step: exactly one action (its step type and argument) plus common options.
struct Step {
  std::string id;                         // optional, referenced by `stop:` and in reports
  std::string name;                       // optional human label ("" -> derived from the action)
  std::string type;                       // the action key: toolkit, sql, exec, wait, rows_match, ...
  Json args;                              // the action's argument, as written (strings may hold ${...})
  Mark where;                             // where the step starts
  Mark args_where;                        // where the action's argument starts
  std::map<std::string, Mark> arg_marks;  // JSON pointer inside args -> place, for plugin errors
  std::optional<Millis> timeout;
  Retry retry;
  bool background = false;
  std::string when;  // condition expression, "" = always (see docs/scenario-format.md)
  std::vector<Capture> captures;
  std::vector<Observe> observes;
  std::vector<Assertion> expect;
  bool has_expect = false;
  bool continue_on_failure = false;

  // Steps that poll a condition (wait): the nested step, the schedule, and that the step times itself (its
  // `timeout` is its own, so the engine adds no watchdog).
  std::vector<Step> until;  // the argument's step-valued key, parsed
  Millis every{1000};
  bool self_timed = false;

  /// Where a JSON pointer inside args was written (falls back to the argument's start).
  Mark mark_of(const std::string& pointer) const;
};

/// A named database connection defined by the scenario.
struct Connection {
  std::string name;
  std::string dsn;  // mysql://user:pass@host:port/db (may hold ${env:...})
  Mark where;
};

/// One matrix dimension: a name and its values (scalars or maps).
struct MatrixAxis {
  std::string name;
  std::vector<Json> values;
  Mark where;
};

/// One combination of matrix values.
struct Variant {
  std::string name;                    // "reject" or "reject-fast" ("" when there is no matrix)
  std::map<std::string, Json> values;  // axis name -> chosen value
};

enum class Phase { Preconditions, Steps, Checks, Cleanup };
const char* phase_name(Phase p);

/// A whole test case.
struct Scenario {
  std::string file;
  // Metadata mirroring the markdown test case.
  std::string id, title, category, severity, created, author, description;
  std::vector<std::string> etl_tools;
  std::vector<std::string> tags;

  Json vars = Json::object();        // defaults
  std::vector<std::string> secrets;  // variable names whose values are masked
  std::vector<MatrixAxis> matrix;
  std::string source = "sandbox";  // "sandbox" or a DSN
  /// server_uuid/hostname of non-sandbox servers destructive faults may touch (the toolkit's interlock).
  std::vector<std::string> allow_destructive;
  Json target = "replica";  // a name ("replica", "hevo", ...) or a map {type: ..., ...}
  std::vector<Connection> connections;
  std::string notes;

  std::vector<Step> preconditions, steps, checks, cleanup;
  Mark where;     // the start of the file
  Mark id_where;  // where `id` was written (for duplicate-id reports across files)

  const std::vector<Step>& phase(Phase p) const;
  /// Every combination of the matrix (one unnamed variant when there is none).
  std::vector<Variant> variants() const;
};

}  // namespace tc::scenario
