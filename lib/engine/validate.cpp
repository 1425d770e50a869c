// Loading with the registry's step types, then each step's argument checked by its own plugin.
#include "engine/engine.hpp"
#include "plugins/registry.hpp"
#include "scenario/loader.hpp"

namespace tc::engine {

namespace {
scenario::LoadOptions registry_options() {
  const auto& reg = plugins::Registry::instance();
  return {reg.names(), reg.check_names()};
}

void check_step(const scenario::Step& step, std::vector<scenario::Diagnostic>& out) {
  if (const auto* type = plugins::Registry::instance().find(step.type)) {
    for (const auto& issue : type->validate(step.args))
      out.push_back({step.mark_of(issue.pointer), step.type + ": " + issue.message});
  }
  for (const auto& inner : step.until) check_step(inner, out);
}
}  // namespace

scenario::Scenario load_scenario(const std::string& path) {
  return scenario::load_file(path, registry_options());
}

scenario::Scenario load_and_validate(const std::string& path) {
  auto sc = load_scenario(path);
  std::vector<scenario::Diagnostic> diags;
  for (auto phase :
       {scenario::Phase::Preconditions, scenario::Phase::Steps, scenario::Phase::Checks, scenario::Phase::Cleanup})
    for (const auto& step : sc.phase(phase)) check_step(step, diags);
  if (!diags.empty()) throw scenario::LoadError(diags);
  return sc;
}

}  // namespace tc::engine
