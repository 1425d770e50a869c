#include "plugins/step_type.hpp"

#include <algorithm>

#include "util/text.hpp"

namespace tc::plugins {

std::string StepType::describe(const Json& args) const {
  if (args.is_string()) return name() + " " + args.get<std::string>();
  return name() + " " + args.dump();
}

std::vector<StepType::Issue> expect_string(const Json& args, const std::string& what) {
  if (args.is_string() && !trim(args.get<std::string>()).empty()) return {};
  return {{"", "expected " + what + " (a non-empty string)"}};
}

std::vector<StepType::Issue> expect_map(const Json& args, const std::vector<std::string>& required,
                                        const std::vector<std::string>& optional) {
  std::vector<StepType::Issue> out;
  if (!args.is_object()) {
    out.push_back({"", "expected a map with keys: " + [&] {
                     std::string s;
                     for (const auto& k : required) s += (s.empty() ? "" : ", ") + k;
                     return s;
                   }()});
    return out;
  }
  std::vector<std::string> all = required;
  all.insert(all.end(), optional.begin(), optional.end());
  for (const auto& k : required)
    if (!args.contains(k)) out.push_back({"", "missing required key '" + k + "'"});
  for (const auto& [k, v] : args.items()) {
    if (std::find(all.begin(), all.end(), k) == all.end()) {
      std::string near = closest(k, all);
      out.push_back({"/" + k, "unknown key '" + k + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)")});
    }
  }
  return out;
}

}  // namespace tc::plugins
