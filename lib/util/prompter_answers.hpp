#pragma once
// Answers for non-interactive runs, read beforehand from an --answers file (see scenario/answers.hpp).
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "util/prompter.hpp"

namespace tc {

/// Looks the step up by key; a missing key leaves the step unanswered (PENDING).
class AnswersPrompter : public Prompter {
 public:
  /// `default_operator` is recorded for answers that name no operator (usually the --tester).
  explicit AnswersPrompter(std::map<std::string, Answer> answers, std::string default_operator = "");
  /// Throws std::invalid_argument when the file's answer is not one of `choices` (nor a PASS/FAIL verdict).
  Answer ask(const std::string& key, const std::string& instruction, const std::vector<std::string>& choices) override;
  /// Same, trying several keys in order (step id, step name, "<phase>.<index>"); the first one present wins.
  Answer ask_any(const std::vector<std::string>& keys, const std::string& instruction,
                 const std::vector<std::string>& choices);
  /// Keys of the file never asked for (typos in the answers file show up here).
  std::vector<std::string> unused_keys() const;

 private:
  const Answer* find(const std::string& key);  // the answer for this ask (advances the key's list)
  std::map<std::string, Answer> answers_;
  std::string default_operator_;
  std::map<std::string, std::size_t> used_;  // key -> times asked (picks from Answer::then)
  mutable std::mutex mutex_;                 // manual steps may run in background threads
};

}  // namespace tc
