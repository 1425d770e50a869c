#include "scenario/value_checks.hpp"

#include <fmt/format.h>

#include <cmath>

#include "util/text.hpp"

namespace tc::scenario::detail {

const char* const kDurationHelp = "a duration such as 250ms, 30s, 5m, 1h, 1m30s or a number of seconds";

bool is_interpolated(const Json& v) {
  return v.is_string() && v.get<std::string>().find("${") != std::string::npos;
}

bool is_identifier(const std::string& s, bool dashes) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (dashes && c == '-'))) return false;
  return true;
}

bool is_integer(const Json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15;
}

void check_keys(LoadContext& ctx, const Json& obj, const std::string& ptr, const std::string& what,
                const std::vector<std::string>& allowed, const std::vector<std::string>& required) {
  for (const auto& [k, v] : obj.items()) {
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    std::string hint = did_you_mean(k, allowed);
    if (hint.empty()) hint = fmt::format(" in {} (expected one of: {})", what, join(allowed));
    ctx.error(ctx.key_at(ptr_join(ptr, k)), fmt::format("unknown key '{}'{}", k, hint));
  }
  for (const auto& r : required) {
    if (obj.contains(r)) continue;
    // A misspelt key already reported with "did you mean" needs no second message.
    bool misspelt = false;
    for (const auto& [k, v] : obj.items())
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end() && closest(k, allowed) == r) misspelt = true;
    if (!misspelt) ctx.error(ctx.at(ptr), fmt::format("{} is missing the required key '{}'", what, r));
  }
}

std::optional<std::string> want_string(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what,
                                       bool non_empty) {
  if (!v.is_string()) {
    ctx.error(ctx.at(ptr), fmt::format("{}: expected a string, got {}", what, describe(v)));
    return std::nullopt;
  }
  if (non_empty && v.get<std::string>().empty()) {
    ctx.error(ctx.at(ptr), fmt::format("{}: expected a non-empty string", what));
    return std::nullopt;
  }
  return v.get<std::string>();
}

std::optional<bool> want_bool(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what) {
  if (v.is_boolean()) return v.get<bool>();
  std::string hint = v.is_string() ? " (write true or false, unquoted)" : "";
  ctx.error(ctx.at(ptr), fmt::format("{}: expected true or false, got {}{}", what, describe(v), hint));
  return std::nullopt;
}

std::optional<long long> want_int(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what,
                                  long long min, long long max) {
  if (!is_integer(v)) {
    ctx.error(ctx.at(ptr), fmt::format("{}: expected a whole number, got {}", what, describe(v)));
    return std::nullopt;
  }
  long long n = v.is_number_integer() ? v.get<long long>() : static_cast<long long>(v.get<double>());
  if (n < min || n > max) {
    ctx.error(ctx.at(ptr), fmt::format("{}: {} is out of range (expected {} to {})", what, n, min, max));
    return std::nullopt;
  }
  return n;
}

std::optional<Millis> to_duration(const Json& v) {
  return duration_value(v);
}

std::optional<Millis> want_duration(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what) {
  auto d = to_duration(v);
  if (!d) {
    std::string got = v.is_string()   ? fmt::format("'{}'", v.get<std::string>())
                      : v.is_number() ? v.dump()
                                      : describe(v);
    ctx.error(ctx.at(ptr), fmt::format("{}: bad duration {}: expected {} (at most 1e12 ms)", what, got, kDurationHelp));
  }
  return d;
}

std::optional<std::vector<std::string>> want_string_list(LoadContext& ctx, const Json& v, const std::string& ptr,
                                                         const std::string& what) {
  if (!v.is_array()) {
    ctx.error(ctx.at(ptr), fmt::format("{}: expected a list of strings, got {}", what, describe(v)));
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  for (size_t i = 0; i < v.size(); ++i) {
    if (auto s = want_string(ctx, v[i], ptr_join(ptr, i), fmt::format("{} item {}", what, i + 1)))
      out.push_back(*s);
    else
      ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

bool want_choice(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what,
                 const std::vector<std::string>& choices) {
  if (v.is_string() && std::find(choices.begin(), choices.end(), v.get<std::string>()) != choices.end()) return true;
  std::string hint = v.is_string() ? did_you_mean(v.get<std::string>(), choices) : "";
  ctx.error(ctx.at(ptr), fmt::format("{}: expected one of {}, got {}{}", what, join(choices), describe(v), hint));
  return false;
}

}  // namespace tc::scenario::detail
