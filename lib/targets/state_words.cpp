#include "targets/state_words.hpp"

#include <algorithm>
#include <stdexcept>

#include "util/text.hpp"

namespace tc::targets {

namespace {}  // namespace

const std::vector<std::string>& state_words() {
  static const std::vector<std::string> words = {"running", "connecting", "failed", "stopped", "unknown"};
  return words;
}

bool is_state_word(const std::string& word) {
  const auto& w = state_words();
  return std::find(w.begin(), w.end(), word) != w.end();
}

std::string value_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "null";
  return v.dump();
}

std::optional<std::string> map_state(const Json& map, const std::string& value) {
  if (!map.is_object()) return std::nullopt;
  std::string want = lower(trim(value));
  for (const auto& [k, v] : map.items())
    if (lower(k) == want && v.is_string()) return v.get<std::string>();
  return std::nullopt;
}

void check_state_map(const Json& map, const std::string& where) {
  if (!map.is_object() || map.empty())
    throw std::invalid_argument(
        where + " must be a non-empty map of tool words to states (running, connecting, failed, stopped)");
  for (const auto& [k, v] : map.items()) {
    std::string s = v.is_string() ? v.get<std::string>() : v.dump();
    if (!v.is_string() || !is_state_word(s)) {
      std::string hint = closest(s, state_words());
      throw std::invalid_argument(where + ": '" + k + "' maps to '" + s +
                                  "', which is not a state (expected running, connecting, failed, stopped or unknown)" +
                                  (hint.empty() ? "" : "; did you mean '" + hint + "'?"));
    }
  }
}

}  // namespace tc::targets
