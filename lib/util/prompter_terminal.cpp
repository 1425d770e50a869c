#include "util/prompter_terminal.hpp"

#include <poll.h>

#include <cerrno>
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

}  // namespace

TerminalPrompter::TerminalPrompter(std::istream& in, std::ostream& out, std::string operator_name, std::stop_token stop,
                                   int fd)
    : in_(in), out_(out), operator_(std::move(operator_name)), stop_(std::move(stop)), fd_(fd) {}

// One line, or false when input closed or the run was interrupted (Ctrl-C): a terminal in canonical mode is
// readable only once a whole line is typed, so waiting in poll() keeps the prompt answerable to the stop.
bool TerminalPrompter::read_line(std::string& line) {
  if (fd_ >= 0 && in_.rdbuf()->in_avail() <= 0) {
    while (!stop_.stop_requested()) {
      pollfd p{fd_, POLLIN, 0};
      int n = ::poll(&p, 1, 100);
      if (n > 0) break;
      if (n < 0 && errno != EINTR) break;
    }
    if (stop_.stop_requested()) return false;
  }
  return static_cast<bool>(std::getline(in_, line));
}

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
    if (!read_line(line)) {
      out_ << (stop_.stop_requested() ? "\n(no answer: interrupted)\n" : "\n(no answer: input closed)\n") << std::flush;
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
