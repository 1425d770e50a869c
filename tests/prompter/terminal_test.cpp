#include <doctest/doctest.h>

#include <sstream>

#include "util/prompter_terminal.hpp"

using namespace tc;

namespace {

struct Session {
  std::istringstream in;
  std::ostringstream out;
  TerminalPrompter p;
  explicit Session(const std::string& typed) : in(typed), p(in, out, "arun") {}
  Answer ask(const std::vector<std::string>& choices = {}) {
    return p.ask("fix-now", "Click \"Fix Now\" in Hevo", choices);
  }
};

}  // namespace

TEST_CASE("terminal: the instruction is shown, Enter means done") {
  Session s("\n");
  Answer a = s.ask();
  CHECK(a.answered);
  CHECK(a.text == "");
  CHECK(a.verdict == "");
  CHECK(a.operator_name == "arun");
  CHECK(s.out.str().find("Click \"Fix Now\" in Hevo") != std::string::npos);
  CHECK(s.out.str().find("[fix-now]") != std::string::npos);
}

TEST_CASE("terminal: PASS / FAIL with an observation, any case") {
  Session f("FAIL pipeline stuck in Connecting\n");
  Answer a = f.ask();
  CHECK(a.answered);
  CHECK(a.verdict == "FAIL");
  CHECK(a.observation == "pipeline stuck in Connecting");
  CHECK(a.text == "FAIL pipeline stuck in Connecting");

  Session p("  pass: all green  \n");
  a = p.ask();
  CHECK(a.verdict == "PASS");
  CHECK(a.observation == "all green");

  Session bare("Fail\n");
  a = bare.ask();
  CHECK(a.verdict == "FAIL");
  CHECK(a.observation == "");

  Session word("passed the test\n");  // not the PASS keyword: free text
  a = word.ask();
  CHECK(a.verdict == "");
  CHECK(a.observation == "passed the test");
}

TEST_CASE("terminal: choices match case-insensitively and come back as written") {
  Session s("RUNNING\n");
  Answer a = s.ask({"running", "failed"});
  CHECK(a.answered);
  CHECK(a.text == "running");
  CHECK(a.verdict == "");
  CHECK(s.out.str().find("running, failed") != std::string::npos);
}

TEST_CASE("terminal: a verdict is accepted even when choices are offered") {
  Session s("fail never left Connecting\n");
  Answer a = s.ask({"running", "failed"});
  CHECK(a.verdict == "FAIL");
  CHECK(a.observation == "never left Connecting");
}

TEST_CASE("terminal: an invalid choice is asked again, with a hint") {
  Session s("runing\n\nfailed\n");
  Answer a = s.ask({"running", "failed"});
  CHECK(a.answered);
  CHECK(a.text == "failed");
  std::string out = s.out.str();
  CHECK(out.find("\"runing\" is not one of the choices (did you mean running?)") != std::string::npos);
  CHECK(out.find("An answer is needed") != std::string::npos);
}

TEST_CASE("terminal: three invalid answers leave the step unanswered, and the rest of the input unread") {
  Session s("a\nb\nc\nrunning\n");
  Answer a = s.ask({"running", "failed"});
  CHECK_FALSE(a.answered);
  CHECK(s.out.str().find("no valid answer after 3 tries") != std::string::npos);
  std::string rest;
  std::getline(s.in, rest);
  CHECK(rest == "running");
}

TEST_CASE("terminal: end of input means no answer") {
  Session s("");
  Answer a = s.ask();
  CHECK_FALSE(a.answered);
  Session t("bogus\n");  // one invalid choice, then EOF
  CHECK_FALSE(t.ask({"yes", "no"}).answered);
}

TEST_CASE("terminal: successive questions read successive lines") {
  Session s("\nFAIL second\nno\n");
  CHECK(s.ask().text == "");
  CHECK(s.ask().verdict == "FAIL");
  CHECK(s.ask({"yes", "no"}).text == "no");
  CHECK_FALSE(s.ask().answered);
}
