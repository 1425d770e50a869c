// The manual target in a real terminal: `toolkit pipeline status --target hevo` runs inside a private tmux
// server, the test reads the prompt off the screen and types the answer, as a tester would.
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "util/json.hpp"
#include "util/process.hpp"

using namespace tc;
using namespace std::chrono_literals;

namespace {

/// A tmux server of our own (its own socket name), killed at the end.
struct Tmux {
  std::string socket = "tc-targets-" + std::to_string(::getpid());
  ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), {"tmux", "-L", socket});
    ProcessOptions o;
    o.timeout = 10s;
    return run_process(args, o);
  }
  std::string screen() { return run({"capture-pane", "-p", "-t", "t"}).out; }
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout = 10s) {
    auto t0 = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - t0 < timeout) {
      if (screen().find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  ~Tmux() { run({"kill-server"}); }
};

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("manual target through a real terminal: the tester reads the Hevo prompt and answers it") {
  std::string toolkit = TC_BINARY_DIR "/runner/toolkit";
  REQUIRE_MESSAGE(std::filesystem::exists(toolkit), "build the toolkit executable first");
  std::string dir = (std::filesystem::temp_directory_path() / "tc-tmux-XXXXXX").string();
  REQUIRE(::mkdtemp(dir.data()));
  std::string out = dir + "/out.txt";
  std::string cmd = "TC_TARGETS_DIR=" TC_SOURCE_DIR "/targets " + toolkit + " --state-dir " + dir +
                    " pipeline status --target hevo --json | tee " + out + "; echo EXITED >> " + out + "; sleep 30";
  Tmux tmux;
  auto r = tmux.run({"new-session", "-d", "-s", "t", "-x", "200", "-y", "50", cmd});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);

  // No pipeline named in the spec: the tester is asked for its name once, and every prompt then uses it.
  REQUIRE_MESSAGE(tmux.wait_for("Which Hevo pipeline is under test?"), tmux.screen());
  tmux.run({"send-keys", "-t", "t", "orders-cdc", "Enter"});
  REQUIRE_MESSAGE(tmux.wait_for("find pipeline orders-cdc. Which status does the pipeline show?"), tmux.screen());
  CHECK(tmux.screen().find("Answer one of: Active, Syncing, Connecting, Failed") != std::string::npos);
  tmux.run({"send-keys", "-t", "t", "Faild", "Enter"});  // a typo first: the prompt suggests the right word
  REQUIRE_MESSAGE(tmux.wait_for("did you mean Failed?"), tmux.screen());
  tmux.run({"send-keys", "-t", "t", "failed", "Enter"});
  auto t0 = std::chrono::steady_clock::now();
  while (slurp(out).find("EXITED") == std::string::npos && std::chrono::steady_clock::now() - t0 < 10s)
    std::this_thread::sleep_for(50ms);
  std::string text = slurp(out);
  auto brace = text.find("{\n");  // the JSON follows the last "> " prompt
  REQUIRE_MESSAGE(brace != std::string::npos, text);
  Json j = Json::parse(text.substr(brace, text.rfind('}') - brace + 1));
  CHECK(j["state"] == "failed");
  CHECK(j["detail"]["tool_status"] == "Failed");
  CHECK(j["detail"]["history"][0]["key"] == "pipeline.status");
  CHECK(j["detail"]["history"][0]["at"].get<std::string>().size() == 24);
  std::filesystem::remove_all(dir);
}
