#pragma once
// Assertions on step outputs (expect:, checks): equals, less_than, between, contains, matches, ...
#include <string>
#include <vector>

#include "scenario/model.hpp"
#include "scenario/vars.hpp"
#include "util/json.hpp"

namespace tc::engine {

/// The value at a dotted output path ("" and "value" = the primary value, "elapsed" = elapsed_ms); null when absent.
Json output_at(const Json& output, const std::string& path);
/// True when the path exists in the output (a present null counts): a check must never pass on a missing value.
bool has_output(const Json& output, const std::string& path);
/// "the step has no output 'x' (it gave: a, b, c)": the message for a path that does not exist.
std::string missing_output(const Json& output, const std::string& path);

/// Evaluates one assertion; on failure `why` says expected vs actual. When it holds on its `default:` (the path
/// absent), `why` says so ("expect x: took false (the default: ...)"); otherwise it stays empty.
bool holds(const scenario::Assertion& a, const Json& output, const scenario::Vars& vars, std::string& why);

/// All operator names the engine understands.
const std::vector<std::string>& assertion_ops();

}  // namespace tc::engine
