#pragma once
// Small string helpers shared by all components.
#include <string>
#include <string_view>
#include <vector>

namespace tc {
std::string trim(std::string_view s);
std::vector<std::string> split_ws(std::string_view s);
/// Splits on every `sep`, keeping empty fields ("a,,b" -> a, "", b; "" -> one empty field).
std::vector<std::string> split_on(std::string_view s, char sep);
/// True for 1..20 ASCII digits (fits std::stoull's range check).
bool all_digits(std::string_view s);
/// Splits a command line the way a shell would for simple quoting ('..', "..", backslash).
std::vector<std::string> split_args(std::string_view s);
/// Levenshtein distance, for "did you mean" suggestions.
size_t edit_distance(std::string_view a, std::string_view b);
/// The closest candidate within a small distance, or "" when none is close.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
/// First `max_lines` lines / `max_chars` characters, with a marker when cut.
std::string excerpt(std::string_view s, size_t max_lines = 5, size_t max_chars = 400);
/// The words joined by `sep` ("a, b, c").
std::string join(const std::vector<std::string>& words, std::string_view sep = ", ");
/// ASCII lower case.
std::string lower(std::string s);
}  // namespace tc
