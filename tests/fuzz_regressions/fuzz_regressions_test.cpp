// Every input a fuzz target ever crashed on (fuzz/regressions/<target>/<outcome>-<what>.<ext>) goes through the
// same entry the target uses, built with the normal compiler: it must not crash and must end as its name says.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "entries.hpp"
#include "support/test_files.hpp"

namespace fs = std::filesystem;

namespace {

// Replays one target's regressions; returns how many there were.
int replay(const std::string& target, const std::function<tc::fuzz::Outcome(std::string_view)>& entry) {
  fs::path dir = fs::path(TC_SOURCE_DIR) / "fuzz" / "regressions" / target;
  int n = 0;
  if (!fs::is_directory(dir)) return n;
  for (const auto& f : fs::directory_iterator(dir)) {
    std::string name = f.path().filename().string();
    std::string expected = name.substr(0, name.find('-'));
    CAPTURE(name);
    std::string bytes = tc::test::slurp(f.path());
    tc::fuzz::Outcome got{};
    CHECK_NOTHROW(got = entry(bytes));  // an exception other than the allowed error type is the finding itself
    CHECK(tc::fuzz::outcome_name(got) == expected);
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("fuzz regressions: scenario loader") {
  MESSAGE(replay("loader", tc::fuzz::loader), " inputs replayed");
}

TEST_CASE("fuzz regressions: interpolation and masking") {
  MESSAGE(replay("interpolation", tc::fuzz::interpolation), " inputs replayed");
}

TEST_CASE("fuzz regressions: answers file") {
  MESSAGE(replay("answers", tc::fuzz::answers), " inputs replayed");
}

TEST_CASE("fuzz entries: the outcome names the regression files use") {
  using tc::fuzz::Outcome;
  CHECK(tc::fuzz::loader("id: [") == Outcome::load_error);
  CHECK(tc::fuzz::answers("a: done\n") == Outcome::accepted);
  CHECK(tc::fuzz::answers("- a\n") == Outcome::load_error);
  CHECK(tc::fuzz::interpolation(std::string_view("a=1\n\0${a}", 9)) == Outcome::accepted);
  CHECK(tc::fuzz::interpolation(std::string_view("a=1\n\0${b}", 9)) == Outcome::undefined_variable);
  CHECK(tc::fuzz::interpolation(std::string_view("a=1\n\0${a", 8)) == Outcome::invalid_argument);
}
