#pragma once
// Argument reading shared by the data checks: typed accessors that fail with a StepError naming the key.
#include <memory>
#include <string>
#include <vector>

#include "db/connection.hpp"
#include "plugins/step_type.hpp"
#include "util/duration.hpp"
#include "util/json.hpp"
#include "util/text.hpp"

namespace tc::plugins::checks {

/// True when a value is still an unresolved ${...} reference (validate() sees arguments before interpolation).
bool is_reference(const Json& v);

/// A string argument (numbers are turned into text); `fallback` when absent or null.
std::string arg_string(const Json& args, const std::string& key, const std::string& fallback = "");
/// A column name or a list of them ("a, b" is split on commas); empty when absent.
std::vector<std::string> arg_key_list(const Json& args, const std::string& key);
/// A positive integer (a numeric string is accepted after interpolation); throws StepError otherwise.
long long arg_positive_int(const Json& args, const std::string& key, long long fallback);
/// A duration ("500ms", "2m", a number of seconds); throws StepError when malformed, or when 0 unless `zero_ok`.
Millis arg_duration(const Json& args, const std::string& key, Millis fallback, bool zero_ok = false);
/// A list of strings (a single string counts as a one-element list).
std::vector<std::string> arg_string_list(const Json& args, const std::string& key);

/// Opens the named connection of the run; a connection failure becomes a StepError naming it.
std::unique_ptr<db::Connection> open_named(Services& services, const std::string& name);

}  // namespace tc::plugins::checks
