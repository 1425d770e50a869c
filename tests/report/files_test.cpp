#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "report/writers.hpp"
#include "sample_run.hpp"

using namespace tc;
using namespace tc::report;
using namespace tc::report::testing;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("tc-report-files-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

}  // namespace

TEST_CASE("files: the three reports land in the run folder, created when missing") {
  TempDir tmp;
  auto run = sample_run();
  run.run_dir = (tmp.path / "reports" / "TC-001" / "20260210T235958Z-reject").string();
  write_run_files(run);
  fs::path dir(run.run_dir);
  std::string md = slurp(dir / "execution-log.md");
  CHECK(md.rfind("# TC-001: Pipeline Restart via Fix Now\n\n## Test Execution Log\n\n### Run 1 - 2026-02-10\n", 0) ==
        0);
  CHECK(md.find(render_markdown(run, 1)) != std::string::npos);
  CHECK(last_run_number(md) == 1);
  Json j = Json::parse(slurp(dir / "result.json"));
  CHECK(run_from_json(j).steps.size() == run.steps.size());
  CHECK(slurp(dir / "junit.xml") == render_junit({run}));
  for (const auto& e : fs::directory_iterator(dir)) CHECK(e.path().extension() != ".tmp");
}

TEST_CASE("files: invalid UTF-8 in output still yields valid JSON") {
  TempDir tmp;
  auto run = sample_run();
  run.run_dir = tmp.path.string();
  run.steps[2].output = {{"stdout", std::string("\xff\xfe")}};
  write_run_files(run);
  CHECK_NOTHROW(Json::parse(slurp(tmp.path / "result.json")));
}

TEST_CASE("files: a run without a folder, or one that cannot be created, is a clear error") {
  auto run = sample_run();
  run.run_dir = "";
  CHECK_THROWS_WITH_AS(write_run_files(run), doctest::Contains("no run folder"), std::invalid_argument);
  TempDir tmp;
  std::ofstream(tmp.path / "a-file") << "x";
  run.run_dir = (tmp.path / "a-file" / "run").string();
  CHECK_THROWS_WITH_AS(write_run_files(run), doctest::Contains("cannot create run folder"), std::runtime_error);
}
