#pragma once
// `${= EXPR}` expressions: numbers, quoted strings, names (dotted paths), + - * /, comparisons, and/or/not,
// parentheses and `in [a, b]`. Typed: a number stays a number, `/` gives a decimal, comparisons give true/false.
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.hpp"

namespace tc::scenario {

/// A syntax error, at `offset` into the expression text.
class ExprError : public std::invalid_argument {
 public:
  ExprError(size_t offset, const std::string& what) : std::invalid_argument(what), offset_(offset) {}
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};

/// A name an expression reads, and where it starts in the expression text.
struct ExprName {
  std::string path;  // "n0", "row.n", "env:HOME"
  size_t offset = 0;
};

/// One parsed expression.
class Expr {
 public:
  /// Parses the text after `${=` (without the closing brace); throws ExprError.
  static Expr parse(std::string_view text);
  /// Evaluates it; `lookup` resolves names (nullopt = undefined: throws UndefinedVariable). A type error (adding
  /// a list, ordering true against 3) throws std::invalid_argument naming the values.
  Json eval(const std::function<std::optional<Json>(const std::string&)>& lookup) const;
  const std::vector<ExprName>& names() const { return names_; }
  const std::string& text() const { return text_; }

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
  std::vector<ExprName> names_;
  std::string text_;
};

/// The end of a `${= ...}` starting at `open` (the `$`): the offset of its closing `}`, skipping quoted strings
/// (which may hold `}`); npos when it is not closed.
size_t expression_end(std::string_view text, size_t open);

/// A value as text after interpolation: strings unquoted, 2.5 as 2.5, 3.0 as 3.
std::string expr_text(const Json& v);

}  // namespace tc::scenario
