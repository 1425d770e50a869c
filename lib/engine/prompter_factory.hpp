#pragma once
// Chooses where manual answers come from: --answers FILE, the terminal, or nowhere (steps stay PENDING).
#include <memory>

#include "engine/engine.hpp"
#include "scenario/vars.hpp"
#include "util/prompter.hpp"

namespace tc::engine {

std::unique_ptr<Prompter> make_prompter(const RunOptions& opts, const scenario::Vars& vars);

}  // namespace tc::engine
