#pragma once
// The target adapters, one declaration each (name, docs line, settings, constructor), listed in registry.cpp.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scenario/step_decl.hpp"
#include "targets/factory.hpp"

namespace tc::targets {

/// Everything about one adapter kind, declared in the adapter's own file.
struct TargetDecl {
  std::string name;                   // what `target:` and `--target` say
  std::string summary;                // one line for docs/targets.md and `--help`
  std::vector<std::string> settings;  // keys of the map form besides `type`
  std::function<std::unique_ptr<Target>(const Json& spec, const TargetEnv& env)> make;
  /// Stops the processes the adapter left running in a state dir (servers, engines); true if any ran. Optional.
  std::function<bool(const std::string& state_dir, std::chrono::seconds grace)> stop_servers = nullptr;
  /// The keys of `pipeline: status`'s `detail` map this adapter fills: validate checks `detail.x` paths against
  /// them. `open_detail`: further keys come from the user's own settings (an http target's `detail:` pointers).
  std::vector<scenario::OutputDecl> detail = {};
  bool open_detail = false;
};

/// The built-in adapters, in documentation order.
const std::vector<TargetDecl>& target_registry();
const TargetDecl* find_target_decl(const std::string& name);
/// The adapter behind a scenario's `target:` value: a built-in name, a map with `type`, or a profile name (its
/// file's `type`); nullptr when that cannot be told before the run (a `${var}`, a missing profile).
const TargetDecl* target_decl_of(const Json& target);

/// Every name a scenario may give: the built-in adapters, then the profiles (targets/<name>.json) found.
std::vector<std::string> target_names();

/// Stops what every adapter left running in `state_dir` (`toolkit down`, `pipeline stop --server`); returns the
/// names of the adapters that had something running.
std::vector<std::string> stop_pipeline_servers(const std::string& state_dir, std::chrono::seconds grace);

/// A target built from a profile: its `type` must be manual or http (and `expected_type` when not empty).
std::unique_ptr<Target> make_from_profile(const std::string& profile_name, const Json& spec, const TargetEnv& env,
                                          const std::string& expected_type);

}  // namespace tc::targets
