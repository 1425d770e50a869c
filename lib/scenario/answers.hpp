#pragma once
// The --answers file for manual steps (YAML), read here because only lib/scenario reads YAML.
#include <map>
#include <string>
#include <string_view>

#include "scenario/diagnostic.hpp"
#include "util/prompter.hpp"

namespace tc::scenario {

/// Reads `key: answer` pairs; a key is a step id, a step name or "<phase>.<index>"; a value is a string
/// ("done", "FAIL pipeline stuck in Connecting"), empty (just Enter), a map {answer, verdict, observation, operator},
/// or a list of those: one per ask of the same key, in order, the last repeating (Answer::then holds the rest).
/// Throws LoadError naming file:line:column for every problem found.
std::map<std::string, Answer> load_answers(const std::string& path);
/// Same, from text; `name` is used as the file name in messages.
std::map<std::string, Answer> load_answers_string(std::string_view text, const std::string& name);

}  // namespace tc::scenario
