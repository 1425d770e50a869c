#pragma once
// Variables and ${...} interpolation: vars, --var, ${env:NAME}, matrix values, captured outputs.
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.hpp"

namespace tc::scenario {

/// Raised when a ${...} reference names nothing.
class UndefinedVariable : public std::runtime_error {
 public:
  UndefinedVariable(std::string name, std::string why);
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

/// A malformed ${...} or ${= ...}, at `offset` into the text.
class ReferenceError : public std::invalid_argument {
 public:
  ReferenceError(size_t offset, const std::string& what) : std::invalid_argument(what), offset_(offset) {}
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};

/// A reference found in text: `${failure.inject}` -> root "failure", path "failure.inject".
struct Reference {
  std::string path;      // "failure.inject", "env:HOME"
  std::string root;      // "failure", "env:HOME"
  std::string fallback;  // text after ":-" in ${env:NAME:-default}
  bool has_fallback = false;
  size_t offset = 0;  // in the text
};

/// Every ${...} in `text`, and every name inside a ${= EXPR} ($${ escapes a literal ${). Throws ReferenceError on
/// an unclosed ${ or a malformed expression.
std::vector<Reference> references(std::string_view text);

/// The variable scope of one run; knows which values are secret so they can be masked.
class Vars {
 public:
  void set(const std::string& name, Json value, bool secret = false);
  void mark_secret(const std::string& name);
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  /// Resolves "a.b.c" (object members, array indexes) or "env:NAME"; nullopt when undefined.
  std::optional<Json> lookup(const std::string& path) const;
  /// Replaces every ${...} and ${= EXPR}; a lone ${x} referring to a non-string keeps its JSON text.
  std::string interpolate(std::string_view text) const;
  std::string interpolate(const std::string& text) const { return interpolate(std::string_view(text)); }
  std::string interpolate(const char* text) const { return interpolate(std::string_view(text)); }
  /// Evaluates the text of a ${= EXPR} (scenario/expr.hpp) against these variables.
  Json evaluate(const std::string& expression) const;
  /// Interpolates every string inside a JSON value (keys are left as written); a string that is exactly one
  /// ${x} takes x's value with its JSON type (so `chunk_size: ${n}` stays a number).
  Json interpolate(const Json& value) const;
  /// Replaces every secret value (and env values read through ${env:...}) with ******.
  std::string mask(std::string_view text) const;
  std::string mask(const std::string& text) const { return mask(std::string_view(text)); }
  std::string mask(const char* text) const { return mask(std::string_view(text)); }
  Json mask(const Json& value) const;
  const std::map<std::string, Json>& all() const { return values_; }
  /// Values that must never be printed (for scanning written files in tests).
  std::vector<std::string> secret_values() const;

 private:
  std::map<std::string, Json> values_;
  std::set<std::string> secret_names_;
  mutable std::set<std::string> secret_texts_;  // env values seen, masked everywhere
};

/// Text form of a value as it appears after interpolation (strings unquoted).
std::string to_text(const Json& v);

}  // namespace tc::scenario
