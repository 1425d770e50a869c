// Loading with the registry's step types, then each step's argument checked by its own plugin.
#include <set>

#include "engine/engine.hpp"
#include "engine/variables.hpp"
#include "plugins/registry.hpp"
#include "scenario/loader.hpp"
#include "targets/registry.hpp"
#include "toolkit/toolkit.hpp"
#include "util/text.hpp"

namespace tc::engine {

namespace {
scenario::LoadOptions registry_options() {
  const auto& reg = plugins::Registry::instance();
  return {reg.names(), reg.check_names(), targets::target_names()};
}

void check_step(const scenario::Step& step, std::vector<scenario::Diagnostic>& out) {
  if (const auto* type = plugins::Registry::instance().find(step.type)) {
    for (const auto& issue : type->validate(step.args))
      out.push_back({step.mark_of(issue.pointer), step.type + ": " + issue.message});
  }
  for (const auto& inner : step.until) check_step(inner, out);
}

// A toolkit line is parsed by the toolkit's own parser for every variant it resolves in: a misspelt option or
// value must stop the run before any fault is applied, not half-way through it.
void check_toolkit_lines(const scenario::Step& step, const scenario::Vars& vars, const std::string& variant,
                         std::vector<scenario::Diagnostic>& out, std::set<std::string>& seen) {
  for (const auto& inner : step.until) check_toolkit_lines(inner, vars, variant, out, seen);
  if (step.type != "toolkit" || !step.args.is_string()) return;
  std::string text = step.args.get<std::string>();
  bool templated = text.find("${") != std::string::npos;
  try {
    text = scenario::to_text(vars.interpolate(step.args));
  } catch (const std::exception&) {
    return;  // names a capture: only the run knows it
  }
  std::vector<std::string> argv;
  try {
    argv = split_args(text);
  } catch (const std::exception& e) {
    argv.clear();
    std::string msg = "toolkit: " + std::string(e.what());
    if (seen.insert(msg).second) out.push_back({step.mark_of(""), msg});
    return;
  }
  if (argv.empty() || argv.front() == "toolkit") return;  // the plugin's own validate reports these
  std::string problem = toolkit::check_command(argv);
  if (problem.empty()) return;
  std::string msg =
      "toolkit " + text + ": " + problem + (templated && !variant.empty() ? " (variant " + variant + ")" : "");
  auto key = std::to_string(step.where.line) + ":" + msg;
  if (seen.insert(key).second) out.push_back({step.mark_of(""), msg});
}
}  // namespace

scenario::Scenario load_scenario(const std::string& path) {
  return scenario::load_file(path, registry_options());
}

scenario::Scenario load_and_validate(const std::string& path, const RunOptions& opts) {
  auto sc = load_scenario(path);
  std::vector<scenario::Diagnostic> diags;
  const auto phases = {scenario::Phase::Preconditions, scenario::Phase::Steps, scenario::Phase::Checks,
                       scenario::Phase::Cleanup};
  for (auto phase : phases)
    for (const auto& step : sc.phase(phase)) check_step(step, diags);
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
      for (const auto& step : sc.phase(phase)) check_toolkit_lines(step, vars, v.name, diags, seen);
  }
  if (!diags.empty()) throw scenario::LoadError(diags);
  return sc;
}

}  // namespace tc::engine
