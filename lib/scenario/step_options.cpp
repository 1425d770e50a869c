// The common step options: expect, capture, observe, retry.
#include <fmt/format.h>

#include <regex>

#include "scenario/step_parser.hpp"
#include "scenario/value_checks.hpp"

namespace tc::scenario::detail {

namespace {

bool is_scalar(const Json& v) {
  return v.is_string() || v.is_number() || v.is_boolean();
}

bool is_output_path(const std::string& p) {
  static const std::regex re(R"([^.\s]+(\.[^.\s]+)*)");
  return std::regex_match(p, re);
}

bool want_output_path(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what) {
  auto s = want_string(ctx, v, ptr, what);
  if (!s) return false;
  if (!is_output_path(*s)) {
    ctx.error(ctx.at(ptr), fmt::format("{}: '{}' is not an output path (dotted words such as value, exit_code, "
                                       "row.n, rows.0.id)",
                                       what, *s));
    return false;
  }
  return true;
}

// A `default:` value: a literal scalar (or null) stands in for a path the step does not give.
std::optional<Json> want_default(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what) {
  if (is_scalar(v) || v.is_null()) {
    if (v.is_string() && v.get<std::string>().find("${") != std::string::npos) {
      ctx.error(ctx.at(ptr), what + ": a default is a literal value, not ${...}");
      return std::nullopt;
    }
    return v;
  }
  ctx.error(ctx.at(ptr), fmt::format("{}: a default is a single value (text, number, true/false or null), got {}", what,
                                     describe(v)));
  return std::nullopt;
}

// An output path, or `{path: PATH, default: VALUE}` naming what to take when the step does not give that path.
bool want_path(LoadContext& ctx, const Json& v, const std::string& ptr, const std::string& what, std::string& path,
               std::optional<Json>& fallback) {
  if (v.is_object()) {
    check_keys(ctx, v, ptr, what, {"path", "default"}, {"path", "default"});
    if (!v.contains("path") || !v.contains("default")) return false;
    if (!want_output_path(ctx, v["path"], ptr_join(ptr, "path"), what)) return false;
    fallback = want_default(ctx, v["default"], ptr_join(ptr, "default"), what);
    if (!fallback) return false;
    path = v["path"].get<std::string>();
    return true;
  }
  if (!want_output_path(ctx, v, ptr, what)) return false;
  path = v.get<std::string>();
  return true;
}

// Checks the operand of one operator; reports located problems.
void check_operand(LoadContext& ctx, const std::string& op, const Json& v, const std::string& ptr) {
  std::string what = "expect '" + op + "'";
  auto scalar_or_text = [&](const Json& x, const std::string& p, bool allow_null) {
    if (is_scalar(x) || (allow_null && x.is_null())) return true;
    ctx.error(ctx.at(p), fmt::format("{}: expected a single value, got {}", what, describe(x)));
    return false;
  };
  if (op == "equals" || op == "not_equals") {
    scalar_or_text(v, ptr, true);
  } else if (op == "less_than" || op == "greater_than" || op == "at_most" || op == "at_least") {
    if (!v.is_number() && !v.is_string())
      ctx.error(ctx.at(ptr),
                fmt::format("{}: expected a number (or a duration/${{...}} string), got {}", what, describe(v)));
  } else if (op == "between") {
    if (!v.is_array() || v.size() != 2) {
      ctx.error(ctx.at(ptr), fmt::format("{}: expected a list of two bounds [low, high], got {}", what, describe(v)));
      return;
    }
    for (size_t i = 0; i < 2; ++i)
      if (!v[i].is_number() && !v[i].is_string())
        ctx.error(ctx.at(ptr_join(ptr, i)), fmt::format("{}: a bound must be a number, got {}", what, describe(v[i])));
  } else if (op == "contains" || op == "not_contains") {
    scalar_or_text(v, ptr, false);
  } else if (op == "matches") {
    auto s = want_string(ctx, v, ptr, what, false);
    if (s && !is_interpolated(v)) {
      try {
        std::regex re(*s, std::regex::ECMAScript);
      } catch (const std::regex_error& e) {
        ctx.error(ctx.at(ptr), fmt::format("{}: '{}' is not a valid regular expression ({})", what, *s, e.what()));
      }
    }
  } else if (op == "in") {
    if (!v.is_array() || v.empty()) {
      ctx.error(ctx.at(ptr), fmt::format("{}: expected a non-empty list of values, got {}", what, describe(v)));
      return;
    }
    for (size_t i = 0; i < v.size(); ++i) scalar_or_text(v[i], ptr_join(ptr, i), true);
  }
}

}  // namespace

const std::vector<std::string>& assertion_ops() {
  static const std::vector<std::string> ops = {"equals",       "not_equals", "less_than", "greater_than",
                                               "at_most",      "at_least",   "between",   "contains",
                                               "not_contains", "matches",    "in"};
  return ops;
}

std::vector<Assertion> parse_expect(LoadContext& ctx, const Json& v, const std::string& ptr) {
  std::vector<Assertion> out;
  if (is_scalar(v)) {
    out.push_back({"value", "equals", v, ctx.at(ptr)});
    return out;
  }
  if (!v.is_object()) {
    ctx.error(ctx.at(ptr), fmt::format("'expect': expected a value (the primary output equals it) or a map of output "
                                       "paths to assertions, got {}",
                                       describe(v)));
    return out;
  }
  if (v.empty()) ctx.error(ctx.at(ptr), "'expect': the map is empty; name at least one output path");
  const auto& ops = assertion_ops();
  for (const auto& [path, a] : v.items()) {
    std::string p = ptr_join(ptr, path);
    Mark km = ctx.key_at(p);
    if (std::find(ops.begin(), ops.end(), path) != ops.end()) {
      ctx.error(km, fmt::format("'{}' is an assertion operator, not an output path: write "
                                "`expect: {{value: {{{}: ...}}}}`",
                                path, path));
      continue;
    }
    if (!is_output_path(path)) {
      ctx.error(km, fmt::format("'{}' is not an output path (dotted words such as value, exit_code, row.n)", path));
      continue;
    }
    if (is_scalar(a) || a.is_null()) {
      out.push_back({path, "equals", a, ctx.at(p)});
      continue;
    }
    if (!a.is_object()) {
      ctx.error(ctx.at(p),
                fmt::format("expect '{}': expected a value or a one-key map {{operator: operand}}, got {}{}", path,
                            describe(a), a.is_array() ? " (to test membership write {in: [...]})" : ""));
      continue;
    }
    // `{equals: true, default: false}`: the operator, and the value compared when the step gives no such path.
    std::optional<Json> fallback;
    if (a.contains("default")) {
      fallback = want_default(ctx, a["default"], ptr_join(p, "default"), "expect '" + path + "'");
      if (!fallback) continue;
    }
    size_t ops_given = a.size() - (a.contains("default") ? 1 : 0);
    if (ops_given != 1) {
      ctx.error(ctx.at(p), fmt::format("expect '{}': expected exactly one operator{}, got {}", path,
                                       fallback ? " beside default" : "", ops_given));
      continue;
    }
    auto it = a.begin();
    if (it.key() == "default") ++it;
    const std::string& op = it.key();
    std::string op_ptr = ptr_join(p, op);
    if (std::find(ops.begin(), ops.end(), op) == ops.end()) {
      std::string hint = did_you_mean(op, ops);
      if (hint.empty()) hint = " (expected one of: " + join(ops) + ")";
      ctx.error(ctx.key_at(op_ptr), fmt::format("unknown assertion operator '{}'{}", op, hint));
      continue;
    }
    check_operand(ctx, op, it.value(), op_ptr);
    out.push_back({path, op, it.value(), ctx.key_at(op_ptr), fallback});
  }
  return out;
}

std::vector<Capture> parse_capture(LoadContext& ctx, const Json& v, const std::string& ptr) {
  std::vector<Capture> out;
  auto var_ok = [&](const std::string& name, const Mark& m) {
    if (is_identifier(name, false)) return true;
    ctx.error(
        m,
        fmt::format("'capture': '{}' is not a variable name (letters, digits and _, not starting with a digit)", name));
    return false;
  };
  if (v.is_string()) {
    if (var_ok(v.get<std::string>(), ctx.at(ptr))) out.push_back({v.get<std::string>(), "value", ctx.at(ptr)});
    return out;
  }
  if (!v.is_object() || v.empty()) {
    ctx.error(ctx.at(ptr), fmt::format("'capture': expected a variable name or a map of variable names to output "
                                       "paths, got {}",
                                       v.is_object() ? "an empty map" : describe(v)));
    return out;
  }
  for (const auto& [var, path] : v.items()) {
    std::string p = ptr_join(ptr, var);
    bool ok = var_ok(var, ctx.key_at(p));
    Capture c{var, "", ctx.key_at(p)};
    if (want_path(ctx, path, p, "capture '" + var + "'", c.path, c.fallback) && ok) out.push_back(std::move(c));
  }
  return out;
}

std::vector<Observe> parse_observe(LoadContext& ctx, const Json& v, const std::string& ptr) {
  std::vector<Observe> out;
  if (v.is_string() && !v.get<std::string>().empty()) {
    out.push_back({v.get<std::string>(), "elapsed", ctx.at(ptr)});
    return out;
  }
  if (!v.is_object() || v.empty()) {
    ctx.error(ctx.at(ptr), fmt::format("'observe': expected a label (records the elapsed time) or a map of labels to "
                                       "output paths, got {}",
                                       v.is_object() ? "an empty map" : describe(v)));
    return out;
  }
  for (const auto& [label, path] : v.items()) {
    std::string p = ptr_join(ptr, label);
    Observe o{label, "", ctx.key_at(p)};
    if (want_path(ctx, path, p, "observe '" + label + "'", o.path, o.fallback)) out.push_back(std::move(o));
  }
  return out;
}

Retry parse_retry(LoadContext& ctx, const Json& v, const std::string& ptr) {
  Retry r;
  if (v.is_object()) {
    check_keys(ctx, v, ptr, "'retry'", {"count", "delay"}, {"count"});
    if (v.contains("count"))
      if (auto n = want_int(ctx, v["count"], ptr_join(ptr, "count"), "retry.count", 0, 1000)) r.count = int(*n);
    if (v.contains("delay"))
      if (auto d = want_duration(ctx, v["delay"], ptr_join(ptr, "delay"), "retry.delay")) r.delay = *d;
    return r;
  }
  if (!is_integer(v)) {
    ctx.error(ctx.at(ptr),
              fmt::format("'retry': expected a count or {{count: N, delay: DURATION}}, got {}", describe(v)));
    return r;
  }
  if (auto n = want_int(ctx, v, ptr, "'retry'", 0, 1000)) r.count = int(*n);
  return r;
}

}  // namespace tc::scenario::detail
