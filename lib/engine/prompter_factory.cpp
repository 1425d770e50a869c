#include "engine/prompter_factory.hpp"

#include <iostream>

#include "engine/interrupt.hpp"
#include "scenario/answers.hpp"
#include "util/prompter_answers.hpp"
#include "util/prompter_terminal.hpp"

namespace tc::engine {

std::unique_ptr<Prompter> make_prompter(const RunOptions& opts, const scenario::Vars&) {
  if (!opts.answers_file.empty())
    return std::make_unique<AnswersPrompter>(scenario::load_answers(opts.answers_file), opts.tester);
  if (opts.interactive)  // Ctrl-C ends an open prompt at once and the run goes to cleanup
    return std::make_unique<TerminalPrompter>(std::cin, std::cerr, opts.tester, Interrupt::instance().token(), 0);
  return std::make_unique<AnswersPrompter>(std::map<std::string, Answer>{});
}

}  // namespace tc::engine
