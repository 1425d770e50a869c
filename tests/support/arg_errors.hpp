#pragma once
// The loader's messages for one step's argument, loaded exactly as `tc-run validate` loads it (the registries'
// declarations): a step type's declared shape is checked there, not by the plugin.
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "scenario/diagnostic.hpp"
#include "scenario/loader.hpp"

namespace tc::testing {

/// Messages of loading `- TYPE: ARG` (ARG in YAML flow form); empty when it loads.
inline std::vector<std::string> arg_errors(const std::string& type, const std::string& arg_yaml) {
  std::string text = "id: T\ntitle: t\nsteps:\n  - " + type + ": " + arg_yaml + "\n";
  try {
    scenario::load_string(text, "t.yaml", engine::load_options());
    return {};
  } catch (const scenario::LoadError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.message);
    return out;
  }
}

}  // namespace tc::testing
