// Loading with the registry's step types, then each step's argument checked by its own plugin.
#include <map>
#include <optional>
#include <set>

#include "engine/condition.hpp"
#include "engine/engine.hpp"
#include "engine/variables.hpp"
#include "plugins/registry.hpp"
#include "scenario/loader.hpp"
#include "scenario/output_paths.hpp"
#include "targets/registry.hpp"
#include "util/text.hpp"

namespace tc::engine {

namespace {
void check_step(const scenario::Step& step, std::vector<scenario::Diagnostic>& out) {
  if (const auto* type = plugins::Registry::instance().find(step.type)) {
    for (const auto& issue : type->validate(step.args))
      out.push_back({step.mark_of(issue.pointer), step.type + ": " + issue.message});
  }
  for (const auto& inner : step.until) check_step(inner, out);
}

// Paths checked against what this very action gives, beyond what the loader checked against the declarations: a
// toolkit command's declared keys; for a step naming a background step (stop), that step's outputs; a pipeline
// status's `detail` keys as the scenario's target declares them (also as a wait's `last.detail.x`).
struct OutputCheck {
  const std::map<std::string, const scenario::Step*>& ids;
  Json target;  // the scenario's target, or --target
  std::vector<scenario::Diagnostic>& out;
  std::map<std::string, scenario::StepDecl> refined{};  // closed declarations with the target's detail keys
  std::set<std::string> seen{};                         // the same problem found for several variants, once

  // The declaration a closed step type has for this scenario (its outputs refined by the target when it can).
  const scenario::StepDecl* decl_of(const std::string& t) {
    const auto* x = plugins::Registry::instance().find(t);
    if (!x) return nullptr;
    if (x->decl().open_outputs) return &x->decl();
    if (auto it = refined.find(t); it != refined.end()) return &it->second;
    auto outputs = x->outputs_for(Json(), target);
    if (!outputs) return &x->decl();
    scenario::StepDecl d = x->decl();
    d.outputs = *outputs;
    return &refined.emplace(t, std::move(d)).first->second;
  }

  // `skip_target`: the step does not run with this target (its `when:` is false for the variant), so what the
  // target fills is not asked of it (TC-001's `when: ${target} == debezium` step reads debezium's detail).
  void check(const scenario::Step& step, const scenario::Vars& vars, bool skip_target = false) {
    if (!skip_target && !step.when.empty()) try {
        skip_target = !evaluate_condition(vars.interpolate(step.when));
      } catch (const std::exception&) {
        skip_target = true;  // names a capture: only the run can tell
      }
    for (const auto& inner : step.until) check(inner, vars, skip_target);
    const auto& reg = plugins::Registry::instance();
    const auto* type = reg.find(step.type);
    if (!type) return;
    auto decl = [this](const std::string& t) { return decl_of(t); };
    if (!type->decl().open_outputs) {
      if (skip_target) return;
      // The loader checked the declared outputs; only a refinement (or a polled condition's) can add problems.
      const auto* mine = decl_of(step.type);
      bool polled_refined = !step.until.empty() && refined.count(step.until.front().type);
      if (mine == &type->decl() && !polled_refined) return;
      for (auto& d : scenario::output_path_problems("'" + step.type + "' on target '" + target_label() + "'",
                                                    mine->outputs, step, decl))
        add(std::move(d));
      return;
    }
    const scenario::Step* source = &step;
    if (type->decl().string_form.kind == scenario::ArgKind::StepId && step.args.is_string()) {
      auto it = ids.find(step.args.get<std::string>());
      if (it == ids.end()) return;  // the loader has reported it
      source = it->second;
    }
    const auto* source_type = reg.find(source->type);
    if (!source_type) return;
    std::optional<std::vector<scenario::OutputDecl>> outputs;
    std::string what = source->type;
    if (!source_type->decl().open_outputs) {
      outputs = decl_of(source->type)->outputs;
    } else {
      outputs = source_type->outputs_for(source->args, target);
      if (source->args.is_string())
        if (auto words = split_ws(source->args.get<std::string>()); !words.empty()) what += " " + words.front();
    }
    if (!outputs) return;
    what = source != &step ? "the background step '" + step.args.get<std::string>() + "' (" + what + ")"
                           : "'" + what + "'";
    for (auto& d : scenario::output_path_problems(what, *outputs, step, decl)) add(std::move(d));
  }

  void add(scenario::Diagnostic d) {
    if (seen.insert(std::to_string(d.where.line) + ":" + std::to_string(d.where.column) + ":" + d.message).second)
      out.push_back(std::move(d));
  }

  std::string target_label() const {
    if (target.is_string()) return target.get<std::string>();
    return target.is_object() ? target.value("type", std::string("?")) : std::string("?");
  }
};

void collect_ids(const scenario::Step& step, std::map<std::string, const scenario::Step*>& ids) {
  if (!step.id.empty()) ids[step.id] = &step;
  for (const auto& inner : step.until) collect_ids(inner, ids);
}

// Each step type checks its argument as every variant resolves it (the toolkit parses its command line there).
void check_resolved(const scenario::Step& step, const scenario::Vars& vars, const std::string& variant,
                    std::vector<scenario::Diagnostic>& out, std::set<std::string>& seen) {
  for (const auto& inner : step.until) check_resolved(inner, vars, variant, out, seen);
  const auto* type = plugins::Registry::instance().find(step.type);
  if (!type) return;
  bool templated = step.args.dump().find("${") != std::string::npos;
  Json args;
  try {
    args = vars.interpolate(step.args);
  } catch (const std::exception&) {
    return;  // names a capture: only the run knows it
  }
  for (const auto& issue : type->validate_resolved(args)) {
    std::string msg = type->describe(args) + ": " + issue.message +
                      (templated && !variant.empty() ? " (variant " + variant + ")" : "");
    auto key = std::to_string(step.where.line) + ":" + msg;
    if (seen.insert(key).second) out.push_back({step.mark_of(issue.pointer), msg});
  }
}
}  // namespace

scenario::LoadOptions load_options() {
  return {plugins::Registry::instance().decls(), targets::target_names()};
}

scenario::Scenario load_scenario(const std::string& path) {
  return scenario::load_file(path, load_options());
}

scenario::Scenario load_and_validate(const std::string& path, const RunOptions& opts) {
  auto sc = load_scenario(path);
  std::vector<scenario::Diagnostic> diags;
  const auto phases = {scenario::Phase::Preconditions, scenario::Phase::Steps, scenario::Phase::Checks,
                       scenario::Phase::Cleanup};
  for (auto phase : phases)
    for (const auto& step : sc.phase(phase)) check_step(step, diags);
  std::map<std::string, const scenario::Step*> ids;
  for (auto phase : phases)
    for (const auto& step : sc.phase(phase)) collect_ids(step, ids);
  OutputCheck outputs{ids, opts.target.empty() ? sc.target : Json(opts.target), diags};
  std::set<std::string> seen;
  for (const auto& v : sc.variants()) {
    if (!opts.variant.empty() && v.name != opts.variant) continue;
    scenario::Vars vars;
    try {
      vars = variables_for(sc, v, opts, "");
    } catch (const std::exception& e) {
      diags.push_back({scenario::Mark{sc.file, 1, 1}, std::string("variables: ") + e.what()});
      continue;
    }
    for (auto phase : phases)
      for (const auto& step : sc.phase(phase)) {
        outputs.check(step, vars);
        check_resolved(step, vars, v.name, diags, seen);
      }
  }
  if (!diags.empty()) throw scenario::LoadError(diags);
  return sc;
}

}  // namespace tc::engine
