#include "engine/variables.hpp"

#include "scenario/vars.hpp"
#include "util/text.hpp"

namespace tc::engine {

namespace {
// --var values are text; numbers and booleans keep their type so `expect` comparisons stay natural.
Json parse_override(const std::string& text) {
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_discarded() && (j.is_number() || j.is_boolean())) return j;
  return text;
}

bool mentions_env(const Json& v) {
  if (v.is_string()) return v.get<std::string>().find("${env:") != std::string::npos;
  if (v.is_structured())
    for (const auto& [k, x] : v.items())
      if (mentions_env(x)) return true;
  return false;
}
}  // namespace

scenario::Vars variables_for(const scenario::Scenario& sc, const scenario::Variant& variant, const RunOptions& opts,
                             const std::string& run_dir) {
  scenario::Vars vars;
  vars.set("scenario", sc.id);
  vars.set("variant", variant.name);
  vars.set("run_dir", run_dir);
  // ${target} is the adapter's name ("replica", "debezium", "hevo"), also when the scenario gives a map.
  Json target = opts.target.empty() ? sc.target : Json(opts.target);
  if (target.is_object() && target.contains("type")) target = target["type"];
  vars.set("target", target);
  for (const auto& [name, value] : variant.values) vars.set(name, value);
  // Defaults may refer to earlier variables or the environment: resolve them in order.
  for (const auto& [name, value] : sc.vars.items()) {
    bool overridden = false;
    for (const auto& [k, v] : opts.vars)
      if (k == name) overridden = true;
    if (overridden) continue;
    vars.set(name, vars.interpolate(value), mentions_env(value));
  }
  for (const auto& [k, v] : opts.vars) vars.set(k, parse_override(v));
  // Matrix values may hold ${...} of vars ("network --down --duration ${outage}"): resolved like anywhere else.
  // A value naming a capture (known only at run time) keeps its text.
  for (const auto& [name, value] : variant.values) {
    try {
      vars.set(name, vars.interpolate(value), mentions_env(value));  // an ${env:...} value stays masked
    } catch (const scenario::UndefinedVariable&) {
    }
  }
  for (const auto& s : sc.secrets) vars.mark_secret(s);
  return vars;
}

void build_variables(RunState& st) {
  st.vars = variables_for(st.scenario, st.variant, st.options, st.run_dir);
  st.vars.set("state_dir", st.toolkit.resolved_state_dir());
}

}  // namespace tc::engine
