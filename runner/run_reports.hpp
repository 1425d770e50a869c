#pragma once
// What the runner does around each run the engine carries out: arms the crash note, writes the report files
// (execution-log.md, result.json, junit.xml) and --append-to.
#include "engine/engine.hpp"

namespace tc::cli {

/// The hooks `tc-run run` and the suite jobs hand to engine::run_scenario.
engine::RunHooks report_hooks(const engine::RunOptions& opts);

}  // namespace tc::cli
