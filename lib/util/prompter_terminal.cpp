#include "util/prompter_terminal.hpp"

#include <mutex>

#include "util/prompter_words.hpp"
#include "util/text.hpp"

namespace tc {

namespace {

// Background steps may log while a prompt is open; one prompt at a time keeps the dialogue readable.
std::mutex& prompt_mutex() {
  static std::mutex m;
  return m;
}

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

}  // namespace

TerminalPrompter::TerminalPrompter(std::istream& in, std::ostream& out, std::string operator_name)
    : in_(in), out_(out), operator_(std::move(operator_name)) {}

Answer TerminalPrompter::ask(const std::string& key, const std::string& instruction,
                             const std::vector<std::string>& choices) {
  std::lock_guard lock(prompt_mutex());
  out_ << "\n=== MANUAL STEP" << (key.empty() ? "" : " [" + key + "]") << " ===\n" << instruction << "\n";
  if (choices.empty())
    out_ << "Press Enter when done, or type PASS or FAIL followed by what you observed.\n";
  else
    out_ << "Answer one of: " << join(choices, ", ") << " (or PASS / FAIL followed by what you observed).\n";

  for (int attempt = 1; attempt <= kMaxTries; ++attempt) {
    out_ << "> " << std::flush;
    std::string line;
    if (!std::getline(in_, line)) {
      out_ << "\n(no answer: input closed)\n" << std::flush;
      return {};
    }
    std::string text = trim(line);
    Answer a;
    a.operator_name = operator_;
    if (auto choice = match_choice(text, choices)) {
      a.answered = true;
      a.text = *choice;
      return a;
    }
    if (read_verdict_words(text, a)) {
      a.answered = true;
      a.text = text;
      return a;
    }
    if (choices.empty()) {  // free text is the tester's observation; Enter alone means done
      a.answered = true;
      a.text = text;
      a.observation = text;
      return a;
    }
    std::string hint = closest(text, choices);
    out_ << (text.empty() ? "An answer is needed" : "\"" + text + "\" is not one of the choices")
         << (hint.empty() ? "" : " (did you mean " + hint + "?)") << "; answer one of: " << join(choices, ", ")
         << ", or PASS / FAIL.\n";
  }
  out_ << "(no valid answer after " << kMaxTries << " tries)\n" << std::flush;
  return {};
}

}  // namespace tc
