// Every valid corpus file and scenario loads; every invalid one fails with the diagnostic its first line names.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "test_options.hpp"

namespace fs = std::filesystem;
using namespace tc::scenario;

namespace {

std::vector<fs::path> yaml_files(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

const fs::path kCorpus = fs::path(TC_SOURCE_DIR) / "tests" / "corpus";

struct Expectation {
  int line = 0, column = 0;
  std::string substring;
};

// "# expect: 12:5: unknown key 'stpes'"
Expectation expectation_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string first;
  std::getline(in, first);
  static const std::regex re(R"(^# expect: (\d+):(\d+): (.+?)\s*$)");
  std::smatch m;
  REQUIRE_MESSAGE(std::regex_match(first, m, re), file.string() << ": first line must be '# expect: L:C: text'");
  return {std::stoi(m[1]), std::stoi(m[2]), m[3]};
}

void check_invalid(const fs::path& file) {
  CAPTURE(file.string());
  Expectation want = expectation_of(file);
  try {
    load_file(file.string(), testing::options());
    FAIL("loaded without error, expected " << want.line << ":" << want.column << ": " << want.substring);
  } catch (const LoadError& e) {
    bool found = false;
    for (const auto& d : e.diagnostics()) {
      CHECK(d.where.file == file.string());
      CHECK_MESSAGE(!d.message.empty(), "diagnostic without text");
      if (d.where.line == want.line && d.where.column == want.column &&
          d.message.find(want.substring) != std::string::npos)
        found = true;
    }
    CHECK_MESSAGE(found, "expected " << want.line << ":" << want.column << ": " << want.substring << "\ngot:\n"
                                     << std::string(e.what()));
  }
}

}  // namespace

TEST_CASE("every valid corpus file loads") {
  auto files = yaml_files(kCorpus / "valid");
  CHECK(files.size() >= 10);
  for (const auto& f : files) {
    CAPTURE(f.string());
    try {
      Scenario sc = load_file(f.string(), testing::options());
      CHECK(!sc.id.empty());
      CHECK(!sc.steps.empty());
    } catch (const LoadError& e) {
      FAIL_CHECK(std::string(e.what()));
    }
  }
}

TEST_CASE("every scenario in scenarios/ loads") {
  for (const auto& f : yaml_files(fs::path(TC_SOURCE_DIR) / "scenarios")) {
    CAPTURE(f.string());
    try {
      load_file(f.string(), testing::options());
    } catch (const LoadError& e) {
      FAIL_CHECK(std::string(e.what()));
    }
  }
}

TEST_CASE("every invalid corpus file fails with its located diagnostic") {
  size_t n = 0;
  for (const char* kind : {"structural", "semantic"}) {
    for (const auto& f : yaml_files(kCorpus / "invalid" / kind)) {
      check_invalid(f);
      ++n;
    }
  }
  CHECK(n >= 45);
}
