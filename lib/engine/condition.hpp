#pragma once
// The `when:` grammar: `A == B`, `A != B`, `A in [x, y]`, `not A`, or a bare value.
#include <string>

namespace tc::engine {

/// Evaluates an already-interpolated `when` expression. Throws std::invalid_argument on malformed text.
bool evaluate_condition(const std::string& text);

}  // namespace tc::engine
