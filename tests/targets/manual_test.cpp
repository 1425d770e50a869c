// The manual target: prompts worded by the tool's profile, answered here from an in-memory answers prompter.
#include "targets/manual.hpp"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "targets/factory.hpp"
#include "util/prompter_answers.hpp"

using namespace tc;

namespace {

// Keeps what was asked, then lets the answers prompter answer (the way --answers files do in a run).
class RecordingPrompter : public Prompter {
 public:
  explicit RecordingPrompter(std::map<std::string, Answer> answers) : inner_(std::move(answers), "Arun") {}
  Answer ask(const std::string& key, const std::string& instruction, const std::vector<std::string>& choices) override {
    asked.push_back({key, instruction, choices});
    return inner_.ask(key, instruction, choices);
  }
  struct Asked {
    std::string key, instruction;
    std::vector<std::string> choices;
  };
  std::vector<Asked> asked;

 private:
  AnswersPrompter inner_;
};

Answer said(const std::string& text, const std::string& verdict = "", const std::string& observation = "") {
  Answer a;
  a.answered = true;
  a.text = text;
  a.verdict = verdict;
  a.observation = observation;
  return a;
}

std::string temp_dir() {
  std::string t = (std::filesystem::temp_directory_path() / "tc-manual-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  return t;
}

struct ProfilesDir {
  ProfilesDir() { ::setenv("TC_TARGETS_DIR", TC_SOURCE_DIR "/targets", 1); }
};

}  // namespace

TEST_CASE("manual: Hevo profile words the prompts, maps the tester's answer, records answers with times") {
  ProfilesDir profiles;
  std::string run_dir = temp_dir();
  RecordingPrompter p({{"pipeline.status", said("Failed")},
                       {"pipeline.restart", said("")},
                       {"pipeline.last_error", said("Could not connect to MySQL: Connection refused")}});
  targets::TargetEnv env{{}, &p, run_dir};
  auto t = targets::make_target(Json{{"type", "hevo"}, {"pipeline", "mysql-to-bq"}}, env);
  CHECK(t->kind() == "manual");
  CHECK(t->etl_tool() == "Hevo");

  auto s = t->status();
  CHECK(s.state == "failed");
  REQUIRE(p.asked.size() == 1);
  CHECK(p.asked[0].key == "pipeline.status");
  CHECK(p.asked[0].instruction.find("Which status does the pipeline show?") != std::string::npos);
  CHECK(p.asked[0].instruction.find("mysql-to-bq") != std::string::npos);
  CHECK(std::find(p.asked[0].choices.begin(), p.asked[0].choices.end(), "Active") != p.asked[0].choices.end());
  CHECK(s.detail["tool_status"] == "Failed");
  CHECK(s.detail["history"][0]["answer"] == "Failed");
  CHECK(s.detail["history"][0]["at"].get<std::string>().size() == 24);  // 2026-02-10T10:00:00.123Z
  CHECK(s.detail["history"][0]["operator"] == "Arun");

  t->restart();
  CHECK(p.asked.back().instruction ==
        "In Hevo, click Fix Now on pipeline mysql-to-bq. Press Enter when you have clicked it.");
  CHECK(t->last_error() == "Could not connect to MySQL: Connection refused");

  // Every answer is in the log beside the report, one JSON line each.
  REQUIRE(t->log_files().size() == 1);
  std::ifstream log(t->log_files()[0]);
  int lines = 0;
  for (std::string line; std::getline(log, line); ++lines) CHECK(Json::parse(line).contains("at"));
  CHECK(lines == 3);
  std::filesystem::remove_all(run_dir);
}

TEST_CASE("manual: no answer leaves status unknown and fails an action; FAIL reports what the tester saw") {
  ProfilesDir profiles;
  RecordingPrompter p({{"pipeline.resync", said("FAIL", "FAIL", "Re-sync button greyed out")}});
  targets::TargetEnv env{{}, &p, ""};
  auto t = targets::make_target(Json("fivetran"), env);
  CHECK(t->etl_tool() == "Fivetran");
  auto s = t->status();
  CHECK(s.state == "unknown");
  CHECK(s.detail["answered"] == false);
  CHECK_THROWS_WITH_AS(t->restart(), doctest::Contains("did not confirm pipeline.restart"), std::runtime_error);
  CHECK_THROWS_WITH_AS(t->resync(), doctest::Contains("Re-sync button greyed out"), std::runtime_error);
  CHECK(p.asked.back().instruction.find("Re-sync All Historical Data") != std::string::npos);
}

TEST_CASE("manual: airbyte and the generic manual profile; an answer outside the choices is refused") {
  ProfilesDir profiles;
  RecordingPrompter p({{"pipeline.status", said("Running")}});
  targets::TargetEnv env{{}, &p, ""};
  auto a = targets::make_target(Json("airbyte"), env);
  CHECK(a->status().state == "running");
  RecordingPrompter bad({{"pipeline.status", said("Exploded")}});
  targets::TargetEnv env2{{}, &bad, ""};
  auto m = targets::make_target(Json{{"type", "manual"}, {"etl_tool", "Stitch"}}, env2);
  CHECK(m->etl_tool() == "Stitch");
  CHECK_THROWS_AS(m->status(), std::invalid_argument);
  CHECK(bad.asked[0].instruction.find("In Stitch") == 0);
}

TEST_CASE("manual: malformed profiles and a missing prompter are clear errors") {
  Answer none;
  RecordingPrompter p({});
  Json cfg = {{"etl_tool", "X"}, {"statuses", {{"Up", "runing"}}}, {"prompts", Json::object()}};
  CHECK_THROWS_WITH_AS(targets::ManualTarget(cfg, &p, ""), doctest::Contains("prompts.status"), std::invalid_argument);
  for (const char* k : {"status", "restart", "resync", "start", "stop", "last_error"}) cfg["prompts"][k] = "do {thing}";
  CHECK_THROWS_WITH_AS(targets::ManualTarget(cfg, &p, ""), doctest::Contains("{thing}"), std::invalid_argument);
  cfg["thing"] = "it";
  CHECK_THROWS_WITH_AS(targets::ManualTarget(cfg, &p, ""), doctest::Contains("did you mean 'running'"),
                       std::invalid_argument);
  cfg["statuses"]["Up"] = "running";
  CHECK_NOTHROW(targets::ManualTarget(cfg, &p, ""));
  CHECK_THROWS_WITH_AS(targets::ManualTarget(cfg, nullptr, ""), doctest::Contains("needs a prompter"),
                       std::invalid_argument);
}
