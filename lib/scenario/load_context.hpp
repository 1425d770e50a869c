#pragma once
// Shared state of one load: the file, where every JSON node was written, and the problems found so far.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/diagnostic.hpp"
#include "scenario/step_decl.hpp"
#include "util/json.hpp"
#include "util/text.hpp"

namespace tc::scenario::detail {

/// JSON pointer helpers (RFC 6901): "/steps/0/toolkit".
std::string ptr_join(const std::string& base, const std::string& key);
std::string ptr_join(const std::string& base, size_t index);

/// One load in progress: marks of every value and key by JSON pointer, and the diagnostics collected.
struct LoadContext {
  std::string file;
  std::vector<std::string> lines;         // source lines, to locate text inside a scalar
  std::map<std::string, Mark> marks;      // pointer -> where the value starts
  std::map<std::string, Mark> key_marks;  // pointer -> where its key was written
  Json vars = Json::object();             // the scenario's var defaults, once parsed
  std::vector<StepDecl> steps;            // the declared step types
  std::vector<std::string> step_types;    // their names: the accepted action keys
  std::vector<std::string> target_types;  // names `target:` accepts; empty = any (the factory judges at run time)
  std::vector<Diagnostic> diags;
  std::vector<std::pair<std::string, Mark>> step_ids;  // every step id in file order, where its key was written

  /// Where the value at `ptr` was written (nearest enclosing value when unknown).
  Mark at(const std::string& ptr) const;
  /// Where the key of the member at `ptr` was written (falls back to the value).
  Mark key_at(const std::string& ptr) const;
  /// Where the character `offset` into the string at `ptr` was written, when that can be told exactly.
  Mark within(const std::string& ptr, size_t offset) const;
  void error(const Mark& where, std::string message);
};

/// A value described for messages: "the string 'abc'", "the number 5", "a list", "a map", "null".
std::string describe(const Json& v);
/// The closest candidate, formatted as " (did you mean 'x'?)", or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace tc::scenario::detail
