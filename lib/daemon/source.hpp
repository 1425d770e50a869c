#pragma once
// The source as tc-run reaches it, and bringing it up (the sandbox server plus the toolkit daemon and its proxy).
#include <string>

#include "db/dsn.hpp"
#include "sandbox/config.hpp"

namespace tc::toolkit {

/// The source as tc-run reaches it. `direct`: the server itself (admin work, checks, data generation);
/// otherwise the address pipelines use (through the fault proxy). Throws std::runtime_error when it is not up.
db::Dsn source_dsn(const Config& cfg, bool direct = true);

/// Makes the source usable: for the sandbox, starts the server and the toolkit daemon if they are not up.
/// Returns a one-line description of what it did ("sandbox already up on 127.0.0.1:P", "started ... in 0.41 s").
std::string ensure_source(const Config& cfg);

}  // namespace tc::toolkit
