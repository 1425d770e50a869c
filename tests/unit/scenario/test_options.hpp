#pragma once
// The LoadOptions the scenario tests use: the registries' step types, check types and target names, exactly as
// `tc-run validate` hands them to the loader.
#include "plugins/registry.hpp"
#include "scenario/loader.hpp"
#include "targets/registry.hpp"

namespace tc::scenario::testing {

inline LoadOptions options() {
  const auto& reg = plugins::Registry::instance();
  return {reg.names(), reg.check_names(), targets::target_names()};
}

}  // namespace tc::scenario::testing
