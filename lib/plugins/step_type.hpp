#pragma once
// The step plugin interface: one step type per file, found by name in the registry.
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <vector>

#include "db/dsn.hpp"
#include "result/result.hpp"
#include "scenario/model.hpp"
#include "scenario/step_decl.hpp"
#include "scenario/vars.hpp"
#include "toolkit/toolkit.hpp"
#include "util/json.hpp"
#include "util/prompter.hpp"

namespace tc::targets {
class Target;
}

namespace tc::plugins {

/// An execution error: the step could not be carried out (-> ERROR, never FAIL or PASS).
class StepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A connection this run does not have (a dashboard target gives no destination DSN): a data check then asks the
/// tester to look instead of failing.
class MissingConnection : public StepError {
 public:
  using StepError::StepError;
};

/// What a step produced. `output["value"]` is its primary value (what `expect: X` compares).
struct Outcome {
  report::Status status = report::Status::Passed;  // Failed = the thing tested did not hold
  Json output = Json::object();
  std::string message;  // one line: why it failed, or a summary
  std::string log;      // full raw output (kept in the run folder)
  /// The step can never give what was asked of it (an output path it does not produce): polling or retrying it
  /// cannot help, so waits and retries end at once with this ERROR.
  bool unanswerable = false;
  /// Its work is complete although a stop was requested (collecting a stopped background step is how that ends).
  bool complete_on_stop = false;
};

/// What the engine offers to plugins.
class Services {
 public:
  virtual ~Services() = default;
  virtual const toolkit::Config& toolkit_config() = 0;
  /// The pipeline under test (created on first use).
  virtual targets::Target& target() = 0;
  /// A named connection: "source", "destination", or one defined in the scenario.
  virtual db::Dsn connection(const std::string& name) = 0;
  virtual Prompter& prompter() = 0;
  /// Adds a timeline event (kind: fault.applied, fault.undone, ...).
  virtual void event(const std::string& kind, const std::string& text) = 0;
  /// Runs another step (the condition of a wait, the body of a retry) and returns its outcome.
  virtual Outcome evaluate(const scenario::Step& step, std::stop_token stop) = 0;
  /// Stops a background step by id and returns its collected outcome.
  virtual Outcome stop_background(const std::string& id) = 0;
  virtual const scenario::Vars& vars() = 0;
  virtual std::string run_dir() = 0;
  /// Evaluates one assertion on an output the way `expect:` does; false with `why` (expected vs actual).
  virtual bool check(const scenario::Assertion& a, const Json& output, std::string& why) = 0;
};

/// Everything one step execution sees.
struct StepContext {
  const scenario::Step& step;
  Json args;  // the argument with ${...} resolved
  Services& services;
  std::stop_token stop;  // set on timeout, SIGINT/SIGTERM or when a background step is stopped
};

/// One step type. Implementations live one per file under lib/plugins/ and are listed in registry.cpp.
class StepType {
 public:
  virtual ~StepType() = default;
  /// Name, argument forms, outputs and docs line: what the loader, `validate`, the schema and the docs read.
  virtual const scenario::StepDecl& decl() const = 0;
  std::string name() const { return decl().name; }
  /// Checks (rows_match, ...) are the verification checklist kinds; any step may still be used as a check.
  bool is_check() const { return decl().is_check; }
  /// A problem found by validate(), at a JSON pointer inside the argument.
  struct Issue {
    std::string pointer;  // "" = the argument itself
    std::string message;
  };
  /// Checks beyond the declared shape, which the loader has already checked (the unresolved argument).
  virtual std::vector<Issue> validate(const Json& args) const;
  /// Checks of the argument as one variant resolves it (`validate` and `plan` call it per variant): e.g. a toolkit
  /// line parsed by the toolkit's own parser. Not called when the argument names a capture.
  virtual std::vector<Issue> validate_resolved(const Json& args) const;
  /// The outputs of this very action when the declaration leaves them open (a toolkit command's own keys, a
  /// target's status detail); `target` is the scenario's target as validate resolves it (a name or a map, null when
  /// unknown). nullopt: unknown before the run. `validate` checks capture/observe/expect paths against them.
  virtual std::optional<std::vector<scenario::OutputDecl>> outputs_for(const Json& args, const Json& target) const;
  /// A one-line rendering of the resolved action for plans and logs ("toolkit network --down").
  virtual std::string describe(const Json& args) const;
  virtual Outcome run(StepContext& ctx) const = 0;
};

}  // namespace tc::plugins
