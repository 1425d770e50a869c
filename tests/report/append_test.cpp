#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "md_sections.hpp"
#include "report/writers.hpp"
#include "sample_run.hpp"

using namespace tc;
using namespace tc::report;
using namespace tc::report::testing;

namespace {

std::string seed() {
  std::ifstream f(TC_SOURCE_DIR "/tests/report/TC-001-seed.md");
  REQUIRE(f);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("append: numbering follows the highest run already present") {
  CHECK(last_run_number("") == 0);
  CHECK(last_run_number(seed()) == 1);
  CHECK(last_run_number("### Run 1 - 2026-01-01\n\n### Run 5 - 2026-01-02\n### Run 3\n") == 5);
  CHECK(last_run_number("### Running notes\n### Run x\n#### Run 9\n") == 0);
  // A heading inside a fenced code block is an example, not a run.
  CHECK(last_run_number("### Run 2 - a\n```\n### Run 8 - b\n```\n") == 2);
}

TEST_CASE("append: the seed gets Run 2 after Run 1, the rest of the document untouched") {
  std::string doc = seed();
  std::string out = append_run(doc, sample_run());
  CHECK(out.compare(0, doc.size() - 1, doc, 0, doc.size() - 1) == 0);  // only the final newline area may change
  CHECK(count_of(out, "## Test Execution Log") == 1);
  CHECK(count_of(out, "\n---\n") == 1);
  size_t run1 = out.find("### Run 1 - 2026-02-10\n"), run2 = out.find("\n\n### Run 2 - 2026-02-10\n");
  REQUIRE(run1 != std::string::npos);
  REQUIRE(run2 != std::string::npos);
  CHECK(run2 > run1);
  CHECK(out.find("- All objects restarted as expected\n\n### Run 2") != std::string::npos);
  CHECK(last_run_number(out) == 2);
  CHECK(last_run_number(append_run(out, sample_run())) == 3);
  CHECK(section(out.substr(run2), "**Verification Checklist:**").size() == 3);
}

TEST_CASE("append: a test case without a log gets a rule and the heading first") {
  std::string doc = "# TC-009: Something\n\n## Cleanup\n- none\n\n\n";
  std::string out = append_run(doc, sample_run());
  CHECK(out.find("## Cleanup\n- none\n\n---\n\n## Test Execution Log\n\n### Run 1 - 2026-02-10\n| Field | Value |\n") !=
        std::string::npos);
  // A document that already ends with a rule does not get a second one.
  out = append_run("# T\n\n---\n", sample_run());
  CHECK(out.rfind("# T\n\n---\n\n## Test Execution Log\n\n### Run 1 - ", 0) == 0);
  // An empty document is just the log.
  CHECK(append_run("", sample_run()).rfind("## Test Execution Log\n\n### Run 1 - ", 0) == 0);
}

TEST_CASE("append: a run goes at the end of the log section, before any later section") {
  std::string doc = "# T\n\n## Test Execution Log\n\n### Run 1 - 2026-01-01\n| Field | Value |\n\n## Appendix\nkept\n";
  std::string out = append_run(doc, sample_run());
  size_t run2 = out.find("### Run 2 - ");
  size_t appendix = out.find("## Appendix\nkept\n");
  REQUIRE(run2 != std::string::npos);
  REQUIRE(appendix != std::string::npos);
  CHECK(run2 < appendix);
  CHECK(out.find("| Field | Value |\n\n### Run 2 - ") != std::string::npos);
  CHECK(out.find("|\n\n## Appendix\nkept\n") != std::string::npos);
}

TEST_CASE("append: windows line endings and a missing final newline are tolerated") {
  std::string doc = "# T\r\n\r\n## Test Execution Log\r\n\r\n### Run 4 - 2026-01-01\r\n- x";
  std::string out = append_run(doc, sample_run());
  CHECK(out.find("- x\n\n### Run 5 - 2026-02-10\n") != std::string::npos);
}
