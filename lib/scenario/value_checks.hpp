#pragma once
// Typed reads of JSON values with located "expected X, got Y" diagnostics.
#include <optional>
#include <string>
#include <vector>

#include "scenario/load_context.hpp"
#include "util/duration.hpp"

namespace tc::scenario::detail {

/// True for strings holding a ${...} reference (resolved at run time, so not checked for type at load).
bool is_interpolated(const Json& v);
/// [A-Za-z_][A-Za-z0-9_-]* (step ids, connection names), with dashes only when `dashes`.
bool is_identifier(const std::string& s, bool dashes);
/// Whole numbers, also written as 3.0.
bool is_integer(const Json& v);

/// Reports keys of `obj` not in `allowed` and missing `required` ones; `what` names the map in messages.
void check_keys(LoadContext& ctx, const Json& obj, const std::string& ptr, const std::string& what,
                const std::vector<std::string>& allowed, const std::vector<std::string>& required = {});

std::optional<std::string> want_string(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what,
                                       bool non_empty = true);
std::optional<bool> want_bool(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what);
std::optional<long long> want_int(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what,
                                  long long min, long long max);
/// A duration from a number of seconds or text; nullopt when malformed, negative or above 1e12 ms.
std::optional<Millis> to_duration(const Json& v);
std::optional<Millis> want_duration(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what);
std::optional<std::vector<std::string>> want_string_list(LoadContext& ctx, const Json& v, const std::string& ptr,
                                                         const std::string& what);
/// Reports when `v` is not one of `choices`.
bool want_choice(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what,
                 const std::vector<std::string>& choices);

/// The text a duration must look like, for messages.
extern const char* const kDurationHelp;

}  // namespace tc::scenario::detail
