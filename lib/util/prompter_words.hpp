#pragma once
// Reading a tester's typed answer: "PASS"/"FAIL" with an optional observation, or one of the offered choices.
#include <optional>
#include <string>
#include <vector>

#include "util/prompter.hpp"

namespace tc {

/// Fills verdict and observation when `text` starts with PASS or FAIL (any case): "FAIL stuck in Connecting".
/// Returns false (and leaves `a` alone) when it does not.
bool read_verdict_words(const std::string& text, Answer& a);
/// The choice `text` names, compared case-insensitively; nullopt when it names none.
std::optional<std::string> match_choice(const std::string& text, const std::vector<std::string>& choices);

}  // namespace tc
