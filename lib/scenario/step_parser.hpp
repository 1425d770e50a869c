#pragma once
// JSON (from YAML) to typed steps: the action, its argument and the common options.
#include <string>
#include <vector>

#include "scenario/load_context.hpp"
#include "scenario/model.hpp"

namespace tc::scenario::detail {

/// Keys every step may carry besides its action key.
const std::vector<std::string>& step_option_keys();
/// Assertion operators usable under `expect`.
const std::vector<std::string>& assertion_ops();

/// Parses a list of steps (preconditions, steps, checks, cleanup) at `ptr`; problems go to ctx.
std::vector<Step> parse_steps(LoadContext& ctx, const Json& list, const std::string& ptr, const std::string& what);
/// Parses one step at `ptr` (best effort: always returns a step so later checks can run).
Step parse_step(LoadContext& ctx, const Json& v, const std::string& ptr);

// Common options, one parser each (step_options.cpp).
std::vector<Assertion> parse_expect(LoadContext& ctx, const Json& v, const std::string& ptr);
std::vector<Capture> parse_capture(LoadContext& ctx, const Json& v, const std::string& ptr);
std::vector<Observe> parse_observe(LoadContext& ctx, const Json& v, const std::string& ptr);
Retry parse_retry(LoadContext& ctx, const Json& v, const std::string& ptr);

}  // namespace tc::scenario::detail
