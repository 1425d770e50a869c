#include "plugins/step_type.hpp"

namespace tc::plugins {

std::string StepType::describe(const Json& args) const {
  if (args.is_string()) return name() + " " + args.get<std::string>();
  return name() + " " + args.dump();
}

std::vector<StepType::Issue> StepType::validate(const Json&) const {
  return {};
}

std::vector<StepType::Issue> StepType::validate_resolved(const Json&) const {
  return {};
}

std::optional<std::vector<scenario::OutputDecl>> StepType::outputs_for(const Json&, const Json&) const {
  return std::nullopt;
}

}  // namespace tc::plugins
