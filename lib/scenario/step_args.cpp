#include "scenario/step_args.hpp"

#include <fmt/format.h>

#include "scenario/value_checks.hpp"

namespace tc::scenario::detail {

namespace {

// What one key of a map argument holds.
enum class Kind { Text, NonEmptyText, Int, Duration, TextList, KeyColumns, ScalarMap, Any, Connection, Method, Step };

struct Field {
  std::string name;
  Kind kind;
  bool required = false;
  long long min = 0, max = 1'000'000'000;  // Int only
};

// A step type's argument: a string form (with its kind) and/or a map form (with its fields).
struct Spec {
  std::string type;
  bool string_form = false;
  Kind string_kind = Kind::NonEmptyText;
  std::vector<std::string> string_choices;  // closed set for the string form (pipeline actions)
  bool map_form = false;
  bool null_is_empty_map = false;
  std::vector<Field> fields;
  bool is_check = false;
};

const std::vector<Spec>& specs() {
  using K = Kind;
  static const std::vector<Spec> s = {
      {"toolkit", true, K::NonEmptyText, {}, false, false, {}},
      {"sql",
       true,
       K::NonEmptyText,
       {},
       true,
       false,
       {{"query", K::NonEmptyText, true}, {"connection", K::Connection}}},
      {"pipeline",
       true,
       K::NonEmptyText,
       {"status", "start", "stop", "restart", "resync", "last-error"},
       false,
       false,
       {}},
      {"manual",
       true,
       K::NonEmptyText,
       {},
       true,
       false,
       {{"instruction", K::NonEmptyText, true}, {"choices", K::TextList}}},
      {"exec",
       true,
       K::NonEmptyText,
       {},
       true,
       false,
       {{"command", K::NonEmptyText, true}, {"env", K::ScalarMap}, {"cwd", K::Text}, {"stdin", K::Text}}},
      {"http",
       false,
       K::Text,
       {},
       true,
       false,
       {{"url", K::NonEmptyText, true},
        {"method", K::Method},
        {"headers", K::ScalarMap},
        {"body", K::Any},
        {"status", K::Int, false, 100, 599}}},
      {"wait",
       false,
       K::Text,
       {},
       true,
       false,
       {{"until", K::Step, true}, {"timeout", K::Duration}, {"every", K::Duration}, {"on_timeout", K::NonEmptyText}}},
      {"sleep", true, K::Duration, {}, false, false, {}},
      {"stop", true, K::NonEmptyText, {}, false, false, {}},
      {"rows_match",
       false,
       K::Text,
       {},
       true,
       false,
       {{"table", K::NonEmptyText, true},
        {"where", K::Text},
        {"source", K::Connection},
        {"destination", K::Connection}},
       true},
      {"no_duplicates",
       false,
       K::Text,
       {},
       true,
       false,
       {{"table", K::NonEmptyText, true}, {"key", K::KeyColumns}, {"connection", K::Connection}},
       true},
      {"data_match",
       false,
       K::Text,
       {},
       true,
       false,
       {{"table", K::NonEmptyText, true},
        {"key", K::KeyColumns},
        {"where", K::Text},
        {"chunk_size", K::Int, false, 1},
        {"source", K::Connection},
        {"destination", K::Connection},
        {"max_report", K::Int}},
       true},
      {"converges",
       false,
       K::Text,
       {},
       true,
       false,
       {{"table", K::NonEmptyText, true},
        {"key", K::KeyColumns},
        {"timeout", K::Duration},
        {"every", K::Duration},
        {"source", K::Connection},
        {"destination", K::Connection}},
       true},
      {"binlog_advanced",
       false,
       K::Text,
       {},
       true,
       false,
       {{"since", K::NonEmptyText, true}, {"connection", K::Connection}},
       true},
      {"gtid_contiguous",
       false,
       K::Text,
       {},
       true,
       true,
       {{"connection", K::Connection}, {"allow_gaps", K::TextList}},
       true},
  };
  return s;
}

const Spec* find_spec(const std::string& type) {
  for (const auto& s : specs())
    if (s.type == type) return &s;
  return nullptr;
}

void check_value(LoadContext& ctx, const Field& f, const Json& v, const std::string& ptr, const std::string& what) {
  // A ${...} string stands for a value known only at run time; its type is checked then.
  if (is_interpolated(v) && f.kind != Kind::Step) return;
  switch (f.kind) {
    case Kind::Text: want_string(ctx, v, ptr, what, false); break;
    case Kind::NonEmptyText: want_string(ctx, v, ptr, what, true); break;
    case Kind::Int: want_int(ctx, v, ptr, what, f.min, f.max); break;
    case Kind::Duration: want_duration(ctx, v, ptr, what); break;
    case Kind::TextList: want_string_list(ctx, v, ptr, what); break;
    case Kind::KeyColumns:
      if (!v.is_string())
        want_string_list(ctx, v, ptr, what + " (a column or a list of columns)");
      else
        want_string(ctx, v, ptr, what);
      break;
    case Kind::ScalarMap:
      if (!v.is_object()) {
        ctx.error(ctx.at(ptr), fmt::format("{}: expected a map of names to values, got {}", what, describe(v)));
        break;
      }
      for (const auto& [k, x] : v.items())
        if (!(x.is_string() || x.is_number() || x.is_boolean()))
          ctx.error(ctx.at(ptr_join(ptr, k)),
                    fmt::format("{}: '{}' must be a string, number or true/false, got {}", what, k, describe(x)));
      break;
    case Kind::Connection:
      if (auto s = want_string(ctx, v, ptr, what); s && !is_identifier(*s, true))
        ctx.error(ctx.at(ptr), fmt::format("{}: '{}' is not a connection name (letters, digits, _ and -)", what, *s));
      break;
    case Kind::Method: want_choice(ctx, v, ptr, what, {"GET", "POST", "PUT", "PATCH", "DELETE"}); break;
    case Kind::Step:
      if (!v.is_object())
        ctx.error(ctx.at(ptr),
                  fmt::format("{}: expected a step (a map with one action key), got {}", what, describe(v)));
      break;  // parsed as a step by the caller
    case Kind::Any: break;
  }
}

}  // namespace

const std::vector<std::string>& builtin_step_types() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& s : specs()) out.push_back(s.type);
    return out;
  }();
  return names;
}

const std::vector<std::string>& builtin_check_types() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& s : specs())
      if (s.is_check) out.push_back(s.type);
    return out;
  }();
  return names;
}

void check_step_args(LoadContext& ctx, const std::string& type, const Json& args, const std::string& ptr) {
  const Spec* spec = find_spec(type);
  if (!spec) return;
  std::string what = "'" + type + "'";
  if (args.is_object() || (args.is_null() && spec->null_is_empty_map)) {
    if (!spec->map_form) {
      ctx.error(ctx.at(ptr), fmt::format("{}: expected {}, got a map", what,
                                         spec->string_kind == Kind::Duration ? kDurationHelp : "a string"));
      return;
    }
    if (args.is_null()) return;
    std::vector<std::string> allowed, required;
    for (const auto& f : spec->fields) {
      allowed.push_back(f.name);
      if (f.required) required.push_back(f.name);
    }
    check_keys(ctx, args, ptr, what + " argument", allowed, required);
    for (const auto& f : spec->fields)
      if (args.contains(f.name)) check_value(ctx, f, args[f.name], ptr_join(ptr, f.name), type + "." + f.name);
    return;
  }
  if (!spec->string_form) {
    std::vector<std::string> req;
    for (const auto& f : spec->fields)
      if (f.required) req.push_back(f.name);
    ctx.error(ctx.at(ptr), fmt::format("{}: expected a map{}, got {}", what, req.empty() ? "" : " with " + join(req),
                                       describe(args)));
    return;
  }
  if (!spec->string_choices.empty() && !is_interpolated(args)) {
    want_choice(ctx, args, ptr, what, spec->string_choices);
    return;
  }
  if (spec->string_kind == Kind::NonEmptyText && spec->map_form && !args.is_string()) {
    std::vector<std::string> req;
    for (const auto& f : spec->fields)
      if (f.required) req.push_back(f.name);
    ctx.error(ctx.at(ptr),
              fmt::format("{}: expected a string or a map with {}, got {}", what, join(req), describe(args)));
    return;
  }
  check_value(ctx, Field{type, spec->string_kind}, args, ptr, what);
  if (type == "stop" && args.is_string() && !is_interpolated(args) && !is_identifier(args.get<std::string>(), true))
    ctx.error(ctx.at(ptr), fmt::format("'stop': '{}' is not a step id", args.get<std::string>()));
}

std::vector<std::string> connection_refs(const std::string& type, const Json& args, const std::string& ptr) {
  std::vector<std::string> out;
  const Spec* spec = find_spec(type);
  if (!spec || !args.is_object()) return out;
  for (const auto& f : spec->fields)
    if (f.kind == Kind::Connection && args.contains(f.name) && args[f.name].is_string() &&
        !is_interpolated(args[f.name]))
      out.push_back(ptr_join(ptr, f.name));
  return out;
}

}  // namespace tc::scenario::detail
