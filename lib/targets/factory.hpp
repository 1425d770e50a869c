#pragma once
// Builds the pipeline adapter a scenario (or --target) names.
#include <memory>
#include <string>

#include "sandbox/config.hpp"
#include "targets/target.hpp"
#include "util/prompter.hpp"

namespace tc::targets {

/// What adapters may need from the run.
struct TargetEnv {
  toolkit::Config toolkit;       // state dir and source
  Prompter* prompter = nullptr;  // for the manual target
  std::string run_dir;
};

/// `spec` is a name ("replica", "manual", "hevo", "fivetran", "airbyte") or a map {type: ..., ...}
/// (already interpolated). Throws std::invalid_argument naming what is wrong.
std::unique_ptr<Target> make_target(const Json& spec, const TargetEnv& env);

}  // namespace tc::targets
