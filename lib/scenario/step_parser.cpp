#include "scenario/step_parser.hpp"

#include <fmt/format.h>

#include "scenario/output_paths.hpp"
#include "scenario/step_args.hpp"
#include "scenario/value_checks.hpp"
#include "scenario/vars.hpp"
#include "util/text.hpp"

namespace tc::scenario::detail {

namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Copies the marks of every node inside the argument, re-rooted at the argument ("" = the argument itself).
std::map<std::string, Mark> marks_under(const LoadContext& ctx, const std::string& root) {
  std::map<std::string, Mark> out;
  for (auto it = ctx.marks.lower_bound(root); it != ctx.marks.end(); ++it) {
    const std::string& p = it->first;
    if (p.compare(0, root.size(), root) != 0) break;
    if (p.size() > root.size() && p[root.size()] != '/') continue;
    out[p.substr(root.size())] = it->second;
  }
  return out;
}

// Finds the action key; reports unknown keys, no action, and two actions.
std::string find_action(LoadContext& ctx, const Json& v, const std::string& ptr) {
  const auto& options = step_option_keys();
  std::vector<std::string> actions, unknown;
  for (const auto& [k, x] : v.items()) {
    if (contains(options, k)) continue;
    if (contains(ctx.step_types, k))
      actions.push_back(k);
    else
      unknown.push_back(k);
  }
  for (const auto& k : unknown) {
    Mark m = ctx.key_at(ptr_join(ptr, k));
    if (actions.empty()) {
      std::string hint = did_you_mean(k, ctx.step_types);
      if (hint.empty()) hint = did_you_mean(k, options);
      if (hint.empty()) hint = " (expected one of: " + join(ctx.step_types) + ")";
      ctx.error(m, fmt::format("unknown step type '{}'{}", k, hint));
    } else {
      std::vector<std::string> all = options;
      all.insert(all.end(), ctx.step_types.begin(), ctx.step_types.end());
      std::string hint = did_you_mean(k, all);
      if (hint.empty()) hint = " (a step takes one action key plus: " + join(options) + ")";
      ctx.error(m, fmt::format("unknown key '{}'{}", k, hint));
    }
  }
  if (actions.empty() && unknown.empty())
    ctx.error(ctx.at(ptr),
              fmt::format("step has no action: expected one key naming its step type ({})", join(ctx.step_types)));
  if (actions.size() > 1)
    ctx.error(ctx.key_at(ptr_join(ptr, actions[1])),
              fmt::format("step has two actions, '{}' and '{}': a step does exactly one thing (split it into two "
                          "steps)",
                          actions[0], actions[1]));
  return actions.empty() ? std::string() : actions[0];
}

void parse_options(LoadContext& ctx, const Json& v, const std::string& ptr, Step& s) {
  auto opt = [&](const char* key) -> const Json* { return v.contains(key) ? &v[key] : nullptr; };
  auto p = [&](const char* key) { return ptr_join(ptr, key); };
  if (auto* x = opt("name"))
    if (auto str = want_string(ctx, *x, p("name"), "'name'")) s.name = *str;
  if (auto* x = opt("id")) {
    if (auto str = want_string(ctx, *x, p("id"), "'id'")) {
      if (is_identifier(*str, true)) {
        s.id = *str;
        ctx.step_ids.emplace_back(*str, ctx.key_at(p("id")));
      } else
        ctx.error(ctx.at(p("id")), fmt::format("'id': '{}' is not an identifier (a letter or _, then letters, "
                                               "digits, _ or -)",
                                               *str));
    }
  }
  if (auto* x = opt("timeout"))
    if (auto d = want_duration(ctx, *x, p("timeout"), "'timeout'")) s.timeout = *d;
  if (auto* x = opt("retry")) s.retry = parse_retry(ctx, *x, p("retry"));
  if (auto* x = opt("background"))
    if (auto b = want_bool(ctx, *x, p("background"), "'background'")) s.background = *b;
  if (auto* x = opt("continue_on_failure"))
    if (auto b = want_bool(ctx, *x, p("continue_on_failure"), "'continue_on_failure'")) s.continue_on_failure = *b;
  if (auto* x = opt("when")) {
    if (x->is_string() || x->is_boolean() || x->is_number())
      s.when = to_text(*x);
    else
      ctx.error(ctx.at(p("when")), fmt::format("'when': expected a condition (a string), got {}", describe(*x)));
    if (x->is_string() && trim(x->get<std::string>()).empty())
      ctx.error(ctx.at(p("when")), "'when': the condition is empty");
  }
  if (auto* x = opt("capture")) s.captures = parse_capture(ctx, *x, p("capture"));
  if (auto* x = opt("observe")) s.observes = parse_observe(ctx, *x, p("observe"));
  if (auto* x = opt("expect")) {
    s.expect = parse_expect(ctx, *x, p("expect"));
    s.has_expect = true;
  }
}

// A self-timed step (wait): its timeout and every keys are the step's schedule, its step-valued key the polled
// condition.
void parse_schedule(LoadContext& ctx, const StepDecl& d, const Json& v, const std::string& ptr, Step& s) {
  s.self_timed = true;
  for (const auto& f : d.fields)
    if (f.name == "timeout" && !f.default_text.empty())
      if (auto t = to_duration(Json(f.default_text))) s.timeout = *t;
  if (v.contains("timeout"))
    ctx.error(ctx.key_at(ptr_join(ptr, "timeout")),
              fmt::format("a {0} step takes its timeout inside the {0} map: `{0}: {{..., timeout: 5m}}`", d.name));
  if (!s.args.is_object()) return;
  std::string ap = ptr_join(ptr, d.name);
  // Malformed literals were reported with the argument; here only the values are taken. A ${var} takes the
  // var's default (the engine re-reads args after interpolation, since --var may override it).
  for (const char* key : {"timeout", "every"}) {
    if (!s.args.contains(key)) continue;
    Json v = s.args[key];
    if (is_interpolated(v)) {
      Vars defaults;
      for (const auto& [k, x] : ctx.vars.items()) defaults.set(k, x);
      try {
        v = defaults.interpolate(std::string_view(v.get_ref<const std::string&>()));
      } catch (const std::exception&) {
        continue;  // names a matrix value, a capture or the environment: known at run time
      }
      if (!to_duration(v)) {
        ctx.error(ctx.at(ptr_join(ap, key)), fmt::format("{}.{}: '{}' gives '{}', which is not {}", d.name, key,
                                                         s.args[key].get<std::string>(), to_text(v), kDurationHelp));
        continue;
      }
    }
    if (auto t = to_duration(v)) {
      if (std::string(key) == "timeout")
        s.timeout = *t;
      else
        s.every = *t;
    }
  }
}

}  // namespace

const std::vector<std::string>& step_option_keys() {
  static const std::vector<std::string> keys = {"name", "id",      "timeout", "retry",  "background",
                                                "when", "capture", "observe", "expect", "continue_on_failure"};
  return keys;
}

Step parse_step(LoadContext& ctx, const Json& v, const std::string& ptr) {
  Step s;
  s.where = ctx.at(ptr);
  if (!v.is_object()) {
    std::string hint;
    if (v.is_string()) {
      auto words = split_ws(v.get<std::string>());
      if (!words.empty() && contains(ctx.step_types, words[0]))
        hint = fmt::format(" (did you mean '{}: {}'?)", words[0], trim(v.get<std::string>().substr(words[0].size())));
    }
    ctx.error(s.where, fmt::format("expected a step (a map with one action key such as `toolkit: status`), got {}{}",
                                   describe(v), hint));
    return s;
  }
  s.type = find_action(ctx, v, ptr);
  parse_options(ctx, v, ptr, s);
  if (s.type.empty()) return s;
  std::string ap = ptr_join(ptr, s.type);
  s.args = v[s.type];
  s.args_where = ctx.at(ap);
  s.arg_marks = marks_under(ctx, ap);
  check_step_args(ctx, s.type, s.args, ap);
  const StepDecl* d = find_decl(ctx, s.type);
  if (!d) return s;  // a plugin type without a declaration takes any argument
  if (d->null_is_empty_map && s.args.is_null()) s.args = Json::object();
  for (const auto& f : d->fields)
    if (f.kind == ArgKind::Step && s.args.is_object() && s.args.contains(f.name) && s.args[f.name].is_object())
      s.until.push_back(parse_step(ctx, s.args[f.name], ptr_join(ap, f.name)));
  if (d->self_timed) parse_schedule(ctx, *d, v, ptr, s);
  auto decl_of = [&ctx](const std::string& type) { return find_decl(ctx, type); };
  if (!d->open_outputs)
    for (auto& diag : output_path_problems("'" + d->name + "'", d->outputs, s, decl_of))
      ctx.error(diag.where, diag.message);
  return s;
}

std::vector<Step> parse_steps(LoadContext& ctx, const Json& list, const std::string& ptr, const std::string& what) {
  std::vector<Step> out;
  if (!list.is_array()) {
    ctx.error(ctx.at(ptr), fmt::format("'{}': expected a list of steps (each item starting with '- '), got {}", what,
                                       describe(list)));
    return out;
  }
  for (size_t i = 0; i < list.size(); ++i) out.push_back(parse_step(ctx, list[i], ptr_join(ptr, i)));
  return out;
}

}  // namespace tc::scenario::detail
