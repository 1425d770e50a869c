// `tc-run plan`: every variant's steps with variables resolved and secrets masked, before anything runs.
#include <fmt/format.h>

#include "engine/engine.hpp"
#include "engine/variables.hpp"
#include "plugins/registry.hpp"
#include "util/text.hpp"

namespace tc::engine {

namespace {
std::string resolve(const scenario::Vars& vars, const scenario::Step& step) {
  const auto* type = plugins::Registry::instance().find(step.type);
  try {
    Json args = vars.interpolate(step.args);
    return vars.mask(type ? type->describe(args) : step.type + " " + args.dump());
  } catch (const scenario::UndefinedVariable& e) {
    // Captured values only exist at run time; show the reference as written.
    return vars.mask(type ? type->describe(step.args) : step.type) + "   (resolved at run time: " + e.name() + ")";
  }
}

std::string options(const scenario::Step& step) {
  std::vector<std::string> o;
  if (step.background) o.push_back(step.id.empty() ? "background" : "background as " + step.id);
  if (step.timeout && !step.self_timed) o.push_back("timeout " + format_duration(*step.timeout));
  if (step.self_timed)
    o.push_back("every " + format_duration(step.every) + ", timeout " +
                format_duration(step.timeout.value_or(Millis(300000))));
  if (step.retry.count > 0)
    o.push_back(fmt::format("retry {}x every {}", step.retry.count, format_duration(step.retry.delay)));
  if (!step.when.empty()) o.push_back("when " + step.when);
  for (const auto& a : step.expect)
    o.push_back("expect " + (a.path.empty() ? std::string("value") : a.path) + " " + a.op + " " + a.operand.dump());
  for (const auto& c : step.captures) o.push_back("capture " + c.path + " -> ${" + c.var + "}");
  for (const auto& ob : step.observes) o.push_back("observe " + ob.name);
  std::string s;
  for (const auto& x : o) s += (s.empty() ? "" : "; ") + x;
  return s;
}
}  // namespace

std::string render_plan(const scenario::Scenario& sc, const RunOptions& opts) {
  std::string out = fmt::format("{}: {}\n", sc.id, sc.title);
  auto variants = sc.variants();
  for (const auto& v : variants) {
    if (!opts.variant.empty() && v.name != opts.variant) continue;
    auto vars = variables_for(sc, v, opts, "reports/" + sc.id + "/<run>");
    out += fmt::format("\n== variant {} ==\n", v.name.empty() ? "(single)" : v.name);
    for (const auto& [k, val] : vars.all())
      if (k != "run_dir") out += fmt::format("  var {} = {}\n", k, vars.mask(scenario::to_text(val)));
    for (auto phase :
         {scenario::Phase::Preconditions, scenario::Phase::Steps, scenario::Phase::Checks, scenario::Phase::Cleanup}) {
      const auto& steps = sc.phase(phase);
      if (steps.empty()) continue;
      out += fmt::format("  {}:\n", scenario::phase_name(phase));
      int i = 0;
      for (const auto& step : steps) {
        std::string label = step.name.empty() ? "" : vars.mask(step.name) + ": ";
        try {
          if (!step.name.empty()) label = vars.mask(vars.interpolate(step.name)) + ": ";
        } catch (const std::exception&) {
        }
        out += fmt::format("    {}. {}{}\n", ++i, label, resolve(vars, step));
        std::string o = options(step);
        if (!o.empty()) out += fmt::format("       [{}]\n", o);
      }
    }
  }
  return out;
}

}  // namespace tc::engine
