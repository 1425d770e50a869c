#pragma once
// Asking a person at a terminal (or any stream pair, which is how it is tested).
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "util/prompter.hpp"

namespace tc {

/// Prints the instruction and reads one line: Enter = done, PASS/FAIL [observation], or one of the choices.
class TerminalPrompter : public Prompter {
 public:
  TerminalPrompter(std::istream& in, std::ostream& out, std::string operator_name);
  Answer ask(const std::string& key, const std::string& instruction, const std::vector<std::string>& choices) override;

  static constexpr int kMaxTries = 3;  // invalid answers before the step is left unanswered

 private:
  std::istream& in_;
  std::ostream& out_;
  std::string operator_;
};

}  // namespace tc
