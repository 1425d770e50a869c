#pragma once
// Asking a person at a terminal (or any stream pair, which is how it is tested).
#include <istream>
#include <ostream>
#include <stop_token>
#include <string>
#include <vector>

#include "util/prompter.hpp"

namespace tc {

/// Prints the instruction and reads one line: Enter = done, PASS/FAIL [observation], or one of the choices.
class TerminalPrompter : public Prompter {
 public:
  /// `stop` (Ctrl-C) ends an open prompt at once, unanswered; `fd` is the descriptor behind `in` (-1 = none), polled
  /// so that a prompt never blocks past the stop.
  TerminalPrompter(std::istream& in, std::ostream& out, std::string operator_name, std::stop_token stop = {},
                   int fd = -1);
  Answer ask(const std::string& key, const std::string& instruction, const std::vector<std::string>& choices) override;

  static constexpr int kMaxTries = 3;  // invalid answers before the step is left unanswered

 private:
  std::istream& in_;
  std::ostream& out_;
  std::string operator_;
  std::stop_token stop_;
  int fd_ = -1;
  bool read_line(std::string& line);
};

}  // namespace tc
