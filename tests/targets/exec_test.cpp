// The exec target with real shell commands that keep a pipeline's state in a file.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "targets/factory.hpp"

using namespace tc;

namespace {
std::string temp_dir() {
  std::string t = (std::filesystem::temp_directory_path() / "tc-exec-XXXXXX").string();
  REQUIRE(::mkdtemp(t.data()));
  return t;
}
}  // namespace

TEST_CASE("exec: commands drive a CLI pipeline; status words are mapped; errors carry exit code and stderr") {
  std::string dir = temp_dir();
  std::ofstream(dir + "/state") << "ACTIVE\n";
  Json spec = {{"type", "exec"},
               {"status", "cat \"$PIPE_DIR/state\""},
               {"restart", "echo ACTIVE > \"$PIPE_DIR/state\""},
               {"stop", "echo HALTED > \"$PIPE_DIR/state\""},
               {"resync", "echo 'snapshot lost' >&2; exit 3"},
               {"status_map", {{"ACTIVE", "running"}, {"HALTED", "stopped"}, {"ERROR", "failed"}}},
               {"env", {{"PIPE_DIR", dir}}},
               {"timeout", "5s"}};
  targets::TargetEnv env{{}, nullptr, ""};
  auto t = targets::make_target(spec, env);
  CHECK(t->kind() == "exec");
  CHECK(t->status().state == "running");
  t->stop();
  CHECK(t->status().state == "stopped");

  std::ofstream(dir + "/state") << "ERROR\nbinlog position not found (1236)\n";
  auto s = t->status();
  CHECK(s.state == "failed");
  CHECK(s.last_error == "binlog position not found (1236)");
  CHECK(t->last_error() == "binlog position not found (1236)");
  t->restart();
  CHECK(t->status().state == "running");
  CHECK_THROWS_WITH_AS(t->resync(), doctest::Contains("exited with 3: snapshot lost"), std::runtime_error);
  CHECK_THROWS_WITH_AS(t->start(), doctest::Contains("no `start` command"), std::runtime_error);

  // A status command that cannot answer is an error, not a state.
  std::filesystem::remove(dir + "/state");
  CHECK_THROWS_WITH_AS(t->status(), doctest::Contains("exited with 1"), std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST_CASE("exec: state words pass through without a map; a slow command times out; bad specs are refused") {
  targets::TargetEnv env{{}, nullptr, ""};
  auto t = targets::make_target(
      Json{{"type", "exec"}, {"status", "printf 'connecting\\n'"}, {"restart", "sleep 5"}, {"timeout", 0.3}}, env);
  CHECK(t->status().state == "connecting");
  auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH_AS(t->restart(), doctest::Contains("timed out"), std::runtime_error);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3));

  CHECK_THROWS_WITH_AS(targets::make_target(Json{{"type", "exec"}, {"restart", "true"}}, env),
                       doctest::Contains("needs a `status`"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(targets::make_target(Json{{"type", "exec"}, {"status", "true"}, {"restrat", "x"}}, env),
                       doctest::Contains("did you mean `restart`"), std::invalid_argument);
  CHECK_THROWS_AS(targets::make_target(Json("exec"), env), std::invalid_argument);
}
