#include "util/prompter_answers.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <stdexcept>

#include "util/prompter_words.hpp"
#include "util/text.hpp"

namespace tc {

namespace {}  // namespace

AnswersPrompter::AnswersPrompter(std::map<std::string, Answer> answers, std::string default_operator)
    : answers_(std::move(answers)), default_operator_(std::move(default_operator)) {}

const Answer* AnswersPrompter::find(const std::string& key) {
  std::string k = trim(key);
  if (k.empty()) return nullptr;
  auto it = answers_.find(k);
  // Step names are typed by people: tolerate a different case.
  if (it == answers_.end())
    for (auto i = answers_.begin(); i != answers_.end(); ++i)
      if (lower(trim(i->first)) == lower(k)) {
        it = i;
        break;
      }
  if (it == answers_.end()) return nullptr;
  std::size_t n = used_[it->first]++;
  const auto& later = it->second.then;
  if (n == 0 || later.empty()) return &it->second;
  return &later[std::min(n, later.size()) - 1];
}

Answer AnswersPrompter::ask(const std::string& key, const std::string& instruction,
                            const std::vector<std::string>& choices) {
  return ask_any({key}, instruction, choices);
}

Answer AnswersPrompter::ask_any(const std::vector<std::string>& keys, const std::string&,
                                const std::vector<std::string>& choices) {
  std::lock_guard lock(mutex_);
  const Answer* found = nullptr;
  std::string key;
  for (const auto& k : keys)
    if ((found = find(k))) {
      key = k;
      break;
    }
  if (!found) return {};
  Answer a = *found;
  a.then.clear();
  a.answered = true;
  if (a.operator_name.empty()) a.operator_name = default_operator_;
  if (!choices.empty()) {
    Answer probe;
    if (auto c = match_choice(a.text, choices))
      a.text = *c;
    else if (!read_verdict_words(a.text, probe) && !(a.text.empty() && !a.verdict.empty()))
      throw std::invalid_argument("answers file: the answer \"" + a.text + "\" for \"" + key +
                                  "\" is not one of: " + join(choices) + " (nor PASS / FAIL)");
  }
  return a;
}

std::vector<std::string> AnswersPrompter::unused_keys() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [k, v] : answers_)
    if (!used_.count(k)) out.push_back(k);
  return out;
}

}  // namespace tc
