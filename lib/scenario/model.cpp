#include "scenario/model.hpp"

namespace tc::scenario {

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::Preconditions: return "preconditions";
    case Phase::Steps: return "steps";
    case Phase::Checks: return "checks";
    case Phase::Cleanup: return "cleanup";
  }
  return "?";
}

Mark Step::mark_of(const std::string& pointer) const {
  for (std::string p = pointer;; p = p.substr(0, p.rfind('/'))) {
    auto it = arg_marks.find(p);
    if (it != arg_marks.end()) return it->second;
    if (p.empty()) break;
  }
  return args_where.line ? args_where : where;
}

const std::vector<Step>& Scenario::phase(Phase p) const {
  switch (p) {
    case Phase::Preconditions: return preconditions;
    case Phase::Steps: return steps;
    case Phase::Checks: return checks;
    case Phase::Cleanup: return cleanup;
  }
  return steps;
}

static std::string value_label(const Json& v) {
  if (v.is_object() && v.contains("name") && v["name"].is_string()) return v["name"].get<std::string>();
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

std::vector<Variant> Scenario::variants() const {
  std::vector<Variant> out{Variant{}};
  for (const auto& axis : matrix) {
    std::vector<Variant> next;
    for (const auto& base : out) {
      for (const auto& v : axis.values) {
        Variant x = base;
        x.values[axis.name] = v;
        std::string label = value_label(v);
        x.name = x.name.empty() ? label : x.name + "-" + label;
        next.push_back(std::move(x));
      }
    }
    out = std::move(next);
  }
  return out;
}

}  // namespace tc::scenario
