#pragma once
// The LoadOptions the scenario tests use: exactly what `tc-run validate` hands the loader (the step types'
// declarations and the target names).
#include "engine/engine.hpp"
#include "scenario/loader.hpp"

namespace tc::scenario::testing {

inline LoadOptions options() {
  return engine::load_options();
}

}  // namespace tc::scenario::testing
