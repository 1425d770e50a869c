#pragma once
// Located errors: every problem in a scenario names file:line:column and what was expected.
#include <stdexcept>
#include <string>
#include <vector>

namespace tc::scenario {

/// A place in a source file (1-based line and column; 0 when unknown).
struct Mark {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;  // "file:line:column"
};

/// One problem found in a scenario.
struct Diagnostic {
  Mark where;
  std::string message;
  std::string str() const;  // "file:line:column: error: message"
};

/// Thrown when a scenario cannot be loaded; carries every problem found, not just the first.
class LoadError : public std::runtime_error {
 public:
  explicit LoadError(std::vector<Diagnostic> diags);
  const std::vector<Diagnostic>& diagnostics() const { return diags_; }

 private:
  std::vector<Diagnostic> diags_;
};

}  // namespace tc::scenario
