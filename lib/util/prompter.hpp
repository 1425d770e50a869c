#pragma once
// Asking the tester: a real terminal, or answers read from a file for non-interactive runs.
#include <optional>
#include <string>
#include <vector>

namespace tc {

/// One question put to the tester and what came back.
struct Answer {
  bool answered = false;  // false -> no answer available (PENDING)
  std::string text;       // raw answer ("" = just Enter)
  std::string verdict;    // PASS, FAIL or "" when not given
  std::string observation;
  std::string operator_name;
  /// Answers for later asks of the same key, in order (an answers-file list: a status polled by a wait);
  /// the last one repeats.
  std::vector<Answer> then;
};

/// Where answers come from.
class Prompter {
 public:
  virtual ~Prompter() = default;
  /// `key` identifies the step (for answers files); `choices` restricts accepted words (empty = free text).
  virtual Answer ask(const std::string& key, const std::string& instruction,
                     const std::vector<std::string>& choices) = 0;
};

}  // namespace tc
