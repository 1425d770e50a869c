#pragma once
// The entries the libFuzzer targets and their regression test share: one input in, what the parser made of it out.
#include <string>
#include <string_view>

namespace tc::fuzz {

/// How an input ended: accepted, or refused with one of the errors the parser is allowed to raise. Anything else
/// escapes as an exception (a finding), and a broken invariant aborts.
enum class Outcome { accepted, load_error, undefined_variable, invalid_argument };

/// "accepted", "load_error", ... (the prefix of a regression file's name).
std::string outcome_name(Outcome o);

/// The scenario loader on arbitrary bytes: only scenario::LoadError may escape it.
Outcome loader(std::string_view bytes);
/// Interpolation and masking: `bytes` is variable lines ("name=json-or-text", "!name=..." for a secret), a NUL byte,
/// then the text to interpolate. Secrets of 3+ characters must never survive masking.
Outcome interpolation(std::string_view bytes);
/// The --answers file parser: only scenario::LoadError may escape it.
Outcome answers(std::string_view bytes);

}  // namespace tc::fuzz
