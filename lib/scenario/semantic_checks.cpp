#include "scenario/semantic_checks.hpp"

#include <fmt/format.h>

#include <set>

#include "scenario/step_args.hpp"
#include "scenario/vars.hpp"
#include "util/text.hpp"

namespace tc::scenario::detail {

namespace {

// Top-level keys holding prose or metadata: never interpolated, so ${ there is just text.
const std::set<std::string> kProseKeys = {"id",     "title",       "category", "severity", "etl_tools", "created",
                                          "author", "description", "tags",     "notes",    "secrets"};

void collect(const Step& s, std::vector<const Step*>& out) {
  out.push_back(&s);
  for (const auto& u : s.until) collect(u, out);
}

struct VarChecker {
  LoadContext& ctx;
  std::vector<std::string> known;
  std::map<std::string, std::vector<Json>> map_values;  // root -> values whose fields ${root.x} may name

  void check_string(const std::string& text, const std::string& ptr) {
    std::vector<Reference> refs;
    try {
      refs = references(text);
    } catch (const ReferenceError& e) {
      ctx.error(ctx.within(ptr, e.offset()),
                fmt::format("bad variable reference in '{}': {} (write $${{ for a literal ${{)", text, e.what()));
      return;
    }
    for (const auto& r : refs) {
      if (r.root.rfind("env:", 0) == 0) {
        if (r.root.size() == 4) ctx.error(ctx.within(ptr, r.offset), "${env:} names no environment variable");
        continue;  // the environment is read at run time
      }
      Mark m = ctx.within(ptr, r.offset);
      if (std::find(known.begin(), known.end(), r.root) == known.end()) {
        std::string hint = r.root.size() < 3 ? "" : closest(r.root, known);  // 1-2 letters resemble anything
        ctx.error(m, fmt::format("undefined variable ${{{}}}{}", r.path,
                                 hint.empty() ? " (define it under vars:, as a matrix axis or with capture:)"
                                              : fmt::format(" (did you mean ${{{}}}?)", hint)));
        continue;
      }
      check_field(r, m);
    }
  }

  // ${axis.field}: when every value of the root is a map, the field must exist in each.
  void check_field(const Reference& r, const Mark& m) {
    auto it = map_values.find(r.root);
    if (it == map_values.end() || r.path.size() == r.root.size()) return;
    std::string rest = r.path.substr(r.root.size() + 1);
    std::string field = rest.substr(0, rest.find('.'));
    for (const auto& v : it->second) {
      if (!v.is_object() || v.contains(field)) continue;
      std::vector<std::string> fields;
      for (const auto& [k, x] : v.items()) fields.push_back(k);
      std::string hint = closest(field, fields);
      std::string label = v.contains("name") ? to_text(v["name"]) : r.root;
      ctx.error(m, fmt::format(
                       "${{{}}}: '{}' has no field '{}'{}", r.path, label, field,
                       hint.empty() ? " (fields: " + join(fields) + ")" : fmt::format(" (did you mean '{}'?)", hint)));
      return;
    }
  }

  void walk(const Json& v, const std::string& ptr) {
    if (v.is_string())
      check_string(v.get<std::string>(), ptr);
    else if (v.is_array())
      for (size_t i = 0; i < v.size(); ++i) walk(v[i], ptr_join(ptr, i));
    else if (v.is_object())
      for (const auto& [k, x] : v.items()) walk(x, ptr_join(ptr, k));
  }
};

}  // namespace

const std::vector<std::string>& builtin_variables() {
  static const std::vector<std::string> names = {"scenario", "variant", "run_dir", "state_dir", "target"};
  return names;
}

std::vector<const Step*> all_steps(const Scenario& sc) {
  std::vector<const Step*> out;
  for (auto p : {Phase::Preconditions, Phase::Steps, Phase::Checks, Phase::Cleanup})
    for (const auto& s : sc.phase(p)) collect(s, out);
  return out;
}

void check_variables(LoadContext& ctx, const Json& root, const Scenario& sc) {
  VarChecker vc{ctx, builtin_variables(), {}};
  for (const auto& [k, v] : sc.vars.items()) {
    vc.known.push_back(k);
    if (v.is_object()) vc.map_values[k] = {v};
  }
  for (const auto& axis : sc.matrix) {
    vc.known.push_back(axis.name);
    bool all_maps = std::all_of(axis.values.begin(), axis.values.end(), [](const Json& x) { return x.is_object(); });
    if (all_maps) vc.map_values[axis.name] = axis.values;
  }
  for (const Step* s : all_steps(sc))
    for (const auto& c : s->captures) vc.known.push_back(c.var);
  if (!root.is_object()) return;
  for (const auto& [k, v] : root.items())
    if (!kProseKeys.count(k)) vc.walk(v, ptr_join("", k));
}

void check_references(LoadContext& ctx, const Scenario& sc) {
  auto steps = all_steps(sc);
  std::map<std::string, const Step*> ids;
  for (const Step* s : steps)
    if (!s->id.empty()) ids.emplace(s->id, s);
  std::map<std::string, Mark> first;
  for (const auto& [id, mark] : ctx.step_ids) {
    auto [it, fresh] = first.emplace(id, mark);
    if (!fresh) ctx.error(mark, fmt::format("duplicate step id '{}' (first used at line {})", id, it->second.line));
  }
  std::vector<std::string> conns = {"source", "destination"};
  for (const auto& c : sc.connections) conns.push_back(c.name);
  std::vector<std::string> id_names;
  for (const auto& [id, s] : ids) id_names.push_back(id);
  for (const Step* s : steps) {
    // Arguments that name another step (stop's) must name a background step of this scenario.
    std::vector<std::pair<std::string, Mark>> step_refs;
    if (const StepDecl* d = find_decl(ctx, s->type)) {
      if (d->string_form.kind == ArgKind::StepId && s->args.is_string()) step_refs.push_back({"", s->args_where});
      for (const auto& f : d->fields)
        if (f.kind == ArgKind::StepId && s->args.is_object() && s->args.contains(f.name))
          step_refs.push_back({"/" + f.name, s->mark_of("/" + f.name)});
    }
    for (const auto& [ptr, mark] : step_refs) {
      const Json& v = s->args.at(Json::json_pointer(ptr));
      if (!v.is_string() || v.get<std::string>().find("${") != std::string::npos) continue;
      std::string target = v.get<std::string>();
      auto it = ids.find(target);
      if (it == ids.end())
        ctx.error(mark, fmt::format("'{}': no step has id '{}'{}", s->type, target, did_you_mean(target, id_names)));
      else if (!it->second->background)
        ctx.error(mark, fmt::format("'{}': step '{}' (line {}) is not a background step", s->type, target,
                                    it->second->where.line));
    }
    for (const auto& ptr : connection_refs(ctx, s->type, s->args, "")) {
      std::string name = s->args.at(Json::json_pointer(ptr)).get<std::string>();
      if (std::find(conns.begin(), conns.end(), name) == conns.end())
        ctx.error(s->mark_of(ptr), fmt::format("unknown connection '{}'{}", name,
                                               did_you_mean(name, conns).empty() ? " (defined: " + join(conns) + ")"
                                                                                 : did_you_mean(name, conns)));
    }
  }
}

}  // namespace tc::scenario::detail
