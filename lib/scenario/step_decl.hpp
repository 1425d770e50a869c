#pragma once
// What a step type declares about itself once: its name, argument forms and keys, its outputs and its docs line.
// The plugins fill these in (one per step-type file); the loader, `tc-run validate`, the JSON schema and the docs'
// step reference read them, so no other place lists step names or argument shapes.
#include <string>
#include <vector>

namespace tc::scenario {

/// What an argument (the string form, or one key of the map form) holds.
enum class ArgKind {
  Text,          // any string
  NonEmptyText,  // a non-empty string
  Int,           // a whole number within [min, max]
  Duration,      // 250ms, 30s, 5m, a bare number of seconds
  Bool,          // true / false
  TextList,      // a list of strings
  KeyColumns,    // a column or a list of columns
  ScalarMap,     // names to strings, numbers or booleans
  Choice,        // one of `choices`
  Connection,    // source, destination or a `connections:` name
  StepId,        // the id of another step
  Step,          // a nested step (wait's until)
  Any,           // anything (an HTTP body, an assertion operand)
};

/// One key of a map argument.
struct ArgField {
  std::string name{};
  ArgKind kind = ArgKind::Text;
  bool required = false;
  std::string doc{};                       // one line for the reference and the schema's description
  std::vector<std::string> choices{};      // ArgKind::Choice
  long long min = 0, max = 1'000'000'000;  // ArgKind::Int
  std::string default_text{};              // as the docs show it ("1s", "source"); "" = none
};

/// The string form of an argument (`toolkit: status`, `sleep: 5s`).
struct StringForm {
  bool allowed = false;
  ArgKind kind = ArgKind::NonEmptyText;
  std::vector<std::string> choices{};  // ArgKind::Choice
  std::string doc{};
};

/// What a step returns, by output key: what `capture`, `observe` and `expect` may name.
enum class OutputType { Text, Number, Millis, Bool, List, Map, Any };

struct OutputDecl {
  std::string name{};
  OutputType type = OutputType::Any;
  std::string doc{};
  std::vector<OutputDecl> keys{};  // a map's keys when they are known (a target's `detail`); empty = any key
};

/// Everything about one step type except how it runs.
struct StepDecl {
  std::string name{};
  std::string summary{};  // one line: what the step does
  bool is_check = false;  // a verification-checklist kind (rows_match, ...)
  StringForm string_form{};
  bool map_form = false;
  bool null_is_empty_map = false;  // `gtid_contiguous:` with no argument = `{}`
  std::vector<ArgField> fields{};
  std::vector<OutputDecl> outputs{};
  /// Outputs beyond the declared ones exist (a toolkit command's own JSON, a background step's): paths are then
  /// checked only at run time.
  bool open_outputs = false;
  /// The step times itself: its `timeout` and `every` keys are its schedule (the engine adds no watchdog).
  bool self_timed = false;
};

/// Text for the docs and messages: "text", "duration", "number (ms)", ...
std::string kind_name(ArgKind k);
std::string output_type_name(OutputType t);

}  // namespace tc::scenario
