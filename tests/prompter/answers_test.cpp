#include "scenario/answers.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "util/prompter_answers.hpp"

using namespace tc;
using tc::scenario::load_answers;
using tc::scenario::load_answers_string;
using tc::scenario::LoadError;

namespace {

std::vector<std::string> messages(const std::string& yaml) {
  try {
    load_answers_string(yaml, "answers.yaml");
  } catch (const LoadError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) out.push_back(d.str());
    return out;
  }
  return {};
}

const char* kFile = R"(fix-now: done
Click "Fix Now": FAIL pipeline stuck in Connecting
steps.4:
detect:
  answer: failed
  observation: took about 40 s
  operator: maria
verdict-only:
  verdict: pass
count: 42
)";

}  // namespace

TEST_CASE("answers file: strings, empty values and maps") {
  auto m = load_answers_string(kFile, "answers.yaml");
  REQUIRE(m.size() == 6);
  CHECK(m["fix-now"].answered);
  CHECK(m["fix-now"].text == "done");
  CHECK(m["fix-now"].verdict == "");
  CHECK(m["Click \"Fix Now\""].verdict == "FAIL");
  CHECK(m["Click \"Fix Now\""].observation == "pipeline stuck in Connecting");
  CHECK(m["steps.4"].answered);
  CHECK(m["steps.4"].text == "");
  CHECK(m["detect"].text == "failed");
  CHECK(m["detect"].observation == "took about 40 s");
  CHECK(m["detect"].operator_name == "maria");
  CHECK(m["verdict-only"].verdict == "PASS");
  CHECK(m["verdict-only"].text == "PASS");
  CHECK(m["count"].text == "42");
}

TEST_CASE("answers file: an empty file answers nothing") {
  CHECK(load_answers_string("", "a.yaml").empty());
  CHECK(load_answers_string("# only a comment\n", "a.yaml").empty());
}

TEST_CASE("answers file: every problem is reported with file:line:column") {
  auto m = messages(R"(a:
  answr: x
  verdict: maybe
b: []
a: again
c:
  observation: {x: 1}
)");
  REQUIRE(m.size() == 5);
  CHECK(m[0] ==
        "answers.yaml:2:3: error: \"a\": unknown field \"answr\" (did you mean \"answer\"?); expected answer, "
        "verdict, observation or operator");
  CHECK(m[1] == "answers.yaml:3:12: error: \"a\" verdict: expected PASS or FAIL, found \"maybe\"");
  CHECK(m[2] == "answers.yaml:4:4: error: \"b\": an empty list answers nothing; give at least one answer");
  CHECK(m[3] == "answers.yaml:5:1: error: duplicate answer for \"a\" (first given at answers.yaml:1:1)");
  CHECK(m[4] == "answers.yaml:7:16: error: \"c\" observation: expected text, found a map");
}

TEST_CASE("answers file: broken YAML and a non-map top level are located errors") {
  auto m = messages("a: [unclosed\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].rfind("answers.yaml:", 0) == 0);
  CHECK(m[0].find("invalid YAML") != std::string::npos);
  m = messages("- a\n- b\n");
  REQUIRE(m.size() == 1);
  CHECK(m[0].rfind("answers.yaml:1:1: error: expected a map of step keys", 0) == 0);
}

TEST_CASE("answers file: read from disk; a missing file is a clear error") {
  auto dir = std::filesystem::temp_directory_path() / ("tc-answers-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "answers.yaml") << kFile;
  auto m = load_answers((dir / "answers.yaml").string());
  CHECK(m.size() == 6);
  CHECK_THROWS_WITH_AS(load_answers((dir / "nope.yaml").string()), doctest::Contains("nope.yaml: error: cannot read"),
                       LoadError);
  CHECK_THROWS_WITH_AS(load_answers(dir.string()), doctest::Contains("is a directory"), LoadError);
  std::filesystem::remove_all(dir);
}

TEST_CASE("answers prompter: looks steps up by key; a missing key is not answered") {
  AnswersPrompter p(load_answers_string(kFile, "answers.yaml"), "arun");
  Answer a = p.ask("fix-now", "Click Fix Now", {});
  CHECK(a.answered);
  CHECK(a.text == "done");
  CHECK(a.operator_name == "arun");  // the file gave none: the tester running tc-run
  CHECK(p.ask("detect", "", {}).operator_name == "maria");
  CHECK_FALSE(p.ask("unknown-step", "", {}).answered);
  CHECK(p.ask("FIX-NOW", "", {}).text == "done");  // names typed by people: case is forgiven
}

TEST_CASE("answers prompter: tries id, name, then <phase>.<index>") {
  AnswersPrompter p(load_answers_string(kFile, "answers.yaml"));
  CHECK(p.ask_any({"no-id", "Click \"Fix Now\"", "steps.4"}, "", {}).verdict == "FAIL");
  CHECK(p.ask_any({"", "Other name", "steps.4"}, "", {}).answered);
  CHECK_FALSE(p.ask_any({"", "", "steps.9"}, "", {}).answered);
  auto unused = p.unused_keys();
  CHECK(unused == std::vector<std::string>{"count", "detect", "fix-now", "verdict-only"});
}

TEST_CASE("answers prompter: answers must fit the step's choices") {
  AnswersPrompter p(load_answers_string(kFile, "answers.yaml"));
  CHECK(p.ask("detect", "", {"RUNNING", "FAILED"}).text == "FAILED");
  CHECK(p.ask("Click \"Fix Now\"", "", {"running", "failed"}).verdict == "FAIL");
  CHECK(p.ask("verdict-only", "", {"running", "failed"}).verdict == "PASS");
  CHECK_THROWS_WITH_AS(p.ask("fix-now", "", {"running", "failed"}),
                       doctest::Contains("the answer \"done\" for \"fix-now\" is not one of: running, failed"),
                       std::invalid_argument);
  CHECK_THROWS_AS(p.ask("steps.4", "", {"running", "failed"}), std::invalid_argument);
}

TEST_CASE("answers file: a list answers the same key once per ask, the last one repeating") {
  const char* file = R"(pipeline.status: [Active, Connecting, {answer: Failed, observation: banner shown}]
x: [[nested]]
)";
  CHECK_THROWS_WITH_AS(load_answers_string(file, "answers.yaml"),
                       doctest::Contains("answers.yaml:2:5: error: \"x\": a list item must be an answer"), LoadError);
  auto m = load_answers_string("pipeline.status: [Active, Connecting, {answer: Failed, observation: banner shown}]\n",
                               "answers.yaml");
  REQUIRE(m["pipeline.status"].then.size() == 2);
  AnswersPrompter p(m);
  std::vector<std::string> choices = {"Active", "Connecting", "Failed"};
  CHECK(p.ask("pipeline.status", "", choices).text == "Active");
  CHECK(p.ask("pipeline.status", "", choices).text == "Connecting");
  Answer third = p.ask("pipeline.status", "", choices);
  CHECK(third.text == "Failed");
  CHECK(third.observation == "banner shown");
  CHECK(third.then.empty());
  CHECK(p.ask("pipeline.status", "", choices).text == "Failed");  // the last one repeats
  CHECK(p.unused_keys().empty());
}
