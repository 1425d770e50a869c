#include "scenario/diagnostic.hpp"

#include <fmt/format.h>

namespace tc::scenario {

std::string Mark::str() const {
  if (line <= 0) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

std::string Diagnostic::str() const {
  return fmt::format("{}: error: {}", where.str(), message);
}

static std::string join(const std::vector<Diagnostic>& d) {
  std::string s;
  for (const auto& x : d) s += x.str() + "\n";
  return s;
}

LoadError::LoadError(std::vector<Diagnostic> diags) : std::runtime_error(join(diags)), diags_(std::move(diags)) {}

}  // namespace tc::scenario
