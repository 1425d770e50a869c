#pragma once
// Assertions on step outputs (expect:, checks): equals, less_than, between, contains, matches, ...
#include <string>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/vars.hpp"
#include "util/json.hpp"

namespace tc::engine {

/// The value at a dotted output path ("" and "value" = the primary value); null when absent.
Json output_at(const Json& output, const std::string& path);

/// Evaluates one assertion; on failure `why` says expected vs actual.
bool holds(const scenario::Assertion& a, const Json& output, const scenario::Vars& vars, std::string& why);

/// All operator names the engine understands.
const std::vector<std::string>& assertion_ops();

}  // namespace tc::engine
