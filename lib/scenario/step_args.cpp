#include "scenario/step_args.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "scenario/value_checks.hpp"

namespace tc::scenario::detail {

namespace {

std::vector<std::string> required_of(const StepDecl& d) {
  std::vector<std::string> req;
  for (const auto& f : d.fields)
    if (f.required) req.push_back(f.name);
  return req;
}

void check_value(LoadContext& ctx, ArgKind kind, const ArgField* f, const Json& v, const std::string& ptr,
                 const std::string& what, const std::vector<std::string>& choices) {
  // A ${...} string stands for a value known only at run time; its type is checked then.
  if (is_interpolated(v) && kind != ArgKind::Step) return;
  switch (kind) {
    case ArgKind::Text: want_string(ctx, v, ptr, what, false); break;
    case ArgKind::NonEmptyText: want_string(ctx, v, ptr, what, true); break;
    case ArgKind::Int: want_int(ctx, v, ptr, what, f ? f->min : 0, f ? f->max : 1'000'000'000); break;
    case ArgKind::Duration: want_duration(ctx, v, ptr, what); break;
    case ArgKind::Bool: want_bool(ctx, v, ptr, what); break;
    case ArgKind::TextList: want_string_list(ctx, v, ptr, what); break;
    case ArgKind::KeyColumns:
      if (v.is_array() && v.empty())
        ctx.error(ctx.at(ptr), fmt::format("{}: the list names no column", what));
      else if (!v.is_string())
        want_string_list(ctx, v, ptr, what + " (a column or a list of columns)");
      else
        want_string(ctx, v, ptr, what);
      break;
    case ArgKind::ScalarMap:
      if (!v.is_object()) {
        ctx.error(ctx.at(ptr), fmt::format("{}: expected a map of names to values, got {}", what, describe(v)));
        break;
      }
      for (const auto& [k, x] : v.items())
        if (!(x.is_string() || x.is_number() || x.is_boolean()))
          ctx.error(ctx.at(ptr_join(ptr, k)),
                    fmt::format("{}: '{}' must be a string, number or true/false, got {}", what, k, describe(x)));
      break;
    case ArgKind::Choice: want_choice(ctx, v, ptr, what, choices); break;
    case ArgKind::Connection:
      if (auto s = want_string(ctx, v, ptr, what); s && !is_identifier(*s, true))
        ctx.error(ctx.at(ptr), fmt::format("{}: '{}' is not a connection name (letters, digits, _ and -)", what, *s));
      break;
    case ArgKind::StepId:
      if (auto s = want_string(ctx, v, ptr, what); s && !is_identifier(*s, true))
        ctx.error(ctx.at(ptr), fmt::format("{}: '{}' is not a step id", what, *s));
      break;
    case ArgKind::Step:
      if (!v.is_object())
        ctx.error(ctx.at(ptr),
                  fmt::format("{}: expected a step (a map with one action key), got {}", what, describe(v)));
      break;  // parsed as a step by the caller
    case ArgKind::Any: break;
  }
}

}  // namespace

const StepDecl* find_decl(const LoadContext& ctx, const std::string& type) {
  for (const auto& d : ctx.steps)
    if (d.name == type) return &d;
  return nullptr;
}

void check_step_args(LoadContext& ctx, const std::string& type, const Json& args, const std::string& ptr) {
  const StepDecl* spec = find_decl(ctx, type);
  // A type that declares no argument form (a plugin's own) takes any argument; its validate() judges it.
  if (!spec || (!spec->string_form.allowed && !spec->map_form)) return;
  std::string what = "'" + type + "'";
  const auto& sf = spec->string_form;
  if (args.is_object() || (args.is_null() && spec->null_is_empty_map)) {
    if (!spec->map_form) {
      ctx.error(ctx.at(ptr), fmt::format("{}: expected {}, got a map", what,
                                         sf.kind == ArgKind::Duration ? kDurationHelp : "a string"));
      return;
    }
    if (args.is_null()) return;
    std::vector<std::string> allowed;
    for (const auto& f : spec->fields) allowed.push_back(f.name);
    check_keys(ctx, args, ptr, what + " argument", allowed, required_of(*spec));
    for (const auto& f : spec->fields)
      if (args.contains(f.name))
        check_value(ctx, f.kind, &f, args[f.name], ptr_join(ptr, f.name), type + "." + f.name, f.choices);
    return;
  }
  if (!sf.allowed) {
    auto req = required_of(*spec);
    ctx.error(ctx.at(ptr), fmt::format("{}: expected a map{}, got {}", what, req.empty() ? "" : " with " + join(req),
                                       describe(args)));
    return;
  }
  if (sf.kind == ArgKind::NonEmptyText && spec->map_form && !args.is_string()) {
    ctx.error(ctx.at(ptr), fmt::format("{}: expected a string or a map with {}, got {}", what, join(required_of(*spec)),
                                       describe(args)));
    return;
  }
  check_value(ctx, sf.kind, nullptr, args, ptr, what, sf.choices);
}

std::vector<std::string> connection_refs(const LoadContext& ctx, const std::string& type, const Json& args,
                                         const std::string& ptr) {
  std::vector<std::string> out;
  const StepDecl* spec = find_decl(ctx, type);
  if (!spec || !args.is_object()) return out;
  for (const auto& f : spec->fields)
    if (f.kind == ArgKind::Connection && args.contains(f.name) && args[f.name].is_string() &&
        !is_interpolated(args[f.name]))
      out.push_back(ptr_join(ptr, f.name));
  return out;
}

}  // namespace tc::scenario::detail
